"""The door of every app: who is practising, and the class code for the trainer role.

A browser that has not named its learner is asked for a name before the app opens, so
a new learner never starts inside somebody else's VNeID account, dossiers or wallet.
The name is remembered in the browser (the page script writes the cookies ui/session.py
reads), and the app's own screen then replaces the gate in the same page.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import ipywidgets as W

from ..errors import InvalidInput
from ..i18n import N_, _, translate
from ..sandbox.drafts import clean_name
from .base import Screen, esc

if TYPE_CHECKING:
    from ..sandbox.store import Sandbox
    from .session import Visitor


class Gate(Screen):
    """Asks for the class code (trainer role) and then for a name; opens the app."""

    title = N_("Kỹ Năng Số")
    screen_id = "gate"
    shows_person = False

    def __init__(self, box: Sandbox, screen: type[Screen], who: Visitor,
                 options: dict[str, Any], *, ask_code: bool):
        self.target, self.who, self.options = screen, who, options
        self.ask_code = ask_code
        self.frame = screen.frame
        self.screen: Screen | None = None
        super().__init__(box)
        self.outer = W.VBox([self.widget])
        self.outer.add_class("kns-gate-outer")

    def opened(self) -> None:
        pass  # nobody is known yet: nothing to log under a made-up actor

    def render(self) -> None:
        self.heading.value = (f'<h1 class="kns-title">{esc(translate(self.target.title))}</h1>')
        if self.ask_code:
            self._ask_code()
        else:
            self._ask_name()

    def _label_settings(self) -> None:
        super()._label_settings()
        if getattr(self, "target", None) is not None:
            self.heading.value = f'<h1 class="kns-title">{esc(translate(self.target.title))}</h1>'

    def _ask_code(self) -> None:
        self.code = self.text(_("Mã lớp"), password=True,
                              placeholder=_("mã giảng viên được in khi mở lớp"))
        self.show(self.step_title(_("Quyền giảng viên")),
                  self.html('<p>' + esc(_("Trang này dành cho giảng viên. Nhập mã lớp mà lệnh "
                                          "“make apps” đã in ra (lưu trong tệp "
                                          "classroom/ma-lop.txt).")) + "</p>"),
                  self.code, self.button(_("Mở quyền giảng viên"), self._check_code,
                                         style="primary"))

    def _check_code(self) -> None:
        from .session import CODE_COOKIE, class_code_ok

        entered = self.code.value.strip()
        if not entered:
            self.field_error(self.code, _("Hãy nhập mã lớp."))
            return
        if not class_code_ok(entered):
            self.code.value = ""
            self.field_error(self.code, _("Mã lớp không đúng. Hỏi người mở lớp (mã in ra khi "
                                          "chạy “make apps”)."))
            return
        self.page_command(cookies={CODE_COOKIE: entered})
        self.ask_code = False
        if self.who.actor is None:
            self._ask_name()
        else:
            self._open(self.who.actor)

    def _ask_name(self) -> None:
        self.name = self.text(_("Tên của bạn"), placeholder=_("ví dụ: Lan"))
        self.show(self.step_title(_("Bạn là ai?")),
                  self.html('<p>' + esc(_("Mỗi người tập có hồ sơ, tài khoản VNeID và ví "
                                          "riêng. Nhập tên để bắt đầu; trình duyệt này sẽ nhớ "
                                          "tên bạn.")) + "</p>"),
                  self.name, self.button(_("Bắt đầu tập"), self._named, style="primary"))

    def _named(self) -> None:
        from .session import NAME_COOKIE, PERSON_COOKIE, actor_for

        try:
            name = clean_name(self.name.value)
        except InvalidInput as exc:
            self.field_error(self.name, str(exc))
            return
        actor = actor_for(name)
        self.box.as_actor(actor, self.who.role).learners.join(name)
        self.page_command(cookies={PERSON_COOKIE: actor, NAME_COOKIE: name})
        self._open(actor)

    def _open(self, actor: str) -> None:
        self.clear()  # the hidden gate keeps no aria-invalid mark behind the app
        box = self.box.as_actor(actor, self.who.role)
        self.screen = self.target(box, **self.options)
        # The gate's own root stays, hidden, so its last page command still reaches the page.
        self.widget.layout.display = "none"
        self.outer.children = (self.screen.widget, self.widget)

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.outer)
