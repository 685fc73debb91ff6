"""Scam lab: five real scam patterns as practice items, and a checker for portal links.

Patterns (public sources for each in ``data/scams.yaml``):

- ``qr_sticker``: a sticker QR pasted over a shop's code pays someone else;
- ``qr_tampered``: a payment code whose amount differs from the bill, whose content was edited
  by hand (CRC no longer matches) or whose CRC was recomputed over a broken structure;
- ``lookalike_link``: typosquats of the official ``.gov.vn`` portals, and genuine links;
- ``otp_script``: calls, SMS and a phishing QR asking for OTP, money or ID;
- ``genuine``: genuine notices and a correct payment code to tell them apart.

Item ``i`` of a pattern for seed ``s`` depends only on ``(s, pattern, i)`` and the data file,
so :func:`item_by_id` rebuilds any item without a store. Every payment code is drawn at the
training bank, so a real banking app pays no one; the phishing QR holds a ``.invalid`` address
(RFC 6761), which never resolves. A look-alike link is either named by a public warning the
item cites or made up under ``.invalid``, so the lab never shows a registrable address nobody
reported; show them as text, never as a link a trainee can open. Names and numbers are
synthetic.
"""

from __future__ import annotations

import ipaddress
import random
import re
import string
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from unidecode import unidecode

from ..errors import InvalidInput, MissingEntry
from ..i18n import _, nfc
from .banks import load_banks
from .datafiles import DATA_DIR, checked_field, invalid, load_yaml, require
from .datafiles import flag_field as _flag
from .datafiles import text_field as _text
from .locality import load_locality
from .personas import vietnamese_faker
from .vietqr import VietQR, crc16, decode, encode

if TYPE_CHECKING:
    from faker import Faker

SCAMS_FILE = "scams.yaml"
PATTERNS = ("qr_sticker", "qr_tampered", "lookalike_link", "otp_script", "genuine")
CHANNELS = ("qr", "link", "call", "sms")
SCRIPT_CHANNELS = ("qr", "call", "sms")
UNVERIFIED = "chưa kiểm chứng"
REFERENCE_DATE = date(2025, 11, 10)  # the day of the ward report the lab starts from
# Reserved top-level domain (RFC 2606, RFC 6761): nobody can register it, nothing resolves.
RESERVED_TLD = "invalid"
MAX_PER_PATTERN = 99
PLACEHOLDERS = frozenset({
    "resident", "resident_call", "honorific", "Honorific", "officer", "volunteer", "ward",
    "centre", "group", "phone", "sender", "link", "amount", "plate", "date", "code", "counter",
    "bank", "bank_slug",
})
_CODES = {"qr_sticker": "QD", "qr_tampered": "QS", "lookalike_link": "LK", "otp_script": "KB",
          "genuine": "TH"}
_PATTERN_BY_CODE = {code: pattern for pattern, code in _CODES.items()}
_ID = re.compile(r"([A-Z]{2})-(\d+)-(\d{2,})")

STICKER_KINDS = ("shop", "sticker")
TAMPER_KINDS = ("amount", "crc", "structure")
# Genuine links one in three, so a trainee cannot answer "fake" every time.
LINK_KINDS = ("reported", "official", "extra_letter", "subdomain", "official_upper", "userinfo",
              "homoglyph", "official_dot", "punycode", "wrong_tld", "official", "gov_hyphen",
              "digit", "borrowed_gov")


def pattern_title(pattern: str) -> str:
    """Vietnamese title of a pattern, for headings."""
    titles = {
        "qr_sticker": _("Mã QR dán đè lên mã của cửa hàng"),
        "qr_tampered": _("Mã QR bị sửa: số tiền, mã kiểm tra, cấu trúc"),
        "lookalike_link": _("Đường link giả dạng cổng dịch vụ công"),
        "otp_script": _("Cuộc gọi, tin nhắn đòi mã OTP hoặc tiền"),
        "genuine": _("Thông báo và mã QR thật để đối chiếu"),
    }
    return titles.get(pattern, pattern)


# --- data ------------------------------------------------------------------------------------

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
        return self.text if self.verified else f"{self.text} ({_(UNVERIFIED)})"


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
    name: str
    aliases: tuple[str, ...]
    source: Source


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
    context: str
    text: str
    links: tuple[str, ...]
    amounts: tuple[int, ...]
    senders: tuple[str, ...]
    red_flags: tuple[str, ...]
    right_response: str
    source: Source


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
    return OfficialDomain(domain, _text(entry, "name", file, domain),
                          tuple(a.lower() for a in aliases), _source(entry, file, domain))


def _script(entry: Any, file: str, index: int, section: str, scam: bool) -> Script:
    label = _("{section} thứ {n}").format(section=section, n=index)
    if not isinstance(entry, dict):
        raise invalid(file, label, section, entry, _("mỗi mục phải là một bảng khóa: giá trị"))
    label = _text(entry, "id", file, label)
    channel = _text(entry, "channel", file, label)
    if channel not in SCRIPT_CHANNELS:
        raise invalid(file, label, "channel", channel, _("phải là một trong: {allowed}").format(
            allowed=", ".join(SCRIPT_CHANNELS)))
    texts = {key: _template(_text(entry, key, file, label), file, label, key)
             for key in ("context", "text", "right_response")}
    flags = tuple(_template(f, file, label, "red_flags")
                  for f in _texts(entry, "red_flags", file, label, needed=scam))
    links = tuple(_template(link, file, label, "links") for link in _texts(entry, "links", file, label))
    script = Script(
        id=label, channel=channel, context=texts["context"], text=texts["text"], links=links,
        amounts=_amounts(entry, "amounts", file, label),
        senders=_texts(entry, "senders", file, label), red_flags=flags,
        right_response=texts["right_response"], source=_source(entry, file, label))
    # A template that names a placeholder needs the values to fill it.
    used = "".join((script.context, script.text, script.right_response, *script.red_flags))
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
        for link in script.links:
            url = link.format(bank_slug="nganhang")
            if check_link(url, catalogue=catalogue).genuine != want:
                rule = (_("đường link của thông báo thật phải là địa chỉ .{suffix}") if want else
                        _("đường link của kẻ lừa đảo lại là một địa chỉ .{suffix} thật"))
                raise invalid(file, script.id, "links", link, rule.format(
                    suffix=catalogue.suffix))
        texts = (script.context, script.text, script.right_response, *script.red_flags,
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


# --- link checker ----------------------------------------------------------------------------

@dataclass(frozen=True)
class LinkVerdict:
    """Whether a link is on an official ``.gov.vn`` domain, and why (Vietnamese reasons)."""

    genuine: bool
    reasons: tuple[str, ...]
    host: str = ""  # as the browser would open it, lower case, Unicode labels shown decoded
    official: str | None = None  # the listed official domain the host belongs to
    imitates: str | None = None  # the official domain a fake seems to copy


_SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.-]*):")
_NOT_WEB = frozenset({"javascript", "data", "file", "intent", "tel", "sms", "mailto", "ftp",
                      "about", "blob", "vbscript", "content"})
