"""Working days, due dates and timeliness; the vectorised twin always agrees with the scalar one."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

import holidays
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kynangso.domain.catalogue import TimeRule, load_catalogue
from kynangso.domain.locality import load_locality
from kynangso.domain.workcalendar import (
    DaySwap,
    Timeliness,
    WorkCalendar,
    classify_many,
    due_dates,
    load_swaps,
    timeliness_definition,
)
from kynangso.errors import DataFileError, InvalidInput

CAL = WorkCalendar()
CATALOGUE = load_catalogue()
D = date


def at(y, m, d, hh=9, mm=0, ss=0):
    return datetime(y, m, d, hh, mm, ss)


def due(code, moment):
    return CAL.due_date(moment, CATALOGUE[code])


# --- working days ---------------------------------------------------------------


def test_weekdays_work_and_weekends_rest():
    assert CAL.is_working_day(D(2025, 7, 7))  # Monday
    assert not CAL.is_working_day(D(2025, 7, 5))  # Saturday
    assert not CAL.is_working_day(D(2025, 7, 6))  # Sunday


@pytest.mark.parametrize(("day", "name"), [
    (D(2025, 1, 1), "Tết Dương lịch"), (D(2025, 1, 29), "Tết Nguyên Đán"),
    (D(2025, 1, 27), "28 tháng Chạp"), (D(2025, 4, 7), "Giỗ Tổ Hùng Vương"),
    (D(2025, 4, 30), "Chiến thắng"), (D(2025, 5, 1), "Lao động"), (D(2025, 9, 2), "Quốc khánh"),
    (D(2026, 2, 17), "Tết Nguyên Đán"),
])
def test_public_holidays_are_days_off_with_vietnamese_names(day, name):
    assert not CAL.is_working_day(day)
    assert name in CAL.holiday_name(day)


def test_swaps_known_to_the_holidays_package_apply():
    assert not CAL.is_working_day(D(2025, 5, 2))  # Friday off ...
    assert CAL.is_working_day(D(2025, 4, 26))  # ... worked on Saturday 26/4


def test_swaps_from_the_data_file_apply_and_say_they_are_unverified():
    assert not CAL.is_working_day(D(2026, 1, 2))
    assert "chưa kiểm chứng" in CAL.holiday_name(D(2026, 1, 2))
    assert CAL.is_working_day(D(2026, 1, 10))  # Saturday worked instead


def test_holidays_package_still_lacks_the_2026_new_year_swap():
    # If this fails, the package caught up: drop the entry from day_swaps.yaml.
    assert D(2026, 1, 2) not in holidays.VN(years=2026)


def test_calendar_without_swaps_ignores_the_file():
    plain = WorkCalendar(years=[2026], swaps=())
    assert plain.is_working_day(D(2026, 1, 2)) and not plain.is_working_day(D(2026, 1, 10))


def test_ordinary_days_have_no_holiday_name():
    assert CAL.holiday_name(D(2025, 7, 7)) is None
    assert CAL.holiday_name(D(2025, 7, 5)) is None  # a plain Saturday


def test_next_working_day_is_strictly_after():
    assert CAL.next_working_day(D(2025, 7, 4)) == D(2025, 7, 7)  # Friday -> Monday
    assert CAL.next_working_day(D(2025, 7, 7)) == D(2025, 7, 8)
    assert CAL.next_working_day(D(2025, 1, 24)) == D(2025, 2, 3)  # over Tết 2025


def test_add_working_days_counts_only_working_days():
    assert CAL.add_working_days(D(2025, 8, 29), 1) == D(2025, 9, 3)  # over 1-2/9
    assert CAL.add_working_days(D(2025, 9, 3), -1) == D(2025, 8, 29)
    assert CAL.add_working_days(D(2025, 9, 1), 0) == D(2025, 9, 3)  # holiday rolls forward
    assert CAL.add_working_days(D(2025, 9, 3), 0) == D(2025, 9, 3)


days_in_range = st.dates(D(2016, 1, 1), D(2034, 12, 31))


@given(day=days_in_range, n=st.integers(-40, 40).filter(bool))
def test_working_days_between_inverts_add_working_days(day, n):
    assert CAL.working_days_between(day, CAL.add_working_days(day, n)) == n


def test_working_days_between_counts_steps():
    assert CAL.working_days_between(D(2025, 7, 4), D(2025, 7, 7)) == 1  # Fri -> Mon
    assert CAL.working_days_between(D(2025, 7, 7), D(2025, 7, 4)) == -1
    assert CAL.working_days_between(D(2025, 7, 5), D(2025, 7, 6)) == 0  # weekend
    assert CAL.working_days_between(D(2025, 1, 24), D(2025, 2, 3)) == 1  # over Tết


@given(day=days_in_range)
def test_next_working_day_skips_only_days_off(day):
    nxt = CAL.next_working_day(day)
    assert nxt > day and CAL.is_working_day(nxt)
    gap = [day + timedelta(days=i) for i in range(1, (nxt - day).days)]
    assert not any(CAL.is_working_day(d) for d in gap)


def test_dates_outside_the_calendar_are_refused_with_the_field_named():
    with pytest.raises(InvalidInput) as info:
        CAL.is_working_day(D(2040, 1, 2))
    assert info.value.field == "date" and "2040-01-02" in str(info.value)
    with pytest.raises(InvalidInput) as info:
        due("tam-tru", at(2050, 1, 3))
    assert info.value.field == "received_at"


def test_empty_years_are_refused():
    with pytest.raises(InvalidInput) as info:
        WorkCalendar(years=[])
    assert info.value.field == "years"


@pytest.mark.parametrize(("moment", "open_"), [
    (at(2025, 7, 7, 8), True), (at(2025, 7, 7, 12), False), (at(2025, 7, 7, 17), False),
    (at(2025, 7, 5, 8), False), (at(2025, 4, 26, 8), True), (at(2025, 9, 2, 8), False),
])
def test_office_opens_in_hours_on_working_days(moment, open_):
    assert CAL.is_office_open(moment) is open_


# --- day swap files ----------------------------------------------------------------


def test_swap_file_entries_have_a_source():
    swaps = load_swaps()
    assert swaps and all(s.source and isinstance(s.verified, bool) for s in swaps)


def test_custom_swap_file_is_used(tmp_path):
    path = tmp_path / "swaps.yaml"
    path.write_text("swaps:\n  - day_off: 2027-04-30\n    working_day: 2027-05-08\n"
                    "    name: Nghỉ thử\n    source: thử\n    verified: true\n"
                    "    checked: 2026-12-01\n", encoding="utf-8")
    cal = WorkCalendar(years=[2027], swaps=path)
    assert cal.holiday_name(D(2027, 4, 30)) is not None
    assert cal.is_working_day(D(2027, 5, 8))


def test_custom_swaps_as_objects():
    swap = DaySwap(D(2027, 7, 5), None, "Nghỉ thử", "thử", True)
    assert not WorkCalendar(years=[2027], swaps=[swap]).is_working_day(D(2027, 7, 5))


@pytest.mark.parametrize(("body", "field"), [
    ("day_off: 2027-05-08", "day_off"),  # a Saturday is already off
    ("working_day: 2027-05-10", "working_day"),  # a Monday is already worked
    ("day_off: '2027-13-40'", "day_off"),
    ("name: x", "day_off"),
])
def test_bad_swap_is_named(tmp_path, body, field):
    path = tmp_path / "swaps.yaml"
    path.write_text(f"swaps:\n  - {body}\n    name: x\n    source: y\n    verified: false\n"
                    "    checked: 2026-12-01\n"
                    .replace("name: x\n    name: x", "name: x"), encoding="utf-8")
    with pytest.raises(DataFileError) as info:
        load_swaps(path)
    assert info.value.field == field and field in str(info.value)
    assert info.value.entry == "#1"


# --- due dates -----------------------------------------------------------------------


def test_working_days_rule_skips_tet():
    assert due("thuong-tru", at(2025, 1, 24, 16)) == D(2025, 2, 11)


def test_online_dossier_after_closing_counts_from_next_working_day():
    assert due("tam-tru", at(2025, 7, 7, 16, 59)) == D(2025, 7, 10)
    assert due("tam-tru", at(2025, 7, 7, 17, 0)) == D(2025, 7, 11)
    assert due("tam-tru", at(2025, 7, 5, 10)) == D(2025, 7, 10)  # Saturday -> Monday


def test_dossier_before_opening_counts_that_day():
    assert due("chung-thuc-ban-sao", at(2025, 7, 7, 6, 0)) == D(2025, 7, 7)


@pytest.mark.parametrize(("moment", "expected"), [
    (at(2025, 7, 7, 14, 59), D(2025, 7, 7)),
    (at(2025, 7, 7, 15, 0), D(2025, 7, 7)),
    (at(2025, 7, 7, 15, 0, 1), D(2025, 7, 8)),
    (at(2025, 7, 4, 15, 30), D(2025, 7, 7)),  # Friday after 15:00 -> Monday
    (at(2025, 7, 5, 15, 30), D(2025, 7, 7)),  # Saturday counts as Monday 07:30
    (at(2025, 8, 29, 16), D(2025, 9, 3)),  # before the National Day holiday
])
def test_same_day_rule_with_cutoff(moment, expected):
    assert due("chung-thuc-ban-sao", moment) == expected


def test_same_day_rule_without_cutoff():
    assert due("khai-sinh", at(2025, 7, 7, 16, 30)) == D(2025, 7, 7)
    assert due("khai-sinh", at(2025, 7, 7, 17, 30)) == D(2025, 7, 8)


def test_calendar_days_roll_forward_past_days_off():
    # No shipped procedure counts calendar days now: a made-up one of 10 days.
    proc = replace(CATALOGUE["ly-lich-tu-phap"], time=TimeRule("calendar_days", 10))
    assert CAL.due_date(at(2025, 7, 7), proc) == D(2025, 7, 17)
    assert CAL.due_date(at(2025, 8, 22), proc) == D(2025, 9, 3)  # 1/9 Mon, 2/9 Tue off
    assert CAL.due_date(at(2025, 7, 2), proc) == D(2025, 7, 14)  # Sat 12/7 -> Mon 14/7


def test_unverified_time_rule_has_no_due_date():
    assert due("gia-han-bhyt", at(2025, 7, 7)) is None
    assert due("khai-tu", at(2025, 7, 7)) is None


def test_timezone_aware_receipt_is_read_in_vietnamese_time():
    utc = datetime(2025, 7, 7, 9, 30, tzinfo=UTC)  # 16:30 in Hà Nội
    assert due("chung-thuc-ban-sao", utc) == D(2025, 7, 8)


def test_receipt_date_without_time_counts_from_opening():
    assert due("chung-thuc-ban-sao", D(2025, 7, 7)) == D(2025, 7, 7)


def test_bad_receipt_is_named():
    with pytest.raises(InvalidInput) as info:
        CAL.due_date("hôm qua", CATALOGUE["tam-tru"])
    assert info.value.field == "received_at"


# --- timeliness ------------------------------------------------------------------


@pytest.mark.parametrize(("resolved", "expected"), [
    (at(2025, 7, 9, 16), Timeliness.EARLY), (at(2025, 7, 10, 16, 59), Timeliness.ON_TIME),
    (D(2025, 7, 10), Timeliness.ON_TIME), (at(2025, 7, 11, 7, 31), Timeliness.LATE),
])
def test_classify_compares_days(resolved, expected):
    assert CAL.classify(resolved, D(2025, 7, 10)) is expected


def test_timeliness_labels_and_definition_are_vietnamese_and_caveated():
    assert [t.value for t in Timeliness] == ["trước hạn", "đúng hạn", "quá hạn"]
    assert Timeliness.LATE.label == "quá hạn"
    text = timeliness_definition()
    assert "chưa kiểm chứng" in text and "dự án" in text
    assert all(t.definition in text for t in Timeliness)


def test_classify_refuses_missing_values():
    with pytest.raises(InvalidInput) as info:
        CAL.classify(None, D(2025, 7, 10))
    assert info.value.field == "resolved_at"
    with pytest.raises(InvalidInput) as info:
        CAL.classify(D(2025, 7, 10), None)
    assert info.value.field == "due_date"


# --- the vectorised twin ------------------------------------------------------------

_vn = holidays.VN(years=range(2015, 2036))
SPECIAL_DAYS = sorted({*_vn, *(d for d in _vn.weekend_workdays if d.year >= 2015),
                       D(2026, 1, 2), D(2026, 1, 10)})
SPECIAL_DAYS = [d for d in SPECIAL_DAYS if d <= D(2035, 11, 30)]
SPECIAL_DAYS += [d - timedelta(days=k) for d in SPECIAL_DAYS[::7] for k in (1, 2, 3)
                 if d - timedelta(days=k) >= D(2015, 1, 1)]
SPECIAL_TIMES = [time(0, 0), time(6, 59), time(7, 29, 59), time(7, 30), time(11, 45),
                 time(13, 29), time(14, 59, 59), time(15, 0), time(15, 0, 0, 1), time(15, 30),
                 time(16, 59, 59, 999999), time(17, 0), time(17, 0, 1), time(21, 0),
                 time(23, 59, 59)]
moments = st.builds(
    datetime.combine,
    st.one_of(st.sampled_from(SPECIAL_DAYS), st.dates(D(2015, 1, 1), D(2035, 11, 30))),
    st.one_of(st.sampled_from(SPECIAL_TIMES), st.times()))
rows = st.lists(st.tuples(moments, st.sampled_from(CATALOGUE.codes)), min_size=1, max_size=40)


@settings(max_examples=300, deadline=None)
@given(rows=rows)
def test_vectorised_due_dates_equal_the_scalar_ones(rows):
    received = pd.Series([m for m, _ in rows])
    codes = pd.Series([c for _, c in rows])
    got = CAL.due_dates(received, codes, CATALOGUE)
    expected = [CAL.due_date(m, CATALOGUE[c]) for m, c in rows]
    assert [None if pd.isna(x) else x.date() for x in got] == expected


@settings(max_examples=200, deadline=None)
@given(pairs=st.lists(st.tuples(st.one_of(st.none(), moments),
                                st.one_of(st.none(), st.dates(D(2015, 1, 1), D(2035, 1, 1)))),
                      min_size=1, max_size=30))
def test_vectorised_classification_equals_the_scalar_one(pairs):
    got = classify_many(pd.Series([r for r, _ in pairs], dtype="datetime64[ns]"),
                        pd.Series([pd.NaT if d is None else pd.Timestamp(d) for _, d in pairs]))
    expected = [None if r is None or d is None else CAL.classify(r, d) for r, d in pairs]
    assert [None if pd.isna(x) else x for x in got] == expected


def test_vectorised_due_dates_keep_the_index_and_missing_receipts():
    received = pd.Series([at(2025, 7, 7), pd.NaT], index=[10, 20])
    got = due_dates(received, pd.Series(["tam-tru", "tam-tru"], index=[10, 20]), CATALOGUE,
                    calendar=CAL)
    assert list(got.index) == [10, 20]
    assert got[10] == pd.Timestamp(2025, 7, 10) and pd.isna(got[20])


def test_vectorised_due_dates_read_timezone_aware_receipts():
    received = pd.Series([pd.Timestamp("2025-07-07 09:30", tz="UTC")])
    got = CAL.due_dates(received, pd.Series(["chung-thuc-ban-sao"]), CATALOGUE)
    assert got.iloc[0] == pd.Timestamp(2025, 7, 8)


def test_vectorised_due_dates_name_an_unknown_procedure():
    with pytest.raises(InvalidInput) as info:
        CAL.due_dates(pd.Series([at(2025, 7, 7)]), pd.Series(["lam-so-do"]), CATALOGUE)
    assert info.value.field == "procedure" and "lam-so-do" in str(info.value)


def test_vectorised_due_dates_refuse_dates_outside_the_calendar():
    with pytest.raises(InvalidInput) as info:
        CAL.due_dates(pd.Series([at(2035, 12, 31, 20)]), pd.Series(["tam-tru"]), CATALOGUE)
    assert info.value.field == "due_date"


def test_importing_the_calendar_does_not_import_pandas():
    code = ("import sys, kynangso.domain.workcalendar, kynangso.domain.kpi, "
            "kynangso.domain.dossierlog; print('pandas' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "False"


# --- unverified days off, the trainer's switch and what a due date rests on -----------------

LOCALITY = load_locality()
STRICT = WorkCalendar(locality=replace(LOCALITY, unverified_days_off=False))
SEVEN = CATALOGUE["thuong-tru"]  # 7 working days


def test_shipped_swaps_carry_a_checked_day_and_a_public_source():
    for swap in load_swaps():
        assert swap.checked == D(2026, 12, 2)
        assert "VPCP" in swap.source


def test_switch_decides_whether_an_unverified_day_is_off():
    assert LOCALITY.unverified_days_off  # the shipped setting
    culture_day = D(2026, 11, 24)
    assert not CAL.is_working_day(culture_day)
    assert CAL.holiday_name(culture_day) == "Ngày Văn hóa Việt Nam"
    assert STRICT.is_working_day(culture_day)
    assert STRICT.holiday_name(culture_day) is None
    # Verified holidays do not move with the switch.
    assert not STRICT.is_working_day(D(2025, 9, 2))
    assert not STRICT.is_working_day(D(2025, 1, 27))


def test_switch_moves_a_due_date_across_24_11_2026_and_the_notes_name_the_day():
    received = at(2026, 11, 20)  # Friday
    assert CAL.due_date(received, SEVEN) == D(2026, 12, 2)
    assert STRICT.due_date(received, SEVEN) == D(2026, 12, 1)
    on = CAL.due_date_notes(received, SEVEN)
    assert on == ("Hạn này tính cả ngày nghỉ chưa kiểm chứng: 24/11/2026 – Ngày Văn hóa Việt Nam",)
    off = STRICT.due_date_notes(received, SEVEN)
    assert len(off) == 1 and "24/11/2026 – Ngày Văn hóa Việt Nam" in off[0]
    assert "ngày làm việc" in off[0]
    # The dossier's own due date (e.g. set by hand) works too.
    assert CAL.due_date_notes(received, D(2026, 12, 2)) == on


def test_due_date_clear_of_unverified_days_has_no_notes():
    assert CAL.due_date_notes(at(2025, 11, 10), SEVEN) == ()
    assert CAL.due_date_notes(at(2025, 11, 10), CATALOGUE["khai-tu"]) == ()  # no due date


def test_unverified_swap_of_2026_follows_the_switch():
    assert not CAL.is_working_day(D(2026, 8, 31)) and CAL.is_working_day(D(2026, 8, 22))
    assert STRICT.is_working_day(D(2026, 8, 31)) and not STRICT.is_working_day(D(2026, 8, 22))
    notes = CAL.due_date_notes(at(2026, 8, 20), SEVEN)
    assert notes == ("Hạn này tính cả ngày làm bù chưa kiểm chứng: 22/08/2026 (thứ Bảy)",)
    notes = CAL.due_date_notes(at(2026, 8, 26), SEVEN)
    assert len(notes) == 1 and "31/08/2026 – Ngày nghỉ (thay cho ngày 22/08/2026)" in notes[0]
    assert "01/09/2026 – Quốc khánh" in notes[0]


def test_unverified_swap_from_day_swaps_yaml_follows_the_switch():
    assert not CAL.is_working_day(D(2026, 1, 2)) and CAL.is_working_day(D(2026, 1, 10))
    assert STRICT.is_working_day(D(2026, 1, 2)) and not STRICT.is_working_day(D(2026, 1, 10))


def test_vectorised_due_dates_follow_the_switch():
    received = pd.Series([at(2026, 11, 20)])
    codes = pd.Series(["thuong-tru"])
    assert CAL.due_dates(received, codes).iloc[0].date() == D(2026, 12, 2)
    assert STRICT.due_dates(received, codes).iloc[0].date() == D(2026, 12, 1)


def test_receipt_rule_is_named_as_the_labs_convention():
    assert CAL.receipt_moved(at(2025, 11, 10, 17, 0))
    assert CAL.receipt_moved(at(2025, 11, 15))  # a Saturday
    assert not CAL.receipt_moved(at(2025, 11, 10, 7, 0))  # before opening: same day
    assert not CAL.receipt_moved(at(2025, 11, 10, 16, 59))
    note = CAL.receipt_rule_note()
    assert note == ("Hồ sơ nhận sau 17:00 hoặc vào ngày nghỉ được tính từ ngày làm việc tiếp "
                    "theo — quy ước của phòng thực hành")
    assert "phòng thực hành" in CAL.receipt_rule_note(plain=True)
