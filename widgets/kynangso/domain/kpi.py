"""KPI reports over a dossier log: how many dossiers, how timely, how satisfied.

The index is "Tỷ lệ hồ sơ xử lý trước hạn, đúng hạn" of the Bộ chỉ số chỉ đạo, điều hành
và đánh giá chất lượng phục vụ người dân, doanh nghiệp trong thực hiện thủ tục hành chính,
dịch vụ công theo thời gian thực trên môi trường điện tử, approved by Quyết định
766/QĐ-TTg ngày 23/6/2022 của Thủ tướng Chính phủ. The report's definition lines
(:func:`kpi_definition`) cite it. The counting of unresolved dossiers below is the way
provincial one-stop systems report the index; the project has not compared it with the
formula in the Decision's annex as published in the Official Gazette.

Counting, as of a moment ``as_of`` (a date means the whole of that day):

- a result is early, on time or late by comparing its day with the due date
  (:class:`~kynangso.domain.workcalendar.Timeliness`);
- a dossier with no result by ``as_of`` whose due date is before the as-of day is late
  ("quá hạn") too, so an office cannot look punctual by sitting on late dossiers;
- one with no result and not yet due ("đang xử lý, chưa đến hạn") is not in the
  denominator; the report counts it on its own line and says so;
- one without a due date (time rule unverified) is not in the denominator either;
- rate = numerator / (resolved with a due date + unresolved past due), so early, on time
  and late always sum to 100;
- a dossier that got an apology slip is judged on its original appointment: an
  ``original_due_date`` column, where filled, wins over ``due_date``.

``kpi_report(df)`` takes a frame with at least the columns ``procedure``, ``channel``,
``received_at`` and ``resolved_at``; ``due_date``, ``original_due_date``, ``month`` and
``rating`` are optional (a missing due date is computed with the vectorised calendar).
``as_of`` defaults to ``df.attrs["as_of"]`` (the synthetic log sets it), else to the
latest receipt or result in the log: the log's "now". Receipts after ``as_of`` are left
out and results after it count as not there yet. ``df.attrs["kpi_note"]``, when present,
is printed under the report (the synthetic log says there how it is made).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from ..errors import InvalidInput
from ..i18n import _
from .catalogue import Catalogue, channel_name, load_catalogue
from .workcalendar import (
    TIMEZONE,
    WorkCalendar,
    _to_naive_datetimes,
    classify_many,
    default_calendar,
)

if TYPE_CHECKING:
    import pandas as pd

REQUIRED_COLUMNS = ("procedure", "channel", "received_at", "resolved_at")
SATISFIED_FROM = 4  # a rating of 4 or 5 counts as satisfied (the project's choice)
# Status codes used while counting; the first three (and OVERDUE) make the denominator.
EARLY, ON_TIME, LATE, OVERDUE, NOT_DUE, UNDETERMINED = range(6)
_STATES = 6
_DAY_NS = 86_400 * 10**9


def _labels() -> dict[str, str]:
    return {
        "received": _("Tiếp nhận"),
        "resolved": _("Đã giải quyết"),
        "early": _("Trước hạn"),
        "on_time": _("Đúng hạn"),
        "late": _("Quá hạn"),
        "overdue": _("Quá hạn (chưa giải quyết)"),
        "not_due": _("Đang xử lý, chưa đến hạn"),
        "undetermined": _("Chưa xác định hạn"),
        "denominator": _("Mẫu số"),
        "early_pct": _("Trước hạn (%)"),
        "in_time_pct": _("Trước và đúng hạn (%)"),
    }


def kpi_definition(as_of: str | None = None, not_due: int | None = None,
                   undetermined: int | None = None) -> list[str]:
    """The index's source and counting rule, one line each, as an official reads them."""
    lines = [
        _("Tỷ lệ hồ sơ xử lý trước hạn, đúng hạn: chỉ số trong Bộ chỉ số chỉ đạo, điều hành "
          "và đánh giá chất lượng phục vụ người dân, doanh nghiệp trong thực hiện thủ tục hành "
          "chính, dịch vụ công theo thời gian thực trên môi trường điện tử (Quyết định "
          "766/QĐ-TTg ngày 23/6/2022 của Thủ tướng Chính phủ)."),
        _("Tử số: số hồ sơ giải quyết trước hạn (hoặc trước và đúng hạn). Mẫu số: số hồ sơ đã "
          "giải quyết cộng số hồ sơ chưa giải quyết mà đã quá hạn{as_of}.").format(
              as_of=_(", tính đến {as_of}").format(as_of=as_of) if as_of else ""),
        _("Hồ sơ đang xử lý, chưa đến hạn không tính vào mẫu số{n}; hồ sơ chưa xác định được "
          "hạn (thời hạn chưa kiểm chứng) cũng không tính{m}.").format(
              n=_(" (báo cáo ghi riêng: {n} hồ sơ)").format(n=_number(not_due))
              if not_due is not None else "",
              m=_(" ({n} hồ sơ)").format(n=_number(undetermined))
              if undetermined is not None else ""),
        _("Hồ sơ có phiếu xin lỗi và hẹn lại được tính theo ngày hẹn trả ban đầu, không theo "
          "ngày hẹn mới."),
        _("Trước hạn / đúng hạn / quá hạn: so sánh ngày có kết quả với ngày hẹn trả (theo ngày, "
          "không theo giờ). Hồ sơ chưa giải quyết được đếm như các hệ thống một cửa cấp tỉnh; "
          "công thức trong phụ lục Quyết định chưa được dự án đối chiếu với Công báo."),
    ]
    return lines


