"""Working-day calendar: holidays, day swaps, opening hours and due dates.

Working days are Monday to Friday minus public holidays. Holidays come from
the ``holidays`` package (``holidays.VN``: lunar Tết, substituted days off and
its ``weekend_workdays``); ``data/day_swaps.yaml`` adds the government's yearly
swaps that the package lacks, each with its source.

Every shipped day off or weekend workday names its source and whether the
project counts it as settled (``verified``). Unverified ones (a future Tết
window, 24/11 Ngày Văn hóa Việt Nam, a notice read only in the press) are days
off or not by the trainer's switch ``locality.unverified_days_off``;
:meth:`WorkCalendar.due_date_notes` says which of them a due date depends on.

Importing ``holidays`` loads every country (~11 MB, ~80 ms per simulator
kernel), so its output for :data:`DEFAULT_YEARS` ships as ``data/holidays_vn.csv``
and calendars inside those years are built from it; other years still call the
package. After upgrading ``holidays``, run ``python scripts/update_holidays.py``
(a test fails until the table matches the installed package).

Receipt rule (the project's own convention, no cited rule): a dossier
received on a day off, or at/after closing time (17:00 by default, from
``locality.yaml``), counts as received at opening time on the next working
day; one received before opening counts from opening on that day. The
procedure's time rule then runs from that counted receipt:

- ``working_days`` N: the N-th working day after the receipt day;
- ``calendar_days`` N: receipt day + N days, moved to the next working day if
  that is a day off (the rule's ``note`` gives the source);
- ``same_day``: the receipt day, or the next working day when the dossier is
  received after the rule's cutoff (e.g. after 15:00);
- ``unverified``: no due date (None).

Every scalar method has a vectorised twin over pandas (``due_dates``,
``classify_many``) built on numpy business-day functions; a property test
checks that both always agree. pandas and numpy are imported only there, so
importing this module stays light.
"""

from __future__ import annotations

import bisect
import csv
import io
import re
import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from ..errors import InvalidInput
from ..i18n import _, nfc
from .catalogue import Catalogue, Procedure, load_catalogue, unverified_label
from .datafiles import checked_field, data_path, invalid, load_yaml, read_data_text, require
from .locality import Locality, load_locality

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

SWAPS_FILE = "day_swaps.yaml"
HOLIDAYS_FILE = "holidays_vn.csv"
TIMEZONE = ZoneInfo("Asia/Ho_Chi_Minh")
DEFAULT_YEARS = range(2015, 2036)


class Timeliness(StrEnum):
    """Whether a result came before, on or after its due date.

    The project's own definitions, compared by calendar day: Quyết định
    766/QĐ-TTg names the index but its annex was not read, so the legal
    definitions are unverified. Lessons show :attr:`definition` and :func:`timeliness_definition`.
    """

    EARLY = "trước hạn"
    ON_TIME = "đúng hạn"
    LATE = "quá hạn"

    @property
    def label(self) -> str:
        """The term in the current language."""
        return {
            Timeliness.EARLY: _("trước hạn"),
            Timeliness.ON_TIME: _("đúng hạn"),
            Timeliness.LATE: _("quá hạn"),
        }[self]

    @property
    def definition(self) -> str:
        return {
            Timeliness.EARLY: _("Trước hạn: có kết quả vào một ngày trước ngày hẹn trả."),
            Timeliness.ON_TIME: _("Đúng hạn: có kết quả đúng vào ngày hẹn trả."),
            Timeliness.LATE: _("Quá hạn: có kết quả sau ngày hẹn trả."),
        }[self]


def timeliness_definition() -> str:
    """The project's definition of the three terms, with its caveat, for lessons."""
    lines = [t.definition for t in Timeliness]
    lines.append(_("Đây là định nghĩa của dự án để tập dượt (so sánh theo ngày, không theo giờ); "
                   "định nghĩa pháp lý của các thuật ngữ này chưa kiểm chứng."))
    return "\n".join(lines)


