"""Write docs/sources.md ("Bảng nguồn") from the data files' sources and checked dates.

Usage: python scripts/update_sources.py [--check]

Every fee, deadline, VNeID level, holiday row, bank and scam link of
widgets/kynangso/data/ with its value, public source, verified flag and the day
it was last checked (kynangso.domain.sources). The page is rewritten only when
its content changes; ``--check`` writes nothing and exits 1 when it is stale.
tests/test_sources.py fails until the page matches the data.
"""

from __future__ import annotations

import sys
from pathlib import Path

from generated import write_or_check

from kynangso.domain.sources import render_markdown

PAGE = Path(__file__).resolve().parent.parent / "docs" / "sources.md"


def main(argv: list[str], path: Path = PAGE) -> int:
    expected = render_markdown()
    return write_or_check(
        path, expected, argv,
        stale=f"{path.name} is out of date: run python scripts/update_sources.py",
        written=f"{path.name} written: {expected.count(chr(10))} lines")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