@dataclass(frozen=True, eq=False)
class KpiReport:
    """Numbers and Vietnamese-labelled tables of one report."""

    received: int
    resolved: int
    pending: int  # no result by as_of: overdue + not yet due + no due date
    early: int
    on_time: int
    late: int  # resolved late + overdue
    overdue: int  # no result by as_of and past the due date (in ``late``)
    not_yet_due: int  # no result by as_of, not due yet: outside the denominator
    undetermined: int  # no due date (time rule unverified): outside the denominator
    judged: int  # the denominator: early + on_time + late
    early_pct: float
    on_time_pct: float
    late_pct: float
    early_or_on_time_pct: float
    responses: int
    satisfied: int
    mean_rating: float | None
    satisfied_pct: float
    as_of: pd.Timestamp | None
    summary: pd.DataFrame
    by_procedure: pd.DataFrame
    by_channel: pd.DataFrame
    by_month: pd.DataFrame
    satisfaction: pd.DataFrame
    note: str | None = None  # where the data comes from (the synthetic log says how)

    @property
    def as_of_text(self) -> str | None:
        """"hết ngày 10/11/2025" for a whole day, else "16:30 ngày 10/11/2025"."""
        if self.as_of is None:
            return None
        stamp = self.as_of
        if (stamp - stamp.normalize()).value == _DAY_NS - 1:
            return _("hết ngày {day}").format(day=f"{stamp:%d/%m/%Y}")
        return _("{time} ngày {day}").format(time=f"{stamp:%H:%M}", day=f"{stamp:%d/%m/%Y}")

    def summary_text(self) -> str:
        """E.g. "Tính đến hết ngày 10/11/2025: tiếp nhận 2.588 hồ sơ; 77,5% (2.006/2.588)
        trước hạn; 99,1% (2.565/2.588) trước và đúng hạn; ..."."""
        received = _("{n} hồ sơ").format(n=_number(self.received))
        head = (_("Tính đến {as_of}: tiếp nhận {received}").format(
                    as_of=self.as_of_text, received=received) if self.as_of is not None
                else _("Tiếp nhận {received}").format(received=received))
        parts = [head]
        if self.judged:
            parts += [
                _("{rate} trước hạn").format(rate=rate_text(self.early, self.judged)),
                _("{rate} trước và đúng hạn").format(
                    rate=rate_text(self.early + self.on_time, self.judged)),
            ]
        else:
            parts.append(_("chưa có hồ sơ nào để tính tỷ lệ trước hạn, đúng hạn"))
        if self.late:
            late = _("{n} hồ sơ quá hạn").format(n=_number(self.late))
            if self.overdue:
                late += " " + _("(trong đó {n} hồ sơ chưa giải quyết)").format(
                    n=_number(self.overdue))
            parts.append(late)
        if self.not_yet_due:
            parts.append(_("{n} hồ sơ đang xử lý, chưa đến hạn (không tính vào mẫu số)")
                         .format(n=_number(self.not_yet_due)))
        if self.undetermined:
            parts.append(_("{n} hồ sơ chưa xác định được hạn (thời hạn chưa kiểm chứng, không "
                           "tính vào mẫu số)").format(n=_number(self.undetermined)))
        if self.responses:
            parts.append(_("{rate} người đánh giá hài lòng").format(
                rate=rate_text(self.satisfied, self.responses)))
        return "; ".join(parts)

    def definition(self) -> list[str]:
        """The definition lines with this report's as-of moment and excluded counts."""
        return kpi_definition(self.as_of_text, self.not_yet_due, self.undetermined)

    def summary_rows(self) -> list[tuple[str, int, str]]:
        """(indicator, count, "77,5% (2.006/2.588)") for each row of the summary table."""
        labels = self.summary.columns
        return [(str(name), int(row[labels[0]]),
                 rate_text(int(row[labels[0]]), int(row[labels[2]])))
                for name, row in self.summary.iterrows()]

    def to_markdown(self) -> str:
        """A short Vietnamese report: the summary line, each table, how it is counted."""
        labels = _labels()
        count, pct, den = self.summary.columns
        early, on_time = labels["early"], labels["on_time"]
        split = {labels["early_pct"]: ((early,), labels["denominator"]),
                 labels["in_time_pct"]: ((early, on_time), labels["denominator"])}
        votes, _mean, liked, share = self.satisfaction.columns
        sections = [f"# {_('Báo cáo kết quả giải quyết hồ sơ')}", "", self.summary_text(), ""]
        for title, table, rates in (
                (_("Tổng hợp"), self.summary, {pct: ((count,), den)}),
                (_("Theo thủ tục"), self.by_procedure, split),
                (_("Theo kênh nộp"), self.by_channel, split),
                (_("Theo tháng"), self.by_month, split),
                (_("Mức độ hài lòng"), self.satisfaction, {share: ((liked,), votes)})):
            sections += [f"## {title}", "", _markdown_table(table, rates), ""]
        sections += [f"## {_('Cách tính')}", ""]
        sections += [f"- {line}" for line in self.definition()]
        if self.note:
            sections += ["", _("Ghi chú về dữ liệu: {note}").format(note=self.note)]
        return "\n".join(sections)


