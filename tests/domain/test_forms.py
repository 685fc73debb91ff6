"""Portal forms as data: which boxes each procedure asks, in which order, with which check,
and the ``form:`` list of procedures.yaml refused with file, entry and field named."""

from __future__ import annotations

import copy
from datetime import date
from pathlib import Path

import pytest
import yaml

from kynangso.domain.catalogue import load_catalogue
from kynangso.domain.datafiles import DATA_DIR
from kynangso.domain.forms import (
    APPLICANT_KEYS,
    FILE_KINDS,
    RESERVED_KEYS,
    FormField,
    form_fields,
    form_value_label,
    in_language,
    validate_form,
)
from kynangso.errors import DataFileError
from kynangso.i18n import set_language

CATALOGUE = load_catalogue()
TODAY = date(2025, 11, 10)
GOOD = {"ho_ten": "nguyễn  thị lan", "cccd": "038190999001", "ngay_sinh": "05/09/1990",
        "gioi_tinh": "nu", "so_dien_thoai": "0912 345 678",
        "dia_chi": "Tổ dân phố Tân Lập,phường Trúc Lâm"}




def keys(code: str) -> list[str]:
    return [f.key for f in form_fields(CATALOGUE[code])]


# --- which boxes, in which order ----------------------------------------------------------


def test_birth_form_is_the_applicant_then_the_child_then_delivery():
    assert keys("khai-sinh") == [*APPLICANT_KEYS, "ho_ten_tre", "ngay_sinh_tre", "noi_sinh",
                                 "nhan_ket_qua"]


def test_fee_rule_adds_pages_copies_and_reduced_group():
    assert keys("chung-thuc-ban-sao")[-4:] == ["ten_giay_to", "so_trang", "so_ban",
                                               "nhan_ket_qua"]
    assert keys("ly-lich-tu-phap")[-3:] == ["so_ban", "doi_tuong", "nhan_ket_qua"]
    group = form_fields(CATALOGUE["ly-lich-tu-phap"])[-2]
    assert (group.kind, group.required) == ("group", False)


def test_every_form_has_unique_keys_and_file_boxes_use_file_kinds():
    for procedure in CATALOGUE:
        found = keys(procedure.code)
        assert len(found) == len(set(found)), procedure.code
        for spec in procedure.form:
            assert spec.kind in FILE_KINDS and spec.key not in RESERVED_KEYS
            assert spec.label and spec.label_en, spec.key


def test_labels_follow_the_language(english):
    child = form_fields(CATALOGUE["khai-sinh"])[len(APPLICANT_KEYS)]
    name = form_fields(CATALOGUE["khai-sinh"])[0]
    assert (child.shown_label, name.shown_label) == ("Child's full name", "Full name")
    copy_name = CATALOGUE["chung-thuc-ban-sao"].form[0]
    assert copy_name.shown_placeholder.startswith("e.g. upper secondary school diploma")
    set_language("vi")
    assert (child.shown_label, name.shown_label) == ("Họ và tên của trẻ", "Họ và tên")
    assert copy_name.shown_placeholder == "ví dụ: Bằng tốt nghiệp THPT"


def test_in_language_falls_back_to_vietnamese(english):
    assert in_language("Ngày mất", "Date of death") == "Date of death"
    assert in_language("Ngày mất", "") == "Ngày mất"
    assert FormField("x", "Ngày", "date", placeholder="dd/mm/yyyy").shown_placeholder \
        == "dd/mm/yyyy"


# --- the checks -----------------------------------------------------------------------------


def test_good_values_are_tidied():
    values = {**GOOD, "ten_giay_to": " Bằng THPT ", "so_trang": "3", "so_ban": "2",
              "nhan_ket_qua": "truc-tiep"}
    clean, errors = validate_form(CATALOGUE["chung-thuc-ban-sao"], values, today=TODAY)
    assert errors == {}
    assert (clean["ho_ten"], clean["so_trang"], clean["ten_giay_to"]) == (
        "Nguyễn Thị Lan", 3, "Bằng THPT")


def test_an_empty_form_names_every_box():
    _clean, errors = validate_form(CATALOGUE["khai-sinh"], {}, today=TODAY)
    assert list(errors) == keys("khai-sinh")
    assert errors["ho_ten_tre"] == "Chưa nhập Họ và tên của trẻ"


@pytest.mark.parametrize("key, typed, fragment", [
    ("so_trang", "0", "Số trang của bản chính phải là số nguyên từ 1 đến 999"),
    ("so_ban", "hai", "Số bản cần cấp phải là số nguyên từ 1 đến 999, chỉ gõ chữ số"),
    ("nhan_ket_qua", "fax", "Chưa chọn Hình thức nhận kết quả: chọn một trong"),
    ("ten_giay_to", "x" * 201, "Tên giấy tờ cần chứng thực dài tối đa 200 ký tự"),
])
def test_a_bad_box_is_named_by_its_own_label(key, typed, fragment):
    values = {**GOOD, "ten_giay_to": "Bằng", "so_trang": "1", "so_ban": "1",
              "nhan_ket_qua": "truc-tiep", key: typed}
    _clean, errors = validate_form(CATALOGUE["chung-thuc-ban-sao"], values, today=TODAY)
    assert list(errors) == [key] and fragment in errors[key]


