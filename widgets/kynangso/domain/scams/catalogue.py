"""Scam lab data: the catalogue read from ``data/scams.yaml``, each fact with its sources.

Official ``.gov.vn`` addresses, look-alike links the press or the agency reported, the parts
the generator combines into made-up look-alikes, scripts of calls and SMS, and bills. The
loader refuses a fact without a source, a template with an unknown placeholder, and a
look-alike address no cited report names unless it ends in the reserved ``.invalid``; every
error names file, entry and field. Texts a trainee reads (script explanations, official names)
are ``{vi, en}`` pairs read with :func:`~kynangso.domain.datafiles.wording`.
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any
from urllib.parse import urlsplit

from ...i18n import N_, _, in_language, translate
from ..datafiles import (
    DATA_DIR,
    checked_field,
    invalid,
    load_yaml,
    require,
    same_placeholders,
    wording,
)
from ..datafiles import flag_field as _flag
from ..datafiles import text_field as _text

SCAMS_FILE = "scams.yaml"
PATTERNS = ("qr_sticker", "qr_tampered", "lookalike_link", "otp_script", "genuine")
SCRIPT_CHANNELS = ("qr", "call", "sms")
UNVERIFIED = N_("chưa kiểm chứng")
# Reserved top-level domain (RFC 2606, RFC 6761): nobody can register it, nothing resolves.
RESERVED_TLD = "invalid"
PLACEHOLDERS = frozenset({
    "resident", "resident_call", "honorific", "Honorific", "officer", "volunteer", "ward",
    "centre", "group", "phone", "sender", "link", "amount", "plate", "date", "code", "counter",
    "bank", "bank_slug",
})


@dataclass(frozen=True)
class Wording:
    """A text a trainee reads, in Vietnamese and English (both non-blank)."""

    vi: str
    en: str

    def shown(self) -> str:
        """The text in the current language."""
        return in_language(self.vi, self.en)


@dataclass(frozen=True)
class Report:
    """One public text: an article or an official notice, and the domains it names."""

    title: str
    publisher: str
    date: str  # "2025-08-07", or "2024-03" when the page shows only the month; "" unknown
    url: str
    names: tuple[str, ...] = ()  # hosts the text itself names, lower case
    archived: str = ""  # an archived copy of url, when one exists

    def cite(self) -> str:
        """Outlet, "title", date, address: enough to find the text again."""
        parts = [self.publisher, f"\u201c{self.title}\u201d"]
        if self.date:
            parts.append("/".join(reversed(self.date.split("-"))))
        parts.append(self.archived or self.url)
        return ", ".join(parts)


@dataclass(frozen=True)
class Source:
    """Where a fact comes from: public reports, the project's own note, when it was checked."""

    reports: tuple[Report, ...]
    verified: bool
    checked: date  # the day the project last read the reports
    note: str = ""  # what the reports say in short, or what the project wrote itself

    @property
    def names(self) -> frozenset[str]:
        """Every host the cited reports name."""
        return frozenset(name for report in self.reports for name in report.names)

    @property
    def text(self) -> str:
        cited = "; ".join(report.cite() for report in self.reports)
        if cited and self.note:
            return f"{cited} ({self.note})"
        return cited or self.note

    def cite(self) -> str:
        """The source, marked "chưa kiểm chứng" when the project could not check it."""
        return self.text if self.verified else f"{self.text} ({translate(UNVERIFIED)})"


class _Sourced:
    """``verified`` and ``checked`` of an entry, read from its :class:`Source`."""

    source: Source

    @property
    def verified(self) -> bool:
        return self.source.verified

    @property
    def checked(self) -> date:
        return self.source.checked


@dataclass(frozen=True)
class OfficialDomain(_Sourced):
    domain: str
    title: Wording
    aliases: tuple[str, ...]
    source: Source

    @property
    def name(self) -> str:
        """The display name in the current language."""
        return self.title.shown()


@dataclass(frozen=True)
class ReportedLink(_Sourced):
    url: str
    imitates: str
    source: Source


@dataclass(frozen=True)
class Bill:
    purpose: str
    payee_role: str
    amounts: tuple[int, ...]


