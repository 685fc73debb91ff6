"""VietQR payloads (NAPAS, EMVCo merchant-presented mode): encode and decode the raw text.

EMVCo QRCPS-MPM: TLV objects (2-digit ID, 2-digit length, value), payload at most 512
characters, lengths 01-99, CRC-16/CCITT-FALSE over everything up to and including ``6304``.
NAPAS VietQR puts the bank (acquirer BIN), account and service code in field 38; public
vectors come from subiz/vietqr ``vietqr_test.go`` and other libraries' test suites (cited in
tests/qr). Drawing and reading images is in :mod:`.qrimage`; this module only handles text,
so payload bytes are tested without images.

Decoding never stops at the first fault. It separates *problems* (the code is broken: CRC,
structure, lengths, a missing mandatory field, a dynamic transfer code without an amount)
from *notes* (true of a genuine code and worth reading: a bank not in the directory, a static
code that carries an amount, a long purpose, a merchant-payment or ATM cash-withdrawal code).
A correct CRC does not prove a well-formed payload.
"""

from __future__ import annotations

import binascii
import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import NamedTuple

from unidecode import unidecode

from ..errors import InvalidInput
from ..i18n import _, nfc
from .banks import Bank, BankDirectory, load_banks

GUID = "A000000727"
SERVICE_ACCOUNT = "QRIBFTTA"
SERVICE_CARD = "QRIBFTTC"
SERVICES = (SERVICE_ACCOUNT, SERVICE_CARD)  # transfers: what ``encode`` writes
SERVICE_PUSH = "QRPUSH"  # NAPAS: payment for goods and services at a merchant
SERVICE_CASH = "QRCASH"  # NAPAS: cash withdrawal at an ATM
ALL_SERVICES = (*SERVICES, SERVICE_PUSH, SERVICE_CASH)
STATIC = "11"
DYNAMIC = "12"
CURRENCY_VND = "704"
COUNTRY_VN = "VN"
MAX_PAYLOAD = 512  # EMVCo QRCPS-MPM 4.1

# Longest value per field, in characters (NAPAS VietQR; EMVCo for 62 subfields).
MAX_ACCOUNT = 19
MAX_AMOUNT = 13
MAX_NAME = 25
MAX_CITY = 15
MAX_BILL = 25
MAX_PURPOSE = 25  # EMVCo guideline; public encoders write longer purposes (a note, not a fault)
MAX_ADDITIONAL = 25

_PRINTABLE = re.compile(r"[ -~]*")  # EMVCo "ans": printable ASCII
_DIGITS = re.compile(r"[0-9]+")
_ALNUM = re.compile(r"[0-9A-Za-z]+")
_HEX4 = re.compile(r"[0-9A-F]{4}")
_DECIMAL = re.compile(r"[0-9]+\.[0-9]+")  # EMVCo writes decimals with a dot
_TEMPLATES = frozenset({"38", "38.01", "62"})

# Every ``Problem.code`` the decoder can report; screens may key help texts on them.
PROBLEM_CODES = frozenset({
    "empty_payload", "payload_too_long", "not_vietqr", "bad_tlv", "truncated",
    "length_mismatch", "duplicate_field", "missing_field", "empty_value", "non_ascii",
    "not_first", "bad_format_indicator", "bad_initiation", "dynamic_without_amount",
    "unknown_guid", "bad_bin", "bad_account", "unknown_service", "wrong_currency", "amount_not_positive", "amount_not_whole",
    "amount_not_numeric", "wrong_country", "too_long", "unknown_field", "bad_crc_format",
    "crc_mismatch", "trailing_garbage",
})

# Every note code: true of genuine codes, so they never make a code invalid.
NOTE_CODES = frozenset({
    "unknown_bin", "static_with_amount", "long_purpose", "service_push", "service_cash",
    "no_service_code",
})


