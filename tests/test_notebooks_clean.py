"""Notebooks are committed without outputs (scripts/clean_notebooks.py fixes them)."""

from __future__ import annotations

import json
import unicodedata

import pytest

from helpers import ROOT

NOTEBOOKS = sorted(p for folder in ("notebooks", "apps", "solutions", "exercises")
                   for p in (ROOT / folder).rglob("*.ipynb")
                   if ".ipynb_checkpoints" not in p.parts)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: str(p.relative_to(ROOT)))
def test_notebook_has_no_outputs(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    dirty = [i for i, c in enumerate(nb["cells"])
             if c["cell_type"] == "code" and (c.get("outputs") or c.get("execution_count"))]
    assert dirty == [], f"run: python scripts/clean_notebooks.py {path.relative_to(ROOT)}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: str(p.relative_to(ROOT)))
def test_notebook_text_is_nfc(path):
    text = path.read_text(encoding="utf-8")
    assert unicodedata.is_normalized("NFC", text)
