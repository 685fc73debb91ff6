"""KPI reports: the ward's figures, a hand-made frame with known answers, the counting rules
(pending past due is late, pending not yet due is left out, apology slips judged on the
original date, the denominator next to every rate, Quyết định 766 cited), bad input."""

from __future__ import annotations

import math
import re
from datetime import date, datetime

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kynangso.domain.dossierlog import synthetic_log
from kynangso.domain.kpi import REQUIRED_COLUMNS, KpiReport, kpi_definition, kpi_report
from kynangso.errors import InvalidInput


@pytest.fixture(scope="module")
def report() -> KpiReport:
    return kpi_report(synthetic_log())


def test_report_reproduces_the_wards_figures(report):
    # seed 2025, received 01/07-10/11/2025, as of the end of 10/11/2025, pending past due = late
    assert report.as_of == pd.Timestamp("2025-11-10 23:59:59.999999999")
    assert report.received == report.judged == 2588
    assert (report.not_yet_due, report.undetermined) == (0, 0)
    assert (report.early, report.on_time, report.late) == (2006, 559, 23)
    assert round(report.early_pct, 1) == 77.5
    assert round(report.early_or_on_time_pct, 1) == 99.1


def test_the_same_figures_with_the_as_of_date_given_explicitly(report):
    log = synthetic_log()
    log.attrs.clear()
    for as_of in (date(2025, 11, 10), "2025-11-10", datetime(2025, 11, 10, 23, 59, 59)):
        again = kpi_report(log, as_of=as_of)
        assert (again.received, again.judged, again.early, again.on_time, again.late) == (
            2588, 2588, 2006, 559, 23)


def test_summary_text_reads_like_the_article(report):
    assert report.summary_text().startswith(
        "Tính đến hết ngày 10/11/2025: tiếp nhận 2.588 hồ sơ; 77,5% (2.006/2.588) trước hạn; "
        "99,1% (2.565/2.588) trước và đúng hạn")


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
    assert "| Trước hạn | 2.006 | 77,5% (2.006/2.588) | 2.588 |" in text
    assert "chưa kiểm chứng" in text or "chưa được dự án đối chiếu" in text


def test_report_note_says_how_the_wards_figures_are_reproduced(report):
    text = report.to_markdown()
    note = text.split("Ghi chú về dữ liệu: ", 1)[1]
    for part in ("seed=2025", "n=2588", "từ 01/07/2025 đến 10/11/2025",
                 "tính đến hết ngày 10/11/2025", "(2.006, 559, 23)",
                 "chưa có kết quả mà đã quá hạn vẫn tính là quá hạn"):
        assert part in note


# --- the definition: Quyết định 766/QĐ-TTg, read by an official ---------------------------


def test_definition_cites_decision_766(report):
    first = kpi_definition()[0]
    assert first.startswith("Tỷ lệ hồ sơ xử lý trước hạn, đúng hạn")
    assert "Quyết định 766/QĐ-TTg ngày 23/6/2022 của Thủ tướng Chính phủ" in first
    assert "theo thời gian thực trên môi trường điện tử" in first
    text = report.to_markdown()
    assert "## Cách tính" in text and "Quyết định 766/QĐ-TTg" in text


def test_definition_says_what_is_in_the_denominator(report):
    lines = report.definition()
    assert any("Mẫu số: số hồ sơ đã giải quyết cộng số hồ sơ chưa giải quyết mà đã quá hạn, "
               "tính đến hết ngày 10/11/2025" in line for line in lines)
    assert any("chưa đến hạn không tính vào mẫu số (báo cáo ghi riêng: 0 hồ sơ)" in line
               for line in lines)
    assert any("ngày hẹn trả ban đầu, không theo ngày hẹn mới" in line for line in lines)


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
    # as of the log's latest moment, 10/07/2025 16:00: the pending one is due 16/07
    assert result.as_of == pd.Timestamp("2025-07-10 16:00")
    assert (result.received, result.resolved, result.pending, result.undetermined) == (5, 4, 1, 1)
    assert (result.early, result.on_time, result.late, result.overdue) == (1, 1, 1, 0)
    assert (result.not_yet_due, result.judged) == (1, 3)
    assert math.isclose(result.early_pct, 100 / 3)
    assert math.isclose(result.early_or_on_time_pct, 200 / 3)
    assert result.summary_text().startswith(
        "Tính đến 16:00 ngày 10/07/2025: tiếp nhận 5 hồ sơ; 33,3% (1/3) trước hạn; "
        "66,7% (2/3) trước và đúng hạn; 1 hồ sơ quá hạn; "
        "1 hồ sơ đang xử lý, chưa đến hạn (không tính vào mẫu số); "
        "1 hồ sơ chưa xác định được hạn")


