"""Layers import only downwards: domain (pure) -> sandbox -> ui and grading."""

from __future__ import annotations

import ast
import subprocess
import sys

from helpers import ROOT

PACKAGE = ROOT / "widgets" / "kynangso"
FORBIDDEN_IN_DOMAIN = ("ipywidgets", "IPython", "voila", "nbgrader", "jupyter",
                       "kynangso.sandbox", "kynangso.ui", "kynangso.grading")
FORBIDDEN_IN_SANDBOX = ("ipywidgets", "IPython", "voila", "kynangso.ui", "kynangso.grading")
# Hidden tests call grading helpers at autograde: they read the store, never a screen.
FORBIDDEN_IN_GRADING = ("ipywidgets", "voila", "kynangso.ui")


def _imports(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against the package path
                parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
                base = ".".join(parts[: len(parts) - node.level])
                yield f"{base}.{node.module}" if node.module else base
            else:
                yield node.module or ""


def _violations(layer, forbidden):
    bad = []
    root = PACKAGE / layer
    paths = sorted(root.rglob("*.py")) if root.is_dir() else [root.with_suffix(".py")]
    for path in paths:
        for name in _imports(path):
            if any(name == f or name.startswith(f + ".") for f in forbidden):
                bad.append(f"{path.relative_to(ROOT)} imports {name}")
    return bad


def test_domain_imports_no_jupyter_and_no_upper_layer():
    assert _violations("domain", FORBIDDEN_IN_DOMAIN) == []


def test_sandbox_imports_no_ui():
    assert _violations("sandbox", FORBIDDEN_IN_SANDBOX) == []


def test_grading_imports_no_ui():
    assert _violations("grading", FORBIDDEN_IN_GRADING) == []


def test_the_back_office_reads_portal_rules_from_the_domain_not_the_portal_screen():
    assert _violations("ui/backoffice", ("kynangso.ui.portal",)) == []


def test_a_violation_is_reported():
    # The checks above pass vacuously if imports stop being found: one must be.
    assert _violations("ui/trader", ("kynangso.ui.wallet",)) == [
        "widgets/kynangso/ui/trader.py imports kynangso.ui.wallet"]


def test_importing_the_engine_loads_no_widgets():
    code = (
        "import sys, pkgutil, importlib, kynangso.domain, kynangso.sandbox\n"
        "for pkg in (kynangso.domain, kynangso.sandbox):\n"
        "    for m in pkgutil.iter_modules(pkg.__path__):\n"
        "        importlib.import_module(pkg.__name__ + '.' + m.name)\n"
        "print(sorted(n for n in sys.modules if n.split('.')[0] in "
        "('ipywidgets', 'IPython', 'voila', 'nbgrader')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]"
