"""Locality settings: the ward's defaults load, assumptions are flagged, bad files are named."""

from __future__ import annotations

import copy
from datetime import date, time
from pathlib import Path

import pytest
import yaml

from kynangso.domain.catalogue import load_catalogue
from kynangso.domain.datafiles import DATA_DIR
from kynangso.domain.locality import Locality, load_locality
from kynangso.errors import DataFileError, MissingEntry

LOCALITY = load_locality()


def test_default_ward_is_truc_lam():
    assert isinstance(LOCALITY, Locality)
    assert LOCALITY.ward == "Trúc Lâm" and LOCALITY.ward_title == "phường Trúc Lâm"
    assert LOCALITY.centre == "Trung tâm Phục vụ hành chính công phường Trúc Lâm"
    assert LOCALITY.unit_code == "000.00.99.H56" and LOCALITY.unit_code_synthetic


def test_province_is_thanh_hoa_by_resolution_1686_not_an_assumption():
    assert LOCALITY.province == "Thanh Hóa" and not LOCALITY.province_assumed
    assert "1686/NQ-UBTVQH15" in dict(LOCALITY.sources)["province"]
    assert {key for key, _day in LOCALITY.checked} == {"ward", "province", "centre"}


def test_unverified_days_off_count_by_default_and_a_trainer_can_switch_them(tmp_path):
    assert LOCALITY.unverified_days_off
    path = write(tmp_path, lambda d: d.update(calendar={"unverified_days_off": False}))
    assert not load_locality(path).unverified_days_off


def test_bad_calendar_switch_is_named(tmp_path):
    expect_error(write(tmp_path, lambda d: d.update(calendar={"unverified_days_off": "có"})),
                 "unverified_days_off")


@pytest.mark.parametrize("code", ["000.00.00.H56", "H56.60", "TRUCLAM"])
def test_dotted_agency_identifiers_are_accepted(tmp_path, code):
    locality = load_locality(write(tmp_path, lambda d: d.update(unit_code=code)))
    assert locality.dossier_code(date(2025, 11, 10), 7) == f"{code}-251110-0007"


def test_opening_hours_are_the_projects_assumption():
    hours = LOCALITY.hours
    assert hours.assumption and hours.source
    assert [(s.start, s.end) for s in hours.sessions] == [
        (time(7, 30), time(11, 30)), (time(13, 30), time(17, 0))]
    assert (hours.opens, hours.closes) == (time(7, 30), time(17, 0))
    assert "07:30–11:30" in hours.describe()


@pytest.mark.parametrize(("moment", "open_"), [
    (time(7, 29), False), (time(7, 30), True), (time(11, 29), True), (time(11, 30), False),
    (time(12, 0), False), (time(13, 30), True), (time(16, 59), True), (time(17, 0), False)])
def test_office_is_open_only_during_sessions(moment, open_):
    assert LOCALITY.hours.is_open_at(moment) is open_


def test_khoa_truong_is_real_and_the_other_groups_say_they_are_synthetic():
    groups = {g.name: g for g in LOCALITY.residential_groups}
    assert not groups["Khoa Trường"].synthetic
    others = [g for name, g in groups.items() if name != "Khoa Trường"]
    assert others and all(g.synthetic for g in others)


def test_every_catalogue_field_has_a_counter():
    for field in load_catalogue().fields:
        assert field in LOCALITY.counter_for(field).fields


def test_unknown_field_has_no_counter():
    with pytest.raises(MissingEntry) as info:
        LOCALITY.counter_for("Hải quan")
    assert "Hải quan" in str(info.value)


def test_dossier_code_has_unit_day_and_sequence():
    assert LOCALITY.dossier_code(date(2025, 11, 10), 7) == "000.00.99.H56-251110-0007"


# --- malformed files --------------------------------------------------------------

BASE = yaml.safe_load((DATA_DIR / "locality.yaml").read_text(encoding="utf-8"))


def write(tmp_path: Path, change) -> Path:
    data = copy.deepcopy(BASE)
    change(data)
    path = tmp_path / "dia-phuong.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def expect_error(path: Path, field: str) -> DataFileError:
    with pytest.raises(DataFileError) as info:
        load_locality(path)
    assert info.value.field == field and info.value.file == str(path)
    assert field in str(info.value) and path.name in str(info.value)
    return info.value


def test_a_valid_copy_loads(tmp_path):
    assert load_locality(write(tmp_path, lambda d: None)) == LOCALITY


def test_missing_ward_name_is_named(tmp_path):
    error = expect_error(write(tmp_path, lambda d: d["ward"].pop("name")), "name")
    assert error.entry == "ward"


@pytest.mark.parametrize("code", ["Trúc Lâm", "000..00", ".H56", "H56.", "000-00"])
def test_bad_unit_code_is_named(tmp_path, code):
    error = expect_error(write(tmp_path, lambda d: d.update(unit_code=code)), "unit_code")
    assert code in str(error)


def test_bad_clock_time_is_named(tmp_path):
    expect_error(write(tmp_path, lambda d: d["opening_hours"]["sessions"][0].update(
        start="7h30")), "start")


def test_session_ending_before_it_starts_is_named(tmp_path):
    expect_error(write(tmp_path, lambda d: d["opening_hours"]["sessions"][0].update(
        end="07:00")), "end")


def test_overlapping_sessions_are_named(tmp_path):
    expect_error(write(tmp_path, lambda d: d["opening_hours"]["sessions"][1].update(
        start="11:00")), "start")


def test_duplicate_counter_numbers_are_named(tmp_path):
    expect_error(write(tmp_path, lambda d: d["counters"]["items"][1].update(number=1)),
                 "number")


def test_province_assumption_flag_is_required(tmp_path):
    error = expect_error(write(tmp_path, lambda d: d["province"].pop("assumption")),
                         "assumption")
    assert error.entry == "province"


def test_duplicate_group_names_are_named(tmp_path):
    expect_error(write(tmp_path, lambda d: d["residential_groups"][1].update(
        name="Khoa Trường")), "name")
