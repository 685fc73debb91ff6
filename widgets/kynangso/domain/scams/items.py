"""Scam lab practice items: five real scam patterns, built from the catalogue and fixed seeds.

Patterns (public sources for each in ``data/scams.yaml``):

- ``qr_sticker``: a sticker QR pasted over a shop's code pays someone else;
- ``qr_tampered``: a payment code whose amount differs from the bill, whose content was edited
  by hand (CRC no longer matches) or whose CRC was recomputed over a broken structure;
- ``lookalike_link``: typosquats of the official ``.gov.vn`` portals, and genuine links;
- ``otp_script``: calls, SMS and a phishing QR asking for OTP, money or ID;
- ``genuine``: genuine notices and a correct payment code to tell them apart.

Item ``i`` of a pattern for seed ``s`` depends only on ``(s, pattern, i)`` and the data files,
so :func:`item_by_id` rebuilds any item without a store. Every payment code is drawn at the
training bank, so a real banking app pays no one; the phishing QR holds a ``.invalid`` address
(RFC 6761), which never resolves. A look-alike link is either named by a public warning the
item cites or made up under ``.invalid``, so the lab never shows a registrable address nobody
reported; show them as text, never as a link a trainee can open. Names and numbers are
synthetic. The situation, red flags and answer of generated items come from
``data/scam_texts.yaml`` in the current language; scripts' texts from ``data/scams.yaml``, also
in the current language, except the message a scammer sends: that stays Vietnamese (it is what
a resident receives), with an English ``gloss`` next to it in English mode.
"""

from __future__ import annotations

import random
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import cache
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from unidecode import unidecode

from ...errors import InvalidInput, MissingEntry
from ...i18n import DEFAULT_LANGUAGE, _, get_language, nfc
from ..banks import load_banks
from ..identity import Gender
from ..locality import load_locality
from ..personas import middle_names, vietnamese_faker
from ..vietqr import VietQR, crc16, decode, encode
from .catalogue import PATTERNS, RESERVED_TLD, Bill, ScamCatalogue, Script, load_scams
from .links import check_link
from .lookalikes import load_lookalikes
from .texts import tr

if TYPE_CHECKING:
    from faker import Faker

CHANNELS = ("qr", "link", "call", "sms")
REFERENCE_DATE = date(2025, 11, 10)  # the day of the ward report the lab starts from
MAX_PER_PATTERN = 99
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


