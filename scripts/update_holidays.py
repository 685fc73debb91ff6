"""Write widgets/kynangso/data/holidays_vn.csv from the installed ``holidays`` package.

Usage: python scripts/update_holidays.py [--check]

Simulator kernels read this table instead of importing ``holidays`` (which loads
every country). Format, UTF-8 (NFC) with ``\\n`` line ends:

    # holidays 0.108, years 2015-2035
    date,kind,name
    2015-01-01,holiday,Tết Dương lịch
    2015-02-14,weekend_workday,

The first line names the package version and the years covered (inclusive);
the reader (``kynangso.domain.workcalendar.load_holiday_table``) requires it
and parses the rest with the ``csv`` module. One row per date and kind, sorted:
``holiday`` rows carry the Vietnamese name from ``holidays.VN(years,
language="vi")``, ``weekend_workday`` rows (its ``weekend_workdays`` inside
those years) have no name. The file is rewritten only when its content changes;
``--check`` writes nothing and exits 1 when the file is out of date.
tests/domain/test_holidays_table.py fails until the table matches the package.
"""

from __future__ import annotations

import csv
import io
import sys
import unicodedata
from pathlib import Path

import holidays

from kynangso.domain.datafiles import DATA_DIR
from kynangso.domain.workcalendar import DEFAULT_YEARS, HOLIDAYS_FILE, TABLE_COLUMNS

TABLE = DATA_DIR / HOLIDAYS_FILE


def render(years: range = DEFAULT_YEARS) -> str:
    """The table's text for ``years`` from the installed package."""
    public = holidays.VN(years=years, language="vi")
    rows = [(d.isoformat(), "holiday", unicodedata.normalize("NFC", name))
            for d, name in public.items()]
    rows += [(d.isoformat(), "weekend_workday", "") for d in public.weekend_workdays
             if d.year in years]
    out = io.StringIO()
    out.write(f"# holidays {holidays.__version__}, years {years[0]}-{years[-1]}\n")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(TABLE_COLUMNS)
    writer.writerows(sorted(rows))
    return out.getvalue()


def main(argv: list[str], path: Path = TABLE) -> int:
    expected = render()
    current = path.read_text(encoding="utf-8") if path.exists() else None
    if "--check" in argv:
        if current != expected:
            print(f"{path} is out of date with holidays {holidays.__version__}: "
                  "run python scripts/update_holidays.py", file=sys.stderr)
            return 1
        print(f"{path.name} is up to date (holidays {holidays.__version__})")
        return 0
    if current == expected:
        print(f"{path.name} unchanged")
        return 0
    path.write_text(expected, encoding="utf-8", newline="\n")
    print(f"{path.name} written: {expected.count(chr(10)) - 2} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