@dataclass(frozen=True)
class Script(_Sourced):
    """A call, SMS or QR text with its teaching notes; templates use :data:`PLACEHOLDERS`."""

    id: str
    channel: str
    context: Wording
    # What the scammer sends: ``vi`` is the material (always shown), ``en`` a gloss for
    # trainers, which may leave out a placeholder ("{honorific}" often just means "you").
    text: Wording
    links: tuple[str, ...]
    amounts: tuple[int, ...]
    senders: tuple[str, ...]
    red_flags: tuple[Wording, ...]
    right_response: Wording
    source: Source

    @property
    def wordings(self) -> tuple[Wording, ...]:
        return (self.context, self.text, self.right_response, *self.red_flags)


@dataclass(frozen=True)
class ScamCatalogue:
    suffix: str  # "gov.vn"
    suffix_source: Source
    officials: tuple[OfficialDomain, ...]
    reported: tuple[ReportedLink, ...]
    words: tuple[str, ...]
    paths: tuple[str, ...]
    pattern_sources: Mapping[str, Source]
    shop_kinds: tuple[str, ...]
    bills: tuple[Bill, ...]
    scripts: tuple[Script, ...]
    genuine: tuple[Script, ...]

    def official(self, domain: str) -> OfficialDomain:
        return next(o for o in self.officials if o.domain == domain)

    def sources(self) -> list[tuple[str, Source]]:
        """Every sourced entry, labelled, for a generated sources page."""
        entries = [("government_suffix", self.suffix_source)]
        entries += [(o.domain, o.source) for o in self.officials]
        entries += [(link.url, link.source) for link in self.reported]
        entries += [(f"patterns.{p}", source) for p, source in self.pattern_sources.items()]
        entries += [(s.id, s.source) for s in self.scripts + self.genuine]
        return entries


_DOMAIN = re.compile(r"(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}")
_MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")


def _report(entry: Any, file: str, label: str, index: int) -> Report:
    where = _("{entry}, nguồn thứ {n}").format(entry=label, n=index)
    if not isinstance(entry, dict):
        raise invalid(file, where, "sources", entry, _(
            "mỗi nguồn phải là một bảng có title, publisher, date, url, names"))
    url = _text(entry, "url", file, where)
    if not url.startswith("https://") and not url.startswith("http://"):
        raise invalid(file, where, "url", url, _("cần địa chỉ công khai, bắt đầu bằng https:// hoặc http://"))
    when = entry.get("date")
    if isinstance(when, date) and not isinstance(when, datetime):
        when = when.isoformat()
    elif when is None:
        when = ""
    elif not (isinstance(when, str) and _MONTH.fullmatch(when)):
        raise invalid(file, where, "date", when, _("cần ngày dạng YYYY-MM-DD hoặc tháng YYYY-MM"))
    names = _texts(entry, "names", file, where)
    for name in names:
        if not _DOMAIN.fullmatch(name):
            raise invalid(file, where, "names", name,
                          _("tên miền viết thường, không dấu, không có https:// hay dấu /"))
    return Report(_text(entry, "title", file, where), _text(entry, "publisher", file, where),
                  when, url, names, _text(entry, "archived", file, where, optional=True))


def _source(entry: Any, file: str, label: str) -> Source:
    raw = require(entry, "sources", file=file, entry=label, kind=list)
    reports = tuple(_report(item, file, label, i) for i, item in enumerate(raw, start=1))
    note = _text(entry, "note", file, label, optional=True)
    if not reports and not note:
        raise invalid(file, label, "sources", raw, _(
            "cần ít nhất một văn bản công khai, hoặc một ghi chú (note) nói dự án tự soạn"))
    return Source(reports, _flag(entry, "verified", file, label),
                  checked_field(entry, "checked", file, label), note)


def _texts(entry: dict, key: str, file: str, label: str, *, needed: bool = False) -> tuple[str, ...]:
    values = require(entry, key, file=file, entry=label) if needed else entry.get(key)
    if values is None:
        return ()
    if not isinstance(values, list) or not all(isinstance(v, str) and v.strip() for v in values):
        raise invalid(file, label, key, values, _("phải là danh sách các dòng chữ không trống"))
    if needed and not values:
        raise invalid(file, label, key, values, _("phải có ít nhất một dòng"))
    return tuple(v.strip() for v in values)