def test_reduced_group_is_optional_but_must_be_one_the_fee_reduces():
    values = {**GOOD, "so_ban": "1", "nhan_ket_qua": "truc-tiep"}
    record = CATALOGUE["ly-lich-tu-phap"]
    clean, errors = validate_form(record, values, today=TODAY)
    assert errors == {} and clean["doi_tuong"] is None
    _clean, errors = validate_form(record, {**values, "doi_tuong": "ho-ngheo"}, today=TODAY)
    assert "Đối tượng được giảm lệ phí phải là một trong" in errors["doi_tuong"]


def test_cccd_must_agree_with_birth_year_and_gender():
    _clean, errors = validate_form(CATALOGUE["ket-hon"], {**GOOD, "gioi_tinh": "nam"},
                                   today=TODAY)
    assert "cccd" in errors


def test_values_read_as_chosen_not_as_stored():
    record = CATALOGUE["ly-lich-tu-phap"]
    assert form_value_label(record, "gioi_tinh", "nu") == "Nữ"
    assert form_value_label(record, "nhan_ket_qua", "buu-chinh") == "Qua bưu chính"
    assert form_value_label(record, "doi_tuong", "sinh-vien") == "Sinh viên"
    assert form_value_label(record, "gioi_tinh", "khong-ro") == "khong-ro"


# --- malformed ``form:`` lists --------------------------------------------------------------

BASE = yaml.safe_load((DATA_DIR / "procedures.yaml").read_text(encoding="utf-8"))


def write(tmp_path: Path, change) -> Path:
    """A copy with tam-tru (one form box) and ly-lich-tu-phap (none), changed."""
    data = copy.deepcopy(BASE)
    data["procedures"] = [p for p in data["procedures"]
                          if p["code"] in ("tam-tru", "ly-lich-tu-phap")]
    residence = next(p for p in data["procedures"] if p["code"] == "tam-tru")
    change(residence["form"][0], residence)
    path = tmp_path / "thu-tuc.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def expect_error(path: Path, field: str, rule: str) -> str:
    with pytest.raises(DataFileError) as info:
        load_catalogue(path)
    error = info.value
    assert (error.file, error.entry, error.field) == (str(path), "tam-tru", field)
    message = str(error)
    assert message.startswith(f"Tệp thu-tuc.yaml, mục tam-tru: trường '{field}'"), message
    assert rule in message
    return message


def test_a_copy_with_its_form_loads(tmp_path):
    residence = load_catalogue(write(tmp_path, lambda box, proc: None))["tam-tru"]
    assert [f.key for f in residence.form] == ["dia_chi_cu_tru"]


def test_unknown_kind_is_named(tmp_path):
    message = expect_error(write(tmp_path, lambda box, proc: box.update(kind="email")),
                           "form.dia_chi_cu_tru.kind", "chỉ được dùng name, cccd, date")
    assert "'email'" in message


def test_missing_label_is_named(tmp_path):
    expect_error(write(tmp_path, lambda box, proc: box.pop("label")),
                 "form.dia_chi_cu_tru.label", "thiếu nhãn: cần vi (tiếng Việt) và en")


def test_label_without_english_is_named(tmp_path):
    expect_error(write(tmp_path, lambda box, proc: box["label"].pop("en")),
                 "form.dia_chi_cu_tru.label.en", "không được để trống")


def test_plain_text_label_is_refused_for_want_of_english(tmp_path):
    expect_error(write(tmp_path, lambda box, proc: box.update(label="Địa chỉ")),
                 "form.dia_chi_cu_tru.label", "cần vi (tiếng Việt) và en (tiếng Anh)")


def test_missing_key_is_named_by_position(tmp_path):
    expect_error(write(tmp_path, lambda box, proc: box.pop("key")), "form[1].key",
                 "cần mã ô")


def test_a_key_the_form_already_has_is_refused(tmp_path):
    expect_error(write(tmp_path, lambda box, proc: box.update(key="ho_ten")),
                 "form.ho_ten.key", "ô này tờ khai đã tự có")


def test_a_box_listed_twice_is_refused(tmp_path):
    expect_error(write(tmp_path, lambda box, proc: proc["form"].append(dict(box))),
                 "form.dia_chi_cu_tru", "mã ô bị trùng")


def test_a_misspelt_entry_key_is_refused(tmp_path):
    expect_error(write(tmp_path, lambda box, proc: box.update(lable="x")),
                 "form.dia_chi_cu_tru.lable", "không biết trường này")


def test_required_must_be_true_or_false(tmp_path):
    expect_error(write(tmp_path, lambda box, proc: box.update(required="có")),
                 "form.dia_chi_cu_tru.required", "phải là true hoặc false")


def test_form_must_be_a_list(tmp_path):
    expect_error(write(tmp_path, lambda box, proc: proc.update(form={"a": 1})), "form",
                 "cần một danh sách các ô của tờ khai")
