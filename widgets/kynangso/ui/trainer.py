"""The trainer's control panel (apps/trainer.ipynb): the class list, each learner's links
and QR codes, their progress, and the controls over the practice world.

The role is checked before the screen opens (ui/session.py asks for the class code); a
page opened with another role shows only a short refusal. The rules live in
``sandbox/classroom.py``; this screen asks for a confirmation before anything is deleted
and says where the backup of a class reset was written.
"""

from __future__ import annotations

import base64
import socket
from functools import partial
from typing import TYPE_CHECKING
from urllib.parse import quote

import ipywidgets as W

from ..domain.identity import format_date
from ..errors import InvalidInput, KnsError
from ..i18n import N_, _, nfc, translate
from ..sandbox import classroom
from ..sandbox.store import ROLES
from .base import Screen, esc, table
from .session import actor_for, launch

if TYPE_CHECKING:
    from ..sandbox.store import Sandbox
    from .gate import Gate

SCREEN_ID = "trainer"
CONFIRM_WORD = "XÓA"
# The apps each role practises in, as the links a trainer hands out.
TRAINEE_APPS = (("portal", N_("Cổng Dịch vụ công")), ("vneid", N_("VNeID")),
                ("wallet", N_("Ứng dụng thanh toán")), ("trader", N_("Quầy hàng nhận tiền QR")),
                ("kiosk", N_("Lấy số thứ tự")))
OFFICIAL_APPS = (("backoffice", N_("Phần mềm một cửa")), ("counter", N_("Màn hình gọi số")))
CASE_LABELS = {
    "early": N_("giải quyết trước hạn"), "on_time": N_("giải quyết đúng hạn"),
    "late": N_("giải quyết quá hạn"), "overdue": N_("quá hạn chưa giải quyết"),
    "supplement_done": N_("đã bổ sung rồi giải quyết"),
    "supplement_waiting": N_("đang chờ người nộp bổ sung"),
    "in_time": N_("đang xử lý, còn hạn"), "waiting": N_("chờ tiếp nhận"),
}
_WEEKDAYS = (N_("Thứ Hai"), N_("Thứ Ba"), N_("Thứ Tư"), N_("Thứ Năm"), N_("Thứ Sáu"),
             N_("Thứ Bảy"), N_("Chủ nhật"))

CSS = """
<style>
.kns-app-trainer h2.kns-step { margin-top: 18px; }
.kns-tr-links { display: flex; flex-wrap: wrap; gap: 12px; }
.kns-tr-link { flex: 0 1 200px; border: 1px solid #c8c8c8; border-radius: 8px; padding: 8px;
  text-align: center; }
.kns-tr-link img { width: 150px; height: 150px; image-rendering: pixelated; background: #fff; }
.kns-tr-url { font-family: "DejaVu Sans Mono", monospace; font-size: 0.9em;
  overflow-wrap: anywhere; }
.kns-tr-warning { border-left: 5px solid #b3261e; padding: 4px 10px; margin: 6px 0; }
.kns-contrast .kns-tr-link { border-color: #ffffff; }
</style>
"""


def default_base_url(ip: str, port: str) -> str:
    """The address learners type: this machine's LAN address when the server listens on
    every interface, else the one it listens on."""
    host = ip or "127.0.0.1"
    if host in ("0.0.0.0", "::", "*"):
        host = "127.0.0.1"
        try:
            # Connecting a UDP socket sends nothing; it only picks the outgoing interface.
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
                probe.connect(("10.255.255.255", 1))
                host = probe.getsockname()[0]
        except OSError:
            pass
    return f"http://{host}:{port}"


def app_links(base: str, learner: classroom.Learner) -> list[tuple[str, str]]:
    """(app label, address) of every app the learner's role practises in."""
    apps = OFFICIAL_APPS if learner.role == "official" else TRAINEE_APPS
    query = f"nguoi={quote(learner.actor)}"
    if learner.role == "official":
        query += "&vai=official"
    root = base.rstrip("/")
    return [(translate(label), f"{root}/voila/render/{app}.ipynb?{query}")
            for app, label in apps]


