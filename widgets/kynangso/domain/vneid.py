"""Rules of the simulated VNeID app: activation, OTP, password and passcode, lock-out, levels,
the document wallet and the notification list. Pure values; the store lives in
``sandbox/vneid.py``.

The real flow (sources in ``data/vneid.yaml``): type the CCCD number and phone number and tap
"Gửi yêu cầu"; type the OTP sent by SMS; set a password (8–20 characters with a digit, an
upper-case and a lower-case letter and a special character) used to log in, and a 6-digit
passcode that opens the app's services. Logging in on a new phone needs a code shown in the
VNeID app on the old phone. The brief this module was written from put a 6-digit passcode
before the OTP and used it to log in; the lab follows the published flow instead, so a
volunteer does not teach a resident a wrong one.

Project decisions (not the real app):
- Every limit marked ``verified: false`` in the data file is an approximation.
- Any structurally valid CCCD number is accepted, since practice numbers cannot be told from
  real ones by their digits; a number that is not a practice persona's gets a warning never to
  type a real one (:func:`practice_warning`). A persona's number brings the persona's data.
- Activation gives level 1; level 2 needs an enrolment recorded by an official or trainer
  (biometrics at the police), whatever the persona's story says.
- Error messages describe a typed password or passcode (its length, what it lacks) but never
  repeat it.
"""

from __future__ import annotations

import hashlib
import hmac
import random
import string
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from enum import StrEnum
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from ..errors import InvalidInput
from ..i18n import _, in_language, nfc, translate
from . import hashing
from .catalogue import Catalogue, Procedure
from .datafiles import checked_field, invalid, load_yaml, require, same_placeholders, wording
from .dossier import Dossier, State
from .identity import N_, Gender, format_date, validate_cccd
from .identity import field_label as identity_label
from .locality import load_locality
from .personas import (
    MAX_PERSONAS,
    PRACTICE_SERIAL_PREFIX,
    Persona,
    age_on,
    middle_names,
    persona_by_id,
    vietnamese_faker,
)

DEFAULT_FILE = "vneid.yaml"
SECRET_ITERATIONS = 100_000
OTP_ITERATIONS = 10_000  # an OTP lives minutes; a lighter hash is enough
PURPOSES = ("activate", "new_device")
LEVELS = (1, 2)

LIMIT_KEYS = ("otp_digits", "otp_valid_minutes", "otp_max_attempts", "login_max_attempts",
              "passcode_max_attempts", "lock_minutes", "password_min_length",
              "password_max_length", "passcode_digits", "wallet_min_level")
# Placeholders each text may use (the loader refuses others and missing texts).
TEXT_FIELDS: Mapping[str, frozenset[str]] = MappingProxyType({
    "sms_activation": frozenset({"code"}),
    "app_new_device": frozenset({"code"}),
    "already_activated": frozenset(),
    "level2_required": frozenset({"procedure", "level"}),
    "level2_approved": frozenset({"name"}),
    "level2_upgraded": frozenset(),
    "activated": frozenset({"level"}),
    "skipped_steps": frozenset(),
    "new_device_help": frozenset(),
    "wallet_needs_level2": frozenset({"level"}),
    "level_differences": frozenset(),
})

FIELD_LABELS: Mapping[str, str] = MappingProxyType({
    "ma_otp": N_("Mã OTP"),
    "mat_khau": N_("Mật khẩu"),
    "nhap_lai_mat_khau": N_("Nhập lại mật khẩu"),
    "passcode": N_("Passcode"),
    "nhap_lai_passcode": N_("Nhập lại passcode"),
    "muc_dinh_danh": N_("Mức định danh"),
    "thiet_bi": N_("Thiết bị"),
    "tai_khoan_vneid": N_("Tài khoản VNeID"),
})


def field_label(name: str) -> str:
    """The label of a VNeID field (or of an identity field) in the current language."""
    label = FIELD_LABELS.get(name)
    return translate(label) if label else identity_label(name)