# Second-level names under .vn (VNNIC), so "x.com.vn" is one registration like "x.com".
_VN_SECOND_LEVEL = frozenset({"com", "net", "org", "edu", "gov", "int", "ac", "biz", "info",
                              "name", "pro", "health"})
_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")
_DOTS = str.maketrans({"\u3002": ".", "\uff0e": ".", "\uff61": "."})  # read as "." by browsers
# Letters that look like Latin ones (Unicode confusables, the few that matter for domains).
_CONFUSABLE = {
    "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "і": "i", "ј": "j",
    "ѕ": "s", "һ": "h", "ԁ": "d", "ԛ": "q", "ԝ": "w", "ӏ": "l", "ο": "o", "α": "a", "ν": "v",
    "ι": "i", "κ": "k", "ρ": "p", "τ": "t", "υ": "u", "χ": "x", "ε": "e", "ı": "i", "ɡ": "g",
    "ɩ": "i", "ո": "n", "ս": "u", "հ": "h",
}
_DIGIT_LOOKS = {"0": "o", "1": "li", "3": "e", "5": "s"}


def _script_of(char: str) -> str:
    name = unicodedata.name(char, "")
    if name.startswith("CYRILLIC"):
        return _("chữ Kirin (chữ Nga)")
    if name.startswith("GREEK"):
        return _("chữ Hy Lạp")
    if name.startswith("ARMENIAN"):
        return _("chữ Armenia")
    if name.startswith("LATIN") and " WITH " in name:
        return _("chữ có dấu")
    if name.startswith("LATIN"):
        return _("một biến thể của chữ Latin")
    return _("ký tự đặc biệt")


def _skeleton(text: str) -> str:
    """What a label looks like in Latin letters ("dịchvụcоng" -> "dichvucong")."""
    mapped = "".join(_CONFUSABLE.get(c, c) for c in text)
    return mapped if mapped.isascii() else unidecode(mapped).lower()


def _distance(a: str, b: str) -> int:
    """Edit distance counting a swap of neighbours as one edit (optimal string alignment)."""
    before: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1]))
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], before[j - 2] + 1)
        before, prev = prev, cur
    return prev[-1]


def _describe_edit(fake: str, real: str) -> str:
    if len(fake) == len(real) + 1:
        for i in range(len(fake)):
            if fake[:i] + fake[i + 1:] == real:
                return _("thêm chữ '{char}'").format(char=fake[i])
    if len(fake) + 1 == len(real):
        for i in range(len(real)):
            if real[:i] + real[i + 1:] == fake:
                return _("bỏ mất chữ '{char}'").format(char=real[i])
    if len(fake) == len(real):
        diff = [i for i in range(len(fake)) if fake[i] != real[i]]
        if len(diff) == 1:
            i = diff[0]
            return _("'{new}' thay cho '{old}'").format(new=fake[i], old=real[i])
        if len(diff) == 2 and diff[1] == diff[0] + 1 and fake[diff[0]] == real[diff[1]] \
                and fake[diff[1]] == real[diff[0]]:
            return _("đảo chỗ '{a}' và '{b}'").format(a=real[diff[0]], b=real[diff[1]])
    return _("khác {n} chữ").format(n=_distance(fake, real))


def _swaps(token: str, name: str) -> list[str] | None:
    """The look-alike characters that make ``token`` read as ``name``, or None."""
    if len(token) == len(name):
        pairs = [(t, n) for t, n in zip(token, name, strict=True) if t != n]
        if pairs and all(_skeleton(t) == n or n in _DIGIT_LOOKS.get(t, "") for t, n in pairs):
            return [_("'{new}' thay cho '{old}'").format(new=t, old=n) for t, n in pairs]
    if "rn" in token and token.replace("rn", "m") == name:
        return [_("'{new}' thay cho '{old}'").format(new="rn", old="m")]
    return None


def _names(catalogue: ScamCatalogue) -> dict[str, OfficialDomain]:
    """Names a fake may borrow -> the official domain they belong to, longest first."""
    size = len(catalogue.suffix.split("."))
    names: dict[str, OfficialDomain] = {}
    for official in catalogue.officials:
        labels = official.domain.split(".")[:-size]
        for name in (*labels, *official.aliases):
            names.setdefault(name, official)
    for official in catalogue.officials:
        labels = official.domain.split(".")[:-size]
        if len(labels) > 1:  # "dichvucongbaohiemxahoi" copies the BHXH portal, not the DVCQG
            names["".join(labels)] = official
    return dict(sorted(names.items(), key=lambda item: -len(item[0])))


def _registrable(labels: list[str]) -> list[str]:
    if len(labels) >= 3 and labels[-1] == "vn" and labels[-2] in _VN_SECOND_LEVEL:
        return labels[-3:]
    return labels[-2:]


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        # Browsers also read "3232235777" or "0x7f.1" as IPv4 addresses.
        return all(re.fullmatch(r"0x[0-9a-f]*|[0-9]+", label) for label in host.split("."))


def _bad(url: object, rule: str) -> InvalidInput:
    return InvalidInput(_("Đường link (url): {rule}, nhận được {value!r}").format(
        rule=rule, value=url), field="url", value=url)