def _amounts(entry: dict, key: str, file: str, label: str, *, needed: bool = False
             ) -> tuple[int, ...]:
    values = require(entry, key, file=file, entry=label) if needed else entry.get(key)
    if values is None:
        return ()
    if not isinstance(values, list) or not values or not all(
            isinstance(v, int) and not isinstance(v, bool) and 0 < v < 10 ** 12 for v in values):
        raise invalid(file, label, key, values,
                      _("phải là danh sách số tiền nguyên dương (đồng), ví dụ [60000, 120000]"))
    return tuple(values)


def _template(value: str, file: str, label: str, key: str) -> str:
    try:
        names = {name for _lit, name, _spec, _conv in string.Formatter().parse(value) if name}
    except ValueError:
        raise invalid(file, label, key, value, _(
            "dấu ngoặc nhọn {{ }} không khớp; chỗ trống phải có dạng {{resident}}")) from None
    unknown = sorted(names - PLACEHOLDERS)
    if unknown:
        raise invalid(file, label, key, value, _(
            "chỗ trống {{{name}}} không có; chỉ được dùng: {allowed}").format(
                name=unknown[0], allowed=", ".join(sorted(PLACEHOLDERS))))
    return value


def _wording(raw: Any, file: str, label: str, key: str, *, gloss: bool = False) -> Wording:
    """A ``{vi, en}`` template; the English uses the Vietnamese placeholders (all of them,
    unless it is a ``gloss``, which may leave some out but adds none)."""
    vi, en = wording(raw, file=file, entry=label, field=key)
    _template(vi, file, label, key)
    _template(en, file, label, f"{key}.en")
    if not gloss:
        same_placeholders(vi, en, file=file, entry=label, field=key)
    else:
        extra = sorted(_placeholders(en) - _placeholders(vi))
        if extra:
            raise invalid(file, label, f"{key}.en", en, _(
                "bản dịch tham khảo chỉ được dùng các chỗ trống của bản tiếng Việt; "
                "thừa {{{name}}}").format(name=extra[0]))
    return Wording(vi, en)


def _placeholders(value: str) -> set[str]:
    return {name for _lit, name, _spec, _conv in string.Formatter().parse(value) if name}


def _wordings(entry: dict, key: str, file: str, label: str, *, needed: bool) -> tuple[Wording, ...]:
    values = require(entry, key, file=file, entry=label) if needed else entry.get(key)
    if values is None:
        return ()
    if not isinstance(values, list):
        raise invalid(file, label, key, values,
                      _("phải là danh sách, mỗi dòng có vi (tiếng Việt) và en (tiếng Anh)"))
    if needed and not values:
        raise invalid(file, label, key, values, _("phải có ít nhất một dòng"))
    return tuple(_wording(value, file, label, f"{key}[{n}]")
                 for n, value in enumerate(values, start=1))


def _official(entry: Any, file: str, index: int, suffix: str) -> OfficialDomain:
    label = _("địa chỉ chính thức thứ {n}").format(n=index)
    domain = _text(entry, "domain", file, label)
    if not _DOMAIN.fullmatch(domain):
        raise invalid(file, label, "domain", domain,
                      _("tên miền viết thường, không dấu, không có https:// hay dấu /"))
    if not domain.endswith("." + suffix):
        raise invalid(file, label, "domain", domain,
                      _("địa chỉ chính thức phải kết thúc bằng .{suffix}").format(suffix=suffix))
    aliases = _texts(entry, "aliases", file, domain)
    name = wording(entry.get("name"), file=file, entry=domain, field="name")
    return OfficialDomain(domain, Wording(*name), tuple(a.lower() for a in aliases),
                          _source(entry, file, domain))