def _error(field: str, message: str, value: object = None) -> InvalidInput:
    return InvalidInput(message, field=field, value=value)


# --- data file ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Sourced:
    """A value of the data file with where it comes from."""

    value: Any
    source: str
    verified: bool
    checked: date | None = None
    en: str = ""  # the English of a text ({vi: ..., en: ...} in the file)

    @property
    def shown(self) -> Any:
        """The value as a trainee reads it in the current language."""
        return in_language(self.value, self.en) if self.en else self.value

    @property
    def note(self) -> str:
        """" (chưa kiểm chứng)" after an unverified value, else nothing."""
        return "" if self.verified else " ({})".format(_("chưa kiểm chứng"))


@dataclass(frozen=True)
class ScamWarning:
    title: str  # Vietnamese; title_en and text_en are the English of the file
    text: str
    source: str
    verified: bool
    checked: date | None = None
    title_en: str = ""
    text_en: str = ""

    @property
    def shown_title(self) -> str:
        return in_language(self.title, self.title_en)

    @property
    def shown_text(self) -> str:
        return in_language(self.text, self.text_en)


@dataclass(frozen=True)
class WalletSamples:
    facilities: tuple[str, ...]
    insurance_title: str  # Vietnamese; the ..._source .shown gives the current language
    valid_from: str
    valid_to: str
    insurance_source: Sourced
    licence_title: str
    licence_classes: tuple[str, ...]
    licence_min_age: int
    licence_share_percent: int
    licence_source: Sourced
    source: str


@dataclass(frozen=True)
class VneidRules:
    """Limits, wording and wallet samples of ``data/vneid.yaml``."""

    limits: Mapping[str, Sourced]
    texts: Mapping[str, Sourced]
    scam_warnings: tuple[ScamWarning, ...]
    wallet: WalletSamples
    persona_seed: int
    file: str = DEFAULT_FILE

    def limit(self, key: str) -> int:
        return self.limits[key].value

    def text(self, key: str, **values: Any) -> str:
        return self.texts[key].shown.format(**values)

    @property
    def otp_digits(self) -> int:
        return self.limit("otp_digits")

    @property
    def otp_valid(self) -> timedelta:
        return timedelta(minutes=self.limit("otp_valid_minutes"))

    @property
    def lock_period(self) -> timedelta:
        return timedelta(minutes=self.limit("lock_minutes"))

    @property
    def passcode_digits(self) -> int:
        return self.limit("passcode_digits")


def _sourced(entry: Any, file: str, label: str, key: str, kind: type | tuple) -> Sourced:
    """``entry[key]`` with its source; ``kind=dict`` reads a {vi: ..., en: ...} text."""
    if kind is dict:
        vi, en = wording(require(entry, key, file=file, entry=label, kind=dict),
                         file=file, entry=label, field=key)
        same_placeholders(vi, en, file=file, entry=label, field=key)
        plain = _sourced({**entry, key: vi}, file, label, key, str)
        return Sourced(plain.value, plain.source, plain.verified, plain.checked, en)
    value = require(entry, key, file=file, entry=label, kind=kind)
    source = require(entry, "source", file=file, entry=label, kind=str)
    verified = require(entry, "verified", file=file, entry=label, kind=bool)
    if not source.strip():
        raise invalid(file, label, "source", source, _("cần ghi nguồn"))
    return Sourced(value.strip() if isinstance(value, str) else value, source.strip(), verified,
                   checked_field(entry, "checked", file, label))


