"""The English catalogue: parses, is up to date with the code, keeps every placeholder.

Vietnamese is the source language; `scripts/update_catalogue.py` refreshes the catalogue.
"""

from __future__ import annotations

import importlib.util
import string
import unicodedata

import pytest
from babel.messages.pofile import read_po

from helpers import ROOT

CATALOGUE = ROOT / "widgets" / "kynangso" / "locale" / "en" / "LC_MESSAGES" / "kynangso.po"


def _load_script():
    spec = importlib.util.spec_from_file_location("update_catalogue",
                                                  ROOT / "scripts" / "update_catalogue.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def catalog():
    with CATALOGUE.open("rb") as handle:
        return read_po(handle, locale="en")


def _fields(text: str) -> list[str]:
    return sorted(f"{name}{'!' + conv if conv else ''}"
                  for _, name, _, conv in string.Formatter().parse(text) if name is not None)


def test_catalogue_is_up_to_date_with_the_code(catalog):
    source = {m.id for m in _load_script().extract() if m.id}
    have = {m.id for m in catalog if m.id}
    missing, stale = sorted(source - have), sorted(have - source)
    assert (missing[:5], stale[:5]) == ([], []), "run: python scripts/update_catalogue.py"


def test_every_string_has_an_english_translation(catalog):
    untranslated = [m.id for m in catalog if m.id and not m.string]
    assert untranslated[:5] == [], f"{len(untranslated)} strings without English"


def test_translations_keep_every_placeholder(catalog):
    broken = [m.id for m in catalog if m.id and m.string
              and _fields(m.id) != _fields(m.string)]
    assert broken[:5] == []


def test_source_strings_and_translations_are_nfc(catalog):
    assert [m.id for m in catalog if m.id and not unicodedata.is_normalized("NFC", m.id)] == []
    assert [m.id for m in catalog if m.string
            and not unicodedata.is_normalized("NFC", m.string)] == []


def test_switching_language_translates_and_falls_back(catalog):
    from kynangso.i18n import _, get_language, set_language

    translated = next(m for m in catalog if m.id and m.string)
    before = get_language()
    try:
        set_language("en")
        assert _(translated.id) == translated.string
        assert _("chuỗi không có trong danh mục") == "chuỗi không có trong danh mục"
    finally:
        set_language(before)
    with pytest.raises(ValueError):
        set_language("xx")
