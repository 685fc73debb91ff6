"""Extract every `_()` / `N_()` string of the package into the English catalogue.

Usage: python scripts/update_catalogue.py
Keeps existing translations, adds new source strings with an empty translation, and
drops strings the code no longer uses. tests/test_l10n.py fails when the catalogue is
out of date or a translation is missing or breaks a placeholder.
"""

from __future__ import annotations

import ast
import sys
import unicodedata
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "widgets" / "kynangso"
CATALOGUE = PACKAGE / "locale" / "en" / "LC_MESSAGES" / "kynangso.po"
KEYWORDS = {"_": None, "N_": None}


def _calls(path: Path) -> list[tuple[str, int]]:
    """Literal ``_("...")`` / ``N_("...")`` calls, also those inside f-strings.

    Babel's Python extractor does not look inside f-strings before Python 3.12, but
    the ``ast`` module does, so this walks the syntax tree instead.
    """
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                and node.func.id in KEYWORDS and len(node.args) == 1
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str) and node.args[0].value):
            found.append((node.args[0].value, node.lineno))
    return found


def extract() -> Catalog:
    """The package's source strings as a template catalogue."""
    template = Catalog(project="kynangso", locale=None, charset="utf-8")
    for path in sorted(PACKAGE.rglob("*.py")):
        where = f"kynangso/{path.relative_to(PACKAGE).as_posix()}"
        for message, lineno in _calls(path):
            template.add(unicodedata.normalize("NFC", message), locations=[(where, lineno)])
    return template


def update(path: Path = CATALOGUE) -> tuple[int, int]:
    """Merge the template into the catalogue; returns (strings, untranslated)."""
    template = extract()
    if path.exists():
        with path.open("rb") as handle:
            catalog = read_po(handle, locale="en")
    else:
        catalog = Catalog(locale="en", project="kynangso", charset="utf-8")
    before = {m.id: m.string for m in catalog if m.id}
    created = catalog.creation_date
    catalog.update(template, no_fuzzy_matching=True)
    catalog.obsolete.clear()
    catalog.fuzzy = False
    catalog.project, catalog.version = "kynangso", "0.1"
    catalog.copyright_holder = "Kỹ Năng Số"
    catalog.msgid_bugs_address = ""
    catalog.last_translator = "Kỹ Năng Số"
    catalog.language_team = "English"
    if path.exists() and before == {m.id: m.string for m in catalog if m.id}:
        catalog.creation_date = created  # nothing changed: leave the file as it was
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        write_po(handle, catalog, width=100, sort_output=True, include_lineno=False)
    missing = sum(1 for m in catalog if m.id and not m.string)
    return len([m for m in catalog if m.id]), missing


if __name__ == "__main__":
    total, missing = update()
    print(f"{CATALOGUE.relative_to(ROOT)}: {total} strings, {missing} without a translation")
    sys.exit(0)
