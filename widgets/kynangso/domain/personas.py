"""Synthetic residents of phường Trúc Lâm for rehearsals: every one is fictional.

How they are made (so anyone can regenerate them): persona ``i`` of seed ``s`` depends only on
``(s, i)`` and the procedure codes; names and streets come from ``Faker('vi_VN')`` seeded with
``"kynangso-persona-{s}-{i}"``, everything else from ``random.Random`` with the same seed; the
ward and its residential groups (tổ dân phố) come from ``data/locality.yaml``. So
``make_personas(5)`` is a prefix of ``make_personas(50)`` and ``persona_by_id`` needs no store.

Practice markers: the 6 "random" digits of every CCCD number are ``999`` followed by the
persona's number (``NV-001`` -> ``999000``). This is a convention of this project, not a range
reserved by law: it only makes practice numbers easy to spot. ``fictional`` is always True.

Ages are taken on ``REFERENCE_DATE`` so the same seed gives the same birth dates every day.
References: Luật Người cao tuổi 2009, Điều 2 (elderly from 60); Luật Hôn nhân và gia đình
2014, Điều 8 (marriage from 20 for men, 18 for women).
"""

from __future__ import annotations

import random
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from ..errors import InvalidInput, MissingEntry
from ..i18n import _, translate
from .identity import (
    N_,
    Gender,
    compose_cccd,
    mobile_prefixes,
    normalize_phone,
    parse_gender,
    provinces,
    validate_cccd,
)
from .locality import load_locality

if TYPE_CHECKING:
    from faker import Faker

DEFAULT_NEEDS: tuple[str, ...] = (
    "khai-sinh", "khai-tu", "ket-hon", "chung-thuc-ban-sao", "ly-lich-tu-phap",
    "thuong-tru", "tam-tru", "gia-han-bhyt", "dang-ky-bien-dong-dat", "dang-ky-thue-hkd",
)
PAYMENT_APPS: tuple[str, ...] = ("ngan-hang", "zalopay", "viettel-money")
REFERENCE_DATE = date(2025, 11, 10)  # the day of the ward's published figures
PRACTICE_SERIAL_PREFIX = "999"
MAX_PERSONAS = 999  # ids NV-001..NV-999, serials 999000..999998: practice numbers never collide

# Middle names, the one table personas, the scam lab and the VNeID sandbox draw from, in draw
# order. The number is the shortest list a name is in: 1 the VNeID sandbox's, 2 adds the scam
# lab's, 3 the personas' full list. Each generator keeps the list it was written with, so every
# seed still gives the names it gave before; "Thị" twice makes it twice as likely for personas.
MIDDLE_NAMES: Mapping[Gender, tuple[tuple[str, int], ...]] = MappingProxyType({
    Gender.MALE: (("Văn", 1), ("Đức", 1), ("Quang", 1), ("Hữu", 2), ("Minh", 1), ("Thế", 3),
                  ("Công", 2), ("Xuân", 3)),
    Gender.FEMALE: (("Thị", 1), ("Ngọc", 1), ("Thu", 1), ("Thanh", 2), ("Minh", 3), ("Kim", 2),
                    ("Thùy", 2), ("Thị", 3)),
})

DIGITAL_SKILL_LABELS: Mapping[int, str] = MappingProxyType({
    0: N_("Chưa dùng điện thoại thông minh"),
    1: N_("Nghe gọi, nhắn Zalo"),
    2: N_("Tự cài ứng dụng khi có hướng dẫn"),
    3: N_("Sử dụng thành thạo"),
})
VNEID_LEVEL_LABELS: Mapping[int, str] = MappingProxyType({
    0: N_("Chưa có tài khoản VNeID"),
    1: N_("Tài khoản định danh mức 1"),
    2: N_("Tài khoản định danh mức 2"),
})


@dataclass(frozen=True)
class Occupation:
    name: str
    min_age: int
    max_age: int
    weight: int  # how often it is drawn
    skill_weights: tuple[int, int, int, int]  # digital_skill 0..3
    app_weights: tuple[int, int, int]  # PAYMENT_APPS order
    likely_needs: tuple[str, ...]


