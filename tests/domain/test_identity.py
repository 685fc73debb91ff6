"""Identity checks: CCCD, mobile numbers, dates, names and addresses."""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kynangso.domain.datafiles import load_yaml
from kynangso.domain.identity import (
    FIELD_LABELS,
    Gender,
    compose_cccd,
    field_label,
    load_mobile_prefixes,
    load_provinces,
    mobile_prefixes,
    normalize_address,
    normalize_name,
    normalize_phone,
    parse_date,
    provinces,
    required,
    validate_cccd,
)
from kynangso.errors import DataFileError, InvalidInput

CCCD_LABEL = "Số định danh cá nhân (CCCD)"
PHONE_LABEL = "Số điện thoại"
TODAY = date(2025, 11, 10)


def raises_on(expected_field: str, func, /, *args, **kwargs) -> InvalidInput:
    with pytest.raises(InvalidInput) as caught:
        func(*args, **kwargs)
    assert caught.value.field == expected_field
    assert field_label(expected_field) in str(caught.value)
    return caught.value


# --- field labels and required ------------------------------------------------------------


def test_field_labels_are_the_form_labels():
    assert FIELD_LABELS["cccd"] == CCCD_LABEL
    assert FIELD_LABELS["ho_ten"] == "Họ và tên"
    assert FIELD_LABELS["ngay_sinh"] == "Ngày sinh"
    assert FIELD_LABELS["so_dien_thoai"] == PHONE_LABEL
    assert FIELD_LABELS["dia_chi"] == "Địa chỉ"
    assert all(unicodedata.is_normalized("NFC", label) for label in FIELD_LABELS.values())


@pytest.mark.parametrize("value", [None, "", "   ", "\t\n"])
def test_required_rejects_empty_with_the_field_label(value):
    error = raises_on("ho_ten", required, value, "ho_ten")
    assert str(error) == "Chưa nhập Họ và tên"


def test_required_returns_stripped_nfc_text():
    assert required("  Lê  ", "ho_ten") == "Lê"
    assert required(unicodedata.normalize("NFD", "Lê"), "ho_ten") == "Lê"


# --- CCCD ---------------------------------------------------------------------------------


def test_cccd_reads_province_gender_century_and_year():
    info = validate_cccd("001089000123")
    assert (info.province_code, info.province_name) == ("001", "Hà Nội")
    assert info.gender is Gender.MALE
    assert (info.century, info.birth_year_2, info.birth_year) == (20, 89, 1989)


@pytest.mark.parametrize(("digit", "gender", "century"), [
    ("0", Gender.MALE, 20), ("1", Gender.FEMALE, 20), ("2", Gender.MALE, 21),
    ("3", Gender.FEMALE, 21), ("4", Gender.MALE, 22), ("5", Gender.FEMALE, 22),
    ("6", Gender.MALE, 23), ("7", Gender.FEMALE, 23), ("8", Gender.MALE, 24),
    ("9", Gender.FEMALE, 24),
])
def test_cccd_fourth_digit_codes_gender_and_century(digit, gender, century):
    info = validate_cccd(f"079{digit}05999001")
    assert (info.gender, info.century) == (gender, century)


@pytest.mark.parametrize("typed", ["001 089 000 123", "001.089.000.123", " 0010 8900 0123 ",
                                   "001089 000123"])
def test_cccd_tolerates_spaces_and_dots_between_digits(typed):
    assert validate_cccd(typed).number == "001089000123"


@pytest.mark.parametrize("typed", [None, "", "   "])
def test_cccd_rejects_empty(typed):
    error = raises_on("cccd", validate_cccd, typed)
    assert "Chưa nhập" in str(error)


@pytest.mark.parametrize("typed", ["00108900012", "0010890001234", "1"])
def test_cccd_rejects_wrong_length(typed):
    error = raises_on("cccd", validate_cccd, typed)
    assert "12 chữ số" in str(error) and f"có {len(typed)} chữ số" in str(error)
    assert error.value == typed and repr(typed) not in str(error)


def test_cccd_points_out_an_old_9_digit_id_card():
    error = raises_on("cccd", validate_cccd, "123456789")
    assert "CMND" in str(error)