def check_link(url: str, *, catalogue: ScamCatalogue | None = None) -> LinkVerdict:
    """Say whether ``url`` opens an official ``.gov.vn`` site, reading the host as a browser does.

    Handles missing schemes, ``user@host`` tricks, backslashes, upper case, a trailing dot,
    full-width letters and dots, percent-encoding, punycode and look-alike letters.
    """
    if not isinstance(url, str):
        raise _bad(url, _("phải là chữ"))
    text = "".join(c for c in nfc(url).strip() if c not in "\t\r\n")
    if not text:
        raise _bad(url, _("không được để trống"))
    catalogue = catalogue if catalogue is not None else load_scams()
    suffix = catalogue.suffix
    match = _SCHEME.match(text)
    authority = re.split(r"[/?#]", text[match.end():].lstrip("/\\") if match else text, maxsplit=1)[0]
    backslash = "\\" in authority
    text = text.replace("\\", "/")  # browsers read "\" as "/" in web addresses; urllib does not
    scheme = None
    if match and (text[match.end():match.end() + 2] == "//" or match.group(1).lower() in _NOT_WEB):
        scheme = match.group(1).lower()
    else:
        text = ("https:" if text.startswith("//") else "https://") + text
        scheme = "https"
    if scheme not in ("http", "https"):
        return LinkVerdict(False, (_(
            "Đường link bắt đầu bằng '{scheme}:' chứ không phải https://: đây không phải địa chỉ "
            "một trang web, đừng mở").format(scheme=scheme),))
    try:
        parts = urlsplit(text)
        raw_host = parts.hostname or ""
        parts.port  # noqa: B018 - raises ValueError on a port browsers refuse too
    except ValueError:
        return LinkVerdict(False, (_(
            "Không đọc được tên trang web trong đường link {value!r}: địa chỉ có ký tự lạ").format(
                value=url),))

    reasons: list[str] = []
    userinfo, _at, shown_host = parts.netloc.rpartition("@")
    host = unicodedata.normalize("NFKC", unquote(raw_host).translate(_DOTS)).lower()
    imitates: str | None = None
    if backslash:
        reasons.append(_("Trình duyệt đọc dấu '\\' như dấu '/': phần đứng sau nó không còn là tên "
                         "trang nữa, trang được mở là '{host}'.").format(host=host))
    if userinfo:
        reasons.append(_(
            "Phần '{userinfo}' đứng trước dấu @ chỉ là tên đăng nhập, không phải tên trang: "
            "trình duyệt sẽ mở trang '{host}'.").format(userinfo=userinfo, host=host))
        lowered = userinfo.lower()
        imitates = next((o.domain for o in sorted(catalogue.officials, key=lambda o: -len(o.domain))
                         if o.domain in lowered), None)
    trailing_dot = host.endswith(".")
    host = host[:-1] if trailing_dot else host
    labels = host.split(".")
    if not host or "" in labels:
        reasons.append(_(
            "Tên trang '{host}' bị trống hoặc có hai dấu chấm liền nhau: đây không phải địa chỉ "
            "hợp lệ.").format(host=raw_host))
        return LinkVerdict(False, tuple(reasons), host, None, imitates)

    shown = []
    for label in labels:
        if label.startswith("xn--"):
            try:
                decoded = label.encode("ascii").decode("idna")
            except (UnicodeError, ValueError):
                reasons.append(_(
                    "Phần '{label}' viết theo kiểu punycode nhưng bị hỏng: đây không phải địa chỉ "
                    "hợp lệ.").format(label=label))
                return LinkVerdict(False, tuple(reasons), host, None, imitates)
            reasons.append(_(
                "Phần '{label}' là cách viết punycode của '{decoded}': trình duyệt hiện 'xn--' khi "
                "tên miền có ký tự không phải chữ Latin không dấu, dấu hiệu của tên miền giả "
                "dạng.").format(label=label, decoded=decoded))
            shown.append(decoded)
        else:
            shown.append(label)
    host = ".".join(shown)
    ascii_ok = all(_LABEL.fullmatch(label) for label in shown)
    suffix_labels = suffix.split(".")
    under_gov = len(shown) > len(suffix_labels) and shown[-len(suffix_labels):] == suffix_labels

    if _is_ip(host):
        reasons.insert(0, _(
            "Tên trang là một dãy số (địa chỉ IP '{host}') chứ không phải tên miền của cơ quan "
            "nhà nước.").format(host=host))
        return LinkVerdict(False, tuple(reasons), host, None, imitates)

    if ascii_ok and under_gov:
        return _genuine(catalogue, host, shown, scheme, reasons, trailing_dot,
                        any(c.isupper() for c in unquote(shown_host)), imitates)

    odd = []
    for char in dict.fromkeys(host):
        if not char.isascii() and " WITH " in unicodedata.name(char, ""):
            odd.append(_("Tên miền có chữ có dấu '{char}'; tên miền của cơ quan nhà nước không dùng "
                         "chữ có dấu.").format(char=char))
        elif not char.isascii():
            looks = _skeleton(char)
            odd.append(_("Ký tự '{char}' trong tên miền là {script}, trông giống '{looks}' nhưng "
                         "là một chữ khác.").format(char=char, script=_script_of(char), looks=looks))
    bad_ascii = sorted({c for c in host if c.isascii() and not (c.isalnum() or c in ".-")})
    if bad_ascii:
        odd.append(_("Tên miền có ký tự không được phép {chars}.").format(chars=" ".join(
            repr(c) for c in bad_ascii)))
    registrable = ".".join(_registrable(shown))
    if under_gov:
        reasons.insert(0, _(
            "Tên miền trông như kết thúc bằng .{suffix} nhưng có ký tự lạ nên không phải địa chỉ "
            "thật của cơ quan nhà nước; tên miền thật chỉ gồm chữ a–z không dấu, chữ số và dấu "
            "gạch ngang.").format(suffix=suffix))
    else:
        reasons.insert(0, _(
            "Tên miền chính là '{domain}' (phần cuối của tên trang, trước dấu '/' đầu tiên): nó "
            "không kết thúc bằng .{suffix} nên không phải trang của cơ quan nhà nước.").format(
                domain=registrable, suffix=suffix))
    reasons.extend(odd)
    found, copied = _imitation(catalogue, shown, registrable, under_gov)
    reasons.extend(found)
    if shown[-1] == RESERVED_TLD:
        reasons.append(_(
            "Đuôi .invalid là đuôi dành riêng cho ví dụ, không ai đăng ký được: phòng thực hành "
            "dùng nó thay cho các đuôi kẻ gian hay dùng (.top, .xyz, .com...) để địa chỉ giả này "
            "không mở được trang nào."))
    return LinkVerdict(False, tuple(dict.fromkeys(reasons)), host, None, imitates or copied)