def _script(entry: Any, file: str, index: int, section: str, scam: bool) -> Script:
    label = _("{section} thứ {n}").format(section=section, n=index)
    if not isinstance(entry, dict):
        raise invalid(file, label, section, entry, _("mỗi mục phải là một bảng khóa: giá trị"))
    label = _text(entry, "id", file, label)
    channel = _text(entry, "channel", file, label)
    if channel not in SCRIPT_CHANNELS:
        raise invalid(file, label, "channel", channel, _("phải là một trong: {allowed}").format(
            allowed=", ".join(SCRIPT_CHANNELS)))
    texts = {key: _wording(entry.get(key), file, label, key, gloss=key == "text")
             for key in ("context", "text", "right_response")}
    flags = _wordings(entry, "red_flags", file, label, needed=scam)
    links = tuple(_template(link, file, label, "links") for link in _texts(entry, "links", file, label))
    script = Script(
        id=label, channel=channel, context=texts["context"], text=texts["text"], links=links,
        amounts=_amounts(entry, "amounts", file, label),
        senders=_texts(entry, "senders", file, label), red_flags=flags,
        right_response=texts["right_response"], source=_source(entry, file, label))
    # A template that names a placeholder needs the values to fill it.
    used = "".join(w.vi + w.en for w in script.wordings)
    for name, key, values in (("link", "links", links), ("amount", "amounts", script.amounts),
                              ("sender", "senders", script.senders)):
        if "{" + name + "}" in used and not values:
            raise invalid(file, label, key, values, _(
                "văn bản dùng chỗ trống {{{name}}} nên phải có ít nhất một giá trị").format(
                    name=name))
    return script


def parse_scams(data: Any, file: str) -> ScamCatalogue:
    """Build the catalogue from parsed YAML; every error names file, entry and field."""
    top = _("đầu tệp")
    suffix_entry = require(data, "government_suffix", file=file, entry=top, kind=dict)
    suffix = _text(suffix_entry, "suffix", file, "government_suffix").lower().strip(".")
    officials = tuple(
        _official(entry, file, i, suffix) for i, entry in enumerate(
            require(data, "official_domains", file=file, entry=top, kind=list), start=1))
    if not officials:
        raise invalid(file, top, "official_domains", [], _("phải có ít nhất một địa chỉ"))
    domains = {o.domain for o in officials}

    reported = []
    for i, entry in enumerate(require(data, "reported_links", file=file, entry=top, kind=list), 1):
        label = _("đường link giả thứ {n}").format(n=i)
        url = _text(entry, "url", file, label)
        imitates = _text(entry, "imitates", file, url)
        if imitates not in domains:
            raise invalid(file, url, "imitates", imitates,
                          _("phải là một địa chỉ trong official_domains"))
        reported.append(ReportedLink(url, imitates, _source(entry, file, url)))

    parts = require(data, "link_parts", file=file, entry=top, kind=dict)
    words, paths = (_texts(parts, key, file, "link_parts", needed=True)
                    for key in ("words", "paths"))

    raw_patterns = require(data, "patterns", file=file, entry=top, kind=dict)
    pattern_sources = {p: _source(require(raw_patterns, p, file=file, entry="patterns", kind=dict),
                                  file, p) for p in PATTERNS}

    qr = require(data, "qr", file=file, entry=top, kind=dict)
    shop_kinds = _texts(qr, "shop_kinds", file, "qr", needed=True)
    bills = []
    for i, entry in enumerate(require(qr, "bills", file=file, entry="qr", kind=list), start=1):
        label = _("khoản thu thứ {n}").format(n=i)
        bills.append(Bill(_text(entry, "purpose", file, label),
                          _text(entry, "payee_role", file, label),
                          _amounts(entry, "amounts", file, label, needed=True)))
    if not bills:
        raise invalid(file, "qr", "bills", [], _("phải có ít nhất một khoản thu"))

    scripts = tuple(_script(e, file, i, "scripts", True) for i, e in enumerate(
        require(data, "scripts", file=file, entry=top, kind=list), start=1))
    genuine = tuple(_script(e, file, i, "genuine", False) for i, e in enumerate(
        require(data, "genuine", file=file, entry=top, kind=list), start=1))
    ids = [s.id for s in scripts + genuine]
    for sid in ids:
        if ids.count(sid) > 1:
            raise invalid(file, sid, "id", sid, _("mã kịch bản bị trùng"))
    if not scripts or not genuine:
        raise invalid(file, top, "scripts" if not scripts else "genuine", [],
                      _("phải có ít nhất một kịch bản"))

    catalogue = ScamCatalogue(
        suffix=suffix, suffix_source=_source(suffix_entry, file, "government_suffix"),
        officials=officials, reported=tuple(reported), words=words, paths=paths,
        pattern_sources=MappingProxyType(pattern_sources), shop_kinds=shop_kinds,
        bills=tuple(bills), scripts=scripts, genuine=genuine)
    _check_links(catalogue, file)
    return catalogue


