"""The shipped holiday table equals the `holidays` package, and calendars built from it too.

Regenerate the table with `python scripts/update_holidays.py`.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from datetime import date, timedelta

import holidays
import pytest

from kynangso.domain.workcalendar import (
    DEFAULT_YEARS,
    TABLE_COLUMNS,
    WorkCalendar,
    load_holiday_table,
    public_holidays,
)
from kynangso.errors import DataFileError

from helpers import ROOT

SCRIPT = ROOT / "scripts" / "update_holidays.py"
REGENERATE = "run: python scripts/update_holidays.py"
FIRST_LINE = "# holidays 0.1, years 2027-2028\n"
HEADER = ",".join(TABLE_COLUMNS) + "\n"
TAIL = ",Nguồn thử,true,2026-12-01"  # source, verified, checked of a test row


def _load_script():
    spec = importlib.util.spec_from_file_location("update_holidays", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def script():
    return _load_script()


@pytest.fixture(scope="module")
def table_calendar():
    return WorkCalendar()


@pytest.fixture(scope="module")
def package_calendar():
    return WorkCalendar(holiday_table=None)


def _days(first, last):
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


# --- the table matches the installed package ------------------------------------------------


def test_committed_table_is_what_the_installed_package_writes(script):
    assert script.TABLE.read_text(encoding="utf-8") == script.render(), REGENERATE


# The package calls the day two days before Tết "29 Tết" even when tháng Chạp has
# 29 days; the generator names those days by their lunar date.
RELABELLED = {date(y, m, d): "28 tháng Chạp" for y, m, d in [
    (2025, 1, 27), (2027, 2, 4), (2028, 1, 24), (2030, 1, 31), (2031, 1, 21), (2032, 2, 9)]}


def test_committed_table_holds_the_package_holidays_and_weekend_workdays():
    table = load_holiday_table()
    public = holidays.VN(years=DEFAULT_YEARS, language="vi")
    assert table.version == holidays.__version__, REGENERATE
    assert table.years == DEFAULT_YEARS, REGENERATE
    assert dict(table.holidays) == dict(public.items()) | RELABELLED, REGENERATE
    assert all(public[d] == "29 Tết" for d in RELABELLED)
    in_years = {d for d in public.weekend_workdays if d.year in DEFAULT_YEARS}
    assert table.weekend_workdays == in_years, REGENERATE


def test_check_mode_accepts_the_committed_table():
    result = subprocess.run([sys.executable, str(SCRIPT), "--check"], capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stderr


def test_check_mode_refuses_a_stale_table_and_says_how_to_fix_it(script, tmp_path, capsys):
    stale = tmp_path / "holidays_vn.csv"
    stale.write_text(script.render().replace("Quốc khánh", "Quoc khanh"), encoding="utf-8")
    assert script.main(["--check"], path=stale) == 1
    assert "update_holidays.py" in capsys.readouterr().err
    assert "Quoc khanh" in stale.read_text(encoding="utf-8")  # --check writes nothing


def test_script_writes_once_and_then_leaves_the_file_alone(script, tmp_path):
    target = tmp_path / "holidays_vn.csv"
    assert script.main([], path=target) == 0
    assert target.read_bytes() == script.render().encode("utf-8")
    assert b"\r" not in target.read_bytes()
    os.utime(target, ns=(0, 0))  # a rewrite would move the time stamp
    assert script.main([], path=target) == 0
    assert target.stat().st_mtime_ns == 0
    assert script.main(["--check"], path=target) == 0


# --- calendars are the same either way ----------------------------------------------------


def test_calendar_from_the_table_equals_the_package_one_every_day(table_calendar,
                                                                   package_calendar):
    for day in _days(date(2015, 1, 1), date(2035, 12, 31)):
        assert table_calendar.is_working_day(day) == package_calendar.is_working_day(day), day
        expected = RELABELLED.get(day) or package_calendar.holiday_name(day)
        assert table_calendar.holiday_name(day) == expected, day


@pytest.mark.parametrize("year", list(DEFAULT_YEARS))
def test_one_year_calendar_from_the_table_equals_the_package_one(year):
    # The package lists weekend workdays of adjacent years; both paths must cut the same.
    table = WorkCalendar(years=[year], swaps=())
    package = WorkCalendar(years=[year], swaps=(), holiday_table=None)
    assert table._off == package._off
    assert table._names == {d: RELABELLED.get(d, n) for d, n in package._names.items()}


def test_years_outside_the_table_still_come_from_the_package():
    names, _ = public_holidays(range(2036, 2037))
    assert names[date(2036, 1, 1)] == "Tết Dương lịch"
    cal = WorkCalendar(years=[2035, 2036], swaps=())
    assert not cal.is_working_day(date(2036, 9, 2))
    assert cal.holiday_name(date(2035, 9, 2)) == WorkCalendar(
        years=[2035], swaps=()).holiday_name(date(2035, 9, 2))


def test_building_the_default_calendar_does_not_import_holidays():
    code = ("import sys; from kynangso.domain.workcalendar import WorkCalendar; "
            "WorkCalendar(); assert 'holidays' not in sys.modules, 'holidays imported'")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


# --- malformed tables are named by line and field -------------------------------------------


def _table(tmp_path, text):
    path = tmp_path / "holidays.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_custom_table_is_read(tmp_path):
    path = _table(tmp_path, FIRST_LINE + HEADER + '2027-01-01,holiday,"Tết Dương lịch; thử"'
                  + TAIL + "\n2027-05-08,weekend_workday," + TAIL.replace("true", "false") + "\n")
    table = load_holiday_table(path)
    assert (table.version, table.years) == ("0.1", range(2027, 2029))
    assert dict(table.holidays) == {date(2027, 1, 1): "Tết Dương lịch; thử"}
    assert table.weekend_workdays == {date(2027, 5, 8)}
    assert [(r.day, r.kind, r.source, r.verified, r.checked) for r in table.rows] == [
        (date(2027, 1, 1), "holiday", "Nguồn thử", True, date(2026, 12, 1)),
        (date(2027, 5, 8), "weekend_workday", "Nguồn thử", False, date(2026, 12, 1))]
    assert table.unverified == {date(2027, 5, 8)}
    cal = WorkCalendar(years=[2027], swaps=(), holiday_table=path)
    assert cal.holiday_name(date(2027, 1, 1)) == "Tết Dương lịch; thử"
    assert cal.is_working_day(date(2027, 5, 8))


def test_names_in_the_table_are_nfc(tmp_path):
    path = _table(tmp_path, FIRST_LINE + HEADER + "2027-01-01,holiday,Te\u0302\u0301t" + TAIL + "\n")
    assert load_holiday_table(path).holidays[date(2027, 1, 1)] == "Tết"


@pytest.mark.parametrize(("row", "field"), [
    ("2027-13-40,holiday,Thử" + TAIL, "date"),
    ("01/01/2027,holiday,Thử" + TAIL, "date"),
    ("20270101,holiday,Thử" + TAIL, "date"),
    ("2030-01-01,holiday,Thử" + TAIL, "date"),  # outside the table's years
    ("2027-01-01,holliday,Thử" + TAIL, "kind"),
    ("2027-01-01,,Thử" + TAIL, "kind"),
    ("2027-01-01,holiday," + TAIL, "name"),
    ("2027-05-08,weekend_workday,Thử" + TAIL, "name"),
    ("2027-01-01,holiday", "columns"),
    ("2027-01-01,holiday,Thử", "columns"),  # the three columns of older tables
    ("2027-01-01,holiday,Thử,,true,2026-12-01", "source"),
    ("2027-01-01,holiday,Thử,Nguồn,yes,2026-12-01", "verified"),
    ("2027-01-01,holiday,Thử,Nguồn,true,", "checked"),
    ("2027-01-01,holiday,Thử,Nguồn,true,01/12/2026", "checked"),
    ("2999-01-01,holiday,Thử,Nguồn,true,2999-01-01", "date"),
    ("2027-01-01,holiday,Thử,Nguồn,true,2999-01-01", "checked"),  # in the future
])
def test_bad_row_is_named_by_line_and_field(tmp_path, row, field):
    path = _table(tmp_path, FIRST_LINE + HEADER + "2027-12-31,holiday,Tết" + TAIL + "\n" + row + "\n")
    with pytest.raises(DataFileError) as info:
        load_holiday_table(path)
    error = info.value
    assert (error.field, error.entry, error.file) == (field, "dòng 4", str(path))
    assert f"'{field}'" in str(error) and "dòng 4" in str(error)
    assert "holidays.csv" in str(error)


def test_repeated_holiday_is_named(tmp_path):
    path = _table(tmp_path, FIRST_LINE + HEADER + "2027-01-01,holiday,A" + TAIL
                  + "\n2027-01-01,holiday,B" + TAIL + "\n")
    with pytest.raises(DataFileError) as info:
        load_holiday_table(path)
    assert (info.value.field, info.value.entry) == ("date", "dòng 4")


@pytest.mark.parametrize(("text", "field", "line"), [
    ("date,kind,name\n2027-01-01,holiday,Tết\n", "years", 1),
    ("# holidays 0.1, years 2028-2027\n" + HEADER, "years", 1),
    ("", "years", 1),
    (FIRST_LINE + "ngay,loai,ten\n", "columns", 2),
    (FIRST_LINE, "columns", 2),
])
def test_bad_first_lines_are_named(tmp_path, text, field, line):
    with pytest.raises(DataFileError) as info:
        load_holiday_table(_table(tmp_path, text))
    assert (info.value.field, info.value.entry) == (field, f"dòng {line}")
    assert f"'{field}'" in str(info.value)


def test_missing_or_non_utf8_table_is_named(tmp_path):
    with pytest.raises(DataFileError) as info:
        load_holiday_table(tmp_path / "none.csv")
    assert "none.csv" in str(info.value)
    path = tmp_path / "utf16.csv"
    path.write_bytes((FIRST_LINE + HEADER + "2027-01-01,holiday,Tết" + TAIL + "\n").encode("utf-16"))
    with pytest.raises(DataFileError) as info:
        load_holiday_table(path)
    assert "UTF-8" in str(info.value) and "utf16.csv" in str(info.value)


# --- every row names its source -------------------------------------------------------------

CHECKED = date(2026, 12, 2)


def test_every_row_has_a_source_and_a_checked_day():
    rows = load_holiday_table().rows
    table = load_holiday_table()
    assert len(rows) == len(table.holidays) + len(table.weekend_workdays)
    for row in rows:
        assert row.source.strip(), row
        assert row.checked == CHECKED, row


def test_rows_name_the_documents_they_rest_on():
    rows = {(r.day, r.kind): r for r in load_holiday_table().rows}
    labour = rows[(date(2025, 9, 2), "holiday")]
    assert "45/2019/QH14" in labour.source and "Điều 112" in labour.source and labour.verified
    assert "10/2012/QH13" in rows[(date(2016, 4, 16), "holiday")].source
    assert "6519/VPCP-KGVX" in rows[(date(2019, 2, 4), "holiday")].source
    assert "6519/VPCP-KGVX" in rows[(date(2019, 1, 5), "weekend_workday")].source
    assert "2450/VPCP-KGVX" in rows[(date(2024, 5, 4), "weekend_workday")].source
    tet_2025 = rows[(date(2025, 1, 28), "holiday")]
    assert "8726/VPCP-KGVX" in tet_2025.source and tet_2025.verified


@pytest.mark.parametrize(("day", "kind"), [
    (date(2026, 11, 24), "holiday"),  # Ngày Văn hóa Việt Nam: policy, not yet law
    (date(2027, 11, 24), "holiday"),
    (date(2029, 11, 26), "holiday"),  # its day in lieu
    (date(2026, 8, 31), "holiday"),  # swap reported in the press only
    (date(2026, 8, 22), "weekend_workday"),
    (date(2026, 9, 1), "holiday"),
    (date(2027, 2, 6), "holiday"),  # Tết 2027: no notice cited
    (date(2027, 2, 4), "holiday"),
    (date(2035, 2, 8), "holiday"),
])
def test_unsettled_rows_are_not_verified(day, kind):
    row = next(r for r in load_holiday_table().rows if (r.day, r.kind) == (day, kind))
    assert not row.verified, row
    assert day in load_holiday_table().unverified


def test_future_tet_windows_are_never_verified():
    for row in load_holiday_table().rows:
        if row.day.year >= 2027 and row.kind == "holiday" and (
                "Tết Nguyên Đán" in row.name or "tháng Chạp" in row.name or "29 Tết" in row.name):
            assert not row.verified, row


def test_the_day_two_days_before_tet_is_named_by_its_lunar_date():
    names = load_holiday_table().holidays
    assert names[date(2025, 1, 27)] == "28 tháng Chạp"  # tháng Chạp Giáp Thìn had 29 days
    assert names[date(2020, 1, 23)] == "29 Tết"  # tháng Chạp Kỷ Hợi had 30 days
    assert names[date(2015, 2, 17)] == "29 Tết"
    for day, name in RELABELLED.items():
        assert names[day] == name
        row = next(r for r in load_holiday_table().rows if r.day == day)
        assert "29 ngày" in row.source


def test_holiday_rows_lists_every_row_for_the_sources_page():
    from kynangso.domain.workcalendar import holiday_rows

    rows = holiday_rows()
    assert rows == load_holiday_table().rows
    assert all(isinstance(r.verified, bool) for r in rows)
