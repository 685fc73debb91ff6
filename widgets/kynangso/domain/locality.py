"""Locality settings: the ward, its centre, counters, opening hours and residential groups.

One file a ward edits, ``data/locality.yaml``. Facts from the article about
phường Trúc Lâm carry a source; the rest is flagged as the project's
assumption (province, counters, opening hours) or as synthetic (most
residential group names), so nobody mistakes practice data for the ward's own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from ..errors import MissingEntry
from ..i18n import _, in_language
from .datafiles import checked_field, flag_field, invalid, load_yaml, require, wording
from .datafiles import text_field as _text

DEFAULT_FILE = "locality.yaml"


@dataclass(frozen=True)
class Counter:
    number: int
    name: str  # Vietnamese; ``shown_name`` for the kiosk and the hall display
    fields: tuple[str, ...]  # Vietnamese field names: keys, as in procedures.yaml
    name_en: str = ""

    @property
    def shown_name(self) -> str:
        return in_language(self.name, self.name_en)


@dataclass(frozen=True)
class Session:
    start: time
    end: time


@dataclass(frozen=True)
class OpeningHours:
    """Sessions of a working day; the centre opens on working days only."""

    sessions: tuple[Session, ...]
    assumption: bool
    source: str

    @property
    def opens(self) -> time:
        return self.sessions[0].start

    @property
    def closes(self) -> time:
        return self.sessions[-1].end

    def is_open_at(self, moment: time) -> bool:
        """True during a session (start included, end excluded)."""
        return any(s.start <= moment < s.end for s in self.sessions)

    def describe(self) -> str:
        spans = ", ".join(f"{s.start:%H:%M}–{s.end:%H:%M}" for s in self.sessions)
        return _("{spans}, các ngày làm việc (thứ Hai – thứ Sáu, trừ ngày nghỉ lễ)").format(
            spans=spans)


@dataclass(frozen=True)
class ResidentialGroup:
    """A tổ dân phố; ``synthetic`` names were made up for practice."""

    name: str
    synthetic: bool
    source: str


@dataclass(frozen=True)
class Locality:
    ward: str
    ward_kind: str
    province: str
    province_assumed: bool
    centre: str
    unit_code: str
    counters: tuple[Counter, ...]
    counters_assumed: bool
    hours: OpeningHours
    residential_groups: tuple[ResidentialGroup, ...]
    sources: tuple[tuple[str, str], ...] = ()
    # Day each of ``sources`` was last compared with it, same keys.
    checked: tuple[tuple[str, date], ...] = ()
    unit_code_synthetic: bool = False
    # Count days off the project has not verified (see locality.yaml, calendar).
    unverified_days_off: bool = True

    @property
    def ward_title(self) -> str:
        """"phường Trúc Lâm"."""
        return f"{self.ward_kind} {self.ward}"

    def counter_for(self, field: str) -> Counter:
        """The counter that serves a field (lĩnh vực)."""
        for counter in self.counters:
            if field in counter.fields:
                return counter
        raise MissingEntry(_("Không có quầy nào phục vụ lĩnh vực {field!r}").format(field=field),
                           field="field", value=field)

    def dossier_code(self, day: date | datetime, sequence: int) -> str:
        """Dossier code UNIT-YYMMDD-NNNN; UNIT is the agency's dotted identifier."""
        return f"{self.unit_code}-{day:%y%m%d}-{sequence:04d}"