@pytest.mark.parametrize("typed", ["00108900012a", "001-089-000-123", "O01089000123",
                                   "001089000123!"])
def test_cccd_rejects_non_digits(typed):
    error = raises_on("cccd", validate_cccd, typed)
    assert "chữ số" in str(error) and typed not in str(error) and error.value == typed


@pytest.mark.parametrize("code", ["000", "003", "097", "100", "999"])
def test_cccd_rejects_unknown_province(code):
    error = raises_on("cccd", validate_cccd, f"{code}089000123")
    assert code in str(error) and "mã tỉnh" in str(error)


def test_cccd_accepts_matching_birth_date_and_gender():
    info = validate_cccd("038303999001", birth_date=date(2003, 5, 1), gender="nữ")
    assert info.gender is Gender.FEMALE and info.birth_year == 2003
    assert validate_cccd("038303999001", birth_date="01/05/2003", gender=Gender.FEMALE)


def test_cccd_rejects_century_inconsistent_with_birth_date():
    error = raises_on("cccd", validate_cccd, "001003999001", birth_date=date(2003, 5, 1))
    assert "chữ số thứ 4" in str(error) and "01/05/2003" in str(error)
    assert "2 (nam) hoặc 3 (nữ)" in str(error)


def test_cccd_rejects_birth_year_digits_inconsistent_with_birth_date():
    error = raises_on("cccd", validate_cccd, "001089999001", birth_date=date(1990, 1, 1))
    assert "89" in str(error) and "1990" in str(error)


@pytest.mark.parametrize(("number", "gender"), [("001089999001", "nữ"),
                                                ("001189999001", Gender.MALE)])
def test_cccd_rejects_gender_inconsistent_with_fourth_digit(number, gender):
    error = raises_on("cccd", validate_cccd, number, gender=gender)
    assert "giới tính" in str(error)


def test_cccd_rejects_an_unknown_gender_word():
    raises_on("gioi_tinh", validate_cccd, "001089999001", gender="khác")


@given(code=st.sampled_from(sorted(provinces())), gender=st.sampled_from(list(Gender)),
       year=st.integers(1900, 2399), serial=st.integers(0, 999_999))
def test_composed_cccd_reads_back_its_parts(code, gender, year, serial):
    number = compose_cccd(code, gender, year, f"{serial:06d}")
    info = validate_cccd(number, birth_date=date(year, 6, 1), gender=gender)
    assert (info.province_code, info.gender, info.birth_year) == (code, gender, year)


def test_compose_cccd_rejects_years_outside_the_circular():
    raises_on("ngay_sinh", compose_cccd, "001", Gender.MALE, 1899, "000001")


def test_provinces_file_lists_the_63_codes_of_appendix_1():
    table = provinces()
    assert len(table) == 63
    assert {code: table[code] for code in ("001", "031", "038", "048", "079", "096")} == {
        "001": "Hà Nội", "031": "Hải Phòng", "038": "Thanh Hóa", "048": "Đà Nẵng",
        "079": "Hồ Chí Minh", "096": "Cà Mau"}
    assert all(len(code) == 3 and code.isdigit() for code in table)


def test_provinces_file_cites_its_source():
    data = load_yaml("provinces.yaml")
    assert "07/2016/TT-BCA" in data["source"] and "verified" in data


def test_provinces_file_with_an_unquoted_code_names_file_entry_and_field(tmp_path):
    path = tmp_path / "provinces.yaml"
    path.write_text("provinces:\n  001: Hà Nội\n", encoding="utf-8")
    with pytest.raises(DataFileError) as caught:
        load_provinces(path)
    assert caught.value.field == "code" and caught.value.entry == "1"
    assert "provinces.yaml" in str(caught.value)


# --- mobile numbers -----------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["0912345678", "0912 345 678", "0912.345.678",
                                   "+84912345678", "+84 912 345 678", "84912345678",
                                   "+84 0912 345 678", "(+84) 912-345-678"])
def test_phone_accepts_national_and_international_forms(typed):
    assert normalize_phone(typed) == "0912345678"


@pytest.mark.parametrize("prefix", ["032", "039", "056", "058", "059", "070", "079", "081",
                                    "085", "086", "088", "089", "090", "099"])
