"""The scam lab's texts and look-alike letters are data: both load, every text has Vietnamese and
English with the same placeholders, a broken file names file, entry and field, and a trainee
who switches to English reads English."""

from __future__ import annotations

import ast
import copy
import string
import unicodedata

import pytest
import yaml

from kynangso.domain.datafiles import DATA_DIR
from kynangso.domain.scams import (
    check_link,
    generate,
    load_lookalikes,
    load_scam_texts,
    load_scams,
    parse_lookalikes,
    parse_scam_texts,
    tr,
)
from kynangso.errors import DataFileError
from kynangso.i18n import set_language

from helpers import ROOT

PACKAGE = ROOT / "widgets" / "kynangso" / "domain" / "scams"
TEXTS = yaml.safe_load((DATA_DIR / "scam_texts.yaml").read_text(encoding="utf-8"))
LOOKALIKES = yaml.safe_load((DATA_DIR / "lookalikes.yaml").read_text(encoding="utf-8"))
VIETNAMESE = "ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ"




def _keys_in_code() -> set[str]:
    """Every literal ``tr("section.name")`` in the package."""
    keys = set()
    for path in PACKAGE.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id == "tr" and node.args
                    and isinstance(node.args[0], ast.Constant)):
                keys.add(node.args[0].value)
    return keys


def _fields(text: str) -> list[str]:
    return sorted(f"{name}!{conv}" if conv else name
                  for _lit, name, _spec, conv in string.Formatter().parse(text) if name is not None)


# --- the texts file --------------------------------------------------------------------------

def test_every_text_loads_with_vietnamese_and_english():
    texts = load_scam_texts()
    for section, entries in TEXTS.items():
        for name in entries:
            vi = texts.get(f"{section}.{name}", "vi")
            en = texts.get(f"{section}.{name}", "en")
            assert vi and unicodedata.is_normalized("NFC", vi), (section, name)
            assert en and en != vi, (section, name)
            assert not any(c in VIETNAMESE for c in en.lower()), (section, name, en)
            assert _fields(vi) == _fields(en), (section, name)


def test_the_code_and_the_file_name_the_same_texts():
    in_file = {f"{section}.{name}" for section, entries in TEXTS.items() for name in entries}
    assert _keys_in_code() == in_file


