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


def test_committed_table_holds_the_package_holidays_and_weekend_workdays():
    table = load_holiday_table()
    public = holidays.VN(years=DEFAULT_YEARS, language="vi")
    assert table.version == holidays.__version__, REGENERATE
    assert table.years == DEFAULT_YEARS, REGENERATE
    assert dict(table.holidays) == dict(public.items()), REGENERATE
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
        assert table_calendar.holiday_name(day) == package_calendar.holiday_name(day), day


@pytest.mark.parametrize("year", list(DEFAULT_YEARS))
def test_one_year_calendar_from_the_table_equals_the_package_one(year):
    # The package lists weekend workdays of adjacent years; both paths must cut the same.
    table = WorkCalendar(years=[year], swaps=())
    package = WorkCalendar(years=[year], swaps=(), holiday_table=None)
    assert (table._off, table._names) == (package._off, package._names)


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
    path = _table(tmp_path, FIRST_LINE + HEADER + '2027-01-01,holiday,"Tết Dương lịch; thử"\n'
                  "2027-05-08,weekend_workday,\n")
    table = load_holiday_table(path)
    assert (table.version, table.years) == ("0.1", range(2027, 2029))
    assert dict(table.holidays) == {date(2027, 1, 1): "Tết Dương lịch; thử"}
    assert table.weekend_workdays == {date(2027, 5, 8)}
    cal = WorkCalendar(years=[2027], swaps=(), holiday_table=path)
    assert cal.holiday_name(date(2027, 1, 1)) == "Tết Dương lịch; thử"
    assert cal.is_working_day(date(2027, 5, 8))


def test_names_in_the_table_are_nfc(tmp_path):
    path = _table(tmp_path, FIRST_LINE + HEADER + "2027-01-01,holiday,Te\u0302\u0301t\n")
    assert load_holiday_table(path).holidays[date(2027, 1, 1)] == "Tết"


@pytest.mark.parametrize(("row", "field"), [
    ("2027-13-40,holiday,Thử", "date"),
    ("01/01/2027,holiday,Thử", "date"),
    ("20270101,holiday,Thử", "date"),
    ("2030-01-01,holiday,Thử", "date"),  # outside the table's years
    ("2027-01-01,holliday,Thử", "kind"),
    ("2027-01-01,,Thử", "kind"),
    ("2027-01-01,holiday,", "name"),
    ("2027-05-08,weekend_workday,Thử", "name"),
    ("2027-01-01,holiday", "columns"),
])
def test_bad_row_is_named_by_line_and_field(tmp_path, row, field):
    path = _table(tmp_path, FIRST_LINE + HEADER + "2027-12-31,holiday,Tết\n" + row + "\n")
    with pytest.raises(DataFileError) as info:
        load_holiday_table(path)
    error = info.value
    assert (error.field, error.entry, error.file) == (field, "dòng 4", str(path))
    assert f"'{field}'" in str(error) and "dòng 4" in str(error)
    assert "holidays.csv" in str(error)


def test_repeated_holiday_is_named(tmp_path):
    path = _table(tmp_path, FIRST_LINE + HEADER + "2027-01-01,holiday,A\n2027-01-01,holiday,B\n")
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
    path.write_bytes((FIRST_LINE + HEADER + "2027-01-01,holiday,Tết\n").encode("utf-16"))
    with pytest.raises(DataFileError) as info:
        load_holiday_table(path)
    assert "UTF-8" in str(info.value) and "utf16.csv" in str(info.value)
