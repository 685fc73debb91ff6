"""Back office of the one-stop centre (phần mềm một cửa), for officials.

An official sees what residents and volunteers submitted in the portal or on VNeID
(same store, after "Làm mới"), receives it, processes it and returns the result.
The rules live below the screen: moves, reasons and apology slips in
``domain/dossier.py``, due dates and trước hạn / đúng hạn / quá hạn in
``domain/workcalendar.py``, the report in ``domain/kpi.py``. A refused action shows
the domain's Vietnamese message and leaves the dossier as it was.

What the desk shows reads as labels, not stored codes ("Nữ", "VNeID", the official's
name); an attached scan opens in a preview (``domain/scanview.py``) and an apology slip
downloads as a page to print or a PDF (``domain/slips.py``). The open dossier and the KPI
panel come back after a reload (``box.drafts``).

pandas is imported only when the KPI panel is opened, so the app's kernel stays light.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from functools import partial
from typing import TYPE_CHECKING, Any

import ipywidgets as W

from ..domain import dossier as lifecycle
from ..domain.attachments import attachments_of
from ..domain.catalogue import (
    CHANNELS,
    Procedure,
    channel_name,
    delivery_name,
    format_vnd,
    unverified_label,
)
from ..domain.dossier import Dossier, State
from ..domain.identity import N_, field_label, format_date, parse_date, parse_gender
from ..domain.intake import decide, form_labels, readable_form
from ..domain.scanview import scan_preview
from ..domain.slips import apology_paper, file_stem, slip_html, slip_pdf
from ..domain.workcalendar import Timeliness, WorkCalendar, timeliness_definition
from ..errors import InvalidInput, KnsError, MissingEntry
from ..i18n import _, get_language, translate
from ..sandbox import world
from ..sandbox.dossiers import APPLICANT_MOVES
from ..sandbox.store import ROLES
from .base import Screen, esc, table
from .session import display_name, launch

if TYPE_CHECKING:
    from ..sandbox.store import Sandbox

OFFICE_ROLES = ("official", "trainer")
# Submitted, and never received: the counter still has to accept or refuse them.
_WAITING = frozenset({State.SUBMITTED, State.RESUBMITTED})


def _data_url(kind: str, content: bytes) -> str:
    return f"data:{kind};base64,{base64.b64encode(content).decode('ascii')}"


def date_placeholder() -> str:
    """What an empty date box shows, in the current language."""
    return _("ngày/tháng/năm, ví dụ 05/03/2026")


_WEEKDAYS = (N_("Thứ Hai"), N_("Thứ Ba"), N_("Thứ Tư"), N_("Thứ Năm"), N_("Thứ Sáu"),
             N_("Thứ Bảy"), N_("Chủ nhật"))

CSS = """
<style>
.kns-app-backoffice .kns-bo-section { font-size: 1.12em; font-weight: 700; margin: 12px 0 4px 0;
  color: var(--kns-accent); }