@dataclass(frozen=True)
class DaySwap:
    """A government swap: ``day_off`` becomes a day off, ``working_day`` a working day."""

    day_off: date | None
    working_day: date | None
    name: str
    source: str
    verified: bool
    checked: date | None = None  # day the source was last compared


def load_swaps(path: str | Path | None = None) -> tuple[DaySwap, ...]:
    """Read and check ``data/day_swaps.yaml`` (or ``path``)."""
    target = path if path is not None else SWAPS_FILE
    file = str(target)
    data = load_yaml(target)
    items = require(data, "swaps", file=file, entry="(tệp)", kind=list) if data else []
    swaps = []
    for index, item in enumerate(items, start=1):
        entry = f"#{index}"
        if not isinstance(item, dict):
            raise invalid(file, entry, "swap", item, _("mỗi mục phải là một bảng"))
        day_off = _swap_date(item, "day_off", file, entry)
        working = _swap_date(item, "working_day", file, entry)
        if day_off is None and working is None:
            raise invalid(file, entry, "day_off", None, _("cần day_off hoặc working_day"))
        if day_off is not None and day_off.weekday() >= 5:
            raise invalid(file, entry, "day_off", day_off.isoformat(),
                          _("ngày nghỉ hoán đổi phải là ngày trong tuần (thứ Hai – thứ Sáu)"))
        if working is not None and working.weekday() < 5:
            raise invalid(file, entry, "working_day", working.isoformat(),
                          _("ngày làm bù phải là thứ Bảy hoặc Chủ nhật"))
        name = require(item, "name", file=file, entry=entry, kind=str)
        swaps.append(DaySwap(day_off, working, name, require(item, "source", file=file,
                                                             entry=entry, kind=str),
                             require(item, "verified", file=file, entry=entry, kind=bool),
                             checked_field(item, "checked", file, entry)))
    return tuple(swaps)


def _swap_date(item: dict, key: str, file: str, entry: str) -> date | None:
    value = item.get(key)
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise invalid(file, entry, key, value, _("cần ngày dạng YYYY-MM-DD")) from None


TABLE_COLUMNS = ("date", "kind", "name", "source", "verified", "checked")
_TABLE_FIRST_LINE = re.compile(r"# holidays (\S+), years (\d{4})-(\d{4})")


@dataclass(frozen=True)
class HolidayRow:
    """One row of the shipped table, with what it rests on (for the sources page)."""

    day: date
    kind: str  # "holiday" or "weekend_workday"
    name: str
    source: str
    verified: bool
    checked: date


@dataclass(frozen=True)
class HolidayTable:
    """``holidays.VN(years, language="vi")`` as shipped in ``data/holidays_vn.csv``."""

    version: str
    years: range
    holidays: Mapping[date, str]
    weekend_workdays: frozenset[date]
    rows: tuple[HolidayRow, ...] = ()

    @property
    def unverified(self) -> frozenset[date]:
        """Days whose row (holiday or weekend workday) is not verified."""
        return frozenset(r.day for r in self.rows if not r.verified)


def holiday_rows(path: str | Path | None = None) -> tuple[HolidayRow, ...]:
    """Rows of the shipped table: (day, kind, name, source, verified, checked)."""
    return load_holiday_table(path).rows


def load_holiday_table(path: str | Path | None = None) -> HolidayTable:
    """Read and check ``data/holidays_vn.csv`` (or ``path``); cached per process.

    Format (written by ``scripts/update_holidays.py``): a first line
    ``# holidays <version>, years <first>-<last>``, then CSV rows under the
    header ``date,kind,name,source,verified,checked``; ``kind`` is ``holiday``
    (with its name) or ``weekend_workday`` (name empty); ``source`` names the
    document, ``verified`` is ``true``/``false``, ``checked`` a YYYY-MM-DD day.
    """
    return _read_holiday_table(data_path(path if path is not None else HOLIDAYS_FILE))