def crc16(data: str | bytes) -> str:
    """CRC-16/CCITT-FALSE as four uppercase hex digits, leading zeros kept."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    return f"{binascii.crc_hqx(data, 0xFFFF):04X}"


@dataclass(frozen=True)
class VietQR:
    """What a VietQR code says: pay ``amount`` dong to ``account`` at bank ``bin``."""

    bin: str
    account: str
    service: str = SERVICE_ACCOUNT
    amount: int | None = None
    name: str | None = None
    city: str | None = None
    bill_number: str | None = None
    purpose: str | None = None

    @property
    def dynamic(self) -> bool:
        """A code with an amount is for one payment ("12"); without, reusable ("11")."""
        return self.amount is not None

    @property
    def point_of_initiation(self) -> str:
        return DYNAMIC if self.amount is not None else STATIC


@dataclass(frozen=True)
class EncodeResult:
    payload: str
    notes: list[str] = field(default_factory=list)  # Vietnamese: what encoding changed


class Tlv(NamedTuple):
    """One object of the raw tree; ``offset`` is where its ID starts in the payload."""

    id: str
    length: int  # as declared in the payload, even when it does not match the value
    value: str
    offset: int
    children: tuple[Tlv, ...] | None = None


@dataclass(frozen=True)
class Problem:
    code: str
    message: str  # Vietnamese, names the field, the rule and the value received
    field: str | None = None  # path such as "38.01.00"

    def __post_init__(self) -> None:
        # Messages quote raw input, which may be in any normal form; show it as NFC.
        object.__setattr__(self, "message", nfc(self.message))


@dataclass(frozen=True)
class DecodeResult:
    qr: VietQR | None  # what the payload says; trust it only when ``ok``
    problems: list[Problem]  # what makes the code broken
    payload: str = ""
    bank: Bank | None = None  # None also for a valid code whose BIN is not in the directory
    tree: tuple[Tlv, ...] | None = field(default=None, repr=False, compare=False)
    notes: list[Problem] = field(default_factory=list)  # worth reading; never make it broken

    @cached_property
    def fields(self) -> tuple[Tlv, ...]:
        """The raw TLV tree; built on demand since the fast path for valid codes skips it."""
        return self.tree if self.tree is not None else _Parser(self.payload).parse()

    @property
    def ok(self) -> bool:
        return self.qr is not None and not self.problems

    @property
    def codes(self) -> set[str]:
        return {problem.code for problem in self.problems}

    @property
    def note_codes(self) -> set[str]:
        return {note.code for note in self.notes}

    def value(self, path: str) -> str | None:
        """The raw value at a path such as ``"38.01.00"``, or ``None``."""
        return find(self.fields, path)


def find(fields: tuple[Tlv, ...] | None, path: str) -> str | None:
    node = None
    for part in path.split("."):
        node = next((n for n in fields or () if n.id == part), None)
        if node is None:
            return None
        fields = node.children
    return node.value if node else None


# --- encoding ---------------------------------------------------------------------------

def _label(path: str) -> str:
    names = {
        "bin": _("Mã BIN ngân hàng"),
        "account": _("Số tài khoản/số thẻ"),
        "service": _("Mã dịch vụ"),
        "amount": _("Số tiền"),
        "name": _("Tên người nhận"),
        "city": _("Thành phố"),
        "bill_number": _("Số hóa đơn"),
        "purpose": _("Nội dung chuyển khoản"),
        "00": _("phiên bản định dạng"),
        "01": _("kiểu mã tĩnh/động"),
        "38": _("thông tin người nhận"),
        "38.00": _("mã định danh VietQR (GUID)"),
        "38.01": _("ngân hàng và tài khoản"),
        "38.01.00": _("mã BIN ngân hàng"),
        "38.01.01": _("số tài khoản/số thẻ"),
        "38.02": _("mã dịch vụ"),
        "53": _("mã tiền tệ"),
        "54": _("số tiền"),
        "58": _("mã quốc gia"),
        "59": _("tên người nhận"),
        "60": _("thành phố"),
        "62": _("thông tin bổ sung"),
        "62.01": _("số hóa đơn"),
        "62.08": _("nội dung chuyển khoản"),
        "63": _("mã kiểm tra CRC"),
    }
    if path in names and not path[0].isdigit():
        return names[path]
    if path in names:
        return _("Trường {path} ({name})").format(path=path, name=names[path])
    return _("Trường {path}").format(path=path)


def _bad(field_name: str, rule: str, value: object) -> InvalidInput:
    # The value stays in error.value; the message states the rule without echoing it.
    return InvalidInput(_("{field}: {rule}").format(field=_label(field_name), rule=rule),
                        field=field_name, value=value)


def _text(value: object, field_name: str, limit: int, notes: list[str], *,
          transliterate: bool = True, cut: bool = False) -> str | None:
    """Optional free text: blank -> absent; Vietnamese -> plain ASCII with a note."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise _bad(field_name, _("phải là chữ"), value)
    text = value.strip() if value.isascii() else nfc(value).strip()
    if not text:
        return None
    if not cut and len(text) > limit:
        raise _bad(field_name, _("dài tối đa {limit} ký tự, ở đây là {n}").format(
            limit=limit, n=len(text)), text)
    if not text.isascii():
        if not transliterate:
            raise _bad(field_name, _("chỉ được dùng chữ cái không dấu, chữ số và dấu câu"), text)
        plain = " ".join(unidecode(text).split())
        if not plain:
            raise _bad(field_name, _("không còn ký tự nào sau khi bỏ dấu"), text)
        notes.append(_("{field} đã được bỏ dấu: {before!r} → {after!r}").format(
            field=_label(field_name), before=text, after=plain))
        text = plain
    if not _PRINTABLE.fullmatch(text):
        raise _bad(field_name, _("không được chứa ký tự điều khiển (xuống dòng, tab...)"), text)
    if len(text) > limit:
        short = text[:limit].rstrip()
        notes.append(_("{field} dài {n} ký tự, đã bị cắt còn {limit} ký tự: {after!r}").format(
            field=_label(field_name), n=len(text), limit=len(short), after=short))
        text = short
    return text