def _genuine(catalogue: ScamCatalogue, host: str, labels: list[str], scheme: str,
             notes: list[str], trailing_dot: bool, upper: bool, imitates: str | None
             ) -> LinkVerdict:
    suffix = catalogue.suffix
    domain = ".".join(labels[-len(suffix.split(".")) - 1:])
    reasons = [_("Tên miền chính là '{domain}': kết thúc bằng .{suffix}, đuôi chỉ cấp cho cơ quan "
                 "nhà nước.").format(domain=domain, suffix=suffix)]
    official = next((o for o in sorted(catalogue.officials, key=lambda o: -len(o.domain))
                     if host == o.domain or host.endswith("." + o.domain)), None)
    if official is not None:
        reasons.append(_("Đây là địa chỉ của {name} ({domain}).").format(
            name=official.name, domain=official.domain))
    else:
        reasons.append(_(
            "Địa chỉ này của một cơ quan nhà nước nhưng không có trong danh sách cổng chính thức "
            "của phòng thực hành; xem kỹ có đúng cơ quan mình cần không trước khi nhập thông tin."))
    if upper:
        reasons.append(_("Chữ hoa hay chữ thường không làm đổi địa chỉ trang web."))
    if trailing_dot:
        reasons.append(_("Dấu chấm ở cuối tên miền không làm đổi địa chỉ trang web."))
    if scheme == "http":
        reasons.append(_("Đường link dùng http:// (không mã hóa); nên tự gõ lại địa chỉ bắt đầu "
                         "bằng https://."))
    reasons.extend(notes)
    return LinkVerdict(True, tuple(reasons), host,
                       official.domain if official else None, imitates)


def _imitation(catalogue: ScamCatalogue, labels: list[str], registrable: str, under_gov: bool
               ) -> tuple[list[str], str | None]:
    """Reasons a fake host looks like an official one, and which one it copies."""
    suffix = catalogue.suffix
    reasons: list[str] = []
    copied: str | None = None
    used: set[int] = set()
    for official in sorted(catalogue.officials, key=lambda o: -len(o.domain)):
        run = official.domain.split(".")
        for start in range(len(labels) - len(run)):  # the official name, then more labels
            if labels[start:start + len(run)] == run and not used & set(range(start, start + len(run))):
                reasons.append(_(
                    "'{official}' chỉ là phần tên phụ do chủ trang '{domain}' tự đặt ở đầu; trang "
                    "nào được mở là do phần cuối quyết định.").format(
                        official=official.domain, domain=registrable))
                copied = copied or official.domain
                used.update(range(start, start + len(run)))
                break
    tld_size = len(registrable.split(".")) - 1
    name_labels = [(i, label) for i, label in enumerate(labels[:len(labels) - tld_size])
                   if i not in used]
    tokens = []
    for _i, label in name_labels:
        tokens.extend(dict.fromkeys([label.replace("-", ""), label, *label.split("-")]))
    if not under_gov and any("gov" in token for token in tokens):
        reasons.append(_("Có chữ 'gov' trong tên nhưng tên miền không kết thúc bằng .{suffix}: chỉ "
                         "đuôi .{suffix} mới là của cơ quan nhà nước.").format(suffix=suffix))
    names = _names(catalogue)
    tld = registrable.split(".", 1)[1] if "." in registrable else registrable
    for level in ("exact", "looks", "near", "contains"):
        for token in tokens:
            for name, official in names.items():
                reason = _match(level, token, name, official, registrable, tld, suffix)
                if reason:
                    reasons.append(reason)
                    return reasons, copied or official.domain
    return reasons, copied


def _match(level: str, token: str, name: str, official: OfficialDomain, registrable: str,
           tld: str, suffix: str) -> str | None:
    if level == "exact" and token == name:
        return _("Tên '{name}' của {title} bị gắn vào tên miền '{domain}' có đuôi '.{tld}' chứ "
                 "không phải '.{suffix}'.").format(name=name, title=official.name,
                                                   domain=registrable, tld=tld, suffix=suffix)
    if level == "looks":
        swaps = _swaps(token, name)
        if swaps:
            return _("'{token}' trông giống '{name}' ({title}) nhưng đã bị đổi chữ: {swaps}.").format(
                token=token, name=name, title=official.name, swaps=", ".join(swaps))
    if level == "contains" and len(name) >= 4 and name in token and token != name:
        return _("Tên '{token}' ghép thêm chữ vào tên '{name}' của {title}.").format(
            token=token, name=name, title=official.name)
    if level == "near" and len(name) >= 5:
        skeleton = _skeleton(token)
        distance = _distance(skeleton, name)
        if 0 < distance <= (2 if len(name) >= 8 else 1):
            return _("Tên '{token}' gần giống '{name}' của {title}: {edit}.").format(
                token=token, name=name, title=official.name, edit=_describe_edit(skeleton, name))
    return None


# --- practice items --------------------------------------------------------------------------

@dataclass(frozen=True)
class ScamItem:
    """One practice item; ``is_scam``, ``red_flags`` and ``right_response`` are the answer."""

    id: str
    pattern: str
    channel: str  # "qr", "link", "call", "sms"
    content: str  # call or SMS text, QR payload, or URL
    is_scam: bool
    red_flags: tuple[str, ...]  # Vietnamese; empty for genuine items
    right_response: str  # Vietnamese: what the volunteer tells the resident
    source: str
    kind: str = ""  # which variant of the pattern ("sticker", "crc", "homoglyph", a script id)
    context: str = ""  # Vietnamese: the situation shown with the item; never gives the answer
    # Hosts the item's cited reports name: the only registrable look-alikes it may show.
    names: tuple[str, ...] = ()
    # What the situation says, for graders: shop name/account, the amount told, the link, the
    # decoder problem codes the QR payload must show.
    expected: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}), hash=False)