def _limits(data: Any, file: str) -> Mapping[str, Sourced]:
    table = require(data, "limits", file=file, entry="limits", kind=dict)
    limits = {}
    for key in LIMIT_KEYS:
        entry = require(table, key, file=file, entry="limits", kind=dict)
        item = _sourced(entry, file, f"limits.{key}", "value", int)
        if isinstance(item.value, bool) or not 1 <= item.value <= 1000:
            raise invalid(file, f"limits.{key}", "value", item.value,
                          _("cần số nguyên từ 1 đến 1000"))
        limits[key] = item
    for key in ("otp_digits", "passcode_digits"):
        if not 4 <= limits[key].value <= 10:
            raise invalid(file, f"limits.{key}", "value", limits[key].value,
                          _("cần từ 4 đến 10 chữ số"))
    if limits["wallet_min_level"].value not in LEVELS:
        raise invalid(file, "limits.wallet_min_level", "value", limits["wallet_min_level"].value,
                      _("mức định danh chỉ là 1 hoặc 2"))
    if limits["password_min_length"].value > limits["password_max_length"].value:
        raise invalid(file, "limits.password_min_length", "value",
                      limits["password_min_length"].value,
                      _("không được lớn hơn password_max_length"))
    return MappingProxyType(limits)


def _texts(data: Any, file: str) -> Mapping[str, Sourced]:
    table = require(data, "texts", file=file, entry="texts", kind=dict)
    texts = {}
    for key, allowed in TEXT_FIELDS.items():
        entry = require(table, key, file=file, entry="texts", kind=dict)
        item = _sourced(entry, file, f"texts.{key}", "text", dict)
        try:
            used = {name for _lit, name, _spec, _conv in string.Formatter().parse(item.value)
                    if name is not None}
        except ValueError:
            raise invalid(file, f"texts.{key}", "text", item.value,
                          _("dấu ngoặc nhọn { } không khớp")) from None
        if used - allowed:
            raise invalid(file, f"texts.{key}", "text", sorted(used - allowed), _(
                "chỉ được dùng các chỗ trống {allowed}").format(
                    allowed=", ".join("{" + a + "}" for a in sorted(allowed)) or "—"))
        texts[key] = item
    return MappingProxyType(texts)


def _warnings(data: Any, file: str) -> tuple[ScamWarning, ...]:
    items = require(data, "scam_warnings", file=file, entry="scam_warnings", kind=list)
    warnings = []
    for index, entry in enumerate(items, start=1):
        label = f"scam_warnings[{index}]"
        title, title_en = wording(require(entry, "title", file=file, entry=label, kind=dict),
                                  file=file, entry=label, field="title")
        item = _sourced(entry, file, label, "text", dict)
        warnings.append(ScamWarning(title, item.value, item.source, item.verified,
                                    item.checked, title_en, item.en))
    return tuple(warnings)


def _wallet(data: Any, file: str) -> WalletSamples:
    wallet = require(data, "wallet", file=file, entry="wallet", kind=dict)
    source = require(wallet, "source", file=file, entry="wallet", kind=str)
    bhyt = require(wallet, "health_insurance", file=file, entry="wallet", kind=dict)
    gplx = require(wallet, "driving_licence", file=file, entry="wallet", kind=dict)
    label_b, label_g = "wallet.health_insurance", "wallet.driving_licence"
    facilities = require(bhyt, "facilities", file=file, entry=label_b, kind=list)
    if not facilities or not all(isinstance(f, str) and f.strip() for f in facilities):
        raise invalid(file, label_b, "facilities", facilities, _("cần ít nhất một tên cơ sở"))
    for key in ("valid_from", "valid_to"):
        value = require(bhyt, key, file=file, entry=label_b, kind=str)
        try:
            datetime.strptime(value, "%d/%m/%Y")
        except ValueError:
            raise invalid(file, label_b, key, value, _("cần ngày dạng dd/mm/yyyy")) from None
    classes = require(gplx, "classes", file=file, entry=label_g, kind=list)
    if not classes or not all(isinstance(c, str) and c.strip() for c in classes):
        raise invalid(file, label_g, "classes", classes, _("cần ít nhất một hạng"))
    share = require(gplx, "share_percent", file=file, entry=label_g, kind=int)
    if not 0 <= share <= 100:
        raise invalid(file, label_g, "share_percent", share, _("cần số từ 0 đến 100"))
    return WalletSamples(
        facilities=tuple(f.strip() for f in facilities),
        insurance_title=_sourced(bhyt, file, label_b, "title", dict).value,
        valid_from=bhyt["valid_from"], valid_to=bhyt["valid_to"],
        insurance_source=_sourced(bhyt, file, label_b, "title", dict),
        licence_title=_sourced(gplx, file, label_g, "title", dict).value,
        licence_classes=tuple(c.strip() for c in classes),
        licence_min_age=require(gplx, "min_age", file=file, entry=label_g, kind=int),
        licence_share_percent=share,
        licence_source=_sourced(gplx, file, label_g, "title", dict),
        source=source.strip())


