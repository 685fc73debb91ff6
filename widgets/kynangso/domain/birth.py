"""Birth registration on time or late: the 60 days after a birth, counted as the law counts.

Luật Hộ tịch 2014, Điều 15 khoản 1: «Trong thời hạn 60 ngày kể từ ngày sinh con, cha hoặc mẹ
có trách nhiệm đăng ký khai sinh cho con». Registering within that time is on time, and an
on-time birth registration is free (Điều 11 khoản 1 điểm b, in data/procedures.yaml); a late
one is still accepted by the same procedure, but the fee waiver no longer applies.

Counting (Bộ luật Dân sự 2015): the day of the birth is not counted (Điều 147 khoản 3), the
time ends at the end of its last day (Điều 148 khoản 1), and a last day that is a weekend or a
public holiday moves to the end of the next working day (Điều 148 khoản 5). So a child born on
01/03 may be registered on time up to and including 30/04, day 60; day 61 is late. Applying
the Civil Code's counting to this deadline is the project's reading (Điều 145: the code's
counting applies unless a law says otherwise): it is marked unverified where it moves a day.

Sources were read on the day in ``checked``; the screens show the plain result and keep
the sources one tap away.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from ..errors import InvalidInput
from ..i18n import _
from .identity import format_date

MAX_DAY_OFF_RUN = 31  # no run of days off is longer (Tết is about 9): stops a bad calendar


@dataclass(frozen=True)
class Window:
    """A deadline counted in days from an event, with where it comes from."""

    days: int
    source: str
    verified: bool
    checked: date
    counting_source: str
    counting_verified: bool


BIRTH = Window(
    days=60,
    source=("Luật Hộ tịch 2014, Điều 15 khoản 1 («Trong thời hạn 60 ngày kể từ ngày sinh con, "
            "cha hoặc mẹ có trách nhiệm đăng ký khai sinh cho con»), trích nguyên văn tại "
            "thutucphapluat.com/bai-viet/3192 và hoidapluat.vn «Thời gian đăng ký làm giấy khai "
            "sinh từ khi con ra đời»; Sở Tư pháp Hậu Giang, «Chuyên đề đăng ký khai sinh», "
            "01/05/2023"),
    verified=True,
    checked=date(2026, 12, 2),
    counting_source=("Bộ luật Dân sự 2015, Điều 147 khoản 3 (không tính ngày sinh), Điều 148 "
                     "khoản 1 và 5 (hết ngày cuối; ngày cuối là ngày nghỉ thì hết ngày làm việc "
                     "tiếp theo), theo thuvienphapluat.vn «Thời điểm bắt đầu và kết thúc thời "
                     "hạn được xác định như thế nào?»; áp dụng cho hạn khai sinh là cách hiểu "
                     "của dự án, chưa đối chiếu hướng dẫn của cơ quan hộ tịch"),
    counting_verified=False,
)


@dataclass(frozen=True)
class Timing:
    """Where a registration on ``on_day`` stands against the window opened by ``event``."""

    event: date
    on_day: date
    window: Window
    last_day: date  # the last on-time day, after a day off moved it
    moved_from: date | None = None  # the 60th day when it was a day off

    @property
    def day_number(self) -> int:
        """Days since the event (the event's own day is day 0)."""
        return (self.on_day - self.event).days

    @property
    def on_time(self) -> bool:
        return self.on_day <= self.last_day

    @property
    def days_late(self) -> int:
        return max((self.on_day - self.last_day).days, 0)


def registration_timing(event: date, on_day: date, window: Window, *,
                        is_day_off: Callable[[date], bool] | None = None,
                        field: str = "ngay_sinh_tre") -> Timing:
    """On time or late for a registration on ``on_day``; ``is_day_off`` (the ward's calendar)
    moves a last day that falls on a day off. An event after ``on_day`` is refused."""
    if event > on_day:
        raise InvalidInput(_("Ngày sinh của trẻ đang sau ngày hôm nay ({today}): chỉ đăng ký "
                             "khai sinh được sau khi trẻ ra đời. Hãy kiểm tra lại ngày, tháng, "
                             "năm sinh.").format(today=format_date(on_day)),
                           field=field, value=event)
    last = event + timedelta(days=window.days)
    moved_from = None
    if is_day_off is not None and is_day_off(last):
        moved_from = last
        for _step in range(MAX_DAY_OFF_RUN):
            last += timedelta(days=1)
            if not is_day_off(last):
                break
    return Timing(event, on_day, window, last, moved_from)


def birth_timing(born: date, today: date, *,
                 is_day_off: Callable[[date], bool] | None = None) -> Timing:
    """Birth registration on ``today`` for a child born on ``born``."""
    return registration_timing(born, today, BIRTH, is_day_off=is_day_off)


def timing_text(timing: Timing) -> str:
    """One plain sentence for the resident: on time (until when) or late (by how much). The
    fee that follows comes from the catalogue (``Procedure.quote_fee(on_time=...)``)."""
    last = format_date(timing.last_day)
    if timing.on_time:
        return _("Đăng ký đúng hạn: trong {days} ngày kể từ ngày sinh (hạn đến hết ngày "
                 "{last}).").format(days=timing.window.days, last=last)
    return _("Đăng ký quá hạn {late} ngày: hạn {days} ngày kể từ ngày sinh đã hết ngày {last}. "
             "Vẫn đăng ký khai sinh được như thường.").format(
                 late=timing.days_late, days=timing.window.days, last=last)


def timing_details(timing: Timing) -> list[str]:
    """The rule and its sources, for the details one tap away."""
    lines = [_("Hôm nay là ngày thứ {n} kể từ ngày sinh {born} (không tính ngày sinh).").format(
        n=timing.day_number, born=format_date(timing.event)),
        _("Căn cứ: {source}.").format(source=timing.window.source)]
    if timing.moved_from is not None:
        lines.append(_("Ngày thứ {days} ({day}) là ngày nghỉ nên hạn kéo đến hết ngày làm việc "
                       "tiếp theo ({last}) (chưa kiểm chứng).").format(
                           days=timing.window.days, day=format_date(timing.moved_from),
                           last=format_date(timing.last_day)))
    lines.append(_("Cách đếm: {source}.").format(source=timing.window.counting_source))
    return lines