def qr_image(url: str, alt: str) -> str:
    """An <img> of a QR code for ``url`` (a data URI: the page asks no server for it)."""
    from ..domain.qrimage import qr_png

    data = base64.b64encode(qr_png(url, scale=4, border=2)).decode("ascii")
    return f'<img src="data:image/png;base64,{data}" alt="{esc(alt)}">'


def vneid_text(status: classroom.LearnerStatus) -> str:
    if not status.vneid:
        return _("Chưa kích hoạt")
    parts = []
    for account in status.vneid:
        state = (_("mức {level}").format(level=account.level) if account.active
                 else _("đang kích hoạt"))
        if account.locked:
            state += ", " + _("đang bị khóa tạm")
        parts.append(f"{account.cccd}: {state}")
    return "; ".join(parts)


def wallet_text(status: classroom.LearnerStatus) -> str:
    if not status.wallets:
        return _("Chưa mở")
    locked = sum(1 for w in status.wallets if w.locked)
    text = _("{n} tài khoản").format(n=len(status.wallets))
    if locked:
        text += " — " + _("{n} bị khóa").format(n=locked)
    return text


class TrainerScreen(Screen):
    """The class list, links for phones, learners' progress and the trainer's controls."""

    title = N_("Bảng điều khiển giảng viên")
    frame = "desktop"
    screen_id = SCREEN_ID

    def __init__(self, box: Sandbox):
        self.selected: str | None = None  # the learner whose panel is open (kept on re-render)
        self._filling = False
        self.statuses: list[classroom.LearnerStatus] = []
        super().__init__(box)

    # -- building --------------------------------------------------------------------

    def render(self) -> None:
        self.clear()
        if self.box.role != "trainer":
            self._refuse_role()
            return
        self.clock = W.HTML()
        self.refresh_button = self.button(_("Làm mới"), self.refresh, style="info")
        toolbar = W.HBox([self.clock, self.refresh_button],
                         layout=W.Layout(flex_flow="row wrap", align_items="center",
                                         justify_content="space-between"))
        self.show(self.html(CSS), self.step_title(_("Lớp học hôm nay")), toolbar,
                  *self._roster_section(), *self._learner_section(), *self._clock_section(),
                  *self._seed_section(), *self._world_section())
        self.refresh_all()

    def _heading(self, text: str) -> W.HTML:
        return self.html(f'<h2 class="kns-step">{esc(text)}</h2>')

    def _refuse_role(self) -> None:
        role = self.box.role
        self.show()
        self.error(_("Chỉ giảng viên mới dùng được màn hình này; bạn đang mở với vai «{role}». "
                     "Giảng viên mở bằng mã lớp in ra khi chạy make apps.").format(
                         role=translate(ROLES.get(role, role))))
        self.box.record("trainer.wrong_role", None, role=role)

    def _roster_section(self) -> list[W.Widget]:
        self.names = W.Textarea(
            description=_("Tên học viên (mỗi dòng một tên)"),
            placeholder=_("Ví dụ:\nNguyễn Thị Lan\nTrần Văn Bình"),
            style={"description_width": "initial"}, layout=W.Layout(width="98%", height="110px"))
        self.new_role = W.ToggleButtons(
            options=[(translate(ROLES["trainee"]), "trainee"),
                     (translate(ROLES["official"]), "official")],
            value="trainee", description=_("Vai"), style={"description_width": "initial"})
        self.add_button = self.button(_("Thêm vào danh sách lớp"), self.add_learners,
                                      style="primary", width="auto")
        self.roster_note = W.HTML()
        self.status_table = W.HTML()
        self.status_table.add_class("kns-tr-status")
        return [self._heading(_("Danh sách lớp")), self.roster_note, self.names,
                W.HBox([self.new_role, self.add_button],
                       layout=W.Layout(flex_flow="row wrap", align_items="center")),
                self.status_table]

    def _learner_section(self) -> list[W.Widget]:
        self.picker = self.choice(_("Chọn học viên"), [], width="640px")
        self.picker.observe(self.guard(self._picked), "value")
        self.base = self.text(_("Địa chỉ máy chủ cho học viên"), width="640px",
                              value=self._saved_base())
        self.base.continuous_update = False  # redraw the QR codes once, not per keystroke
        self.base.observe(self.guard(self._base_changed), "value")
        self.learner_panel = W.VBox()
        self.learner_panel.add_class("kns-tr-learner")
        return [self._heading(_("Đường dẫn và thao tác cho từng học viên")),
                self.html('<p class="kns-muted">' + esc(_(
                    "Mỗi học viên mở ứng dụng bằng đường dẫn riêng (có ?nguoi=…): quét mã QR "
                    "bằng điện thoại hoặc gõ đường dẫn.")) + "</p>"),
                self.base, self.picker, self.learner_panel]

    def _clock_section(self) -> list[W.Widget]:
        self.hour_button = self.button(_("Tiến 1 giờ"), lambda: self.advance(hours=1),
                                       width="auto")
        self.day_button = self.button(_("Tiến 1 ngày"), lambda: self.advance(days=1),
                                      width="auto")
        self.week_button = self.button(_("Tiến 7 ngày"), lambda: self.advance(days=7),
                                       width="auto")
        self.days = self.numeric(self.text(_("Số ngày"), width="200px"), 3)
        self.days_button = self.button(_("Tiến số ngày đã nhập"), self.advance_typed,
                                       width="auto")
        return [self._heading(_("Đồng hồ giả lập")),
                self.html('<p class="kns-muted">' + esc(_(
                    "Cho thời gian trôi để thấy hồ sơ đến hạn, quá hạn, mã OTP hết hạn. Đồng hồ "
                    "chỉ tiến, không lùi.")) + "</p>"),
                W.HBox([self.hour_button, self.day_button, self.week_button],
                       layout=W.Layout(flex_flow="row wrap")),
                W.HBox([self.days, self.days_button],
                       layout=W.Layout(flex_flow="row wrap", align_items="center"))]

    def _seed_section(self) -> list[W.Widget]:
        self.seed_button = self.button(_("Tạo hồ sơ mẫu phường Trúc Lâm"), self.seed,
                                       style="primary", width="auto")
        return [self._heading(_("Hồ sơ mẫu cho cán bộ xử lý")),
                self.html('<p class="kns-muted">' + esc(_(
                    "Thêm khoảng 40 hồ sơ giả lập tiếp nhận trong mấy tuần qua: trước hạn, đúng "
                    "hạn, quá hạn, đang chờ bổ sung, chờ tiếp nhận. Cán bộ xử lý tiếp trong "
                    "Phần mềm một cửa.")) + "</p>"),
                W.HBox([self.seed_button])]

    def _world_section(self) -> list[W.Widget]:
        self.world_confirm = self.text(
            _("Gõ chữ {word} để xác nhận").format(word=CONFIRM_WORD), width="360px")
        self.world_button = self.button(_("Làm mới dữ liệu cả lớp"), self.reset_world,
                                        style="danger", width="auto")
        self.backup_note = W.HTML()
        return [self._heading(_("Làm mới cả lớp")),
                self.html('<div class="kns-tr-warning">' + esc(_(
                    "Xóa toàn bộ hồ sơ, tài khoản VNeID, ví, quầy hàng và nhật ký của cả lớp "
                    "để bắt đầu buổi mới. Dữ liệu cũ được sao lưu trước vào thư mục sao-luu "
                    "cạnh kho dữ liệu. Danh sách lớp vẫn giữ.")) + "</div>"),
                W.HBox([self.world_confirm, self.world_button],
                       layout=W.Layout(flex_flow="row wrap", align_items="center")),
                self.backup_note]

    # -- reading ---------------------------------------------------------------------

    def _saved_base(self) -> str:
        from .. import settings

        saved = self.box.drafts.load(SCREEN_ID).get("base")
        if isinstance(saved, str) and saved.strip():
            return saved
        env = settings.current()
        return default_base_url(env.voila_app_ip, env.voila_app_port)

    def _base_changed(self, _change: dict) -> None:
        self.box.drafts.save(SCREEN_ID, {"base": self.base.value.strip()})
        self._show_learner()

    def refresh(self) -> None:
        self.refresh_all()
        self.info(_("Đã cập nhật lúc {time}.").format(time=f"{self.box.now():%H:%M %d/%m/%Y}"))

    def refresh_all(self) -> None:
        now = self.box.now()
        day = translate(_WEEKDAYS[now.weekday()])
        self.clock.value = (f'<div class="kns-tr-clock"><b>{esc(_("Giờ giả lập"))}:</b> '
                            f"{esc(day)} {esc(format_date(now.date()))} {now:%H:%M}</div>")
        try:
            self.statuses = classroom.class_list(self.box)
            problem = ""
        except KnsError as error:  # a class list being edited by hand: say which row
            self.statuses, problem = [], str(error)
        path = classroom.class_roster(self.box)
        note = _("Danh sách lớp lưu ở tệp {file}.").format(file=path)
        self.roster_note.value = '<p class="kns-muted">' + esc(note) + "</p>"
        if problem:
            self.roster_note.value += f'<p class="kns-msg-error">{esc(problem)}</p>'
        if self.statuses:
            rows = [(s.learner.name, s.learner.actor, translate(ROLES[s.learner.role])
                     + ("" if s.on_roster else " " + _("(tự nhập tên, chưa có trong danh sách)")),
                     vneid_text(s), wallet_text(s), s.dossiers) for s in self.statuses]
            self.status_table.value = table(
                [_("Họ tên"), _("Mã người học"), _("Vai"), _("VNeID"), _("Ví"), _("Hồ sơ")],
                rows)
        else:
            self.status_table.value = '<p class="kns-muted">' + esc(_(
                "Chưa có học viên nào. Nhập tên ở trên rồi bấm «Thêm vào danh sách lớp».")) \
                + "</p>"
        options = [(f"{s.learner.name} — {s.learner.actor}", s.learner.actor)
                   for s in self.statuses]
        keep = self.selected if self.selected in [a for _l, a in options] else None
        self._filling = True  # new options are no choice of the trainer's
        try:
            self.picker.options = [(_("Chưa chọn"), None), *options]
            self.picker.value = keep
        finally:
            self._filling = False
        self.selected = keep
        self._show_learner()

    def _status(self, actor: str | None) -> classroom.LearnerStatus | None:
        return next((s for s in self.statuses if s.learner.actor == actor), None)

    # -- one learner -----------------------------------------------------------------

    def _picked(self, change: dict) -> None:
        if self._filling:
            return
        self.selected = change["new"]
        self.clear()
        self._show_learner()

    def _show_learner(self) -> None:
        status = self._status(self.selected)
        if status is None:
            self.learner_panel.children = ()
            return
        learner = status.learner
        base = self.base.value.strip()
        cards = []
        for label, url in app_links(base, learner) if base else []:
            alt = _("Mã QR mở {app} cho {name}").format(app=label, name=learner.name)
            cards.append(f'<div class="kns-tr-link"><div><b>{esc(label)}</b></div>'
                         f"{qr_image(url, alt)}"
                         f'<div class="kns-tr-url">{esc(url)}</div></div>')
        links = self.html(
            f"<h3>{esc(_('Đường dẫn của {name}').format(name=learner.name))}</h3>"
            + (f'<div class="kns-tr-links">{"".join(cards)}</div>' if cards else
               '<p class="kns-muted">' + esc(_("Nhập địa chỉ máy chủ để có đường dẫn.")) + "</p>"))
        links.add_class("kns-tr-link-cards")
        parts: list[W.Widget] = [links, self.html(f"<h3>{esc(_('VNeID'))}</h3>")]
        for account in status.vneid:
            text = f"{account.cccd}: " + (_("mức {level}").format(level=account.level)
                                          if account.active else _("đang kích hoạt"))
            row: list[W.Widget] = [self.html(esc(text))]
            if account.level < 2:
                row.append(self.button(
                    _("Ghi nhận định danh mức 2"),
                    partial(self.grant_level2, account.cccd), width="auto",
                    tooltip=_("Thay cho bước làm tại công an: thu nhận ảnh chân dung, vân tay")))
            parts.append(W.HBox(row, layout=W.Layout(flex_flow="row wrap",
                                                     align_items="center")))
        if not status.vneid:
            parts.append(self.html('<p class="kns-muted">' + esc(_(
                "Học viên chưa kích hoạt tài khoản VNeID nào.")) + "</p>"))
        self.cccd = self.numeric(self.text(_("Hoặc nhập số CCCD giả lập"), width="360px"), 12)
        self.cccd_button = self.button(_("Ghi nhận mức 2 cho số này"), self.grant_typed,
                                       width="auto")
        parts.append(W.HBox([self.cccd, self.cccd_button],
                            layout=W.Layout(flex_flow="row wrap", align_items="center")))
        parts.append(self.html(f"<h3>{esc(_('Ví'))}</h3>"))
        for wallet in status.wallets:
            state = _("BỊ KHÓA") if wallet.locked else _("đang dùng được")
            row = [self.html(esc(f"{wallet.holder_name} — {wallet.id} ({wallet.app}): "
                                 f"{state}"))]
            if wallet.locked:
                row.append(self.button(_("Mở khóa ví"),
                                       partial(self.unlock, wallet.id),
                                       style="warning", width="auto"))
            parts.append(W.HBox(row, layout=W.Layout(flex_flow="row wrap",
                                                     align_items="center")))
        if not status.wallets:
            parts.append(self.html('<p class="kns-muted">' + esc(_(
                "Học viên chưa mở tài khoản ví nào.")) + "</p>"))
        parts.append(self.html(f"<h3>{esc(_('Dữ liệu tập dượt'))}</h3>"))
        parts.append(self.html('<p class="kns-muted">' + esc(_(
            "{n} hồ sơ. Xóa dữ liệu tập dượt: hồ sơ, tài khoản VNeID, ví, quầy hàng, câu trả "
            "lời của riêng học viên này; nhật ký vẫn giữ.").format(n=status.dossiers)) + "</p>"))
        self.reset_button = self.button(_("Xóa dữ liệu tập dượt của học viên này"),
                                        self.ask_reset_learner, style="danger", width="auto")
        self.confirm_box = W.HBox(layout=W.Layout(flex_flow="row wrap", align_items="center"))
        row = [self.reset_button]
        if status.on_roster:
            self.remove_button = self.button(_("Bỏ khỏi danh sách lớp"), self.remove_learner,
                                             width="auto")
            row.append(self.remove_button)
        parts += [W.HBox(row, layout=W.Layout(flex_flow="row wrap")), self.confirm_box]
        self.learner_panel.children = tuple(parts)

    def _learner(self) -> classroom.LearnerStatus | None:
        """The learner picked; None (and the picker marked) when there is none."""
        status = self._status(self.selected)
        if status is None:
            self.field_error(self.picker, _("Chưa chọn học viên"))
        return status

    # -- actions ---------------------------------------------------------------------

    def add_learners(self) -> None:
        text = nfc(self.names.value)
        try:
            added = classroom.add_learners(self.box, text, self.new_role.value, actor_for)
        except InvalidInput as error:
            self.field_error(self.names, error.message)
            return
        self.names.value = ""
        self.refresh_all()
        self.ok(_("Đã thêm {n} học viên: {names}.").format(
            n=len(added), names=", ".join(f"{a.name} ({a.actor})" for a in added)))

    def remove_learner(self) -> None:
        status = self._learner()
        if status is None:
            return
        classroom.remove_learner(self.box, status.learner.actor)
        self.selected = None
        self.refresh_all()
        self.ok(_("Đã bỏ {name} khỏi danh sách lớp; dữ liệu tập dượt vẫn còn.").format(
            name=status.learner.name))

    def grant_level2(self, cccd: str) -> None:
        status = self._learner()
        if status is None:
            return
        changed = classroom.grant_level2(self.box, cccd, learner=status.learner.actor)
        self.refresh_all()
        self.ok(_("Đã ghi nhận định danh mức 2 cho số {cccd} ({n} tài khoản được nâng mức).")
                .format(cccd=cccd, n=changed))

    def grant_typed(self) -> None:
        status = self._learner()
        if status is None:
            return
        number = self.cccd.value.strip()
        try:
            changed = classroom.grant_level2(self.box, number, learner=status.learner.actor)
        except InvalidInput as error:
            self.field_error(self.cccd, error.message)
            return
        self.refresh_all()
        self.ok(_("Đã ghi nhận định danh mức 2 cho số {cccd} ({n} tài khoản được nâng mức).")
                .format(cccd=number, n=changed))

    def unlock(self, account_id: str) -> None:
        account = classroom.unlock_wallet(self.box, account_id)
        self.refresh_all()
        self.ok(_("Đã mở khóa tài khoản {id}; số lần nhập sai mã PIN về 0.").format(
            id=account.id))

    def ask_reset_learner(self) -> None:
        status = self._learner()
        if status is None:
            return
        confirm = self.button(_("Xác nhận xóa"), self.reset_learner, style="danger",
                              width="auto")
        cancel = self.button(_("Hủy"), self._cancel_reset, width="auto")
        question = self.html("<b>" + esc(_("Xóa hết dữ liệu tập dượt của {name}?").format(
            name=status.learner.name)) + "</b>")
        self.confirm_box.children = (question, confirm, cancel)
        self.info(_("Bấm «Xác nhận xóa» để xóa, hoặc «Hủy» để giữ nguyên."))

    def _cancel_reset(self) -> None:
        self.confirm_box.children = ()
        self.info(_("Đã hủy, dữ liệu vẫn giữ nguyên."))

    def reset_learner(self) -> None:
        status = self._learner()
        if status is None:
            return
        rows = classroom.reset_learner(self.box, status.learner.actor)
        self.refresh_all()
        self.ok(_("Đã xóa dữ liệu tập dượt của {name} ({n} dòng). Nhật ký vẫn giữ.").format(
            name=status.learner.name, n=sum(rows.values())))

    def advance(self, *, days: int = 0, hours: int = 0) -> None:
        moment = self.box.advance_clock(days=days, hours=hours)
        self.refresh_all()
        self.ok(_("Đồng hồ giả lập đã tiến tới {time}.").format(
            time=f"{moment:%H:%M} {format_date(moment.date())}"))

    def advance_typed(self) -> None:
        text = self.days.value.strip()
        if not text.isdigit() or not 1 <= int(text) <= 365:
            self.field_error(self.days, _("Số ngày phải là số nguyên từ 1 đến 365"))
            return
        self.advance(days=int(text))
        self.days.value = ""

    def seed(self) -> None:
        self.info(_("Đang tạo hồ sơ mẫu…"))
        report = classroom.seed_world(self.box)
        self.refresh_all()
        cases = ", ".join(f"{n} {translate(CASE_LABELS[case])}"
                          for case, n in report.cases.items() if case in CASE_LABELS)
        self.ok(_("Đã tạo {n} hồ sơ mẫu: {cases}. Cán bộ xem trong Phần mềm một cửa.").format(
            n=len(report.codes), cases=cases))

    def reset_world(self) -> None:
        typed = nfc(self.world_confirm.value).strip().upper()
        if typed != CONFIRM_WORD:
            self.field_error(self.world_confirm, _(
                "Chưa xác nhận: gõ đúng chữ {word} vào ô rồi bấm lại").format(word=CONFIRM_WORD))
            return
        backup = classroom.reset_world(self.box)
        self.world_confirm.value = ""
        self.selected = None
        self.refresh_all()
        note = _("Bản sao lưu dữ liệu cũ: {path}").format(path=backup)
        self.backup_note.value = f'<p class="kns-tr-backup">{esc(note)}</p>'
        self.ok(_("Đã làm mới dữ liệu cả lớp. Dữ liệu cũ đã sao lưu vào {path}.").format(
            path=backup))


def trainer_app() -> Screen | Gate:
    """Entry point for apps/trainer.ipynb: the class code is asked first (ui/session.py)."""
    return launch(TrainerScreen, role="trainer")
