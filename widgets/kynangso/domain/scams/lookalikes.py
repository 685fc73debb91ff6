"""Letters that pass for Latin ones, from ``data/lookalikes.yaml``.

The link checker reads a host through ``letters`` and ``digits`` ("dịchvụcоng" with a Cyrillic
"о" reads "dichvucong"); the generator swaps in a ``twins`` letter to make homoglyph items.
Every twin must be a listed look-alike of its letter, so the checker flags every fake the lab
makes; errors name file, entry and field.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from ...i18n import _
from ..datafiles import DATA_DIR, invalid, load_yaml, require

LOOKALIKES_FILE = "lookalikes.yaml"
_LATIN = re.compile(r"[a-z]+")


@dataclass(frozen=True)
class Lookalikes:
    letters: Mapping[str, str]  # another script's character -> the Latin letter it passes for
    digits: Mapping[str, str]  # a digit -> the letters it passes for
    twins: Mapping[str, str]  # a Latin letter -> the look-alike the generator swaps in


def _table(data: Any, key: str, file: str, *, keys: re.Pattern[str] | None = None,
           one_letter: bool = False) -> Mapping[str, str]:
    table = require(data, key, file=file, entry=_("đầu tệp"), kind=dict)
    for char, looks in table.items():
        if not isinstance(char, str) or len(char) != 1 or (keys and not keys.fullmatch(char)):
            raise invalid(file, key, str(char), char, _("mỗi khóa phải là đúng một ký tự"))
        if not isinstance(looks, str) or not _LATIN.fullmatch(looks) or (
                one_letter and len(looks) != 1):
            raise invalid(file, key, char, looks, _("phải là chữ Latin thường a–z"))
    return MappingProxyType(dict(table))


def parse_lookalikes(data: Any, file: str) -> Lookalikes:
    """Build the tables from parsed YAML; every error names file, entry and field."""
    letters = _table(data, "letters", file, one_letter=True)
    for char in letters:
        if char.isascii():
            raise invalid(file, "letters", char, char, _("phải là ký tự không thuộc bảng chữ ASCII"))
    digits = _table(data, "digits", file, keys=re.compile(r"[0-9]"))
    twins_raw = require(data, "twins", file=file, entry=_("đầu tệp"), kind=dict)
    for latin, twin in twins_raw.items():
        if not isinstance(latin, str) or not _LATIN.fullmatch(latin) or len(latin) != 1:
            raise invalid(file, "twins", str(latin), latin, _("phải là chữ Latin thường a–z"))
        if letters.get(twin) != latin:
            raise invalid(file, "twins", latin, twin, _(
                "chữ thay thế phải có trong letters, trông giống '{latin}'").format(latin=latin))
    return Lookalikes(letters, digits, MappingProxyType(dict(twins_raw)))


@cache
def _load_default() -> Lookalikes:
    return parse_lookalikes(load_yaml(LOOKALIKES_FILE), str(DATA_DIR / LOOKALIKES_FILE))


def load_lookalikes(path: str | Path | None = None) -> Lookalikes:
    """The look-alike tables (``data/lookalikes.yaml`` unless ``path`` is given; cached)."""
    if path is None:
        return _load_default()
    return parse_lookalikes(load_yaml(path), str(path))