def _build(bin_: str, account: str, service: str, amount: str | None, name: str | None,
           city: str | None, bill: str | None, purpose: str | None) -> str:
    """Payload up to and including "6304", from values already checked; no CRC yet."""
    merchant = (f"0010{GUID}01{len(account) + 14:02d}0006{bin_}01{len(account):02d}{account}"
                f"02{len(service):02d}{service}")
    parts = ["000201010211" if amount is None else "000201010212",
             f"38{len(merchant):02d}{merchant}5303704"]
    if amount is not None:
        parts.append(f"54{len(amount):02d}{amount}")
    parts.append("5802VN")
    if name:
        parts.append(f"59{len(name):02d}{name}")
    if city:
        parts.append(f"60{len(city):02d}{city}")
    if bill or purpose:
        extra = (f"01{len(bill):02d}{bill}" if bill else "") + (
            f"08{len(purpose):02d}{purpose}" if purpose else "")
        parts.append(f"62{len(extra):02d}{extra}")
    parts.append("6304")
    return "".join(parts)


def encode(qr: VietQR) -> EncodeResult:
    """The payload text of ``qr``, checked field by field; InvalidInput names the field."""
    bin_, account, service, amount = qr.bin, qr.account, qr.service, qr.amount
    if not (isinstance(bin_, str) and len(bin_) == 6 and bin_.isascii() and bin_.isdigit()):
        raise _bad("bin", _("phải có đúng 6 chữ số"), bin_)
    if not isinstance(account, str) or not account.strip():
        raise _bad("account", _("không được để trống"), account)
    account = account.strip()
    if not (account.isascii() and account.isdigit()):
        raise _bad("account", _("chỉ gồm chữ số, không có khoảng trắng hay chữ cái"), account)
    if len(account) > MAX_ACCOUNT:
        raise _bad("account", _("dài tối đa {limit} chữ số, ở đây là {n}").format(
            limit=MAX_ACCOUNT, n=len(account)), account)
    if service not in SERVICES:
        raise _bad("service", _("phải là QRIBFTTA (tới tài khoản) hoặc QRIBFTTC (tới thẻ)"),
                   service)
    if amount is not None:
        if isinstance(amount, bool) or not isinstance(amount, int):
            raise _bad("amount", _("phải là số nguyên đồng (VND không có phần lẻ)"), amount)
        if amount <= 0:
            raise _bad("amount", _("phải lớn hơn 0 đồng"), amount)
        if amount >= 10 ** MAX_AMOUNT:
            raise _bad("amount", _("dài tối đa {limit} chữ số").format(limit=MAX_AMOUNT), amount)
    notes: list[str] = []
    name = city = bill = purpose = None
    # A recipient name cut short would mislead the payer who checks it: too long is refused.
    if qr.name is not None:
        name = _text(qr.name, "name", MAX_NAME, notes)
    if qr.city is not None:
        city = _text(qr.city, "city", MAX_CITY, notes)
    if qr.bill_number is not None:
        bill = _text(qr.bill_number, "bill_number", MAX_BILL, notes, transliterate=False)
    if qr.purpose is not None:
        purpose = _text(qr.purpose, "purpose", MAX_PURPOSE, notes, cut=True)
    body = _build(bin_, account, service, None if amount is None else str(amount), name, city,
                  bill, purpose)
    return EncodeResult(body + f"{binascii.crc_hqx(body.encode(), 0xFFFF):04X}", notes)


# --- decoding ---------------------------------------------------------------------------

_DELTAS = (-1, 1, -2, 2, -3, 3, -4, 4, -5, 5)