@cache
def _read_holiday_table(path: Path) -> HolidayTable:
    file = str(path)
    text = read_data_text(path)
    first_line, _newline, body = text.partition("\n")
    match = _TABLE_FIRST_LINE.fullmatch(first_line.strip())
    if match is None or int(match[2]) > int(match[3]):
        raise invalid(file, _line(1), "years", first_line,
                      _("dòng đầu phải có dạng '# holidays <phiên bản>, years <năm đầu>-<năm cuối>'"))
    years = range(int(match[2]), int(match[3]) + 1)
    names: dict[date, str] = {}
    worked: set[date] = set()
    rows: list[HolidayRow] = []
    reader = csv.reader(io.StringIO(body))
    header = None
    for row in reader:
        entry = _line(reader.line_num + 1)
        if header is None:
            header = tuple(row)
            if header != TABLE_COLUMNS:
                raise invalid(file, entry, "columns", ",".join(row),
                              _("cần tiêu đề cột {columns}").format(
                                  columns=",".join(TABLE_COLUMNS)))
            continue
        if not row:
            continue
        if len(row) != len(TABLE_COLUMNS):
            raise invalid(file, entry, "columns", ",".join(row),
                          _("mỗi dòng cần đúng {n} cột {columns}").format(
                              n=len(TABLE_COLUMNS), columns=",".join(TABLE_COLUMNS)))
        raw_day, kind, name, source, raw_verified, raw_checked = row
        day = _table_date(raw_day, years, file, entry)
        if not source.strip():
            raise invalid(file, entry, "source", source, _("không được để trống"))
        if raw_verified not in ("true", "false"):
            raise invalid(file, entry, "verified", raw_verified, _("phải là true hoặc false"))
        checked = checked_field({"checked": raw_checked}, "checked", file, entry)
        if kind == "holiday":
            if not name.strip():
                raise invalid(file, entry, "name", name, _("không được để trống"))
            if day in names:
                raise invalid(file, entry, "date", raw_day, _("ngày lễ bị lặp lại"))
            names[day] = nfc(name)
        elif kind == "weekend_workday":
            if name:
                raise invalid(file, entry, "name", name, _("ngày làm bù không có tên"))
            worked.add(day)
        else:
            raise invalid(file, entry, "kind", kind,
                          _("cần 'holiday' hoặc 'weekend_workday'"))
        rows.append(HolidayRow(day, kind, nfc(name), nfc(source), raw_verified == "true",
                               checked))
    if header is None:
        raise invalid(file, _line(2), "columns", "", _("cần tiêu đề cột {columns}").format(
            columns=",".join(TABLE_COLUMNS)))
    return HolidayTable(match[1], years, MappingProxyType(names), frozenset(worked),
                        tuple(rows))


def _line(number: int) -> str:
    return _("dòng {line}").format(line=number)


def _table_date(value: str, years: range, file: str, entry: str) -> date:
    try:
        day = date.fromisoformat(value)
    except ValueError:
        day = None
    if day is None or day.isoformat() != value:  # also refuses 20250101 and week dates
        raise invalid(file, entry, "date", value, _("cần ngày dạng YYYY-MM-DD"))
    if day.year not in years:
        raise invalid(file, entry, "date", value, _("nằm ngoài các năm của bảng ({first}–{last})")
                      .format(first=years[0], last=years[-1]))
    return day


def public_holidays(years: range, table: str | Path | None = HOLIDAYS_FILE,
                    ) -> tuple[dict[date, str], frozenset[date]]:
    """Vietnamese names of public holidays in ``years``, and ``weekend_workdays``.

    From the shipped table when it covers ``years``; otherwise (or when
    ``table`` is None) from the ``holidays`` package. Weekend workdays may lie
    outside ``years`` (the package lists those of other years too): callers cut them.
    """
    names, worked, _unverified = _public_days(years, table)
    return names, worked