def _check_links(catalogue: ScamCatalogue, file: str) -> None:
    """A fake link the checker would pass (or a genuine one it would fail) is a data error;
    so is a look-alike that no cited report names and that could be registered."""
    from .links import check_link  # the checker reads this module's types: import when used

    for official in catalogue.officials:
        if official.source.verified and not _named(official.domain, official.source.names):
            raise invalid(file, official.domain, "sources", official.domain, _(
                "nguồn đã kiểm chứng phải nêu đúng địa chỉ này trong names"))
    for link in catalogue.reported:
        if check_link(link.url, catalogue=catalogue).genuine:
            raise invalid(file, link.url, "url", link.url,
                          _("đường link giả lại là một địa chỉ .{suffix} thật").format(
                              suffix=catalogue.suffix))
        if not _named(link_host(link.url), link.source.names):
            raise invalid(file, link.url, "sources", link.url, _(
                "không nguồn nào nêu tên miền này (names); địa chỉ tự đặt phải có đuôi "
                ".{tld} và không thuộc reported_links").format(tld=RESERVED_TLD))
    for script, want in [(s, False) for s in catalogue.scripts] + [
            (s, True) for s in catalogue.genuine]:
        for template in script.links:
            url = template.format(bank_slug="nganhang")
            if check_link(url, catalogue=catalogue).genuine != want:
                rule = (_("đường link của thông báo thật phải là địa chỉ .{suffix}") if want else
                        _("đường link của kẻ lừa đảo lại là một địa chỉ .{suffix} thật"))
                raise invalid(file, script.id, "links", link, rule.format(
                    suffix=catalogue.suffix))
        texts = (*(t for w in script.wordings for t in (w.vi, w.en)),
                 *(link.format(bank_slug="nganhang") for link in script.links))
        for host in (h for text in texts for h in hosts_in(text)):
            if not allowed_host(host, script.source.names, catalogue):
                raise invalid(file, script.id, "links", host, _(
                    "tên miền '{host}' không có trong nguồn nào của mục này (names); địa chỉ "
                    "giả tự đặt phải có đuôi .{tld}").format(host=host, tld=RESERVED_TLD))


# A host in running text: ASCII labels, lower case ("TP.HCM" is not one), a letter TLD, not
# cut out of something longer (the masked phone "0367.xxx.123" is not "0367.xxx").
_HOST_IN_TEXT = re.compile(
    r"(?<![\w.@-])(?:https?://)?((?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,})(?![\w-]|\.\w)")


def hosts_in(text: str) -> list[str]:
    """The host names written in a text ("xem https://bhxh.co/a" -> ["bhxh.co"])."""
    return [match.group(1) for match in _HOST_IN_TEXT.finditer(text)]


def link_host(url: str) -> str:
    """The host of a link as written, lower case, without a trailing dot."""
    url = url if "://" in url else f"https://{url}"
    return (urlsplit(url).hostname or "").rstrip(".")


def _named(host: str, names: frozenset[str] | tuple[str, ...]) -> bool:
    # A reported host, a subdomain of one, or its registrable part ("bvgov.com" of
    # "dichvucong.bvgov.com"), which a red flag names when it teaches how to read a link.
    return any(host == name or host.endswith("." + name)
               or ("." in host and name.endswith("." + host)) for name in names)


def allowed_host(host: str, names: frozenset[str] | tuple[str, ...],
                 catalogue: ScamCatalogue) -> bool:
    """Whether the lab may show ``host``: named by a cited report, one of the listed official
    addresses, or made up under the reserved ``.invalid`` (never a registrable look-alike)."""
    host = host.lower().rstrip(".")
    if host == RESERVED_TLD or host.endswith("." + RESERVED_TLD):
        return True
    return _named(host, names) or _named(host, tuple(o.domain for o in catalogue.officials))


@cache
def _load_default() -> ScamCatalogue:
    return parse_scams(load_yaml(SCAMS_FILE), str(DATA_DIR / SCAMS_FILE))


def load_scams(path: str | Path | None = None) -> ScamCatalogue:
    """The scam catalogue (``data/scams.yaml`` unless ``path`` is given; the default is cached)."""
    if path is None:
        return _load_default()
    return parse_scams(load_yaml(path), str(path))


