"""Checks for what a resident types into a form: CCCD number, phone, dates, names, addresses.

Every rejection is an :class:`InvalidInput` whose Vietnamese message names the field the way
the form labels it (``FIELD_LABELS``), the rule, and the value received.

References:
- Nghị định 137/2015/NĐ-CP, Điều 13: the personal identification number has 12 digits,
  6 coding province, gender/century and birth year, then 6 random digits.
- Thông tư 07/2016/TT-BCA, Điều 7 and Phụ lục I: province codes (``data/provinces.yaml``)
  and the gender/century digit (``_CENTURY_DIGITS`` below).
- Mobile network codes after the 2018 conversion: ``data/mobile_prefixes.yaml``.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from ..errors import InvalidInput
from ..i18n import N_, _, nfc, translate
from .datafiles import checked_field, invalid, load_yaml, require

PROVINCES_FILE = "provinces.yaml"
MOBILE_PREFIXES_FILE = "mobile_prefixes.yaml"
DATE_FORMAT = "dd/mm/yyyy"


# How each field is labelled on the forms; messages quote these so a person finds the box.
FIELD_LABELS: Mapping[str, str] = MappingProxyType({
    "cccd": N_("Số định danh cá nhân (CCCD)"),
    "ho_ten": N_("Họ và tên"),
    "ngay_sinh": N_("Ngày sinh"),
    "gioi_tinh": N_("Giới tính"),
    "so_dien_thoai": N_("Số điện thoại"),
    "dia_chi": N_("Địa chỉ"),
    "noi_dang_ky_khai_sinh": N_("Nơi đăng ký khai sinh"),
    "thu_tuc": N_("Thủ tục hành chính"),
    "giay_to": N_("Giấy tờ kèm theo"),
    "ma_ho_so": N_("Mã hồ sơ"),
    "ma_don_vi": N_("Mã đơn vị"),
    "so_thu_tu": N_("Số thứ tự hồ sơ"),
    "ngay_nop": N_("Ngày nộp"),
    "ngay_hen_tra": N_("Ngày hẹn trả kết quả"),
    "ly_do": N_("Lý do"),
    "thoi_diem": N_("Thời điểm"),
    "nguoi_thuc_hien": N_("Người thực hiện"),
    "kenh_nop": N_("Kênh nộp hồ sơ"),
    "le_phi": N_("Lệ phí"),
    "trang_thai": N_("Trạng thái hồ sơ"),
})


def field_label(field: str) -> str:
    """The form label of ``field`` in the current language (the key itself if unknown)."""
    label = FIELD_LABELS.get(field)
    return translate(label) if label else field


def _invalid(field: str, value: object, message: str) -> InvalidInput:
    return InvalidInput(message, field=field, value=value)


def required(value: object, field: str) -> str:
    """``value`` as NFC text without outer spaces; empty or blank -> "Chưa nhập <label>"."""
    text = "" if value is None else nfc(str(value)).strip()
    if not text:
        raise _invalid(field, value, _("Chưa nhập {label}").format(label=field_label(field)))
    return text


# --- gender and century -------------------------------------------------------------------


class Gender(StrEnum):
    MALE = "nam"
    FEMALE = "nu"

    @property
    def label(self) -> str:
        return _("Nam") if self is Gender.MALE else _("Nữ")


_GENDER_WORDS = {"nam": Gender.MALE, "nu": Gender.FEMALE, "nữ": Gender.FEMALE,
                 "male": Gender.MALE, "female": Gender.FEMALE}


def parse_gender(value: object) -> Gender:
    """Gender from a Gender, "nam"/"nữ" (any case, any keyboard) or "male"/"female"."""
    if isinstance(value, Gender):
        return value
    text = required(value, "gioi_tinh")
    gender = _GENDER_WORDS.get(text.lower())
    if gender is None:
        raise _invalid("gioi_tinh", value, _(
            "{label}: hãy chọn 'Nam' hoặc 'Nữ'").format(label=field_label("gioi_tinh")))
    return gender


# Thông tư 07/2016/TT-BCA, Điều 7: 4th digit = gender and century of birth.
# 20th century (1900-1999): male 0, female 1; 21st: 2/3; 22nd: 4/5; 23rd: 6/7; 24th: 8/9.
_FIRST_CENTURY = 20
_LAST_CENTURY = 24


def century_of(year: int) -> int:
    """Century as counted in the circular: 1900-1999 is the 20th."""
    return year // 100 + 1


def gender_century_digit(gender: Gender, birth_year: int) -> str:
    """The 4th digit of a CCCD number for this gender and birth year."""
    century = century_of(birth_year)
    if not _FIRST_CENTURY <= century <= _LAST_CENTURY:
        raise _invalid("ngay_sinh", birth_year, _(
            "{label}: năm sinh phải từ 1900 đến 2399 để lập số định danh"
        ).format(label=field_label("ngay_sinh")))
    return str((century - _FIRST_CENTURY) * 2 + (gender is Gender.FEMALE))


def _digit_meaning(digit: int) -> tuple[Gender, int]:
    return (Gender.FEMALE if digit % 2 else Gender.MALE), _FIRST_CENTURY + digit // 2


# --- data files ---------------------------------------------------------------------------


def load_provinces(name_or_path: str | Path = PROVINCES_FILE) -> Mapping[str, str]:
    """Province code -> name from the data file; errors name file, entry and field."""
    data = load_yaml(name_or_path)
    file = str(name_or_path)
    table = require(data, "provinces", file=file, entry="provinces", kind=dict)
    result = {}
    for code, name in table.items():
        entry = str(code)
        if not (isinstance(code, str) and len(code) == 3 and code.isascii() and code.isdigit()):
            raise invalid(file, entry, "code", code,
                          _("mã tỉnh phải là 3 chữ số đặt trong dấu ngoặc kép, ví dụ \"001\""))
        if not isinstance(name, str) or not name.strip():
            raise invalid(file, entry, "name", name, _("tên tỉnh không được để trống"))
        result[code] = name.strip()
    return MappingProxyType(result)


@cache
def provinces() -> Mapping[str, str]:
    """The province table of ``data/provinces.yaml`` (read once)."""
    return load_provinces()


def load_province_mergers(name_or_path: str | Path = PROVINCES_FILE) -> Mapping[str, str]:
    """Old province code -> province it is part of since Nghị quyết 202/2025/QH15."""
    data = load_yaml(name_or_path)
    file = str(name_or_path)
    merger = require(data, "merger", file=file, entry="merger", kind=dict)
    checked_field(merger, "checked", file, "merger")
    table = require(merger, "merged_into", file=file, entry="merger", kind=dict)
    known = require(data, "provinces", file=file, entry="provinces", kind=dict)
    for code, name in table.items():
        if code not in known or not isinstance(name, str) or not name.strip():
            raise invalid(file, "merger", "merged_into", code,
                          _("cần mã tỉnh có trong bảng 'provinces' và tên tỉnh mới"))
    return MappingProxyType({code: name.strip() for code, name in table.items()})


@cache
def province_mergers() -> Mapping[str, str]:
    """The merger table of ``data/provinces.yaml`` (read once)."""
    return load_province_mergers()


@dataclass(frozen=True)
class MobilePrefixes:
    carriers: Mapping[str, str]  # 3-digit prefix -> carrier name
    converted_2018: Mapping[str, str]  # old 4-digit prefix -> new 3-digit prefix
    verified: bool


def load_mobile_prefixes(name_or_path: str | Path = MOBILE_PREFIXES_FILE) -> MobilePrefixes:
    """Mobile prefixes and the 2018 conversion table; errors name file, entry and field."""
    data = load_yaml(name_or_path)
    file = str(name_or_path)
    carriers = require(data, "carriers", file=file, entry="carriers", kind=list)
    table: dict[str, str] = {}
    for index, carrier in enumerate(carriers, start=1):
        label = f"carriers[{index}]"
        name = require(carrier, "name", file=file, entry=label, kind=str)
        for prefix in require(carrier, "prefixes", file=file, entry=name, kind=list):
            if not (isinstance(prefix, str) and re.fullmatch(r"0[0-9]{2}", prefix)):
                raise invalid(file, name, "prefixes", prefix,
                              _("đầu số phải là \"0\" và 2 chữ số, trong dấu ngoặc kép"))
            if prefix in table:
                raise invalid(file, name, "prefixes", prefix,
                              _("đầu số đã thuộc nhà mạng {other}").format(other=table[prefix]))
            table[prefix] = name
    converted = data.get("converted_2018") or {}
    for old, new in converted.items():
        if not (isinstance(old, str) and re.fullmatch(r"01[0-9]{2}", old) and new in table):
            raise invalid(file, "converted_2018", str(old), new,
                          _("cần đầu số cũ \"01xx\" và một đầu số mới có trong danh sách"))
    verified = data.get("verified", False) is True
    return MobilePrefixes(MappingProxyType(table), MappingProxyType(dict(converted)), verified)


@cache
def mobile_prefixes() -> MobilePrefixes:
    """The prefixes of ``data/mobile_prefixes.yaml`` (read once)."""
    return load_mobile_prefixes()


# --- CCCD ---------------------------------------------------------------------------------

# Spaces and dots people type to group digits ("001 089 000 123", "001.089.000.123").
_GROUPING = re.compile(r"[\s.]+")


@dataclass(frozen=True)
class CccdInfo:
    number: str
    province_code: str
    province_name: str
    gender: Gender
    century: int
    birth_year_2: int

    @property
    def province_label(self) -> str:
        """The province of birth registration as a resident should read it today.

        Numbers keep the code of the province before the 2025 merger; a province that no
        longer exists is shown as "tỉnh cũ" with the province it is part of now.
        """
        now = province_mergers().get(self.province_code)
        if now is None:
            return self.province_name
        return _("{old} (tỉnh cũ, nay thuộc {new})").format(old=self.province_name, new=now)

    @property
    def birth_year(self) -> int:
        return (self.century - 1) * 100 + self.birth_year_2


def _cccd_error(value: object, message: str, **values: Any) -> InvalidInput:
    # The number stays in error.value for logs; the message explains without echoing it.
    return _invalid("cccd", value, message.format(label=field_label("cccd"), **values))


def validate_cccd(number: object, *, birth_date: date | str | None = None,
                  gender: Gender | str | None = None) -> CccdInfo:
    """Check a 12-digit CCCD number (and, if given, its agreement with birth date, gender)."""
    text = required(number, "cccd")
    digits = _GROUPING.sub("", unicodedata.normalize("NFKC", text))
    bad = sorted({ch for ch in digits if ch not in "0123456789"})
    if bad:
        raise _cccd_error(number, _(
            "{label} chỉ gồm chữ số (được cách bằng dấu cách hoặc dấu chấm); số đã nhập có "
            "ký tự không hợp lệ {chars}: hãy xóa và nhập lại"),
            chars=" ".join(repr(c) for c in bad))
    if len(digits) != 12:
        hint = _(" Số CMND 9 chữ số cũ không dùng ở đây.") if len(digits) == 9 else ""
        raise _cccd_error(number, _(
            "{label} phải có đúng 12 chữ số; số đã nhập có {count} chữ số.{hint}"),
            count=len(digits), hint=hint)
    code = digits[:3]
    province = provinces().get(code)
    if province is None:
        raise _cccd_error(number, _(
            "{label}: 3 chữ số đầu {code} không phải mã tỉnh nơi đăng ký khai sinh nào "
            "(Phụ lục I Thông tư 07/2016/TT-BCA); hãy đối chiếu lại với số in trên thẻ"),
            code=code)
    digit_gender, century = _digit_meaning(int(digits[3]))
    info = CccdInfo(digits, code, province, digit_gender, century, int(digits[4:6]))

    if gender is not None:
        wanted = parse_gender(gender)
        if wanted is not digit_gender:
            raise _cccd_error(number, _(
                "{label}: chữ số thứ 4 là {digit}, tức giới tính {shown}, không khớp với giới "
                "tính {wanted} đã khai; hãy đối chiếu lại số trên thẻ và giới tính"),
                digit=digits[3], shown=digit_gender.label, wanted=wanted.label)
    if birth_date is not None:
        born = parse_date(birth_date) if not isinstance(birth_date, date) else birth_date
        expected = gender_century_digit(digit_gender, born.year)
        if expected != digits[3]:
            male = gender_century_digit(Gender.MALE, born.year)
            raise _cccd_error(number, _(
                "{label}: chữ số thứ 4 là {digit} (sinh thế kỷ {century}), không khớp với ngày "
                "sinh {born}: người sinh năm {year} có chữ số thứ 4 là {male} (nam) hoặc "
                "{female} (nữ); hãy đối chiếu lại số trên thẻ và ngày sinh"),
                digit=digits[3], century=century, born=format_date(born), year=born.year,
                male=male, female=int(male) + 1)
        if int(digits[4:6]) != born.year % 100:
            raise _cccd_error(number, _(
                "{label}: chữ số thứ 5-6 là {yy} nhưng năm sinh là {year} (phải là {want:02d}); "
                "hãy đối chiếu lại số trên thẻ và ngày sinh"),
                yy=digits[4:6], year=born.year, want=born.year % 100)
    return info


def compose_cccd(province_code: str, gender: Gender, birth_year: int, serial: str) -> str:
    """Build a CCCD number from its parts (for synthetic residents); checks the result."""
    if not (len(serial) == 6 and serial.isascii() and serial.isdigit()):
        raise _cccd_error(serial, _("{label}: phần cuối phải gồm đúng 6 chữ số"))
    number = (f"{province_code}{gender_century_digit(gender, birth_year)}"
              f"{birth_year % 100:02d}{serial}")
    validate_cccd(number)
    return number


# --- phone --------------------------------------------------------------------------------

_PHONE_GROUPING = re.compile(r"[\s.\-()]+")


def _phone_error(value: object, message: str, **values: Any) -> InvalidInput:
    # The number stays in error.value for logs; the message explains without echoing it.
    return _invalid("so_dien_thoai", value, message.format(
        label=field_label("so_dien_thoai"), **values))


def normalize_phone(text: object) -> str:
    """A Vietnamese mobile number as ``0xxxxxxxxx``; accepts +84/84, spaces, dots, dashes."""
    raw = required(text, "so_dien_thoai")
    compact = _PHONE_GROUPING.sub("", unicodedata.normalize("NFKC", raw))
    international = compact.startswith("+")
    if international:
        compact = compact[1:]
        if not compact.startswith("84"):
            raise _phone_error(text, _(
                "{label}: chỉ nhận số di động Việt Nam (mã quốc gia +84); số đã nhập có mã "
                "quốc gia khác"))
    bad = sorted({ch for ch in compact if ch not in "0123456789"})
    if bad:
        raise _phone_error(text, _(
            "{label} chỉ gồm chữ số (có thể có +84, dấu cách, dấu chấm); số đã nhập có ký tự "
            "không hợp lệ {chars}: hãy xóa và nhập lại"), chars=" ".join(repr(c) for c in bad))
    if international or (compact.startswith("84") and len(compact) in (11, 12)):
        rest = compact[2:]
        compact = rest if rest.startswith("0") else "0" + rest
    table = mobile_prefixes()
    if len(compact) == 11 and compact[:4] in table.converted_2018:
        new = table.converted_2018[compact[:4]] + compact[4:]
        raise _phone_error(text, _(
            "{label} phải có 10 chữ số; đầu số 11 chữ số {old} đã đổi sang {prefix} từ năm "
            "2018, số mới là {new}"),
            old=compact[:4], prefix=table.converted_2018[compact[:4]], new=new)
    if len(compact) != 10:
        raise _phone_error(text, _(
            "{label} di động phải có 10 chữ số, bắt đầu bằng 0 (hoặc +84); số đã nhập có "
            "{count} chữ số"), count=len(compact))
    if not compact.startswith("0"):
        raise _phone_error(text, _(
            "{label} di động phải bắt đầu bằng số 0 (hoặc +84), ví dụ 0912 345 678"))
    prefix = compact[:3]
    if prefix not in table.carriers:
        if prefix.startswith("02"):
            raise _phone_error(text, _(
                "{label}: đầu số {prefix} là số máy bàn, cần số di động"),
                prefix=prefix)
        raise _phone_error(text, _(
            "{label}: {prefix} không phải đầu số di động của nhà mạng Việt Nam nào; hãy kiểm "
            "tra lại 3 chữ số đầu"), prefix=prefix)
    return compact


def carrier_of(phone: object) -> str:
    """The network that owns the prefix of a (valid) mobile number."""
    return mobile_prefixes().carriers[normalize_phone(phone)[:3]]


# --- dates --------------------------------------------------------------------------------

_DATE = re.compile(r"([0-9]+)\s*([/.\-])\s*([0-9]+)\s*\2\s*([0-9]+)")
_MIN_YEAR = 1900


def format_date(day: date) -> str:
    """``dd/mm/yyyy``, the way Vietnamese forms print dates."""
    return f"{day.day:02d}/{day.month:02d}/{day.year:04d}"


def parse_date(text: object, *, field: str = "ngay_sinh", not_future: bool = True,
               today: date | None = None) -> date:
    """A date typed as dd/mm/yyyy (also d/m/yyyy, with '-' or '.'); a date passes through."""
    label = field_label(field)
    if isinstance(text, datetime):
        day = text.date()
    elif isinstance(text, date):
        day = text
    else:
        raw = unicodedata.normalize("NFKC", required(text, field))
        match = _DATE.fullmatch(raw)
        expected = _("{label} cần nhập theo dạng {format} (ví dụ 05/09/1985)").format(
            label=label, format=DATE_FORMAT)
        if not match:
            raise _invalid(field, text, expected)
        first, _sep, second, last = match.groups()
        if len(first) == 4:
            raise _invalid(field, text, _(
                "{label}: năm phải đứng cuối, nhập theo dạng {format} (ví dụ 05/09/1985)"
            ).format(label=label, format=DATE_FORMAT))
        if len(last) != 4:
            raise _invalid(field, text, _(
                "{label}: năm phải có đủ 4 chữ số (ví dụ 1985, không phải 85), theo dạng "
                "{format}").format(label=label, format=DATE_FORMAT))
        if len(first) > 2 or len(second) > 2:
            raise _invalid(field, text, expected)
        d, m, y = int(first), int(second), int(last)
        if m > 12 and 1 <= d <= 12:
            raise _invalid(field, text, _(
                "{label}: không có tháng {month}; có lẽ đã nhập tháng trước ngày (kiểu mm/dd). "
                "Hãy nhập theo dạng {format}").format(label=label, month=m, format=DATE_FORMAT))
        if not 1 <= m <= 12:
            raise _invalid(field, text, _(
                "{label}: không có tháng {month} (tháng từ 1 đến 12), theo dạng {format}"
            ).format(label=label, month=m, format=DATE_FORMAT))
        if y < _MIN_YEAR:
            raise _invalid(field, text, _(
                "{label}: năm {year} không hợp lệ, năm phải từ {min} trở đi"
            ).format(label=label, year=y, min=_MIN_YEAR))
        days_in_month = calendar.monthrange(y, m)[1]
        if not 1 <= d <= days_in_month:
            raise _invalid(field, text, _(
                "{label}: ngày {day} tháng {month}/{year} không có thật, tháng này chỉ có {days} "
                "ngày (dạng {format})").format(label=label, day=d, month=m, year=y,
                                          days=days_in_month, format=DATE_FORMAT))
        day = date(y, m, d)
    if not_future:
        today = today or date.today()
        if day > today:
            raise _invalid(field, text, _(
                "{label} không thể ở tương lai: {day} sau hôm nay ({today})"
            ).format(label=label, day=format_date(day), today=format_date(today)))
    return day


# --- names and addresses ------------------------------------------------------------------

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'"})
_NAME_JOINERS = re.compile(r"(['\-])")


def _title_word(word: str) -> str:
    # Ê Đê names such as "H'Hen Niê" capitalise after the apostrophe too.
    parts = _NAME_JOINERS.split(word)
    return "".join(p[:1].upper() + p[1:].lower() for p in parts)


def normalize_name(text: object, field: str = "ho_ten") -> str:
    """A person's name: NFC, single spaces, each word capitalised; no digits or symbols."""
    name = required(text, field).translate(_APOSTROPHES)
    label = field_label(field)
    if any(ch.isdigit() for ch in name):
        raise _invalid(field, text, _("{label} không được chứa chữ số: hãy xóa các chữ số")
                       .format(label=label))
    bad = sorted({ch for ch in name if not (ch.isalpha() or ch.isspace() or ch in "'-"
                                            or unicodedata.category(ch).startswith("M"))})
    if bad:
        raise _invalid(field, text, _(
            "{label} chỉ gồm chữ cái (có dấu), dấu cách, dấu nháy ' và gạch nối; có ký tự "
            "không hợp lệ {chars}: hãy xóa và nhập lại").format(
                label=label, chars=" ".join(repr(c) for c in bad)))
    return nfc(" ".join(_title_word(word) for word in name.split()))


_SPACE_BEFORE_PUNCT = re.compile(r"\s+([,;])")
_PUNCT_NO_SPACE = re.compile(r"([,;])(?=\S)")


def normalize_address(text: object, field: str = "dia_chi") -> str:
    """An address: NFC, single spaces, one space after each comma; empty is rejected."""
    address = " ".join(required(text, field).split())
    address = _SPACE_BEFORE_PUNCT.sub(r"\1", address)
    return nfc(_PUNCT_NO_SPACE.sub(r"\1 ", address))