def _public_days(years: range, table: str | Path | None,
                 ) -> tuple[dict[date, str], frozenset[date], frozenset[date]]:
    """:func:`public_holidays` plus the days (off or worked) that are not verified."""
    if table is not None:
        loaded = load_holiday_table(table)
        if years and loaded.years[0] <= years[0] and years[-1] <= loaded.years[-1]:
            return ({d: n for d, n in loaded.holidays.items() if d.year in years},
                    loaded.weekend_workdays, loaded.unverified)
    import holidays  # loads every country: ~11 MB, ~80 ms

    public = holidays.VN(years=years, language="vi")
    # Beyond the table only the package's own "(dự kiến)" marks a day as unsettled.
    estimated = frozenset(d for d, n in public.items() if "dự kiến" in n)
    return dict(public.items()), frozenset(public.weekend_workdays), estimated


def _weekday(day: date) -> str:
    return _("Chủ nhật") if day.weekday() == 6 else _("thứ Bảy")


def _naive_local(moment: datetime) -> datetime:
    # Deadlines are counted in Vietnamese local time.
    if moment.tzinfo is not None:
        return moment.astimezone(TIMEZONE).replace(tzinfo=None)
    return moment


class WorkCalendar:
    """Working days, office hours and due dates of one ward, for ``years``."""

    def __init__(self, years: Iterable[int] = DEFAULT_YEARS,
                 swaps: str | Path | Sequence[DaySwap] | None = None,
                 locality: Locality | None = None, *,
                 holiday_table: str | Path | None = HOLIDAYS_FILE):
        """``holiday_table``: the shipped table (or another path); None asks the package."""
        year_list = sorted(set(years))
        if not year_list:
            raise InvalidInput(_("Cần ít nhất một năm cho lịch (years)"), field="years")
        self.first = date(year_list[0], 1, 1)
        self.last = date(year_list[-1], 12, 31)
        self.locality = locality if locality is not None else load_locality()
        if swaps is None or isinstance(swaps, str | Path):
            swaps = load_swaps(swaps)
        self.swaps = tuple(swaps)

        span = range(year_list[0], year_list[-1] + 1)
        names, weekend_workdays, unverified = _public_days(span, holiday_table)
        weekend = {self.first + timedelta(days=i)
                   for i in range((self.last - self.first).days + 1)}
        weekend = {d for d in weekend if d.weekday() >= 5}
        sure_off = {d for d in names if d not in unverified}
        maybe_off = {d for d in names if d in unverified}
        sure_worked = {d for d in weekend_workdays if d not in unverified}
        maybe_worked = {d for d in weekend_workdays if d in unverified}
        for swap in self.swaps:
            suffix = "" if swap.verified else f" ({unverified_label()})"
            if swap.day_off is not None:
                (sure_off if swap.verified else maybe_off).add(swap.day_off)
                names[swap.day_off] = swap.name + suffix
            if swap.working_day is not None:
                (sure_worked if swap.verified else maybe_worked).add(swap.working_day)
        # Days whose status turns on an unverified fact: a weekday that only an
        # unverified holiday makes a day off, a weekend day only an unverified swap works.
        base_off = (weekend | sure_off) - sure_worked
        self._unverified_off = frozenset(
            d for d in maybe_off - base_off if self.first <= d <= self.last)
        self._unverified_worked = frozenset(
            d for d in maybe_worked & base_off if self.first <= d <= self.last)
        self.unverified_days_off = self.locality.unverified_days_off
        off = set(base_off)
        if self.unverified_days_off:
            off = (off | self._unverified_off) - self._unverified_worked
        off = {d for d in off if self.first <= d <= self.last}
        self._off = frozenset(off)
        self._names = {d: n for d, n in names.items() if d in self._off}
        self._unverified_names = {d: names[d] for d in self._unverified_off}
        self._working = [o for o in range(self.first.toordinal(), self.last.toordinal() + 1)
                         if date.fromordinal(o) not in self._off]
        self._busdaycal: Any = None

    # --- scalar ---------------------------------------------------------------

    def _check(self, day: date, field: str = "date") -> date:
        if isinstance(day, datetime):
            day = day.date()
        if not isinstance(day, date):
            raise InvalidInput(_("Ngày ({field}) phải là một ngày (date hoặc datetime), đang có "
                                 "kiểu {kind}").format(field=field, kind=type(day).__name__),
                               field=field, value=day)
        if not self.first <= day <= self.last:
            raise InvalidInput(
                _("Ngày ({field}) {value} nằm ngoài phạm vi lịch {first} – {last}").format(
                    field=field, value=day.isoformat(), first=self.first.isoformat(),
                    last=self.last.isoformat()), field=field, value=day)
        return day

    def is_working_day(self, day: date) -> bool:
        return self._check(day) not in self._off

    def holiday_name(self, day: date) -> str | None:
        """Vietnamese name of a holiday or swapped day off; None otherwise."""
        return self._names.get(self._check(day))

    def next_working_day(self, day: date) -> date:
        """The first working day strictly after ``day``."""
        return self.add_working_days(day, 1)

    def add_working_days(self, day: date, n: int) -> date:
        """The n-th working day after ``day`` (before it when n < 0).

        Only days strictly after (before) ``day`` are counted; ``n == 0``
        gives ``day`` itself if it is a working day, else the next one.
        """
        day = self._check(day)
        ordinal = day.toordinal()
        if n > 0:
            index = bisect.bisect_right(self._working, ordinal) + n - 1
        elif n < 0:
            index = bisect.bisect_left(self._working, ordinal) + n
        else:
            index = bisect.bisect_left(self._working, ordinal)
        if not 0 <= index < len(self._working):
            raise InvalidInput(
                _("Kết quả vượt ra ngoài phạm vi lịch {first} – {last}").format(
                    first=self.first.isoformat(), last=self.last.isoformat()),
                field="n", value=n)
        return date.fromordinal(self._working[index])

    def working_days_between(self, start: date, end: date) -> int:
        """Working-day steps from ``start`` to ``end``, the inverse of :meth:`add_working_days`.

        Counts working days in (start, end]; when ``end`` is earlier, minus
        those in [end, start).
        """
        a = self._check(start, "start").toordinal()
        b = self._check(end, "end").toordinal()
        if b >= a:
            return bisect.bisect_right(self._working, b) - bisect.bisect_right(self._working, a)
        return bisect.bisect_left(self._working, b) - bisect.bisect_left(self._working, a)

    def is_office_open(self, moment: datetime) -> bool:
        moment = _naive_local(moment)
        return self.is_working_day(moment.date()) and self.locality.hours.is_open_at(moment.time())

    def counted_receipt(self, received_at: datetime | date) -> datetime:
        """The moment a dossier counts as received (see the module's receipt rule)."""
        if isinstance(received_at, datetime):
            moment = _naive_local(received_at)
        elif isinstance(received_at, date):
            moment = datetime.combine(received_at, self.locality.hours.opens)
        else:
            raise InvalidInput(_("Thời điểm tiếp nhận (received_at) phải là ngày hoặc ngày giờ, "
                                 "đang có kiểu {kind}").format(kind=type(received_at).__name__),
                               field="received_at", value=received_at)
        day = self._check(moment.date(), "received_at")
        hours = self.locality.hours
        if day in self._off or moment.time() >= hours.closes:
            return datetime.combine(self.next_working_day(day), hours.opens)
        return max(moment, datetime.combine(day, hours.opens))

    def due_date(self, received_at: datetime | date, procedure: Procedure) -> date | None:
        """Due date of a dossier; None only when the procedure's time rule is unverified."""
        rule = procedure.time
        if rule.kind == "unverified":
            return None
        counted = self.counted_receipt(received_at)
        day = counted.date()
        assert rule.days is not None or rule.kind == "same_day"
        if rule.kind == "working_days":
            return self.add_working_days(day, rule.days or 0)
        if rule.kind == "calendar_days":
            end = self._check(day + timedelta(days=rule.days or 0), "due_date")
            return end if end not in self._off else self.next_working_day(end)
        if rule.cutoff is not None and counted.time() > rule.cutoff:
            return self.next_working_day(day)
        return day

    # --- what a due date rests on ------------------------------------------------

    def unverified_days(self, start: date, end: date) -> tuple[tuple[date, str, bool], ...]:
        """Days in [start, end] that only an unverified fact makes off (False: worked),
        with their names; the switch ``unverified_days_off`` decides what they count as."""
        start, end = self._check(start, "start"), self._check(end, "end")
        days = [(d, self._unverified_names.get(d, ""), True) for d in self._unverified_off
                if start <= d <= end]
        days += [(d, _weekday(d), False) for d in self._unverified_worked if start <= d <= end]
        return tuple(sorted(days))

    def due_date_notes(self, received_at: datetime | date,
                       due: date | Procedure | None) -> tuple[str, ...]:
        """Vietnamese notes naming the unverified days between receipt and ``due``.

        ``due`` is the dossier's due date, or its procedure (the due date is then
        computed). With the switch on, the listed days off were skipped; with it
        off, they were counted as working days although they may be days off.
        """
        if isinstance(due, Procedure):
            due = self.due_date(received_at, due)
        if due is None:
            return ()
        if isinstance(received_at, datetime):
            received_at = _naive_local(received_at).date()
        days = self.unverified_days(min(received_at, due), due)
        off = "; ".join(f"{d:%d/%m/%Y} – {name}" for d, name, is_off in days if is_off)
        worked = "; ".join(f"{d:%d/%m/%Y} ({name})" for d, name, is_off in days if not is_off)
        notes = []
        if off:
            notes.append((_("Hạn này tính cả ngày nghỉ chưa kiểm chứng: {days}")
                          if self.unverified_days_off else
                          _("Hạn này coi là ngày làm việc cả những ngày có thể là ngày nghỉ "
                            "(chưa kiểm chứng): {days}")).format(days=off))
        if worked:
            notes.append((_("Hạn này tính cả ngày làm bù chưa kiểm chứng: {days}")
                          if self.unverified_days_off else
                          _("Hạn này không tính ngày làm bù chưa kiểm chứng: {days}"))
                         .format(days=worked))
        return tuple(notes)

    def receipt_moved(self, received_at: datetime | date) -> bool:
        """True when the receipt rule moved the receipt to a later day."""
        day = _naive_local(received_at).date() if isinstance(received_at, datetime) \
            else received_at
        return self.counted_receipt(received_at).date() != day

    def receipt_rule_note(self, *, plain: bool = False) -> str:
        """The receipt rule in one sentence; ``plain`` for residents."""
        closes = f"{self.locality.hours.closes:%H:%M}"
        if plain:
            return _("Hồ sơ nhận sau {closes} hoặc vào ngày nghỉ thì ngày hẹn được tính từ "
                     "ngày làm việc tiếp theo (cách tính của phòng thực hành này).").format(
                         closes=closes)
        return _("Hồ sơ nhận sau {closes} hoặc vào ngày nghỉ được tính từ ngày làm việc tiếp "
                 "theo — quy ước của phòng thực hành").format(closes=closes)

    @staticmethod
    def classify(resolved_at: datetime | date, due: date) -> Timeliness:
        """Compare the day of the result with the due date (see :class:`Timeliness`)."""
        if isinstance(resolved_at, datetime):
            resolved = _naive_local(resolved_at).date()
        elif isinstance(resolved_at, date):
            resolved = resolved_at
        else:
            raise InvalidInput(_("Thời điểm có kết quả (resolved_at) phải là ngày hoặc ngày giờ, "
                                 "đang có kiểu {kind}").format(kind=type(resolved_at).__name__),
                               field="resolved_at", value=resolved_at)
        if isinstance(due, datetime):
            due = due.date()
        if not isinstance(due, date):
            raise InvalidInput(_("Ngày hẹn trả (due_date) phải là một ngày, đang có kiểu {kind}")
                               .format(kind=type(due).__name__), field="due_date", value=due)
        if resolved < due:
            return Timeliness.EARLY
        return Timeliness.ON_TIME if resolved == due else Timeliness.LATE

    # --- vectorised -------------------------------------------------------------

    @property
    def busdaycalendar(self) -> np.busdaycalendar:
        """numpy calendar: weekmask of all days, every day off listed as a holiday.

        Listing weekends too (instead of weekmask "1111100") is what lets a
        swapped working Saturday be a working day.
        """
        if self._busdaycal is None:
            import numpy as np

            off = np.array(sorted(self._off), dtype="datetime64[D]")
            self._busdaycal = np.busdaycalendar(weekmask="1111111", holidays=off)
        return self._busdaycal

    def _range_check(self, days: np.ndarray, field: str) -> None:
        import numpy as np

        present = days[~np.isnat(days)]
        if present.size == 0:
            return
        low, high = present.min(), present.max()
        first, last = np.datetime64(self.first, "D"), np.datetime64(self.last, "D")
        if low < first or high > last:
            bad = low if low < first else high
            raise InvalidInput(
                _("Ngày ({field}) {value} nằm ngoài phạm vi lịch {first} – {last}").format(
                    field=field, value=str(bad), first=self.first.isoformat(),
                    last=self.last.isoformat()), field=field, value=str(bad))

    def counted_receipt_days(self, received_at: pd.Series) -> tuple[np.ndarray, np.ndarray]:
        """Vectorised :meth:`counted_receipt`: (day as datetime64[D], ns after midnight)."""
        import numpy as np

        stamps = _to_naive_datetimes(received_at, "received_at")
        day = stamps.astype("datetime64[D]")
        self._range_check(day, "received_at")
        tod = (stamps - day.astype("datetime64[ns]")).astype(np.int64)
        hours = self.locality.hours
        opens, closes = ns_of_day(hours.opens), ns_of_day(hours.closes)
        cal = self.busdaycalendar
        moved = ~np.is_busday(day, busdaycal=cal) | (tod >= closes)
        # roll="backward" then +1: the first working day strictly after `day`.
        later = np.busday_offset(day, 1, roll="backward", busdaycal=cal)
        counted_day = np.where(moved, later, day)
        counted_tod = np.where(moved, opens, np.maximum(tod, opens))
        return counted_day, counted_tod

    def due_dates(self, received_at: pd.Series, procedure_codes: pd.Series,
                  catalogue: Catalogue | None = None) -> pd.Series:
        """Vectorised :meth:`due_date`: datetime64 Series, NaT for unverified rules."""
        import numpy as np
        import pandas as pd

        catalogue = catalogue if catalogue is not None else load_catalogue()
        if len(received_at) != len(procedure_codes):
            raise InvalidInput(_("received_at và procedure phải dài bằng nhau ({a} ≠ {b})")
                               .format(a=len(received_at), b=len(procedure_codes)),
                               field="procedure")
        codes, uniques = pd.factorize(np.asarray(procedure_codes, dtype=object))
        if (codes < 0).any():
            raise InvalidInput(_("Thiếu mã thủ tục (procedure) ở {n} dòng").format(
                n=int((codes < 0).sum())), field="procedure")
        kinds, days, cutoffs = [], [], []
        for code in uniques:
            if code not in catalogue:
                raise InvalidInput(_("Mã thủ tục (procedure) {value!r} không có trong danh mục")
                                   .format(value=code), field="procedure", value=code)
            rule = catalogue[code].time
            kinds.append(_KIND_CODES[rule.kind])
            days.append(rule.days or 0)
            cutoffs.append(ns_of_day(rule.cutoff) if rule.cutoff is not None else _NEVER)
        kind = np.asarray(kinds, dtype=np.int8)[codes]
        n_days = np.asarray(days, dtype=np.int64)[codes]
        cutoff = np.asarray(cutoffs, dtype=np.int64)[codes]

        counted_day, counted_tod = self.counted_receipt_days(received_at)
        cal = self.busdaycalendar
        due = np.full(len(kind), np.datetime64("NaT"), dtype="datetime64[D]")
        mask = kind == _KIND_CODES["working_days"]
        due[mask] = np.busday_offset(counted_day[mask], n_days[mask], roll="forward",
                                     busdaycal=cal)
        mask = kind == _KIND_CODES["calendar_days"]
        end = counted_day[mask] + n_days[mask].astype("timedelta64[D]")
        due[mask] = np.busday_offset(end, 0, roll="forward", busdaycal=cal)
        mask = kind == _KIND_CODES["same_day"]
        late = (counted_tod[mask] > cutoff[mask]).astype(np.int64)
        due[mask] = np.busday_offset(counted_day[mask], late, roll="forward", busdaycal=cal)
        self._range_check(due, "due_date")
        index = received_at.index if isinstance(received_at, pd.Series) else None
        return pd.Series(due.astype("datetime64[ns]"), index=index, name="due_date")

    @staticmethod
    def classify_many(resolved_at: pd.Series, due: pd.Series) -> pd.Series:
        """Vectorised :meth:`classify`: categorical of Timeliness values, NaN when either is missing."""
        import numpy as np
        import pandas as pd

        if len(resolved_at) != len(due):
            raise InvalidInput(_("resolved_at và due_date phải dài bằng nhau ({a} ≠ {b})")
                               .format(a=len(resolved_at), b=len(due)), field="due_date")
        resolved = _to_naive_datetimes(resolved_at, "resolved_at").astype("datetime64[D]")
        due_day = _to_naive_datetimes(due, "due_date").astype("datetime64[D]")
        codes = np.where(resolved < due_day, 0, np.where(resolved == due_day, 1, 2))
        codes[np.isnat(resolved) | np.isnat(due_day)] = -1
        values = pd.Categorical.from_codes(codes, categories=[t.value for t in Timeliness])
        index = resolved_at.index if isinstance(resolved_at, pd.Series) else None
        return pd.Series(values, index=index, name="timeliness")


