"""Simulated payer apps: their steps, PIN rules, amounts, payment requests and receipts.

The apps' wording is data (``data/wallets.yaml``), the project's approximation of the real
apps and marked unverified there. Rules here are the project's own for the sandbox:

- an amount is whole dong, > 0, typed as ``200.000`` or ``200000``;
- a PIN is 6 digits, stored only as a salted PBKDF2 hash, and 5 wrong tries lock the account
  until a trainer unlocks it (a 6-digit PIN has a million values, so the lock, not the hash
  cost, is what protects it);
- a payment request is built only from a VietQR payload with no decoding problem (notes, such
  as a static code with an amount, are kept and shown, not treated as errors).

A dossier code (``UNIT-YYMMDD-NNNN``, Thông tư 03/2025/TT-VPCP) in the purpose or
bill number links a payment to the dossier whose fee it pays; candidates are found with a
regex and checked with :func:`.dossier.parse_dossier_code`.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache, partial
from pathlib import Path
from types import MappingProxyType
from typing import Any

from ..errors import DataFileError, InvalidInput
from ..i18n import _, in_language, nfc, translate
from . import hashing
from .banks import Bank, BankDirectory, load_banks
from .datafiles import DATA_DIR, flag_field, invalid, load_yaml, require, same_placeholders, wording
from .datafiles import text_field as _text
from .dossier import parse_dossier_code
from .identity import N_
from .money import format_vnd
from .vietqr import MAX_AMOUNT, SERVICE_CASH, SERVICE_PUSH, VietQR, decode

WALLETS_FILE = "wallets.yaml"
STEP_CODES = ("scan", "review", "amount", "confirm", "auth", "receipt")
AUTH_KINDS = ("pin", "otp")
PLACEHOLDERS = frozenset({"app", "recipient", "bank", "account", "amount", "purpose",
                          "reference"})
LABEL_KEYS = ("scan", "upload", "confirm", "auth", "receipt_title", "new_payment")
SIMULATED = "(mô phỏng)"

PIN_LENGTH = 6
MAX_PIN_TRIES = 5
PIN_ITERATIONS = 100_000
PAID = "paid"

# How each field is labelled on the wallet screens; messages quote these.
FIELD_LABELS: Mapping[str, str] = MappingProxyType({
    "so_tien": N_("Số tiền"),
    "ma_pin": N_("Mã PIN"),
    "ma_qr": N_("Mã QR"),
    "ung_dung": N_("Ứng dụng thanh toán"),
    "ten_chu_tai_khoan": N_("Tên chủ tài khoản"),
    "so_du": N_("Số dư"),
    "tai_khoan": N_("Tài khoản"),
    "ma_giao_dich": N_("Mã lần bấm xác nhận"),
})


def field_label(name: str) -> str:
    label = FIELD_LABELS.get(name)
    return translate(label) if label else name


# --- apps ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class WalletStep:
    code: str
    title: str  # Vietnamese; the _en fields hold the file's English
    text: str
    title_en: str = ""
    text_en: str = ""

    def render(self, **values: object) -> tuple[str, str]:
        """Title and text in the current language, placeholders filled (a missing value
        shows as "—")."""
        filled = _Filled({k: "" if v is None else str(v) for k, v in values.items()})
        return (in_language(self.title, self.title_en),
                in_language(self.text, self.text_en).format_map(filled))


class _Filled(dict):
    def __missing__(self, key: str) -> str:
        return "—"


@dataclass(frozen=True)
class WalletApp:
    """One simulated payer app: name, how it authenticates, its steps and button labels.

    Texts come from the file in Vietnamese and English (``name_vi``, ``name_en``...);
    ``name``, ``kind``, ``auth_label`` and ``labels`` give them in the current language.
    """

    code: str
    name_vi: str
    kind_vi: str
    auth: str  # "pin" or "otp" (a Smart OTP unlocked by a 6-digit PIN)
    auth_label_vi: str
    labels_vi: Mapping[str, str]
    steps: tuple[WalletStep, ...]
    source: str
    verified: bool = False
    name_en: str = ""
    kind_en: str = ""
    auth_label_en: str = ""
    labels_en: Mapping[str, str] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return in_language(self.name_vi, self.name_en)

    @property
    def kind(self) -> str:
        return in_language(self.kind_vi, self.kind_en)

    @property
    def auth_label(self) -> str:
        return in_language(self.auth_label_vi, self.auth_label_en)

    @property
    def labels(self) -> Mapping[str, str]:
        return {key: in_language(vi, self.labels_en.get(key, ""))
                for key, vi in self.labels_vi.items()}

    def step(self, code: str) -> WalletStep:
        for step in self.steps:
            if step.code == code:
                return step
        raise InvalidInput(_("Ứng dụng {app} không có bước này; các bước: {allowed}")
                           .format(app=self.name, allowed=", ".join(STEP_CODES)),
                           field="buoc", value=code)

    def steps_for(self, request: PaymentRequest | None = None) -> tuple[WalletStep, ...]:
        """The steps a payer goes through; no amount step when the code carries one."""
        if request is not None and request.amount is not None:
            return tuple(s for s in self.steps if s.code != "amount")
        return self.steps

    def label(self, key: str) -> str:
        return self.labels[key]


@dataclass(frozen=True)
class Wallets:
    """The apps of ``wallets.yaml`` by code, with the practice notice every screen shows."""

    apps: Mapping[str, WalletApp]
    notice_vi: str
    source: str
    verified: bool = False
    notice_en: str = ""

    @property
    def notice(self) -> str:
        """The practice notice in the current language."""
        return in_language(self.notice_vi, self.notice_en)

    def get(self, code: object) -> WalletApp:
        if isinstance(code, str) and code in self.apps:
            return self.apps[code]
        raise InvalidInput(_("{label}: không có ứng dụng này; chọn một trong: {allowed}")
                           .format(label=field_label("ung_dung"), allowed=", ".join(self.apps)),
                           field="ung_dung", value=code)

    def __iter__(self) -> Iterator[WalletApp]:
        return iter(self.apps.values())

    def __len__(self) -> int:
        return len(self.apps)

    def __contains__(self, code: object) -> bool:
        return code in self.apps








def _template(text: str, file: str, label: str, key: str) -> str:
    try:
        names = {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name}
    except ValueError:
        raise invalid(file, label, key, text, _("dấu ngoặc nhọn { } không khớp nhau")) from None
    unknown = names - PLACEHOLDERS
    if unknown:
        raise invalid(file, label, key, text, _("chỉ được dùng các chỗ trống {allowed}, có "
                                                "{unknown}").format(
            allowed=", ".join(f"{{{p}}}" for p in sorted(PLACEHOLDERS)),
            unknown=", ".join(sorted(unknown))))
    return text


def _app(entry: Any, file: str, index: int) -> WalletApp:
    label = _("ứng dụng thứ {n}").format(n=index)
    if not isinstance(entry, dict):
        raise invalid(file, label, "apps", entry, _("mỗi ứng dụng phải là một bảng khóa: giá trị"))
    code = _text(entry, "code", file, label)
    label = _("ứng dụng {code}").format(code=code)
    text = partial(_wording, entry, file=file, entry=label)
    name, name_en = text("name")
    if SIMULATED not in name:
        raise invalid(file, label, "name", name,
                      _("tên phải có chữ «{mark}» để không ai nhầm với ứng dụng thật").format(
                          mark=SIMULATED))
    auth = _text(entry, "auth", file, label)
    if auth not in AUTH_KINDS:
        raise invalid(file, label, "auth", auth, _("phải là pin hoặc otp"))
    raw_labels = require(entry, "labels", file=file, entry=label, kind=dict)
    labels = {key: _wording(raw_labels, key, file=file, entry=f"{label}.labels")
              for key in LABEL_KEYS}
    raw_steps = require(entry, "steps", file=file, entry=label, kind=list)
    steps = []
    for position, raw in enumerate(raw_steps, start=1):
        where = _("{app}, bước thứ {n}").format(app=label, n=position)
        if not isinstance(raw, dict):
            raise invalid(file, where, "steps", raw, _("mỗi bước phải có step, title, text"))
        title, title_en = _wording(raw, "title", file=file, entry=where)
        body, body_en = _wording(raw, "text", file=file, entry=where)
        _template(body, file, where, "text")
        same_placeholders(body, body_en, file=file, entry=where, field="text")
        steps.append(WalletStep(_text(raw, "step", file, where), title, body, title_en, body_en))
    codes = tuple(step.code for step in steps)
    if codes != STEP_CODES:
        raise invalid(file, label, "steps", list(codes),
                      _("phải có đúng các bước {steps}, theo thứ tự này").format(
                          steps=", ".join(STEP_CODES)))
    (kind, kind_en), (auth_label, auth_label_en) = text("kind"), text("auth_label")
    return WalletApp(code=code, name_vi=name, kind_vi=kind, auth=auth, auth_label_vi=auth_label,
                     labels_vi=MappingProxyType({k: vi for k, (vi, _en) in labels.items()}),
                     steps=tuple(steps), source=_text(entry, "source", file, label),
                     verified=_flag(entry, "verified", file, label), name_en=name_en,
                     kind_en=kind_en, auth_label_en=auth_label_en,
                     labels_en=MappingProxyType({k: en for k, (_vi, en) in labels.items()}))


def _wording(mapping: Any, key: str, *, file: str, entry: str) -> tuple[str, str]:
    """``mapping[key]`` written ``{vi: ..., en: ...}``."""
    return wording(require(mapping, key, file=file, entry=entry, kind=dict), file=file,
                   entry=entry, field=key)


_flag = partial(flag_field, default=False)


def parse_wallets(data: Any, file: str) -> Wallets:
    """Build the apps from parsed YAML; every error names file, entry and field."""
    top = _("đầu tệp")
    rows = require(data, "apps", file=file, entry=top, kind=list)
    apps: dict[str, WalletApp] = {}
    for index, entry in enumerate(rows, start=1):
        app = _app(entry, file, index)
        if app.code in apps:
            raise invalid(file, _("ứng dụng {code}").format(code=app.code), "code", app.code,
                          _("mã ứng dụng bị trùng với một ứng dụng ở trên"))
        apps[app.code] = app
    if not apps:
        raise DataFileError(_("Tệp {file}: chưa có ứng dụng nào").format(file=Path(file).name),
                            file=file, field="apps")
    notice, notice_en = _wording(data, "notice", file=file, entry=top)
    return Wallets(MappingProxyType(apps), notice_vi=notice, notice_en=notice_en,
                   source=_text(data, "source", file, top),
                   verified=_flag(data, "verified", file, top))


@cache
def _load_default() -> Wallets:
    return parse_wallets(load_yaml(WALLETS_FILE), str(DATA_DIR / WALLETS_FILE))


def load_wallets(path: str | Path | None = None) -> Wallets:
    """The simulated apps (``data/wallets.yaml`` unless ``path`` is given; cached)."""
    if path is None:
        return _load_default()
    return parse_wallets(load_yaml(path), str(path))


# --- amounts ------------------------------------------------------------------------------

_PLAIN = re.compile(r"[0-9]+")
_GROUPED = re.compile(r"[0-9]{1,3}(?:\.[0-9]{3})+")
_CURRENCY = re.compile(r"\s*(?:₫|đ|đồng|vnđ|vnd)\s*$", re.IGNORECASE)


def _amount_error(value: object, rule: str, name: str) -> InvalidInput:
    # What was typed stays in error.value; the message states the rule, not the text.
    return InvalidInput(_("{label} {rule}").format(label=field_label(name), rule=rule),
                        field=name, value=value)


def parse_amount(value: object, *, name: str = "so_tien") -> int:
    """Whole dong > 0 from ``200000``, ``"200000"`` or ``"200.000"`` (a trailing ₫ is fine)."""
    if isinstance(value, bool):
        raise _amount_error(value, _("phải là một số đồng"), name)
    if isinstance(value, int):
        amount = value
    elif isinstance(value, str):
        text = _CURRENCY.sub("", nfc(value).strip()).replace(" ", "").replace("\u00a0", "")
        if not text:
            raise _amount_error(value, _("chưa được nhập"), name)
        if "," in text:
            raise _amount_error(value, _(
                "chỉ gồm chữ số, dùng dấu chấm để tách hàng nghìn (200.000); không dùng dấu phẩy "
                "và không có phần lẻ vì tiền Việt Nam tính bằng đồng nguyên"), name)
        if _PLAIN.fullmatch(text):
            amount = int(text)
        elif _GROUPED.fullmatch(text):
            amount = int(text.replace(".", ""))
        else:
            raise _amount_error(value, _(
                "phải viết như 200.000 hoặc 200000: chỉ chữ số, dấu chấm tách đúng từng nhóm ba "
                "chữ số, không có phần lẻ"), name)
    else:
        raise _amount_error(value, _("phải là một số đồng"), name)
    if amount <= 0:
        raise _amount_error(value, _("phải lớn hơn 0 đồng"), name)
    if amount >= 10 ** MAX_AMOUNT:
        raise _amount_error(value, _("quá lớn: tối đa {n} chữ số").format(n=MAX_AMOUNT), name)
    return amount


# --- PIN ----------------------------------------------------------------------------------


def check_pin(pin: object) -> str:
    """The PIN if it is exactly 6 digits; the message never repeats what was typed."""
    if not isinstance(pin, str):
        raise InvalidInput(_("{label} phải được gõ dưới dạng 6 chữ số (chữ, không phải số), "
                             "đang có kiểu {kind}").format(label=field_label("ma_pin"),
                                                          kind=type(pin).__name__),
                           field="ma_pin")
    if len(pin) != PIN_LENGTH or not (pin.isascii() and pin.isdigit()):
        raise InvalidInput(_("{label} phải gồm đúng {n} chữ số; đã nhập {count} ký tự{extra}")
                           .format(label=field_label("ma_pin"), n=PIN_LENGTH, count=len(pin),
                                   extra="" if pin.isascii() and pin.isdigit()
                                   else _(" có cả ký tự không phải chữ số")),
                           field="ma_pin")
    return pin


def hash_pin(pin: str, *, salt: bytes | None = None, iterations: int | None = None) -> str:
    """The PIN as a salted hash (see domain/hashing.py); the PIN itself is never kept."""
    check_pin(pin)
    return hashing.hash_secret(pin, salt=salt, iterations=iterations or PIN_ITERATIONS)


def verify_pin(pin: str, stored: str) -> bool:
    """Whether ``pin`` matches ``stored`` (constant-time comparison)."""
    check_pin(pin)
    return hashing.verify_secret(pin, stored)


def locked_message() -> str:
    return _("Tài khoản đã bị khóa sau {n} lần nhập sai mã PIN. Hãy nhờ giảng viên mở khóa."
             ).format(n=MAX_PIN_TRIES)


@dataclass(frozen=True)
class PinFailure:
    """After a wrong PIN: how many wrong tries in a row, whether now locked, what to say."""

    failed: int
    locked: bool
    message: str


def pin_failure(failed: int) -> PinFailure:
    """The outcome of the ``failed``-th wrong PIN in a row."""
    if failed >= MAX_PIN_TRIES:
        return PinFailure(failed, True, locked_message())
    return PinFailure(failed, False, _("Mã PIN không đúng. Còn {left} lần thử.").format(
        left=MAX_PIN_TRIES - failed))


# --- payment requests ---------------------------------------------------------------------

_DOSSIER_CODE = re.compile(r"(?<![A-Za-z0-9.])([A-Za-z0-9]+(?:\.[A-Za-z0-9]+)*-[0-9]{6}-[0-9]{4})"
                           r"(?![0-9])")


def find_dossier_code(*texts: str | None) -> str | None:
    """The first well-formed dossier code (``UNIT-YYMMDD-NNNN``) in ``texts``, upper-cased."""
    for text in texts:
        for match in _DOSSIER_CODE.finditer(text or ""):
            candidate = match.group(1).upper()
            try:
                parse_dossier_code(candidate)
            except InvalidInput:
                continue  # e.g. a date that does not exist: not a code
            return candidate
    return None


@dataclass(frozen=True)
class PaymentRequest:
    """What a payer's app shows after scanning: who gets how much, and why."""

    payload: str
    bank: Bank
    account: str
    recipient: str | None  # the name the app shows (the account holder when known)
    amount: int | None  # None: a static code, the payer types the amount
    purpose: str | None
    bill_number: str | None
    dossier_code: str | None
    name_in_code: str | None = None  # field 59 as written in the code
    notes: tuple[str, ...] = ()  # Vietnamese notes from the decoder: read, not errors

    @property
    def static(self) -> bool:
        return self.amount is None

    @property
    def training(self) -> bool:
        return self.bank.training

    def values(self) -> dict[str, str]:
        """Placeholder values for :meth:`WalletStep.render`."""
        return {"recipient": self.recipient or _("(mã không ghi tên người nhận)"),
                "bank": self.bank.short_name, "account": self.account,
                "amount": format_vnd(self.amount) if self.amount is not None
                else _("(bạn tự nhập)"),
                "purpose": self.purpose or _("(không có nội dung)")}


