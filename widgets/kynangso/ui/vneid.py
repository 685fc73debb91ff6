"""The VNeID app on a simulated phone: activate, log in (a new phone needs a code from the old
one), see the level badge, the document wallet (an expired card says so, and what to do),
notifications, and hand a procedure over to the dossier desk with the boxes and files it
needs, or to the portal. The rules live in ``domain/vneid.py``, ``domain/cards.py`` and
``sandbox/vneid.py``; this module only shows them. Codes arrive as a message drawn on the
phone screen itself.

A reload (a locked phone, a lost connection) brings the learner back where they were: the
screen keeps its place, the login and the half-filled boxes in ``box.drafts``, never a
password, passcode or code. The passcode is asked again, as the real app asks it after a
restart; logging out forgets the draft.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache, partial
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

import ipywidgets as W

from ..domain import cards as cards_
from ..domain import vneid as rules_
from ..domain.attachments import Attachment, attach_sample, samples_for
from ..domain.catalogue import Procedure, channel_name
from ..domain.forms import FormField
from ..domain.identity import N_, format_date
from ..domain.personas import Persona, make_personas
from ..domain.vneid import NoticeKind
from ..errors import InvalidInput, KnsError
from ..i18n import _, translate
from ..sandbox.vneid import (
    CHOICES,
    CONTACT,
    DEFAULT_DEVICE,
    LEVEL2_ROLES,
    IncompleteSubmission,
    OtpNotice,
    Submission,
    VneidAccount,
)
from .base import Screen, esc, more
from .session import launch

if TYPE_CHECKING:
    from ..sandbox.store import Sandbox

DEVICES = (("dien-thoai-a", N_("Điện thoại A (máy đang dùng)")),
           ("dien-thoai-b", N_("Điện thoại B (máy mới)")))
PERSONA_CHOICES = 10
CCCD_DIGITS = 12
# Views a reload may come back to while an activation or a new-phone login is under way.
PENDING_VIEWS = {"activate_otp": "activate", "activate_secrets": "activate",
                 "new_device": "new_device"}

STYLE = """
<style>
.kns-vneid-sms { background: #1f2933; color: #ffffff; border-radius: 14px; padding: 8px 12px;
  margin: 4px 0 8px 0; box-shadow: 0 2px 6px rgba(0,0,0,.35); line-height: 1.35; }