def test_tiny_frame_satisfaction():
    result = kpi_report(TINY)
    assert (result.responses, result.mean_rating, result.satisfied_pct) == (4, 3.5, 50.0)
    row = result.satisfaction.iloc[0]
    assert (row["Số phiếu đánh giá"], row["Điểm trung bình"], row["Số phiếu hài lòng"],
            row["Tỷ lệ hài lòng (%)"]) == (4, 3.5, 2, 50.0)
    assert "50,0% (2/4) người đánh giá hài lòng" in result.summary_text()


def test_tiny_frame_breakdowns():
    result = kpi_report(TINY)
    by_procedure = result.by_procedure
    assert by_procedure.loc["tam-tru", "Thủ tục"] == "Đăng ký tạm trú"
    assert by_procedure.loc["tam-tru", ["Tiếp nhận", "Trước hạn", "Đúng hạn"]].tolist() == [2, 1, 1]
    assert by_procedure.loc["tam-tru", "Trước hạn (%)"] == 50.0
    assert by_procedure.loc["chung-thuc-ban-sao", "Quá hạn"] == 1
    assert by_procedure.loc["thuong-tru", "Đang xử lý, chưa đến hạn"] == 1
    assert by_procedure.loc["thuong-tru", "Mẫu số"] == 0
    assert by_procedure.loc["gia-han-bhyt", "Chưa xác định hạn"] == 1
    assert result.by_channel.loc["Trực tiếp tại Trung tâm", "Tiếp nhận"] == 3
    assert result.by_channel.loc["Trực tiếp tại Trung tâm", "Mẫu số"] == 2
    assert result.by_month.loc["2025-07", "Tiếp nhận"] == 5
    summary = result.summary["Số hồ sơ"]
    assert summary.tolist() == [5, 4, 1, 1, 1, 0, 1, 1]
    assert result.summary["Mẫu số"].tolist() == [5, 5, 3, 3, 3, 3, 5, 5]


# --- pending dossiers, as of a day ----------------------------------------------------


def test_pending_past_its_due_date_is_late():
    # thuong-tru received Monday 07/07/2025 is due Wednesday 16/07/2025
    result = kpi_report(TINY, as_of=date(2025, 7, 17))
    assert (result.early, result.on_time, result.late, result.overdue) == (1, 1, 2, 1)
    assert (result.not_yet_due, result.judged) == (0, 4)
    assert math.isclose(result.early_pct, 25.0)
    assert result.by_procedure.loc["thuong-tru", "Quá hạn (chưa giải quyết)"] == 1
    assert result.by_procedure.loc["thuong-tru", "Quá hạn"] == 1
    assert "2 hồ sơ quá hạn (trong đó 1 hồ sơ chưa giải quyết)" in result.summary_text()
    assert "25,0% (1/4) trước hạn" in result.summary_text()


def test_pending_on_its_due_day_is_not_yet_late():
    result = kpi_report(TINY, as_of=date(2025, 7, 16))
    assert (result.late, result.overdue, result.not_yet_due, result.judged) == (1, 0, 1, 3)


