"""Sources a ward can check: a generated page lists every sourced fact; nothing cites a
private file or a path of the machine the project was written on."""

from __future__ import annotations

import re
import subprocess
from datetime import date
from pathlib import Path

import pytest

from kynangso.domain.sources import Fact, all_facts, render_markdown

ROOT = Path(__file__).resolve().parent.parent
# Built from parts so this file does not match itself.
PRIVATE_SHEET = "FACTS" + ".md"
MACHINE_PATH = re.compile(r"(?<![\w.~-])/(?:" + "|".join(["wo" + "rk", "tm" + "p", "ro" + "ot",
                                                          "ho" + "me"]) + r")/")
TEXT_SUFFIXES = {".py", ".yaml", ".yml", ".md", ".ipynb", ".csv", ".j2", ".js", ".json", ".toml",
                 ".txt", ".po", ".cfg", ".html", ".css"}


def _tracked_text_files() -> list[Path]:
    names = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard"],
                           cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    files = [ROOT / n for n in names if Path(n).suffix in TEXT_SUFFIXES or n == "Makefile"]
    return [f for f in files if f.is_file() and "package-lock" not in f.name]


def test_sources_page_is_up_to_date():
    page = ROOT / "docs" / "sources.md"
    assert page.read_text(encoding="utf-8") == render_markdown(), (
        "docs/sources.md is stale: run python scripts/update_sources.py")


def test_update_script_check_mode_agrees(tmp_path):
    stale = tmp_path / "sources.md"
    stale.write_text("# cũ\n", encoding="utf-8")
    import update_sources  # scripts/ is on pytest's pythonpath
    assert update_sources.main(["--check"], path=stale) == 1
    assert update_sources.main([], path=stale) == 0
    assert update_sources.main(["--check"], path=stale) == 0


def test_every_fact_has_a_source_and_a_checked_day_not_in_the_future():
    facts = all_facts()
    assert len(facts) > 50
    for fact in facts:
        assert fact.source.strip(), fact
        assert isinstance(fact.checked, date) and fact.checked <= date.today(), fact
        assert PRIVATE_SHEET not in fact.source and not MACHINE_PATH.search(fact.source), fact


@pytest.mark.parametrize("file", ["procedures.yaml", "locality.yaml", "vneid.yaml",
                                  "banks.yaml", "scams.yaml", "day_swaps.yaml",
                                  "holidays_vn.csv", "provinces.yaml"])
def test_page_has_a_table_per_data_file(file):
    assert f"## {file}" in render_markdown()


def test_page_lists_fees_deadlines_levels_holidays_banks_and_scam_links():
    page = render_markdown()
    for text in ("Cấp Phiếu lý lịch tư pháp: lệ phí", "Đăng ký tạm trú: thời hạn",
                 "Thông báo lưu trú: mức tài khoản VNeID", "546034 CAKE", "971005",
                 "dichvucongs.top", "24/11/2026", "Ngày Văn hóa Việt Nam"):
        assert text in page, text


def test_page_marks_unverified_facts_and_escapes_table_cells():
    page = render_markdown([Fact("x.yaml", "a | b", "1", "Luật X", False, date(2026, 1, 2))])
    assert "| a \\| b | 1 | Luật X | **chưa** | 2026-01-02 |" in page
    assert "| x.yaml | 1 | 1 | 2026-01-02 |" in page


def test_nothing_in_the_repository_cites_the_private_sheet_or_a_machine_path():
    offenders = []
    for path in _tracked_text_files():
        text = path.read_text(encoding="utf-8", errors="replace")
        for number, line in enumerate(text.splitlines(), start=1):
            if PRIVATE_SHEET in line or MACHINE_PATH.search(line):
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()[:100]}")
    assert not offenders, "\n".join(offenders)


@pytest.mark.parametrize("line", ["see /wo" + "rk/shared/x", "cd /ro" + "ot/app",
                                  '"/tm' + 'p/a.txt"'])
def test_machine_path_pattern_catches_absolute_paths(line):
    assert MACHINE_PATH.search(line)


# Joined at run time so a plain grep of the repository for machine paths finds none here.
@pytest.mark.parametrize("line", ["https://example.invalid/" + "work/a", "node_modules/.tmp/x",
                                  "~/" + "work/x", "docs/" + "work/x"])
def test_machine_path_pattern_spares_urls_and_relative_paths(line):
    assert not MACHINE_PATH.search(line)
