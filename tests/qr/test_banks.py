"""Bank directory: every listed VietQR participant, one training bank, errors naming the field."""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest
import yaml

from kynangso.domain.banks import Bank, load_banks, looks_like, parse_banks
from kynangso.errors import DataFileError, MissingEntry

# Large banks every screen names; short names as the simulators show them.
MAJOR_BINS = {
    "970436": "Vietcombank", "970415": "VietinBank", "970418": "BIDV", "970405": "Agribank",
    "970407": "Techcombank", "970422": "MB", "970423": "TPBank", "970403": "Sacombank",
    "970416": "ACB", "970432": "VPBank",
}
# Participants whose BIN is not 970xxx (digital banks, wallets, foreign banks).
OTHER_RANGES = {
    "546034": "CAKE", "546035": "Ubank", "963388": "Timo", "971005": "Viettel Money",
    "971011": "VNPT Money", "422589": "CIMB", "668888": "Kasikornbank",
}
CHECKED = date(2026, 12, 2)


@pytest.mark.parametrize(("bin_", "short_name"), sorted(MAJOR_BINS.items()))
def test_directory_has_every_major_bank(bin_, short_name):
    bank = load_banks().get(bin_)
    assert bank.short_name == short_name
    assert bank.name.startswith("Ngân hàng")
    assert "vietnam-qr-pay" in bank.source and "16850eee1771088c" in bank.source
    assert bank.verified and bank.checked == CHECKED
    assert not bank.training


@pytest.mark.parametrize(("bin_", "words"), sorted(OTHER_RANGES.items()))
def test_directory_has_participants_outside_970(bin_, words):
    bank = load_banks().get(bin_)
    assert words.replace(" ", "").lower() in (bank.short_name + bank.name).replace(" ", "").lower()
    assert bank.checked == CHECKED and "commit" in bank.source


def test_directory_lists_about_sixty_participants():
    real = [bank for bank in load_banks() if not bank.training]
    assert 55 <= len(real) <= 70


def test_bidv_has_its_full_name():
    assert load_banks().get("970418").name == "Ngân hàng TMCP Đầu tư và Phát triển Việt Nam"


def test_no_entry_cites_a_private_file():
    for bank in load_banks():
        assert "FACTS" not in bank.source and "/work" not in bank.source


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
    assert not training.bin.startswith(("970", "971"))  # the ranges NAPAS members use
    assert not any(looks_like(training.bin, bank.bin) for bank in banks if not bank.training)
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
         "verified": True, "checked": "2026-12-02"},
        {"bin": "000999", "short_name": "NH Tập Dượt", "name": "B", "source": "y",
         "training": True, "checked": "2026-11-30"},
    ]}, allow_unicode=True), encoding="utf-8")
    banks = load_banks(path)
    assert len(banks) == 2
    assert banks.training_bank == Bank("000999", "NH Tập Dượt", "B", "y", date(2026, 11, 30),
                                       False, True)
    assert banks.get("970436").checked == CHECKED


GOOD = {"bin": "970436", "short_name": "Vietcombank", "name": "Ngân hàng A", "source": "s",
        "checked": date(2026, 12, 2)}
TRAINING = {"bin": "000999", "short_name": "NH Tập Dượt", "name": "B", "source": "s",
            "checked": date(2026, 12, 2), "training": True}


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


CAKE = {**GOOD, "bin": "546034", "short_name": "CAKE"}


@pytest.mark.parametrize(("training_bin", "real"), [
    ("970436", [GOOD]),             # the same BIN as a listed bank
    ("970999", [GOOD]),             # inside 970xxx, the NAPAS bank range
    ("971999", [GOOD]),             # inside 971xxx, the NAPAS wallet range, even if none listed
    ("546999", [GOOD, CAKE]),       # inside 546xxx, a range a listed participant uses
    ("546134", [GOOD, CAKE]),       # differs from CAKE's 546034 in one digit
    ("070436", [GOOD]),             # differs from 970436 in one digit
])
def test_training_bank_that_looks_like_a_real_bin_is_refused(training_bin, real):
    data = {"banks": [*real, {**TRAINING, "bin": training_bin}]}
    with pytest.raises(DataFileError) as caught:
        parse_banks(data, "/ward/data/banks.yaml")
    error = caught.value
    assert (error.field, error.file) == ("bin", "/ward/data/banks.yaml")
    assert error.entry == f"ngân hàng {training_bin}"
    message = error.message
    assert "banks.yaml" in message and error.entry in message and "'bin'" in message
    assert "ngân hàng tập dượt" in message and "giống" in message
    assert message == unicodedata.normalize("NFC", message)


def test_training_bank_listed_before_the_real_one_is_still_refused():
    with pytest.raises(DataFileError) as caught:
        parse_banks({"banks": [{**TRAINING, "bin": "668889"}, {**GOOD, "bin": "668888"}]},
                    "banks.yaml")
    assert caught.value.field == "bin" and "668888" in caught.value.message


@pytest.mark.parametrize(("candidate", "real", "alike"), [
    ("000999", "970436", False),
    ("000999", "546034", False),
    ("963000", "963388", True),
    ("422588", "422589", True),
    ("123456", "123457", True),
    ("123456", "923457", False),
])
def test_looks_like_is_same_prefix_or_one_digit_apart(candidate, real, alike):
    assert looks_like(candidate, real) is alike


@pytest.mark.parametrize("entry", [GOOD, TRAINING])
def test_missing_checked_date_names_file_entry_and_field(entry):
    other = TRAINING if entry is GOOD else GOOD
    broken = {k: v for k, v in entry.items() if k != "checked"}
    with pytest.raises(DataFileError) as caught:
        parse_banks({"banks": [broken, other]}, "/ward/data/banks.yaml")
    error = caught.value
    assert error.field == "checked" and error.entry == f"ngân hàng {entry['bin']}"
    assert "banks.yaml" in error.message and "'checked'" in error.message
    assert error.entry in error.message


@pytest.mark.parametrize("value", ["2-12-2026", "hôm qua", "2099-01-01"])
def test_bad_checked_date_is_refused(value):
    with pytest.raises(DataFileError) as caught:
        parse_banks({"banks": [{**GOOD, "checked": value}, TRAINING]}, "banks.yaml")
    assert caught.value.field == "checked"


def test_yaml_syntax_error_names_the_file(tmp_path):
    path = tmp_path / "banks.yaml"
    path.write_text("banks: [\n  - bin: '970436'\n", encoding="utf-8")
    with pytest.raises(DataFileError) as caught:
        load_banks(path)
    assert "banks.yaml" in caught.value.message


def test_data_file_itself_is_nfc():
    from kynangso.domain.datafiles import DATA_DIR

    text = (DATA_DIR / "banks.yaml").read_text(encoding="utf-8")
    assert text == unicodedata.normalize("NFC", text)
