"""KPI reports over a dossier log: how many dossiers, how timely, how satisfied.

``kpi_report(df)`` takes a frame with at least the columns ``procedure``,
``channel``, ``received_at`` and ``resolved_at`` (``due_date``, ``month`` and
``rating`` are optional: a missing due date is computed with the vectorised
calendar). Timeliness follows the project's definitions in
:class:`~kynangso.domain.workcalendar.Timeliness`. Percentages of timeliness
are shares of the dossiers that have both a result and a due date, so early,
on-time and late always sum to 100.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..errors import InvalidInput
from ..i18n import _
from .catalogue import Catalogue, channel_name, load_catalogue
from .workcalendar import WorkCalendar, classify_many, default_calendar

if TYPE_CHECKING:
    import pandas as pd

REQUIRED_COLUMNS = ("procedure", "channel", "received_at", "resolved_at")
SATISFIED_FROM = 4  # a rating of 4 or 5 counts as satisfied (the project's choice)
# Status codes used while counting: early, on time, late, pending, no due date.
_STATES = 5


def _labels() -> dict[str, str]:
    return {
        "received": _("Tiếp nhận"),
        "resolved": _("Đã giải quyết"),
        "early": _("Trước hạn"),
        "on_time": _("Đúng hạn"),
        "late": _("Quá hạn"),
        "pending": _("Đang giải quyết"),
        "undetermined": _("Chưa xác định hạn"),
        "early_pct": _("Trước hạn (%)"),
        "in_time_pct": _("Trước và đúng hạn (%)"),
    }


@dataclass(frozen=True, eq=False)
class KpiReport:
    """Numbers and Vietnamese-labelled tables of one report."""

    received: int
    resolved: int
    pending: int
    early: int
    on_time: int
    late: int
    undetermined: int  # resolved, but the procedure's time rule is unverified
    early_pct: float
    on_time_pct: float
    late_pct: float
    early_or_on_time_pct: float
    responses: int
    mean_rating: float | None
    satisfied_pct: float
    summary: pd.DataFrame
    by_procedure: pd.DataFrame
    by_channel: pd.DataFrame
    by_month: pd.DataFrame
    satisfaction: pd.DataFrame

    def summary_text(self) -> str:
        """E.g. "Tiếp nhận 2.588 hồ sơ; 77,5% trước hạn; 99,1% trước và đúng hạn"."""
        parts = [
            _("Tiếp nhận {n} hồ sơ").format(n=_number(self.received)),
            _("{pct}% trước hạn").format(pct=_percent(self.early_pct)),
            _("{pct}% trước và đúng hạn").format(pct=_percent(self.early_or_on_time_pct)),
        ]
        if self.late:
            parts.append(_("{n} hồ sơ quá hạn").format(n=_number(self.late)))
        if self.pending:
            parts.append(_("{n} hồ sơ đang giải quyết").format(n=_number(self.pending)))
        if self.undetermined:
            parts.append(_("{n} hồ sơ chưa xác định được hạn (thời hạn chưa kiểm chứng)")
                         .format(n=_number(self.undetermined)))
        if self.responses:
            parts.append(_("{pct}% người đánh giá hài lòng ({n} phiếu)").format(
                pct=_percent(self.satisfied_pct), n=_number(self.responses)))
        return "; ".join(parts)

    def to_markdown(self) -> str:
        """A short Vietnamese report: the summary line, then each table."""
        sections = [f"# {_('Báo cáo kết quả giải quyết hồ sơ')}", "", self.summary_text(), ""]
        for title, table in ((_("Tổng hợp"), self.summary),
                             (_("Theo thủ tục"), self.by_procedure),
                             (_("Theo kênh nộp"), self.by_channel),
                             (_("Theo tháng"), self.by_month),
                             (_("Mức độ hài lòng"), self.satisfaction)):
            sections += [f"## {title}", "", _markdown_table(table), ""]
        sections.append(_("Ghi chú: trước hạn / đúng hạn / quá hạn theo định nghĩa của dự án "
                          "(so sánh ngày có kết quả với ngày hẹn trả); định nghĩa pháp lý chưa "
                          "kiểm chứng."))
        return "\n".join(sections)


def kpi_report(df: pd.DataFrame, calendar: WorkCalendar | None = None,
               catalogue: Catalogue | None = None) -> KpiReport:
    """Summarise a dossier log (see the module docstring for the columns)."""
    import numpy as np
    import pandas as pd

    if not isinstance(df, pd.DataFrame):
        raise InvalidInput(_("Cần một bảng pandas DataFrame, nhận được {kind}").format(
            kind=type(df).__name__), field="df")
    catalogue = catalogue if catalogue is not None else load_catalogue()
    if len(df) == 0:
        df = pd.DataFrame({c: pd.Series(dtype="datetime64[ns]" if c.endswith("_at") else str)
                           for c in REQUIRED_COLUMNS})
    for column in REQUIRED_COLUMNS:
        if column not in df.columns:
            raise InvalidInput(
                _("Bảng hồ sơ thiếu cột {column!r}; cần các cột {required}").format(
                    column=column, required=", ".join(REQUIRED_COLUMNS)),
                field=column, value=list(df.columns))

    if "due_date" in df.columns:
        due = df["due_date"]
    else:
        calendar = calendar if calendar is not None else default_calendar()
        due = calendar.due_dates(df["received_at"], df["procedure"], catalogue)
    timeliness = classify_many(df["resolved_at"], due)
    state = timeliness.cat.codes.to_numpy().astype(np.int64)  # 0-2, -1 when missing
    resolved_mask = pd.to_datetime(df["resolved_at"]).notna().to_numpy()
    state[(state < 0) & ~resolved_mask] = 3
    state[state < 0] = 4
    totals = np.bincount(state, minlength=_STATES)

    rating = _ratings(df)
    labels = _labels()
    names = {p.code: p.name for p in catalogue}
    month = df["month"] if "month" in df.columns else _months(df["received_at"])

    by_procedure = _breakdown(df["procedure"], state, _("Mã thủ tục"))
    by_procedure.insert(0, _("Thủ tục"), [names.get(c, c) for c in by_procedure.index])
    by_channel = _breakdown(df["channel"], state, _("Kênh nộp"), rename=channel_name)
    by_month = _breakdown(month, state, _("Tháng"))

    early, on_time, late, pending, undetermined = (int(x) for x in totals)
    judged = early + on_time + late
    resolved = judged + undetermined
    responses = int(np.count_nonzero(~np.isnan(rating)))
    satisfied = int(np.count_nonzero(rating >= SATISFIED_FROM))
    mean_rating = float(np.nanmean(rating)) if responses else None
    pct = _share(judged)
    summary = pd.DataFrame(
        {_("Số hồ sơ"): [len(df), resolved, early, on_time, late, pending, undetermined],
         _("Tỷ lệ (%)"): [100.0 if len(df) else 0.0, _share(len(df))(resolved), pct(early),
                          pct(on_time), pct(late), _share(len(df))(pending),
                          _share(len(df))(undetermined)]},
        index=pd.Index([labels[k] for k in ("received", "resolved", "early", "on_time", "late",
                                             "pending", "undetermined")], name=_("Chỉ tiêu")))
    satisfaction = pd.DataFrame(
        {_("Số phiếu đánh giá"): [responses],
         _("Điểm trung bình"): [round(mean_rating, 2) if mean_rating is not None else np.nan],
         _("Tỷ lệ hài lòng (%)"): [_share(responses)(satisfied)]},
        index=pd.Index([_("Tất cả")], name=_("Khảo sát")))
    return KpiReport(
        received=len(df), resolved=resolved, pending=pending, early=early, on_time=on_time,
        late=late, undetermined=undetermined, early_pct=pct(early), on_time_pct=pct(on_time),
        late_pct=pct(late), early_or_on_time_pct=pct(early + on_time), responses=responses,
        mean_rating=mean_rating, satisfied_pct=_share(responses)(satisfied), summary=summary,
        by_procedure=by_procedure, by_channel=by_channel, by_month=by_month,
        satisfaction=satisfaction)


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
            _("Cột rating (điểm hài lòng) chỉ nhận số nguyên 1–5 hoặc để trống, nhận được {value!r}")
            .format(value=value), field="rating", value=value)
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
    """Counts of each state per key value, with Vietnamese column labels and shares."""
    import numpy as np
    import pandas as pd

    labels = _labels()
    codes, uniques = pd.factorize(key, sort=True, use_na_sentinel=False)
    counts = np.bincount(codes * _STATES + state, minlength=len(uniques) * _STATES)
    counts = counts.reshape(len(uniques), _STATES)
    early, on_time, late, pending, undetermined = counts.T
    judged = early + on_time + late
    with np.errstate(invalid="ignore", divide="ignore"):
        early_pct = np.where(judged > 0, 100.0 * early / np.maximum(judged, 1), 0.0)
        in_time_pct = np.where(judged > 0, 100.0 * (early + on_time) / np.maximum(judged, 1), 0.0)
    index = pd.Index(["—" if (isinstance(u, float) and math.isnan(u)) else
                      rename(u) if rename else u for u in uniques], name=name)
    return pd.DataFrame({
        labels["received"]: counts.sum(axis=1), labels["early"]: early,
        labels["on_time"]: on_time, labels["late"]: late, labels["pending"]: pending,
        labels["undetermined"]: undetermined, labels["early_pct"]: early_pct.round(1),
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


def _markdown_table(table: pd.DataFrame) -> str:
    import pandas as pd

    header = [table.index.name or "", *map(str, table.columns)]
    align = ["---:" if pd.api.types.is_numeric_dtype(dtype) else "---" for dtype in table.dtypes]
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join(["---", *align]) + " |"]
    for key, row in zip(table.index, table.itertuples(index=False), strict=True):
        lines.append("| " + " | ".join([_cell(key), *(_cell(v) for v in row)]) + " |")
    return "\n".join(lines)