def load_rules(path: str | Path | None = None) -> VneidRules:
    """Read and check ``data/vneid.yaml`` (or ``path``); errors name file, entry and field."""
    target = path if path is not None else DEFAULT_FILE
    file = str(target)
    data = load_yaml(target)
    if not isinstance(data, dict):
        raise invalid(file, "(tệp)", "limits", type(data).__name__, _("tệp phải là một bảng"))
    seed = require(data, "persona_seed", file=file, entry="(tệp)", kind=int)
    return VneidRules(limits=_limits(data, file), texts=_texts(data, file),
                      scam_warnings=_warnings(data, file), wallet=_wallet(data, file),
                      persona_seed=seed, file=file)


@cache
def rules() -> VneidRules:
    """The rules of ``data/vneid.yaml`` (read once)."""
    return load_rules()


# --- what a person types ------------------------------------------------------------------


def _typed(value: object, field: str) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise _error(field, _("{label} phải được gõ dưới dạng chữ (đang có kiểu {kind})").format(
            label=field_label(field), kind=type(value).__name__))
    if value == "":
        raise _error(field, _("Chưa nhập {label}").format(label=field_label(field)))
    return value


def check_password(value: object, rules: VneidRules) -> str:
    """The password if it meets the app's rule; the message describes it, never repeats it."""
    text = _typed(value, "mat_khau")
    label = field_label("mat_khau")
    low, high = rules.limit("password_min_length"), rules.limit("password_max_length")
    if not low <= len(text) <= high:
        raise _error("mat_khau", _("{label} phải dài từ {low} đến {high} ký tự; mật khẩu đã "
                                   "nhập có {count} ký tự").format(label=label, low=low, high=high,
                                                  count=len(text)))
    if any(ch.isspace() for ch in text):
        raise _error("mat_khau", _("{label} không được chứa dấu cách; hãy xóa dấu cách rồi gõ "
                                   "lại").format(label=label))
    if not text.isascii():
        # A project rule: letters with diacritics differ between keyboards and phones.
        raise _error("mat_khau", _("{label} chỉ dùng chữ không dấu, chữ số và ký tự đặc biệt; "
                                   "mật khẩu đã nhập có chữ có dấu hoặc ký tự lạ").format(
                                       label=label))
    missing = [name for name, present in (
        (_("chữ số"), any(ch.isdigit() for ch in text)),
        (_("chữ viết hoa"), any(ch.isupper() for ch in text)),
        (_("chữ viết thường"), any(ch.islower() for ch in text)),
        (_("ký tự đặc biệt (như ! @ # $)"), any(not ch.isalnum() for ch in text)),
    ) if not present]
    if missing:
        raise _error("mat_khau", _("{label} phải có chữ số, chữ viết hoa, chữ viết thường và ký "
                                   "tự đặc biệt; mật khẩu đã nhập ({count} ký tự) còn thiếu: "
                                   "{missing}").format(label=label, count=len(text),
                                                       missing=", ".join(missing)))
    return text