class _Parser:
    """Split a payload into its TLV tree, trusting every declared length but one (``fix``)."""

    def __init__(self, s: str, fix: tuple[int, int] = (-1, 0)):
        self.s = s
        self.fix_at, self.fix_length = fix  # read the object at this offset with this length
        self.errors: list[tuple[str, str, int, Tlv | None]] = []  # kind, level, position, object
        self.stop = 0  # where the top level ended (after the CRC, if found)
        self.crc_last = False

    @property
    def clean(self) -> bool:
        return self.crc_last and not self.errors

    def parse(self) -> tuple[Tlv, ...]:
        nodes = self.level(0, len(self.s), "", True)
        return tuple(self.tree(n, "") if n.id in ("38", "62") else n for n in nodes)

    def level(self, pos: int, end: int, prefix: str, top: bool) -> list[Tlv]:
        s = self.s
        nodes: list[Tlv] = []
        while pos < end:
            head = s[pos:pos + 4]
            if pos + 4 > end or not (head.isascii() and head.isdigit()):
                self.errors.append(("bad_tlv", prefix, pos, None))
                break
            tag = head[:2]
            length = int(head[2:])
            vend = pos + 4 + (self.fix_length if pos == self.fix_at else length)
            if vend > end:
                self.errors.append(("truncated", prefix, pos, Tlv(tag, length, s[pos + 4:end], pos)))
                break
            nodes.append(Tlv(tag, length, s[pos + 4:vend], pos))
            pos = vend
            if top and tag == "63":
                break  # anything after the CRC is garbage, not more objects
        if top:
            self.stop = pos
            self.crc_last = bool(nodes) and nodes[-1].id == "63"
        return nodes

    def tree(self, node: Tlv, prefix: str) -> Tlv:
        """Parse the subfields of a template (38, 38.01, 62); other objects stay leaves."""
        path = prefix + node.id
        if path not in _TEMPLATES:
            return node
        start = node.offset + 4
        kids = self.level(start, start + len(node.value), path + ".", False)
        return node._replace(children=tuple(self.tree(kid, path + ".") for kid in kids))


def _objects(fields: tuple[Tlv, ...], prefix: str = "") -> list[tuple[Tlv, str]]:
    found = []
    for node in fields:
        found.append((node, prefix + node.id))
        if node.children:
            found.extend(_objects(node.children, prefix + node.id + "."))
    return found


def _anomalies(fields: tuple[Tlv, ...], parser: _Parser) -> int:
    """How implausible a reading is: broken structure, duplicates, fixed values gone wrong."""
    count = len(parser.errors) + (not parser.crc_last)
    by_path: dict[str, str] = {}
    for node, path in _objects(fields):
        count += path in by_path
        by_path[path] = node.value
    for path, ok in _SANITY:
        count += path not in by_path or not ok(by_path[path])
    return count


_SANITY = (
    ("00", lambda v: v == "01"),
    ("01", lambda v: v in (STATIC, DYNAMIC)),
    ("38.00", lambda v: v == GUID),
    ("38.01.00", lambda v: len(v) == 6 and v.isdigit()),
    ("38.01.01", lambda v: 0 < len(v) <= MAX_ACCOUNT),
    ("38.02", lambda v: v in ALL_SERVICES),
    ("53", lambda v: v == CURRENCY_VND),
    ("58", lambda v: v == COUNTRY_VN),
    ("63", lambda v: len(v) == 4),
)


def _repair(s: str, fields: tuple[Tlv, ...], parser: _Parser) -> tuple | None:
    """Find the one object whose declared length, if off by a little, explains the faults.

    A wrong length shifts everything after it; naming the culprit beats a cascade of faults.
    Among clean re-readings the most plausible wins, and only if it beats the original.
    """
    candidates = _objects(fields) + [
        (broken, level + broken.id) for _kind, level, _pos, broken in parser.errors if broken]
    candidates.sort(key=lambda item: item[0].offset)
    best = None
    best_score = _anomalies(fields, parser)
    for node, path in candidates:
        for delta in _DELTAS:
            actual = node.length + delta
            if not 1 <= actual <= 99 or node.offset + 4 + actual > len(s):
                continue
            trial = _Parser(s, (node.offset, actual))
            trial_fields = trial.parse()
            if trial.clean:
                score = _anomalies(trial_fields, trial)
                if score < best_score:
                    best, best_score = (node, path, actual, trial, trial_fields), score
                    if score == 0:
                        return best
    return best