@dataclass(frozen=True)
class _Person:
    name: str
    given: str
    female: bool

    @property
    def honorific(self) -> str:
        return "bà" if self.female else "ông"

    @property
    def call(self) -> str:
        return f"{self.honorific} {self.given}"


_MIDDLE = {False: ("Văn", "Đức", "Quang", "Hữu", "Minh", "Công"),
           True: ("Thị", "Ngọc", "Thu", "Thanh", "Kim", "Thùy")}
_RANKS = ("Trung úy", "Thượng úy", "Đại úy")


@cache
def _faker() -> Faker:
    return vietnamese_faker()


class _Maker:
    """Random choices for one item; seeded by (seed, pattern, index) only."""

    def __init__(self, seed: int, pattern: str, index: int):
        key = f"kynangso-scam-{seed}-{pattern}-{index}"
        self.rng = random.Random(key)
        self.fake = _faker()
        self.fake.seed_instance(key)

    def person(self, *, avoid: tuple[str, ...] = ()) -> _Person:
        for _attempt in range(20):
            female = self.rng.random() < 0.5
            given = self.fake.first_name_female() if female else self.fake.first_name_male()
            middle = self.rng.choice([m for m in _MIDDLE[female] if m != given])
            name = f"{self.fake.last_name()} {middle} {given}"
            if name not in avoid and _qr_name(name) not in avoid:
                return _Person(name, given, female)
        raise AssertionError("could not draw a distinct synthetic name")  # pragma: no cover

    def account(self, *, avoid: str = "") -> str:
        while True:
            digits = self.rng.randint(10, 13)
            account = f"{self.rng.randint(1, 9)}{self.rng.randrange(10 ** (digits - 1)):0{digits - 1}d}"
            if account != avoid and account[-4:] != avoid[-4:]:
                return account

    def phone(self) -> str:
        # Masked like press reports ("0947.xxx..."): it reads as a number but rings no one.
        return f"0{self.rng.choice('35789')}{self.rng.randint(10, 99)}.xxx.{self.rng.randint(0, 999):03d}"


def _qr_name(name: str) -> str:
    """How a bank prints an account holder: upper case, no diacritics, at most 25 characters."""
    plain = unidecode(nfc(name)).upper()
    words = plain.split()
    while len(plain) > 25 and len(words) > 2:
        words.pop(1)
        plain = " ".join(words)
    return plain[:25]


def _vnd(amount: int) -> str:
    from babel.numbers import format_decimal  # only needed for text

    return f"{format_decimal(amount, locale='vi_VN')} đồng"


def _cite(source: Source, extra: str = "") -> str:
    return (extra + source.cite()) if extra else source.cite()


def _item(pattern: str, seed: int, index: int, **fields: Any) -> ScamItem:
    expected = MappingProxyType(dict(fields.pop("expected", {})))
    return ScamItem(id=f"{_CODES[pattern]}-{seed}-{index + 1:02d}", pattern=pattern,
                    expected=expected, **fields)


def _kinds(catalogue: ScamCatalogue, pattern: str) -> tuple[str, ...]:
    if pattern == "qr_sticker":
        return STICKER_KINDS
    if pattern == "qr_tampered":
        return TAMPER_KINDS
    if pattern == "lookalike_link":
        return LINK_KINDS
    if pattern == "otp_script":
        return tuple(s.id for s in catalogue.scripts)
    return ("correct_qr", *(s.id for s in catalogue.genuine))


def _training_bin() -> str:
    return load_banks().training_bank.bin


def _sticker(catalogue: ScamCatalogue, seed: int, index: int, kind: str, m: _Maker) -> ScamItem:
    ward = load_locality().ward_title
    owner = m.person()
    shop = f"{m.rng.choice(catalogue.shop_kinds)} {'cô' if owner.female else 'chú'} {owner.given}"
    shop_name, shop_account = _qr_name(owner.name), m.account()
    resident = m.person(avoid=(owner.name,))
    amount = m.rng.choice((25000, 35000, 48000, 120000))
    bin_ = _training_bin()
    tail = shop_account[-4:]
    context = _(
        "{resident} đang trả tiền ở {shop} ({ward}). Tấm biển ở quầy ghi: chủ tài khoản {name}, số tài "
        "khoản đuôi {tail}, {bank}. {honorific} quét mã QR dán ở quầy để trả {amount}.").format(
            resident=f"{resident.honorific.capitalize()} {resident.name}", shop=shop, ward=ward,
            name=shop_name, tail=tail, bank=load_banks().training_bank.short_name,
            honorific=resident.honorific.capitalize(), amount=_vnd(amount))
    expected = {"shop_name": shop_name, "shop_account": shop_account, "bin": bin_,
                "amount": amount, "problems": ()}
    if kind == "sticker":
        thief = m.person(avoid=(owner.name, resident.name))
        account = m.account(avoid=shop_account)
        payload = encode(VietQR(bin_, account, name=_qr_name(thief.name))).payload
        flags = (
            _("Tên người nhận trong mã là {got!r}, không phải chủ quán {want!r}.").format(
                got=_qr_name(thief.name), want=shop_name),
            _("Số tài khoản trong mã là {got}, không khớp số đuôi {tail} ghi ở quầy.").format(
                got=account, tail=tail),
            _("Mã dán ở chỗ ai cũng với tới được, kẻ gian có thể dán mã của mình đè lên."),
        )
        right = _(
            "Chưa chuyển tiền. Báo ngay cho chủ quán rằng mã ở quầy đã bị dán đè, rồi trả theo mã "
            "hoặc số tài khoản chủ quán đưa trực tiếp. Dặn {resident}: lần nào cũng đọc tên người "
            "nhận hiện trên màn hình trước khi bấm xác nhận.").format(resident=resident.call)
        return _item("qr_sticker", seed, index, channel="qr", content=payload, is_scam=True,
                     red_flags=flags, right_response=right, kind=kind, context=context,
                     source=_cite(catalogue.pattern_sources["qr_sticker"]), expected=expected)
    payload = encode(VietQR(bin_, shop_account, name=shop_name)).payload
    right = _(
        "Có thể trả tiền: tên người nhận {name!r} và số tài khoản đuôi {tail} khớp với tấm biển ở "
        "quầy. Nhập đúng {amount}, đọc lại tên người nhận trước khi xác nhận, rồi chờ chủ quán báo "
        "đã nhận được tiền.").format(name=shop_name, tail=tail, amount=_vnd(amount))
    return _item("qr_sticker", seed, index, channel="qr", content=payload, is_scam=False,
                 red_flags=(), right_response=right, kind=kind, context=context,
                 source=_cite(catalogue.pattern_sources["qr_sticker"]), expected=expected)