def kpi_report(df: pd.DataFrame, calendar: WorkCalendar | None = None,
               catalogue: Catalogue | None = None,
               as_of: datetime | date | str | None = None) -> KpiReport:
    """Summarise a dossier log as of ``as_of`` (see the module docstring)."""
    import numpy as np
    import pandas as pd

    if not isinstance(df, pd.DataFrame):
        raise InvalidInput(_("Cần một bảng pandas DataFrame, nhưng đây là kiểu {kind}").format(
            kind=type(df).__name__), field="df")
    catalogue = catalogue if catalogue is not None else load_catalogue()
    note = df.attrs.get("kpi_note")
    if len(df) == 0:
        df = pd.DataFrame({c: pd.Series(dtype="datetime64[ns]" if c.endswith("_at") else str)
                           for c in REQUIRED_COLUMNS})
    for column in REQUIRED_COLUMNS:
        if column not in df.columns:
            raise InvalidInput(
                _("Bảng hồ sơ thiếu cột {column!r}; cần các cột {required}").format(
                    column=column, required=", ".join(REQUIRED_COLUMNS)),
                field=column, value=list(df.columns))

    received_at = _to_naive_datetimes(df["received_at"], "received_at")
    resolved_at = _to_naive_datetimes(df["resolved_at"], "resolved_at")
    moment = _as_of(as_of if as_of is not None else df.attrs.get("as_of"),
                    received_at, resolved_at)
    if moment is not None:
        known = ~(received_at > moment)  # received by then (or receipt unknown)
        if not known.all():
            df, received_at, resolved_at = df[known], received_at[known], resolved_at[known]
        resolved_at = np.where(resolved_at > moment, np.datetime64("NaT"), resolved_at)

    if "due_date" in df.columns:
        due = pd.Series(_to_naive_datetimes(df["due_date"], "due_date"), index=df.index)
    else:
        calendar = calendar if calendar is not None else default_calendar()
        due = calendar.due_dates(pd.Series(received_at, index=df.index), df["procedure"],
                                 catalogue)
    if "original_due_date" in df.columns:  # apology slips: the first appointment counts
        original = _to_naive_datetimes(df["original_due_date"], "original_due_date")
        due = pd.Series(np.where(np.isnat(original), due.to_numpy(), original), index=df.index)

    resolved = pd.Series(resolved_at, index=df.index)
    state = classify_many(resolved, due).cat.codes.to_numpy().astype(np.int64)  # -1: missing
    due_day = due.to_numpy(dtype="datetime64[ns]").astype("datetime64[D]")
    unresolved = np.isnat(resolved_at)
    state[np.isnat(due_day)] = UNDETERMINED
    waiting = unresolved & ~np.isnat(due_day)
    state[waiting] = NOT_DUE
    if moment is not None:
        state[waiting & (due_day < moment.astype("datetime64[D]"))] = OVERDUE
    totals = np.bincount(state, minlength=_STATES)

    rating = _ratings(df)
    names = {p.code: p.shown_name for p in catalogue}  # the reader's language
    month = df["month"] if "month" in df.columns else _months(pd.Series(received_at,
                                                                         index=df.index))

    by_procedure = _breakdown(df["procedure"], state, _("Mã thủ tục"))
    by_procedure.insert(0, _("Thủ tục"), [names.get(c, c) for c in by_procedure.index])
    by_channel = _breakdown(df["channel"], state, _("Kênh nộp"), rename=channel_name)
    by_month = _breakdown(month, state, _("Tháng"))

    early, on_time, resolved_late, overdue, not_due, undetermined = (int(x) for x in totals)
    late = resolved_late + overdue
    judged = early + on_time + late
    received = len(df)
    resolved_n = int(np.count_nonzero(~unresolved))
    responses = int(np.count_nonzero(~np.isnan(rating)))
    satisfied = int(np.count_nonzero(rating >= SATISFIED_FROM))
    mean_rating = float(np.nanmean(rating)) if responses else None
    summary = _summary_table(received, resolved_n, early, on_time, late, overdue, not_due,
                             undetermined)
    satisfaction = pd.DataFrame(
        {_("Số phiếu đánh giá"): [responses],
         _("Điểm trung bình"): [round(mean_rating, 2) if mean_rating is not None else np.nan],
         _("Số phiếu hài lòng"): [satisfied],
         _("Tỷ lệ hài lòng (%)"): [_share(responses)(satisfied)]},
        index=pd.Index([_("Tất cả")], name=_("Khảo sát")))
    pct = _share(judged)
    return KpiReport(
        received=received, resolved=resolved_n, pending=received - resolved_n, early=early,
        on_time=on_time, late=late, overdue=overdue, not_yet_due=not_due,
        undetermined=undetermined, judged=judged, early_pct=pct(early),
        on_time_pct=pct(on_time), late_pct=pct(late), early_or_on_time_pct=pct(early + on_time),
        responses=responses, satisfied=satisfied, mean_rating=mean_rating,
        satisfied_pct=_share(responses)(satisfied),
        as_of=None if moment is None else pd.Timestamp(moment), summary=summary,
        by_procedure=by_procedure, by_channel=by_channel, by_month=by_month,
        satisfaction=satisfaction, note=note)


