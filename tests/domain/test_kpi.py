"""KPI reports: the ward's figures, a hand-made frame with known answers, bad input."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kynangso.domain.dossierlog import synthetic_log
from kynangso.domain.kpi import REQUIRED_COLUMNS, KpiReport, kpi_report
from kynangso.errors import InvalidInput


@pytest.fixture(scope="module")
def report() -> KpiReport:
    return kpi_report(synthetic_log())


def test_report_reproduces_the_wards_figures(report):
    assert (report.received, report.resolved, report.pending) == (2588, 2588, 0)
    assert (report.early, report.on_time, report.late) == (2006, 559, 23)
    assert round(report.early_pct, 1) == 77.5
    assert round(report.early_or_on_time_pct, 1) == 99.1


def test_summary_text_reads_like_the_article(report):
    assert report.summary_text().startswith(
        "Tiếp nhận 2.588 hồ sơ; 77,5% trước hạn; 99,1% trước và đúng hạn")


def test_due_dates_are_computed_when_the_column_is_missing(report):
    recomputed = kpi_report(synthetic_log().drop(columns=["due_date", "month"]))
    assert (recomputed.early, recomputed.on_time, recomputed.late) == (2006, 559, 23)
    pd.testing.assert_frame_equal(recomputed.by_month, report.by_month)


def test_breakdowns_add_up_to_the_total(report):
    for table in (report.by_procedure, report.by_channel, report.by_month):
        assert table["Tiếp nhận"].sum() == 2588
        assert table["Quá hạn"].sum() == 23
    assert set(report.by_channel.index) == {"VNeID", "Cổng Dịch vụ công quốc gia",
                                            "Trực tiếp tại Trung tâm"}
    assert list(report.by_month.index) == ["2025-07", "2025-08", "2025-09", "2025-10", "2025-11"]


@settings(max_examples=10, deadline=None)
@given(seed=st.integers(0, 10_000), n=st.integers(1, 300))
def test_percentages_sum_to_100(seed, n):
    result = kpi_report(synthetic_log(seed=seed, n=n))
    assert math.isclose(result.early_pct + result.on_time_pct + result.late_pct, 100.0)
    table = result.summary.loc[["Trước hạn", "Đúng hạn", "Quá hạn"], "Tỷ lệ (%)"]
    assert math.isclose(table.sum(), 100.0)


def test_markdown_has_the_summary_and_every_table(report):
    text = report.to_markdown()
    assert report.summary_text() in text
    for heading in ("Tổng hợp", "Theo thủ tục", "Theo kênh nộp", "Theo tháng", "Mức độ hài lòng"):
        assert f"## {heading}" in text
    assert "| Trước hạn | 2.006 | 77,5 |" in text
    assert "chưa kiểm chứng" in text


# --- a tiny frame with known answers ------------------------------------------------

TINY = pd.DataFrame({
    "procedure": ["tam-tru", "tam-tru", "chung-thuc-ban-sao", "thuong-tru", "gia-han-bhyt"],
    "channel": ["vneid", "truc-tiep", "truc-tiep", "cong-dvc", "truc-tiep"],
    # Monday 7 July 2025; the copy arrives after 15:00, so it is due on Tuesday
    "received_at": pd.to_datetime(["2025-07-07 09:00", "2025-07-07 09:00", "2025-07-07 15:30",
                                   "2025-07-07 10:00", "2025-07-07 10:00"]),
    "resolved_at": pd.to_datetime(["2025-07-08 10:00", "2025-07-10 16:00", "2025-07-09 08:00",
                                   None, "2025-07-08 10:00"]),
    "rating": [5, 4, 2, None, 3],
})


def test_tiny_frame_counts():
    result = kpi_report(TINY)
    assert (result.received, result.resolved, result.pending, result.undetermined) == (5, 4, 1, 1)
    assert (result.early, result.on_time, result.late) == (1, 1, 1)
    assert math.isclose(result.early_pct, 100 / 3)
    assert math.isclose(result.early_or_on_time_pct, 200 / 3)
    assert result.summary_text().startswith(
        "Tiếp nhận 5 hồ sơ; 33,3% trước hạn; 66,7% trước và đúng hạn; 1 hồ sơ quá hạn; "
        "1 hồ sơ đang giải quyết; 1 hồ sơ chưa xác định được hạn")


def test_tiny_frame_satisfaction():
    result = kpi_report(TINY)
    assert (result.responses, result.mean_rating, result.satisfied_pct) == (4, 3.5, 50.0)
    row = result.satisfaction.iloc[0]
    assert (row["Số phiếu đánh giá"], row["Điểm trung bình"], row["Tỷ lệ hài lòng (%)"]) == (
        4, 3.5, 50.0)


def test_tiny_frame_breakdowns():
    result = kpi_report(TINY)
    by_procedure = result.by_procedure
    assert by_procedure.loc["tam-tru", "Thủ tục"] == "Đăng ký tạm trú"
    assert by_procedure.loc["tam-tru", ["Tiếp nhận", "Trước hạn", "Đúng hạn"]].tolist() == [2, 1, 1]
    assert by_procedure.loc["tam-tru", "Trước hạn (%)"] == 50.0
    assert by_procedure.loc["chung-thuc-ban-sao", "Quá hạn"] == 1
    assert by_procedure.loc["thuong-tru", "Đang giải quyết"] == 1
    assert by_procedure.loc["gia-han-bhyt", "Chưa xác định hạn"] == 1
    assert result.by_channel.loc["Trực tiếp tại Trung tâm", "Tiếp nhận"] == 3
    assert result.by_month.loc["2025-07", "Tiếp nhận"] == 5
    summary = result.summary["Số hồ sơ"]
    assert summary.tolist() == [5, 4, 1, 1, 1, 1, 1]


def test_given_due_dates_are_used_as_they_are():
    frame = TINY.assign(due_date=pd.to_datetime(["2025-07-20"] * 5))
    result = kpi_report(frame)
    assert (result.early, result.on_time, result.late, result.undetermined) == (4, 0, 0, 0)


def test_dates_as_text_are_read():
    frame = TINY.assign(received_at=TINY["received_at"].astype(str),
                        resolved_at=TINY["resolved_at"].dt.strftime("%Y-%m-%d %H:%M"))
    assert kpi_report(frame).early == 1


# --- bad input ----------------------------------------------------------------------


@pytest.mark.parametrize("column", REQUIRED_COLUMNS)
def test_missing_column_is_named(column):
    with pytest.raises(InvalidInput) as info:
        kpi_report(TINY.drop(columns=[column]))
    assert info.value.field == column and repr(column) in str(info.value)


def test_not_a_frame_is_refused():
    with pytest.raises(InvalidInput) as info:
        kpi_report([{"procedure": "tam-tru"}])
    assert info.value.field == "df"


@pytest.mark.parametrize("bad", [0, 6, 4.5, "tốt"])
def test_bad_rating_is_named(bad):
    with pytest.raises(InvalidInput) as info:
        kpi_report(TINY.assign(rating=[5, bad, 4, None, 3]))
    assert info.value.field == "rating" and repr(bad) in str(info.value)


def test_unknown_procedure_is_named():
    with pytest.raises(InvalidInput) as info:
        kpi_report(TINY.assign(procedure=["tam-tru", "lam-so-do", "tam-tru", "tam-tru",
                                          "tam-tru"]))
    assert info.value.field == "procedure" and "lam-so-do" in str(info.value)


def test_unreadable_dates_are_named():
    with pytest.raises(InvalidInput) as info:
        kpi_report(TINY.assign(received_at=["hôm qua"] * 5))
    assert info.value.field == "received_at"


@pytest.mark.parametrize("frame", [pd.DataFrame(), TINY.iloc[0:0]])
def test_empty_frame_gives_a_report_of_zeros(frame):
    result = kpi_report(frame)
    assert (result.received, result.resolved, result.early, result.on_time, result.late,
            result.pending, result.responses) == (0, 0, 0, 0, 0, 0, 0)
    assert (result.early_pct, result.early_or_on_time_pct, result.satisfied_pct) == (0, 0, 0)
    assert result.mean_rating is None
    assert result.summary["Số hồ sơ"].sum() == 0
    assert result.by_procedure.empty
    assert result.summary_text() == "Tiếp nhận 0 hồ sơ; 0,0% trước hạn; 0,0% trước và đúng hạn"
    assert "## Tổng hợp" in result.to_markdown()