def check_passcode(value: object, rules: VneidRules, field: str = "passcode") -> str:
    """The passcode if it is exactly N digits; the message never repeats what was typed."""
    text = _typed(value, field)
    digits = rules.passcode_digits
    if len(text) != digits or not (text.isascii() and text.isdigit()):
        extra = "" if text.isascii() and text.isdigit() else _(" có ký tự không phải chữ số")
        raise _error(field, _("{label} phải gồm đúng {n} chữ số; đã nhập {count} ký tự{extra}")
                     .format(label=field_label(field), n=digits, count=len(text), extra=extra))
    return text


def check_same(first: str, again: object, field: str, again_field: str) -> None:
    """The second typing must equal the first (without showing either)."""
    if again != first:
        raise _error(again_field, _("{again} không khớp với {label} đã nhập; hãy gõ lại cho "
                                    "giống hệt").format(again=field_label(again_field),
                                                         label=field_label(field)))


def check_otp_format(value: object, rules: VneidRules) -> str:
    """The OTP as typed (spaces removed) if it has the right number of digits."""
    text = _typed(value, "ma_otp")
    compact = "".join(nfc(text).split())
    digits = rules.otp_digits
    if len(compact) != digits or not (compact.isascii() and compact.isdigit()):
        raise _error("ma_otp", _("{label} gồm đúng {n} chữ số trong tin nhắn; hãy gõ lại đủ "
                                 "{n} chữ số, không gõ chữ cái hay ký hiệu").format(
                                     label=field_label("ma_otp"), n=digits), value)
    return compact


# --- secrets ------------------------------------------------------------------------------


def hash_secret(secret: str, *, salt: bytes | None = None, iterations: int | None = None) -> str:
    """A password, passcode or OTP as a salted hash (see domain/hashing.py)."""
    return hashing.hash_secret(secret, salt=salt, iterations=iterations or SECRET_ITERATIONS)


verify_secret = hashing.verify_secret


def otp_code(seed: str, counter: int, digits: int = 6) -> str:
    """The ``counter``-th OTP for ``seed``: the same seed always gives the same codes."""
    mac = hmac.new(seed.encode("utf-8"), str(counter).encode("ascii"), hashlib.sha256).digest()
    return f"{int.from_bytes(mac[:8], 'big') % 10 ** digits:0{digits}d}"


# --- OTP ----------------------------------------------------------------------------------


class OtpStatus(StrEnum):
    SENT = "sent"
    VERIFIED = "verified"
    USED = "used"
    BLOCKED = "blocked"
    EXPIRED = "expired"
    REPLACED = "replaced"


@dataclass(frozen=True)
class OtpTicket:
    """One code sent: its hash, when it stops working, how many wrong tries so far."""

    purpose: str
    code_hash: str
    issued_at: datetime
    expires_at: datetime
    failed: int = 0
    status: OtpStatus = OtpStatus.SENT


@dataclass(frozen=True)
class OtpCheck:
    """The outcome of typing an OTP: the ticket after it, and what to tell the person."""

    ok: bool
    ticket: OtpTicket
    reason: str  # ok | wrong | blocked | expired | used
    message: str


def issue_otp(purpose: str, code: str, now: datetime, rules: VneidRules) -> OtpTicket:
    if purpose not in PURPOSES:
        raise ValueError(f"unknown OTP purpose {purpose!r}")
    return OtpTicket(purpose, hash_secret(code, iterations=OTP_ITERATIONS), now,
                     now + rules.otp_valid)