def _structure_problems(s: str, parser: _Parser, out: list[Problem]) -> None:
    for kind, level, pos, broken in parser.errors:
        where = level.rstrip(".")
        if kind == "bad_tlv":
            inside = _(" trong {field}").format(field=_label(where)) if where else ""
            out.append(Problem("bad_tlv", _(
                "Vị trí {pos}{inside}: mỗi trường phải bắt đầu bằng 2 chữ số mã trường và 2 chữ "
                "số độ dài, nhưng ở đây là {value!r}; không đọc được phần còn lại").format(
                    pos=pos, inside=inside, value=s[pos:pos + 4]), where or None))
        elif broken is not None:
            path = level + broken.id
            out.append(Problem("truncated", _(
                "{field}: độ dài khai báo là {declared:02d} nhưng chỉ còn {left} ký tự; mã bị cắt "
                "cụt hoặc độ dài khai báo sai").format(
                    field=_label(path), declared=broken.length, left=len(broken.value)), path))


def _index(nodes: tuple[Tlv, ...], prefix: str, out: list[Problem]) -> dict[str, Tlv]:
    by_id: dict[str, Tlv] = {}
    for node in nodes:
        if node.id in by_id:
            path = prefix + node.id
            out.append(Problem("duplicate_field", _(
                "{field}: xuất hiện hai lần (vị trí {first} và {second}); mỗi trường chỉ được có "
                "một lần").format(
                    field=_label(path), first=by_id[node.id].offset, second=node.offset), path))
        else:
            by_id[node.id] = node
    return by_id


def _missing(path: str, out: list[Problem]) -> None:
    out.append(Problem("missing_field", _("{field}: trường bắt buộc bị thiếu").format(
        field=_label(path)), path))


def _check_text(nodes: tuple[Tlv, ...], prefix: str, printable: bool, out: list[Problem]) -> None:
    """Every object has a value; every leaf is printable ASCII (EMVCo "ans")."""
    for node in nodes:
        path = prefix + node.id
        if not node.value:
            out.append(Problem("empty_value", _(
                "{field}: không có giá trị (độ dài ghi là 00); độ dài phải từ 01 đến 99").format(
                    field=_label(path)), path))
        elif node.children is not None:
            _check_text(node.children, path + ".", printable, out)
        elif not printable and not _PRINTABLE.fullmatch(node.value):
            odd = "".join(sorted({c for c in node.value if not " " <= c <= "~"}))
            out.append(Problem("non_ascii", _(
                "{field}: chỉ được dùng chữ không dấu, chữ số và dấu câu ASCII, ở đây có ký tự "
                "{chars!r}").format(field=_label(path), chars=odd), path))


def _too_long(node: Tlv, path: str, limit: int, out: list[Problem]) -> bool:
    if len(node.value) <= limit:
        return False
    out.append(Problem("too_long", _(
        "{field}: dài tối đa {limit} ký tự, ở đây dài {n} ký tự").format(
            field=_label(path), limit=limit, n=len(node.value)), path))
    return True


def _expect(by_id: dict[str, Tlv], tag: str, expected: str, code: str, rule: str,
            out: list[Problem]) -> None:
    node = by_id.get(tag)
    if node is None:
        _missing(tag, out)
    elif node.value != expected:
        out.append(Problem(code, _("{field}: {rule}, nhưng ở đây là {value!r}").format(
            field=_label(tag), rule=rule, value=node.value), tag))


