"""Every translatable string of the package is a literal the extractor can see.

``scripts/update_catalogue.py`` collects the string literal inside each ``_()`` and ``N_()``;
a call on a variable or an f-string would never reach the catalogue and would stay
Vietnamese after a switch to English. A value marked with ``N_()`` where it is defined is
translated with ``translate()`` where it is shown (kynangso.i18n).
"""

from __future__ import annotations

import ast

from helpers import ROOT

PACKAGE = ROOT / "widgets" / "kynangso"
MARKERS = ("_", "N_")


def _calls(name: str):
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id == name):
                yield f"{path.relative_to(ROOT)}:{node.lineno}", node


def _is_literal(node: ast.Call) -> bool:
    return (len(node.args) == 1 and not node.keywords
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str) and node.args[0].value.strip() != "")


def test_gettext_is_called_on_string_literals_only():
    bad = [f"{where}: {ast.unparse(node)}" for name in MARKERS
           for where, node in _calls(name) if not _is_literal(node)]
    assert bad == [], "use a literal, or N_() where it is defined and translate() where shown"


def test_translate_is_for_marked_values_not_literals():
    # A literal in translate() is invisible to the extractor: write _("...") instead.
    bad = [f"{where}: {ast.unparse(node)}" for where, node in _calls("translate")
           if node.args and isinstance(node.args[0], (ast.Constant, ast.JoinedStr))]
    assert bad == []


def test_the_check_sees_what_it_should():
    tree = ast.parse('_("Lưu")\n_(label)\nN_(f"{x}")\n_("")\n')
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call)]
    assert [_is_literal(c) for c in calls] == [True, False, False, False]
