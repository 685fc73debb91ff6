"""Write a generated file only when its content changes, or check that it is current."""

from __future__ import annotations

import sys
from pathlib import Path


def write_or_check(path: Path, expected: str, argv: list[str], *, stale: str,
                   written: str) -> int:
    """``--check`` in ``argv``: exit code 1 and ``stale`` on stderr when ``path`` differs.

    Otherwise rewrite ``path`` when it differs and print ``written``; 0 either way.
    """
    current = path.read_text(encoding="utf-8") if path.exists() else None
    if "--check" in argv:
        if current != expected:
            print(stale, file=sys.stderr)
            return 1
        print(f"{path.name} is up to date")
        return 0
    if current == expected:
        print(f"{path.name} unchanged")
        return 0
    path.write_text(expected, encoding="utf-8", newline="\n")
    print(written)
    return 0