def _check_merchant(m: dict[str, Tlv], a: dict[str, Tlv] | None, banks: BankDirectory,
                    out: list[Problem], notes: list[Problem]) -> tuple[Bank | None, str | None]:
    """Field 38: GUID, BIN, account and service code; the bank and the service read."""
    guid = m.get("00")
    if guid is None:
        _missing("38.00", out)
    elif guid.value != GUID:
        out.append(Problem("unknown_guid", _(
            "{field}: phải là {expected!r} (VietQR của NAPAS), nhưng ở đây là {value!r}; đây "
            "không phải mã chuyển khoản VietQR").format(field=_label("38.00"), expected=GUID,
                                                  value=guid.value), "38.00"))
    bank = None
    if a is None:
        _missing("38.01", out)
    else:
        bin_node = a.get("00")
        if bin_node is None:
            _missing("38.01.00", out)
        elif len(bin_node.value) != 6 or not _DIGITS.fullmatch(bin_node.value):
            out.append(Problem("bad_bin", _(
                "{field}: phải có đúng 6 chữ số, nhưng ở đây là {value!r}").format(
                    field=_label("38.01.00"), value=bin_node.value), "38.01.00"))
        else:
            bank = banks.find(bin_node.value)
            if bank is None:
                # The list grows (new digital banks, wallets): an unlisted BIN is not a fault.
                notes.append(Problem("unknown_bin", _(
                    "{field}: mã {value} không có trong danh mục ngân hàng của phòng thực hành; "
                    "mã vẫn đúng chuẩn, nhưng hãy hỏi lại người nhận đó là ngân hàng hay ví nào "
                    "trước khi chuyển tiền").format(field=_label("38.01.00"), value=bin_node.value),
                    "38.01.00"))
        account = a.get("01")
        if account is None:
            _missing("38.01.01", out)
        elif not _too_long(account, "38.01.01", MAX_ACCOUNT, out) and account.value \
                and not _ALNUM.fullmatch(account.value):
            # Letters are tolerated when reading: some banks issue virtual accounts with them.
            out.append(Problem("bad_account", _(
                "{field}: chỉ gồm chữ số (hoặc chữ cái), không có khoảng trắng hay dấu"
            ).format(field=_label("38.01.01")),
                "38.01.01"))
    service = m.get("02")
    if service is None:
        # NAPAS: the service code is conditional; without it the code pays a merchant.
        notes.append(Problem("no_service_code", _(
            "{field}: mã không ghi mã dịch vụ; theo NAPAS đó là mã thanh toán hàng hóa, dịch vụ "
            "tại điểm bán (QRPUSH), không phải mã chuyển khoản tới tài khoản").format(
                field=_label("38.02")), "38.02"))
        return bank, SERVICE_PUSH
    if service.value == SERVICE_PUSH:
        notes.append(Problem("service_push", _(
            "{field}: 'QRPUSH' là mã thanh toán hàng hóa, dịch vụ tại điểm bán; số trong mục "
            "tài khoản là mã điểm bán do ngân hàng cấp, không phải số tài khoản của một người")
            .format(field=_label("38.02")), "38.02"))
    elif service.value == SERVICE_CASH:
        notes.append(Problem("service_cash", _(
            "{field}: 'QRCASH' là mã rút tiền mặt tại cây ATM; số trong mục tài khoản là mã "
            "cây ATM, mã này không dùng để chuyển tiền cho ai").format(field=_label("38.02")),
            "38.02"))
    elif service.value not in SERVICES:
        out.append(Problem("unknown_service", _(
            "{field}: phải là 'QRIBFTTA' (tới tài khoản), 'QRIBFTTC' (tới thẻ), 'QRPUSH' "
            "(thanh toán tại điểm bán) hoặc 'QRCASH' (rút tiền tại ATM), nhưng ở đây là "
            "{value!r}")
            .format(field=_label("38.02"), value=service.value), "38.02"))
        return bank, None
    return bank, service.value


def _check_amount(top: dict[str, Tlv], service: str | None, out: list[Problem],
                  notes: list[Problem]) -> tuple[int | None, bool]:
    """Fields 01 and 54: the amount (whole dong) and whether the code type agrees with it."""
    node = top.get("54")
    initiation = top.get("01")
    kind = initiation.value if initiation is not None else None
    if initiation is None:
        _missing("01", out)
    elif kind not in (STATIC, DYNAMIC):
        out.append(Problem("bad_initiation", _(
            "{field}: phải là '11' (mã tĩnh, dùng nhiều lần) hoặc '12' (mã động, một lần, có "
            "số tiền), nhưng ở đây là {value!r}").format(field=_label("01"), value=kind), "01"))
    elif kind == DYNAMIC and node is None and service != SERVICE_CASH:
        # At an ATM the amount is chosen on the machine (NAPAS example of a QRCASH code).
        out.append(Problem("dynamic_without_amount", _(
            "{field}: mã động '12' phải có số tiền (trường 54) nhưng không có; có lẽ đã nhầm "
            "'11' với '12'").format(field=_label("01")), "01"))
    elif kind == STATIC and node is not None:
        # Field 54 is conditional and public encoders write it into '11' codes: a note.
        notes.append(Problem("static_with_amount", _(
            "{field}: mã tĩnh '11' nhưng có ghi sẵn số tiền {amount}; ứng dụng ngân hàng vẫn "
            "đọc được, hãy đối chiếu số tiền này với số tiền người nhận báo").format(
                field=_label("01"), amount=node.value), "01"))
    if node is None:
        return None, True
    raw = node.value
    ok = not _too_long(node, "54", MAX_AMOUNT, out)
    if _DIGITS.fullmatch(raw):
        if int(raw) > 0:
            return int(raw), ok
        out.append(Problem("amount_not_positive", _(
            "{field}: phải lớn hơn 0 đồng, nhưng ở đây là {value!r}").format(
                field=_label("54"), value=raw), "54"))
    elif _DECIMAL.fullmatch(raw):
        out.append(Problem("amount_not_whole", _(
            "{field}: phải là số đồng nguyên vì VND không có phần thập phân, nhưng ở đây là "
            "{value!r}").format(field=_label("54"), value=raw), "54"))
    else:
        out.append(Problem("amount_not_numeric", _(
            "{field}: chỉ gồm chữ số, không có dấu chấm, dấu phẩy hay ký hiệu tiền, nhưng ở "
            "đây là {value!r}").format(
                field=_label("54"), value=raw), "54"))
    return None, False


