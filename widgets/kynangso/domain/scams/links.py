"""Link checker: does a link open an official ``.gov.vn`` site, and if not, why not.

:func:`check_link` reads the host as a browser does (missing scheme, ``user@host``, backslash,
upper case, trailing dot, full-width letters and dots, percent-encoding, punycode) and names the
official portal a fake copies: an extra or missing letter, a look-alike letter from another
script (``data/lookalikes.yaml``), "gov" in the wrong place, an official name used as a
subdomain. Its reasons are Vietnamese or English (``data/scam_texts.yaml``).
"""

from __future__ import annotations

import ipaddress
import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from unidecode import unidecode

from ...errors import InvalidInput
from ...i18n import _, nfc
from .catalogue import RESERVED_TLD, OfficialDomain, ScamCatalogue, load_scams
from .lookalikes import load_lookalikes
from .texts import tr


@dataclass(frozen=True)
class LinkVerdict:
    """Whether a link is on an official ``.gov.vn`` domain, and why (in the current language)."""

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


def _script_of(char: str) -> str:
    name = unicodedata.name(char, "")
    if name.startswith("CYRILLIC"):
        return tr("letter_scripts.cyrillic")
    if name.startswith("GREEK"):
        return tr("letter_scripts.greek")
    if name.startswith("ARMENIAN"):
        return tr("letter_scripts.armenian")
    if name.startswith("LATIN") and " WITH " in name:
        return tr("letter_scripts.accented")
    if name.startswith("LATIN"):
        return tr("letter_scripts.latin_variant")
    return tr("letter_scripts.other")


def _skeleton(text: str) -> str:
    """What a label looks like in Latin letters ("dịchvụcоng" -> "dichvucong")."""
    letters = load_lookalikes().letters
    mapped = "".join(letters.get(c, c) for c in text)
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
                return tr("edits.added").format(char=fake[i])
    if len(fake) + 1 == len(real):
        for i in range(len(real)):
            if real[:i] + real[i + 1:] == fake:
                return tr("edits.dropped").format(char=real[i])
    if len(fake) == len(real):
        diff = [i for i in range(len(fake)) if fake[i] != real[i]]
        if len(diff) == 1:
            i = diff[0]
            return tr("edits.replaced").format(new=fake[i], old=real[i])
        if len(diff) == 2 and diff[1] == diff[0] + 1 and fake[diff[0]] == real[diff[1]] \
                and fake[diff[1]] == real[diff[0]]:
            return tr("edits.swapped").format(a=real[diff[0]], b=real[diff[1]])
    return tr("edits.differs").format(n=_distance(fake, real))


