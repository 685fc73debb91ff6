"""Back office of the one-stop centre (phần mềm một cửa), for officials.

An official sees what residents and volunteers submitted in the portal or on VNeID
(same store, after "Làm mới"), receives it, processes it and returns the result.
The rules live below the screen: moves, reasons and apology slips in
``domain/dossier.py``, due dates and trước hạn / đúng hạn / quá hạn in
``domain/workcalendar.py``, the report in ``domain/kpi.py``. A refused action shows
the domain's Vietnamese message and leaves the dossier as it was.

pandas is imported only when the KPI panel is opened, so the app's kernel stays light.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import ipywidgets as W

from ..domain import dossier as lifecycle
from ..domain.catalogue import Procedure, channel_name, format_vnd, unverified_label
from ..domain.dossier import Dossier, State
from ..domain.identity import N_, field_label, format_date
from ..domain.intake import decide, form_labels, readable_form
from ..domain.workcalendar import Timeliness, WorkCalendar, timeliness_definition
from ..errors import InvalidInput, KnsError, MissingEntry
from ..i18n import _, translate
from ..sandbox.dossiers import APPLICANT_MOVES
from ..sandbox.store import ROLES
from .base import Screen, esc, table
from .session import launch

if TYPE_CHECKING:
    from ..sandbox.store import Sandbox

OFFICE_ROLES = ("official", "trainer")
# Submitted, and never received: the counter still has to accept or refuse them.
_WAITING = frozenset({State.SUBMITTED, State.RESUBMITTED})
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
    return f'<div class="kns-bo-section" role="heading" aria-level="2">{esc(text)}</div>'


def _pairs(mapping: Mapping[str, Any], labels: Mapping[str, str] | None = None) -> str:
    """A two-column table; ``labels`` are already in the current language."""
    if not mapping:
        return f'<p class="kns-muted">{esc(_("(không có)"))}</p>'
    labels = labels or {}
    return table([_("Trường"), _("Nội dung")],
                 [(labels.get(k) or field_label(k), _value(v)) for k, v in mapping.items()])


# --- the screen ----------------------------------------------------------------------------


class BackofficeScreen(Screen):
    """Receive, process and return dossiers; watch deadlines; read today's KPI."""

    title = N_("Phần mềm một cửa — Tiếp nhận và giải quyết hồ sơ")
    frame = "desktop"
    screen_id = "backoffice"

    def __init__(self, box: Sandbox):
        self.current: str | None = None  # code of the open dossier, kept across re-renders
        self.kpi_open = False
        super().__init__(box)

    @property
    def desk(self) -> Any:
        return self.box.dossiers

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

        self.picker = W.Dropdown(options=[], description=_("Chọn hồ sơ"), style=wide,
                                 layout=W.Layout(width="640px"))
        self.open_button = self.button(_("Mở hồ sơ"), self.open_selected, style="primary")
        opener = W.HBox([self.picker, self.open_button], layout=W.Layout(flex_flow="row wrap"))

        self.detail = W.VBox()
        self.detail.add_class("kns-bo-detail")
        self.kpi_panel = W.VBox()
        self.kpi_panel.add_class("kns-bo-kpi")

        self.show(self.html(CSS), toolbar, self.kpi_panel,
                  self.waiting_title, self.waiting_table,
                  self.list_title, filters, legend, self.dossier_table,
                  self.html(_section(_("Xem và xử lý hồ sơ"))), opener, self.detail)
        self.refresh_lists()
        if self.current is not None:
            self.open_dossier(self.current, log=False)
        if self.kpi_open:
            self.show_kpi()

    def _refuse_role(self) -> None:
        role = self.box.role
        text = _("Màn hình này dành cho cán bộ một cửa. Bạn đang mở với vai «{role}». Hãy mở "
                 "lại đường dẫn với ?vai=official, hoặc hỏi giảng viên.").format(
                     role=translate(ROLES.get(role, role)))
        self.show()
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
        self.picker.options = options
        codes = [code for _label, code in options]
        self.picker.value = keep if keep in codes else (self.current if self.current in codes
                                                         else None)

    # -- one dossier -----------------------------------------------------------------

    def open_selected(self) -> None:
        code = self.picker.value
        if not code:
            raise InvalidInput(_("Chưa chọn {label}: hãy chọn một hồ sơ trong danh sách")
                               .format(label=field_label("ma_ho_so")), field="ma_ho_so",
                               value=code)
        self.open_dossier(code)

    def open_dossier(self, code: str, *, log: bool = True) -> Dossier:
        """Show one dossier with its documents, fee, history and the desk's actions."""
        dossier = self.desk.get(code)
        self.current = dossier.code
        if self.picker.value != dossier.code and dossier.code in [c for _l, c in
                                                                  self.picker.options]:
            self.picker.value = dossier.code
        self._build_actions(dossier)
        self._show_detail(dossier)
        if log:
            self.box.record("backoffice.opened_dossier", dossier.code,
                            state=dossier.state.value, procedure=dossier.procedure_code)
            self.info(_("Đã mở hồ sơ {code}.").format(code=dossier.code))
        return dossier

    def close_dossier(self) -> None:
        self.current = None
        self.detail.children = ()
        self.clear()

    def _build_actions(self, dossier: Dossier) -> None:
        wide = {"description_width": "initial"}
        self.detail_html = W.HTML()
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
        self.manual_due = W.DatePicker(
            description=_("Ngày hẹn trả (thủ tục có thời hạn chưa kiểm chứng)"), style=wide)
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
        self.new_due = W.DatePicker(description=_("Ngày hẹn trả mới"), style=wide)
        self.apology_reason = self.text(_("Lý do chậm trả kết quả"), width="520px",
                                        placeholder=_("Ví dụ: chờ cơ quan khác xác minh"))
        self.apology_button = self.button(_("Lập phiếu xin lỗi và hẹn lại"), self.apologise,
                                          style="warning", width="auto")
        apology_hint = _("Dùng khi hồ sơ không kịp trả đúng ngày hẹn: ngày hẹn mới phải sau "
                         "ngày hẹn hiện tại. Bấm vào ô ngày để chọn trên lịch.")
        parts: list[W.Widget] = [self.detail_html,
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
        parts = [
            '<div class="kns-card">',
            f'<div class="kns-bo-section" role="heading" aria-level="2">'
            f"{esc(_('Hồ sơ'))} {esc(dossier.code)} — {esc(name)}</div>",
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
            f"<h4>{esc(_('Lệ phí'))}</h4>", self._fee_html(dossier, procedure),
            f"<h4>{esc(_('Thời hạn'))}</h4>", self._deadline_html(dossier, procedure, today),
            f"<h4>{esc(_('Quá trình xử lý'))}</h4>",
            table([_("Bước"), _("Thời điểm"), _("Người thực hiện"), _("Ghi chú")],
                  [(s.state.label, _moment(s.at), s.actor, s.note or "")
                   for s in dossier.history]),
        ]
        if dossier.supplement_reason and dossier.state is State.SUPPLEMENT_REQUESTED:
            parts.append(f"<p><b>{esc(_('Đang chờ người nộp bổ sung'))}:</b> "
                         f"{esc(dossier.supplement_reason)}</p>")
        if dossier.apology is not None:
            parts += [f"<h4>{esc(_('Phiếu xin lỗi đã lập'))}</h4>",
                      f'<div class="kns-bo-slip">{esc(dossier.apology.text())}</div>']
        parts.append("</div>")
        self.detail_html.value = "".join(parts)

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
            verdict = f'<p role="status">✔ {esc(_("Đủ giấy tờ bắt buộc."))}</p>'
        else:
            verdict = f'<p class="kns-bo-missing" role="status">✘ {esc(decision.reason)}</p>'
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

    def _act(self, action: str, change: Callable[[str], Dossier]) -> Dossier:
        """Run one desk action on the open dossier. A refusal is logged and its message
        shown by the guard; the dossier stays as it was."""
        code = self.current
        if code is None:
            raise InvalidInput(_("Chưa mở hồ sơ nào: hãy chọn hồ sơ rồi bấm «Mở hồ sơ»"),
                               field="ma_ho_so")
        try:
            dossier = change(code)
        except KnsError as exc:
            self.box.record("backoffice.action_refused", code, step=action,
                            field=exc.field, message=str(exc))
            self._after_change(code)  # someone else may have moved it meanwhile
            raise
        self._after_change(code)
        return dossier

    def _after_change(self, code: str) -> None:
        self.refresh_lists()
        try:
            self._show_detail(self.desk.get(code))
        except MissingEntry:
            self.close_dossier()
        if self.kpi_open:
            self.show_kpi()

    def receive(self) -> None:
        manual = self.manual_due.value if self.manual_due in self.detail.children else None

        def change(code: str) -> Dossier:
            return self.desk.receive(code, due_date=manual)

        dossier = self._act("receive", change)
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
        return self._act(action, lambda code: self.desk.move(code, to, note=note))

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
        new_due, reason = self.new_due.value, self.apology_reason.value
        dossier = self._act("apologise", lambda code: self.desk.apologise(
            code, new_due=new_due, reason=reason))
        self.new_due.value = None
        self.apology_reason.value = ""
        assert dossier.apology is not None
        self.ok(_("Đã lập phiếu xin lỗi cho hồ sơ {code}, hẹn trả kết quả vào {day}.").format(
            code=dossier.code, day=_day(dossier.apology.new_due)))

    # -- KPI -------------------------------------------------------------------------

    def toggle_kpi(self) -> None:
        if self.kpi_open:
            self.kpi_open = False
            self.kpi_panel.children = ()
            self.kpi_button.description = _("Báo cáo KPI hôm nay")
            return
        self.show_kpi()
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