def payment_request(payload: object, banks: BankDirectory | None = None) -> PaymentRequest:
    """Decode ``payload``; refuse it with every Vietnamese problem listed if it has any."""
    if not isinstance(payload, (str, bytes)):
        raise InvalidInput(_("{label} phải là nội dung chữ đọc được từ mã (đang có kiểu {kind})")
                           .format(label=field_label("ma_qr"), kind=type(payload).__name__),
                           field="ma_qr", value=payload)
    banks = banks if banks is not None else load_banks()
    result = decode(payload, banks=banks)
    if not result.ok or result.qr is None:
        problems = [p.message for p in result.problems]
        raise InvalidInput(_("{label} không dùng để thanh toán được:\n{problems}").format(
            label=field_label("ma_qr"), problems="\n".join(f"- {p}" for p in problems)),
            field="ma_qr", value=result.payload)
    _refuse_valid(result.qr, result.bank)
    assert result.bank is not None  # _refuse_valid refused a bank outside the directory
    qr = result.qr
    return PaymentRequest(payload=result.payload, bank=result.bank, account=qr.account,
                          recipient=qr.name, amount=qr.amount, purpose=qr.purpose,
                          bill_number=qr.bill_number,
                          dossier_code=find_dossier_code(qr.purpose, qr.bill_number),
                          name_in_code=qr.name, notes=tuple(n.message for n in result.notes))