def test_texts_load_from_a_path(tmp_path):
    path = tmp_path / "scam_texts.yaml"
    path.write_text((DATA_DIR / "scam_texts.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    assert load_scam_texts(path).sections == load_scam_texts().sections


def broken_texts(edit) -> DataFileError:
    data = copy.deepcopy(TEXTS)
    edit(data)
    with pytest.raises(DataFileError) as info:
        parse_scam_texts(data, "scam_texts.yaml")
    return info.value


def test_a_text_without_english_names_file_entry_and_field():
    error = broken_texts(lambda d: d["sticker"]["context"].pop("en"))
    assert (error.file, error.entry, error.field) == ("scam_texts.yaml", "sticker.context", "en")
    assert "scam_texts.yaml" in str(error) and "sticker.context" in str(error) and "'en'" in str(error)


def test_an_empty_vietnamese_text_is_refused():
    error = broken_texts(lambda d: d["checker"]["userinfo"].update(vi="  "))
    assert (error.entry, error.field) == ("checker.userinfo", "vi")


def test_english_with_other_placeholders_is_refused():
    def edit(data):
        data["tampered"]["right_amount"]["en"] = "Do not pay {amount}; ask {role}."
    error = broken_texts(edit)
    assert (error.entry, error.field) == ("tampered.right_amount", "en")
    assert "{resident}" in str(error) and "{want}" in str(error)


def test_unbalanced_braces_are_refused():
    error = broken_texts(lambda d: d["edits"]["added"].update(vi="thêm chữ '{char'"))
    assert (error.entry, error.field) == ("edits.added", "vi")


def test_a_text_that_is_not_a_table_is_refused():
    error = broken_texts(lambda d: d["bill"].update(context="chỉ có tiếng Việt"))
    assert (error.file, error.entry) == ("scam_texts.yaml", "bill.context")


def test_a_missing_text_names_file_entry_and_field():
    texts = parse_scam_texts({"sticker": {"context": {"vi": "a", "en": "b"}}}, "scam_texts.yaml")
    with pytest.raises(DataFileError) as info:
        texts.get("sticker.flag_name")
    assert (info.value.file, info.value.entry, info.value.field) == (
        "scam_texts.yaml", "sticker", "flag_name")


# --- language --------------------------------------------------------------------------------

def test_tr_follows_the_current_language(english):
    assert tr("checker.upper_case") == TEXTS["checker"]["upper_case"]["en"]
    set_language("vi")
    assert tr("checker.upper_case") == TEXTS["checker"]["upper_case"]["vi"]


def test_a_language_without_texts_falls_back_to_vietnamese():
    assert load_scam_texts().get("bill.context", "fr") == TEXTS["bill"]["context"]["vi"]


def test_items_are_english_after_switching_language(english):
    item = next(i for i in generate("qr_sticker", 0, 2) if i.kind == "sticker")
    assert item.right_response.startswith("Do not transfer yet.")
    assert item.red_flags[2] == TEXTS["sticker"]["flag_reachable"]["en"]
    link = next(i for i in generate("lookalike_link", 0, 14) if i.kind == "homoglyph")
    assert link.context.startswith("A resident shows you this link")
    assert any("Cyrillic" in flag for flag in link.red_flags)


def test_the_same_item_in_both_languages_differs_only_in_words(english):
    english_item = generate("qr_tampered", 3, 1)[0]
    set_language("vi")
    vietnamese_item = generate("qr_tampered", 3, 1)[0]
    assert english_item.content == vietnamese_item.content
    assert english_item.expected == vietnamese_item.expected
    assert english_item.right_response != vietnamese_item.right_response


def test_link_reasons_are_english_after_switching_language(english):
    verdict = check_link("https://dichvucong.gov.vn.secure.invalid")
    assert not verdict.genuine
    assert verdict.reasons[0].startswith("The main domain is 'secure.invalid'")


# --- look-alike letters ----------------------------------------------------------------------

def test_lookalikes_load():
    table = load_lookalikes()
    assert table.letters["о"] == "o" and table.digits["0"] == "o" and table.twins["a"] == "а"
    assert all(not char.isascii() for char in table.letters)


def test_every_twin_the_generator_uses_is_caught_by_the_checker():
    official = load_scams().official("vneid.gov.vn")
    for latin, twin in load_lookalikes().twins.items():
        label = f"vneid{latin}"
        verdict = check_link(f"https://{label.replace(latin, twin)}.invalid")
        assert not verdict.genuine, latin
        assert verdict.imitates == official.domain, latin


def broken_lookalikes(edit) -> DataFileError:
    data = copy.deepcopy(LOOKALIKES)
    edit(data)
    with pytest.raises(DataFileError) as info:
        parse_lookalikes(data, "lookalikes.yaml")
    return info.value


def test_a_twin_the_checker_does_not_know_is_refused():
    error = broken_lookalikes(lambda d: d["twins"].update(a="ä"))
    assert (error.file, error.entry, error.field) == ("lookalikes.yaml", "twins", "a")


def test_a_key_of_two_characters_is_refused():
    error = broken_lookalikes(lambda d: d["letters"].update(rn="m"))
    assert (error.entry, error.field) == ("letters", "rn")


def test_an_ascii_letter_is_not_a_lookalike():
    error = broken_lookalikes(lambda d: d["letters"].update(q="g"))
    assert (error.entry, error.field) == ("letters", "q")


def test_a_missing_table_is_named():
    error = broken_lookalikes(lambda d: d.pop("digits"))
    assert (error.file, error.field) == ("lookalikes.yaml", "digits")