def _check_crc(s: str, body_end: int, found: str, out: list[Problem]) -> None:
    expected = crc16(s[:body_end])
    if not _HEX4.fullmatch(found):
        out.append(Problem("bad_crc_format", _(
            "{field}: phải là 4 chữ số hex viết hoa, giữ cả số 0 ở đầu, nhưng ở đây là "
            "{value!r}")
            .format(field=_label("63"), value=found), "63"))
        if found.upper() == expected:
            return
    if found.upper() != expected:
        out.append(Problem("crc_mismatch", _(
            "{field}: sai mã kiểm tra, tính được {expected!r} nhưng mã ghi {value!r}; mã đã "
            "bị sửa hoặc bị đọc sai").format(field=_label("63"), expected=expected, value=found),
            "63"))


def _value(by_id: dict[str, Tlv], tag: str) -> str | None:
    node = by_id.get(tag)
    return node.value if node is not None else None


# The layout every encoder here and in subiz/vietqr writes. Lengths are not checked by the
# pattern; _fast rebuilds the payload from the captured values and compares, so a payload is
# taken on the fast path only if it is byte for byte what ``encode`` would write for it.
_CANONICAL = re.compile(
    r"00020101021([12])38\d\d0010A00000072701\d\d0006([0-9]{6})01\d\d([0-9A-Za-z]{1,19})"
    r"02\d\d(QRIBFTT[AC])5303704(?:54\d\d([0-9]{1,13}))?5802VN"
    r"(?:59\d\d([ -~]{1,25}?))?(?:60\d\d([ -~]{1,15}?))?"
    r"(?:62\d\d(?:01\d\d([ -~]{1,25}?))?(?:08\d\d([ -~]{1,25}?))?)?6304([0-9A-F]{4})")


def _fast(s: str, banks: BankDirectory) -> DecodeResult | None:
    """Accept a well-formed payload in canonical layout quickly; anything else goes the long way.

    A property test checks that this never accepts what the full decoder finds a problem in.
    """
    match = _CANONICAL.fullmatch(s)
    if match is None:
        return None
    kind, bin_, account, service, amount, name, city, bill, purpose, crc = match.groups()
    bank = banks.find(bin_)
    if (bank is None or (kind == "2") != (amount is not None)
            or (amount is not None and not amount.strip("0"))):
        return None
    body = _build(bin_, account, service, amount, name, city, bill, purpose)
    if len(body) + 4 != len(s) or not s.startswith(body) or crc != crc16(body):
        return None
    qr = VietQR(bin_, account, service, int(amount) if amount else None, name, city, bill, purpose)
    return DecodeResult(qr, [], s, bank)


def decode(payload: str | bytes, *, banks: BankDirectory | None = None) -> DecodeResult:
    """Read a VietQR payload and list every problem in it (``Problem.code`` says which)."""
    if isinstance(payload, bytes):
        payload = payload.decode("utf-8", "replace")
    if not isinstance(payload, str):
        raise InvalidInput(_("Nội dung mã QR phải là chữ (đang có kiểu {kind})").format(
            kind=type(payload).__name__), field="payload", value=payload)
    s = payload.strip()  # a valid payload starts with "00" and ends with hex digits
    banks = banks if banks is not None else load_banks()
    return _fast(s, banks) or _full(s, banks)