def _refuse_valid(qr: VietQR, bank: Bank | None) -> None:
    """Refuse a well-formed code the practice wallet does not pay, saying why in plain words.

    The code is not broken: a real app may pay it. The practice world only transfers to
    accounts or cards of banks in its directory.
    """
    label = field_label("ma_qr")
    if qr.service == SERVICE_CASH:
        reason = _("{label} là mã rút tiền mặt tại cây ATM (QRCASH), không phải mã chuyển "
                   "khoản. Mã này đúng chuẩn, nhưng không dùng để trả tiền cho ai.")
    elif qr.service == SERVICE_PUSH:
        reason = _("{label} là mã thanh toán hàng hóa, dịch vụ tại điểm bán (QRPUSH). Mã này đúng "
                   "chuẩn và ứng dụng ngân hàng thật trả được, nhưng ví tập dượt chỉ luyện chuyển "
                   "khoản tới tài khoản hoặc thẻ, nên không trả mã này.")
    elif bank is None:
        reason = _("{label} đúng chuẩn VietQR, nhưng mã ngân hàng {bin} không có trong danh mục "
                   "của phòng thực hành, nên ví tập dượt không chuyển tiền tới đó. Khi đi hướng "
                   "dẫn thật, hãy hỏi lại người nhận đó là ngân hàng hay ví nào.")
    else:
        return
    raise InvalidInput(reason.format(label=label, bin=qr.bin), field="ma_qr", value=qr.bin)


