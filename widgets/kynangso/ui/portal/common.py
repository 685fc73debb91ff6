"""What every step of the portal shares: the screen's plumbing, its draft and its styles.

``PortalBase`` keeps the state of one resident's visit (the view shown, the VNeID account
logged in, the draft form, the dossier open) and draws the current view; each step module
adds its views as a mixin, and ``screen.PortalScreen`` joins them.

The visit survives a reload: every drawn view and every typed box is saved with
``box.drafts`` (screen id "portal") and read back when the page opens again. Fees and
deadlines read in plain words on these resident screens; their sources and any "chưa kiểm
chứng" sit one tap away (``base.more``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import ipywidgets as W

from ...domain.attachments import Attachment
from ...domain.birth import Timing, birth_timing
from ...domain.catalogue import Procedure, unverified_label
from ...domain.dossier import Dossier, State
from ...domain.forms import validate_form
from ...domain.identity import format_date, parse_date
from ...errors import InvalidInput, KnsError
from ...i18n import _
from ...sandbox import fees
from ..base import Screen, esc, more

if TYPE_CHECKING:
    from ...sandbox.store import Sandbox
    from ...sandbox.vneid import VneidAccount

log = logging.getLogger("kynangso.ui.portal")

CHANNEL = "cong-dvc"
# The ward's practice collection account; the wallet app credits it when a fee is paid.
COLLECTION_OWNER = fees.COLLECTOR
COLLECTION_APP = "ngan-hang"
PAYABLE_STATES = frozenset(State) - {State.REJECTED, State.WITHDRAWN}
# Which tab of the top bar is lit for each view ("login": the tab the login leads to).
NAV_TAB = {"search": "search", "procedure": "search", "form": "search",
           "documents": "search", "confirm": "search", "done": "mine",
           "mine": "mine", "dossier": "mine", "feedback": "feedback", "login": ""}
# Views that need the VNeID login, as on the real portal (the procedures stay public).
LOGIN_VIEWS = frozenset({"form", "documents", "confirm", "done", "mine", "dossier",
                         "feedback"})
DRAFT_VIEWS = ("form", "documents", "confirm")
# The applicant's boxes the VNeID account fills (read-only: the national population
# database's data); the phone number stays editable.
VNEID_KEYS = ("ho_ten", "cccd", "ngay_sinh", "gioi_tinh", "dia_chi")
# Procedures registered within a time after an event: the form box holding the event's day.
# Luật Hộ tịch 2014, Điều 15: birth registration within 60 days (domain/birth.py).
WINDOW_FIELDS = {"khai-sinh": "ngay_sinh_tre"}
DRAFT_VERSION = 1

CSS = """<style>
.kns-app-portal .kns-field { flex-wrap: wrap; height: auto !important; }
.kns-app-portal .kns-field > .widget-label { width: 100% !important; max-width: 100%;
  white-space: normal; margin-bottom: 2px; font-weight: 600; text-align: left; height: auto;
  line-height: 1.3; }
.kns-app-portal .widget-html-content { line-height: 1.45; }
.kns-app-portal .kns-field > input, .kns-app-portal .kns-field > select,
.kns-app-portal .kns-field > textarea { flex: 1 1 100%; min-width: 0; }
.kns-app-portal .kns-field > select { min-height: 34px; }
.kns-app-portal .kns-field > textarea { min-height: 90px; }
.kns-app-portal .kns-wrap.widget-button { white-space: normal; height: auto; min-height: 44px;
  line-height: 1.3; padding: 6px 10px; overflow: visible; }
