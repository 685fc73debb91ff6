"""One spelling of Vietnamese tone marks, and one word for practice, in what a trainee
reads (CONTRIBUTING.md).

In an open syllable ending in -oa, -oe or -uy the tone mark sits on the first vowel:
hóa, khóa, xóa, hòa, thủy, hủy, tùy, ủy; not hoá, khoá, xoá, hoà, thuỷ, huỷ, tuỳ, uỷ. "qu" is
a consonant, so quý and quỹ are right as they are. Checked, after NFC, on every ``_()`` and
``N_()`` string of the package, every text of the data files and every notebook cell.
"""

from __future__ import annotations

import ast
import json
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from helpers import ROOT

PACKAGE = ROOT / "widgets" / "kynangso"
SKIP_DIRS = {".venv", "node_modules", ".git", ".ipynb_checkpoints", "build", "dist"}

# The tone on the second vowel of a final -oa, -oe, -uy (not after q): the other style.
OTHER_STYLE = re.compile(
    r"(?<![^\W\d_])[^\W\d_]*?(?:o[àáảãạ]|o[èéẻẽẹ]|(?<![qQ])u[ỳýỷỹỵ])(?![^\W\d_])",
    re.IGNORECASE)

# Words kept as written elsewhere: a proper name, or a quoted title of a source. Keep short.
ALLOWED: frozenset[str] = frozenset()


def other_style(text: str) -> list[str]:
    words = OTHER_STYLE.findall(unicodedata.normalize("NFC", text))
    return [w for w in words if w.lower() not in ALLOWED]


def _gettext_strings() -> Iterator[tuple[str, str]]:
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id in ("_", "N_") and node.args
                    and isinstance(node.args[0], ast.Constant)
                    and isinstance(node.args[0].value, str)):
                yield f"{path.relative_to(ROOT)}:{node.lineno}", node.args[0].value


def _strings(value: object, where: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, f"{where}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, f"{where}[{index}]")


def _data_texts() -> Iterator[tuple[str, str]]:
    for path in sorted((PACKAGE / "data").rglob("*.yaml")):
        yield from _strings(yaml.safe_load(path.read_text(encoding="utf-8")),
                            str(path.relative_to(ROOT)))


def _notebooks() -> list[Path]:
    return sorted(p for p in ROOT.rglob("*.ipynb")
                  if not SKIP_DIRS.intersection(p.relative_to(ROOT).parts))


def _cells() -> Iterator[tuple[str, str]]:
    for path in _notebooks():
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        for index, cell in enumerate(cells):
            source = cell["source"]
            yield f"{path.relative_to(ROOT)} cell {index}", (
                "".join(source) if isinstance(source, list) else source)


@pytest.mark.parametrize("texts", [_gettext_strings, _data_texts, _cells],
                         ids=["gettext", "data", "notebooks"])
def test_tone_marks_follow_one_convention(texts):
    bad = [f"{where}: {', '.join(words)}" for where, text in texts()
           if (words := other_style(text))]
    assert bad == [], "write hóa, khóa, thủy (CONTRIBUTING.md)"


def test_the_check_finds_the_other_style_only():
    assert other_style("Tài khoản bị khoá, hãy huỷ giao dịch và hoà giải") == [
        "khoá", "huỷ", "hoà"]
    assert other_style("khóa, hủy, hòa, quý, quỹ, hoàn thành, khoảng, thuyết, xoáy") == []
    assert other_style(unicodedata.normalize("NFD", "thuỷ")) == ["thuỷ"]


# "Practice" is "tập dượt"; "thực hành" only in the lab's name "phòng thực hành".
OTHER_PRACTICE_WORD = re.compile(r"tập luyện|(?<!phòng )thực hành", re.IGNORECASE)


@pytest.mark.parametrize("texts", [_gettext_strings, _data_texts, _cells],
                         ids=["gettext", "data", "notebooks"])
def test_practice_is_tap_duot(texts):
    bad = [f"{where}: {text[:60]}" for where, text in texts()
           if OTHER_PRACTICE_WORD.search(unicodedata.normalize("NFC", text))]
    assert bad == [], "write 'tập dượt' for practice (CONTRIBUTING.md)"


def test_the_practice_check_spares_the_labs_name():
    assert not OTHER_PRACTICE_WORD.search("Phòng thực hành Kỹ Năng Số; tài khoản tập dượt")
    assert OTHER_PRACTICE_WORD.search("chỉ để tập luyện")
    assert OTHER_PRACTICE_WORD.search("Bản thực hành")


def test_notebooks_are_found():
    assert len(_notebooks()) > 5