def _full(s: str, banks: BankDirectory) -> DecodeResult:
    """The full decoder: builds the tree, repairs one wrong length, checks every rule."""
    out: list[Problem] = []
    if not s:
        out.append(Problem("empty_payload", _(
            "Nội dung mã QR trống: hãy quét hoặc dán lại mã")))
        return DecodeResult(None, out, s)
    if len(s) > MAX_PAYLOAD:
        out.append(Problem("payload_too_long", _(
            "Nội dung mã QR dài tối đa {limit} ký tự, ở đây là {n}").format(
                limit=MAX_PAYLOAD, n=len(s))))

    parser = _Parser(s)
    fields = parser.parse()
    if not fields:
        out.append(Problem("not_vietqr", _(
            "Đây không phải mã thanh toán VietQR: nội dung phải bắt đầu bằng '000201'; hãy "
            "kiểm tra đã quét hoặc dán đúng mã chưa")))
        return DecodeResult(None, out, s)
    if not parser.clean:
        repaired = _repair(s, fields, parser) if len(s) <= MAX_PAYLOAD else None
        if repaired is None:
            _structure_problems(s, parser, out)
        else:
            node, path, actual, parser, fields = repaired
            out.append(Problem("length_mismatch", _(
                "{field}: độ dài khai báo là {declared:02d} nhưng giá trị thật dài {actual} ký tự; "
                "đọc theo độ dài khai báo thì cấu trúc mã bị vỡ; giá trị thật là {value!r}").format(
                    field=_label(path), declared=node.length, actual=actual,
                    value=s[node.offset + 4:node.offset + 4 + actual]), path))

    top = _index(fields, "", out)
    merchant = top.get("38")
    m = _index(merchant.children or (), "38.", out) if merchant is not None else {}
    a = _index(m["01"].children or (), "38.01.", out) if "01" in m else None
    x = _index(top["62"].children or (), "62.", out) if "62" in top else {}
    printable = s.isascii() and _PRINTABLE.fullmatch(s) is not None
    _check_text(fields, "", printable, out)
    if not printable and not any(p.code == "non_ascii" for p in out):
        out.append(Problem("non_ascii", _(
            "Nội dung mã QR chỉ được dùng ký tự ASCII in được (chữ không dấu, chữ số, dấu "
            "câu); ở đây có ký tự {chars!r}").format(
                chars="".join(sorted({c for c in s if not " " <= c <= "~"}))[:10])))

    if fields and fields[0].id != "00":
        out.append(Problem("not_first", _(
            "{field}: phải đứng đầu mã, nhưng mã bắt đầu bằng {value!r}").format(
                field=_label("00"), value=s[:4]), "00"))
    _expect(top, "00", "01", "bad_format_indicator", _("phải là '01'"), out)
    notes: list[Problem] = []
    bank = service = None
    if merchant is None:
        _missing("38", out)
    else:
        bank, service = _check_merchant(m, a, banks, out, notes)
    amount, amount_ok = _check_amount(top, service, out, notes)
    _expect(top, "53", CURRENCY_VND, "wrong_currency", _("phải là '704' (đồng Việt Nam)"), out)
    _expect(top, "58", COUNTRY_VN, "wrong_country", _("phải là 'VN' (Việt Nam)"), out)
    if "59" in top:
        _too_long(top["59"], "59", MAX_NAME, out)
    if "60" in top:
        _too_long(top["60"], "60", MAX_CITY, out)
    for tag, node in x.items():
        if tag == "08" and len(node.value) > MAX_PURPOSE:
            notes.append(Problem("long_purpose", _(
                "{field}: dài {n} ký tự, quá mức {limit} ký tự EMVCo khuyến nghị; một số ứng "
                "dụng sẽ chỉ hiện {limit} ký tự đầu").format(
                    field=_label("62.08"), n=len(node.value), limit=MAX_PURPOSE), "62.08"))
        else:
            _too_long(node, "62." + tag, MAX_ADDITIONAL, out)
    for node in fields:
        if "65" <= node.id <= "79":
            out.append(Problem("unknown_field", _(
                "{field}: mã trường 65-79 được EMVCo để dành, chưa dùng").format(
                    field=_label(node.id)), node.id))

    crc = top.get("63")
    if crc is not None:
        _check_crc(s, crc.offset + 4, crc.value, out)
        if parser.stop < len(s):
            out.append(Problem("trailing_garbage", _(
                "{field}: mã phải kết thúc ngay sau CRC, nhưng sau đó còn {n} ký tự thừa")
                .format(field=_label("63"), n=len(s) - parser.stop), "63"))
    elif len(s) >= 8 and s[-8:-4] == "6304":
        _check_crc(s, len(s) - 4, s[-4:], out)  # structure broken but the CRC is still checkable
    else:
        _missing("63", out)

    qr = None
    if a is not None and "00" in a and "01" in a and service is not None and amount_ok:
        qr = VietQR(a["00"].value, a["01"].value, service, amount, _value(top, "59"),
                    _value(top, "60"), _value(x, "01"), _value(x, "08"))
    return DecodeResult(qr, out, s, bank, fields, notes)