@dataclass(frozen=True)
class ScamItem:
    """One practice item; ``is_scam``, ``red_flags`` and ``right_response`` are the answer."""

    id: str
    pattern: str
    channel: str  # "qr", "link", "call", "sms"
    content: str  # call or SMS text, QR payload, or URL
    is_scam: bool
    red_flags: tuple[str, ...]  # in the current language; empty for genuine items
    right_response: str  # what the volunteer tells the resident
    source: str
    kind: str = ""  # which variant of the pattern ("sticker", "crc", "homoglyph", a script id)
    context: str = ""  # the situation shown with the item; never gives the answer
    # An English translation of a call or SMS ``content``, for trainers, shown next to the
    # Vietnamese original in English mode; "" in Vietnamese and for QR codes and links.
    gloss: str = ""
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
            # The middle list of names: every seed keeps the names it gave before.
            middles = middle_names(Gender.FEMALE if female else Gender.MALE, 2)
            middle = self.rng.choice([m for m in middles if m != given])
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
    context = tr("sticker.context").format(
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
            tr("sticker.flag_name").format(
                got=_qr_name(thief.name), want=shop_name),
            tr("sticker.flag_account").format(
                got=account, tail=tail),
            tr("sticker.flag_reachable"),
        )
        right = tr("sticker.right_sticker").format(resident=resident.call)
        return _item("qr_sticker", seed, index, channel="qr", content=payload, is_scam=True,
                     red_flags=flags, right_response=right, kind=kind, context=context,
                     source=catalogue.pattern_sources["qr_sticker"].cite(), expected=expected)
    payload = encode(VietQR(bin_, shop_account, name=shop_name)).payload
    right = tr("sticker.right_shop").format(name=shop_name, tail=tail, amount=_vnd(amount))
    return _item("qr_sticker", seed, index, channel="qr", content=payload, is_scam=False,
                 red_flags=(), right_response=right, kind=kind, context=context,
                 source=catalogue.pattern_sources["qr_sticker"].cite(), expected=expected)


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
    context = tr("bill.context").format(
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
    source = catalogue.pattern_sources["qr_tampered"].cite()
    if kind == "amount":
        tampered = m.rng.choice((told * 10, int("1" + str(told)), told + 900000))
        content = encode(replace(qr, amount=tampered)).payload
        flags = (
            tr("tampered.flag_amount").format(
                got=_vnd(tampered), want=_vnd(told)),
            tr("tampered.flag_prefilled"),
        )
        right = tr("tampered.right_amount").format(
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
        explain = tr("tampered.flag_crc")
        right = tr("tampered.right_crc").format(role=bill.payee_role, want=_vnd(told))
    else:
        # A character added by hand, declared length not updated, CRC recomputed with a tool.
        # Only top-level fields: inside 38 three nested lengths would all be wrong at once.
        field_path = m.rng.choice(("54", "59") if len(qr.name or "") < 25 else ("54",))
        start, value = _tlv(payload, field_path)
        new = value + m.rng.choice("0123456789" if field_path == "54" else "NHT")
        edited = payload[:start] + new + payload[start + len(value):]
        content = edited[:-4] + crc16(edited[:-4])
        problems = ("length_mismatch",)
        explain = tr("tampered.flag_structure")
        right = tr("tampered.right_structure").format(role=bill.payee_role, want=_vnd(told))
    found = tuple(p.message for p in decode(content).problems)
    return _item("qr_tampered", seed, index, channel="qr", content=content, is_scam=True,
                 red_flags=(explain, *found), right_response=right, kind=kind, context=context,
                 source=source, expected=expected | {"problems": problems, "edited": field_path})


def _link(catalogue: ScamCatalogue, seed: int, index: int, kind: str, m: _Maker) -> ScamItem:
    size = len(catalogue.suffix.split("."))
    simple = [o for o in catalogue.officials if len(o.domain.split(".")) == size + 1]
    target = m.rng.choice(simple)
    name = target.domain.split(".")[0]
    tld = RESERVED_TLD  # invented hosts never resolve and name no real site
    path = m.rng.choice(catalogue.paths)
    word = m.rng.choice(catalogue.words)
    pattern_source = catalogue.pattern_sources["lookalike_link"]
    source = tr("lookalike_link.source").format(source=pattern_source.cite())
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
            twins = load_lookalikes().twins
            spots = [i for i, c in enumerate(name) if c in twins]
            i = m.rng.choice(spots)
            label = name[:i] + twins[name[i]] + name[i + 1:]
            if kind == "punycode":
                label = label.encode("idna").decode("ascii")
            host = f"{label}.{tld}"
        url = f"https://{host}{path}"
    is_scam = not kind.startswith("official")
    verdict = check_link(url, catalogue=catalogue)
    official = catalogue.official(imitated)
    if is_scam:
        right = tr("lookalike_link.right_fake").format(
                name=official.name, domain=official.domain)
    else:
        right = tr("lookalike_link.right_official").format(
                name=official.name, suffix=catalogue.suffix)
    context = tr("lookalike_link.context").format(name=official.name)
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
    # The message stays Vietnamese in every language: it is the material a resident receives.
    content = script.text.vi.format(**values)
    gloss = ""
    if script.channel != "qr" and get_language() != DEFAULT_LANGUAGE:
        gloss = _sentence(script.text.en.format(**values))
    return _item(pattern, seed, index, channel=script.channel,
                 content=content if script.channel == "qr" else _sentence(content),
                 gloss=gloss, is_scam=is_scam,
                 red_flags=tuple(_sentence(flag.shown().format(**values))
                                 for flag in script.red_flags),
                 right_response=_sentence(script.right_response.shown().format(**values)),
                 kind=script.id, context=_sentence(script.context.shown().format(**values)),
                 source=script.source.cite(), names=tuple(sorted(script.source.names)),
                 expected=expected)


def _sentence(text: str) -> str:
    """Templates may open with a placeholder such as "bà Hoa"; a sentence starts upper case."""
    return text[:1].upper() + text[1:]


def _correct_qr(catalogue: ScamCatalogue, seed: int, index: int, m: _Maker) -> ScamItem:
    scene = _bill(catalogue, m)
    right = tr("correct_qr.right").format(name=scene.qr.name, amount=_vnd(scene.told),
                                            resident=_sentence(scene.resident.call))
    return _item("genuine", seed, index, channel="qr", content=encode(scene.qr).payload,
                 is_scam=False, red_flags=(), right_response=right, kind="correct_qr",
                 context=scene.context, source=catalogue.pattern_sources["genuine"].cite(),
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
        raise InvalidInput(_("Số khởi tạo ngẫu nhiên (seed) phải là số nguyên từ 0 trở lên"),
                           field="seed", value=seed)
    return seed


def _check_count(n: object, name: str) -> int:
    if isinstance(n, bool) or not isinstance(n, int) or not 0 <= n <= MAX_PER_PATTERN:
        raise InvalidInput(_("Số mục mỗi dạng ({name}) phải là số nguyên từ 0 đến {max}")
                           .format(name=name, max=MAX_PER_PATTERN),
                           field=name, value=n)
    return n


def generate(pattern: str, seed: int = 0, n: int = 2, *,
             catalogue: ScamCatalogue | None = None) -> list[ScamItem]:
    """Items ``0..n-1`` of one pattern, in order; variants rotate with the seed."""
    if pattern not in PATTERNS:
        raise InvalidInput(_("Dạng lừa đảo (pattern) phải là một trong {allowed}").format(
            allowed=", ".join(PATTERNS)),
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
        raise MissingEntry(_("Không có bài tập mã này: mã bài (item_id) có dạng QD-0-01, tức "
                             "QD, QS, LK, KB hoặc TH, rồi số khởi tạo và số thứ tự"),
                           field="item_id", value=item_id)
    catalogue = catalogue if catalogue is not None else load_scams()
    pattern = _PATTERN_BY_CODE[match.group(1)]
    return _make(catalogue, pattern, int(match.group(2)), int(match.group(3)) - 1)