.kns-vneid-sms b { color: #ffd400; }
.kns-vneid-id { background: linear-gradient(135deg, #b3261e, #7a1712); color: #ffffff;
  border: none; }
.kns-vneid-id .kns-muted { color: #fde8e8; }
.kns-vneid-name { font-size: 1.2em; font-weight: 700; text-transform: uppercase; }
.kns-vneid-badge { display: inline-block; border-radius: 12px; padding: 2px 10px;
  font-weight: 700; margin-top: 6px; background: #ffffff; color: #0b2a4a; }
.kns-vneid-badge.kns-level-2 { background: #e6f4ea; color: #0b3d1c; }
.kns-vneid-fake { display: inline-block; border: 2px dashed #9a5b00; color: #4a2c00;
  background: #fff4ce; border-radius: 6px; padding: 1px 8px; font-weight: 700; }
.kns-vneid-doc td { padding: 2px 4px; vertical-align: top; }
.kns-vneid-notice { border-bottom: 1px solid #c8c8c8; padding: 6px 0; }
.kns-vneid-warn { background: #fff4ce; border-left: 5px solid #9a5b00; color: #4a2c00;
  padding: 6px 10px; border-radius: 4px; margin: 4px 0; }
.kns-contrast .kns-vneid-warn, .kns-contrast .kns-vneid-fake { background: #000;
  color: #ffd400; border-color: #ffd400; }
.kns-root .kns-vneid-wrap { white-space: normal !important; height: auto !important;
  line-height: 1.3; padding-top: 6px; padding-bottom: 6px; }
.kns-root .kns-vneid-field { flex-direction: column; align-items: stretch;
  height: auto !important; }
.kns-root .kns-vneid-field > label { width: auto !important; text-align: left; }
.kns-root .kns-vneid-field > select { min-height: 44px; flex: 0 0 auto; }
.kns-app-vneid .widget-html-content { line-height: 1.45; }
.kns-vneid-status { display: inline-block; border-radius: 12px; padding: 2px 10px;
  font-weight: 700; margin: 4px 0; background: #e6f4ea; color: #0b3d1c; }
.kns-vneid-status.kns-status-soon { background: #fff4ce; color: #4a2c00; }
.kns-vneid-status.kns-status-expired { background: #b3261e; color: #ffffff; }
.kns-vneid-expired { border: 2px solid #b3261e; }
.kns-vneid-doclist li { margin: 2px 0; }
.kns-contrast .kns-vneid-status { background: #000; color: #ffd400; border: 2px solid #ffd400; }
.kns-app-vneid .widget-html { margin-top: 2px; margin-bottom: 2px; }
</style>
"""


@cache
def _personas(seed: int) -> tuple[Persona, ...]:
    return tuple(make_personas(PERSONA_CHOICES, seed=seed))


def _device_label(device: str) -> str:
    return next((translate(label) for code, label in DEVICES if code == device), device)


class VneidScreen(Screen):
    """The citizen's VNeID app. Views: login, activation (3 steps), new-phone code, home with
    wallet, public services and notifications. A trainer or official also sees the police
    desk that records level-2 enrolment."""

    title = N_("VNeID — Định danh điện tử (mô phỏng)")
    frame = "phone"
    screen_id = "vneid"

    def __init__(self, box: Sandbox, *, device: str = DEFAULT_DEVICE):
        self.device = device
        self.view = "login"
        self.section = "home"
        self.cccd: str | None = None  # the account logged in
        self.pending: str | None = None  # the number being activated or confirmed
        self.unlocked = False  # passcode typed in this session
        self.code_notice: OtpNotice | None = None
        self.warning = ""
        self.chosen: Procedure | None = None
        self.handing_off = False  # the chosen procedure goes on at the portal
        self.typed: dict[str, str] = {}  # the chosen procedure's boxes, as typed
        self.files: dict[str, str] = {}  # document code -> sample scan picked
        self.last_dossier: str | None = None
        self._restore(box)
        super().__init__(box)

    @property
    def desk(self) -> Any:
        return self.box.vneid

    # -- a reload brings the learner back ---------------------------------------------------

    def _restore(self, box: Sandbox) -> None:
        """Come back to the saved place; anything no longer true (an account gone, locked or
        logged out elsewhere) is dropped, never shown as an error."""
        state = box.drafts.load(self.screen_id)
        if not state:
            return
        desk = box.vneid
        if state.get("device") in dict(DEVICES):
            self.device = state["device"]
        try:
            if state.get("cccd"):
                account = desk.account(state["cccd"])
                if account.active and not rules_.is_locked(account.locked_until, box.now()):
                    self.cccd, self.view = account.cccd, "home"
                    self.section = state.get("section") or "home"
                    self._restore_procedure(desk, state)
            elif state.get("pending") and state.get("view") in PENDING_VIEWS:
                self.pending, self.view = desk.account(state["pending"]).cccd, state["view"]
                self.code_notice = desk.pending_notice(self.pending,
                                                       PENDING_VIEWS[self.view])
                self.warning = state.get("warning") or ""
        except KnsError:
            self.cccd = self.pending = None
            self.view = "login"

    def _restore_procedure(self, desk: Any, state: dict[str, Any]) -> None:
        code = state.get("chosen")
        if not code or code not in desk.catalogue:
            return
        self.chosen = desk.catalogue[code]
        self.handing_off = bool(state.get("handing_off"))
        self.typed = {str(k): str(v) for k, v in (state.get("typed") or {}).items()}
        self.files = {str(k): str(v) for k, v in (state.get("files") or {}).items()}

    def _save(self) -> None:
        """Remember where the learner is (no secret ever: codes and passwords stay out)."""
        if self.cccd is None and self.pending is None:
            self.box.drafts.clear(self.screen_id)
            return
        state: dict[str, Any] = {"device": self.device, "view": self.view,
                                 "section": self.section, "cccd": self.cccd,
                                 "pending": self.pending, "warning": self.warning}
        if self.chosen is not None:
            state |= {"chosen": self.chosen.code, "handing_off": self.handing_off,
                      "typed": self.typed, "files": self.files}
        self.box.drafts.save(self.screen_id, state)

    # -- small builders ------------------------------------------------------------------

    def field(self, label: str, *, value: str = "", placeholder: str = "",
              password: bool = False, digits: int | None = None) -> W.Text:
        """A text box with its label above it (the phone is narrow); ``digits``: a numeric
        keypad and at most that many characters."""
        widget = self.text(label, value=value, placeholder=placeholder, password=password)
        widget.add_class("kns-vneid-field")
        if digits is not None:
            self.numeric(widget, digits)
        return widget

    def pick(self, label: str, options: list[tuple[str, Any]], *, value: Any = None
             ) -> W.Dropdown:
        """A drop-down on "Chưa chọn", its label above it."""
        widget = self.choice(label, options, value=value)
        if value is None:
            widget.index = 0  # value None alone selects nothing: the page would show a blank
        widget.add_class("kns-vneid-field")
        return widget

    def refused(self, error: KnsError, **fields: W.Widget) -> None:
        """Show a refusal on the field it is about (``fields`` by the error's field name),
        or in the message area when it is about none of them."""
        widget = fields.get(error.field or "")
        if widget is None:
            self.error(error.message)
        else:
            self.field_error(widget, error.message)

    def wide(self, label: str, callback: Callable[[], Any], style: str = "") -> W.Button:
        button = self.button(label, callback, style=style, width="100%")
        button.add_class("kns-vneid-wrap")  # long Vietnamese labels wrap instead of "..."
        return button

    def _sms_html(self) -> str:
        notice = self.code_notice
        if notice is None:
            return ""
        head = (_("Tin nhắn") if notice.kind is NoticeKind.SMS
                else _("Thông báo ứng dụng VNeID trên điện thoại cũ"))
        # Not a live region of its own: the page has one, the message area.
        return (f'<div class="kns-vneid-sms">'
                f"<b>{esc(head)}:</b> {esc(notice.text)}"
                f'<div style="font-size:.85em;opacity:.85">{esc(_("Gửi lúc"))} '
                f"{notice.sent_at:%H:%M:%S} · {esc(_('hết hạn lúc'))} "
                f"{notice.expires_at:%H:%M:%S}</div></div>")

    def _note(self, text: str, cls: str = "kns-muted") -> W.HTML:
        return self.html(f'<div class="{cls}">{esc(text)}</div>')

    def go(self, view: str, *, section: str | None = None) -> None:
        self.clear()  # a message belongs to the view it was said on
        self.view = view
        if section is not None:
            self.section = section
        self._save()
        self.render()

    # -- render --------------------------------------------------------------------------

    def render(self) -> None:
        views = {"login": self._login_view, "activate": self._activate_view,
                 "activate_otp": self._activate_otp_view,
                 "activate_secrets": self._activate_secrets_view,
                 "new_device": self._new_device_view, "home": self._home_view}
        children = views[self.view]()
        self.show(self.html(STYLE), *children)

    # -- login ---------------------------------------------------------------------------

    def _remembered(self) -> VneidAccount | None:
        accounts = self.desk.accounts()
        on_this_phone = [a for a in accounts if a.device == self.device]
        return (on_this_phone or accounts or [None])[0]

    def _login_view(self) -> list[W.Widget]:
        remembered = self._remembered()
        self.device_pick = W.Dropdown(
            options=[(translate(label), code) for code, label in DEVICES], value=self.device,
            description=_("Điện thoại đang dùng (mô phỏng)"),
            style={"description_width": "initial"}, layout=W.Layout(width="100%"))
        self.device_pick.add_class("kns-vneid-field")
        self.device_pick.observe(self.guard(self._pick_device), "value")
        self.login_cccd = self.field(_("Số định danh cá nhân (CCCD)"),
                                     value=remembered.cccd if remembered else "",
                                     placeholder=_("12 chữ số"), digits=CCCD_DIGITS)
        self.login_password = self.field(_("Mật khẩu"), password=True)
        children: list[W.Widget] = [self.step_title(_("Đăng nhập"))]
        if remembered is not None:
            children.append(self._note(_("Tài khoản đã kích hoạt: {name}").format(
                name=remembered.profile.full_name), ""))
        children += [
            self.device_pick, self.login_cccd, self.login_password,
            self.wide(_("Đăng nhập"), self.log_in, "primary"),
            self._note(_("Chưa có tài khoản trên ứng dụng?")),
            self.wide(_("Kích hoạt tài khoản định danh điện tử"),
                      lambda: self.go("activate"), "info"),
        ]
        if self.box.role in LEVEL2_ROLES:
            children += self._police_desk()
        return children

    def _pick_device(self, change: dict) -> None:
        self.device = change["new"]
        self.box.record("vneid.device_switched", None, device=self.device)
        self.info(_("Bạn đang cầm {device}.").format(device=_device_label(self.device)))

    def log_in(self) -> None:
        password = self.login_password.value
        self.login_password.value = ""
        try:
            result = self.desk.login(self.login_cccd.value, password, device=self.device)
        except KnsError as error:
            self.refused(error, cccd=self.login_cccd, mat_khau=self.login_password)
            return
        if result.needs_otp:
            self.pending = result.account.cccd
            self.code_notice = result.notice
            self.go("new_device")
            self.info(_("Bạn đang đăng nhập trên thiết bị mới. Nhập mã xác thực hiện trên "
                        "điện thoại cũ."))
            return
        self._enter(result.account)

    def _enter(self, account: VneidAccount) -> None:
        self.cccd = account.cccd
        self.pending = None
        self.unlocked = False
        self.code_notice = None
        self._drop_procedure()
        self.go("home", section="home")
        self.ok(_("Xin chào {name}. Đăng nhập thành công.").format(
            name=account.profile.full_name))

    # -- activation ----------------------------------------------------------------------

    def _activate_view(self) -> list[W.Widget]:
        personas = _personas(self.desk.rules.persona_seed)
        self.persona_pick = self.pick(
            _("Nhân vật giả lập (điền sẵn số)"),
            [(f"{p.id} · {p.full_name} · {p.age()} {_('tuổi')}", p.id) for p in personas])
        self._personas = {p.id: p for p in personas}
        self.persona_pick.observe(self.guard(self._fill_persona), "value")
        self.act_cccd = self.field(_("Số định danh cá nhân (CCCD)"), placeholder=_("12 chữ số"),
                                   digits=CCCD_DIGITS)
        self.act_phone = self.field(_("Số điện thoại"), placeholder="09xx xxx xxx")
        return [
            self.step_title(_("Kích hoạt tài khoản định danh điện tử") + " — "
                            + _("Bước {n}/{total}").format(n=1, total=3)),
            self._note(_("Nhập số định danh cá nhân và số điện thoại đã đăng ký, rồi bấm "
                         "«Gửi yêu cầu». Chỉ dùng số của nhân vật giả lập.")),
            self.persona_pick, self.act_cccd, self.act_phone,
            self.wide(_("Gửi yêu cầu"), self.request_code, "primary"),
            self.wide(_("Quay lại"), lambda: self.go("login")),
        ]

    def _fill_persona(self, change: dict) -> None:
        persona = self._personas.get(change["new"])
        if persona is not None:
            self.act_cccd.value = persona.cccd
            self.act_phone.value = persona.phone

    def request_code(self) -> None:
        try:
            notice = self.desk.request_activation(self.act_cccd.value, self.act_phone.value,
                                                  device=self.device)
        except KnsError as error:
            self.refused(error, cccd=self.act_cccd, so_dien_thoai=self.act_phone)
            return
        account = self.desk.account(self.act_cccd.value)
        self.pending = account.cccd
        self.code_notice = notice
        self.warning = rules_.practice_warning(account.profile)
        self.go("activate_otp")
        self.ok(_("Đã gửi mã OTP đến số {phone}. Mã hết hạn lúc {time}.").format(
            phone=account.phone, time=f"{notice.expires_at:%H:%M:%S}"))

    def _activate_otp_view(self) -> list[W.Widget]:
        self.sms = self.html(self._sms_html())
        self.otp = self.field(_("Mã OTP"), placeholder=_("6 chữ số trong tin nhắn"),
                              digits=self.desk.rules.otp_digits)
        children: list[W.Widget] = [
            self.step_title(_("Nhập mã kích hoạt") + " — "
                            + _("Bước {n}/{total}").format(n=2, total=3)), self.sms]
        if self.warning:
            children.append(self._note(self.warning, "kns-vneid-warn"))
        children += [
            self.otp,
            self.wide(_("Xác nhận"), self.confirm_code, "primary"),
            self.wide(_("Gửi lại mã"), self.resend_code),
            self.wide(_("Quay lại"), lambda: self.go("activate")),
        ]
        return children

    def confirm_code(self) -> None:
        code = self.otp.value
        self.otp.value = ""
        try:
            self.desk.verify_activation_code(self.pending, code)
        except InvalidInput as error:
            self.refused(error, ma_otp=self.otp)
            return
        self.go("activate_secrets")
        self.ok(_("Mã OTP đúng. Hãy đặt mật khẩu và passcode."))

    def resend_code(self) -> None:
        self.code_notice = self.desk.resend_activation_code(self.pending, device=self.device)
        self.sms.value = self._sms_html()
        self.ok(_("Đã gửi mã mới; mã cũ không còn dùng được."))

    def _activate_secrets_view(self) -> list[W.Widget]:
        rules = self.desk.rules
        digits = rules.passcode_digits
        self.password = self.field(_("Mật khẩu"), password=True)
        self.password_again = self.field(_("Nhập lại mật khẩu"), password=True)
        self.passcode = self.field(_("Passcode"), password=True,
                                   placeholder=_("{n} chữ số").format(n=digits), digits=digits)
        self.passcode_again = self.field(_("Nhập lại passcode"), password=True, digits=digits)
        return [
            self.step_title(_("Thiết lập mật khẩu và passcode") + " — "
                            + _("Bước {n}/{total}").format(n=3, total=3)),
            self._note(_("Mật khẩu dùng để đăng nhập: {low}–{high} ký tự, có chữ số, chữ viết "
                         "hoa, chữ viết thường và ký tự đặc biệt.").format(
                             low=rules.limit("password_min_length"),
                             high=rules.limit("password_max_length"))),
            self.password, self.password_again,
            self._note(_("Passcode gồm {n} chữ số, dùng để mở các tiện ích trong ứng dụng.")
                       .format(n=rules.passcode_digits)),
            self.passcode, self.passcode_again,
            self.wide(_("Hoàn tất kích hoạt"), self.finish_activation, "primary"),
            self._note(rules.text("skipped_steps")),
        ]

    def finish_activation(self) -> None:
        values = {name: getattr(self, name).value for name in
                  ("password", "password_again", "passcode", "passcode_again")}
        for name in values:
            getattr(self, name).value = ""
        try:
            account = self.desk.complete_activation(self.pending, device=self.device, **values)
        except InvalidInput as error:
            self.refused(error, mat_khau=self.password, nhap_lai_mat_khau=self.password_again,
                         passcode=self.passcode, nhap_lai_passcode=self.passcode_again)
            return
        self.pending = None
        self.code_notice = None
        self.warning = ""
        self.go("login")
        self.login_cccd.value = account.cccd
        self.ok(_("Kích hoạt thành công: {badge}. Hãy đăng nhập bằng số định danh và mật khẩu.")
                .format(badge=account.badge))

    # -- new phone -----------------------------------------------------------------------

    def _new_device_view(self) -> list[W.Widget]:
        self.sms = self.html(self._sms_html())
        self.device_code = self.field(_("Mã xác thực"), placeholder=_("6 chữ số"),
                                      digits=self.desk.rules.otp_digits)
        return [
            self.step_title(_("Đăng nhập trên thiết bị mới")),
            self.sms,
            self._note(self.desk.rules.text("new_device_help")),
            self.device_code,
            self.wide(_("Xác nhận"), self.confirm_device, "primary"),
            self.wide(_("Gửi lại mã"), self.resend_device_code),
            self.wide(_("Hủy"), self._cancel_device),
        ]

    def confirm_device(self) -> None:
        code = self.device_code.value
        self.device_code.value = ""
        try:
            account = self.desk.confirm_new_device(self.pending, code, device=self.device)
        except InvalidInput as error:
            self.refused(error, ma_otp=self.device_code)
            return
        self.pending = None
        self._enter(account)

    def resend_device_code(self) -> None:
        self.code_notice = self.desk.resend_new_device_code(self.pending, device=self.device)
        self.sms.value = self._sms_html()
        self.ok(_("Đã gửi mã mới; mã cũ không còn dùng được."))

    def _cancel_device(self) -> None:
        self.pending = None
        self.code_notice = None
        self.go("login")

    # -- home ----------------------------------------------------------------------------

    def _account(self) -> VneidAccount:
        assert self.cccd is not None
        return self.desk.account(self.cccd)

    def _home_view(self) -> list[W.Widget]:
        account = self._account()
        nav_items = (("home", _("Trang chủ")), ("wallet", _("Ví giấy tờ")),
                     ("services", _("Dịch vụ công")), ("notices", _("Thông báo")))
        level_cls = f"kns-level-{account.level}"
        card = self.html(
            '<div class="kns-card kns-vneid-id" role="group">'
            f'<div class="kns-muted">{esc(_("Tài khoản định danh điện tử"))}</div>'
            f'<div class="kns-vneid-name">{esc(account.profile.full_name)}</div>'
            f"<div>{esc(_('Số định danh cá nhân'))}: {esc(account.cccd)}</div>"
            f'<span class="kns-vneid-badge {level_cls}">{esc(account.badge)}</span>'
            "</div>")
        self.nav = {key: self.button(label, partial(self.go, "home", section=key),
                                     style="primary" if key == self.section else "",
                                     width="48%") for key, label in nav_items}
        nav = W.HBox([*self.nav.values()],
                     layout=W.Layout(flex_flow="row wrap", justify_content="space-between"))
        sections = {"home": self._home_section, "wallet": self._wallet_section,
                    "services": self._services_section, "notices": self._notices_section}
        return [self.step_title(dict(nav_items)[self.section]), card, nav,
                *sections[self.section](account), self.wide(_("Đăng xuất"), self.log_out)]

    def _home_section(self, account: VneidAccount) -> list[W.Widget]:
        rules = self.desk.rules
        count = len(self.desk.notifications(account.cccd))
        return [
            self._note(rules.text("level_differences")),
            self._note(_("Bạn có {n} thông báo. Điện thoại: {device}.").format(
                n=count, device=_device_label(self.device))),
        ]

    def log_out(self) -> None:
        if self.cccd:
            self.desk.logout(self.cccd)
        self.cccd = None
        self.unlocked = False
        self._drop_procedure()
        self.go("login")  # with nobody logged in, the saved place is forgotten
        self.info(_("Đã đăng xuất."))

    # -- passcode gate -------------------------------------------------------------------

    def _passcode_gate(self, purpose: str) -> list[W.Widget]:
        digits = self.desk.rules.passcode_digits
        self.gate = self.field(_("Passcode"), password=True,
                               placeholder=_("{n} chữ số").format(n=digits), digits=digits)
        return [self._note(_("Nhập passcode để mở tiện ích này."), ""), self.gate,
                self.wide(_("Mở"), lambda: self.unlock(purpose), "primary")]

    def unlock(self, purpose: str) -> None:
        code = self.gate.value
        self.gate.value = ""
        try:
            self.desk.check_passcode(self.cccd, code, purpose=purpose)
        except InvalidInput as error:
            account = self._account()
            if rules_.is_locked(account.locked_until, self.box.now()):
                self.cccd = None  # the app signs a locked account out
                self._drop_procedure()
                self.go("login")
                self.error(error.message)
                return
            self.refused(error, passcode=self.gate)
            return
        self.unlocked = True
        self.render()

    # -- wallet --------------------------------------------------------------------------

    def _wallet_section(self, account: VneidAccount) -> list[W.Widget]:
        if account.level < self.desk.rules.limit("wallet_min_level"):
            try:
                self.desk.wallet(account.cccd)  # refuses, and logs the refusal
            except InvalidInput as refusal:
                return [self._note(refusal.message, "kns-vneid-warn")]
        if not self.unlocked:
            return self._passcode_gate("wallet")
        cards = self.desk.wallet(account.cccd)
        return [self.html(self._card_html(card, self.desk.validity(card))) for card in cards]

    @staticmethod
    def _card_html(card: rules_.WalletCard | cards_.IdentityCard,
                   validity: cards_.Validity | None) -> str:
        rows = "".join(f"<tr><td>{esc(label)}</td><td><b>{esc(value)}</b></td></tr>"
                       for label, value in card.rows)
        source = card.source + ("" if card.verified else f" ({_('chưa kiểm chứng')})")
        status, advice, expired = "", "", ""
        if validity is not None:
            status = (f'<div class="kns-vneid-status kns-status-{validity.status.value}">'
                      f"{esc(validity.label)}</div>")
            if validity.advice:
                advice = f'<div class="kns-vneid-warn">{esc(validity.advice)}</div>'
            expired = " kns-vneid-expired" if validity.expired else ""
        # Where the data comes from is for the trainer: one tap away, not in the way.
        return (f'<div class="kns-card kns-vneid-doc kns-doc-{esc(card.kind)}{expired}" '
                f'role="group" aria-label="{esc(card.title)}">'
                f'<div style="font-weight:700">{esc(card.title)}</div>'
                f'<span class="kns-vneid-fake">{esc(_("Dữ liệu giả lập"))}</span>{status}'
                f"<table>{rows}</table>{advice}"
                + more("", _("Nguồn: {source}").format(source=source)) + "</div>")

    # -- public services -----------------------------------------------------------------

    def _services_section(self, account: VneidAccount) -> list[W.Widget]:
        if not self.unlocked:
            return self._passcode_gate("services")
        if self.chosen is not None:
            return self._confirm_form(account, self.chosen)
        children: list[W.Widget] = [self._note(_("Thủ tục nộp được trên {channel}:").format(
            channel=channel_name("vneid")), "")]
        self.procedure_buttons = {}
        for procedure in self.desk.procedures():
            need = _("cần định danh mức {level}").format(level=procedure.vneid_level)
            button = self.wide(f"{procedure.shown_name} ({need})",
                               partial(self.choose, procedure))
            self.procedure_buttons[procedure.code] = button
            children.append(button)
        dossiers = self.desk.dossiers(account.cccd)
        if dossiers:
            rows = "".join(
                f"<tr><td>{esc(d.code)}</td><td>{esc(self._procedure_name(d.procedure_code))}"
                f"</td><td>{esc(d.state.label)}</td></tr>" for d in reversed(dossiers))
            children.append(self.html(
                f'<p><b>{esc(_("Hồ sơ của tôi"))}</b></p>'
                f'<table class="kns-table kns-vneid-dossiers"><thead><tr>'
                f'<th scope="col">{esc(_("Mã hồ sơ"))}</th>'
                f'<th scope="col">{esc(_("Thủ tục"))}</th>'
                f'<th scope="col">{esc(_("Trạng thái"))}</th></tr></thead>'
                f"<tbody>{rows}</tbody></table>"))
        return children

    def _procedure_name(self, code: str) -> str:
        catalogue = self.desk.catalogue
        return catalogue[code].shown_name if code in catalogue else code

    def choose(self, procedure: Procedure) -> None:
        self.chosen = self.desk.check_procedure(self.cccd, procedure.code)
        self.handing_off = False
        self.typed, self.files = {}, {}
        self._save()
        self.render()
        self.info(_("Khai các ô, đính kèm giấy tờ rồi bấm «Nộp hồ sơ»."))

    def _drop_procedure(self) -> None:
        self.chosen = None
        self.handing_off = False
        self.typed, self.files = {}, {}

    def _confirm_form(self, account: VneidAccount, procedure: Procedure) -> list[W.Widget]:
        submission: Submission = self.desk.submission(procedure.code)
        if self.handing_off:
            return self._handoff_view(submission)
        profile = account.profile
        name = self.field(_("Họ và tên"), value=profile.full_name)
        number = self.field(_("Số định danh cá nhân (CCCD)"), value=account.cccd)
        name.disabled = number.disabled = True
        self.contact = self._remembered_text(CONTACT, self.field(
            _("Số điện thoại liên hệ"), value=self.typed.get(CONTACT, account.phone)))
        self.inputs: dict[str, W.Widget] = {CONTACT: self.contact}
        self.hints: dict[str, W.HTML] = {}
        children: list[W.Widget] = [
            self.step_title(procedure.shown_name),
            self._note(_("Thông tin người yêu cầu lấy từ tài khoản định danh điện tử.")),
            name, number,
            self._note(_("Ngày sinh: {day}").format(day=format_date(profile.birth_date)), ""),
            *self._with_hint(CONTACT, self.contact)]
        if submission.fields:
            children.append(self.html(f'<p><b>{esc(_("Thông tin cần khai"))}</b></p>'))
            for spec in submission.fields:
                children += self._with_hint(spec.key, self._box_for(spec))
        children += self._document_widgets(submission)
        children += [
            self.wide(_("Nộp hồ sơ"), self.submit, "success"),
            self._note(_("Muốn khai trên máy tính? Bạn có thể làm tiếp trên Cổng Dịch vụ công.")),
            self.wide(_("Tiếp tục trên Cổng Dịch vụ công"), self.hand_off),
            self.wide(_("Hủy"), self._cancel_submit),
        ]
        return children

    def _with_hint(self, key: str, widget: W.Widget) -> list[W.Widget]:
        """The box and, under it, the place its own problem is said after a refusal."""
        self.inputs[key] = widget
        self.hints[key] = self.html("")
        return [widget, self.hints[key]]

    def _remembered_text(self, key: str, widget: W.Text) -> W.Text:
        """A box whose value is kept in the draft when the learner leaves it."""
        widget.continuous_update = False  # one save per box, not per key
        widget.observe(self.guard(lambda change: self._keep(key, change["new"])), "value")
        return widget

    def _keep(self, key: str, value: Any) -> None:
        if value in (None, ""):
            self.typed.pop(key, None)
        else:
            self.typed[key] = str(value)
        self._save()

    def _box_for(self, spec: FormField) -> W.Widget:
        if spec.key in CHOICES:
            options = [(translate(label), code) for code, label in CHOICES[spec.key]]
            value = self.typed.get(spec.key)
            widget = self.pick(spec.shown_label, options,
                               value=value if value in dict(CHOICES[spec.key]) else None)
            widget.observe(self.guard(lambda change, key=spec.key: self._keep(
                key, change["new"])), "value")
            return widget
        return self._remembered_text(spec.key, self.field(
            spec.shown_label, value=self.typed.get(spec.key, ""),
            placeholder=spec.shown_placeholder))

    def _document_widgets(self, submission: Submission) -> list[W.Widget]:
        """What the app supplies itself, then a picker per document to attach."""
        children: list[W.Widget] = [self.html(f'<p><b>{esc(_("Giấy tờ đính kèm"))}</b></p>')]
        if submission.provided:
            items = "".join(f"<li>✓ {esc(doc.shown_name)}: {esc(how)}</li>"
                            for doc, how in submission.provided)
            children.append(self.html(f'<ul class="kns-vneid-doclist">{items}</ul>'))
        self.file_pickers: dict[str, W.Dropdown] = {}
        for doc in submission.documents:
            need = _("bắt buộc") if doc.required else _("nếu có")
            samples = samples_for(doc.code)
            chosen = self.files.get(doc.code)
            picker = self.pick(f"{doc.shown_name} ({need})",
                               [(sample.shown_title, sample.file) for sample in samples],
                               value=chosen if chosen in {x.file for x in samples} else None)
            picker.observe(self.guard(lambda change, code=doc.code: self._keep_file(
                code, change["new"])), "value")
            self.file_pickers[doc.code] = picker
            children += self._with_hint(doc.code, picker)
        if submission.documents:
            children.append(self._note(_("Ứng dụng thật chụp ảnh giấy tờ; khi tập dượt, chọn "
                                         "ảnh chụp mẫu.")))
        return children

    def _keep_file(self, code: str, file: str | None) -> None:
        if file:
            self.files[code] = file
        else:
            self.files.pop(code, None)
        self._save()

    def _attachments(self, submission: Submission) -> dict[str, Attachment]:
        found = {}
        for doc in submission.documents:
            file = self.files.get(doc.code)
            if file and file in {x.file for x in samples_for(doc.code)}:
                found[doc.code] = attach_sample(doc, file)
        return found

    def submit(self) -> None:
        if self.chosen is None:
            return  # a second tap after the dossier went in
        submission = self.desk.submission(self.chosen.code)
        for hint in self.hints.values():
            hint.value = ""
        try:
            dossier = self.desk.submit(self.cccd, self.chosen.code, phone=self.contact.value,
                                       form=self.typed, attachments=self._attachments(submission))
        except IncompleteSubmission as error:
            self._mark_incomplete(error)
            return
        except InvalidInput as error:
            self.refused(error, **{CONTACT: self.contact})
            return
        self._drop_procedure()
        self.last_dossier = dossier.code
        self._save()
        self.render()
        self.ok(_("Đã nộp hồ sơ. Mã hồ sơ: {code}. Theo dõi trạng thái ở mục «Thông báo».")
                .format(code=dossier.code))

    def _mark_incomplete(self, error: IncompleteSubmission) -> None:
        """One message naming every box to fix; each box marked, its own words under it,
        focus on the first."""
        marked = [key for key in error.errors if key in self.inputs]
        for key in marked:
            self.hints[key].value = (f'<div class="kns-vneid-hint kns-field-hint">'
                                     f"{esc(error.errors[key])}</div>")
        if not marked:
            self.error(error.message)
            return
        self.field_error(self.inputs[marked[0]], error.message)
        self.mark_invalid(*(self.inputs[key] for key in marked[1:]))

    def hand_off(self) -> None:
        assert self.chosen is not None
        self.desk.hand_off(self.cccd, self.chosen.code)
        self.handing_off = True
        self._save()
        self.render()

    def _handoff_view(self, submission: Submission) -> list[W.Widget]:
        procedure = submission.procedure
        boxes = "".join(f"<li>{esc(spec.shown_label)}</li>" for spec in submission.fields)
        bring = "".join(
            f"<li>{esc(doc.shown_name)}"
            f"{'' if doc.required else ' (' + esc(_('nếu có')) + ')'}</li>"
            for doc in submission.documents)
        link = "portal.ipynb?" + urlencode({"nguoi": self.box.actor})
        intro = _("Thủ tục «{name}» cũng nộp được trên Cổng Dịch vụ công. Đăng nhập Cổng "
                  "bằng tài khoản VNeID của bạn rồi tìm thủ tục này.").format(
                      name=procedure.shown_name)
        parts = [f"<p>{esc(intro)}</p>"]
        if boxes:
            parts.append(f"<p><b>{esc(_('Bạn sẽ khai'))}:</b></p>"
                         f'<ul class="kns-vneid-doclist">{boxes}</ul>')
        if bring:
            parts.append(f"<p><b>{esc(_('Chuẩn bị ảnh chụp hoặc bản quét của'))}:</b></p>"
                         f'<ul class="kns-vneid-doclist kns-vneid-bring">{bring}</ul>')
        parts.append(f'<p><a href="{esc(link)}" target="_blank" rel="noopener">'
                     f"{esc(_('Mở Cổng Dịch vụ công (tập dượt)'))}</a></p>")
        return [self.step_title(_("Tiếp tục trên Cổng Dịch vụ công")),
                self.html('<div class="kns-card kns-vneid-handoff">' + "".join(parts)
                          + "</div>"),
                self.wide(_("Quay lại khai trên VNeID"), self._back_to_form, "primary"),
                self.wide(_("Về danh sách thủ tục"), self._cancel_submit)]

    def _back_to_form(self) -> None:
        self.handing_off = False
        self._save()
        self.render()

    def _cancel_submit(self) -> None:
        self._drop_procedure()
        self._save()
        self.render()

    # -- notifications -------------------------------------------------------------------

    def _notices_section(self, account: VneidAccount) -> list[W.Widget]:
        notices = self.desk.notifications(account.cccd)
        if not notices:
            return [self._note(_("Chưa có thông báo."))]
        items = "".join(
            f'<div class="kns-vneid-notice kns-notice-{esc(n.kind.value)}">'
            f'<div class="kns-muted">{esc(n.kind.label)} · {n.at:%H:%M %d/%m/%Y}</div>'
            f"<b>{esc(n.title)}</b><div>{esc(n.text)}</div></div>" for n in notices)
        return [self.html(f'<div role="list" class="kns-vneid-notices">{items}</div>')]

    # -- police desk (trainer / official) ------------------------------------------------

    def _police_desk(self) -> list[W.Widget]:
        self.police_cccd = self.field(_("Số định danh cần nâng mức"), placeholder=_("12 chữ số"),
                                      digits=CCCD_DIGITS)
        return [
            self.html("<hr>"),
            self.step_title(_("Mô phỏng: công an thu nhận sinh trắc học")),
            self._note(_("Chỉ giảng viên hoặc cán bộ đóng vai công an thấy phần này.")),
            self.police_cccd,
            self.wide(_("Ghi nhận định danh mức 2"), self.enrol_level2, "warning"),
        ]

    def enrol_level2(self) -> None:
        try:
            changed = self.desk.upgrade_level2(self.police_cccd.value)
        except InvalidInput as error:
            self.refused(error, cccd=self.police_cccd)
            return
        self.ok(_("Đã ghi nhận định danh mức 2 cho số {cccd} ({n} tài khoản được nâng mức).")
                .format(cccd=self.police_cccd.value.strip(), n=changed))


def vneid_app() -> Screen:
    """Entry point for apps/vneid.ipynb (``open_box`` waits for a preheated page's URL)."""
    return launch(VneidScreen, role="trainee")