def load_locality(path: str | Path | None = None) -> Locality:
    """Read and check ``data/locality.yaml`` (or ``path``)."""
    target = path if path is not None else DEFAULT_FILE
    file = str(target)
    data = load_yaml(target)
    top = "(tệp)"
    if not isinstance(data, dict):
        raise invalid(file, top, "ward", type(data).__name__, _("tệp phải là một bảng"))

    ward = require(data, "ward", file=file, entry=top, kind=dict)
    province = require(data, "province", file=file, entry=top, kind=dict)
    centre = require(data, "centre", file=file, entry=top, kind=dict)
    unit_code = require(data, "unit_code", file=file, entry=top, kind=str)
    # Agency identifiers are dotted levels (000.00.00.H56); older files used one word.
    if not re.fullmatch(r"[A-Z0-9]{1,10}(\.[A-Z0-9]{1,10}){0,5}", unit_code) or len(unit_code) > 30:
        raise invalid(file, top, "unit_code", unit_code,
                      _("cần mã định danh cơ quan: chữ in hoa không dấu và số, các cấp cách "
                        "nhau bằng dấu chấm, ví dụ 000.00.00.H56"))
    calendar = data.get("calendar") or {}
    if not isinstance(calendar, dict):
        raise invalid(file, top, "calendar", calendar, _("cần một bảng"))
    return Locality(
        ward=_text(ward, "name", file, "ward"),
        ward_kind=_text(ward, "kind", file, "ward"),
        province=_text(province, "name", file, "province"),
        province_assumed=require(province, "assumption", file=file, entry="province", kind=bool),
        centre=_text(centre, "name", file, "centre"),
        unit_code=unit_code,
        counters=_counters(require(data, "counters", file=file, entry=top, kind=dict), file),
        counters_assumed=require(data["counters"], "assumption", file=file, entry="counters",
                                 kind=bool),
        hours=_hours(require(data, "opening_hours", file=file, entry=top, kind=dict), file),
        residential_groups=_groups(require(data, "residential_groups", file=file, entry=top,
                                           kind=list), file),
        sources=tuple((key, data[key]["source"]) for key in ("ward", "province", "centre")
                      if isinstance(data[key].get("source"), str)),
        checked=tuple((key, checked_field(data[key], "checked", file, key))
                      for key in ("ward", "province", "centre")
                      if isinstance(data[key].get("source"), str)),
        unit_code_synthetic=flag_field(data, "unit_code_synthetic", file, top, default=False),
        unverified_days_off=flag_field(calendar, "unverified_days_off", file, "calendar",
                                       default=True),
    )





def _counters(raw: dict, file: str) -> tuple[Counter, ...]:
    counters = []
    for item in require(raw, "items", file=file, entry="counters", kind=list):
        number = require(item, "number", file=file, entry="counters", kind=int)
        entry = _("quầy {n}").format(n=number)
        if isinstance(number, bool) or number < 1:
            raise invalid(file, "counters", "number", number, _("số quầy từ 1 trở lên"))
        fields = require(item, "fields", file=file, entry=entry, kind=list)
        if not all(isinstance(f, str) and f.strip() for f in fields):
            raise invalid(file, entry, "fields", fields, _("cần danh sách tên lĩnh vực"))
        name, name_en = wording(item.get("name"), file=file, entry=entry, field="name")
        counters.append(Counter(number, name, tuple(fields), name_en))
    numbers = [c.number for c in counters]
    if not counters or len(set(numbers)) != len(numbers):
        raise invalid(file, "counters", "number", numbers, _("cần ít nhất một quầy, số không trùng"))
    return tuple(counters)


def _clock(value: Any, file: str, field: str) -> time:
    match = re.fullmatch(r"([01]\d|2[0-3]):([0-5]\d)", str(value))
    if not match:
        raise invalid(file, "opening_hours", field, value, _("cần giờ dạng HH:MM, ví dụ 07:30"))
    return time(int(match[1]), int(match[2]))


def _hours(raw: dict, file: str) -> OpeningHours:
    sessions: list[Session] = []
    for item in require(raw, "sessions", file=file, entry="opening_hours", kind=list):
        start = _clock(require(item, "start", file=file, entry="opening_hours"), file, "start")
        end = _clock(require(item, "end", file=file, entry="opening_hours"), file, "end")
        if end <= start:
            raise invalid(file, "opening_hours", "end", f"{end:%H:%M}",
                          _("giờ kết thúc phải sau giờ bắt đầu {start:%H:%M}").format(start=start))
        if sessions and start < sessions[-1].end:
            raise invalid(file, "opening_hours", "start", f"{start:%H:%M}",
                          _("các buổi phải theo thứ tự và không chồng nhau"))
        sessions.append(Session(start, end))
    if not sessions:
        raise invalid(file, "opening_hours", "sessions", [], _("cần ít nhất một buổi làm việc"))
    return OpeningHours(
        sessions=tuple(sessions),
        assumption=require(raw, "assumption", file=file, entry="opening_hours", kind=bool),
        source=_text(raw, "source", file, "opening_hours"))


def _groups(raw: list, file: str) -> tuple[ResidentialGroup, ...]:
    groups = []
    for index, item in enumerate(raw, start=1):
        entry = _("tổ dân phố #{n}").format(n=index)
        groups.append(ResidentialGroup(
            name=_text(item, "name", file, entry),
            synthetic=require(item, "synthetic", file=file, entry=entry, kind=bool),
            source=_text(item, "source", file, entry)))
    names = [g.name for g in groups]
    if not groups or len(set(names)) != len(names):
        raise invalid(file, "residential_groups", "name", names,
                      _("cần ít nhất một tổ dân phố, tên không trùng"))
    return tuple(groups)
