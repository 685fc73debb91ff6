"""Trainee-facing text: Vietnamese is the source language, English a catalogue.

Strings are written in Vietnamese inside ``_()`` so they can be extracted with
``pybabel extract``; ``locale/<lang>/LC_MESSAGES/kynangso.po`` holds other
languages. The .po file is read directly with Babel, so no compiled .mo file is
committed. A missing translation falls back to the Vietnamese text.
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
    return {m.id: m.string for m in catalog if m.id and m.string and isinstance(m.id, str)}


def _(message: str) -> str:
    """Translate ``message`` (Vietnamese source text) into the current language."""
    message = unicodedata.normalize("NFC", message)
    if _language == DEFAULT_LANGUAGE:
        return message
    return _catalogue(_language).get(message, message)


def N_(message: str) -> str:
    """Mark ``message`` for extraction; it is translated with ``_()`` where it is shown."""
    return message


def nfc(text: str) -> str:
    """NFC-normalise text typed on any keyboard, so equal names compare equal."""
    return unicodedata.normalize("NFC", text)