OCCUPATIONS: tuple[Occupation, ...] = (
    Occupation("người cao tuổi", 60, 88, 5, (35, 35, 25, 5), (5, 2, 3),
               ("gia-han-bhyt", "chung-thuc-ban-sao", "khai-tu", "thuong-tru",
                "dang-ky-bien-dong-dat")),
    Occupation("tiểu thương", 25, 65, 4, (10, 30, 40, 20), (4, 3, 3),
               ("dang-ky-thue-hkd", "chung-thuc-ban-sao", "dang-ky-bien-dong-dat")),
    Occupation("học sinh - sinh viên", 15, 24, 3, (0, 5, 35, 60), (3, 5, 2),
               ("ly-lich-tu-phap", "tam-tru", "chung-thuc-ban-sao")),
    Occupation("công nhân", 18, 55, 4, (5, 30, 45, 20), (4, 3, 3),
               ("tam-tru", "khai-sinh", "ket-hon", "ly-lich-tu-phap")),
    Occupation("nội trợ", 22, 59, 2, (10, 40, 40, 10), (4, 3, 3),
               ("khai-sinh", "gia-han-bhyt", "thuong-tru")),
    Occupation("lao động tự do", 18, 59, 2, (10, 35, 40, 15), (3, 3, 4),
               ("tam-tru", "thuong-tru", "ket-hon")),
    Occupation("cán bộ, viên chức", 23, 59, 1, (0, 5, 45, 50), (6, 2, 2),
               ("ly-lich-tu-phap", "chung-thuc-ban-sao", "khai-sinh")),
)
_OCCUPATIONS_BY_NAME = {o.name: o for o in OCCUPATIONS}

# Minimum age to apply for a procedure in a rehearsal scenario (ket-hon: Luật HN&GĐ 2014 Đ.8;
# the others: the applicant acts as an adult head of household, a scenario choice).
_MIN_AGE = {"khai-sinh": 18, "khai-tu": 18, "dang-ky-bien-dong-dat": 18,
            "dang-ky-thue-hkd": 18, "ly-lich-tu-phap": 14}
_MARRIAGE_AGE = {Gender.MALE: 20, Gender.FEMALE: 18}
# VNeID level given digital skill 0..3: level 2 is enrolled at the police, so even people
# without a smartphone often have it after ward campaigns.
_VNEID_WEIGHTS = ((45, 20, 35), (20, 30, 50), (5, 25, 70), (2, 18, 80))


@dataclass(frozen=True)
class Household:
    address: str
    to_dan_pho: str
    size: int


@dataclass(frozen=True)
class Needs:
    procedure_code: str
    payment_app: str