def test_pending_not_yet_due_is_reported_outside_the_denominator():
    result = kpi_report(TINY, as_of=date(2025, 7, 11))
    assert (result.not_yet_due, result.judged) == (1, 3)
    assert "1 hồ sơ đang xử lý, chưa đến hạn (không tính vào mẫu số)" in result.summary_text()
    row = result.summary.loc["Đang xử lý, chưa đến hạn (không tính vào mẫu số)"]
    assert (row["Số hồ sơ"], row["Mẫu số"]) == (1, 5)
    assert "| Đang xử lý, chưa đến hạn (không tính vào mẫu số) | 1 | 20,0% (1/5) | 5 |" in (
        result.to_markdown())


def test_results_and_receipts_after_the_as_of_moment_are_not_there_yet():
    result = kpi_report(TINY, as_of=datetime(2025, 7, 8, 12, 0))
    # the copy (received 15:30 on 07/07, due 08/07) has no result yet and is due today
    assert (result.received, result.resolved, result.early) == (5, 2, 1)
    assert (result.on_time, result.late, result.not_yet_due) == (0, 0, 3)
    before = kpi_report(TINY, as_of=datetime(2025, 7, 7, 9, 30))
    assert (before.received, before.resolved, before.judged) == (2, 0, 0)
    assert "chưa có hồ sơ nào để tính tỷ lệ" in before.summary_text()


def test_apology_slip_dossier_is_judged_on_its_original_date():
    # Received 07/07, first due 10/07; a slip moved it to 15/07; result on 11/07: late.
    frame = pd.DataFrame({
        "procedure": ["tam-tru"], "channel": ["vneid"],
        "received_at": pd.to_datetime(["2025-07-07 09:00"]),
        "due_date": pd.to_datetime(["2025-07-15"]),
        "original_due_date": pd.to_datetime(["2025-07-10"]),
        "resolved_at": pd.to_datetime(["2025-07-11 10:00"])})
    result = kpi_report(frame)
    assert (result.early, result.on_time, result.late) == (0, 0, 1)
    pending = kpi_report(frame.assign(resolved_at=pd.NaT), as_of=date(2025, 7, 14))
    assert (pending.overdue, pending.not_yet_due) == (1, 0)
    no_slip = frame.assign(original_due_date=pd.NaT)  # empty: the due date counts
    assert kpi_report(no_slip).early == 1


def test_every_rate_shows_its_denominator(report):
    text = report.to_markdown()
    assert "77,5% (2.006/2.588) trước hạn" in report.summary_text()
    for row in report.summary_rows():
        assert row[2].endswith(")") and "/" in row[2]
    cells = [cell for line in text.splitlines() if line.startswith("| ")
             for cell in line.strip("| ").split(" | ") if re.search(r"\d%", cell)]
    assert len(cells) > 20
    assert all(re.fullmatch(r"[\d.,]+% \([\d.]+/[\d.]+\)", cell) for cell in cells)


def test_bad_as_of_is_named():
    with pytest.raises(InvalidInput) as info:
        kpi_report(TINY, as_of="hôm qua")
    assert info.value.field == "as_of"


def test_given_due_dates_are_used_as_they_are():
    frame = TINY.assign(due_date=pd.to_datetime(["2025-07-20"] * 5))
    result = kpi_report(frame)
    assert (result.early, result.on_time, result.late, result.undetermined) == (4, 0, 0, 0)
    assert result.not_yet_due == 1


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
    assert info.value.field == "rating" and info.value.value == bad
    assert f"dòng {TINY.index[1]}" in str(info.value) and repr(bad) not in str(info.value)


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
    assert result.as_of is None
    assert result.summary_text() == (
        "Tiếp nhận 0 hồ sơ; chưa có hồ sơ nào để tính tỷ lệ trước hạn, đúng hạn")
    assert "## Tổng hợp" in result.to_markdown()


def test_procedure_names_follow_the_readers_language():
    from kynangso.i18n import get_language, set_language

    before = get_language()
    set_language("en")
    try:
        names = kpi_report(TINY).by_procedure["Procedure"]
    finally:
        set_language(before)
    assert names.loc["tam-tru"] == "Temporary residence registration"