def test_phone_accepts_prefixes_after_the_2018_conversion(prefix):
    assert normalize_phone(prefix + "1234567") == prefix + "1234567"


@pytest.mark.parametrize("typed", [None, "", "  "])
def test_phone_rejects_empty(typed):
    raises_on("so_dien_thoai", normalize_phone, typed)


@pytest.mark.parametrize("typed", ["091234567", "09123456789", "912345678"])
def test_phone_rejects_wrong_length(typed):
    error = raises_on("so_dien_thoai", normalize_phone, typed)
    assert "10 chữ số" in str(error) and typed not in str(error) and error.value == typed


def test_phone_rejects_letters():
    error = raises_on("so_dien_thoai", normalize_phone, "09l2345678")
    assert "'l'" in str(error)


def test_phone_tells_what_an_old_11_digit_number_became():
    error = raises_on("so_dien_thoai", normalize_phone, "01699333999")
    assert "0399333999" in str(error) and "2018" in str(error)


def test_phone_rejects_a_landline():
    error = raises_on("so_dien_thoai", normalize_phone, "0241234567")
    assert "máy bàn" in str(error)


@pytest.mark.parametrize("typed", ["0112345678", "0612345678", "0951234567"])
def test_phone_rejects_unknown_prefix(typed):
    error = raises_on("so_dien_thoai", normalize_phone, typed)
    assert typed[:3] in str(error)


def test_phone_rejects_a_foreign_number():
    raises_on("so_dien_thoai", normalize_phone, "+1 202 555 0100")


def test_prefix_file_is_sourced_and_marked_unverified():
    data = load_yaml("mobile_prefixes.yaml")
    assert data["source"] and data["verified"] is False
    assert all(carrier["source"] and "verified" in carrier for carrier in data["carriers"])
    table = mobile_prefixes()
    assert all(p[:2] in {"03", "05", "07", "08", "09"} for p in table.carriers)
    assert set(table.converted_2018.values()) <= set(table.carriers)


def test_prefix_file_with_a_duplicate_prefix_names_the_carrier(tmp_path):
    path = tmp_path / "mobile_prefixes.yaml"
    path.write_text('carriers:\n  - name: A\n    prefixes: ["090"]\n'
                    '  - name: B\n    prefixes: ["090"]\n', encoding="utf-8")
    with pytest.raises(DataFileError) as caught:
        load_mobile_prefixes(path)
    assert (caught.value.entry, caught.value.field) == ("B", "prefixes")


# --- dates --------------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["05/09/1985", "5/9/1985", "05-09-1985", "5.9.1985",
                                   " 05 / 09 / 1985 "])
def test_date_accepts_day_month_year_with_common_separators(typed):
    assert parse_date(typed, today=TODAY) == date(1985, 9, 5)


def test_date_accepts_leap_day_and_passes_dates_through():
    assert parse_date("29/02/2024", today=TODAY) == date(2024, 2, 29)
    assert parse_date(date(2000, 1, 2), today=TODAY) == date(2000, 1, 2)


def test_date_rejects_month_before_day():
    error = raises_on("ngay_sinh", parse_date, "12/31/2020", today=TODAY)
    assert "mm/dd" in str(error) and "dd/mm/yyyy" in str(error)


@pytest.mark.parametrize("typed", ["31/02/2020", "29/02/2023", "31/04/2021", "00/01/2000"])
def test_date_rejects_impossible_dates(typed):
    error = raises_on("ngay_sinh", parse_date, typed, today=TODAY)
    assert "không có thật" in str(error) and typed not in str(error) and error.value == typed


@pytest.mark.parametrize("typed", ["05/09/85", "5/9/85"])
def test_date_rejects_two_digit_years(typed):
    error = raises_on("ngay_sinh", parse_date, typed, today=TODAY)
    assert "4 chữ số" in str(error) and "dd/mm/yyyy" in str(error)


def test_date_rejects_future_birth_dates():
    error = raises_on("ngay_sinh", parse_date, "11/11/2025", today=TODAY)
    assert "tương lai" in str(error)


def test_date_allows_future_when_the_field_is_an_appointment():
    day = parse_date("20/11/2025", field="ngay_hen_tra", not_future=False, today=TODAY)
    assert day == date(2025, 11, 20)


