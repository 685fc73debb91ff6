"""Bank directory: the SBV BINs from FACTS.md, one training bank, and errors naming the field."""

from __future__ import annotations

import unicodedata

import pytest
import yaml

from kynangso.domain.banks import Bank, load_banks, parse_banks
from kynangso.errors import DataFileError, MissingEntry

# FACTS.md, "Bank BINs (SBV list via subiz/vietqr bank.csv)".
FACTS_BINS = {
    "970436": "Vietcombank", "970415": "VietinBank", "970418": "BIDV", "970405": "Agribank",
    "970407": "Techcombank", "970422": "MB", "970423": "TPBank", "970403": "Sacombank",
    "970416": "ACB",
}


@pytest.mark.parametrize(("bin_", "short_name"), sorted(FACTS_BINS.items()))
def test_directory_has_every_bank_named_in_facts(bin_, short_name):
    bank = load_banks().get(bin_)
    assert bank.short_name == short_name
    assert bank.name.startswith("Ngân hàng")
    assert "bank.csv" in bank.source
    assert not bank.training


def test_every_bank_cites_a_source_and_is_nfc():
    for bank in load_banks():
        assert bank.source
        for text in (bank.short_name, bank.name, bank.source):
            assert text == unicodedata.normalize("NFC", text)


def test_training_bank_is_not_a_real_bin():
    banks = load_banks()
    training = banks.training_bank
    assert training.training and training.short_name == "NH Tập Dượt"
    assert len(training.bin) == 6 and training.bin.isdigit()
    assert not training.bin.startswith("970")  # the range NAPAS member banks use
    assert training.bin not in FACTS_BINS
    assert sum(bank.training for bank in banks) == 1


def test_unknown_bin_is_a_missing_entry_in_vietnamese():
    with pytest.raises(MissingEntry) as caught:
        load_banks().get("970499")
    assert "970499" in caught.value.message
    assert caught.value.field == "bin"
    assert load_banks().find("970499") is None
    assert "970499" not in load_banks() and "970436" in load_banks()


def test_load_banks_is_cached():
    assert load_banks() is load_banks()


def test_directory_reads_a_ward_copy_of_the_file(tmp_path):
    path = tmp_path / "banks.yaml"
    path.write_text(yaml.safe_dump({"banks": [
        {"bin": "970436", "short_name": "Vietcombank", "name": "Ngân hàng A", "source": "x",
         "verified": True},
        {"bin": "000999", "short_name": "NH Tập Dượt", "name": "B", "source": "y",
         "training": True},
    ]}, allow_unicode=True), encoding="utf-8")
    banks = load_banks(path)
    assert len(banks) == 2
    assert banks.training_bank == Bank("000999", "NH Tập Dượt", "B", "y", False, True)


GOOD = {"bin": "970436", "short_name": "Vietcombank", "name": "Ngân hàng A", "source": "s"}
TRAINING = {"bin": "000999", "short_name": "NH Tập Dượt", "name": "B", "source": "s",
            "training": True}


@pytest.mark.parametrize(("data", "field", "entry_has"), [
    ({}, "banks", None),
    ({"banks": "970436"}, "banks", None),
    ({"banks": [GOOD, "970415", TRAINING]}, "banks", "2"),
    ({"banks": [{**GOOD, "bin": 970436}, TRAINING]}, "bin", "1"),
    ({"banks": [{**GOOD, "bin": "97043"}, TRAINING]}, "bin", "1"),
    ({"banks": [{**GOOD, "bin": "97043A"}, TRAINING]}, "bin", "1"),
    ({"banks": [GOOD, GOOD, TRAINING]}, "bin", "970436"),
    ({"banks": [{k: v for k, v in GOOD.items() if k != "name"}, TRAINING]}, "name", "970436"),
    ({"banks": [{**GOOD, "short_name": "  "}, TRAINING]}, "short_name", "970436"),
    ({"banks": [{k: v for k, v in GOOD.items() if k != "source"}, TRAINING]}, "source",
     "970436"),
    ({"banks": [{**GOOD, "verified": "yes"}, TRAINING]}, "verified", "970436"),
    ({"banks": [GOOD]}, "training", None),
    ({"banks": [GOOD, TRAINING, {**TRAINING, "bin": "000998"}]}, "training", None),
    ({"banks": [{**TRAINING, "bin": "970999"}]}, "bin", "970999"),
])
def test_malformed_file_names_file_entry_and_field(data, field, entry_has):
    with pytest.raises(DataFileError) as caught:
        parse_banks(data, "/ward/data/banks.yaml")
    error = caught.value
    assert error.file == "/ward/data/banks.yaml"
    assert error.field == field
    assert "banks.yaml" in error.message and field in error.message
    if entry_has is not None:
        assert entry_has in error.entry and error.entry in error.message
    assert error.message == unicodedata.normalize("NFC", error.message)


def test_yaml_syntax_error_names_the_file(tmp_path):
    path = tmp_path / "banks.yaml"
    path.write_text("banks: [\n  - bin: '970436'\n", encoding="utf-8")
    with pytest.raises(DataFileError) as caught:
        load_banks(path)
    assert "banks.yaml" in caught.value.message
