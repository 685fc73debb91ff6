"""Synthetic dossier log for KPI exercises: made-up dossiers, calibrated to the ward's report.

Nothing here is a real record. The defaults reproduce the figures the newspaper
article on phường Trúc Lâm published: 2,588 dossiers received from 1 July to
10 November 2025, 77.5% resolved before the due date and 99.1% before or on it;
that is exactly 2,006 early, 559 on time and 23 late.

How to reproduce them: ``kpi_report(synthetic_log())``, that is seed 2025, 2,588
dossiers received from 01/07/2025 to 10/11/2025, reported as of the end of
10/11/2025 (the log's ``attrs["as_of"]``, which ``kpi_report`` uses by default) and
counted by the KPI rule of :mod:`kynangso.domain.kpi`: a dossier with no result by
then and past its due date is late, one not yet due is left out of the denominator
(the log has none). The report gives 77,5% (2.006/2.588) trước hạn and 99,1%
(2.565/2.588) trước và đúng hạn, and prints the same recipe in its note
(``attrs["kpi_note"]``).

How a log is made (regenerate it any time: the same seed gives the same log):

1. Each dossier gets a category first: exactly ``round(77.5% of n)`` early,
   ``round(99.1% of n)`` early-or-on-time, the rest late.
2. Early dossiers get a multi-day procedure (a same-day one cannot finish
   before its due date); the others any procedure. Only procedures with a time
   figure (not ``unverified``) are used, so every dossier has a due date; the
   mix (``PROCEDURE_MIX``) is the project's assumption.
3. A channel the procedure offers; in-person receipts fall on working days in
   office hours, online ones at any time (nights, weekends, holidays).
4. The due date comes from :class:`~kynangso.domain.workcalendar.WorkCalendar`.
   The log is a snapshot at the end of ``end`` (the as-of day), so each category
   must have happened by then: an early result on a working day before both the
   due date and the as-of day, an on-time one on a due date no later than the
   as-of day, a late one after a due date before the as-of day. A dossier whose
   draw cannot (received too close to the end) is drawn again (steps 2-3).
5. The result day is picked to fit the category; a late result that would come
   after the as-of day is not there yet: the dossier is still pending, past due,
   and the KPI rule counts it late all the same. The resident collects the result
   a little later (online results at once), a few never yet, none after the as-of day.
6. About 60% of the residents with a result answer the satisfaction survey (1–5),
   late dossiers less happily.

Generation is vectorised with numpy, so a million rows take seconds.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from ..errors import InvalidInput
from ..i18n import _
from .catalogue import ONLINE_CHANNELS, Catalogue, load_catalogue
from .workcalendar import WorkCalendar, default_calendar, ns_of_day

if TYPE_CHECKING:
    import pandas as pd

EARLY_SHARE = 0.775  # the ward's report: "about 77.5% resolved before the deadline"
EARLY_OR_ON_TIME_SHARE = 0.991  # the ward's report: "99.1% before or on the deadline"

# Synthetic share of dossiers by procedure (the project's assumption).
PROCEDURE_MIX = {
    "tam-tru": 0.24,
    "thuong-tru": 0.18,
    "ly-lich-tu-phap": 0.20,
    "chung-thuc-ban-sao": 0.22,
    "khai-sinh": 0.11,
    "ket-hon": 0.05,
}
CHANNEL_MIX = {"truc-tiep": 0.50, "vneid": 0.30, "cong-dvc": 0.20}
RESPONSE_RATE = 0.6
NOT_COLLECTED_SHARE = 0.02
# P(rating = 1..5)
RATINGS_IN_TIME = (0.01, 0.02, 0.07, 0.30, 0.60)
RATINGS_LATE = (0.15, 0.20, 0.30, 0.20, 0.15)
LATE_BY_DAYS = ((1, 2, 3, 4, 5), (0.5, 0.25, 0.12, 0.08, 0.05))
MAX_DRAWS = 200  # redraws of dossiers that cannot fit their category by the as-of day

STATUS_RETURNED = "Đã trả kết quả"
STATUS_WAITING = "Chờ trả kết quả"
STATUS_PROCESSING = "Đang giải quyết"
COLUMNS = ("code", "procedure", "field", "channel", "received_at", "due_date", "resolved_at",
           "returned_at", "status", "rating", "month")


def category_counts(n: int) -> tuple[int, int, int]:
    """(early, on time, late) for ``n`` dossiers, calibrated to the ward's report."""
    early = round(EARLY_SHARE * n)
    in_time = round(EARLY_OR_ON_TIME_SHARE * n)
    return early, in_time - early, n - in_time