def payment_amount(request: PaymentRequest, typed: object = None) -> int:
    """The amount to pay: typed for a static code; fixed (not changeable) for a dynamic one."""
    if request.amount is None:
        if typed is None or (isinstance(typed, str) and not typed.strip()):
            raise InvalidInput(_("{label}: mã QR này là mã tĩnh, không có sẵn số tiền; hãy nhập "
                                 "số tiền cần trả").format(label=field_label("so_tien")),
                               field="so_tien", value=typed)
        return parse_amount(typed)
    if typed is not None and parse_amount(typed) != request.amount:
        raise InvalidInput(_("{label}: mã QR này đã ghi sẵn {fixed}, người trả không được đổi số "
                             "tiền; hãy để đúng {fixed}").format(
                                 label=field_label("so_tien"), fixed=format_vnd(request.amount)),
                           field="so_tien", value=typed)
    return request.amount


# --- accounts, payments, receipts ----------------------------------------------------------


@dataclass(frozen=True)
class Account:
    """A practice account at the training bank, used through one app (no PIN kept here)."""

    id: str
    owner: str
    app: str
    bank_bin: str
    number: str
    holder_name: str
    balance: int
    failed_pins: int = 0
    locked: bool = False


@dataclass(frozen=True)
class Payment:
    """A completed payment as the store keeps it."""

    reference: str
    at: datetime
    payer: str  # account id
    payer_name: str
    app: str
    payee_bin: str
    payee_account: str
    payee_name: str | None
    amount: int
    purpose: str | None = None
    dossier_code: str | None = None
    status: str = PAID


