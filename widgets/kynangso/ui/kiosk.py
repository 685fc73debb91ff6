"""Queue kiosk (lấy số thứ tự) and the hall display where counters call numbers.

The kiosk is the centre's large touch screen (frame "kiosk"); the hall display and its
counter controls are a desktop screen.
"""

from __future__ import annotations

from functools import partial
from typing import Any

import ipywidgets as W

from ..i18n import N_, _
from .base import Screen, esc, table
from .session import launch


class KioskScreen(Screen):
    """The touch screen at the centre's entrance: pick a field, get a ticket."""

    title = N_("Lấy số thứ tự — Trung tâm Phục vụ hành chính công")
    frame = "kiosk"
    screen_id = "kiosk"

    def render(self) -> None:
        self.clear()
        self.ticket_card = W.HTML()
        # The button shows the field in the current language; the ticket keeps the key.
        self.field_buttons = [
            self.button(self._field_label(field), partial(self.take, field), width="100%")
            for field in self.box.queue.fields()]
        intro = self.html(f"<p>{esc(_('Chạm vào lĩnh vực thủ tục bạn cần làm:'))}</p>")
        self.show(self.step_title(_("Chọn lĩnh vực")), intro, *self.field_buttons)

    def _field_label(self, field: str) -> str:
        return self.box.dossiers.catalogue.field_label(field)

    def take(self, field: str) -> None:
        ticket = self.box.queue.take(field)
        counter = next(c for c in self.box.queue.locality.counters
                       if c.number == ticket.counter)
        ahead = ticket.estimated_wait_min // self.box.queue.service_minutes
        wait = (_("khoảng {minutes} phút").format(minutes=ticket.estimated_wait_min)
                if ticket.estimated_wait_min else _("được phục vụ ngay"))
        self.ticket_card.value = (
            '<div class="kns-card kns-ticket">'  # the message area is the live region
            f'<div class="kns-muted">{esc(_("Số thứ tự của bạn"))}</div>'
            f'<div class="kns-big kns-ticket-number">{esc(ticket.number)}</div>'
            f"<div><b>{esc(counter.shown_name)}</b> ({esc(_('số'))} {counter.number})</div>"
            f"<div>{esc(_('Lĩnh vực'))}: {esc(self._field_label(ticket.field))}</div>"
            f"<div>{esc(_('Số người đang chờ trước bạn'))}: {ahead}</div>"
            f"<div>{esc(_('Thời gian chờ dự kiến'))}: "
            f"{esc(wait)}</div>"
            f'<div class="kns-muted">{esc(_("Lấy lúc"))} '
            f"{ticket.issued_at:%H:%M %d/%m/%Y}</div></div>")
        again = self.button(_("Lấy số khác"), self.render, style="info", width="100%")
        self.show(self.step_title(_("Số thứ tự của bạn")), self.ticket_card, again)
        self.ok(_("Đã in phiếu số {number}. Mời bạn ngồi chờ, màn hình sẽ gọi số.")
                .format(number=ticket.number))


class CounterDisplay(Screen):
    """The hall display; an official at a counter calls the next number."""

    title = N_("Màn hình gọi số")
    frame = "desktop"
    screen_id = "counter-display"

    def render(self) -> None:
        self.board = W.HTML()
        self.counter = self.choice(
            _("Quầy của tôi"), [(f"{_('Quầy')} {c.number} — {c.shown_name}", c.number)
                                for c in self.box.queue.locality.counters], width="auto")
        self.call_button = self.button(_("Gọi số tiếp theo"), self.call_next, style="primary")
        self.refresh_button = self.button(_("Làm mới"), self.refresh)
        controls: list[Any] = [self.refresh_button]
        if self.box.role in ("official", "trainer"):
            controls = [self.counter, self.call_button, self.refresh_button]
        self.show(self.step_title(_("Bảng gọi số")), self.board,
                  W.HBox(controls, layout=W.Layout(flex_flow="row wrap")))
        self.refresh()

    def refresh(self) -> None:
        serving = self.box.queue.display()
        waiting: dict[int, int] = {}
        for ticket in self.box.queue.tickets(day=self.box.now().date()):
            if ticket.status == "waiting":
                waiting[ticket.counter] = waiting.get(ticket.counter, 0) + 1
        rows = [(f"{_('Quầy')} {c.number}", c.shown_name, serving.get(c.number) or "—",
                 waiting.get(c.number, 0)) for c in self.box.queue.locality.counters]
        self.board.value = table([_("Quầy"), _("Phục vụ"), _("Đang gọi số"), _("Đang chờ")],
                                 rows)

    def call_next(self) -> None:
        if self.counter.value is None:
            self.field_error(self.counter, _("Chưa chọn quầy: hãy chọn quầy của bạn rồi bấm "
                                             "«Gọi số tiếp theo»"))
            return
        ticket = self.box.queue.call_next(self.counter.value)
        self.refresh()
        if ticket is None:
            self.info(_("Quầy {n} không còn ai đang chờ.").format(n=self.counter.value))
        else:
            self.ok(_("Mời công dân có số {number} đến quầy {n}.").format(
                number=ticket.number, n=ticket.counter))


def kiosk_app() -> Screen:
    """Entry point for apps/kiosk.ipynb."""
    return launch(KioskScreen, role="resident")


def counter_app() -> Screen:
    return launch(CounterDisplay, role="official")
