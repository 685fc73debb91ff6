"""VNeID accounts in the sandbox (``box.vneid``): activation with an SMS OTP, login with
lock-out, the new-phone code, passcode, level-2 enrolment, procedures handed to
``box.dossiers``, and the notification list.

Each step is one transaction that updates its rows and logs its event; a refused step (wrong
OTP, wrong password, level too low) is logged too, then raised as a Vietnamese InvalidInput, so
grading sees every attempt. Passwords, passcodes and OTPs are stored as PBKDF2 hashes only; the
event log never holds a code. The SMS itself (with the code) sits in the notification list, as
it would in the phone's inbox.

An account belongs to (actor, CCCD): trainees sharing a classroom store can each activate the
same practice persona on their own simulated phone. A level-2 enrolment (``upgrade_level2``)
belongs to the CCCD and reaches every account with that number.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from unidecode import unidecode

from .. import settings
from ..domain import cards as cards_
from ..domain import vneid as rules_
from ..domain.attachments import FILES_KEY, Attachment
from ..domain.catalogue import Catalogue, Document, Procedure
from ..domain.dossier import Dossier
from ..domain.forms import FormField, check_value
from ..domain.identity import N_, format_date, normalize_phone, validate_cccd
from ..domain.vneid import (
    Notice,
    NoticeKind,
    OtpStatus,
    OtpTicket,
    Profile,
    VneidRules,
    WalletCard,
)
from ..errors import InvalidInput, KnsError, MissingEntry
from ..i18n import _, translate
from . import world
from .db import Connection, where_equal

if TYPE_CHECKING:
    from .store import Sandbox, Transaction

SEED_ENV = "KYNANGSO_OTP_SEED"  # declared in settings.py
DEFAULT_DEVICE = "dien-thoai-a"
PENDING, ACTIVE = "pending", "active"
LEVEL2_ROLES = ("official", "trainer")
MARK_OTP = "UPDATE vneid_otps SET status = :status WHERE id = :id"
RENEW_INSURANCE = "gia-han-bhyt"  # the procedure an expired health-insurance card points to

# Boxes the app asks beyond the procedure's portal form, each after the box it names: the
# birth registration asks the child's sex and the requester's relation to the child
# (Nghị định 63/2024/NĐ-CP, Điều 6: the "liên thông khai sinh" service on VNeID).
EXTRA_FIELDS: Mapping[str, tuple[tuple[str, FormField], ...]] = MappingProxyType({
    "khai-sinh": (
        ("ngay_sinh_tre", FormField("gioi_tinh_tre", N_("Giới tính của trẻ"), "gender")),
        ("noi_sinh", FormField("quan_he", N_("Quan hệ của bạn với trẻ"), "text")),
    ),
})
# Boxes answered by picking one of these (value, label) pairs.
CHOICES: Mapping[str, tuple[tuple[str, str], ...]] = MappingProxyType({
    "gioi_tinh_tre": (("nam", N_("Nam")), ("nu", N_("Nữ"))),
    "quan_he": (("cha", N_("Cha")), ("me", N_("Mẹ")), ("ong-ba", N_("Ông, bà")),
                ("nguoi-than", N_("Người thân khác")), ("giam-ho", N_("Người giám hộ"))),
})
CONTACT = "so_dien_thoai"


@dataclass(frozen=True)
class _Secret:
    """Where one kind of secret lives: its hash, its wrong-try counter and its limit."""

    name: str  # in event payloads
    field: str  # the form field a message names
    hash_column: str
    counter: str
    limit: str


PASSWORD = _Secret("password", "mat_khau", "password_hash", "failed_logins",
                   "login_max_attempts")
PASSCODE = _Secret("passcode", "passcode", "passcode_hash", "failed_passcodes",
                   "passcode_max_attempts")


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def _when(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)


@dataclass(frozen=True)
class VneidAccount:
    owner: str
    cccd: str
    status: str
    phone: str
    level: int
    profile: Profile
    device: str | None
    failed_logins: int
    failed_passcodes: int
    locked_until: datetime | None
    activated_at: datetime | None

    @property
    def active(self) -> bool:
        return self.status == ACTIVE

    @property
    def badge(self) -> str:
        return rules_.level_badge(self.level)


@dataclass(frozen=True)
class OtpNotice:
    """A code on its way: the SMS (or in-app message on the old phone) as the phone shows it."""

    purpose: str
    kind: NoticeKind
    text: str
    sent_at: datetime
    expires_at: datetime


@dataclass(frozen=True)
class LoginResult:
    account: VneidAccount
    needs_otp: bool  # a new phone: type the code shown on the old one
    notice: OtpNotice | None = None


@dataclass(frozen=True)
class Submission:
    """What the app asks before a procedure goes in: its boxes, the files to attach, and the
    documents the app supplies itself (with how)."""

    procedure: Procedure
    fields: tuple[FormField, ...]
    documents: tuple[Document, ...]  # to attach: the required ones first
    provided: tuple[tuple[Document, str], ...]

    def label(self, key: str) -> str:
        """The label a key stands for on screen: the contact phone, a box or a document."""
        if key == CONTACT:
            return _("Số điện thoại liên hệ")
        for spec in self.fields:
            if spec.key == key:
                return spec.shown_label
        for doc in self.documents:
            if doc.code == key:
                return doc.shown_name
        return key


class IncompleteSubmission(InvalidInput):
    """A submission with boxes or files missing or wrong; ``errors``: a message per key
    (contact phone, box, document code), in the order the screen shows them."""

    def __init__(self, message: str, errors: Mapping[str, str]):
        super().__init__(message, field=next(iter(errors)))
        self.errors = dict(errors)


def provided_by_app(document: Document) -> str | None:
    """How the app itself supplies ``document`` (the form is the declaration; the account
    proves identity), or None when the resident attaches it."""
    if document.code.startswith("to-khai"):
        return _("tờ khai điện tử: chính là phần bạn khai trên ứng dụng")
    if document.code == "giay-to-tuy-than":
        return _("lấy từ tài khoản định danh điện tử")
    return None


def choice_label(key: str, value: str) -> str:
    return next((translate(label) for code, label in CHOICES.get(key, ()) if code == value),
                value)


def _account(row: Any) -> VneidAccount:
    return VneidAccount(
        owner=row.owner, cccd=row.cccd, status=row.status, phone=row.phone, level=row.level,
        profile=Profile.from_dict(json.loads(row.profile)), device=row.device,
        failed_logins=row.failed_logins or 0, failed_passcodes=row.failed_passcodes or 0,
        locked_until=_when(row.locked_until), activated_at=_when(row.activated_at))


def _ticket(row: Any) -> OtpTicket:
    return OtpTicket(purpose=row.purpose, code_hash=row.code_hash,
                     issued_at=datetime.fromisoformat(row.issued_at),
                     expires_at=datetime.fromisoformat(row.expires_at), failed=row.failed or 0,
                     status=OtpStatus(row.status))


class VneidDesk:
    """The VNeID app's back end for one sandbox (``box.vneid``)."""

    def __init__(self, box: Sandbox, *, rules: VneidRules | None = None, seed: str | None = None,
                 catalogue: Catalogue | None = None):
        self.box = box
        self.rules = rules or rules_.rules()
        # Deterministic codes when a seed is given (tests, demos); unpredictable otherwise.
        self.seed = (seed or box.otp_seed or settings.current().otp_seed
                     or secrets.token_hex(16))
        self.catalogue = catalogue or world.catalogue()

    # -- helpers ---------------------------------------------------------------------------

    @staticmethod
    def _number(cccd: object) -> str:
        return validate_cccd(cccd).number

    @staticmethod
    def _device(device: object) -> str:
        if not isinstance(device, str) or not device.strip() or len(device) > 64:
            raise InvalidInput(_("{label} phải là tên ngắn (1–64 ký tự)")
                               .format(label=rules_.field_label("thiet_bi")),
                               field="thiet_bi", value=device)
        return device.strip()

    def _refuse(self, action: str, cccd: str | None, error: KnsError, **payload: Any) -> KnsError:
        """Log a refused step in its own transaction and hand back the error to raise."""
        self.box.record(action, cccd, field=error.field, message=error.message, **payload)
        return error

    def _checked(self, action: str, cccd: str | None, check: Any, *args: Any,
                 **kwargs: Any) -> Any:
        """Run an input check; a mistake is logged as ``action`` before it is raised."""
        try:
            return check(*args, **kwargs)
        except KnsError as error:
            raise self._refuse(action, cccd, error) from None

    def _row(self, conn: Connection, cccd: str, *, owner: str | None = None) -> Any:
        return conn.execute("SELECT * FROM vneid_accounts WHERE owner = :owner AND cccd = :cccd",
                            {"owner": owner or self.box.actor, "cccd": cccd}).first()

    def _set_account(self, conn: Connection, cccd: str, **values: Any) -> None:
        """Update this actor's account row; the column names come from this module."""
        columns = ", ".join(f"{column} = :{column}" for column in values)
        conn.execute(f"UPDATE vneid_accounts SET {columns} WHERE owner = :owner AND cccd = :cccd",
                     {**values, "owner": self.box.actor, "cccd": cccd})

    def _not_activated(self, cccd: str) -> MissingEntry:
        return MissingEntry(_("Số {cccd} chưa kích hoạt tài khoản định danh điện tử trên điện "
                              "thoại này. Hãy chọn «Kích hoạt tài khoản».").format(cccd=cccd),
                            field="cccd", value=cccd)

    def _active_row(self, cccd: str, action: str) -> tuple[Any, datetime]:
        """The active account row and the simulated time; a missing account is logged."""
        # Read first, log after: a refusal writes, and SQLite allows one writer at a time.
        with self.box.reading() as conn:
            row = self._row(conn, cccd)
            now = self.box.now(conn)
        if row is None or row.status != ACTIVE:
            raise self._refuse(action, cccd, self._not_activated(cccd), reason="not_activated")
        return row, now

    def _notify(self, conn: Connection, cccd: str, kind: NoticeKind, title: str, text: str, *,
                owner: str | None = "") -> None:
        conn.execute("INSERT INTO vneid_notifications (owner, cccd, at_sim, kind, title, text)"
                     " VALUES (:owner, :cccd, :at_sim, :kind, :title, :text)",
                     {"owner": self.box.actor if owner == "" else owner, "cccd": cccd,
                      "at_sim": _iso(self.box.now(conn)), "kind": kind.value, "title": title,
                      "text": text})

    def _enrolled_level(self, conn: Connection, cccd: str) -> int:
        level = conn.execute("SELECT level FROM vneid_enrolments WHERE cccd = :cccd",
                             {"cccd": cccd}).scalar()
        return level or 1

    def _send_otp(self, tx: Transaction, cccd: str, purpose: str, device: str) -> OtpNotice:
        """Replace any unused code of this purpose, issue a new one and deliver it."""
        box = self.box
        conn, now = tx.connection, tx.now
        conn.execute("UPDATE vneid_otps SET status = :replaced WHERE owner = :owner"
                     " AND cccd = :cccd AND purpose = :purpose AND status IN (:sent, :verified)",
                     {"replaced": OtpStatus.REPLACED.value, "owner": box.actor, "cccd": cccd,
                      "purpose": purpose, "sent": OtpStatus.SENT.value,
                      "verified": OtpStatus.VERIFIED.value})
        counter = tx.next_in_sequence("vneid:otp")
        code = rules_.otp_code(self.seed, counter, self.rules.otp_digits)
        ticket = rules_.issue_otp(purpose, code, now, self.rules)
        conn.execute("INSERT INTO vneid_otps (owner, cccd, purpose, device, code_hash, issued_at,"
                     " expires_at, failed, status) VALUES (:owner, :cccd, :purpose, :device,"
                     " :code_hash, :issued_at, :expires_at, 0, :status)",
                     {"owner": box.actor, "cccd": cccd, "purpose": purpose, "device": device,
                      "code_hash": ticket.code_hash, "issued_at": _iso(ticket.issued_at),
                      "expires_at": _iso(ticket.expires_at), "status": OtpStatus.SENT.value})
        if purpose == "activate":
            kind, title = NoticeKind.SMS, _("Tin nhắn")
            text = self.rules.text("sms_activation", code=code)
        else:
            kind, title = NoticeKind.APP, _("Thông báo trên điện thoại cũ")
            text = self.rules.text("app_new_device", code=code)
        self._notify(conn, cccd, kind, title, text)
        tx.append("vneid.otp_sent", cccd, purpose=purpose, device=device, channel=kind.value,
                  expires_at=_iso(ticket.expires_at))
        return OtpNotice(purpose, kind, text, ticket.issued_at, ticket.expires_at)

    def _latest_ticket(self, conn: Connection, cccd: str, purpose: str) -> Any:
        return conn.execute("SELECT * FROM vneid_otps WHERE owner = :owner AND cccd = :cccd"
                            " AND purpose = :purpose ORDER BY id DESC LIMIT 1",
                            {"owner": self.box.actor, "cccd": cccd, "purpose": purpose}).first()

    def _check_code(self, cccd: str, code: object, purpose: str,
                    device: str | None = None) -> Any:
        """Check a typed code against the latest ticket; returns the ticket row when right."""
        box = self.box
        with box.reading() as conn:
            row = self._latest_ticket(conn, cccd, purpose)
        if row is None or (device is not None and row.device != device):
            raise self._refuse("vneid.otp_failed", cccd, InvalidInput(
                _("Chưa có {label} nào được gửi cho bước này; hãy bấm «Gửi yêu cầu» trước.")
                .format(label=rules_.field_label("ma_otp")), field="ma_otp"),
                purpose=purpose, reason="none_sent")
        try:
            with box.transaction() as tx:
                check = rules_.check_otp(_ticket(row), code, tx.now, self.rules)
                tx.connection.execute("UPDATE vneid_otps SET failed = :failed, status = :status"
                             " WHERE id = :id", {"failed": check.ticket.failed,
                                                 "status": check.ticket.status.value,
                                                 "id": row.id})
                left = self.rules.limit("otp_max_attempts") - check.ticket.failed
                tx.append("vneid.otp_verified" if check.ok else "vneid.otp_failed", cccd,
                          purpose=purpose, reason=check.reason, failed=check.ticket.failed,
                          left=max(left, 0))
        except InvalidInput as error:  # badly formed: costs no try
            raise self._refuse("vneid.otp_failed", cccd, error, purpose=purpose,
                               reason="format") from None
        if not check.ok:
            raise InvalidInput(check.message, field="ma_otp", value=code)
        return row

    # -- reading ---------------------------------------------------------------------------

    def account(self, cccd: object, *, owner: str | None = None) -> VneidAccount:
        number = self._number(cccd)
        with self.box.reading() as conn:
            row = self._row(conn, number, owner=owner)
        if row is None:
            raise self._not_activated(number)
        return _account(row)

    def accounts(self, owner: str | None = None, *, active_only: bool = True
                 ) -> list[VneidAccount]:
        """Accounts of ``owner`` (default: this actor), most recently activated first."""
        where, params = where_equal(owner=owner or self.box.actor,
                                    status=ACTIVE if active_only else None)
        with self.box.reading() as conn:
            found = [_account(row) for row in conn.execute(f"SELECT * FROM vneid_accounts{where}",
                                                           params)]
        return sorted(found, key=lambda a: (a.activated_at or datetime.min, a.cccd),
                      reverse=True)

    def enrolment_level(self, cccd: object) -> int:
        """2 when the police enrolled the number's biometrics, else 1."""
        with self.box.reading() as conn:
            return self._enrolled_level(conn, self._number(cccd))

    # -- activation ------------------------------------------------------------------------

    def request_activation(self, cccd: object, phone: object, *,
                           device: str = DEFAULT_DEVICE) -> OtpNotice:
        """Step 1: check the number and phone, then send the activation code by SMS."""
        number = self._checked("vneid.activation_refused", None, self._number, cccd)
        phone_number = self._checked("vneid.activation_refused", number, normalize_phone, phone)
        device = self._device(device)
        box = self.box
        profile = self._checked("vneid.activation_refused", number, rules_.profile_for, number,
                                seed=self.rules.persona_seed, today=box.now().date())
        if profile.phone and profile.phone != phone_number:
            raise self._refuse("vneid.activation_refused", number, InvalidInput(
                _("{label} vừa nhập không phải số đã đăng ký cho số định danh {cccd}; số đã "
                  "đăng ký có đuôi ...{tail}. Hãy nhập đúng số điện thoại chính chủ đã đăng "
                  "ký.").format(label=rules_.field_label("so_dien_thoai"), cccd=number,
                                tail=profile.phone[-3:]),
                field="so_dien_thoai", value=phone), reason="phone_mismatch")
        with box.reading() as conn:
            existing = self._row(conn, number)
        if existing is not None and existing.status == ACTIVE:
            raise self._refuse("vneid.activation_refused", number, InvalidInput(
                self.rules.text("already_activated"), field="cccd", value=number),
                reason="already_active")
        with box.transaction() as tx:
            conn = tx.connection
            values = {"status": PENDING, "phone": phone_number,
                      "level": self._enrolled_level(conn, number),
                      "profile": json.dumps(profile.to_dict()), "device": None,
                      "failed_logins": 0, "failed_passcodes": 0, "locked_until": None}
            if existing is None:
                conn.execute("INSERT INTO vneid_accounts (owner, cccd, status, phone, level,"
                             " profile, device, failed_logins, failed_passcodes, locked_until)"
                             " VALUES (:owner, :cccd, :status, :phone, :level, :profile, :device,"
                             " :failed_logins, :failed_passcodes, :locked_until)",
                             {"owner": box.actor, "cccd": number, **values})
            else:
                self._set_account(conn, number, **values)
            tx.append("vneid.activation_requested", number, phone=phone_number, device=device,
                      persona=profile.persona_id)
            return self._send_otp(tx, number, "activate", device)

    def resend_activation_code(self, cccd: object, *, device: str = DEFAULT_DEVICE) -> OtpNotice:
        """A fresh activation code (after expiry or too many wrong tries)."""
        number = self._number(cccd)
        device = self._device(device)
        with self.box.reading() as conn:
            row = self._row(conn, number)
        if row is None or row.status != PENDING:
            raise InvalidInput(_("Chưa có yêu cầu kích hoạt nào cho số {cccd}; hãy bấm «Gửi "
                                 "yêu cầu» trước.").format(cccd=number), field="cccd",
                               value=number)
        with self.box.transaction() as tx:
            return self._send_otp(tx, number, "activate", device)

    def verify_activation_code(self, cccd: object, code: object) -> None:
        """Step 2: the code from the SMS; wrong or expired codes raise, saying what to do."""
        self._check_code(self._number(cccd), code, "activate")

    def complete_activation(self, cccd: object, *, password: object, password_again: object,
                            passcode: object, passcode_again: object,
                            device: str = DEFAULT_DEVICE) -> VneidAccount:
        """Step 3: set the password (login) and the passcode (services); level 1 or 2."""
        number = self._number(cccd)
        device = self._device(device)
        action = "vneid.activation_refused"
        secret = self._checked(action, number, rules_.check_password, password, self.rules)
        self._checked(action, number, rules_.check_same, secret, password_again, "mat_khau",
                      "nhap_lai_mat_khau")
        code = self._checked(action, number, rules_.check_passcode, passcode, self.rules)
        self._checked(action, number, rules_.check_same, code, passcode_again, "passcode",
                      "nhap_lai_passcode")
        password_hash = rules_.hash_secret(secret)
        passcode_hash = rules_.hash_secret(code)
        box = self.box
        with box.reading() as conn:
            row = self._row(conn, number)
            ticket = self._latest_ticket(conn, number, "activate")
        if row is None or row.status != PENDING:
            raise InvalidInput(_("Chưa có yêu cầu kích hoạt nào cho số {cccd}; hãy bấm «Gửi "
                                 "yêu cầu» trước.").format(cccd=number), field="cccd",
                               value=number)
        if ticket is None or ticket.status != OtpStatus.VERIFIED.value:
            raise self._refuse(action, number, InvalidInput(
                _("Chưa xác thực {label}: hãy nhập mã trong tin nhắn trước khi đặt mật khẩu.")
                .format(label=rules_.field_label("ma_otp")), field="ma_otp"),
                reason="otp_not_verified")
        with box.transaction() as tx:
            conn, now = tx.connection, tx.now
            level = max(row.level, self._enrolled_level(conn, number))
            self._set_account(conn, number, status=ACTIVE, level=level,
                              password_hash=password_hash, passcode_hash=passcode_hash,
                              device=device, activated_at=_iso(now), failed_logins=0,
                              failed_passcodes=0, locked_until=None)
            conn.execute(MARK_OTP, {"status": OtpStatus.USED.value, "id": ticket.id})
            self._notify(conn, number, NoticeKind.SYSTEM, _("Kích hoạt thành công"),
                         self.rules.text("activated", level=level))
            for warning in self.rules.scam_warnings:
                self._notify(conn, number, NoticeKind.WARNING, warning.shown_title,
                             warning.shown_text)
            tx.append("vneid.activated", number, level=level, device=device, phone=row.phone,
                      persona=json.loads(row.profile).get("persona_id"))
        return self.account(number)

    # -- login -----------------------------------------------------------------------------

    def _lock_state(self, row: Any, now: datetime, counter: str) -> tuple[int, bool]:
        """(wrong tries so far, locked now); an expired lock starts the count again."""
        until = _when(row.locked_until)
        if until is not None and now >= until:
            return 0, False
        return getattr(row, counter) or 0, rules_.is_locked(until, now)

    def _verify(self, number: str, secret: str, kind: _Secret, action: str,
                **payload: Any) -> Any:
        """The check password and passcode share: refused while locked; a wrong secret
        is counted (and may lock the account) with its events. Returns the row."""
        box = self.box
        row, now = self._active_row(number, action)
        failed, locked = self._lock_state(row, now, kind.counter)
        if locked:
            lock_end = _when(row.locked_until)
            assert lock_end is not None  # locked means a lock end is stored
            raise self._refuse(action, number, InvalidInput(
                rules_.lock_message(lock_end, now, self.rules),
                field=kind.field), reason="locked", **payload)
        if rules_.verify_secret(secret, getattr(row, kind.hash_column)):
            return row
        failure = rules_.after_wrong(kind.field, failed, now, self.rules)
        until = None if failure.locked_until is None else _iso(failure.locked_until)
        with box.transaction() as tx:
            self._set_account(tx.connection, number, **{kind.counter: failure.failed,
                                                        "locked_until": until})
            tx.append(action, number, reason=f"wrong_{kind.name}", failed=failure.failed,
                      **payload, left=max(self.rules.limit(kind.limit) - failure.failed, 0))
            if until is not None:
                tx.append("vneid.locked", number, reason=kind.name, until=until)
        raise InvalidInput(failure.message, field=kind.field)

    def login(self, cccd: object, password: object, *,
              device: str = DEFAULT_DEVICE) -> LoginResult:
        """CCCD + password; a phone other than the account's gets a code on the old phone."""
        number = self._checked("vneid.login_failed", None, self._number, cccd)
        device = self._device(device)
        if not isinstance(password, str) or not password:
            raise self._refuse("vneid.login_failed", number, InvalidInput(
                _("Chưa nhập {label}").format(label=rules_.field_label("mat_khau")),
                field="mat_khau"), reason="empty")
        box = self.box
        row = self._verify(number, password, PASSWORD, "vneid.login_failed", device=device)
        with box.transaction() as tx:
            self._set_account(tx.connection, number, failed_logins=0, locked_until=None)
            if row.device == device:
                tx.append("vneid.login", number, device=device, new_device=False)
                notice = None
            else:
                tx.append("vneid.new_device", number, device=device, old_device=row.device)
                notice = self._send_otp(tx, number, "new_device", device)
        return LoginResult(self.account(number), notice is not None, notice)

    def confirm_new_device(self, cccd: object, code: object, *,
                           device: str = DEFAULT_DEVICE) -> VneidAccount:
        """The code shown on the old phone; the new phone becomes the account's phone."""
        number = self._number(cccd)
        device = self._device(device)
        ticket = self._check_code(number, code, "new_device", device)
        box = self.box
        with box.transaction() as tx:
            self._set_account(tx.connection, number, device=device)
            tx.connection.execute(MARK_OTP, {"status": OtpStatus.USED.value, "id": ticket.id})
            tx.append("vneid.login", number, device=device, new_device=True)
        return self.account(number)

    def resend_new_device_code(self, cccd: object, *, device: str = DEFAULT_DEVICE) -> OtpNotice:
        number = self._number(cccd)
        device = self._device(device)
        row, _now = self._active_row(number, "vneid.otp_failed")
        with self.box.reading() as conn:
            ticket = self._latest_ticket(conn, number, "new_device")
        if ticket is None or ticket.device != device or row.device == device:
            raise InvalidInput(_("Hãy đăng nhập bằng mật khẩu trên điện thoại này trước."),
                               field="mat_khau")
        with self.box.transaction() as tx:
            return self._send_otp(tx, number, "new_device", device)

    def logout(self, cccd: object) -> None:
        self.box.record("vneid.logout", self._number(cccd))

    # -- passcode --------------------------------------------------------------------------

    def check_passcode(self, cccd: object, passcode: object, *, purpose: str) -> None:
        """The passcode that opens a service (``purpose``: wallet, procedures...)."""
        number = self._number(cccd)
        action = "vneid.passcode_failed"
        code = self._checked(action, number, rules_.check_passcode, passcode, self.rules)
        self._verify(number, code, PASSCODE, action, purpose=purpose)
        with self.box.transaction() as tx:
            self._set_account(tx.connection, number, failed_passcodes=0)
            tx.append("vneid.passcode_ok", number, purpose=purpose)

    # -- level 2 ---------------------------------------------------------------------------

    def upgrade_level2(self, cccd: object) -> int:
        """Record biometric enrolment at the police (official or trainer); every account with
        this number becomes level 2. Returns how many accounts changed."""
        box = self.box
        if box.role not in LEVEL2_ROLES:
            raise InvalidInput(_("Chỉ cán bộ hoặc giảng viên (đóng vai công an) mới ghi nhận "
                                 "được định danh mức 2; vai hiện tại: {role}").format(
                                     role=box.role), field="role", value=box.role)
        number = self._number(cccd)
        profile = rules_.profile_for(number, seed=self.rules.persona_seed,
                                     today=box.now().date())
        with box.transaction() as tx:
            conn = tx.connection
            enrolment = {"cccd": number, "level": 2, "at_sim": _iso(tx.now), "by": box.actor}
            if conn.execute("SELECT cccd FROM vneid_enrolments WHERE cccd = :cccd",
                            enrolment).first():
                conn.execute('UPDATE vneid_enrolments SET level = :level, at_sim = :at_sim,'
                             ' "by" = :by WHERE cccd = :cccd', enrolment)
            else:
                conn.execute('INSERT INTO vneid_enrolments (cccd, level, at_sim, "by")'
                             ' VALUES (:cccd, :level, :at_sim, :by)', enrolment)
            changed = conn.execute("UPDATE vneid_accounts SET level = 2"
                                   " WHERE cccd = :cccd AND level < 2", {"cccd": number}).rowcount
            active = conn.execute("SELECT owner FROM vneid_accounts WHERE cccd = :cccd"
                                  " AND status = :status",
                                  {"cccd": number, "status": ACTIVE}).first()
            if active:
                self._notify(conn, number, NoticeKind.SYSTEM, level_title(),
                             self.rules.text("level2_upgraded"), owner=None)
            else:
                name = unidecode(profile.full_name)
                self._notify(conn, number, NoticeKind.SMS, _("Tin nhắn"),
                             self.rules.text("level2_approved", name=name), owner=None)
            tx.append("vneid.level2", number, accounts=changed, persona=profile.persona_id)
        return changed

    # -- procedures ------------------------------------------------------------------------

    def procedures(self) -> tuple[Procedure, ...]:
        return rules_.vneid_procedures(self.catalogue)

    def check_procedure(self, cccd: object, procedure_code: str) -> Procedure:
        """The procedure if this account may submit it on VNeID; a refusal (level too low,
        not on VNeID, account locked) is logged and raised in the app's words."""
        number = self._number(cccd)
        action = "vneid.procedure_refused"
        row, now = self._active_row(number, action)
        lock_end = _when(row.locked_until)
        if lock_end is not None and rules_.is_locked(lock_end, now):
            raise self._refuse(action, number, InvalidInput(
                rules_.lock_message(lock_end, now, self.rules),
                field="tai_khoan_vneid"), reason="locked", procedure=procedure_code)
        procedure = self._checked(action, number, self.catalogue.__getitem__, procedure_code)
        if "vneid" not in procedure.channels:
            raise self._refuse(action, number, InvalidInput(
                _("Thủ tục «{name}» chưa nộp được trên VNeID; hãy nộp trên Cổng Dịch vụ công "
                  "hoặc tại Trung tâm.").format(name=procedure.shown_name), field="thu_tuc",
                value=procedure_code), reason="channel", procedure=procedure_code)
        try:
            rules_.check_level(procedure, row.level, self.rules)
        except InvalidInput as error:
            raise self._refuse(action, number, error, reason="level", procedure=procedure.code,
                               level=row.level, needed=procedure.vneid_level) from None
        return procedure

    def submission(self, procedure_code: str) -> Submission:
        """The boxes and files ``procedure_code`` asks for in the app (no check, no log)."""
        procedure = self.catalogue[procedure_code]
        fields = list(procedure.form)
        for after, extra in EXTRA_FIELDS.get(procedure.code, ()):
            keys = [f.key for f in fields]
            if extra.key not in keys:  # the data file may ask it one day: ask once
                fields.insert(keys.index(after) + 1 if after in keys else len(fields), extra)
        documents, provided = [], []
        for doc in (*procedure.required_documents, *procedure.optional_documents):
            how = provided_by_app(doc)
            if how is None:
                documents.append(doc)
            else:
                provided.append((doc, how))
        return Submission(procedure, tuple(fields), tuple(documents), tuple(provided))

    @staticmethod
    def _review(submission: Submission, phone: object, form: Mapping[str, object],
                attachments: Mapping[str, Attachment], today: date
                ) -> tuple[str | None, dict[str, Any], dict[str, str]]:
        """(contact phone, clean boxes, a message per wrong or missing key in screen order)."""
        errors: dict[str, str] = {}
        contact = None
        try:
            contact = normalize_phone(phone)
        except InvalidInput as error:
            errors[CONTACT] = error.message
        clean: dict[str, Any] = {}
        for spec in submission.fields:
            raw = str(form.get(spec.key) or "").strip()
            label = spec.shown_label
            if spec.key in CHOICES:
                if raw in dict(CHOICES[spec.key]):
                    clean[spec.key] = raw
                elif raw or spec.required:
                    errors[spec.key] = _("Chưa chọn {label}").format(label=label)
                continue
            if not raw:
                if spec.required:
                    errors[spec.key] = _("Chưa nhập {label}").format(label=label)
                continue
            try:
                clean[spec.key] = check_value(spec, raw, submission.procedure, today)
            except InvalidInput as error:
                # Domain checks name a box by its key; the resident reads its label.
                errors[spec.key] = error.message.replace(spec.key, label, 1)
        for doc in submission.documents:
            if doc.required and doc.code not in attachments:
                errors[doc.code] = _("Chưa đính kèm «{doc}»").format(doc=doc.shown_name)
        return contact, clean, errors

    def submit(self, cccd: object, procedure_code: str, *, phone: object = None,
               form: Mapping[str, object] | None = None,
               attachments: Mapping[str, Attachment] | None = None) -> Dossier:
        """Hand a procedure over to the dossier desk with the account's identity, the
        procedure's boxes (``form``, as typed) and the files (``attachments`` by document
        code). Refused in the app's words when the level is too low; a missing or wrong box
        or file raises :class:`IncompleteSubmission` naming them all, and nothing goes in."""
        procedure = self.check_procedure(cccd, procedure_code)
        number = self._number(cccd)
        box = self.box
        with box.reading() as conn:
            row = self._row(conn, number)
        submission = self.submission(procedure.code)
        files = {code: a for code, a in (attachments or {}).items()
                 if code in {d.code for d in submission.documents}}
        contact, clean, errors = self._review(submission, row.phone if phone is None else phone,
                                              form or {}, files, box.now().date())
        if errors:
            box.record("vneid.dossier_incomplete", number, procedure=procedure.code,
                       missing=list(errors))
            raise IncompleteSubmission(_(
                "Chưa nộp được hồ sơ: còn thiếu hoặc chưa đúng {names}. Hãy sửa rồi bấm «Nộp "
                "hồ sơ» lại.").format(names=", ".join(submission.label(k) for k in errors)),
                errors)
        profile = Profile.from_dict(json.loads(row.profile))
        applicant = {"ho_ten": profile.full_name, "cccd": number, "so_dien_thoai": contact,
                     "ngay_sinh": format_date(profile.birth_date),
                     "gioi_tinh": profile.gender.value, "dia_chi": profile.address}
        details: dict[str, Any] = {"nguon": "vneid", **clean}
        if files:
            details[FILES_KEY] = {code: a.to_dict() for code, a in files.items()}
        documents = [*(d.code for d, _how in submission.provided), *files]
        dossier = box.dossiers.create(procedure.code, applicant, channel="vneid",
                                      vneid_level=row.level, documents=documents, form=details)
        dossier = box.dossiers.submit(dossier.code)
        box.record("vneid.dossier_submitted", number, procedure=procedure.code,
                   dossier=dossier.code, level=row.level)
        return dossier

    def hand_off(self, cccd: object, procedure_code: str) -> Submission:
        """The resident chose to go on at the portal: what they will need there (logged)."""
        procedure = self.check_procedure(cccd, procedure_code)
        self.box.record("vneid.portal_handoff", self._number(cccd), procedure=procedure.code)
        return self.submission(procedure.code)

    def dossiers(self, cccd: object) -> list[Dossier]:
        """This actor's dossiers whose applicant is the holder of ``cccd``."""
        number = self._number(cccd)
        return [d for d in self.box.dossiers.list(owner=self.box.actor)
                if d.applicant.get("cccd") == number]

    # -- wallet and notifications ----------------------------------------------------------

    def wallet(self, cccd: object) -> tuple[WalletCard | cards_.IdentityCard, ...]:
        """The document wallet of an active account: the identity card (when the holder has
        one) first, then the sample cards; a log line says it was opened."""
        account = self.account(cccd)
        if not account.active:
            raise self._not_activated(account.cccd)
        if account.level < self.rules.limit("wallet_min_level"):
            raise self._refuse("vneid.wallet_refused", account.cccd, InvalidInput(
                self.rules.text("wallet_needs_level2", level=account.level),
                field="muc_dinh_danh", value=account.level), level=account.level)
        profile = account.profile
        today = self.box.now().date()
        person = ((_("Họ và tên"), profile.full_name),
                  (_("Ngày sinh"), format_date(profile.birth_date)),
                  (_("Giới tính"), profile.gender.label))
        identity = cards_.identity_card(account.cccd, person, profile.birth_date, today)
        cards: tuple[WalletCard | cards_.IdentityCard, ...] = (
            *([identity] if identity else []), *rules_.wallet_cards(profile, self.rules, today))
        self.box.record("vneid.wallet_viewed", account.cccd, cards=[c.kind for c in cards])
        return cards

    def validity(self, card: WalletCard | cards_.IdentityCard) -> cards_.Validity | None:
        """Whether a wallet card is still valid today (None: the card has no end date)."""
        if isinstance(card, cards_.IdentityCard):
            return card.validity
        if card.kind == "bhyt":
            valid_to = datetime.strptime(self.rules.wallet.valid_to, "%d/%m/%Y").date()
            renew = (self.catalogue[RENEW_INSURANCE].shown_name
                     if RENEW_INSURANCE in self.catalogue else RENEW_INSURANCE)
            return cards_.insurance_validity(valid_to, self.box.now().date(), renew)
        return None

    def pending_notice(self, cccd: object, purpose: str) -> OtpNotice | None:
        """The code still waiting to be typed, as the phone showed it (after a reload)."""
        number = self._number(cccd)
        kind = NoticeKind.SMS if purpose == "activate" else NoticeKind.APP
        with self.box.reading() as conn:
            ticket = self._latest_ticket(conn, number, purpose)
            note = conn.execute("SELECT text FROM vneid_notifications WHERE owner = :owner"
                                " AND cccd = :cccd AND kind = :kind ORDER BY id DESC LIMIT 1",
                                {"owner": self.box.actor, "cccd": number,
                                 "kind": kind.value}).first()
        if ticket is None or ticket.status != OtpStatus.SENT.value or note is None:
            return None
        return OtpNotice(purpose, kind, note.text, datetime.fromisoformat(ticket.issued_at),
                         datetime.fromisoformat(ticket.expires_at))

    def notifications(self, cccd: object) -> list[Notice]:
        """SMS, in-app messages, warnings and dossier status changes, newest first."""
        number = self._number(cccd)
        with self.box.reading() as conn:
            rows = conn.execute("SELECT * FROM vneid_notifications WHERE cccd = :cccd"
                                " AND (owner = :owner OR owner IS NULL)",
                                {"cccd": number, "owner": self.box.actor}).all()
        stored = [Notice(datetime.fromisoformat(r.at_sim), NoticeKind(r.kind), r.title, r.text,
                         order=r.id) for r in rows]
        derived = rules_.dossier_notices(self.dossiers(number), self.catalogue)
        return rules_.newest_first(stored + derived)


def level_title() -> str:
    return _("Đã nâng lên định danh mức 2")