def rate_text(part: int, total: int) -> str:
    """"77,5% (2.006/2.588)": every rate with its numerator and denominator."""
    if not total:
        return f"— ({_number(part)}/0)"
    return f"{_percent(100.0 * part / total)}% ({_number(part)}/{_number(total)})"


def _summary_table(received: int, resolved: int, early: int, on_time: int, late: int,
                   overdue: int, not_due: int, undetermined: int) -> pd.DataFrame:
    """Counts, shares and the denominator of each share, one indicator a row."""
    import pandas as pd

    labels = _labels()
    judged = early + on_time + late
    rows = [  # (label, count, denominator)
        (labels["received"], received, received),
        (labels["resolved"], resolved, received),
        (labels["early"], early, judged),
        (labels["on_time"], on_time, judged),
        (labels["late"], late, judged),
        (_("trong đó: chưa giải quyết, đã quá hạn"), overdue, judged),
        (_("Đang xử lý, chưa đến hạn (không tính vào mẫu số)"), not_due, received),
        (_("Chưa xác định hạn (không tính vào mẫu số)"), undetermined, received),
    ]
    return pd.DataFrame(
        {_("Số hồ sơ"): [r[1] for r in rows],
         _("Tỷ lệ (%)"): [_share(r[2])(r[1]) for r in rows],
         labels["denominator"]: [r[2] for r in rows]},
        index=pd.Index([r[0] for r in rows], name=_("Chỉ tiêu")))