.kns-app-portal .kns-result.widget-button { text-align: left; }
.kns-app-portal .kns-field-error { color: #b3261e; font-size: .92em; margin: 0 0 6px 0; }
.kns-app-portal .kns-code { font-size: 1.45em; font-weight: 800; color: var(--kns-accent);
  word-break: break-all; }
.kns-app-portal .kns-qr img { width: 100%; height: auto; display: block; }
.kns-app-portal .kns-payload { font-family: "DejaVu Sans Mono", monospace; font-size: .78em;
  word-break: break-all; white-space: pre-wrap; user-select: all; background: #f2f2f2;
  padding: 6px; border-radius: 4px; }
.kns-app-portal a.kns-link-button { display: inline-block; background: #0b5394;
  color: #ffffff; padding: 10px 14px; border-radius: 6px; text-decoration: none;
  font-weight: 600; margin: 6px 0; }
.kns-app-portal .kns-state { display: inline-block; padding: 1px 8px; border-radius: 10px;
  background: #e8f0fe; color: #0b2a4a; font-weight: 600; }
.kns-app-portal .kns-ok { color: #137333; font-weight: 600; }
.kns-app-portal .kns-missing { color: #b3261e; font-weight: 600; }
.kns-app-portal pre.kns-slip { white-space: pre-wrap; font-family: inherit;
  background: #fff8e1; border: 1px dashed #9a5b00; padding: 8px; }
.kns-app-portal .kns-card ul { margin: 2px 0 2px 18px; padding: 0; }
.kns-app-portal .kns-nav .widget-button { flex: 1 1 auto; }
.kns-app-portal .widget-hbox { gap: 4px; }
.kns-app-portal .kns-pledge, .kns-app-portal .kns-pledge label { height: auto; }
.kns-app-portal .kns-pledge label { align-items: flex-start; line-height: 1.35; }
.kns-app-portal .kns-pledge span { white-space: normal; overflow: visible; font-weight: 600; }
.kns-contrast .kns-payload, .kns-contrast pre.kns-slip { background: #222222; color: #ffffff; }
.kns-contrast .kns-state { background: #333333; color: #ffd400; }
.kns-contrast .kns-field-error, .kns-contrast .kns-missing { color: #ff8a80; }
.kns-contrast .kns-ok { color: #8ef0a6; }
.kns-app-portal .kns-account { display: flex; flex-wrap: wrap; align-items: center; gap: 6px; }
/* Filled from VNeID, read-only: still easy to read (a disabled box is greyed by default). */
.kns-app-portal .kns-from-vneid input, .kns-app-portal .kns-from-vneid select,
.kns-app-portal .kns-from-vneid input:disabled, .kns-app-portal .kns-from-vneid select:disabled {
  background: #eef3f8; color: #1b1b1b; -webkit-text-fill-color: #1b1b1b; opacity: 1; }
.kns-app-portal .kns-from-vneid, .kns-app-portal .kns-from-vneid label { opacity: 1; }
.kns-app-portal .kns-vneid-note { background: #e8f0fe; border-left: 5px solid #0b5394;
  padding: 6px 10px; border-radius: 4px; margin: 4px 0; }
.kns-app-portal .kns-timing { margin: 2px 0 8px 0; }
.kns-app-portal .kns-late-note { color: #8a4b00; font-weight: 600; }
.kns-contrast .kns-from-vneid input, .kns-contrast .kns-from-vneid select,
.kns-contrast .kns-from-vneid input:disabled, .kns-contrast .kns-from-vneid select:disabled {
  background: #1a1a1a; color: #ffffff; -webkit-text-fill-color: #ffffff; }
.kns-contrast .kns-vneid-note { background: #000000; color: #ffffff; border-color: #ffd400; }
.kns-contrast .kns-late-note { color: #ffd400; }
</style>"""


@dataclass(frozen=True)
class Draft:
    """What the resident has typed and attached so far (nothing is saved until submitted)."""

    procedure_code: str
    values: Mapping[str, str] = field(default_factory=dict)
    attachments: Mapping[str, Attachment] = field(default_factory=dict)
    clean: Mapping[str, Any] = field(default_factory=dict)  # values after the checks

    __hash__ = None  # type: ignore[assignment]  # dict fields: compare drafts, never hash


def muted(text: str) -> str:
    return f'<div class="kns-muted">{esc(text)}</div>'


def officer_says() -> str:
    return _("Lệ phí do cán bộ báo khi tiếp nhận")


def fee_text(procedure: Procedure) -> str:
    """The fee rule in one line; an unknown fee reads "chưa kiểm chứng", never a figure."""
    if procedure.fee.kind == "unverified":
        return unverified_label()
    return procedure.fee.describe()


def time_text(procedure: Procedure) -> str:
    if procedure.time.kind == "unverified":
        return unverified_label()
    return procedure.time.describe()


def pays_by_qr(procedure: Procedure) -> bool:
    """True when a dossier filed on the portal carries a fee the ward charges: a verified,
    non-zero amount (the sandbox stores no unverified figure, so no QR for it). The "done"
    page then shows the fee's QR code; the procedure sheet says so beforehand."""
    fee = procedure.fee
    return fee.verified and fee.kind in ("fixed", "per_page")


def fee_plain(procedure: Procedure) -> str:
    """The fee in a resident's words: a checked figure, "free", or the officer says it."""
    fee = procedure.fee
    if fee.kind == "free" and fee.verified:
        return _("Miễn phí")
    if fee.kind == "free_when":
        return _("Miễn phí khi đăng ký đúng hạn; quá hạn thì lệ phí do cán bộ báo khi tiếp "
                 "nhận")
    if pays_by_qr(procedure):
        return fee.describe()
    return officer_says()


def fee_details(procedure: Procedure) -> str:
    """The fee rule as the catalogue states it (with any "chưa kiểm chứng") and its source."""
    return _("Theo danh mục: {rule}. Nguồn: {source}").format(
        rule=procedure.fee.describe(), source=procedure.fee.source)


def payment_plain(procedure: Procedure) -> str:
    """Whether paying by QR follows the submission, as the procedure sheet says it."""
    fee = procedure.fee
    if pays_by_qr(procedure):
        text = _("Có: nộp hồ sơ xong, Cổng hiện mã QR để bạn nộp lệ phí bằng ví điện tử hoặc "
                 "ứng dụng ngân hàng.")
        if fee.exempt_groups:
            text += " " + _("Người thuộc nhóm được miễn không phải nộp.")
        return text
    if fee.kind == "free" and fee.verified:
        return _("Không: thủ tục này miễn phí.")
    if fee.kind == "free_when":
        return _("Không: đúng hạn thì miễn phí; quá hạn thì nộp lệ phí theo hướng dẫn của cán "
                 "bộ khi tiếp nhận, không có mã QR trên Cổng.")
    return _("Không: cán bộ báo mức lệ phí khi tiếp nhận, không có mã QR trên Cổng. Đừng "
             "chuyển tiền theo lời nhắn hay cuộc gọi lạ.")


def time_plain(procedure: Procedure) -> str:
    if procedure.time.verified and procedure.time.kind != "unverified":
        return procedure.time.describe()
    return _("Trung tâm báo ngày hẹn trả kết quả khi tiếp nhận hồ sơ")


def time_details(procedure: Procedure) -> str:
    rule = procedure.time
    text = _("Theo danh mục: {rule}. Nguồn: {source}").format(rule=rule.describe(),
                                                              source=rule.source)
    return f"{text}. {rule.note}" if rule.note else text


def quote_for(procedure: Procedure, clean: Mapping[str, Any], *, on_time: bool = True):
    return procedure.quote_fee(channel=CHANNEL, pages=clean.get("so_trang") or 1,
                               copies=clean.get("so_ban") or 1,
                               group=clean.get("doi_tuong") or None, on_time=on_time)


class PortalBase(Screen):
    """State and plumbing of the portal; the views come from the step mixins."""

    if TYPE_CHECKING:  # provided by the step mixins that screen.PortalScreen joins
        def start_form(self) -> None: ...
        def log_out(self) -> None: ...
        def check_account(self) -> None: ...
        def my_dossiers(self) -> list[Dossier]: ...
        def refresh(self) -> None: ...
        def _payment_widgets(self, dossier: Dossier) -> list[W.Widget]: ...
        def _log_attached(self, attachment: Attachment) -> None: ...
        def _document_rows(self, proc: Procedure, attached: Mapping[str, Attachment],
                           on_attach: Callable[[Attachment], None],
                           on_remove: Callable[[str], None]) -> list[W.Widget]: ...

    def __init__(self, box: Sandbox):
        self.view = "search"
        self.query = ""
        self.procedure_code: str | None = None
        self.draft: Draft | None = None
        self.form_errors: dict[str, str] = {}
        self.doc_errors: dict[str, str] = {}
        self.current: str | None = None  # dossier shown in "done" / "dossier"
        self.supplement: dict[str, dict[str, Attachment]] = {}
        self.inputs: dict[str, W.Widget] = {}
        self.account: VneidAccount | None = None  # the VNeID account logged in
        self.after_login = ""  # the view the login leads to
        self._restored = False
        super().__init__(box)

    # -- plumbing ----------------------------------------------------------------------

    @property
    def catalogue(self):
        return self.box.dossiers.catalogue

    def procedure(self) -> Procedure:
        assert self.procedure_code is not None
        return self.catalogue[self.procedure_code]

    def render(self) -> None:
        if not self._restored:
            self._restored = True
            self._restore()
        self._capture()
        self._draw()

    def go(self, view: str) -> None:
        self._capture()
        self.clear()
        if view in LOGIN_VIEWS and self.account is None:
            self.after_login, view = view, "login"
        self.view = view
        self._draw()

    def _draw(self) -> None:
        # Each step module defines ``_view_<name>`` for the views of NAV_TAB.
        view: Callable[[], list[W.Widget]] = getattr(self, f"_view_{self.view}")
        self.inputs = {}
        children = view()
        self.show(W.HTML(CSS), self._nav(), *children)
        self.save_state()

    def _open_search(self) -> None:
        self.go("search")

    def _nav(self) -> W.Widget:
        current = NAV_TAB[self.view] or NAV_TAB.get(self.after_login, "search")
        items = [("search", _("Tìm thủ tục"), self._open_search),
                 ("mine", _("Hồ sơ của tôi"), lambda: self.go("mine")),
                 ("feedback", _("Phản ánh, kiến nghị"), lambda: self.go("feedback"))]
        buttons = [self.button(label, action, style="primary" if key == current else "")
                   for key, label, action in items]
        for b in buttons:
            b.add_class("kns-wrap")
        nav = W.HBox(buttons, layout=W.Layout(flex_flow="row wrap"))
        nav.add_class("kns-nav")
        if self.account is not None:
            who = self.html('<div class="kns-account-name">' + esc(_(
                "Đã đăng nhập bằng VNeID: {name} ({level})").format(
                    name=self.account.profile.full_name, level=self.account.badge)) + "</div>")
            self.logout_button: W.Button | None = self.button(_("Đăng xuất"), self.log_out)
            account = W.HBox([who, self.logout_button])
        else:
            self.logout_button = None
            # On the login step itself the form's own button is the one to press.
            account = W.HBox([] if self.view == "login" else [
                self.button(_("Đăng nhập"), lambda: self.go("login"), style="info")])
        account.add_class("kns-account")
        return W.VBox([nav, account])

    # -- the VNeID login -------------------------------------------------------------------

    def vneid_values(self) -> dict[str, str]:
        """The applicant's boxes as the VNeID account gives them."""
        if self.account is None:
            return {}
        profile = self.account.profile
        return {"ho_ten": profile.full_name, "cccd": profile.cccd,
                "ngay_sinh": format_date(profile.birth_date),
                "gioi_tinh": profile.gender.value, "dia_chi": profile.address}

    def _account_for(self, cccd: str) -> VneidAccount | None:
        """This person's active VNeID account with number ``cccd`` (fresh from the store)."""
        found = [a for a in self.box.vneid.accounts() if a.cccd == cccd]
        return found[0] if found else None

    # -- saving and restoring the visit ----------------------------------------------------

    def _state(self) -> dict[str, Any]:
        draft = None
        if self.draft is not None:
            draft = {"procedure": self.draft.procedure_code,
                     "values": {k: str(v) for k, v in self.draft.values.items()},
                     "attachments": {k: a.to_dict() for k, a in self.draft.attachments.items()}}
        return {"version": DRAFT_VERSION, "view": self.view, "query": self.query,
                "procedure": self.procedure_code, "current": self.current,
                "after_login": self.after_login,
                "vneid": self.account.cccd if self.account is not None else None,
                "draft": draft}

    def save_state(self) -> None:
        """Keep where this person is (view, login, half-filled form) across a reload."""
        self.box.drafts.save(self.screen_id, self._state())

    def _field_changed(self, _change: dict) -> None:
        self._capture()
        self.save_state()

    def _restore(self) -> None:
        """Come back to the saved visit; whatever no longer fits starts fresh."""
        try:
            state = self.box.drafts.load(self.screen_id)
            if state.get("version") == DRAFT_VERSION:
                self._apply_state(state)
        except (KnsError, KeyError, TypeError, ValueError, AttributeError):
            log.warning("portal draft of %s not restored", self.box.actor, exc_info=True)
            self.view, self.draft, self.current, self.account = "search", None, None, None

    def _apply_state(self, state: Mapping[str, Any]) -> None:
        cccd = state.get("vneid")
        self.account = self._account_for(cccd) if isinstance(cccd, str) else None
        self.query = str(state.get("query") or "")
        code = state.get("procedure")
        self.procedure_code = code if isinstance(code, str) and code in self.catalogue else None
        saved = state.get("draft")
        if isinstance(saved, Mapping) and saved.get("procedure") == self.procedure_code \
                and self.procedure_code is not None and self.account is not None:
            values = {str(k): str(v) for k, v in (saved.get("values") or {}).items()}
            files = {str(k): Attachment.from_dict(str(k), v)
                     for k, v in (saved.get("attachments") or {}).items()}
            self.draft = Draft(self.procedure_code, {**values, **self.vneid_values()}, files)
        current = state.get("current")
        mine = {d.code for d in self.box.dossiers.list(owner=self.box.actor)}
        self.current = current if current in mine else None
        after = state.get("after_login")
        self.after_login = after if after in LOGIN_VIEWS else ""
        view = state.get("view")
        self.view = self._fitting_view(view if view in NAV_TAB else "search")

    def _fitting_view(self, view: str) -> str:
        """The saved view, or the nearest one that still makes sense."""
        if view in DRAFT_VIEWS and self.draft is None:
            view = "procedure"
        if view in ("documents", "confirm") and self.draft is not None:
            proc = self.procedure()
            clean, errors = validate_form(proc, self.draft.values,
                                          today=self.box.now().date())
            if errors:
                view = "form"
                self.form_errors = errors
            else:
                shown = {k: ("" if v is None else str(v)) for k, v in clean.items()}
                self.draft = replace(self.draft, clean=clean,
                                     values={**self.draft.values, **shown})
        if view == "procedure" and self.procedure_code is None:
            view = "search"
        if view in ("done", "dossier") and self.current is None:
            view = "mine"
        if view in LOGIN_VIEWS and self.account is None:
            self.after_login, view = view, "login"
        return view

    # -- a deadline counted from an event (birth registration) ------------------------------

    def registration_timing(self, proc: Procedure, values: Mapping[str, Any]) -> Timing | None:
        """On time or late, from the event's day in the form; None when the procedure has
        no such deadline or the day is not typed right yet (the form check says why)."""
        key = WINDOW_FIELDS.get(proc.code)
        raw = values.get(key) if key else None
        if not raw:
            return None
        today = self.box.now().date()
        try:
            born = parse_date(raw, field=key or "", today=today)
        except InvalidInput:
            return None
        calendar = self.box.dossiers.calendar

        def day_off(day):  # outside the calendar's years the 60th day stands
            return calendar.first <= day <= calendar.last and not calendar.is_working_day(day)

        return birth_timing(born, today, is_day_off=day_off)

    def _field(self, widget: W.Widget) -> W.Widget:
        if isinstance(widget, W.Dropdown) and widget.index is None and widget.options:
            # ipywidgets reads value=None as "nothing selected" (a blank box): show the
            # first option, "Chưa chọn" (value None), as base.Screen.choice means it.
            widget.index = 0
        widget.add_class("kns-field")
        widget.style.description_width = "initial"
        return widget

    def _text_input(self, label: str, value: str = "", placeholder: str = "") -> W.Text:
        return self._field(W.Text(value=value, description=label, placeholder=placeholder,
                                  layout=W.Layout(width="auto")))

    def _capture(self) -> None:
        """Keep what is typed in the form when the view is rebuilt (e.g. language switch);
        the boxes the VNeID account fills keep its values whatever a widget holds."""
        if self.view == "form" and self.draft is not None and self.inputs:
            values = dict(self.draft.values)
            for key, widget in self.inputs.items():
                values[key] = widget.value if widget.value is not None else ""
            self.draft = replace(self.draft, values={**values, **self.vneid_values()})

    @staticmethod
    def _card(*parts: str) -> str:
        return '<div class="kns-card">' + "".join(parts) + "</div>"

    @staticmethod
    def _line(label: str, value: str) -> str:
        return f"<div><b>{esc(label)}:</b> {esc(value)}</div>"

    def _back(self, label: str, view: str) -> W.Button:
        button = self.button(label, lambda: self.go(view))
        button.add_class("kns-wrap")
        return button

    # -- shared by the "done", "mine" and "dossier" views --------------------------------

    def _due_html(self, dossier: Dossier, proc: Procedure | None) -> str:
        if dossier.due_date is not None:
            text = format_date(dossier.due_date)
            if dossier.apology is not None:
                text += " " + _("(đã hẹn lại, xem phiếu xin lỗi)")
            if proc is not None and not proc.time.verified:
                # The deadline rule itself is unverified: never show the date as fact.
                html = (f"<div><b>{esc(_('Ngày hẹn trả kết quả'))}:</b></div>" + more(
                    _("{day} — ngày dự kiến, hãy hỏi lại cán bộ Trung tâm").format(day=text),
                    _("Cách tính thời hạn {state}. {details}").format(
                        state=unverified_label(), details=time_details(proc))))
            else:
                html = self._line(_("Ngày hẹn trả kết quả"), text)
            calendar = self.box.dossiers.calendar
            received = dossier.received_at
            if received is not None and calendar.first <= received.date() <= calendar.last \
                    and calendar.first <= dossier.due_date <= calendar.last:
                # A resident needs the rule only when it moved the day; plain words.
                notes = list(calendar.due_date_notes(received, dossier.due_date))
                if calendar.receipt_moved(received):
                    notes.insert(0, calendar.receipt_rule_note(plain=True))
                html += "".join(f'<div class="kns-muted">{esc(n)}</div>' for n in notes)
            return html
        if dossier.state in (State.SUBMITTED, State.SUPPLEMENT_REQUESTED, State.RESUBMITTED):
            plain = _("chưa có — Trung tâm ghi ngày hẹn khi tiếp nhận hồ sơ")
            if proc is None:
                return self._line(_("Ngày hẹn trả kết quả"), plain)
            return (f"<div><b>{esc(_('Ngày hẹn trả kết quả'))}:</b></div>"
                    + more(plain, time_details(proc)))
        return ""
