"""Texts a trainee reads in the scam lab, from ``data/scam_texts.yaml``, in Vietnamese and English.

Each entry (``sticker.context``, ``checker.userinfo``...) holds a ``vi`` and an ``en`` template;
:func:`tr` picks the one of the current language (:func:`kynangso.i18n.get_language`), so a
trainee who switches to English reads English. The code fills the placeholders with
``str.format``; the loader checks that ``en`` uses the same ones as ``vi``.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from ...i18n import DEFAULT_LANGUAGE, _, get_language
from ..datafiles import DATA_DIR, invalid, load_yaml, require
from ..datafiles import text_field as _text

TEXTS_FILE = "scam_texts.yaml"
LANGUAGES = ("vi", "en")


@dataclass(frozen=True)
class ScamTexts:
    """Every text of the file: section -> name -> language -> template."""

    file: str
    sections: Mapping[str, Mapping[str, Mapping[str, str]]]

    def get(self, key: str, language: str | None = None) -> str:
        """The template ``key`` ("section.name") in ``language`` (default: the current one)."""
        section, _dot, name = key.partition(".")
        texts = self.sections.get(section, {}).get(name)
        if texts is None:  # raise what a missing field raises: file, entry ("sticker"), field
            require({}, name, file=self.file, entry=section)
        assert texts is not None  # require() raised for a missing text
        return texts.get(language or get_language(), texts[DEFAULT_LANGUAGE])


def _fields(value: str, file: str, label: str, language: str) -> list[str]:
    """The placeholders of a template with their conversions ("name!r"), sorted."""
    try:
        return sorted(f"{name}!{conv}" if conv else name
                      for _lit, name, _spec, conv in string.Formatter().parse(value)
                      if name is not None)
    except ValueError:
        raise invalid(file, label, language, value, _(
            "dấu ngoặc nhọn {{ }} không khớp; chỗ trống phải có dạng {{resident}}")) from None


def _entry(raw: Any, file: str, label: str) -> Mapping[str, str]:
    if not isinstance(raw, dict):
        raise invalid(file, label, "vi", raw, _("mỗi văn bản phải là một bảng có vi và en"))
    texts = {language: _text(raw, language, file, label) for language in LANGUAGES}
    want = _fields(texts["vi"], file, label, "vi")
    if _fields(texts["en"], file, label, "en") != want:
        raise invalid(file, label, "en", texts["en"], _(
            "bản tiếng Anh phải dùng đúng các chỗ trống của bản tiếng Việt: {fields}").format(
                fields=", ".join("{" + name + "}" for name in want) or "-"))
    return MappingProxyType(texts)


def parse_scam_texts(data: Any, file: str) -> ScamTexts:
    """Build the texts from parsed YAML; every error names file, entry and field."""
    top = _("đầu tệp")
    if not isinstance(data, dict) or not data:
        raise invalid(file, top, "sticker", data,
                      _("tệp phải gồm các nhóm văn bản, mỗi văn bản có vi và en"))
    sections = {}
    for section in data:
        entries = require(data, section, file=file, entry=top, kind=dict)
        if not entries:
            raise invalid(file, top, section, entries, _("phải có ít nhất một văn bản"))
        sections[str(section)] = MappingProxyType({
            str(name): _entry(value, file, f"{section}.{name}") for name, value in entries.items()})
    return ScamTexts(file, MappingProxyType(sections))


@cache
def _load_default() -> ScamTexts:
    return parse_scam_texts(load_yaml(TEXTS_FILE), str(DATA_DIR / TEXTS_FILE))


def load_scam_texts(path: str | Path | None = None) -> ScamTexts:
    """The lab's texts (``data/scam_texts.yaml`` unless ``path`` is given; the default is cached)."""
    if path is None:
        return _load_default()
    return parse_scam_texts(load_yaml(path), str(path))


def tr(key: str) -> str:
    """The template ``key`` ("sticker.context") of the default file, in the current language."""
    return _load_default().get(key)