_KIND_CODES = {"working_days": 0, "calendar_days": 1, "same_day": 2, "unverified": 3}
_NEVER = 2**62  # a cutoff no time of day exceeds


def ns_of_day(moment: time) -> int:
    """Nanoseconds after midnight (the vectorised code's time of day)."""
    return ((moment.hour * 60 + moment.minute) * 60 + moment.second) * 10**9 \
        + moment.microsecond * 1000


def _to_naive_datetimes(values: Any, field: str) -> np.ndarray:
    """Any Series/array of datetimes -> datetime64[ns] numpy array in local time."""
    import pandas as pd

    series = values if isinstance(values, pd.Series) else pd.Series(values)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # "could not infer format"
        stamps = pd.to_datetime(series, errors="coerce")
    unreadable = stamps.isna() & series.notna()
    if unreadable.any():
        value = series[unreadable].iloc[0]
        raise InvalidInput(_("Cột {field} phải chứa ngày giờ; dòng {row} có giá trị không đọc "
                             "được thành ngày giờ").format(field=field,
                                                          row=series[unreadable].index[0]),
                           field=field, value=value)
    if getattr(stamps.dt, "tz", None) is not None:
        stamps = stamps.dt.tz_convert(TIMEZONE).dt.tz_localize(None)
    return stamps.to_numpy(dtype="datetime64[ns]")


@cache
def default_calendar() -> WorkCalendar:
    """The ward's calendar from the default data files, built once per process."""
    return WorkCalendar()


def due_dates(received_at: pd.Series, procedure_codes: pd.Series,
              catalogue: Catalogue | None = None, *,
              calendar: WorkCalendar | None = None) -> pd.Series:
    """Vectorised due dates with ``calendar`` (default: the ward's calendar)."""
    return (calendar or default_calendar()).due_dates(received_at, procedure_codes, catalogue)


def classify_many(resolved_at: pd.Series, due: pd.Series) -> pd.Series:
    """Vectorised :meth:`WorkCalendar.classify`."""
    return WorkCalendar.classify_many(resolved_at, due)