@pytest.mark.parametrize("typed", ["1985-09-05", "abc", "05091985", "05/09-1985", "13/13/2000",
                                   "05/09/0085"])
def test_date_rejects_other_shapes_showing_the_expected_format(typed):
    error = raises_on("ngay_sinh", parse_date, typed, today=TODAY)
    assert "dd/mm/yyyy" in str(error) or "1900" in str(error)


def test_date_error_names_the_field_it_was_asked_for():
    error = raises_on("ngay_hen_tra", parse_date, "31/02/2026", field="ngay_hen_tra")
    assert str(error).startswith("Ngày hẹn trả kết quả")


# --- names and addresses ------------------------------------------------------------------


@pytest.mark.parametrize(("typed", "expected"), [
    ("nguyễn văn an", "Nguyễn Văn An"),
    ("  TRẦN   thị   BÍCH  ", "Trần Thị Bích"),
    ("đặng ngọc ánh", "Đặng Ngọc Ánh"),
    ("h’hen niê", "H'Hen Niê"),
])
def test_name_is_title_cased_with_single_spaces(typed, expected):
    assert normalize_name(typed) == expected


@pytest.mark.parametrize("typed", ["", "   ", None])
def test_name_rejects_empty(typed):
    assert str(raises_on("ho_ten", normalize_name, typed)) == "Chưa nhập Họ và tên"


@pytest.mark.parametrize("typed", ["Nguyễn Văn 2", "L3 Thị Hoa"])
def test_name_rejects_digits(typed):
    error = raises_on("ho_ten", normalize_name, typed)
    assert "chữ số" in str(error)


def test_name_rejects_symbols():
    error = raises_on("ho_ten", normalize_name, "Lê @n")
    assert "'@'" in str(error)


VIETNAMESE_LETTERS = sorted({
    unicodedata.normalize("NFC", base + tone)
    for base in "aăâeêioôơuưy"
    for tone in ("", "\u0301", "\u0300", "\u0309", "\u0303", "\u0323")
} | set("bcdđghklmnpqrstvx"))
words = st.text(alphabet=VIETNAMESE_LETTERS, min_size=1, max_size=7)
names = st.lists(words, min_size=1, max_size=4).map(" ".join)


@given(names, st.booleans())
def test_name_typed_decomposed_equals_name_typed_composed(name, upper):
    name = name.upper() if upper else name
    decomposed = unicodedata.normalize("NFD", name)
    composed = unicodedata.normalize("NFC", name)
    assert normalize_name(decomposed) == normalize_name(composed)
    result = normalize_name(decomposed)
    assert unicodedata.is_normalized("NFC", result)
    assert normalize_name(result) == result


def test_address_is_nfc_with_single_spaces_and_tidy_commas():
    typed = unicodedata.normalize("NFD", "  số 5 ,ngõ 3,   phường  Trúc Lâm ")
    assert normalize_address(typed) == "số 5, ngõ 3, phường Trúc Lâm"


def test_address_rejects_empty():
    assert str(raises_on("dia_chi", normalize_address, " ")) == "Chưa nhập Địa chỉ"


# --- provinces since the 2025 merger (Nghị quyết 202/2025/QH15) -----------------------


@pytest.mark.parametrize(("code", "label"), [
    ("002", "Hà Giang (tỉnh cũ, nay thuộc Tuyên Quang)"),
    ("036", "Nam Định (tỉnh cũ, nay thuộc Ninh Bình)"),
    ("095", "Bạc Liêu (tỉnh cũ, nay thuộc Cà Mau)"),
    ("038", "Thanh Hóa"),
    ("001", "Hà Nội"),
])
def test_pre_merger_province_names_are_labelled_old(code, label):
    from kynangso.domain.identity import validate_cccd

    assert validate_cccd(code + "090000123").province_label == label


def test_merger_table_leaves_34_provinces():
    from kynangso.domain.identity import province_mergers, provinces

    now = set(provinces().values()) - {provinces()[c] for c in province_mergers()}
    assert len(now) == 34
    assert set(province_mergers().values()) <= set(provinces().values())