.kns-app-backoffice h4 { margin: 10px 0 4px 0; }
.kns-bo-legend span { display: inline-block; padding: 2px 8px; border-radius: 4px;
  margin: 2px 6px 2px 0; border: 1px solid #c8c8c8; }
.kns-bo-legend span.kns-muted { border: none; }
.kns-bo-kpi .kns-table { width: auto; min-width: 60%; }
.kns-bo-tiles { display: flex; flex-wrap: wrap; gap: 8px; margin: 6px 0; }
.kns-bo-tile { flex: 1 1 150px; border: 1px solid #c8c8c8; border-radius: 8px; padding: 8px;
  text-align: center; }
.kns-bo-num { font-size: 2em; font-weight: 800; }
.kns-bo-slip { white-space: pre-line; border: 2px dashed #9a5b00; padding: 8px 10px;
  border-radius: 6px; margin: 4px 0; line-height: 1.5; max-width: 760px; }
.kns-bo-missing { font-weight: 700; color: #8a1c14; }
.kns-bo-scan { margin: 6px 0; padding: 8px; border: 1px solid #c8c8c8; border-radius: 8px;
  max-width: 640px; background: #f6f6f6; }
.kns-bo-scan img { display: block; max-width: 100%; height: auto; margin: 0 auto;
  border: 1px solid #8a8a8a; background: #ffffff; }
.kns-bo-scan figcaption { margin-top: 4px; }
.kns-bo-print a { display: inline-flex; align-items: center; min-height: 44px;
  margin-right: 16px; color: #0b5394; font-weight: 600; }
.kns-contrast .kns-bo-scan { background: #000000; border-color: #ffffff; }
.kns-contrast .kns-bo-print a { color: #ffd400; }
.kns-bo-waiting td:first-child, .kns-bo-dossiers td:first-child { white-space: nowrap; }
/* Pale row colours stay readable in high-contrast mode: dark text on them. */
.kns-contrast .kns-early, .kns-contrast .kns-ontime, .kns-contrast .kns-late,
.kns-contrast .kns-early *, .kns-contrast .kns-ontime *, .kns-contrast .kns-late * {
  color: #000000 !important; }
.kns-contrast .kns-bo-missing { color: #ffb4a8; }
</style>
"""


# --- what the screen shows, as plain values (tested without widgets) ----------------------


@dataclass(frozen=True)
class Progress:
    """Where a dossier stands against its due date: a CSS class and a label."""

    timeliness: Timeliness | None
    css: str
    label: str


_ROW_CLASS = {Timeliness.EARLY: "kns-early", Timeliness.ON_TIME: "kns-ontime",
        Timeliness.LATE: "kns-late"}


def progress(dossier: Dossier, today: date, calendar: WorkCalendar) -> Progress:
    """Colour and words for a row: the result's day (or today) against the original due
    date. An apology slip moves the appointment, not the verdict: the words mention it."""
    step = _progress(dossier, today, calendar)
    if dossier.apology is None or step.timeliness is None:
        return step
    return Progress(step.timeliness, step.css,
                    _("{label} (đã hẹn lại bằng phiếu xin lỗi)").format(label=step.label))


def _progress(dossier: Dossier, today: date, calendar: WorkCalendar) -> Progress:
    if dossier.due_date is None or dossier.state in (State.REJECTED, State.WITHDRAWN):
        return Progress(None, "", "—")
    due = dossier.original_due  # the first appointment, as the KPI report judges it
    assert due is not None
    if dossier.resolved_at is not None:
        timeliness = WorkCalendar.classify(dossier.resolved_at, due)
        label = {Timeliness.EARLY: _("Giải quyết trước hạn"),
                 Timeliness.ON_TIME: _("Giải quyết đúng hạn"),
                 Timeliness.LATE: _("Giải quyết quá hạn")}[timeliness]
        return Progress(timeliness, _ROW_CLASS[timeliness], label)
    if lifecycle.is_overdue(dossier, today):
        days = calendar.working_days_between(due, today)
        label = (_("Quá hạn {n} ngày làm việc").format(n=days) if days > 0
                 else _("Quá hạn (từ sau ngày {due})").format(due=format_date(due)))
        return Progress(Timeliness.LATE, "kns-late", label)
    timeliness = WorkCalendar.classify(today, due)
    if timeliness is Timeliness.ON_TIME:
        return Progress(timeliness, "kns-ontime", _("Đến hạn hôm nay"))
    days = calendar.working_days_between(today, due)
    return Progress(timeliness, "kns-early",
                    _("Trong hạn, còn {n} ngày làm việc").format(n=days))


def seen_by_desk(dossier: Dossier) -> bool:
    """Submitted at least once: a draft, or one withdrawn before submitting, is the
    applicant's alone."""
    return any(step.state is State.SUBMITTED for step in dossier.history)


def _moment(value: datetime | None) -> str:
    return "—" if value is None else f"{value:%d/%m/%Y %H:%M}"


def _day(value: date | None) -> str:
    return "—" if value is None else format_date(value)


def _value(value: Any) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    if isinstance(value, bool):
        return _("Có") if value else _("Không")
    return "—" if value is None or value == "" else str(value)


def _section(text: str) -> str:
    # Sections sit under the step's <h2> (Screen.step_title).
    return f'<h3 class="kns-bo-section">{esc(text)}</h3>'


# Keys whose stored value is a channel code ("vneid", "cong-dvc"): VNeID's hand-off
# marks its dossiers' form with ``nguon``.
_CHANNEL_KEYS = frozenset({"nguon", "kenh_nop", "channel"})
_KEY_LABELS = {"nguon": N_("Nguồn hồ sơ")}


def shown_value(key: str, value: Any) -> Any:
    """A stored value as the desk reads it: "Nữ" not "nu", "VNeID" not "vneid", a state's
    Vietnamese name; anything else unchanged."""
    if not isinstance(value, str) or not value:
        return value
    if key == "gioi_tinh":
        try:
            return parse_gender(value).label
        except KnsError:  # written by something else than a form: show it as it is
            return value
    if key in _CHANNEL_KEYS and value in CHANNELS:
        return channel_name(value)
    if key == "nhan_ket_qua":
        return delivery_name(value)
    if key == "trang_thai" and value in {s.value for s in State}:
        return State(value).label
    return value


def _key_label(key: str, labels: Mapping[str, str]) -> str:
    return labels.get(key) or (translate(_KEY_LABELS[key]) if key in _KEY_LABELS
                               else field_label(key))


def _pairs(mapping: Mapping[str, Any], labels: Mapping[str, str] | None = None) -> str:
    """A two-column table; ``labels`` are already in the current language."""
    if not mapping:
        return f'<p class="kns-muted">{esc(_("(không có)"))}</p>'
    labels = labels or {}
    return table([_("Trường"), _("Nội dung")],
                 [(_key_label(k, labels), _value(shown_value(k, v)))
                  for k, v in mapping.items()])


# --- the screen ----------------------------------------------------------------------------


class BackofficeScreen(Screen):
    """Receive, process and return dossiers; watch deadlines; read today's KPI."""

    title = N_("Phần mềm một cửa — Tiếp nhận và giải quyết hồ sơ")
    frame = "desktop"
    screen_id = "backoffice"

    def __init__(self, box: Sandbox):
        # Where the official was: the open dossier, its scan, the KPI panel. Kept across
        # re-renders and, through the store's drafts, across a reload.
        draft = box.drafts.load(self.screen_id) if box.role in OFFICE_ROLES else {}
        current, scan = draft.get("dossier"), draft.get("scan")
        self.current: str | None = current if isinstance(current, str) else None
        self.scan: str | None = scan if isinstance(scan, str) else None
        self.kpi_open = draft.get("kpi") is True
        self.slip_links = ""  # the apology slip's download links, once prepared
        super().__init__(box)

    @property
    def desk(self) -> Any:
        return self.box.dossiers

    def _remember(self) -> None:
        self.box.drafts.save(self.screen_id, {"dossier": self.current, "scan": self.scan,
                                              "kpi": self.kpi_open})

    # -- building --------------------------------------------------------------------

    def render(self) -> None:
        self.clear()
        if self.box.role not in OFFICE_ROLES:
            self._refuse_role()
            return
        self.clock = W.HTML()
        self.refresh_button = self.button(_("Làm mới"), self.refresh, style="info",
                                          tooltip=_("Đọc lại hồ sơ mới nộp từ cổng dịch vụ công"))
        self.kpi_button = self.button(_("Báo cáo KPI hôm nay"), self.toggle_kpi)
        toolbar = W.HBox([self.clock, W.HBox([self.refresh_button, self.kpi_button])],
                         layout=W.Layout(flex_flow="row wrap", align_items="center",
                                         justify_content="space-between"))

        self.waiting_title = W.HTML()
        self.waiting_table = W.HTML()
        self.waiting_table.add_class("kns-bo-waiting")

        self.list_title = W.HTML()
        wide = {"description_width": "initial"}
        self.state_filter = W.Dropdown(
            options=[(_("Tất cả"), "")] + [(s.label, s.value) for s in State
                                          if s not in (State.DRAFT, State.SUBMITTED)],
            value="", description=_("Lọc theo trạng thái"), style=wide)
        self.procedure_filter = W.Dropdown(
            options=[(_("Tất cả thủ tục"), "")]
            + [(p.shown_name, p.code) for p in self.desk.catalogue],
            value="", description=_("Lọc theo thủ tục"), style=wide,
            layout=W.Layout(width="460px"))
        for control in (self.state_filter, self.procedure_filter):
            control.observe(self.guard(lambda _c: self.refresh_lists()), "value")
        filters = W.HBox([self.state_filter, self.procedure_filter],
                         layout=W.Layout(flex_flow="row wrap"))
        legend = self.html(
            '<div class="kns-bo-legend">'
            f'<span class="kns-early">{esc(_("Trước hạn / còn hạn"))}</span>'
            f'<span class="kns-ontime">{esc(_("Đúng hạn / đến hạn hôm nay"))}</span>'
            f'<span class="kns-late">{esc(_("Quá hạn"))}</span>'
            f'<span class="kns-muted">{esc(_("Cột «Tiến độ» ghi rõ bằng chữ."))}</span></div>')
        self.dossier_table = W.HTML()
        self.dossier_table.add_class("kns-bo-dossiers")

        self.picker = self.choice(_("Chọn hồ sơ"), [], width="640px")
        self.open_button = self.button(_("Mở hồ sơ"), self.open_selected, style="primary")
        opener = W.HBox([self.picker, self.open_button], layout=W.Layout(flex_flow="row wrap"))

        self.detail = W.VBox()
        self.detail.add_class("kns-bo-detail")
        self.kpi_panel = W.VBox()
        self.kpi_panel.add_class("kns-bo-kpi")

        self.show(self.step_title(_("Bàn làm việc của cán bộ một cửa")), self.html(CSS),
                  toolbar, self.kpi_panel,
                  self.waiting_title, self.waiting_table,
                  self.list_title, filters, legend, self.dossier_table,
                  self.html(_section(_("Xem và xử lý hồ sơ"))), opener, self.detail)
        self.refresh_lists()
        if self.current is not None:
            try:
                self.open_dossier(self.current, log=False)
            except MissingEntry:  # gone since (a trainer reset the class world)
                self.current = self.scan = None
        if self.kpi_open:
            self.show_kpi()

    def _refuse_role(self) -> None:
        role = self.box.role
        text = _("Màn hình này dành cho cán bộ một cửa. Bạn đang mở với vai «{role}». Hãy mở "
                 "lại đường dẫn với ?vai=official, hoặc hỏi giảng viên.").format(
                     role=translate(ROLES.get(role, role)))
        self.show(self.step_title(_("Chưa mở được phần mềm một cửa")))
        self.error(text)
        self.box.record("backoffice.wrong_role", None, role=role)

    # -- lists -----------------------------------------------------------------------

    def refresh(self) -> None:
        """Re-read the store: what others submitted meanwhile appears now."""
        self.refresh_lists()
        if self.current is not None:
            self._show_detail(self.desk.get(self.current))
        if self.kpi_open:
            self.show_kpi()
        self.info(_("Đã cập nhật danh sách hồ sơ lúc {time}.").format(
            time=f"{self.box.now():%H:%M %d/%m/%Y}"))

    def _procedure_name(self, code: str) -> str:
        return self.desk.catalogue[code].shown_name if code in self.desk.catalogue else code

    def refresh_lists(self) -> None:
        now = self.box.now()
        today = now.date()
        calendar = self.desk.calendar
        day_note = ""
        if calendar.first <= today <= calendar.last and not calendar.is_working_day(today):
            name = calendar.holiday_name(today)
            day_note = " — " + (_("ngày nghỉ: {name}").format(name=name) if name
                                else _("ngày nghỉ"))
        self.clock.value = (
            f'<div><b>{esc(_("Hôm nay (giờ giả lập)"))}:</b> '
            f"{esc(translate(_WEEKDAYS[today.weekday()]))} {esc(format_date(today))} "
            f"{now:%H:%M}{esc(day_note)}</div>")

        everything = [d for d in self.desk.list() if seen_by_desk(d)]
        waiting = [d for d in everything if d.state in _WAITING and d.received_at is None]
        waiting_codes = {d.code for d in waiting}
        self.waiting_title.value = _section(_("Hồ sơ chờ tiếp nhận ({n})").format(n=len(waiting)))
        if waiting:
            self.waiting_table.value = table(
                [_("Mã hồ sơ"), _("Thủ tục"), _("Người nộp"), _("Kênh nộp"), _("Trạng thái"),
                 _("Nộp lúc")],
                [(d.code, self._procedure_name(d.procedure_code),
                  d.applicant.get("ho_ten") or "—", channel_name(d.channel), d.state.label,
                  _moment(d.history[-1].at)) for d in waiting])
        else:
            self.waiting_table.value = (f'<p class="kns-muted">'
                                        f'{esc(_("Không có hồ sơ nào đang chờ tiếp nhận."))}</p>')

        state = self.state_filter.value or None
        procedure = self.procedure_filter.value or None
        shown = [d for d in self.desk.list(state=state, procedure_code=procedure)
                 if seen_by_desk(d) and d.code not in waiting_codes]
        total = len(everything) - len(waiting)
        # "Sổ theo dõi hồ sơ": everything the desk has answered, received or not.
        count = (_("Sổ theo dõi hồ sơ ({n})").format(n=total) if state is None and
                 procedure is None else
                 _("Sổ theo dõi hồ sơ (đang lọc: {n}/{total})").format(n=len(shown),
                                                                        total=total))
        self.list_title.value = _section(count)
        if shown:
            rows, classes = [], []
            for d in shown:
                step = progress(d, today, calendar)
                rows.append((d.code, self._procedure_name(d.procedure_code),
                             d.applicant.get("ho_ten") or "—", channel_name(d.channel),
                             d.state.label, _moment(d.received_at), _day(d.due_date),
                             step.label))
                classes.append(step.css)
            self.dossier_table.value = table(
                [_("Mã hồ sơ"), _("Thủ tục"), _("Người nộp"), _("Kênh nộp"), _("Trạng thái"),
                 _("Tiếp nhận lúc"), _("Ngày hẹn trả"), _("Tiến độ")], rows, classes)
        else:
            self.dossier_table.value = (f'<p class="kns-muted">'
                                        f'{esc(_("Không có hồ sơ nào khớp bộ lọc."))}</p>')

        options = [(f"{d.code} — {self._procedure_name(d.procedure_code)} — "
                    f"{d.applicant.get('ho_ten') or '—'} ({d.state.label})", d.code)
                   for d in waiting + [d for d in everything if d.code not in waiting_codes]]
        keep = self.picker.value
        # The first option stays "Chưa chọn" (Screen.choice), never a silent dossier.
        self.picker.options = [(_("Chưa chọn"), None), *options]
        codes = [code for _label, code in options]
        self.picker.value = keep if keep in codes else (self.current if self.current in codes
                                                         else None)

    # -- one dossier -----------------------------------------------------------------

    def open_selected(self) -> None:
        code = self.picker.value
        if not code:
            self.field_error(self.picker, _("Chưa chọn {label}: hãy chọn một hồ sơ trong danh "
                                            "sách").format(label=field_label("ma_ho_so")))
            return
        self.open_dossier(code)

    def open_dossier(self, code: str, *, log: bool = True) -> Dossier:
        """Show one dossier with its documents, fee, history and the desk's actions."""
        dossier = self.desk.get(code)
        if dossier.code != self.current:
            self.scan = None  # a preview belongs to the dossier it came from
        self.current = dossier.code
        self.slip_links = ""
        if self.picker.value != dossier.code and dossier.code in [c for _l, c in
                                                                  self.picker.options]:
            self.picker.value = dossier.code
        self._build_actions(dossier)
        self._show_detail(dossier)
        if log:
            self._remember()
            self.box.record("backoffice.opened_dossier", dossier.code,
                            state=dossier.state.value, procedure=dossier.procedure_code)
            self.info(_("Đã mở hồ sơ {code}.").format(code=dossier.code))
        return dossier

    def close_dossier(self) -> None:
        self.current = self.scan = None
        self.slip_links = ""
        self.detail.children = ()
        self._remember()
        self.clear()

    def _build_actions(self, dossier: Dossier) -> None:
        wide = {"description_width": "initial"}
        # The dossier's card: what was sent, its scans (buttons need widgets), the rest.
        self.detail_html = W.HTML()
        self.scan_buttons = W.HBox(layout=W.Layout(flex_flow="row wrap"))
        self.scan_view = W.HTML()
        self.scan_view.add_class("kns-bo-scan-view")
        self.detail_rest = W.HTML()
        self.slip_box = W.VBox()
        self.slip_box.add_class("kns-bo-print")
        card = W.VBox([self.detail_html, self.scan_buttons, self.scan_view, self.detail_rest,
                       self.slip_box])
        card.add_class("kns-card")
        self.receive_button = self.button(_("Tiếp nhận"), self.receive, style="primary")
        self.processing_button = self.button(_("Bắt đầu xử lý"), self.start_processing,
                                             width="auto")
        self.resolve_button = self.button(_("Đã giải quyết xong"), self.resolve,
                                          style="success", width="auto")
        self.return_button = self.button(_("Trả kết quả"), self.return_result, style="success",
                                         width="auto")
        self.close_button = self.button(_("Đóng hồ sơ"), self.close_dossier, width="auto")
        steps = W.HBox([self.receive_button, self.processing_button, self.resolve_button,
                        self.return_button, self.close_button],
                       layout=W.Layout(flex_flow="row wrap"))
        # Typed dates, not a date picker: the browser's picker speaks the browser's
        # language and order (mm/dd in an English browser).
        self.manual_due = self.text(_("Ngày hẹn trả (thủ tục có thời hạn chưa kiểm chứng)"),
                                    placeholder=date_placeholder(), width="640px")
        procedure = self._procedure(dossier)
        manual = procedure is not None and procedure.time.kind == "unverified"
        self.reason = W.Textarea(
            description=_("Lý do (bắt buộc khi yêu cầu bổ sung hoặc từ chối)"), style=wide,
            placeholder=_("Ví dụ: thiếu Giấy chứng sinh bản chính"),
            layout=W.Layout(width="98%", height="64px"))
        self.supplement_button = self.button(_("Yêu cầu bổ sung"), self.request_supplement,
                                             style="warning", width="auto")
        self.reject_button = self.button(_("Từ chối hồ sơ"), self.reject, style="danger",
                                         width="auto")
        self.new_due = self.text(_("Ngày hẹn trả mới"), placeholder=date_placeholder(),
                                 width="480px")
        self.apology_reason = self.text(_("Lý do chậm trả kết quả"), width="520px",
                                        placeholder=_("Ví dụ: chờ cơ quan khác xác minh"))
        self.apology_button = self.button(_("Lập phiếu xin lỗi và hẹn lại"), self.apologise,
                                          style="warning", width="auto")
        apology_hint = _("Dùng khi hồ sơ không kịp trả đúng ngày hẹn: ngày hẹn mới phải sau "
                         "ngày hẹn hiện tại. Gõ ngày theo dạng ngày/tháng/năm. Phiếu đã lập "
                         "tải về được để in cho người nộp.")
        parts: list[W.Widget] = [card,
                                 self.html(f"<h4>{esc(_('Thao tác của cán bộ'))}</h4>"), steps]
        if manual:
            parts.append(self.manual_due)
        parts += [self.reason,
                  W.HBox([self.supplement_button, self.reject_button],
                         layout=W.Layout(flex_flow="row wrap")),
                  self.html(f"<h4>{esc(_('Phiếu xin lỗi và hẹn lại ngày trả kết quả'))}</h4>"
                            f'<div class="kns-muted">{esc(apology_hint)}</div>'),
                  W.HBox([self.new_due, self.apology_reason],
                         layout=W.Layout(flex_flow="row wrap", align_items="center")),
                  W.HBox([self.apology_button])]
        self.detail.children = tuple(parts)

    def _procedure(self, dossier: Dossier) -> Procedure | None:
        if dossier.procedure_code in self.desk.catalogue:
            return self.desk.catalogue[dossier.procedure_code]
        return None

    def _show_detail(self, dossier: Dossier) -> None:
        procedure = self._procedure(dossier)
        today = self.box.now().date()
        name = procedure.shown_name if procedure else dossier.procedure_code
        # The applicant's own moves (submit, withdraw) are not the desk's to offer.
        allowed = [s for s in lifecycle.allowed_next(dossier) if s not in APPLICANT_MOVES]
        if allowed:
            next_steps = ", ".join(f"«{s.label}»" for s in allowed)
        elif dossier.finished:
            next_steps = _("không còn bước nào (hồ sơ đã kết thúc)")
        else:
            next_steps = _("chưa có bước nào cho cán bộ: đang chờ người nộp")
        names: dict[str, str] = {}

        def person(actor: str) -> str:
            if actor not in names:
                names[actor] = self.person_name(actor)
            return names[actor]

        top = [
            f'<h3 class="kns-bo-section">'
            f"{esc(_('Hồ sơ'))} {esc(dossier.code)} — {esc(name)}</h3>",
            f"<div><b>{esc(_('Trạng thái'))}:</b> <span class=\"kns-bo-state\">"
            f"{esc(dossier.state.label)}</span> · <b>{esc(_('Kênh nộp'))}:</b> "
            f"{esc(channel_name(dossier.channel))}</div>",
            f"<div class=\"kns-muted\">{esc(_('Bước tiếp theo được phép'))}: "
            f"{esc(next_steps)}</div>",
            f"<h4>{esc(_('Người nộp'))}</h4>", _pairs(dossier.applicant),
            f"<h4>{esc(_('Tờ khai'))}</h4>", _pairs(readable_form(dossier.form, procedure),
                                                 form_labels(procedure)),
            f"<h4>{esc(_('Giấy tờ kèm theo, đối chiếu với danh mục thủ tục'))}</h4>",
            self._documents_html(dossier, procedure),
        ]
        rest = [
            f"<h4>{esc(_('Lệ phí'))}</h4>", self._fee_html(dossier, procedure),
            f"<h4>{esc(_('Thời hạn'))}</h4>", self._deadline_html(dossier, procedure, today),
            f"<h4>{esc(_('Quá trình xử lý'))}</h4>",
            table([_("Bước"), _("Thời điểm"), _("Người thực hiện"), _("Ghi chú")],
                  [(s.state.label, _moment(s.at), person(s.actor), s.note or "")
                   for s in dossier.history]),
        ]
        if dossier.supplement_reason and dossier.state is State.SUPPLEMENT_REQUESTED:
            rest.append(f"<p><b>{esc(_('Đang chờ người nộp bổ sung'))}:</b> "
                        f"{esc(dossier.supplement_reason)}</p>")
        if dossier.apology is not None:
            rest += [f"<h4>{esc(_('Phiếu xin lỗi đã lập'))}</h4>",
                     f'<div class="kns-bo-slip">{esc(dossier.apology.text())}</div>']
        self.detail_html.value = "".join(top)
        self.detail_rest.value = "".join(rest)
        self._show_scans(dossier, procedure)
        self._show_slip(dossier)

    # -- names instead of ids ----------------------------------------------------------

    def person_name(self, actor: str) -> str:
        """The name a person practises under (the learner's own, or the class list's);
        their id only when neither knows them."""
        if actor == self.box.actor:
            return display_name(self.box)
        return display_name(self.box.as_actor(actor, self.box.role))

    # -- attached scans ------------------------------------------------------------------

    def _attached(self, dossier: Dossier, procedure: Procedure | None) -> dict[str, str]:
        """Attached document codes and their names, in the procedure's order."""
        files = attachments_of(dossier.form, dossier.documents)
        listed = [d for d in procedure.documents if d.code in files] if procedure else []
        names = {d.code: d.shown_name for d in listed}
        names.update({code: code for code in files if code not in names})
        return names

    def _show_scans(self, dossier: Dossier, procedure: Procedure | None) -> None:
        attached = self._attached(dossier, procedure)
        if self.scan not in attached:
            self.scan = None
        buttons = [self.button(_("Xem bản scan: {doc}").format(doc=name),
                               partial(self.view_scan, code), width="auto",
                               style="info" if code == self.scan else "")
                   for code, name in attached.items()]
        if self.scan is not None:
            buttons.append(self.button(_("Đóng bản xem"), self.close_scan, width="auto"))
        self.scan_buttons.children = tuple(buttons)
        if not attached:
            self.scan_view.value = (f'<p class="kns-muted">'
                                    f'{esc(_("Hồ sơ không có tệp đính kèm để xem."))}</p>')
        elif self.scan is None:
            self.scan_view.value = (f'<p class="kns-muted">'
                                    f'{esc(_("Bấm một giấy tờ ở trên để xem bản scan."))}</p>')
        else:
            self.scan_view.value = self._scan_figure(dossier, self.scan, attached[self.scan])

    def _scan_figure(self, dossier: Dossier, code: str, name: str) -> str:
        attachment = attachments_of(dossier.form, dossier.documents)[code]
        preview = scan_preview(attachment, name)
        caption = _("Bản scan: {doc}").format(doc=name)
        if attachment.file_name and attachment.file_name != code:
            caption += f" — {attachment.describe()}"
        return (f'<figure class="kns-bo-scan" data-document="{esc(code)}">'
                f'<img src="{preview.data_url()}" alt="{esc(preview.alt)}">'
                f"<figcaption>{esc(caption)}</figcaption></figure>")

    def view_scan(self, code: str) -> None:
        """Open the scan attached for document ``code`` of the open dossier."""
        dossier = self.desk.get(self._open_code())
        procedure = self._procedure(dossier)
        attached = self._attached(dossier, procedure)
        if code not in attached:
            raise InvalidInput(_("Hồ sơ {dossier} không có tệp đính kèm cho giấy tờ này")
                               .format(dossier=dossier.code), field="giay_to")
        self.scan = code
        self._show_scans(dossier, procedure)
        self._remember()
        attachment = attachments_of(dossier.form, dossier.documents)[code]
        sample = scan_preview(attachment, attached[code]).drawn_sample
        self.box.record("backoffice.scan_viewed", dossier.code, document=code, sample=sample)
        self.info(_("Đang xem bản scan: {doc}.").format(doc=attached[code]))

    def close_scan(self) -> None:
        self.scan = None
        dossier = self.desk.get(self._open_code())
        self._show_scans(dossier, self._procedure(dossier))
        self._remember()
        self.clear()

    # -- the apology slip on paper ---------------------------------------------------------

    def _show_slip(self, dossier: Dossier) -> None:
        if dossier.apology is None:
            self.slip_box.children = ()
            return
        page = self._slip_paper(dossier)
        stem = file_stem(page)
        body = slip_html(page, language=get_language()).encode("utf-8")
        links = (f'<a class="kns-slip-html" download="{stem}.html" '
                 f'href="{_data_url("text/html;charset=utf-8", body)}">'
                 f"{esc(_('Tải phiếu để in (trang web, mở bằng trình duyệt)'))}</a>")
        self.slip_downloads = W.HTML(links + self.slip_links)
        self.slip_pdf_button = self.button(_("Tạo tệp PDF của phiếu"), self.make_slip_pdf,
                                           width="auto")
        self.slip_box.children = (self.slip_downloads, self.slip_pdf_button)

    def _slip_paper(self, dossier: Dossier) -> Any:
        procedure = self._procedure(dossier)
        issued = self.box.events(subject=dossier.code, action="dossier.apology")
        official = self.person_name(issued[-1].actor) if issued else display_name(self.box)
        return apology_paper(dossier, procedure=procedure.shown_name if procedure
                             else dossier.procedure_code, locality=world.locality(),
                             official=official)

    def make_slip_pdf(self) -> None:
        """The slip as a PDF (fpdf2 takes a moment: only when asked)."""
        dossier = self.desk.get(self._open_code())
        if dossier.apology is None:
            raise InvalidInput(_("Hồ sơ {code} chưa có phiếu xin lỗi để in").format(
                code=dossier.code), field="phieu_xin_loi")
        page = self._slip_paper(dossier)
        self.slip_links = (f'<a class="kns-slip-pdf" download="{file_stem(page)}.pdf" '
                           f'href="{_data_url("application/pdf", slip_pdf(page))}">'
                           f"{esc(_('Tải tệp PDF của phiếu'))}</a>")
        self._show_slip(dossier)
        self.box.record("backoffice.slip_printed", dossier.code, formats=["html", "pdf"])
        self.ok(_("Tệp PDF của phiếu xin lỗi đã sẵn sàng: chạm vào đường dẫn để tải về."))

    def _open_code(self) -> str:
        if self.current is None:
            raise InvalidInput(_("Chưa mở hồ sơ nào: hãy chọn hồ sơ rồi bấm «Mở hồ sơ»"),
                               field="ma_ho_so")
        return self.current

    def _documents_html(self, dossier: Dossier, procedure: Procedure | None) -> str:
        if procedure is None:
            return (f'<p class="kns-muted">'
                    f"{esc(_('Thủ tục không có trong danh mục; giấy tờ đã nộp'))}: "
                    f"{esc(_value(list(dossier.documents)))}</p>")
        decision = decide(procedure, dossier.documents)
        rows, classes = [], []
        for doc in procedure.documents:
            attached = doc.code in dossier.documents
            rows.append((doc.shown_name, _("Bắt buộc") if doc.required else _("Không bắt buộc"),
                         _("Có") if attached else _("THIẾU") if doc.required else _("Không có")))
            classes.append("kns-early" if attached else "kns-late" if doc.required else "")
        for code in decision.check.unknown:
            rows.append((code, _("Không có trong danh mục"), _("Có")))
            classes.append("")
        if decision.complete:
            verdict = f'<p>✔ {esc(_("Đủ giấy tờ bắt buộc."))}</p>'
        else:
            verdict = f'<p class="kns-bo-missing">✘ {esc(decision.reason)}</p>'
        return table([_("Giấy tờ"), _("Yêu cầu"), _("Trong hồ sơ")], rows, classes) + verdict

    def _fee_html(self, dossier: Dossier, procedure: Procedure | None) -> str:
        lines = []
        if procedure is not None:
            lines.append(_("Mức thu theo danh mục: {rule}").format(rule=procedure.fee.describe()))
            if procedure.fee.source:
                lines.append(_("Nguồn: {source}").format(source=procedure.fee.source))
        if dossier.fee_amount is None:
            lines.append(_("Lệ phí của hồ sơ: {state}, không thu").format(
                state=unverified_label()))
        elif dossier.fee_amount == 0:
            lines.append(_("Lệ phí của hồ sơ: miễn phí"))
        else:
            paid = _("ĐÃ NỘP") if dossier.fee_paid else _("CHƯA NỘP")
            lines.append(_("Lệ phí của hồ sơ: {amount} — {paid}").format(
                amount=format_vnd(dossier.fee_amount), paid=paid))
        return "".join(f"<div>{esc(line)}</div>" for line in lines)

    def _deadline_html(self, dossier: Dossier, procedure: Procedure | None, today: date) -> str:
        lines = []
        if procedure is not None:
            lines.append(_("Thời hạn giải quyết: {rule}").format(rule=procedure.time.describe()))
        lines.append(_("Tiếp nhận lúc: {at}").format(at=_moment(dossier.received_at)))
        day = _day(dossier.due_date)
        if procedure is not None and not procedure.time.verified and dossier.due_date:
            day += f" ({unverified_label()})"  # an unverified rule's date is no fact
        lines.append(_("Ngày hẹn trả kết quả: {day}").format(day=day))
        lines += self._due_notes(dossier)
        if dossier.resolved_at is not None:
            lines.append(_("Có kết quả lúc: {at}").format(at=_moment(dossier.resolved_at)))
        if dossier.returned_at is not None:
            lines.append(_("Trả kết quả lúc: {at}").format(at=_moment(dossier.returned_at)))
        step = progress(dossier, today, self.desk.calendar)
        html = "".join(f"<div>{esc(line)}</div>" for line in lines)
        if step.css:
            html += (f'<div class="{step.css} kns-bo-progress" style="padding:4px 8px">'
                     f"<b>{esc(_('Tiến độ'))}:</b> {esc(step.label)}</div>")
        return html

    # -- actions ---------------------------------------------------------------------

    def _act(self, action: str, change: Callable[[str], Dossier],
             fields: Mapping[str, W.Widget] | None = None) -> Dossier:
        """Run one desk action on the open dossier. A refusal is logged and its message
        shown by the guard, on the field it is about when that is one of ``fields``; the
        dossier stays as it was."""
        code = self._open_code()
        try:
            dossier = change(code)
        except KnsError as exc:
            self._refused(action, code, exc, fields)
            self._after_change(code)  # someone else may have moved it meanwhile
            raise
        self._after_change(code)
        return dossier

    def _refused(self, action: str, code: str, exc: KnsError,
                 fields: Mapping[str, W.Widget] | None) -> None:
        self.box.record("backoffice.action_refused", code, step=action, field=exc.field,
                        message=str(exc))
        widget = (fields or {}).get(exc.field or "")
        if widget is not None:
            self.field_error(widget, str(exc))

    def _typed_day(self, widget: W.Text, action: str, *, required: bool) -> date | None:
        """The day typed in ``widget`` (ngày/tháng/năm); None when empty and optional."""
        raw = widget.value.strip()
        code = self._open_code()
        if not raw and not required:
            return None
        try:
            if not raw:
                raise InvalidInput(_("Chưa nhập {label}: gõ ngày theo dạng ngày/tháng/năm, ví "
                                     "dụ 05/03/2026").format(label=widget.description),
                                   field="ngay_hen_tra")
            return parse_date(raw, field="ngay_hen_tra", not_future=False)
        except InvalidInput as exc:
            self._refused(action, code, exc, {"ngay_hen_tra": widget})
            raise

    def _after_change(self, code: str) -> None:
        self.refresh_lists()
        try:
            self._show_detail(self.desk.get(code))
        except MissingEntry:
            self.close_dossier()
        if self.kpi_open:
            self.show_kpi()

    def receive(self) -> None:
        shown = self.manual_due in self.detail.children
        manual = self._typed_day(self.manual_due, "receive", required=False) if shown else None

        def change(code: str) -> Dossier:
            return self.desk.receive(code, due_date=manual)

        dossier = self._act("receive", change,
                            {"ngay_hen_tra": self.manual_due} if shown else None)
        procedure = self._procedure(dossier)
        rule = procedure.time.describe() if procedure else ""
        message = _("Đã tiếp nhận hồ sơ {code}. Ngày hẹn trả kết quả: {due} (thời hạn: {rule}).")\
            .format(code=dossier.code, due=_day(dossier.due_date), rule=rule)
        self.ok(" ".join([message, *self._due_notes(dossier)]))

    def _due_notes(self, dossier: Dossier) -> list[str]:
        """What the due date rests on: unverified days off, and the receipt rule.

        An official shows the rule always (not only when it moved the day): it is the
        lab's convention, not a cited rule, and the official is the one who explains
        the date to a resident.
        """
        calendar = self.desk.calendar
        received, due = dossier.received_at, dossier.due_date
        if received is None or due is None:
            return []
        notes = []
        if calendar.first <= received.date() <= calendar.last \
                and calendar.first <= due <= calendar.last:
            notes += calendar.due_date_notes(received, due)
        return [*notes, calendar.receipt_rule_note()]

    def _move(self, action: str, to: State, note: str | None = None) -> Dossier:
        return self._act(action, lambda code: self.desk.move(code, to, note=note),
                         {"ly_do": self.reason})

    def start_processing(self) -> None:
        dossier = self._move("start_processing", State.PROCESSING)
        self.ok(_("Hồ sơ {code} chuyển sang «{state}».").format(code=dossier.code,
                                                               state=dossier.state.label))

    def resolve(self) -> None:
        dossier = self._move("resolve", State.RESOLVED)
        step = progress(dossier, self.box.now().date(), self.desk.calendar)
        self.ok(_("Hồ sơ {code} đã giải quyết xong: {progress}.").format(
            code=dossier.code, progress=step.label.lower() if step.css else "—"))

    def return_result(self) -> None:
        dossier = self._move("return_result", State.RESULT_RETURNED)
        self.ok(_("Đã trả kết quả hồ sơ {code} cho người nộp.").format(code=dossier.code))

    def request_supplement(self) -> None:
        dossier = self._move("request_supplement", State.SUPPLEMENT_REQUESTED,
                             self.reason.value)
        self.reason.value = ""
        self.ok(_("Đã gửi yêu cầu bổ sung hồ sơ {code}: {reason}").format(
            code=dossier.code, reason=dossier.supplement_reason))

    def reject(self) -> None:
        dossier = self._move("reject", State.REJECTED, self.reason.value)
        self.reason.value = ""
        self.ok(_("Đã từ chối hồ sơ {code}; lý do đã ghi vào quá trình xử lý: {reason}").format(
            code=dossier.code, reason=dossier.history[-1].note))

    def apologise(self) -> None:
        new_due = self._typed_day(self.new_due, "apologise", required=True)
        assert new_due is not None
        reason = self.apology_reason.value
        dossier = self._act("apologise", lambda code: self.desk.apologise(
            code, new_due=new_due, reason=reason),
            {"ngay_hen_tra": self.new_due, "ly_do": self.apology_reason})
        self.new_due.value = ""
        self.apology_reason.value = ""
        assert dossier.apology is not None
        self.ok(_("Đã lập phiếu xin lỗi cho hồ sơ {code}, hẹn trả kết quả vào {day}. Tải phiếu "
                  "ở mục «Phiếu xin lỗi đã lập» để in cho người nộp.").format(
            code=dossier.code, day=_day(dossier.apology.new_due)))

    # -- KPI -------------------------------------------------------------------------

    def toggle_kpi(self) -> None:
        if self.kpi_open:
            self.kpi_open = False
            self.kpi_panel.children = ()
            self.kpi_button.description = _("Báo cáo KPI hôm nay")
            self._remember()
            return
        self.show_kpi()
        self._remember()
        self.box.record("backoffice.kpi_viewed", None)

    def show_kpi(self) -> None:
        """Counts of the store now, by the KPI report (pandas is imported here)."""
        from ..domain.kpi import kpi_report, rate_text

        frame = self.desk.frame()
        received = frame[frame["received_at"].notna()
                         & ~frame["status"].isin([State.REJECTED.value, State.WITHDRAWN.value])]
        rejected = int((frame["status"] == State.REJECTED.value).sum())
        # As of the simulated clock: unresolved dossiers past due count as late.
        report = kpi_report(received, calendar=self.desk.calendar, catalogue=self.desk.catalogue,
                            as_of=self.box.now())

        def tile(css: str, label: str, number: int, note: str = "") -> str:
            extra = f'<div class="kns-muted">{esc(note)}</div>' if note else ""
            return (f'<div class="kns-bo-tile {css}"><div>{esc(label)}</div>'
                    f'<div class="kns-bo-num">{number}</div>{extra}</div>')

        judged = report.judged  # the denominator shown next to every rate

        def rate(part: int) -> str:
            return rate_text(part, judged) if judged else ""

        late_note = rate(report.late)
        if report.overdue:
            late_note = "; ".join(filter(None, [late_note, _(
                "trong đó {n} chưa giải quyết").format(n=report.overdue)]))
        tiles = ('<div class="kns-bo-tiles">'
                 + tile("kns-early", _("Trước hạn"), report.early, rate(report.early))
                 + tile("kns-ontime", _("Đúng hạn"), report.on_time, rate(report.on_time))
                 + tile("kns-late", _("Quá hạn"), report.late, late_note)
                 + tile("", _("Đang xử lý, chưa đến hạn"), report.not_yet_due,
                        _("không tính vào mẫu số"))
                 + "</div>")
        summary_line = (report.summary_text() if judged else
                        _("Đã tiếp nhận {n} hồ sơ; chưa hồ sơ nào có kết quả để tính tỷ lệ "
                          "trước hạn / đúng hạn.").format(n=report.received))
        summary = report.summary
        rows = report.summary_rows()
        notes = []
        if rejected:
            notes.append(_("{n} hồ sơ bị từ chối không tính vào báo cáo.").format(n=rejected))
        definition = "".join(f"<li>{esc(line)}</li>" for line in [
            *report.definition(), *timeliness_definition().splitlines()])
        body = (
            '<div class="kns-card">'
            + _section(_("Báo cáo KPI — số liệu đến {at}").format(
                at=f"{self.box.now():%H:%M %d/%m/%Y}"))
            + f'<p class="kns-bo-kpi-summary">{esc(summary_line)}</p>' + tiles
            + table([summary.index.name or _("Chỉ tiêu"), str(summary.columns[0]),
                     _("Tỷ lệ (tử số/mẫu số)")], rows)
            + "".join(f'<p class="kns-muted">{esc(n)}</p>' for n in notes)
            + f"<h4>{esc(_('Cách tính trước hạn / đúng hạn / quá hạn'))}</h4>"
            + f"<ul>{definition}</ul></div>")
        self.kpi_html = self.html(body)
        self.kpi_open = True
        self.kpi_button.description = _("Ẩn báo cáo KPI")
        self.kpi_panel.children = (self.kpi_html,)


def backoffice_app() -> Screen:
    """Entry point for apps/backoffice.ipynb (``open_box`` waits for a preheated page's URL)."""
    return launch(BackofficeScreen, role="official")