@dataclass(frozen=True)
class Persona:
    id: str
    full_name: str
    gender: Gender
    birth_date: date
    cccd: str
    household: Household
    occupation: str
    phone: str
    digital_skill: int
    vneid_level: int
    needs: Needs
    fictional: bool = True

    def __post_init__(self) -> None:
        # Only synthetic people live in this lab; a real record must never pass for one.
        if self.fictional is not True:
            raise InvalidInput(_("Chỉ được dùng nhân vật giả lập (fictional phải là True)"),
                               field="fictional", value=self.fictional)
        if self.digital_skill not in DIGITAL_SKILL_LABELS:
            raise InvalidInput(_("Mức kỹ năng số phải là số nguyên từ 0 đến 3"),
                               field="digital_skill", value=self.digital_skill)
        if self.vneid_level not in VNEID_LEVEL_LABELS:
            raise InvalidInput(_("Mức định danh VNeID phải là 0, 1 hoặc 2"), field="vneid_level",
                               value=self.vneid_level)

    @property
    def label(self) -> str:
        return _("Nhân vật giả lập: {name}").format(name=self.full_name)

    @property
    def digital_skill_label(self) -> str:
        return translate(DIGITAL_SKILL_LABELS[self.digital_skill])

    @property
    def vneid_level_label(self) -> str:
        return translate(VNEID_LEVEL_LABELS[self.vneid_level])

    def age(self, on: date = REFERENCE_DATE) -> int:
        return age_on(self.birth_date, on)

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe: dates as ISO strings, enums as their values."""
        return {
            "id": self.id, "full_name": self.full_name, "gender": self.gender.value,
            "birth_date": self.birth_date.isoformat(), "cccd": self.cccd,
            "household": {"address": self.household.address,
                          "to_dan_pho": self.household.to_dan_pho,
                          "size": self.household.size},
            "occupation": self.occupation, "phone": self.phone,
            "digital_skill": self.digital_skill, "vneid_level": self.vneid_level,
            "needs": {"procedure_code": self.needs.procedure_code,
                      "payment_app": self.needs.payment_app},
            "fictional": self.fictional,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Persona:
        """Inverse of :meth:`to_dict`; re-checks the CCCD against birth date and gender."""
        try:
            gender = parse_gender(data["gender"])
            birth = date.fromisoformat(data["birth_date"])
            household = Household(**data["household"])
            needs = Needs(**data["needs"])
            persona = cls(
                id=data["id"], full_name=data["full_name"], gender=gender, birth_date=birth,
                cccd=data["cccd"], household=household, occupation=data["occupation"],
                phone=data["phone"], digital_skill=data["digital_skill"],
                vneid_level=data["vneid_level"], needs=needs,
                fictional=data.get("fictional", False))
        except KeyError as missing:
            raise InvalidInput(_("Dữ liệu nhân vật thiếu trường {field}").format(
                field=missing.args[0]), field=str(missing.args[0])) from None
        except (TypeError, ValueError) as exc:
            if isinstance(exc, InvalidInput):
                raise
            raise InvalidInput(_("Dữ liệu nhân vật không hợp lệ: {error}").format(error=exc),
                               field="persona", value=dict(data)) from None
        validate_cccd(persona.cccd, birth_date=birth, gender=gender)
        normalize_phone(persona.phone)
        return persona


def age_on(birth: date, on: date) -> int:
    """Completed years between ``birth`` and ``on``."""
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a common year
        return day.replace(year=day.year - years, day=28)


def _birth_date(rng: random.Random, age: int, on: date) -> date:
    # A uniform day among the birth dates that make a person exactly ``age`` on ``on``.
    latest = _years_before(on, age)
    earliest = _years_before(on, age + 1) + timedelta(days=1)
    return earliest + timedelta(days=rng.randrange((latest - earliest).days + 1))


def _eligible(code: str, age: int, gender: Gender) -> bool:
    minimum = _MARRIAGE_AGE[gender] if code == "ket-hon" else _MIN_AGE.get(code, 0)
    return age >= minimum


def middle_names(gender: Gender, level: int = 3) -> tuple[str, ...]:
    """The middle names of :data:`MIDDLE_NAMES` up to ``level`` (3: all), in draw order."""
    return tuple(name for name, shortest in MIDDLE_NAMES[gender] if shortest <= level)


def _persona_id(index: int) -> str:
    return f"NV-{index + 1:03d}"


@dataclass(frozen=True)
class _Place:
    ward: str  # "phường Trúc Lâm"
    groups: tuple[str, ...]  # tổ dân phố names


def vietnamese_faker() -> Faker:
    """Faker for Vietnamese names and streets, imported only when people are made
    (it costs a simulator kernel ~35 ms and ~8 MB)."""
    from faker import Faker

    return Faker("vi_VN")


def _place() -> _Place:
    locality = load_locality()
    # The province since the 2025 merger (Nghị quyết 1686/NQ-UBTVQH15 for Trúc Lâm).
    ward = f"{locality.ward_title}, tỉnh {locality.province}"
    return _Place(ward, tuple(g.name for g in locality.residential_groups))


def _make_persona(fake: Faker, place: _Place, seed: int, index: int, codes: Sequence[str],
                  on: date) -> Persona:
    key = f"kynangso-persona-{seed}-{index}"
    fake.seed_instance(key)
    rng = random.Random(key)

    occupation = rng.choices(OCCUPATIONS, weights=[o.weight for o in OCCUPATIONS])[0]
    gender = rng.choice((Gender.MALE, Gender.FEMALE))
    age = rng.randint(occupation.min_age, occupation.max_age)
    birth = _birth_date(rng, age, on)

    given = (fake.first_name_unisex() if rng.random() < 0.3 else
             fake.first_name_male() if gender is Gender.MALE else fake.first_name_female())
    full_name = f"{fake.last_name()} {rng.choice(middle_names(gender))} {given}"

    province = rng.choice(sorted(provinces()))
    serial = f"{PRACTICE_SERIAL_PREFIX}{index:03d}"
    cccd = compose_cccd(province, gender, birth.year, serial)

    prefix = rng.choice(sorted(mobile_prefixes().carriers))
    phone = normalize_phone(prefix + f"{rng.randrange(10_000_000):07d}")

    skill = rng.choices(range(4), weights=occupation.skill_weights)[0]
    vneid = rng.choices(range(3), weights=_VNEID_WEIGHTS[skill])[0]

    eligible = [c for c in codes if _eligible(c, age, gender)] or list(codes)
    likely = [c for c in eligible if c in occupation.likely_needs]
    procedure = rng.choice(likely if likely and rng.random() < 0.7 else eligible)
    app = rng.choices(PAYMENT_APPS, weights=occupation.app_weights)[0]

    group = rng.choice(place.groups)
    street = fake.street_name()
    address = (f"Số {rng.randint(1, 120)}, ngõ {rng.randint(1, 40)}, đường {street}, "
               f"Tổ dân phố {group}, {place.ward}")
    low, high = (1, 4) if occupation.name == "người cao tuổi" else (2, 7)
    household = Household(address=address, to_dan_pho=f"Tổ dân phố {group}",
                          size=rng.randint(low, high))

    return Persona(id=_persona_id(index), full_name=full_name, gender=gender, birth_date=birth,
                   cccd=cccd, household=household, occupation=occupation.name, phone=phone,
                   digital_skill=skill, vneid_level=vneid,
                   needs=Needs(procedure_code=procedure, payment_app=app))


def _check_codes(procedure_codes: Sequence[str]) -> tuple[str, ...]:
    codes = tuple(procedure_codes)
    if not codes or not all(isinstance(c, str) and c for c in codes):
        raise InvalidInput(_("Cần ít nhất một mã thủ tục để tạo nhân vật, và không mã nào được "
                             "để trống"), field="procedure_codes", value=procedure_codes)
    return codes


def make_personas(n: int, seed: int = 0,
                  procedure_codes: Sequence[str] = DEFAULT_NEEDS) -> list[Persona]:
    """``n`` synthetic residents; the same seed always gives the same people."""
    if isinstance(n, bool) or not isinstance(n, int) or not 0 <= n <= MAX_PERSONAS:
        raise InvalidInput(_("Số nhân vật phải là số nguyên từ 0 đến {max}").format(
            max=MAX_PERSONAS), field="n", value=n)
    codes = _check_codes(procedure_codes)
    fake, place = vietnamese_faker(), _place()
    return [_make_persona(fake, place, seed, i, codes, REFERENCE_DATE) for i in range(n)]


_ID = re.compile(r"NV-(\d{3})")


def persona_by_id(seed: int, id: str, procedure_codes: Sequence[str] = DEFAULT_NEEDS) -> Persona:
    """The persona ``id`` (e.g. "NV-007") of ``make_personas(..., seed)``."""
    match = _ID.fullmatch(id.strip()) if isinstance(id, str) else None
    index = int(match.group(1)) - 1 if match else -1
    if not 0 <= index < MAX_PERSONAS:
        raise MissingEntry(_("Không có nhân vật mã này: mã nhân vật có dạng NV-001 đến "
                             "NV-{max:03d}").format(max=MAX_PERSONAS), field="id", value=id)
    return _make_persona(vietnamese_faker(), _place(), seed, index, _check_codes(procedure_codes),
                         REFERENCE_DATE)
