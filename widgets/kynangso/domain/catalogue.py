"""Procedure catalogue: what each procedure needs, costs and takes.

The data lives in ``data/procedures.yaml`` (a ward edits it); this module
reads it, checks every field and answers questions about it. Every fee and
processing time carries its source and a ``verified`` flag: an unverified
figure is shown as "chưa kiểm chứng", and a missing one is never guessed.

Fee rule kinds (``FeeRule.kind``):

- ``free``: no fee.
- ``fixed``: ``amount`` per dossier; optional ``online_amount`` when filed
  online, ``reduced_amount`` for ``reduced_groups``, and ``extra_copy_amount``
  for each copy from ``extra_copy_from`` on.
- ``per_page``: ``tiers`` of (from page, amount per page), capped per copy.
- ``free_when``: free when ``condition`` holds (``on_time``); otherwise set by
  the province, i.e. unverified.
- ``unverified``: no trustworthy figure yet.

Any kind may list ``exempt_groups`` who pay nothing (Luật Hộ tịch 2014, Điều 11
khoản 1 điểm a waives every civil-status fee for some groups).

Every rule and procedure keeps its ``source``, ``verified`` flag and
``checked`` day, so docs/sources.md can list what a trainer should re-check.

Time rule kinds are described in :class:`TimeRule`.

Texts a trainee reads (procedure, document, field and group names, notes, the fee's
``otherwise``) are written ``{vi: ..., en: ...}`` in the file. The Vietnamese stays in
``name``, ``field``... because other code and the sandbox use it as a key (a counter's
fields, a stored dossier's KPI row); ``shown_*`` and ``*_label`` give the current language.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, time
from numbers import Integral
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from unidecode import unidecode

from ..errors import InvalidInput, MissingEntry
from ..i18n import _, in_language, nfc
from .datafiles import checked_field, invalid, load_yaml, require, wording
from .datafiles import flag_field as _flag
from .datafiles import text_field as _text
from .money import format_vnd

if TYPE_CHECKING:
    from .forms import FormField

DEFAULT_FILE = "procedures.yaml"

CHANNELS = ("vneid", "cong-dvc", "truc-tiep")
ONLINE_CHANNELS = frozenset({"vneid", "cong-dvc"})
SERVICE_LEVELS = ("toan-trinh", "mot-phan")
DELIVERY = ("truc-tiep", "buu-chinh", "truc-tuyen")
FEE_KINDS = ("free", "fixed", "per_page", "free_when", "unverified")
TIME_KINDS = ("working_days", "calendar_days", "same_day", "unverified")
CONDITIONS = ("on_time",)
UNVERIFIED = "chưa kiểm chứng"


def unverified_label() -> str:
    """"chưa kiểm chứng" in the current language: shown instead of an unchecked figure."""
    return _("chưa kiểm chứng")


def channel_name(code: str) -> str:
    """Vietnamese name of a submission channel."""
    names = {"vneid": _("VNeID"), "cong-dvc": _("Cổng Dịch vụ công quốc gia"),
             "truc-tiep": _("Trực tiếp tại Trung tâm")}
    return names.get(code, code)


def delivery_name(code: str) -> str:
    """Vietnamese name of a way to receive the result."""
    names = {"truc-tiep": _("Nhận trực tiếp"), "buu-chinh": _("Qua bưu chính"),
             "truc-tuyen": _("Bản điện tử trực tuyến")}
    return names.get(code, code)



def fold(text: str) -> str:
    """Lower-case, diacritic-free form used for search ("Đăng ký" -> "dang ky")."""
    return unidecode(nfc(text)).lower()


@dataclass(frozen=True)
class Basis:
    """Where one fact comes from, whether the project read it there, and when."""

    source: str
    verified: bool
    checked: date


@dataclass(frozen=True)
class Document:
    code: str
    name: str  # Vietnamese, as in the file; ``shown_name`` for a screen
    required: bool
    name_en: str = ""

    @property
    def shown_name(self) -> str:
        return in_language(self.name, self.name_en)


@dataclass(frozen=True)
class PageTier:
    """From page ``from_page`` on, each page costs ``amount``."""

    from_page: int
    amount: int


@dataclass(frozen=True)
class FeeQuote:
    """A fee for one request. ``amount`` is None when no figure is known."""

    amount: int | None
    verified: bool
    explanation: str


@dataclass(frozen=True)
class FeeRule:
    kind: str
    amount: int | None = None
    online_amount: int | None = None
    reduced_amount: int | None = None
    reduced_groups: tuple[str, ...] = ()
    extra_copy_from: int | None = None
    extra_copy_amount: int | None = None
    tiers: tuple[PageTier, ...] = ()
    cap_per_copy: int | None = None
    condition: str | None = None
    otherwise: str = ""  # Vietnamese; ``otherwise_en`` its English
    exempt_groups: tuple[str, ...] = ()
    source: str = ""
    verified: bool = False
    note: str = ""
    checked: date | None = None
    otherwise_en: str = ""

    @property
    def shown_otherwise(self) -> str:
        return in_language(self.otherwise, self.otherwise_en)

    def describe(self) -> str:
        """One line for a screen or a handout, in the current language."""
        text = {
            "free": lambda: _("Miễn phí"),
            "fixed": self._describe_fixed,
            "per_page": self._describe_per_page,
            "free_when": lambda: _("Miễn phí khi đăng ký đúng hạn; quá hạn: {rule}").format(
                rule=self.shown_otherwise or _("do tỉnh quy định"))
            + f" ({unverified_label()})",
            "unverified": lambda: _("Lệ phí: {state}").format(state=unverified_label()),
        }[self.kind]()
        if not self.verified and self.kind != "unverified" and unverified_label() not in text:
            text += f" ({unverified_label()})"
        return text

    def _describe_fixed(self) -> str:
        assert self.amount is not None
        text = format_vnd(self.amount)
        if self.online_amount is not None:
            text += _("; nộp trực tuyến {amount}").format(amount=format_vnd(self.online_amount))
        if self.reduced_amount is not None:
            text += _("; nhóm được giảm {amount}").format(amount=format_vnd(self.reduced_amount))
        if self.extra_copy_amount is not None:
            text += _("; từ bản thứ {n} thêm {amount}/bản").format(
                n=self.extra_copy_from, amount=format_vnd(self.extra_copy_amount))
        return text

    def _describe_per_page(self) -> str:
        parts = [_("từ trang {page}: {amount}/trang").format(
            page=tier.from_page, amount=format_vnd(tier.amount)) for tier in self.tiers]
        text = "; ".join(parts)
        if self.cap_per_copy is not None:
            text += _("; tối đa {amount}/bản").format(amount=format_vnd(self.cap_per_copy))
        return text


@dataclass(frozen=True)
class TimeRule:
    """How long a procedure takes, counted from the day the dossier counts as received.

    ``working_days``: ``days`` working days after receipt. ``calendar_days``:
    ``days`` days after receipt, moved to the next working day when it ends on
    a day off (``note`` says why, with its source). ``same_day``: the day of
    receipt; if ``cutoff`` is set and the dossier arrives after it, the next
    working day. ``unverified``: no trustworthy figure; no due date.
    """

    kind: str
    days: int | None = None
    cutoff: time | None = None
    source: str = ""
    verified: bool = False
    note: str = ""
    checked: date | None = None

    def describe(self) -> str:
        """One Vietnamese line for a screen or a handout."""
        if self.kind == "working_days":
            text = _("{days} ngày làm việc").format(days=self.days)
        elif self.kind == "calendar_days":
            text = _("{days} ngày (rơi vào ngày nghỉ thì lùi sang ngày làm việc kế tiếp)").format(
                days=self.days)
        elif self.kind == "same_day":
            text = _("Trong ngày")
            if self.cutoff is not None:
                text += _("; nhận sau {cutoff} thì trả trong ngày làm việc tiếp theo").format(
                    cutoff=self.cutoff.strftime("%H:%M"))
        else:
            return _("Thời hạn: {state}").format(state=unverified_label())
        if not self.verified:
            text += f" ({unverified_label()})"
        return text


@dataclass(frozen=True)
class Procedure:
    code: str
    name: str  # Vietnamese, as in the file; ``shown_name`` for a screen
    field: str  # the Vietnamese field name: a key (locality counters, KPI rows)
    service_level: str
    channels: tuple[str, ...]
    vneid_level: int
    documents: tuple[Document, ...]
    fee: FeeRule
    time: TimeRule
    delivery: tuple[str, ...]
    online: bool
    notes: str = ""
    keywords: tuple[str, ...] = ()
    source: str = ""
    verified: bool = False
    checked: date | None = None
    # Sourced VNeID level, where a source says which level the online procedure needs.
    vneid_basis: Basis | None = None
    # Who decides when it is not the ward centre (e.g. provincial police), with its source.
    authority: str = ""
    authority_source: str = ""
    # Names of every reduced-fee group in the catalogue, to check ``group=``.
    # dataclasses.field by its full name: this class has a ``field`` (lĩnh vực) of its own.
    groups: Mapping[str, str] = dataclasses.field(default_factory=dict, compare=False,
                                                  hash=False, repr=False)
    # The procedure's own boxes of the portal form (domain/forms.py adds the rest).
    form: tuple[FormField, ...] = ()
    # English of name, notes and field; of each group name (by code) in ``groups_en``.
    name_en: str = ""
    notes_en: str = ""
    field_en: str = ""
    groups_en: Mapping[str, str] = dataclasses.field(default_factory=dict, compare=False,
                                                     hash=False, repr=False)

    @property
    def shown_name(self) -> str:
        return in_language(self.name, self.name_en)

    @property
    def shown_notes(self) -> str:
        return in_language(self.notes, self.notes_en)

    @property
    def shown_field(self) -> str:
        return in_language(self.field, self.field_en)

    def group_label(self, code: str) -> str:
        """The name of reduced-fee group ``code`` in the current language."""
        return in_language(self.groups.get(code, code), self.groups_en.get(code, ""))

    @property
    def required_documents(self) -> tuple[Document, ...]:
        return tuple(d for d in self.documents if d.required)

    @property
    def optional_documents(self) -> tuple[Document, ...]:
        return tuple(d for d in self.documents if not d.required)

    def quote_fee(self, *, channel: str = "truc-tiep", pages: int = 1, copies: int = 1,
                  group: str | None = None, on_time: bool = True) -> FeeQuote:
        """Fee for one request, with a Vietnamese explanation of the sum."""
        self._check_quote_input(channel, pages, copies, group)
        rule = self.fee
        if group is not None and group in rule.exempt_groups:
            return FeeQuote(0, rule.verified, _("Miễn phí cho {group}").format(
                group=self.group_label(group)))
        if rule.kind == "free":
            quote = FeeQuote(0, rule.verified, _("Miễn phí"))
        elif rule.kind == "unverified":
            quote = FeeQuote(None, False, _("Lệ phí {state}; hỏi cán bộ tiếp nhận").format(
                state=unverified_label()))
        elif rule.kind == "free_when":
            if on_time:
                quote = FeeQuote(0, rule.verified, _("Miễn phí vì đăng ký đúng hạn"))
            else:
                quote = FeeQuote(None, False, _("Đăng ký quá hạn: {rule} ({state})").format(
                    rule=rule.shown_otherwise or _("lệ phí do tỉnh quy định"),
                    state=unverified_label()))
        elif rule.kind == "per_page":
            quote = self._quote_per_page(pages, copies)
        else:
            quote = self._quote_fixed(channel, copies, group)
        if quote.amount is not None and not rule.verified:
            quote = FeeQuote(quote.amount, False, _("{text} ({state}: {source})").format(
                text=quote.explanation, state=unverified_label(), source=rule.source))
        return quote

    def _check_quote_input(self, channel: str, pages: int, copies: int,
                           group: str | None) -> None:
        if channel not in CHANNELS:
            raise InvalidInput(
                _("Kênh nộp (channel) phải là một trong {allowed}").format(
                    allowed=", ".join(CHANNELS)), field="channel", value=channel)
        if channel not in self.channels:
            raise InvalidInput(
                _("Kênh nộp (channel) đã chọn không dùng được cho thủ tục {name}; "
                  "các kênh: {allowed}").format(name=self.shown_name,
                                                allowed=", ".join(self.channels)),
                field="channel", value=channel)
        for name, value, label in (("pages", pages, _("Số trang")),
                                   ("copies", copies, _("Số bản"))):
            if isinstance(value, bool) or not isinstance(value, Integral) or value < 1:
                raise InvalidInput(
                    _("{label} ({field}) phải là số nguyên từ 1 trở lên")
                    .format(label=label, field=name), field=name, value=value)
        if group is not None and group not in self.groups:
            raise InvalidInput(
                _("Nhóm đối tượng (group) phải là một trong {allowed}")
                .format(allowed=", ".join(self.groups) or "—"),
                field="group", value=group)

    def _quote_per_page(self, pages: int, copies: int) -> FeeQuote:
        rule = self.fee
        tiers = sorted(rule.tiers, key=lambda t: t.from_page)
        per_copy = 0
        parts = []
        for i, tier in enumerate(tiers):
            last = tiers[i + 1].from_page - 1 if i + 1 < len(tiers) else pages
            count = min(pages, last) - tier.from_page + 1
            if count > 0:
                per_copy += count * tier.amount
                parts.append(_("{n} trang × {amount}").format(n=count,
                                                              amount=format_vnd(tier.amount)))
        text = " + ".join(parts) + _(" = {amount} mỗi bản").format(amount=format_vnd(per_copy))
        if rule.cap_per_copy is not None and per_copy > rule.cap_per_copy:
            per_copy = rule.cap_per_copy
            text += _("; áp mức tối đa {amount} mỗi bản").format(amount=format_vnd(per_copy))
        total = per_copy * copies
        if copies > 1:
            text += _("; {n} bản × {amount} = {total}").format(
                n=copies, amount=format_vnd(per_copy), total=format_vnd(total))
        return FeeQuote(total, rule.verified, text)

    def _quote_fixed(self, channel: str, copies: int, group: str | None) -> FeeQuote:
        rule = self.fee
        assert rule.amount is not None
        base, text = rule.amount, _("Lệ phí {amount}").format(amount=format_vnd(rule.amount))
        if group is not None and group in rule.reduced_groups and rule.reduced_amount is not None:
            base = rule.reduced_amount
            text = _("Mức giảm cho {group}: {amount}").format(
                group=self.group_label(group), amount=format_vnd(base))
        elif channel in ONLINE_CHANNELS and rule.online_amount is not None:
            base = rule.online_amount
            text = _("Nộp trực tuyến: {amount}").format(amount=format_vnd(base))
        elif group is not None:
            text += _(" (nhóm {group} không được giảm ở thủ tục này)").format(
                group=self.group_label(group))
        total = base
        if rule.extra_copy_from is not None and rule.extra_copy_amount is not None:
            extra = max(0, copies - rule.extra_copy_from + 1)
            if extra:
                total += extra * rule.extra_copy_amount
                text += _(" + {n} bản thêm × {amount} = {total}").format(
                    n=extra, amount=format_vnd(rule.extra_copy_amount), total=format_vnd(total))
        return FeeQuote(total, rule.verified, text)


class Catalogue:
    """The procedures of one ward, in file order; look up by code, search by words."""

    def __init__(self, procedures: tuple[Procedure, ...], *, fields: tuple[str, ...] = (),
                 groups: Mapping[str, str] | None = None, file: str = "",
                 fields_en: Mapping[str, str] | None = None,
                 groups_en: Mapping[str, str] | None = None):
        self._by_code = {p.code: p for p in procedures}
        self.fields = fields  # Vietnamese names: the keys counters and procedures use
        self.groups = MappingProxyType(dict(groups or {}))
        self.fields_en = MappingProxyType(dict(fields_en or {}))
        self.groups_en = MappingProxyType(dict(groups_en or {}))
        self.file = file

    def field_label(self, field: str) -> str:
        """Field (lĩnh vực) ``field`` in the current language; itself when not listed."""
        return in_language(field, self.fields_en.get(field, ""))

    def group_label(self, code: str) -> str:
        """Reduced-fee group ``code`` in the current language."""
        return in_language(self.groups.get(code, code), self.groups_en.get(code, ""))

    def __iter__(self) -> Iterator[Procedure]:
        return iter(self._by_code.values())

    def __len__(self) -> int:
        return len(self._by_code)

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def __getitem__(self, code: str) -> Procedure:
        try:
            return self._by_code[code]
        except (KeyError, TypeError):
            raise MissingEntry(
                _("Không có thủ tục mã {code!r} trong danh mục").format(code=code),
                field="procedure", value=code) from None

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(self._by_code)

    def search(self, text: str) -> tuple[Procedure, ...]:
        """Procedures whose name, field, code or keywords contain every word of ``text``.

        Diacritics and case are ignored ("khai sinh" finds "Đăng ký khai sinh");
        a word matches the start of a word. Name matches come first. The English name and
        field match too, whatever the language shown, so a search (and the results the
        event log keeps) never depends on the language switch.
        """
        words = re.findall(r"\w+", fold(text))
        if not words:
            return tuple(self)
        found = []
        for order, proc in enumerate(self):
            name_words = re.findall(r"\w+", fold(f"{proc.name} {proc.name_en}"))
            other = " ".join([proc.field, proc.field_en, proc.code.replace("-", " "),
                              *proc.keywords])
            all_words = name_words + re.findall(r"\w+", fold(other))
            if all(any(w.startswith(q) for w in all_words) for q in words):
                in_name = sum(any(w.startswith(q) for w in name_words) for q in words)
                found.append((-in_name, order, proc))
        return tuple(p for *_key, p in sorted(found, key=lambda t: t[:2]))

    def by_field(self) -> dict[str, tuple[Procedure, ...]]:
        """Procedures grouped by field (lĩnh vực), fields in file order."""
        groups: dict[str, list[Procedure]] = {f: [] for f in self.fields}
        for proc in self:
            groups.setdefault(proc.field, []).append(proc)
        return {f: tuple(ps) for f, ps in groups.items() if ps}


# --- loading -----------------------------------------------------------------


def load_catalogue(path: str | Path | None = None) -> Catalogue:
    """Read and check the catalogue (``data/procedures.yaml`` by default)."""
    target = path if path is not None else DEFAULT_FILE
    data = load_yaml(target)
    file = str(target)
    top = "(tệp)"
    if not isinstance(data, dict):
        raise invalid(file, top, "procedures", type(data).__name__,
                      _("tệp phải là một bảng có khóa 'procedures'"))
    # Each field is {vi, en}; the Vietnamese is the key procedures and counters use.
    raw_fields = require(data, "fields", file=file, entry=top, kind=list)
    fields_en = dict(wording(raw_field, file=file, entry=top, field=f"fields[{index}]")
                     for index, raw_field in enumerate(raw_fields, start=1))
    fields = tuple(fields_en)
    if len(fields) != len(raw_fields):
        raise invalid(file, top, "fields", list(raw_fields),
                      _("cần danh sách tên lĩnh vực, không trùng"))
    raw_groups = data.get("groups") or {}
    if not isinstance(raw_groups, dict):
        raise invalid(file, top, "groups", raw_groups, _("cần bảng mã nhóm -> tên nhóm"))
    names = {code: wording(name, file=file, entry=top, field=f"groups.{code}")
             for code, name in raw_groups.items()}
    groups = {code: vi for code, (vi, _en) in names.items()}
    groups_en = {code: en for code, (_vi, en) in names.items()}
    raw = require(data, "procedures", file=file, entry=top, kind=list)
    procedures: list[Procedure] = []
    seen: set[str] = set()
    for index, item in enumerate(raw, start=1):
        entry = item.get("code") if isinstance(item, dict) else None
        entry = entry if isinstance(entry, str) and entry else f"#{index}"
        proc = _procedure(item, file=file, entry=entry, fields=fields_en,
                          groups=MappingProxyType(groups), groups_en=MappingProxyType(groups_en))
        if proc.code in seen:
            raise invalid(file, entry, "code", proc.code, _("mã thủ tục bị trùng"))
        seen.add(proc.code)
        procedures.append(proc)
    return Catalogue(tuple(procedures), fields=fields, groups=groups, file=file,
                     fields_en=fields_en, groups_en=groups_en)








def _subset(item: Any, key: str, allowed: tuple[str, ...], *, file: str, entry: str,
            prefix: str = "") -> tuple[str, ...]:
    values = require(item, key, file=file, entry=entry, kind=list)
    for value in values:
        if value not in allowed:
            raise invalid(file, entry, prefix + key, value,
                          _("chỉ được dùng {allowed}").format(allowed=", ".join(allowed)))
    if len(set(values)) != len(values):
        raise invalid(file, entry, prefix + key, values, _("có giá trị bị lặp"))
    return tuple(values)


def _int(item: Any, key: str, *, file: str, entry: str, prefix: str = "",
         minimum: int = 0, optional: bool = False) -> int | None:
    if optional and item.get(key) is None:
        return None
    value = require(item, key, file=file, entry=entry, kind=int)
    if isinstance(value, bool) or value < minimum:
        raise invalid(file, entry, prefix + key, value,
                      _("cần số nguyên từ {minimum} trở lên").format(minimum=minimum))
    return value


def _shown_text(item: Any, key: str, *, file: str, entry: str, optional: bool = False,
                prefix: str = "") -> tuple[str, str]:
    """A text a trainee reads, ``{vi, en}``: (Vietnamese, English); ("", "") when optional
    and absent or empty."""
    raw = item.get(key) if isinstance(item, dict) else None
    if optional and (raw is None or raw == ""):
        return "", ""
    return wording(raw, file=file, entry=entry, field=prefix + key)


def _procedure(item: Any, *, file: str, entry: str, fields: Mapping[str, str],
               groups: Mapping[str, str], groups_en: Mapping[str, str]) -> Procedure:
    from .forms import read_form  # forms.py imports this module: import it here, not on top

    if not isinstance(item, dict):
        raise invalid(file, entry, "procedure", item, _("mỗi thủ tục phải là một bảng"))
    code = _text(item, "code", file=file, entry=entry)
    if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", code):
        raise invalid(file, entry, "code", code, _("chỉ chữ thường không dấu, số và dấu '-'"))
    field_name = _text(item, "field", file=file, entry=entry)
    if field_name not in fields:
        raise invalid(file, entry, "field", field_name,
                      _("lĩnh vực phải có trong danh sách 'fields': {allowed}").format(
                          allowed=", ".join(fields)))
    name, name_en = _shown_text(item, "name", file=file, entry=entry)
    notes, notes_en = _shown_text(item, "notes", file=file, entry=entry, optional=True)
    level = _text(item, "service_level", file=file, entry=entry)
    if level not in SERVICE_LEVELS:
        raise invalid(file, entry, "service_level", level,
                      _("chỉ được dùng {allowed}").format(allowed=", ".join(SERVICE_LEVELS)))
    channels = _subset(item, "channels", CHANNELS, file=file, entry=entry)
    if not channels:
        raise invalid(file, entry, "channels", [], _("cần ít nhất một kênh nộp"))
    vneid_level = _int(item, "vneid_level", file=file, entry=entry)
    assert vneid_level is not None
    if vneid_level > 2:
        raise invalid(file, entry, "vneid_level", vneid_level, _("chỉ được là 0, 1 hoặc 2"))
    if "vneid" in channels and vneid_level == 0:
        raise invalid(file, entry, "vneid_level", vneid_level,
                      _("nộp qua VNeID thì cần tài khoản mức 1 hoặc 2"))
    delivery = _subset(item, "delivery", DELIVERY, file=file, entry=entry)
    online = bool(ONLINE_CHANNELS.intersection(channels))
    if level == "toan-trinh" and not (online and {"truc-tuyen", "buu-chinh"} & set(delivery)):
        raise invalid(file, entry, "service_level", level,
                      _("dịch vụ toàn trình cần kênh trực tuyến và trả kết quả trực tuyến "
                        "hoặc qua bưu chính (Nghị định 42/2022/NĐ-CP)"))
    keywords = item.get("keywords") or []
    if not isinstance(keywords, list) or not all(isinstance(k, str) for k in keywords):
        raise invalid(file, entry, "keywords", keywords, _("cần một danh sách từ khóa"))
    return Procedure(
        code=code,
        name=name,
        field=field_name,
        service_level=level,
        channels=channels,
        vneid_level=vneid_level,
        documents=_documents(item, file=file, entry=entry),
        fee=_fee(require(item, "fee", file=file, entry=entry, kind=dict), file=file,
                 entry=entry, groups=groups),
        time=_time(require(item, "time", file=file, entry=entry, kind=dict), file=file,
                   entry=entry),
        delivery=delivery,
        online=online,
        notes=notes,
        keywords=tuple(keywords),
        source=_text(item, "source", file=file, entry=entry),
        verified=_flag(item, "verified", file=file, entry=entry),
        checked=checked_field(item, "checked", file, entry),
        vneid_basis=_basis(item.get("vneid_basis"), file=file, entry=entry,
                           prefix="vneid_basis."),
        authority=_text(item, "authority", file=file, entry=entry, optional=True),
        authority_source=_authority_source(item, file=file, entry=entry),
        groups=groups,
        form=read_form(item.get("form"), file=file, entry=entry),
        name_en=name_en,
        notes_en=notes_en,
        field_en=fields[field_name],
        groups_en=groups_en,
    )


def _basis(raw: Any, *, file: str, entry: str, prefix: str) -> Basis | None:
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise invalid(file, entry, prefix.rstrip("."), raw,
                      _("cần một bảng có source, verified, checked"))
    return Basis(source=_text(raw, "source", file=file, entry=entry),
                 verified=_flag(raw, "verified", file=file, entry=entry),
                 checked=checked_field(raw, "checked", file, entry, prefix=prefix))


def _authority_source(item: dict, *, file: str, entry: str) -> str:
    source = _text(item, "authority_source", file=file, entry=entry, optional=True)
    if item.get("authority") and not source:
        raise invalid(file, entry, "authority_source", None,
                      _("cơ quan giải quyết cần ghi nguồn"))
    return source


def _documents(item: dict, *, file: str, entry: str) -> tuple[Document, ...]:
    docs = []
    for raw in require(item, "documents", file=file, entry=entry, kind=list):
        code = _text(raw, "code", file=file, entry=entry)
        name, name_en = wording(raw.get("name"), file=file, entry=entry,
                                field=f"documents.{code}.name")
        docs.append(Document(code=code, name=name, name_en=name_en,
                             required=_flag(raw, "required", file=file, entry=entry)))
    codes = [d.code for d in docs]
    if len(set(codes)) != len(codes):
        raise invalid(file, entry, "documents", codes, _("mã giấy tờ bị trùng"))
    if not any(d.required for d in docs):
        raise invalid(file, entry, "documents", codes, _("cần ít nhất một giấy tờ bắt buộc"))
    return tuple(docs)


def _fee(raw: dict, *, file: str, entry: str, groups: Mapping[str, str]) -> FeeRule:
    kind = _text(raw, "kind", file=file, entry=entry)
    if kind not in FEE_KINDS:
        raise invalid(file, entry, "fee.kind", kind,
                      _("chỉ được dùng {allowed}").format(allowed=", ".join(FEE_KINDS)))
    source = _text(raw, "source", file=file, entry=entry)
    verified = _flag(raw, "verified", file=file, entry=entry)
    note = _text(raw, "note", file=file, entry=entry, optional=True)
    exempt = raw.get("exempt_groups") or []
    if not isinstance(exempt, list) or any(g not in groups for g in exempt):
        raise invalid(file, entry, "fee.exempt_groups", exempt,
                      _("cần danh sách mã nhóm có trong bảng 'groups': {allowed}").format(
                          allowed=", ".join(groups) or "—"))
    common: dict[str, Any] = {"kind": kind, "source": source, "verified": verified,
                              "note": note,
              "exempt_groups": tuple(exempt),
              "checked": checked_field(raw, "checked", file, entry, prefix="fee.")}

    def money(key: str, optional: bool = True) -> int | None:
        return _int(raw, key, file=file, entry=entry, prefix="fee.", optional=optional)

    if kind == "unverified":
        if raw.get("amount") is not None:
            raise invalid(file, entry, "fee.amount", raw["amount"],
                          _("lệ phí chưa kiểm chứng thì để trống số tiền"))
        if verified:
            raise invalid(file, entry, "fee.verified", verified,
                          _("lệ phí loại 'unverified' không thể có verified: true"))
        return FeeRule(**common)
    if kind == "free":
        return FeeRule(**common)
    if kind == "free_when":
        condition = _text(raw, "condition", file=file, entry=entry)
        if condition not in CONDITIONS:
            raise invalid(file, entry, "fee.condition", condition,
                          _("chỉ được dùng {allowed}").format(allowed=", ".join(CONDITIONS)))
        otherwise, otherwise_en = _shown_text(raw, "otherwise", file=file, entry=entry,
                                              optional=True, prefix="fee.")
        return FeeRule(condition=condition, otherwise=otherwise, otherwise_en=otherwise_en,
                       **common)
    if kind == "per_page":
        tiers = []
        for tier in require(raw, "tiers", file=file, entry=entry, kind=list):
            if not isinstance(tier, dict):
                raise invalid(file, entry, "fee.tiers", tier, _("mỗi bậc cần from_page và amount"))
            from_page = _int(tier, "from_page", file=file, entry=entry, prefix="fee.tiers.",
                             minimum=1)
            amount = _int(tier, "amount", file=file, entry=entry, prefix="fee.tiers.")
            assert from_page is not None and amount is not None
            tiers.append(PageTier(from_page, amount))
        starts = [t.from_page for t in tiers]
        if not tiers or starts[0] != 1 or starts != sorted(set(starts)):
            raise invalid(file, entry, "fee.tiers", starts,
                          _("bậc đầu tiên phải từ trang 1, các bậc tăng dần, không trùng"))
        return FeeRule(tiers=tuple(tiers), cap_per_copy=money("cap_per_copy"), **common)
    # fixed
    reduced_groups = raw.get("reduced_groups") or []
    if not isinstance(reduced_groups, list):
        raise invalid(file, entry, "fee.reduced_groups", reduced_groups,
                      _("cần danh sách mã nhóm"))
    for group in reduced_groups:
        if group not in groups:
            raise invalid(file, entry, "fee.reduced_groups", group,
                          _("nhóm phải có trong bảng 'groups': {allowed}").format(
                              allowed=", ".join(groups) or "—"))
    reduced_amount = money("reduced_amount")
    if bool(reduced_groups) != (reduced_amount is not None):
        raise invalid(file, entry, "fee.reduced_amount", reduced_amount,
                      _("reduced_amount và reduced_groups phải đi cùng nhau"))
    extra_from = _int(raw, "extra_copy_from", file=file, entry=entry, prefix="fee.",
                      minimum=2, optional=True)
    extra_amount = money("extra_copy_amount")
    if (extra_from is None) != (extra_amount is None):
        raise invalid(file, entry, "fee.extra_copy_amount", extra_amount,
                      _("extra_copy_from và extra_copy_amount phải đi cùng nhau"))
    return FeeRule(amount=money("amount", optional=False), online_amount=money("online_amount"),
                   reduced_amount=reduced_amount, reduced_groups=tuple(reduced_groups),
                   extra_copy_from=extra_from, extra_copy_amount=extra_amount, **common)


def _time(raw: dict, *, file: str, entry: str) -> TimeRule:
    kind = _text(raw, "kind", file=file, entry=entry)
    if kind not in TIME_KINDS:
        raise invalid(file, entry, "time.kind", kind,
                      _("chỉ được dùng {allowed}").format(allowed=", ".join(TIME_KINDS)))
    common: dict[str, Any] = {"kind": kind,
                              "source": _text(raw, "source", file=file, entry=entry),
              "verified": _flag(raw, "verified", file=file, entry=entry),
              "note": _text(raw, "note", file=file, entry=entry, optional=True),
              "checked": checked_field(raw, "checked", file, entry, prefix="time.")}
    if kind == "unverified":
        if raw.get("days") is not None:
            raise invalid(file, entry, "time.days", raw["days"],
                          _("thời hạn chưa kiểm chứng thì để trống số ngày"))
        if common["verified"]:
            raise invalid(file, entry, "time.verified", True,
                          _("thời hạn loại 'unverified' không thể có verified: true"))
        return TimeRule(**common)
    if kind == "same_day":
        cutoff = raw.get("cutoff")
        if cutoff is None:
            return TimeRule(**common)
        match = re.fullmatch(r"([01]\d|2[0-3]):([0-5]\d)", str(cutoff))
        if not match:
            raise invalid(file, entry, "time.cutoff", cutoff, _("cần giờ dạng HH:MM, ví dụ 15:00"))
        return TimeRule(cutoff=time(int(match[1]), int(match[2])), **common)
    days = _int(raw, "days", file=file, entry=entry, prefix="time.", minimum=1)
    return TimeRule(days=days, **common)