def _as_of(value: Any, received_at: Any, resolved_at: Any) -> Any:
    """The report's moment as naive local datetime64[ns]; a date (or a text without a time)
    means the end of that day; None: the latest receipt or result."""
    import numpy as np
    import pandas as pd

    if value is None:
        stamps = np.concatenate([received_at, resolved_at])
        stamps = stamps[~np.isnat(stamps)]
        return stamps.max() if stamps.size else None
    whole_day = (isinstance(value, date) and not isinstance(value, datetime)) or (
        isinstance(value, str) and ":" not in value)
    try:
        stamp = pd.Timestamp(value)
    except (TypeError, ValueError):
        stamp = pd.NaT
    if stamp is pd.NaT:
        raise InvalidInput(_("Thời điểm báo cáo (as_of) phải là ngày hoặc ngày giờ, ví dụ "
                             "\"2025-11-10\" hoặc date(2025, 11, 10)"), field="as_of",
                           value=value)
    if stamp.tzinfo is not None:
        stamp = stamp.tz_convert(TIMEZONE).tz_localize(None)
    moment = stamp.to_datetime64().astype("datetime64[ns]")
    if whole_day:
        moment = moment.astype("datetime64[D]").astype("datetime64[ns]") \
            + np.timedelta64(_DAY_NS - 1, "ns")
    return moment


def _share(total: int):
    """Percentage of ``total``, 0.0 when there is nothing to divide."""
    return lambda part: 100.0 * part / total if total else 0.0


