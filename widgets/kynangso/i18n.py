"""Trainee-facing text: Vietnamese is the source language, English a catalogue.

Strings are written in Vietnamese inside ``_()`` so they can be extracted with
``pybabel extract``; ``locale/<lang>/LC_MESSAGES/kynangso.po`` holds other
languages. The .po file is read directly with Babel, so no compiled .mo file is
committed. A missing translation falls back to the Vietnamese text.

Three ways a text reaches a trainee in the current language:

- ``_("literal")`` where the text is shown;
- ``N_("literal")`` where it is defined (a class attribute, a table), then
  ``translate(value)`` where it is shown;
- texts of a data file carry their own English (``{vi: ..., en: ...}``): ``in_language``.

``_()`` and ``N_()`` take only a string literal (tests/test_translation.py checks it), so
the extractor sees every string.
"""

from __future__ import annotations

import unicodedata
from functools import cache

from . import settings
from .settings import DEFAULT_LANGUAGE, LOCALE_DIR

_language = settings.current().language  # KYNANGSO_LANG, read once at import


def set_language(language: str) -> None:
    """Switch every later ``_()`` call to ``language`` ("vi" or "en")."""
    global _language
    if language != DEFAULT_LANGUAGE and not (LOCALE_DIR / language).is_dir():
        raise ValueError(f"Không có bản dịch cho ngôn ngữ {language!r}")
    _language = language


def get_language() -> str:
    return _language


@cache
def _catalogue(language: str) -> dict[str, str]:
    path = LOCALE_DIR / language / "LC_MESSAGES" / "kynangso.po"
    if not path.exists():
        return {}
    from babel.messages.pofile import read_po  # only needed off the default language

    with path.open("rb") as handle:
        catalog = read_po(handle)
    return {m.id: m.string for m in catalog
            if m.id and isinstance(m.id, str) and m.string and isinstance(m.string, str)}


def _lookup(message: str) -> str:
    message = unicodedata.normalize("NFC", message)
    if _language == DEFAULT_LANGUAGE:
        return message
    return _catalogue(_language).get(message, message)


def _(message: str) -> str:
    """Translate ``message`` (a Vietnamese string literal) into the current language."""
    return _lookup(message)


def N_(message: str) -> str:
    """Mark ``message`` for extraction; ``translate()`` it where it is shown."""
    return message


def translate(message: str) -> str:
    """Translate a value marked with ``N_()`` where it was defined (``_()`` is for literals)."""
    return _lookup(message)


def in_language(vi: str, en: str) -> str:
    """``vi`` or ``en`` by the current language; Vietnamese where no English is given."""
    return vi if _language == DEFAULT_LANGUAGE or not en else en


def nfc(text: str) -> str:
    """NFC-normalise text typed on any keyboard, so equal names compare equal."""
    return unicodedata.normalize("NFC", text)
