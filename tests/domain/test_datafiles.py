"""Data files: every way a ward's edit can break a file gives a DataFileError naming it."""

from __future__ import annotations

import unicodedata

import pytest

from kynangso.domain.datafiles import load_yaml, require
from kynangso.errors import DataFileError


def test_impossible_date_names_the_file(tmp_path):
    path = tmp_path / "swaps.yaml"
    path.write_text("day: 2027-13-40\n", encoding="utf-8")
    with pytest.raises(DataFileError, match=r"swaps\.yaml") as err:
        load_yaml(path)
    assert err.value.file == str(path)


def test_yaml_syntax_error_names_the_line(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("a: [1, 2\nb: 3\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="dòng"):
        load_yaml(path)


def test_missing_file_and_wrong_encoding(tmp_path):
    with pytest.raises(DataFileError, match="Không tìm thấy"):
        load_yaml(tmp_path / "none.yaml")
    latin = tmp_path / "latin.yaml"
    latin.write_bytes("tên: Trúc Lâm".encode("latin-1", errors="replace"))
    with pytest.raises(DataFileError, match="UTF-8"):
        load_yaml(latin)


def test_strings_are_nfc_normalised(tmp_path):
    path = tmp_path / "nfd.yaml"
    path.write_text(unicodedata.normalize("NFD", "phường: Trúc Lâm\n"), encoding="utf-8")
    assert load_yaml(path) == {"phường": "Trúc Lâm"}


def test_require_names_file_entry_and_field():
    with pytest.raises(DataFileError) as err:
        require({"a": 1}, "fee", file="/x/procedures.yaml", entry="tam-tru")
    assert (err.value.entry, err.value.field) == ("tam-tru", "fee")
    assert "procedures.yaml" in str(err.value) and "tam-tru" in str(err.value)