def _swaps(token: str, name: str) -> list[str] | None:
    """The look-alike characters that make ``token`` read as ``name``, or None."""
    if len(token) == len(name):
        pairs = [(t, n) for t, n in zip(token, name, strict=True) if t != n]
        digits = load_lookalikes().digits
        if pairs and all(_skeleton(t) == n or n in digits.get(t, "") for t, n in pairs):
            return [tr("edits.replaced").format(new=t, old=n) for t, n in pairs]
    if "rn" in token and token.replace("rn", "m") == name:
        return [tr("edits.replaced").format(new="rn", old="m")]
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
    # The link stays in error.value; the message states the rule without echoing it.
    return InvalidInput(_("Đường link (url): {rule}").format(rule=rule), field="url", value=url)


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
        return LinkVerdict(False, (tr("checker.not_web").format(scheme=scheme),))
    try:
        parts = urlsplit(text)
        raw_host = parts.hostname or ""
        parts.port  # noqa: B018 - raises ValueError on a port browsers refuse too
    except ValueError:
        return LinkVerdict(False, (tr("checker.unreadable").format(
                value=url),))

    reasons: list[str] = []
    userinfo, _at, shown_host = parts.netloc.rpartition("@")
    host = unicodedata.normalize("NFKC", unquote(raw_host).translate(_DOTS)).lower()
    imitates: str | None = None
    if backslash:
        reasons.append(tr("checker.backslash").format(host=host))
    if userinfo:
        reasons.append(tr("checker.userinfo").format(userinfo=userinfo, host=host))
        lowered = userinfo.lower()
        imitates = next((o.domain for o in sorted(catalogue.officials, key=lambda o: -len(o.domain))
                         if o.domain in lowered), None)
    trailing_dot = host.endswith(".")
    host = host[:-1] if trailing_dot else host
    labels = host.split(".")
    if not host or "" in labels:
        reasons.append(tr("checker.empty_label").format(host=raw_host))
        return LinkVerdict(False, tuple(reasons), host, None, imitates)

    shown = []
    for label in labels:
        if label.startswith("xn--"):
            try:
                decoded = label.encode("ascii").decode("idna")
            except (UnicodeError, ValueError):
                reasons.append(tr("checker.broken_punycode").format(label=label))
                return LinkVerdict(False, tuple(reasons), host, None, imitates)
            reasons.append(tr("checker.punycode").format(label=label, decoded=decoded))
            shown.append(decoded)
        else:
            shown.append(label)
    host = ".".join(shown)
    ascii_ok = all(_LABEL.fullmatch(label) for label in shown)
    suffix_labels = suffix.split(".")
    under_gov = len(shown) > len(suffix_labels) and shown[-len(suffix_labels):] == suffix_labels

    if _is_ip(host):
        reasons.insert(0, tr("checker.ip_address").format(host=host))
        return LinkVerdict(False, tuple(reasons), host, None, imitates)

    if ascii_ok and under_gov:
        return _genuine(catalogue, host, shown, scheme, reasons, trailing_dot,
                        any(c.isupper() for c in unquote(shown_host)), imitates)

    odd = []
    for char in dict.fromkeys(host):
        if not char.isascii() and " WITH " in unicodedata.name(char, ""):
            odd.append(tr("checker.accented_letter").format(char=char))
        elif not char.isascii():
            looks = _skeleton(char)
            odd.append(tr("checker.lookalike_letter").format(char=char, script=_script_of(char), looks=looks))
    bad_ascii = sorted({c for c in host if c.isascii() and not (c.isalnum() or c in ".-")})
    if bad_ascii:
        odd.append(tr("checker.forbidden_signs").format(chars=" ".join(
            repr(c) for c in bad_ascii)))
    registrable = ".".join(_registrable(shown))
    if under_gov:
        reasons.insert(0, tr("checker.odd_gov_suffix").format(suffix=suffix))
    else:
        reasons.insert(0, tr("checker.not_gov_suffix").format(
                domain=registrable, suffix=suffix))
    reasons.extend(odd)
    found, copied = _imitation(catalogue, shown, registrable, under_gov)
    reasons.extend(found)
    if shown[-1] == RESERVED_TLD:
        reasons.append(tr("checker.reserved_tld"))
    return LinkVerdict(False, tuple(dict.fromkeys(reasons)), host, None, imitates or copied)


def _genuine(catalogue: ScamCatalogue, host: str, labels: list[str], scheme: str,
             notes: list[str], trailing_dot: bool, upper: bool, imitates: str | None
             ) -> LinkVerdict:
    suffix = catalogue.suffix
    domain = ".".join(labels[-len(suffix.split(".")) - 1:])
    reasons = [tr("checker.gov_suffix").format(domain=domain, suffix=suffix)]
    official = next((o for o in sorted(catalogue.officials, key=lambda o: -len(o.domain))
                     if host == o.domain or host.endswith("." + o.domain)), None)
    if official is not None:
        reasons.append(tr("checker.official_site").format(
            name=official.name, domain=official.domain))
    else:
        reasons.append(tr("checker.unlisted_agency"))
    if upper:
        reasons.append(tr("checker.upper_case"))
    if trailing_dot:
        reasons.append(tr("checker.trailing_dot"))
    if scheme == "http":
        reasons.append(tr("checker.plain_http"))
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
                reasons.append(tr("checker.official_as_prefix").format(
                        official=official.domain, domain=registrable))
                copied = copied or official.domain
                used.update(range(start, start + len(run)))
                break
    tld_size = len(registrable.split(".")) - 1
    name_labels = [(i, label) for i, label in enumerate(labels[:len(labels) - tld_size])
                   if i not in used]
    tokens: list[str] = []
    for _i, label in name_labels:
        tokens.extend(dict.fromkeys([label.replace("-", ""), label, *label.split("-")]))
    if not under_gov and any("gov" in token for token in tokens):
        reasons.append(tr("checker.gov_in_name").format(suffix=suffix))
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
        return tr("checker.name_on_other_suffix").format(name=name, title=official.name,
                                                   domain=registrable, tld=tld, suffix=suffix)
    if level == "looks":
        swaps = _swaps(token, name)
        if swaps:
            return tr("checker.letters_swapped").format(
                token=token, name=name, title=official.name, swaps=", ".join(swaps))
    if level == "contains" and len(name) >= 4 and name in token and token != name:
        return tr("checker.name_with_extra").format(
            token=token, name=name, title=official.name)
    if level == "near" and len(name) >= 5:
        skeleton = _skeleton(token)
        distance = _distance(skeleton, name)
        if 0 < distance <= (2 if len(name) >= 8 else 1):
            return tr("checker.name_nearly").format(
                token=token, name=name, title=official.name, edit=_describe_edit(skeleton, name))
    return None