@dataclass(frozen=True)
class _BillScene:
    """A resident told to pay ``told`` for a bill, and the correct code for it."""

    bill: Bill
    told: int
    resident: _Person
    qr: VietQR
    context: str

    @property
    def expected(self) -> dict[str, Any]:
        return {"amount": self.told, "name": self.qr.name, "account": self.qr.account,
                "bin": self.qr.bin, "problems": ()}


def _bill(catalogue: ScamCatalogue, m: _Maker) -> _BillScene:
    bill = m.rng.choice(catalogue.bills)
    told = m.rng.choice(bill.amounts)
    payee = m.person()
    resident = m.person(avoid=(payee.name,))
    qr = VietQR(_training_bin(), m.account(), amount=told, name=_qr_name(payee.name),
                purpose=bill.purpose)
    context = _(
        "{resident} được {role} ({payee}) báo phải trả {amount} cho khoản \"{purpose}\", kèm mã QR "
        "này để chuyển khoản.").format(
            resident=f"{resident.honorific.capitalize()} {resident.name}", role=bill.payee_role,
            payee=payee.name, amount=_vnd(told), purpose=bill.purpose)
    return _BillScene(bill, told, resident, qr, context)


def _tlv(payload: str, path: str) -> tuple[int, str]:
    """Where the value at ``path`` starts in ``payload``, and the value."""
    nodes = decode(payload).fields
    node = None
    for part in path.split("."):
        node = next(n for n in nodes if n.id == part)
        nodes = node.children or ()
    assert node is not None
    return node.offset + 4, node.value


def _edit_digit(value: str, m: _Maker, *, first_nonzero: bool) -> str:
    i = m.rng.randrange(len(value))
    digits = [d for d in "0123456789" if d != value[i] and not (i == 0 and first_nonzero and d == "0")]
    return value[:i] + m.rng.choice(digits) + value[i + 1:]


def _tampered(catalogue: ScamCatalogue, seed: int, index: int, kind: str, m: _Maker) -> ScamItem:
    scene = _bill(catalogue, m)
    bill, told, resident, qr, context = (scene.bill, scene.told, scene.resident, scene.qr,
                                         scene.context)
    payload = encode(qr).payload
    expected = scene.expected
    source = _cite(catalogue.pattern_sources["qr_tampered"])
    if kind == "amount":
        tampered = m.rng.choice((told * 10, int("1" + str(told)), told + 900000))
        content = encode(replace(qr, amount=tampered)).payload
        flags = (
            _("Số tiền trong mã là {got}, khác số tiền được báo {want}.").format(
                got=_vnd(tampered), want=_vnd(told)),
            _("Mã có sẵn số tiền nên ứng dụng tự điền, người trả dễ bấm xác nhận mà không đọc "
              "lại."),
        )
        right = _(
            "Không xác nhận chuyển khoản. Số tiền trong mã phải đúng {want}; hỏi lại trực tiếp "
            "{role} (hoặc gọi số điện thoại đã biết từ trước) và xin mã đúng. Dặn {resident}: đọc "
            "lại cả số tiền lẫn tên người nhận trước khi bấm xác nhận.").format(
                want=_vnd(told), role=bill.payee_role, resident=resident.call)
        return _item("qr_tampered", seed, index, channel="qr", content=content, is_scam=True,
                     red_flags=flags, right_response=right, kind=kind, context=context,
                     source=source, expected=expected | {"qr_amount": tampered})
    if kind == "crc":
        field_path = m.rng.choice(("54", "38.01.01"))
        start, value = _tlv(payload, field_path)
        # Edited by hand, same length, CRC left as it was.
        new = _edit_digit(value, m, first_nonzero=field_path == "54")
        content = payload[:start] + new + payload[start + len(value):]
        problems: tuple[str, ...] = ("crc_mismatch",)
        explain = _("Mã kiểm tra (CRC) không khớp: nội dung mã đã bị sửa sau khi tạo, có thể số "
                    "tiền hoặc số tài khoản đã bị đổi.")
        right = _(
            "Không trả theo mã này: ứng dụng ngân hàng sẽ báo mã lỗi, và đừng tự gõ lại số tài "
            "khoản hay số tiền đọc được từ mã. Xin {role} một mã mới, rồi kiểm tra tên người nhận "
            "và số tiền {want}.").format(role=bill.payee_role, want=_vnd(told))
    else:
        # A character added by hand, declared length not updated, CRC recomputed with a tool.
        # Only top-level fields: inside 38 three nested lengths would all be wrong at once.
        field_path = m.rng.choice(("54", "59") if len(qr.name or "") < 25 else ("54",))
        start, value = _tlv(payload, field_path)
        new = value + m.rng.choice("0123456789" if field_path == "54" else "NHT")
        edited = payload[:start] + new + payload[start + len(value):]
        content = edited[:-4] + crc16(edited[:-4])
        problems = ("length_mismatch",)
        explain = _("Mã kiểm tra (CRC) vẫn đúng vì người sửa đã tính lại, nhưng độ dài khai báo "
                    "không khớp với giá trị: CRC đúng không chứng tỏ mã hợp lệ.")
        right = _(
            "Không trả theo mã này: cấu trúc mã đã bị sửa bằng tay nên số tiền hay số tài khoản "
            "đọc ra không đáng tin. Xin {role} một mã mới, rồi kiểm tra tên người nhận và số tiền "
            "{want}.").format(role=bill.payee_role, want=_vnd(told))
    found = tuple(p.message for p in decode(content).problems)
    return _item("qr_tampered", seed, index, channel="qr", content=content, is_scam=True,
                 red_flags=(explain, *found), right_response=right, kind=kind, context=context,
                 source=source, expected=expected | {"problems": problems, "edited": field_path})


