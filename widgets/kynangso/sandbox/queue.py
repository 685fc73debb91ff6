"""The queue kiosk (lấy số thứ tự) and the counters that call numbers.

A ticket number is the counter number followed by a 3-digit daily sequence
("2015": counter 2, 15th ticket of the day). The estimated wait is the number of
people still waiting at that counter times an average service time, which is the
project's assumption (``SERVICE_MINUTES``), not a measured figure.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from ..errors import InvalidInput, MissingEntry
from ..i18n import _
from . import world
from .db import Connection, where_equal

if TYPE_CHECKING:
    from ..domain.locality import Counter, Locality
    from ..domain.workcalendar import WorkCalendar
    from .store import Sandbox

SERVICE_MINUTES = 8  # assumption: average minutes a counter spends on one resident
STATUS = {"waiting": "Đang chờ", "called": "Đang phục vụ", "done": "Đã xong",
          "skipped": "Vắng mặt"}


@dataclass(frozen=True)
class Ticket:
    id: int
    number: str
    day: date
    field: str
    counter: int
    status: str
    issued_at: datetime
    called_at: datetime | None
    estimated_wait_min: int
    owner: str

    @property
    def status_label(self) -> str:
        return STATUS[self.status]

    @classmethod
    def from_row(cls, row: Any) -> Ticket:
        return cls(id=row.id, number=row.number, day=date.fromisoformat(row.day),
                   field=row.field, counter=row.counter, status=row.status,
                   issued_at=datetime.fromisoformat(row.issued_at),
                   called_at=datetime.fromisoformat(row.called_at) if row.called_at else None,
                   estimated_wait_min=row.estimated_wait_min, owner=row.owner)


class QueueDesk:
    """Queue tickets of one sandbox (``box.queue``)."""

    def __init__(self, box: Sandbox, *, locality: Locality | None = None,
                 calendar: WorkCalendar | None = None,
                 service_minutes: int = SERVICE_MINUTES):
        self.box = box
        self.locality = locality or world.locality()
        self.calendar = calendar or world.calendar()
        self.service_minutes = service_minutes

    def fields(self) -> list[str]:
        """Fields (lĩnh vực) a resident can pick at the kiosk, in counter order."""
        return [f for c in self.locality.counters for f in c.fields]

    def _counter(self, number: int) -> Counter:
        for counter in self.locality.counters:
            if counter.number == number:
                return counter
        raise MissingEntry(_("Không có quầy số {value}").format(value=number),
                           field="quay", value=number)

    def _waiting(self, conn: Connection, day: date, counter: int) -> int:
        return conn.execute("SELECT COUNT(*) FROM queue_tickets WHERE day = :day"
                            " AND counter = :counter AND status = 'waiting'",
                            {"day": day.isoformat(), "counter": counter}).scalar_one()

    def take(self, field: str) -> Ticket:
        """Issue the next ticket for a field; refused outside opening hours."""
        field = (field or "").strip()
        if not field:
            raise InvalidInput(_("Chưa chọn lĩnh vực thủ tục"), field="linh_vuc", value=field)
        try:
            counter = self.locality.counter_for(field)
        except MissingEntry:
            raise InvalidInput(_("Lĩnh vực {value!r} không có ở trung tâm; chọn một trong: "
                                 "{allowed}").format(value=field,
                                                     allowed=", ".join(self.fields())),
                               field="linh_vuc", value=field) from None
        box = self.box
        with box.transaction() as tx:
            conn, now = tx.connection, tx.now
            if not self.calendar.is_office_open(now):
                raise InvalidInput(_("Trung tâm đang ngoài giờ làm việc ({hours}); mời quay "
                                     "lại sau hoặc nộp hồ sơ trực tuyến").format(
                                         hours=self.locality.hours.describe()),
                                   field="thoi_diem", value=now)
            seq = tx.next_in_sequence(f"ticket:{now:%Y%m%d}:{counter.number}")
            if seq > 999:
                raise InvalidInput(_("Quầy {n} đã hết số thứ tự trong ngày").format(
                    n=counter.number), field="quay", value=counter.number)
            ahead = self._waiting(conn, now.date(), counter.number)
            number = f"{counter.number}{seq:03d}"
            new_id = conn.execute(
                "INSERT INTO queue_tickets (number, day, field, counter, status, issued_at,"
                " estimated_wait_min, owner) VALUES (:number, :day, :field, :counter,"
                " 'waiting', :issued_at, :estimated_wait_min, :owner) RETURNING id",
                {"number": number, "day": now.date().isoformat(), "field": field,
                 "counter": counter.number, "issued_at": now.isoformat(timespec="seconds"),
                 "estimated_wait_min": ahead * self.service_minutes, "owner": box.actor},
            ).scalar_one()
            tx.append("queue.ticket", number, field=field, counter=counter.number, ahead=ahead)
        return self.get(new_id)

    def get(self, ticket_id: int) -> Ticket:
        with self.box.reading() as conn:
            row = conn.execute("SELECT * FROM queue_tickets WHERE id = :id",
                               {"id": ticket_id}).first()
        if row is None:
            raise MissingEntry(_("Không có phiếu số thứ tự {value}").format(value=ticket_id),
                               field="so_thu_tu", value=ticket_id)
        return Ticket.from_row(row)

    def call_next(self, counter: int) -> Ticket | None:
        """The counter finishes its current resident and calls the next (official)."""
        box = self.box
        if box.role not in ("official", "trainer", "system"):
            raise InvalidInput(_("Chỉ cán bộ tại quầy mới được gọi số"), field="role",
                               value=box.role)
        self._counter(counter)
        with box.transaction() as tx:
            conn, now = tx.connection, tx.now
            at = {"day": now.date().isoformat(), "counter": counter}
            conn.execute("UPDATE queue_tickets SET status = 'done' WHERE day = :day"
                         " AND counter = :counter AND status = 'called'", at)
            row = conn.execute("SELECT * FROM queue_tickets WHERE day = :day AND counter ="
                               " :counter AND status = 'waiting' ORDER BY id LIMIT 1"
                               + conn.for_update, at).first()
            if row is None:
                return None
            conn.execute("UPDATE queue_tickets SET status = 'called', called_at = :at"
                         " WHERE id = :id",
                         {"id": row.id, "at": now.isoformat(timespec="seconds")})
            tx.append("queue.called", row.number, counter=counter)
        return self.get(row.id)

    def tickets(self, *, day: date | None = None, owner: str | None = None) -> list[Ticket]:
        where, params = where_equal(day=day.isoformat() if day is not None else None,
                                    owner=owner)
        with self.box.reading() as conn:
            rows = conn.execute(f"SELECT * FROM queue_tickets{where} ORDER BY id", params)
            return [Ticket.from_row(row) for row in rows]

    def display(self) -> dict[int, str | None]:
        """What the hall screen shows: each counter and the number it is serving."""
        today = self.box.now().date()
        serving: dict[int, str | None] = {c.number: None for c in self.locality.counters}
        for ticket in self.tickets(day=today):
            if ticket.status == "called":
                serving[ticket.counter] = ticket.number
        return serving