def _ratings(df: pd.DataFrame) -> Any:
    import numpy as np
    import pandas as pd

    if "rating" not in df.columns:
        return np.full(len(df), np.nan)
    rating = pd.to_numeric(df["rating"], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    given = df["rating"].notna().to_numpy()
    bad = given & (np.isnan(rating) | (rating < 1) | (rating > 5) | (rating != np.round(rating)))
    if bad.any():
        value = df["rating"].to_numpy()[bad.argmax()]
        raise InvalidInput(
            _("Cột rating (điểm hài lòng) chỉ nhận số nguyên 1–5 hoặc để trống; dòng {row} có "
              "giá trị khác").format(row=df.index[bad.argmax()]), field="rating", value=value)
    return rating


def _months(received_at: pd.Series) -> pd.Series:
    """"YYYY-MM" of each receipt, formatted once per distinct month."""
    import pandas as pd

    stamps = pd.to_datetime(received_at)
    year_month = stamps.dt.year * 100 + stamps.dt.month
    return year_month.map({ym: f"{int(ym) // 100:04d}-{int(ym) % 100:02d}"
                           for ym in year_month.dropna().unique()})


def _breakdown(key: pd.Series, state: Any, name: str,
               rename: Callable[[str], str] | None = None) -> pd.DataFrame:
    """Counts of each state per key value, the denominator and the shares."""
    import numpy as np
    import pandas as pd

    labels = _labels()
    codes, uniques = pd.factorize(key, sort=True, use_na_sentinel=False)
    counts = np.bincount(codes * _STATES + state, minlength=len(uniques) * _STATES)
    counts = counts.reshape(len(uniques), _STATES)
    early, on_time, resolved_late, overdue, not_due, undetermined = counts.T
    late = resolved_late + overdue
    judged = early + on_time + late
    with np.errstate(invalid="ignore", divide="ignore"):
        early_pct = np.where(judged > 0, 100.0 * early / np.maximum(judged, 1), 0.0)
        in_time_pct = np.where(judged > 0, 100.0 * (early + on_time) / np.maximum(judged, 1), 0.0)
    index = pd.Index(["—" if (isinstance(u, float) and math.isnan(u)) else
                      rename(u) if rename else u for u in uniques], name=name)
    return pd.DataFrame({
        labels["received"]: counts.sum(axis=1), labels["early"]: early,
        labels["on_time"]: on_time, labels["late"]: late, labels["overdue"]: overdue,
        labels["not_due"]: not_due, labels["undetermined"]: undetermined,
        labels["denominator"]: judged, labels["early_pct"]: early_pct.round(1),
        labels["in_time_pct"]: in_time_pct.round(1)}, index=index)


def _number(value: float) -> str:
    from babel.numbers import format_decimal

    return format_decimal(value, locale="vi_VN")


def _percent(value: float) -> str:
    from babel.numbers import format_decimal

    return format_decimal(value, format="#,##0.0", locale="vi_VN")


def _cell(value: Any) -> str:
    import numpy as np

    if isinstance(value, float | np.floating):
        return "—" if math.isnan(value) else _percent(float(value))
    if isinstance(value, int | np.integer):
        return _number(int(value))
    return str(value).replace("|", "\\|")


def _markdown_table(table: pd.DataFrame,
                    rates: Mapping[str, tuple[Sequence[str], str]] | None = None) -> str:
    """A markdown table; each column in ``rates`` shows "77,5% (2.006/2.588)", its
    numerator the sum of the named columns and its denominator the named column."""
    import pandas as pd

    rates = rates or {}
    header = [table.index.name or "", *map(str, table.columns)]
    align = ["---:" if pd.api.types.is_numeric_dtype(dtype) else "---" for dtype in table.dtypes]
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join(["---", *align]) + " |"]
    position = {str(c): i for i, c in enumerate(table.columns)}
    for key, row in zip(table.index, table.itertuples(index=False), strict=True):
        cells = [rate_text(int(sum(row[position[c]] for c in rates[col][0])),
                           int(row[position[rates[col][1]]]))
                 if col in rates else _cell(value)
                 for col, value in zip(header[1:], row, strict=True)]
        lines.append("| " + " | ".join([_cell(key), *cells]) + " |")
    return "\n".join(lines)


__all__ = ["REQUIRED_COLUMNS", "KpiReport", "kpi_definition", "kpi_report", "rate_text"]