_HOMOGLYPHS = {"a": "а", "e": "е", "o": "о", "p": "р", "c": "с", "y": "у", "x": "х", "i": "і",
               "s": "ѕ", "h": "һ", "d": "ԁ"}


def _link(catalogue: ScamCatalogue, seed: int, index: int, kind: str, m: _Maker) -> ScamItem:
    size = len(catalogue.suffix.split("."))
    simple = [o for o in catalogue.officials if len(o.domain.split(".")) == size + 1]
    target = m.rng.choice(simple)
    name = target.domain.split(".")[0]
    tld = RESERVED_TLD  # invented hosts never resolve and name no real site
    path = m.rng.choice(catalogue.paths)
    word = m.rng.choice(catalogue.words)
    pattern_source = catalogue.pattern_sources["lookalike_link"]
    source = _cite(pattern_source, _("Biến thể do phòng thực hành tạo theo thủ đoạn đã được cảnh "
                                     "báo; nguồn: "))
    names: tuple[str, ...] = ()
    if kind == "reported":
        link = m.rng.choice(catalogue.reported)
        url, imitated, source = link.url, link.imitates, link.source.cite()
        names = tuple(sorted(link.source.names))
    elif kind.startswith("official"):
        official = m.rng.choice(catalogue.officials)
        url, imitated = f"https://{official.domain}{path}", official.domain
        if kind == "official_upper":
            url = f"HTTPS://{official.domain.upper()}{path}"
        elif kind == "official_dot":
            url = f"https://{official.domain}.{path}"
        source = official.source.cite()
    else:
        imitated = target.domain
        if kind == "extra_letter":
            at = m.rng.randrange(1, len(name))
            fake = m.rng.choice((name + "s", name + name[-1], name[:at] + name[at - 1] + name[at:]))
            host = f"{fake}.{tld}"
        elif kind == "wrong_tld":
            host = f"{name}.{tld}"
        elif kind == "gov_hyphen":
            host = m.rng.choice((f"{name}-gov-vn.{tld}", f"{name}-gov.{tld}", f"gov-{name}.{tld}"))
        elif kind == "subdomain":
            official = m.rng.choice(catalogue.officials)
            host, imitated = f"{official.domain}.{word}.{tld}", official.domain
        elif kind == "userinfo":
            official = m.rng.choice(catalogue.officials)
            host, imitated = f"{official.domain}@{word}.{tld}", official.domain
        elif kind == "borrowed_gov":
            host = f"{name}.{m.rng.choice(('bv', 'vn', 'cs', 'tt'))}gov.{tld}"
        elif kind == "digit":
            spots = [i for i, c in enumerate(name) if c in "oli"]
            i = m.rng.choice(spots)
            host = f"{name[:i]}{'0' if name[i] == 'o' else '1'}{name[i + 1:]}.{tld}"
        else:  # homoglyph, punycode: one letter swapped for a Cyrillic twin
            spots = [i for i, c in enumerate(name) if c in _HOMOGLYPHS]
            i = m.rng.choice(spots)
            label = name[:i] + _HOMOGLYPHS[name[i]] + name[i + 1:]
            if kind == "punycode":
                label = label.encode("idna").decode("ascii")
            host = f"{label}.{tld}"
        url = f"https://{host}{path}"
    is_scam = not kind.startswith("official")
    verdict = check_link(url, catalogue=catalogue)
    official = catalogue.official(imitated)
    if is_scam:
        right = _(
            "Không bấm vào đường link này và không nhập thông tin gì. Nếu cần dùng {name} thì tự gõ "
            "địa chỉ https://{domain} (hoặc mở ứng dụng tải từ App Store/CH Play); nếu đã lỡ nhập "
            "mật khẩu hay mã OTP thì đổi mật khẩu, gọi ngay ngân hàng và báo công an.").format(
                name=official.name, domain=official.domain)
    else:
        right = _(
            "Đường link đúng là của {name}: tên miền kết thúc bằng .{suffix}. Vẫn chỉ nhập thông tin "
            "khi tự mình mở trang, và không đọc mã OTP cho ai qua điện thoại.").format(
                name=official.name, suffix=catalogue.suffix)
    context = _("Người dân đưa cho bạn xem đường link này và hỏi có phải trang của {name} "
                "không.").format(name=official.name)
    return _item("lookalike_link", seed, index, channel="link", content=url, is_scam=is_scam,
                 red_flags=verdict.reasons if is_scam else (), right_response=right, kind=kind,
                 context=context, source=source, names=names,
                 expected={"url": url, "imitates": imitated if is_scam else None,
                           "official": None if is_scam else imitated})


def _values(script: Script, m: _Maker) -> dict[str, str]:
    """Synthetic values for every placeholder, drawn in a fixed order."""
    locality = load_locality()
    resident = m.person()
    banks = sorted((b for b in load_banks() if not b.training), key=lambda b: b.bin)
    bank = m.rng.choice(banks).short_name
    bank_slug = re.sub(r"[^a-z0-9]", "", unidecode(bank).lower())
    day = REFERENCE_DATE + timedelta(days=m.rng.randint(2, 12))
    link = m.rng.choice(script.links).format(bank_slug=bank_slug) if script.links else ""
    return {
        "resident": f"{resident.honorific} {resident.name}",
        "resident_call": resident.call,
        "honorific": resident.honorific,
        "Honorific": resident.honorific.capitalize(),
        "officer": f"{m.rng.choice(_RANKS)} {m.person(avoid=(resident.name,)).name}",
        "volunteer": m.person(avoid=(resident.name,)).name,
        "ward": locality.ward_title,
        "centre": locality.centre,
        "group": m.rng.choice(locality.residential_groups).name,
        "phone": m.phone(),
        "sender": m.rng.choice(script.senders) if script.senders else "",
        "link": link,
        "amount": _vnd(m.rng.choice(script.amounts)) if script.amounts else "",
        "plate": f"{m.rng.choice(('36', '29', '30', '51', '43'))}{m.rng.choice('ABCDEFGHK')}-"
                 f"{m.rng.randint(100, 999)}.{m.rng.randint(10, 99)}",
        "date": f"{day:%d/%m/%Y}",
        "code": locality.dossier_code(day - timedelta(days=7), m.rng.randint(1, 300)),
        "counter": str(m.rng.choice(locality.counters).number),
        "bank": bank,
        "bank_slug": bank_slug,
    }


