"""Texts of procedures.yaml, locality.yaml and the sample scans follow the language switch;
the Vietnamese stays the key other code stores and compares; a text without its English
is refused with an error naming file, entry and field."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from kynangso.domain import attachments
from kynangso.domain.catalogue import load_catalogue
from kynangso.domain.datafiles import DATA_DIR
from kynangso.domain.locality import load_locality
from kynangso.errors import DataFileError
from kynangso.i18n import set_language

CATALOGUE = load_catalogue()
LOCALITY = load_locality()


@pytest.fixture(autouse=True)
def vietnamese():
    set_language("vi")
    yield
    set_language("vi")


def test_english_names_documents_fields_groups_and_notes():
    birth, record = CATALOGUE["khai-sinh"], CATALOGUE["ly-lich-tu-phap"]
    assert (birth.shown_name, birth.shown_field) == ("Đăng ký khai sinh", "Hộ tịch")
    set_language("en")
    assert (birth.shown_name, birth.shown_field) == ("Birth registration", "Civil status")
    assert birth.documents[0].shown_name == "Birth registration form"
    assert birth.shown_notes.startswith("Registering within 60 days of the birth")
    assert "a fee at the rate set by the provincial People's Council" in birth.fee.describe()
    assert CATALOGUE.field_label("Cư trú") == "Residence"
    assert CATALOGUE.group_label("sinh-vien") == "Students"
    assert record.quote_fee(group="sinh-vien").explanation.startswith(
        "Reduced fee for Students: 100.000")
    assert "Students" in record.quote_fee(group="sinh-vien").explanation
    set_language("vi")
    assert record.quote_fee(group="sinh-vien").explanation.startswith(
        "Mức giảm cho Sinh viên: 100.000")


def test_every_text_a_trainee_reads_has_its_english():
    assert set(CATALOGUE.fields_en) == set(CATALOGUE.fields)
    assert set(CATALOGUE.groups_en) == set(CATALOGUE.groups)
    for proc in CATALOGUE:
        assert proc.name_en and proc.field_en and bool(proc.notes) == bool(proc.notes_en)
        assert all(d.name_en for d in proc.documents), proc.code
        assert bool(proc.fee.otherwise) == bool(proc.fee.otherwise_en), proc.code
    assert all(c.name_en for c in LOCALITY.counters)
    assert all(s.title_en for s in attachments.sample_scans())


def test_keys_stay_vietnamese_whatever_the_language():
    set_language("en")
    proc = CATALOGUE["tam-tru"]
    assert (proc.name, proc.field) == ("Đăng ký tạm trú", "Cư trú")
    assert "Cư trú" in CATALOGUE.by_field() and "Cư trú" in CATALOGUE.fields
    assert LOCALITY.counter_for(proc.field).number == 2
    assert LOCALITY.counters[1].name == "Quầy Cư trú"
    assert LOCALITY.counters[1].shown_name == "Residence counter"
    assert proc.groups == CATALOGUE.groups  # codes -> Vietnamese names


@pytest.mark.parametrize(("query", "codes"), [("birth", ["khai-sinh"]),
                                              ("khai sinh", ["khai-sinh"]),
                                              ("temporary residence", ["tam-tru"])])
def test_search_finds_either_language_and_does_not_depend_on_the_switch(query, codes):
    found = [p.code for p in CATALOGUE.search(query)]
    set_language("en")
    assert [p.code for p in CATALOGUE.search(query)] == found == codes


def test_sample_titles_follow_the_language():
    scan = attachments.samples_for("giay-chung-sinh")[0]
    assert scan.shown_title == "Giấy chứng sinh (mẫu)"
    set_language("en")
    assert scan.shown_title == "Medical birth certificate (sample)"
    assert scan.title == "Giấy chứng sinh (mẫu)"


# --- a text without its English is refused ----------------------------------------------------

PROCEDURES = yaml.safe_load((DATA_DIR / "procedures.yaml").read_text(encoding="utf-8"))


def _write(tmp_path: Path, name: str, data: object) -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _refused(load, path: Path, entry: str, field: str) -> None:
    with pytest.raises(DataFileError) as info:
        load(path)
    error = info.value
    assert (error.file, error.entry, error.field) == (str(path), entry, field)
    assert path.name in str(error) and entry in str(error) and field in str(error)


def _tam_tru(data: dict) -> dict:
    return next(p for p in data["procedures"] if p["code"] == "tam-tru")


@pytest.mark.parametrize("english", [None, "", "   "], ids=["missing", "empty", "blank"])
@pytest.mark.parametrize(("where", "entry", "field"), [
    (lambda d: _tam_tru(d)["name"], "tam-tru", "name.en"),
    (lambda d: _tam_tru(d)["documents"][1]["name"], "tam-tru",
     "documents.cho-o-hop-phap.name.en"),
    (lambda d: d["fields"][3], "(tệp)", "fields[4].en"),
    (lambda d: d["groups"]["sinh-vien"], "(tệp)", "groups.sinh-vien.en"),
    (lambda d: next(p for p in d["procedures"] if p["code"] == "ket-hon")["notes"], "ket-hon",
     "notes.en"),
    (lambda d: next(p for p in d["procedures"] if p["code"] == "khai-tu")["fee"]["otherwise"],
     "khai-tu", "fee.otherwise.en"),
], ids=["name", "document", "field", "group", "notes", "otherwise"])
def test_a_procedure_text_without_english_is_refused(tmp_path, where, entry, field, english):
    data = copy.deepcopy(PROCEDURES)
    text = where(data)
    if english is None:
        del text["en"]
    else:
        text["en"] = english
    _refused(load_catalogue, _write(tmp_path, "thu-tuc.yaml", data), entry, field)


def test_a_plain_vietnamese_name_is_refused(tmp_path):
    data = copy.deepcopy(PROCEDURES)
    _tam_tru(data)["name"] = "Đăng ký tạm trú"
    _refused(load_catalogue, _write(tmp_path, "thu-tuc.yaml", data), "tam-tru", "name")


def test_a_counter_name_without_english_is_refused(tmp_path):
    data = yaml.safe_load((DATA_DIR / "locality.yaml").read_text(encoding="utf-8"))
    del data["counters"]["items"][0]["name"]["en"]
    _refused(load_locality, _write(tmp_path, "dia-phuong.yaml", data), "quầy 1", "name.en")


def test_a_sample_title_without_english_is_refused(tmp_path, monkeypatch):
    data = yaml.safe_load((attachments.SAMPLE_DIR / "index.yaml").read_text(encoding="utf-8"))
    data["samples"][0]["title"]["en"] = ""
    path = _write(tmp_path, "index.yaml", data)
    monkeypatch.setattr(attachments, "SAMPLE_INDEX", str(path))
    attachments.sample_scans.cache_clear()
    try:
        with pytest.raises(DataFileError) as info:
            attachments.sample_scans()
    finally:
        monkeypatch.undo()
        attachments.sample_scans.cache_clear()
    error = info.value
    assert (error.entry, error.field) == ("the-can-cuoc-mau.png", "title.en")
    assert "index.yaml" in str(error) and "the-can-cuoc-mau.png" in str(error)