def check_otp(ticket: OtpTicket, typed: object, now: datetime, rules: VneidRules) -> OtpCheck:
    """Check a typed OTP; a badly formed one raises InvalidInput and costs no try."""
    code = check_otp_format(typed, rules)
    limit = rules.limit("otp_max_attempts")
    label = field_label("ma_otp")
    again = _("Bấm «Gửi lại mã» để nhận mã mới.")
    if ticket.status is OtpStatus.BLOCKED:
        return OtpCheck(False, ticket, "blocked", _(
            "{label} này đã bị khóa vì nhập sai {n} lần. {again}").format(
                label=label, n=limit, again=again))
    if ticket.status is not OtpStatus.SENT and ticket.status is not OtpStatus.EXPIRED:
        return OtpCheck(False, ticket, "used", _(
            "{label} này đã dùng rồi hoặc đã có mã mới thay thế. {again}").format(
                label=label, again=again))
    if ticket.status is OtpStatus.EXPIRED or now > ticket.expires_at:
        minutes = rules.limit("otp_valid_minutes")
        return OtpCheck(False, replace(ticket, status=OtpStatus.EXPIRED), "expired", _(
            "{label} đã hết hạn: mã chỉ dùng được trong {minutes} phút kể từ {sent}. {again}"
        ).format(label=label, minutes=minutes, sent=f"{ticket.issued_at:%H:%M:%S}",
                 again=again))
    if verify_secret(code, ticket.code_hash):
        return OtpCheck(True, replace(ticket, status=OtpStatus.VERIFIED), "ok", "")
    failed = ticket.failed + 1
    if failed >= limit:
        return OtpCheck(False, replace(ticket, failed=failed, status=OtpStatus.BLOCKED),
                        "blocked", _("{label} không đúng. Bạn đã nhập sai {n} lần nên mã này "
                                     "không dùng được nữa. {again}").format(
                                         label=label, n=failed, again=again))
    return OtpCheck(False, replace(ticket, failed=failed), "wrong", _(
        "{label} không đúng. Hãy xem lại tin nhắn và gõ lại; bạn còn {left} lần thử.").format(
            label=label, left=limit - failed))


# --- wrong password / passcode ------------------------------------------------------------


@dataclass(frozen=True)
class Failure:
    """After a wrong password or passcode: the count, the lock (if any), the message."""

    failed: int
    locked_until: datetime | None
    message: str


def is_locked(locked_until: datetime | None, now: datetime) -> bool:
    return locked_until is not None and now < locked_until