def _from_script(script: Script, pattern: str, seed: int, index: int, m: _Maker, is_scam: bool
                 ) -> ScamItem:
    values = _values(script, m)
    expected: dict[str, Any] = {"script": script.id, "link": values["link"] or None}
    if script.channel == "qr":
        expected["problems"] = ("not_vietqr",)  # a web address, not a payment code
    content = script.text.format(**values)
    return _item(pattern, seed, index, channel=script.channel,
                 content=content if script.channel == "qr" else _sentence(content),
                 is_scam=is_scam,
                 red_flags=tuple(_sentence(flag.format(**values)) for flag in script.red_flags),
                 right_response=_sentence(script.right_response.format(**values)), kind=script.id,
                 context=_sentence(script.context.format(**values)), source=script.source.cite(),
                 names=tuple(sorted(script.source.names)), expected=expected)


def _sentence(text: str) -> str:
    """Templates may open with a placeholder such as "bà Hoa"; a sentence starts upper case."""
    return text[:1].upper() + text[1:]


def _correct_qr(catalogue: ScamCatalogue, seed: int, index: int, m: _Maker) -> ScamItem:
    scene = _bill(catalogue, m)
    right = _(
        "Mã đúng: tên người nhận {name!r} và số tiền {amount} khớp với điều đã được báo, mã đọc "
        "được không có lỗi. {resident} có thể chuyển khoản, rồi chụp lại màn hình giao dịch thành "
        "công để đối chiếu khi cần.").format(name=scene.qr.name, amount=_vnd(scene.told),
                                            resident=_sentence(scene.resident.call))
    return _item("genuine", seed, index, channel="qr", content=encode(scene.qr).payload,
                 is_scam=False, red_flags=(), right_response=right, kind="correct_qr",
                 context=scene.context, source=_cite(catalogue.pattern_sources["genuine"]),
                 expected=scene.expected)


def _make(catalogue: ScamCatalogue, pattern: str, seed: int, index: int) -> ScamItem:
    kinds = _kinds(catalogue, pattern)
    kind = kinds[(seed + index) % len(kinds)]
    m = _Maker(seed, pattern, index)
    if pattern == "qr_sticker":
        return _sticker(catalogue, seed, index, kind, m)
    if pattern == "qr_tampered":
        return _tampered(catalogue, seed, index, kind, m)
    if pattern == "lookalike_link":
        return _link(catalogue, seed, index, kind, m)
    if pattern == "otp_script":
        script = next(s for s in catalogue.scripts if s.id == kind)
        return _from_script(script, pattern, seed, index, m, True)
    if kind == "correct_qr":
        return _correct_qr(catalogue, seed, index, m)
    script = next(s for s in catalogue.genuine if s.id == kind)
    return _from_script(script, pattern, seed, index, m, False)


def _check_seed(seed: object) -> int:
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise InvalidInput(_("Số khởi tạo ngẫu nhiên (seed) phải là số nguyên từ 0 trở lên, nhận "
                             "được {value!r}").format(value=seed), field="seed", value=seed)
    return seed


def _check_count(n: object, name: str) -> int:
    if isinstance(n, bool) or not isinstance(n, int) or not 0 <= n <= MAX_PER_PATTERN:
        raise InvalidInput(_("Số mục mỗi dạng ({name}) phải từ 0 đến {max}, nhận được "
                             "{value!r}").format(name=name, max=MAX_PER_PATTERN, value=n),
                           field=name, value=n)
    return n


def generate(pattern: str, seed: int = 0, n: int = 2, *,
             catalogue: ScamCatalogue | None = None) -> list[ScamItem]:
    """Items ``0..n-1`` of one pattern, in order; variants rotate with the seed."""
    if pattern not in PATTERNS:
        raise InvalidInput(_("Dạng lừa đảo (pattern) phải là một trong {allowed}, nhận được "
                             "{value!r}").format(allowed=", ".join(PATTERNS), value=pattern),
                           field="pattern", value=pattern)
    seed, n = _check_seed(seed), _check_count(n, "n")
    catalogue = catalogue if catalogue is not None else load_scams()
    return [_make(catalogue, pattern, seed, i) for i in range(n)]


def scam_set(seed: int = 0, n_per_pattern: int = 2, *,
             catalogue: ScamCatalogue | None = None) -> list[ScamItem]:
    """``n_per_pattern`` items of every pattern, shuffled; the same seed gives the same list."""
    seed, n = _check_seed(seed), _check_count(n_per_pattern, "n_per_pattern")
    catalogue = catalogue if catalogue is not None else load_scams()
    items = [_make(catalogue, p, seed, i) for p in PATTERNS for i in range(n)]
    random.Random(f"kynangso-scamset-{seed}").shuffle(items)
    return items


def item_by_id(item_id: str, *, catalogue: ScamCatalogue | None = None) -> ScamItem:
    """The item with this id (e.g. "QD-0-01"), rebuilt from its seed and position."""
    match = _ID.fullmatch(item_id.strip().upper()) if isinstance(item_id, str) else None
    if match is None or match.group(1) not in _PATTERN_BY_CODE or int(match.group(3)) < 1:
        raise MissingEntry(_("Không có bài tập mã {value!r} (mã bài item_id có dạng QD-0-01; "
                             "QD, QS, LK, KB hoặc TH, rồi số khởi tạo và số thứ tự)").format(
                                 value=item_id), field="item_id", value=item_id)
    catalogue = catalogue if catalogue is not None else load_scams()
    pattern = _PATTERN_BY_CODE[match.group(1)]
    return _make(catalogue, pattern, int(match.group(2)), int(match.group(3)) - 1)


