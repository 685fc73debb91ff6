"""Benchmark: the full KPI report over a million dossiers, against a plain pandas groupby.

Run ``python benchmarks/kpi.py [--rows N]``. It builds a synthetic log with
the vectorised generator, then times, best of 3 in the same run:

(a) the whole report: vectorised due dates + classification + every table
    of ``kpi_report`` (the ``due_date`` column is dropped so it is computed),
    as of the log's last day, unresolved dossiers past due counted late;
(b) a baseline: plain ``groupby(...).size()`` counts by procedure, channel
    and month over a status column computed beforehand.

It prints both, their ratio and whether (a) met the 2-second target, and
rewrites its own section of docs/benchmarks.md (between the kpi markers).
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from datetime import date

import numpy as np
import pandas as pd

from kynangso.domain.catalogue import load_catalogue
from kynangso.domain.dossierlog import synthetic_log
from kynangso.domain.kpi import kpi_report
from kynangso.domain.workcalendar import classify_many, default_calendar

from report import REPORT, markers, write_section

TARGET_SECONDS = 2.0
REPEAT = 3
DOC = REPORT
START, END = markers("kpi")


def best_of(function, repeat: int = REPEAT) -> float:
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        function()
        times.append(time.perf_counter() - began)
    return min(times)


def baseline(frame: pd.DataFrame) -> None:
    for key in ("procedure", "channel", "month"):
        frame.groupby([key, "status_kpi"], observed=True).size()


def section(rows: int, report_s: float, baseline_s: float, build_s: float) -> str:
    met = "yes" if report_s < TARGET_SECONDS else "no"
    return "\n".join([
        START,
        "## KPI report (`benchmarks/kpi.py`)",
        "",
        f"Run on {date.today().isoformat()}, {os.cpu_count()} CPU(s), Python "
        f"{platform.python_version()}, pandas {pd.__version__}, numpy {np.__version__}.",
        f"Synthetic log of {rows:,} dossiers (built in {build_s:.2f} s, vectorised). "
        f"Best of {REPEAT} runs each.",
        "",
        "| measurement | seconds |",
        "| --- | ---: |",
        f"| full report: due dates + classification + all tables | {report_s:.3f} |",
        f"| baseline: plain groupby counts of a precomputed status | {baseline_s:.3f} |",
        f"| ratio report / baseline | {report_s / baseline_s:.1f}× |",
        "",
        f"Target: full report under {TARGET_SECONDS:.0f} s. Met: **{met}**.",
        END,
    ])




def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="dossiers in the log")
    parser.add_argument("--no-write", action="store_true", help="do not update docs/benchmarks.md")
    args = parser.parse_args(argv)

    catalogue = load_catalogue()
    calendar = default_calendar()  # built once, outside the timings
    began = time.perf_counter()
    log = synthetic_log(n=args.rows, catalogue=catalogue, calendar=calendar)
    build_s = time.perf_counter() - began
    frame = log.drop(columns=["due_date"])
    grouped = log.assign(status_kpi=classify_many(log["resolved_at"], log["due_date"]))

    report_s = best_of(lambda: kpi_report(frame, calendar=calendar, catalogue=catalogue))
    baseline_s = best_of(lambda: baseline(grouped))
    report = kpi_report(frame, calendar=calendar, catalogue=catalogue)

    print(report.summary_text())
    print(f"rows: {args.rows:,}; log built in {build_s:.2f} s")
    print(f"(a) full KPI report:  {report_s:.3f} s (best of {REPEAT})")
    print(f"(b) plain groupby:    {baseline_s:.3f} s (best of {REPEAT})")
    print(f"ratio (a)/(b): {report_s / baseline_s:.1f}x; target < {TARGET_SECONDS:.0f} s: "
          f"{'met' if report_s < TARGET_SECONDS else 'NOT met'}")
    if not args.no_write:
        write_section("kpi", section(args.rows, report_s, baseline_s, build_s))
        print(f"updated {DOC}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