def lock_message(locked_until: datetime, now: datetime, rules: VneidRules) -> str:
    minutes = max(1, -(-int((locked_until - now).total_seconds()) // 60))
    return _("Tài khoản đang bị tạm khóa vì nhập sai quá số lần cho phép. Hãy thử lại sau "
             "{time} ngày {day} (khoảng {minutes} phút nữa).").format(
                 time=f"{locked_until:%H:%M}", day=format_date(locked_until.date()),
                 minutes=minutes)


def after_wrong(field: str, failed_before: int, now: datetime, rules: VneidRules) -> Failure:
    """Count one more wrong ``field`` (mat_khau or passcode); lock at the data file's limit."""
    key = {"mat_khau": "login_max_attempts", "passcode": "passcode_max_attempts"}[field]
    limit = rules.limit(key)
    failed = failed_before + 1
    if failed >= limit:
        until = now + rules.lock_period
        return Failure(failed, until, _("{label} không đúng {n} lần liên tiếp. {lock}").format(
            label=field_label(field), n=failed, lock=lock_message(until, now, rules)))
    return Failure(failed, None, _(
        "{label} không đúng. Bạn còn {left} lần thử; nhập sai {limit} lần thì tài khoản bị tạm "
        "khóa {minutes} phút.").format(label=field_label(field), left=limit - failed,
                                       limit=limit, minutes=rules.limit("lock_minutes")))


# --- the person behind a number -----------------------------------------------------------


@dataclass(frozen=True)
class Profile:
    """What the app shows about its holder; all synthetic."""

    cccd: str
    full_name: str
    gender: Gender
    birth_date: date
    address: str
    phone: str | None = None
    persona_id: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"cccd": self.cccd, "full_name": self.full_name, "gender": self.gender.value,
                "birth_date": self.birth_date.isoformat(), "address": self.address,
                "phone": self.phone, "persona_id": self.persona_id}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Profile:
        return cls(cccd=data["cccd"], full_name=data["full_name"], gender=Gender(data["gender"]),
                   birth_date=date.fromisoformat(data["birth_date"]), address=data["address"],
                   phone=data.get("phone"), persona_id=data.get("persona_id"))


def practice_persona(cccd: str, seed: int) -> Persona | None:
    """The practice persona whose CCCD number is ``cccd`` (serial 999 + index), if any."""
    serial = cccd[6:]
    if len(cccd) != 12 or not serial.startswith(PRACTICE_SERIAL_PREFIX):
        return None
    index = int(serial[len(PRACTICE_SERIAL_PREFIX):])
    if index >= MAX_PERSONAS:
        return None
    persona = persona_by_id(seed, f"NV-{index + 1:03d}")
    return persona if persona.cccd == cccd else None


def practice_warning(profile: Profile) -> str:
    """A reminder shown when a number is not one of the practice personas ('' if it is)."""
    if profile.persona_id:
        return ""
    return _("Số {cccd} không thuộc nhân vật giả lập nào. Phòng thực hành vẫn nhận để tập, "
             "nhưng tuyệt đối không nhập số CCCD thật của ai vào đây; hãy dùng số của nhân vật "
             "giả lập.").format(cccd=profile.cccd)


def profile_for(cccd: object, *, seed: int, today: date) -> Profile:
    """The practice holder of ``cccd``: the persona's data, or a synthetic person born in the
    year and of the gender the number encodes."""
    info = validate_cccd(cccd)
    if info.birth_year > today.year:
        raise _error("cccd", _("{label}: chữ số 4–6 cho năm sinh {year}, sau năm hiện tại; "
                               "hãy đối chiếu lại với số in trên thẻ").format(
                                   label=field_label("cccd"), year=info.birth_year),
                     cccd)
    persona = practice_persona(info.number, seed)
    if persona is not None:
        return Profile(persona.cccd, persona.full_name, persona.gender, persona.birth_date,
                       persona.household.address, persona.phone, persona.id)
    key = f"kynangso-vneid-{info.number}"
    rng = random.Random(key)
    fake = vietnamese_faker()
    fake.seed_instance(key)
    first = (fake.first_name_male() if info.gender is Gender.MALE
             else fake.first_name_female())
    # The shortest list of middle names: strangers' names stay what they were.
    name = f"{fake.last_name()} {rng.choice(middle_names(info.gender, 1))} {first}"
    start = date(info.birth_year, 1, 1)
    end = min(date(info.birth_year, 12, 31), today)
    born = start + timedelta(days=rng.randrange((end - start).days + 1))
    address = (f"Số {rng.randint(1, 120)}, đường {fake.street_name()}, "
               f"{load_locality().ward_title}")
    return Profile(info.number, name, info.gender, born, address)


# --- levels and procedures ----------------------------------------------------------------


def level_badge(level: int) -> str:
    return _("Định danh mức {level}").format(level=level)


def vneid_procedures(catalogue: Catalogue) -> tuple[Procedure, ...]:
    """Procedures of the catalogue that can be submitted on VNeID."""
    return tuple(p for p in catalogue if "vneid" in p.channels)


def check_level(procedure: Procedure, level: int, rules: VneidRules) -> None:
    """Refuse, in the app's words, a procedure that needs a higher level than ``level``."""
    if level < procedure.vneid_level:
        raise _error("muc_dinh_danh", rules.text("level2_required", procedure=procedure.shown_name,
                                                 level=level), level)


# --- document wallet ----------------------------------------------------------------------


@dataclass(frozen=True)
class WalletCard:
    """One document in the wallet; ``rows`` are (label, value) pairs shown on the card."""

    kind: str  # bhyt | gplx
    title: str
    rows: tuple[tuple[str, str], ...]
    source: str
    verified: bool
    synthetic: bool = True


def wallet_cards(profile: Profile, rules: VneidRules, today: date) -> tuple[WalletCard, ...]:
    """The health-insurance card, and a driving licence for some adults; same person, same
    cards every time."""
    samples = rules.wallet
    rng = random.Random(f"kynangso-vneid-wallet-{profile.cccd}")
    person = ((_("Họ và tên"), profile.full_name),
              (_("Ngày sinh"), format_date(profile.birth_date)),
              (_("Giới tính"), profile.gender.label))
    insurance = WalletCard(
        "bhyt", samples.insurance_source.shown,
        (*person,
         (_("Mã số BHXH"), f"99{rng.randrange(10 ** 8):08d}"),
         (_("Nơi đăng ký KCB ban đầu"), rng.choice(samples.facilities)),
         (_("Giá trị sử dụng"), _("từ {start} đến {end}").format(start=samples.valid_from,
                                                                 end=samples.valid_to))),
        samples.insurance_source.source, samples.insurance_source.verified)
    cards = [insurance]
    age = age_on(profile.birth_date, today)
    if age >= samples.licence_min_age and rng.randrange(100) < samples.licence_share_percent:
        adult = profile.birth_date.year + samples.licence_min_age
        issued = date(rng.randint(adult, max(adult, today.year - 1)), rng.randint(1, 12),
                      rng.randint(1, 28))
        cards.append(WalletCard(
            "gplx", samples.licence_source.shown,
            (*person,
             (_("Số giấy phép"), f"99{rng.randrange(10 ** 10):010d}"),
             (_("Hạng"), rng.choice(samples.licence_classes)),
             (_("Ngày cấp"), format_date(min(issued, today)))),
            samples.licence_source.source, samples.licence_source.verified))
    return tuple(cards)


# --- notifications ------------------------------------------------------------------------


class NoticeKind(StrEnum):
    SMS = "sms"  # a text message to the registered phone
    APP = "app"  # a message inside the app (e.g. on the old phone)
    SYSTEM = "system"
    WARNING = "warning"
    DOSSIER = "dossier"

    @property
    def label(self) -> str:
        return {NoticeKind.SMS: _("Tin nhắn"), NoticeKind.APP: _("Thông báo ứng dụng"),
                NoticeKind.SYSTEM: _("Hệ thống"), NoticeKind.WARNING: _("Cảnh báo"),
                NoticeKind.DOSSIER: _("Hồ sơ")}[self]


@dataclass(frozen=True)
class Notice:
    at: datetime
    kind: NoticeKind
    title: str
    text: str
    order: int = 0  # breaks ties between notices of the same second (frozen clock)


def dossier_notices(dossiers: Iterable[Dossier], catalogue: Catalogue) -> list[Notice]:
    """One notice per step a dossier took after its draft (the status changes)."""
    notices: list[Notice] = []
    for dossier in dossiers:
        name = (catalogue[dossier.procedure_code].shown_name if dossier.procedure_code in catalogue
                else dossier.procedure_code)
        for step in dossier.history:
            if step.state is State.DRAFT:
                continue
            text = _("{procedure}: {state}").format(procedure=name, state=step.state.label)
            if step.note:
                text += f" — {step.note}"
            if step.state is State.RECEIVED and dossier.due_date is not None:
                text += _(". Hẹn trả kết quả ngày {day}").format(day=format_date(dossier.due_date))
            # A step outranks stored notices of the same second: it is usually the newer.
            notices.append(Notice(step.at, NoticeKind.DOSSIER,
                                  _("Hồ sơ {code}").format(code=dossier.code), text,
                                  order=10 ** 9 + len(notices)))
    return notices


def newest_first(notices: Iterable[Notice]) -> list[Notice]:
    return sorted(notices, key=lambda n: (n.at, n.order), reverse=True)