def synthetic_log(seed: int = 2025, n: int = 2588, start: date = date(2025, 7, 1),
                  end: date = date(2025, 11, 10), catalogue: Catalogue | None = None,
                  calendar: WorkCalendar | None = None) -> pd.DataFrame:
    """A deterministic synthetic dossier log as of the end of ``end`` (module docstring)."""
    import numpy as np
    import pandas as pd

    if isinstance(n, bool) or not isinstance(n, int) or n < 0:
        raise InvalidInput(_("Số hồ sơ (n) phải là số nguyên không âm, ví dụ 500"),
                           field="n", value=n)
    if not isinstance(start, date) or not isinstance(end, date) or end < start:
        raise InvalidInput(_("Khoảng ngày không hợp lệ: từ {start} đến {end} (end phải từ start "
                             "trở đi)").format(start=start, end=end), field="end", value=end)
    catalogue = catalogue if catalogue is not None else load_catalogue()
    calendar = calendar if calendar is not None else default_calendar()
    cal = calendar.busdaycalendar
    rng = np.random.default_rng(seed)

    # A time figure is enough: the whole lab computes due dates from it (verified or not).
    usable = [p for p in catalogue if p.time.kind != "unverified"]
    multi_day = [p for p in usable if p.time.kind in ("working_days", "calendar_days")]
    n_early, n_on_time, n_late = category_counts(n)
    if n_early and not multi_day:
        raise InvalidInput(_("Danh mục không có thủ tục nhiều ngày có thời hạn giải quyết, "
                             "không thể tạo hồ sơ trước hạn"), field="catalogue")
    if n and not usable:
        raise InvalidInput(_("Danh mục không có thủ tục nào có thời hạn giải quyết"),
                           field="catalogue")

    # 1. categories: 0 early, 1 on time, 2 late
    category = rng.permutation(np.repeat(np.array([0, 1, 2], dtype=np.int8),
                                         [n_early, n_on_time, n_late]))

    # 2-4. procedure, channel, receipt and due date; redraw what cannot fit by the as-of day
    as_of_day = np.datetime64(end, "D")
    codes = np.array([p.code for p in usable] or [""], dtype=object)
    proc_index = np.zeros(n, dtype=np.int64)
    channel = np.empty(n, dtype=object)
    received = np.empty(n, dtype="datetime64[ns]")
    due = np.empty(n, dtype="datetime64[D]")
    counted_day = np.empty(n, dtype="datetime64[D]")
    counted_tod = np.empty(n, dtype=np.int64)
    todo = np.arange(n)
    for _draw in range(MAX_DRAWS):
        if todo.size == 0:
            break
        kind = category[todo]
        proc_index[todo] = _procedures(rng, kind, usable, multi_day)
        channel[todo] = _channels(rng, proc_index[todo], usable)
        received[todo] = _receipts(rng, channel[todo] == "truc-tiep", start, end, calendar)
        stamps = pd.Series(received[todo])
        due[todo] = calendar.due_dates(stamps, pd.Series(codes[proc_index[todo]]),
                                       catalogue).to_numpy().astype("datetime64[D]")
        counted_day[todo], counted_tod[todo] = calendar.counted_receipt_days(stamps)
        fits = np.where(kind == 0, counted_day[todo] <= as_of_day,
                        np.where(kind == 1, due[todo] <= as_of_day, due[todo] < as_of_day))
        todo = todo[~fits]
    if todo.size:
        raise InvalidInput(_("Từ {start} đến {end} quá ngắn: không đủ ngày làm việc để có hồ "
                             "sơ đúng hạn và quá hạn tính đến hết ngày {end}").format(
                                 start=start, end=end), field="end", value=end)
    procedure = codes[proc_index]

    # 5. result day fitting the category
    resolved_day = due.copy()
    early = category == 0
    last = np.minimum(due[early], as_of_day + 1)  # before the due date, by the as-of day
    span = np.busday_count(counted_day[early], last, busdaycal=cal)
    steps = np.floor(rng.random(int(early.sum())) * span).astype(np.int64)
    resolved_day[early] = np.busday_offset(counted_day[early], steps, roll="forward",
                                           busdaycal=cal)
    late = category == 2
    days_late = rng.choice(LATE_BY_DAYS[0], size=int(late.sum()), p=LATE_BY_DAYS[1])
    resolved_day[late] = np.busday_offset(due[late], days_late, roll="forward", busdaycal=cal)
    pending = resolved_day > as_of_day  # late, and no result yet
    hours = calendar.locality.hours
    opens, closes = ns_of_day(hours.opens), ns_of_day(hours.closes)
    minute = 60 * 10**9
    low = np.full(n, opens, dtype=np.int64)
    same_day = resolved_day == counted_day
    low[same_day] = np.maximum(low[same_day], counted_tod[same_day] + minute)
    high = np.maximum(closes, low + 10 * minute)  # stay a little late if needed
    second = 10**9
    resolved_tod = low + rng.integers(0, (high - low) // second) * second
    resolved = _at(resolved_day, resolved_tod)
    resolved[pending] = np.datetime64("NaT")

    # result collected: online results at once, others 0-3 working days later
    delivers_online = np.array(["truc-tuyen" in p.delivery for p in usable] or [False])
    online_result = np.isin(channel, list(ONLINE_CHANNELS)) & delivers_online[proc_index]
    wait = rng.choice([0, 1, 2, 3], size=n, p=[0.5, 0.25, 0.15, 0.1])
    returned_day = np.busday_offset(resolved_day, wait, roll="forward", busdaycal=cal)
    returned_tod = np.where(
        wait == 0, resolved_tod + rng.integers(60, 90 * 60, size=n) * second,
        opens + rng.integers(0, (closes - opens) // second, size=n) * second)
    returned = np.where(online_result, resolved, _at(returned_day, returned_tod))
    returned[rng.random(n) < NOT_COLLECTED_SHARE] = np.datetime64("NaT")
    returned[pending | (returned.astype("datetime64[D]") > as_of_day)] = np.datetime64("NaT")

    # 6. satisfaction survey, once there is a result
    rating = np.full(n, np.nan)
    answered = (rng.random(n) < RESPONSE_RATE) & ~pending
    draw = rng.random(n)
    for mask, probs in ((category != 2, RATINGS_IN_TIME), (category == 2, RATINGS_LATE)):
        pick = answered & mask
        rating[pick] = np.searchsorted(np.cumsum(probs)[:-1], draw[pick], side="right") + 1

    frame = pd.DataFrame({
        "procedure": procedure, "channel": channel, "received_at": received,
        "due_date": due.astype("datetime64[ns]"), "resolved_at": resolved,
        "returned_at": returned, "rating": rating})
    frame = frame.sort_values("received_at", kind="stable").reset_index(drop=True)
    frame["procedure"] = frame["procedure"].astype(str)
    frame["channel"] = frame["channel"].astype(str)
    frame["field"] = frame["procedure"].map({p.code: p.field for p in catalogue})
    frame["code"] = _dossier_codes(frame["received_at"], calendar.locality.unit_code)
    frame["status"] = np.select(
        [frame["resolved_at"].isna(), frame["returned_at"].isna()],
        [STATUS_PROCESSING, STATUS_WAITING], STATUS_RETURNED)
    stamps = frame["received_at"]
    year_month = stamps.dt.year * 100 + stamps.dt.month
    frame["month"] = year_month.map(
        {ym: f"{ym // 100:04d}-{ym % 100:02d}" for ym in year_month.unique()}).astype(str)
    frame = frame[list(COLUMNS)]
    frame.attrs["as_of"] = end  # a date: the report counts as of the end of that day
    frame.attrs["kpi_note"] = log_note(seed, n, start, end)
    return frame


def log_note(seed: int, n: int, start: date, end: date) -> str:
    """How a synthetic log was made, for the note under its KPI report."""
    from babel.numbers import format_decimal

    early, on_time, late = (format_decimal(k, locale="vi_VN") for k in category_counts(n))
    return _(
        "nhật ký giả lập, không phải hồ sơ thật: synthetic_log(seed={seed}, n={size}) tạo {n} hồ "
        "sơ tiếp nhận từ {start} đến {end}, báo cáo tính đến hết ngày {end}. Số hồ sơ trước "
        "hạn, đúng hạn, quá hạn được ấn định trước ({early}, {on_time}, {late}) theo tỷ lệ "
        "phường Trúc Lâm công bố (77,5% trước hạn; 99,1% trước và đúng hạn đến ngày "
        "10/11/2025); hồ sơ chưa có kết quả mà đã quá hạn vẫn tính là quá hạn. Cùng seed cho "
        "cùng nhật ký.").format(seed=seed, size=n, n=format_decimal(n, locale="vi_VN"),
                                start=f"{start:%d/%m/%Y}", end=f"{end:%d/%m/%Y}",
                                early=early, on_time=on_time, late=late)


def _procedures(rng, category, usable, multi_day):
    """Index into ``usable`` for each dossier: early ones get a multi-day procedure."""
    import numpy as np

    index = np.zeros(category.size, dtype=np.int64)
    for mask, pool in ((category == 0, multi_day), (category != 0, usable)):
        if not mask.any():
            continue
        weights = np.array([PROCEDURE_MIX.get(p.code, 0.05) for p in pool])
        chosen = rng.choice(len(pool), size=int(mask.sum()), p=weights / weights.sum())
        index[mask] = np.array([usable.index(p) for p in pool])[chosen]
    return index


def _channels(rng, proc_index, usable):
    """A channel each dossier's procedure offers, by ``CHANNEL_MIX``."""
    import numpy as np

    channel = np.empty(proc_index.size, dtype=object)
    for i, proc in enumerate(usable):
        mask = proc_index == i
        if not mask.any():
            continue
        weights = np.array([CHANNEL_MIX[c] for c in proc.channels])
        channel[mask] = np.array(proc.channels, dtype=object)[
            rng.choice(len(proc.channels), size=int(mask.sum()), p=weights / weights.sum())]
    return channel


def _receipts(rng, in_person, start: date, end: date, calendar: WorkCalendar):
    """Receipt moments: in person on working days in office hours, online at any time."""
    import numpy as np

    n = len(in_person)
    first, last = np.datetime64(start, "D"), np.datetime64(end, "D")
    all_days = np.arange(first, last + 1)
    working = all_days[np.is_busday(all_days, busdaycal=calendar.busdaycalendar)]
    if in_person.any() and working.size == 0:
        raise InvalidInput(_("Không có ngày làm việc nào từ {start} đến {end}").format(
            start=start, end=end), field="start", value=start)
    day = all_days[rng.integers(0, all_days.size, size=n)]
    tod = rng.integers(0, 86_400, size=n) * 10**9
    # office seconds, laid end to end over the sessions
    sessions = calendar.locality.hours.sessions
    lengths = np.array([(ns_of_day(s.end) - ns_of_day(s.start)) // 10**9 for s in sessions])
    starts = np.array([ns_of_day(s.start) for s in sessions])
    k = int(in_person.sum())
    offset = rng.integers(0, lengths.sum(), size=k)
    which = np.searchsorted(np.cumsum(lengths), offset, side="right")
    before = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    tod[in_person] = starts[which] + (offset - before[which]) * 10**9
    day[in_person] = working[rng.integers(0, max(working.size, 1), size=k)]
    return _at(day, tod)


def _at(day, tod_ns):
    """datetime64[ns] from a day and nanoseconds after midnight."""
    return day.astype("datetime64[ns]") + tod_ns.astype("timedelta64[ns]")


def _dossier_codes(received_at: pd.Series, unit_code: str) -> pd.Series:
    """UNIT-YYMMDD-NNNN with a daily sequence from 0001; rows sorted by receipt."""
    import numpy as np
    import pandas as pd

    day = received_at.to_numpy(dtype="datetime64[ns]").astype("datetime64[D]")
    if day.size == 0:
        return pd.Series([], dtype=str)
    _days, first_row, inverse = np.unique(day, return_index=True, return_inverse=True)
    sequence = np.arange(day.size) - first_row[inverse] + 1
    yymmdd = (received_at.dt.year % 100) * 10000 + received_at.dt.month * 100 \
        + received_at.dt.day
    return (unit_code + "-" + yymmdd.astype(str).str.zfill(6) + "-"
            + pd.Series(sequence, index=received_at.index).astype(str).str.zfill(4))


__all__ = ["COLUMNS", "PROCEDURE_MIX", "category_counts", "log_note", "synthetic_log"]
