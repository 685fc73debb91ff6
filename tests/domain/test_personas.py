"""Synthetic residents: deterministic, fictional, internally consistent."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kynangso.domain.identity import normalize_phone, validate_cccd
from kynangso.domain.locality import load_locality
from kynangso.domain.personas import (
    DEFAULT_NEEDS,
    MAX_PERSONAS,
    PAYMENT_APPS,
    PRACTICE_SERIAL_PREFIX,
    REFERENCE_DATE,
    Gender,
    Persona,
    make_personas,
    persona_by_id,
)
from kynangso.errors import InvalidInput, MissingEntry

CATALOGUE = ("khai-sinh", "khai-tu", "ket-hon", "chung-thuc-ban-sao", "ly-lich-tu-phap",
             "thuong-tru", "tam-tru", "gia-han-bhyt", "dang-ky-bien-dong-dat",
             "dang-ky-thue-hkd")


@pytest.fixture(scope="module")
def crowd() -> list[Persona]:
    return make_personas(300, seed=7)


def test_default_needs_are_the_catalogue_codes():
    assert set(DEFAULT_NEEDS) == set(CATALOGUE)


def test_same_seed_gives_the_same_personas():
    assert make_personas(20, seed=3) == make_personas(20, seed=3)


def test_different_seeds_give_different_personas():
    assert make_personas(20, seed=3) != make_personas(20, seed=4)


def test_a_smaller_batch_is_a_prefix_of_a_larger_one():
    assert make_personas(30, seed=1)[:10] == make_personas(10, seed=1)


def test_every_persona_is_marked_fictional(crowd):
    assert all(p.fictional is True for p in crowd)
    assert all("Nhân vật giả lập" in p.label for p in crowd)


def test_a_persona_cannot_be_made_non_fictional(crowd):
    with pytest.raises(InvalidInput):
        replace(crowd[0], fictional=False)


def test_cccd_agrees_with_birth_date_and_gender(crowd):
    for p in crowd:
        info = validate_cccd(p.cccd, birth_date=p.birth_date, gender=p.gender)
        assert info.birth_year == p.birth_date.year


def test_cccd_numbers_are_visible_practice_numbers_and_unique():
    everyone = make_personas(MAX_PERSONAS, seed=2)
    assert all(p.cccd[6:9] == PRACTICE_SERIAL_PREFIX for p in everyone)
    assert len({p.cccd for p in everyone}) == MAX_PERSONAS


def test_phones_are_valid_mobile_numbers(crowd):
    assert all(normalize_phone(p.phone) == p.phone for p in crowd)


def test_ages_fit_occupations(crowd):
    for p in crowd:
        age = p.age(REFERENCE_DATE)
        if p.occupation == "người cao tuổi":
            assert age >= 60
        elif p.occupation == "học sinh - sinh viên":
            assert 15 <= age <= 24
        else:
            assert 18 <= age <= 65
    occupations = {p.occupation for p in crowd}
    assert {"người cao tuổi", "tiểu thương", "học sinh - sinh viên", "công nhân"} <= occupations


def test_marriage_needs_respect_the_legal_age(crowd):
    for p in crowd:
        if p.needs.procedure_code == "ket-hon":
            assert p.age() >= (20 if p.gender is Gender.MALE else 18)


def test_households_are_in_the_ward_and_its_residential_groups(crowd):
    locality = load_locality()
    groups = {f"Tổ dân phố {g.name}" for g in locality.residential_groups}
    assert locality.ward_title == "phường Trúc Lâm"
    for p in crowd:
        # The province since the 2025 merger is part of every address.
        assert p.household.address.endswith(f"{locality.ward_title}, tỉnh Thanh Hóa")
        assert p.household.to_dan_pho in groups
        assert p.household.to_dan_pho in p.household.address
        assert p.household.to_dan_pho.startswith("Tổ dân phố ")
        assert 1 <= p.household.size <= 7


def test_skills_levels_and_needs_are_in_range(crowd):
    for p in crowd:
        assert p.digital_skill in range(4) and p.vneid_level in range(3)
        assert p.needs.procedure_code in CATALOGUE
        assert p.needs.payment_app in PAYMENT_APPS
    assert {p.needs.payment_app for p in crowd} == set(PAYMENT_APPS)
    assert {p.digital_skill for p in crowd} == {0, 1, 2, 3}
    assert {p.vneid_level for p in crowd} == {0, 1, 2}


def test_needs_come_from_the_procedure_codes_given():
    people = make_personas(40, seed=5, procedure_codes=["tam-tru", "thuong-tru"])
    assert {p.needs.procedure_code for p in people} <= {"tam-tru", "thuong-tru"}


def test_names_are_family_name_first_without_honorifics(crowd):
    # Faker's vi_VN full names are given-name first and may carry "Ông", "Quý cô"...
    family_names = {"Nguyễn", "Trần", "Lê", "Phạm", "Vũ", "Đặng", "Bùi", "Dương", "Mai", "Hoàng"}
    for p in crowd:
        parts = p.full_name.split()
        assert len(parts) == 3 and parts[0] in family_names
        assert parts[1] not in {"Ông", "Bà", "Chị", "Cô", "Bác", "Quý"}


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 10_000), index=st.integers(0, 4))
def test_persona_round_trips_through_json(seed, index):
    persona = make_personas(index + 1, seed=seed)[index]
    data = json.loads(json.dumps(persona.to_dict()))
    assert Persona.from_dict(data) == persona


def test_from_dict_refuses_a_record_that_is_not_fictional(crowd):
    data = crowd[0].to_dict() | {"fictional": False}
    with pytest.raises(InvalidInput) as caught:
        Persona.from_dict(data)
    assert caught.value.field == "fictional"


def test_from_dict_names_a_missing_field(crowd):
    data = crowd[0].to_dict()
    del data["phone"]
    with pytest.raises(InvalidInput) as caught:
        Persona.from_dict(data)
    assert caught.value.field == "phone" and "phone" in str(caught.value)


def test_from_dict_checks_the_cccd_against_the_birth_date(crowd):
    data = crowd[0].to_dict()
    data["birth_date"] = data["birth_date"].replace(data["birth_date"][:4],
                                                    str(int(data["birth_date"][:4]) - 1))
    with pytest.raises(InvalidInput) as caught:
        Persona.from_dict(data)
    assert caught.value.field == "cccd"


def test_persona_by_id_finds_the_same_persona():
    people = make_personas(12, seed=9)
    assert persona_by_id(9, "NV-012") == people[11]
    assert persona_by_id(9, people[0].id) == people[0]


@pytest.mark.parametrize("bad", ["NV-000", "NV-1000", "X-001", "", 3])
def test_persona_by_id_rejects_unknown_ids(bad):
    with pytest.raises(MissingEntry):
        persona_by_id(0, bad)


@pytest.mark.parametrize("n", [-1, MAX_PERSONAS + 1, 2.5, True])
def test_make_personas_rejects_a_bad_count(n):
    with pytest.raises(InvalidInput):
        make_personas(n)


def test_make_personas_needs_procedure_codes():
    with pytest.raises(InvalidInput):
        make_personas(3, procedure_codes=[])
