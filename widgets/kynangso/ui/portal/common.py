"""What every step of the portal shares: the screen's plumbing, its draft and its styles.

``PortalBase`` keeps the state of one resident's visit (the view shown, the draft form,
the dossier open) and draws the current view; each step module adds its views as a
mixin, and ``screen.PortalScreen`` joins them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import ipywidgets as W

from ...domain.attachments import Attachment
from ...domain.catalogue import Procedure, unverified_label
from ...domain.dossier import Dossier, State
from ...domain.identity import format_date
from ...i18n import _
from ...sandbox import fees
from ..base import Screen, esc

if TYPE_CHECKING:
    from ...sandbox.store import Sandbox

CHANNEL = "cong-dvc"
# The ward's practice collection account; the wallet app credits it when a fee is paid.
COLLECTION_OWNER = fees.COLLECTOR
COLLECTION_APP = "ngan-hang"
PAYABLE_STATES = frozenset(State) - {State.REJECTED, State.WITHDRAWN}
# Which tab of the top bar is lit for each view.
NAV_TAB = {"search": "search", "procedure": "search", "form": "search",
           "documents": "search", "confirm": "search", "done": "mine",
           "mine": "mine", "dossier": "mine", "feedback": "feedback"}

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
.kns-app-portal .kns-step { font-weight: 700; margin: 4px 0; }
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


def fee_text(procedure: Procedure) -> str:
    """The fee rule in one line; an unknown fee reads "chưa kiểm chứng", never a figure."""
    if procedure.fee.kind == "unverified":
        return unverified_label()
    return procedure.fee.describe()


def time_text(procedure: Procedure) -> str:
    if procedure.time.kind == "unverified":
        return unverified_label()
    return procedure.time.describe()


def quote_for(procedure: Procedure, clean: Mapping[str, Any]):
    return procedure.quote_fee(channel=CHANNEL, pages=clean.get("so_trang") or 1,
                               copies=clean.get("so_ban") or 1,
                               group=clean.get("doi_tuong") or None)


class PortalBase(Screen):
    """State and plumbing of the portal; the views come from the step mixins."""

    if TYPE_CHECKING:  # provided by the step mixins that screen.PortalScreen joins
        def start_form(self) -> None: ...
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
        super().__init__(box)

    # -- plumbing ----------------------------------------------------------------------

    @property
    def catalogue(self):
        return self.box.dossiers.catalogue

    def procedure(self) -> Procedure:
        assert self.procedure_code is not None
        return self.catalogue[self.procedure_code]

    def render(self) -> None:
        self._capture()
        self._draw()

    def go(self, view: str) -> None:
        self._capture()
        self.clear()
        self.view = view
        self._draw()

    def _draw(self) -> None:
        # Each step module defines ``_view_<name>`` for the views of NAV_TAB.
        view: Callable[[], list[W.Widget]] = getattr(self, f"_view_{self.view}")
        self.inputs = {}
        children = view()
        self.show(W.HTML(CSS), self._nav(), *children)

    def _open_search(self) -> None:
        self.go("search")

    def _nav(self) -> W.Widget:
        current = NAV_TAB[self.view]
        items = [("search", _("Tìm thủ tục"), self._open_search),
                 ("mine", _("Hồ sơ của tôi"), lambda: self.go("mine")),
                 ("feedback", _("Phản ánh, kiến nghị"), lambda: self.go("feedback"))]
        buttons = [self.button(label, action, style="primary" if key == current else "")
                   for key, label, action in items]
        for b in buttons:
            b.add_class("kns-wrap")
        nav = W.HBox(buttons, layout=W.Layout(flex_flow="row wrap"))
        nav.add_class("kns-nav")
        return nav

    def _field(self, widget: W.Widget) -> W.Widget:
        widget.add_class("kns-field")
        widget.style.description_width = "initial"
        return widget

    def _text_input(self, label: str, value: str = "", placeholder: str = "") -> W.Text:
        return self._field(W.Text(value=value, description=label, placeholder=placeholder,
                                  layout=W.Layout(width="auto")))

    def _capture(self) -> None:
        """Keep what is typed in the form when the view is rebuilt (e.g. language switch)."""
        if self.view == "form" and self.draft is not None and self.inputs:
            values = dict(self.draft.values)
            for key, widget in self.inputs.items():
                values[key] = widget.value if widget.value is not None else ""
            self.draft = replace(self.draft, values=values)

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
            if proc is not None and not proc.time.verified:
                # The deadline rule itself is unverified: never show the date as fact.
                text += f" ({unverified_label()})"
            if dossier.apology is not None:
                text += " " + _("(đã hẹn lại, xem phiếu xin lỗi)")
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
        rule = time_text(proc) if proc else unverified_label()
        if dossier.state in (State.SUBMITTED, State.SUPPLEMENT_REQUESTED, State.RESUBMITTED):
            return self._line(_("Ngày hẹn trả kết quả"), _(
                "chưa có — Trung tâm ghi ngày hẹn khi tiếp nhận hồ sơ (thời hạn giải quyết: "
                "{rule})").format(rule=rule))
        return ""
