"""Strip outputs and execution counts from notebooks, keeping nbgrader and lesson metadata.

Usage: python scripts/clean_notebooks.py [paths...]   (default: every tracked folder)
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = ("notebooks", "apps", "solutions", "exercises")


def clean(path: Path) -> bool:
    """Clean one notebook in place; True when it changed."""
    nb = nbformat.read(path, as_version=4)
    before = nbformat.writes(nb)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    after = nbformat.writes(nb)
    if after != before:
        path.write_text(after + "\n" if not after.endswith("\n") else after, encoding="utf-8")
    return after != before


def notebooks(args: list[str]) -> list[Path]:
    roots = [Path(a) for a in args] or [ROOT / f for f in FOLDERS]
    found: list[Path] = []
    for r in roots:
        found += [r] if r.suffix == ".ipynb" else sorted(r.rglob("*.ipynb"))
    return [p for p in found if ".ipynb_checkpoints" not in p.parts]


if __name__ == "__main__":
    changed = [p for p in notebooks(sys.argv[1:]) if clean(p)]
    for p in changed:
        print(f"cleaned {p}")