@dataclass(frozen=True)
class Receipt:
    """What the payer's app shows at the end (the "biên lai")."""

    payment: Payment
    app: WalletApp
    bank_name: str
    payer_number: str
    duplicate: bool = field(default=False, compare=False)  # a repeated tap got this back

    @property
    def reference(self) -> str:
        return self.payment.reference

    @property
    def amount(self) -> int:
        return self.payment.amount

    def text(self) -> str:
        """The receipt as lines of text; it says it is a practice receipt."""
        p = self.payment
        lines = [
            f"{self.app.label('receipt_title')} {SIMULATED}",
            _("Mã giao dịch: {reference}").format(reference=p.reference),
            _("Thời gian: {at}").format(at=f"{p.at:%H:%M %d/%m/%Y}"),
            _("Số tiền: {amount}").format(amount=format_vnd(p.amount)),
            _("Người nhận: {name}").format(name=p.payee_name or "—"),
            _("Ngân hàng nhận: {bank}").format(bank=self.bank_name),
            _("Tài khoản nhận: {account}").format(account=p.payee_account),
            _("Nội dung: {purpose}").format(purpose=p.purpose or "—"),
        ]
        if p.dossier_code:
            lines.append(_("Lệ phí hồ sơ: {code}").format(code=p.dossier_code))
        lines += [
            _("Từ tài khoản: {number} ({name}) qua {app}").format(
                number=self.payer_number, name=p.payer_name, app=self.app.name),
            _("Biên lai tập dượt, không có tiền thật được chuyển."),
        ]
        return "\n".join(lines)
