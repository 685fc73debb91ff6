"""Every sourced fact of the data files, for the generated page docs/sources.md ("Bảng nguồn").

Fees, deadlines, VNeID levels, holiday rows, banks and scam links change often (2025–2026
brought new decrees, circulars and the province merger). Each data file keeps, next to a
value, its public source, a ``verified`` flag and the day it was last ``checked``; this module
collects them as :class:`Fact` rows so a trainer sees at a glance what to re-check.
``python scripts/update_sources.py`` writes the page; a test fails when it is stale.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from .catalogue import load_catalogue


@dataclass(frozen=True)
class Fact:
    """One value shown by the lab, where it comes from and when that was last looked at."""

    file: str
    item: str
    value: str
    source: str
    verified: bool
    checked: date


def _procedures() -> Iterator[Fact]:
    file = "procedures.yaml"
    for proc in load_catalogue():
        assert proc.checked and proc.fee.checked and proc.time.checked
        yield Fact(file, f"{proc.name}: kênh nộp, giấy tờ",
                   ", ".join(proc.channels) + f"; {len(proc.documents)} giấy tờ",
                   proc.source, proc.verified, proc.checked)
        yield Fact(file, f"{proc.name}: lệ phí", proc.fee.describe(), proc.fee.source,
                   proc.fee.verified, proc.fee.checked)
        yield Fact(file, f"{proc.name}: thời hạn", proc.time.describe(), proc.time.source,
                   proc.time.verified, proc.time.checked)
        if proc.vneid_basis is not None:
            basis = proc.vneid_basis
            yield Fact(file, f"{proc.name}: mức tài khoản VNeID", f"mức {proc.vneid_level}",
                       basis.source, basis.verified, basis.checked)
        if proc.authority:
            yield Fact(file, f"{proc.name}: cơ quan giải quyết", proc.authority,
                       proc.authority_source, True, proc.checked)


def _locality() -> Iterator[Fact]:
    from .locality import load_locality

    locality = load_locality()
    values = {"ward": locality.ward_title, "province": locality.province,
              "centre": locality.centre}
    checked = dict(locality.checked)
    for key, source in locality.sources:
        yield Fact("locality.yaml", key, values[key], source, True, checked[key])


def _vneid() -> Iterator[Fact]:
    from .vneid import load_rules

    rules = load_rules()
    for key, item in rules.limits.items():
        assert item.checked
        yield Fact("vneid.yaml", f"limits.{key}", str(item.value), item.source, item.verified,
                   item.checked)
    for key, item in rules.texts.items():
        assert item.checked
        yield Fact("vneid.yaml", f"texts.{key}", item.value, item.source, item.verified,
                   item.checked)
    for warning in rules.scam_warnings:
        assert warning.checked
        yield Fact("vneid.yaml", f"scam_warnings: {warning.title}", warning.text,
                   warning.source, warning.verified, warning.checked)


def _provinces() -> Iterator[Fact]:
    from .datafiles import load_yaml
    from .identity import PROVINCES_FILE, province_mergers, provinces

    merger = load_yaml(PROVINCES_FILE)["merger"]
    names = provinces()
    for code, now in province_mergers().items():
        yield Fact("provinces.yaml", f"mã {code}", f"{names[code]} → {now}", merger["source"],
                   merger["verified"], merger["checked"])


def _holidays() -> Iterator[Fact]:
    from .workcalendar import holiday_rows, load_swaps

    for swap in load_swaps():
        assert swap.checked
        days = ", ".join(f"{label} {day:%d/%m/%Y}" for label, day in (
            ("nghỉ", swap.day_off), ("làm bù", swap.working_day)) if day is not None)
        yield Fact("day_swaps.yaml", swap.name, days, swap.source, swap.verified, swap.checked)
    for row in holiday_rows():
        value = row.name if row.kind == "holiday" else "ngày làm việc bù (thứ Bảy/Chủ nhật)"
        yield Fact("holidays_vn.csv", f"{row.day:%d/%m/%Y}", value, row.source, row.verified,
                   row.checked)


def _banks() -> Iterator[Fact]:
    from .banks import load_banks

    for bank in load_banks():
        yield Fact("banks.yaml", f"{bank.bin} {bank.short_name}", bank.name, bank.source,
                   bank.verified, bank.checked)


def _scams() -> Iterator[Fact]:
    from .scams import load_scams

    for label, source in load_scams().sources():
        named = ", ".join(sorted(source.names)) or "—"
        yield Fact("scams.yaml", label, named, source.text, source.verified, source.checked)


# File order on the page: what trainees meet most first.
def _forms() -> Iterator[Fact]:
    from .slips import FORMS_FILE, slip_template

    for form in slip_template().forms:
        yield Fact(FORMS_FILE, f"apology_slip: {form.number}", f"{form.title} ({form.circular})",
                   form.source, form.verified, form.checked)


def _birth() -> Iterator[Fact]:
    from .birth import BIRTH

    yield Fact("domain/birth.py", "khai sinh: hạn đăng ký", f"{BIRTH.days} ngày kể từ ngày sinh",
               BIRTH.source, BIRTH.verified, BIRTH.checked)
    yield Fact("domain/birth.py", "khai sinh: cách đếm hạn", "không tính ngày sinh; ngày cuối "
               "là ngày nghỉ thì lùi sang ngày làm việc tiếp theo", BIRTH.counting_source,
               BIRTH.counting_verified, BIRTH.checked)


COLLECTORS: tuple[Callable[[], Iterable[Fact]], ...] = (
    _procedures, _locality, _vneid, _banks, _scams, _holidays, _provinces, _forms, _birth)


def all_facts() -> tuple[Fact, ...]:
    """Every sourced fact of the shipped data files, file by file."""
    return tuple(fact for collect in COLLECTORS for fact in collect())


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def render_markdown(facts: Iterable[Fact] | None = None) -> str:
    """The page docs/sources.md: a summary of what to re-check, then one table per file."""
    facts = tuple(all_facts() if facts is None else facts)
    files: dict[str, list[Fact]] = {}
    for fact in facts:
        files.setdefault(fact.file, []).append(fact)
    lines = [
        "# Bảng nguồn",
        "",
        "Trang này được sinh từ các tệp dữ liệu trong `widgets/kynangso/data/` bằng lệnh",
        "`python scripts/update_sources.py`; đừng sửa tay. Mỗi dòng là một giá trị phòng thực hành",
        "hiển thị, nguồn công khai của nó, đã kiểm chứng hay chưa, và ngày dự án đối chiếu lần",
        "cuối. Giá trị “chưa kiểm chứng” được ghi rõ như vậy trên màn hình.",
        "",
        "| tệp | số mục | chưa kiểm chứng | kiểm tra cũ nhất |",
        "| --- | ---: | ---: | --- |",
    ]
    for file, rows in files.items():
        unverified = sum(not f.verified for f in rows)
        oldest = min(f.checked for f in rows)
        lines.append(f"| {file} | {len(rows)} | {unverified} | {oldest.isoformat()} |")
    for file, rows in files.items():
        lines += ["", f"## {file}", "",
                  "| mục | giá trị | nguồn | đã kiểm chứng | ngày kiểm tra |",
                  "| --- | --- | --- | --- | --- |"]
        for f in rows:
            mark = "có" if f.verified else "**chưa**"
            lines.append(f"| {_cell(f.item)} | {_cell(f.value)} | {_cell(f.source)} | {mark} | "
                         f"{f.checked.isoformat()} |")
    return "\n".join(lines) + "\n"
