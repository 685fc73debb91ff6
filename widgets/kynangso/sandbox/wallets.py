"""Practice accounts and QR payments in the sandbox (``box.wallets``).

A payment is one transaction: debit the payer, credit the payee when the payee's account is
in the store (a trader played by another trainee), write the payment row, mark a dossier's fee
paid when the purpose names it (and write the payment on the dossier's fee code, fees.py),
and log ``payment.paid``. A refusal rolls all of that back, then logs ``payment.refused`` (or
``payment.pin_failed``) in a transaction of its own, so the grader sees every failed attempt
too. The same ``idempotency_key`` never pays twice: a double tap on "confirm" gets the first
receipt back.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from ..domain import wallets as rules
from ..domain.banks import Bank, BankDirectory, load_banks
from ..domain.wallets import Account, Payment, PaymentRequest, Receipt, Wallets
from ..errors import InvalidInput, KnsError, MissingEntry
from ..i18n import _, nfc
from . import fees
from .db import Connection, IntegrityError, where_equal

if TYPE_CHECKING:
    import os

    from PIL import Image

    from .store import Sandbox, Transaction

MAX_NAME = 100
MAX_KEY = 100
NUMBER_PREFIX = "0999"  # practice account numbers: 0999 + a 6-digit sequence
MAX_BALANCE = 10 ** 12
CENTRE_ROLES = ("trainer", "system")
PAYMENTS = ("SELECT payments.*, accounts.holder_name AS payer_name FROM payments"
            " JOIN accounts ON accounts.id = payments.payer")
PAYMENTS_ORDER = " ORDER BY payments.at_sim, payments.reference"


class _Refused(Exception):
    """A pay() check failed: roll back, then log ``reason`` and raise ``error``."""

    def __init__(self, reason: str, error: KnsError | None, *, wrong_pin: bool = False):
        super().__init__(reason)
        self.reason = reason
        self.error = error
        self.wrong_pin = wrong_pin


def _short(amount: int, account_id: str, balance: int) -> InvalidInput:
    """More than the balance: the message names both, so the payer can type less."""
    return InvalidInput(_("Số dư không đủ: cần {amount} nhưng tài khoản {id} chỉ còn {balance}")
                        .format(amount=rules.format_vnd(amount), id=account_id,
                                balance=rules.format_vnd(balance)),
                        field="so_du", value=balance)


def _account(row: Any) -> Account:
    return Account(id=row.id, owner=row.owner, app=row.app, bank_bin=row.bank_bin,
                   number=row.number, holder_name=row.holder_name, balance=row.balance,
                   failed_pins=row.failed_pins or 0, locked=bool(row.locked))


class WalletDesk:
    """Accounts and payments of one sandbox, seen by ``box.actor``."""

    def __init__(self, box: Sandbox, *, wallets: Wallets | None = None,
                 banks: BankDirectory | None = None):
        self.box = box
        self.wallets = wallets or rules.load_wallets()
        self.banks = banks or load_banks()

    @property
    def bank(self) -> Bank:
        """The training bank: every practice account is held there."""
        return self.banks.training_bank

    # -- accounts ------------------------------------------------------------------

    def open_account(self, app: str, holder_name: str, *, balance: int, pin: str,
                     owner: str | None = None) -> Account:
        """A new practice account at the training bank, with a generated unique number."""
        wallet = self.wallets.get(app)
        name = nfc(holder_name).strip() if isinstance(holder_name, str) else ""
        if not name:
            raise InvalidInput(_("Chưa nhập {label}").format(
                label=rules.field_label("ten_chu_tai_khoan")),
                field="ten_chu_tai_khoan", value=holder_name)
        if len(name) > MAX_NAME:
            raise InvalidInput(_("{label} dài tối đa {n} ký tự; bạn đã nhập {count} ký tự, hãy viết ngắn lại").format(
                label=rules.field_label("ten_chu_tai_khoan"), n=MAX_NAME, count=len(name)),
                field="ten_chu_tai_khoan", value=name)
        if isinstance(balance, bool) or not isinstance(balance, int) or not (
                0 <= balance < MAX_BALANCE):
            raise InvalidInput(_("{label} ban đầu phải là số đồng nguyên từ 0 trở lên").format(
                label=rules.field_label("so_du")), field="so_du", value=balance)
        pin_hash = rules.hash_pin(pin)
        owner = (owner or self.box.actor).strip()
        box = self.box
        with box.transaction() as tx:
            seq = tx.next_in_sequence(f"account:{self.bank.bin}")
            number = f"{NUMBER_PREFIX}{seq:06d}"
            tx.connection.execute("INSERT INTO accounts (id, owner, app, bank_bin, number, holder_name,"
                         " balance, pin_hash, failed_pins, locked) VALUES (:id, :owner, :app,"
                         " :bank_bin, :number, :holder_name, :balance, :pin_hash, 0, :locked)",
                         {"id": number, "owner": owner, "app": wallet.code,
                          "bank_bin": self.bank.bin, "number": number, "holder_name": name,
                          "balance": balance, "pin_hash": pin_hash, "locked": False})
            tx.append("account.opened", number, owner=owner, app=wallet.code,
                      bank_bin=self.bank.bin, number=number, holder_name=name,
                      balance=balance)
        return self.account(number)

    def _row(self, conn: Connection, account_id: str) -> Any:
        row = conn.execute("SELECT * FROM accounts WHERE id = :id", {"id": account_id}).first()
        if row is None:
            raise MissingEntry(_("Không tìm thấy tài khoản {id} trong môi trường tập dượt")
                               .format(id=account_id), field="tai_khoan", value=account_id)
        return row

    def account(self, account_id: str) -> Account:
        with self.box.reading() as conn:
            return _account(self._row(conn, account_id))

    def accounts(self, owner: str | None = None) -> list[Account]:
        where, params = where_equal(owner=owner)
        with self.box.reading() as conn:
            return [_account(row) for row in
                    conn.execute(f"SELECT * FROM accounts{where} ORDER BY number", params)]

    def check_amount(self, account_id: str, amount: int) -> None:
        """Refuse at the amount step, before any PIN, what the account cannot pay: a locked
        account, or more than the balance (the message names the balance)."""
        account = self.account(account_id)
        if account.locked:
            raise InvalidInput(rules.locked_message(), field="ma_pin")
        if amount > account.balance:
            raise _short(amount, account.id, account.balance)

    def unlock(self, account_id: str) -> Account:
        """Clear the wrong-PIN counter and unlock (trainer only)."""
        self.box.require_trainer(_("mở khóa tài khoản"))
        with self.box.transaction() as tx:
            self._row(tx.connection, account_id)
            tx.connection.execute("UPDATE accounts SET locked = :locked, failed_pins = 0 WHERE id = :id",
                         {"locked": False, "id": account_id})
            tx.append("account.unlocked", account_id)
        return self.account(account_id)

    # -- scanning ----------------------------------------------------------------------

    def _payee(self, conn: Connection, bank_bin: str, number: str) -> Any:
        return conn.execute("SELECT * FROM accounts WHERE bank_bin = :bank_bin"
                            " AND number = :number",
                            {"bank_bin": bank_bin, "number": number}).first()

    def _resolve(self, conn: Connection, request: PaymentRequest) -> PaymentRequest:
        # Apps show the account holder's name from the bank, not the name printed in the code.
        payee = self._payee(conn, request.bank.bin, request.account)
        if payee is None:
            return request
        return replace(request, recipient=payee.holder_name)

    def preview(self, payload: str) -> PaymentRequest:
        """What the app shows after scanning ``payload`` (recipient, bank, amount)."""
        request = rules.payment_request(payload, self.banks)
        with self.box.reading() as conn:
            return self._resolve(conn, request)

    def scan(self, image: bytes | Image.Image | str | os.PathLike) -> PaymentRequest:
        """Read the one QR code in a photo or uploaded file, then :meth:`preview` it."""
        from ..domain.qrimage import read_qr

        return self.preview(read_qr(image).payload)

    # -- paying --------------------------------------------------------------------------

    def pay(self, account_id: str, payload: str, *, pin: str, amount: int | str | None = None,
            idempotency_key: str) -> Receipt:
        """Pay ``payload`` from ``account_id``; a repeated ``idempotency_key`` returns the first
        receipt. Every refusal is logged and raised as a Vietnamese InvalidInput."""
        key = idempotency_key.strip() if isinstance(idempotency_key, str) else ""
        if not key or len(key) > MAX_KEY:
            raise InvalidInput(_("{label} phải là chữ, từ 1 đến {n} ký tự")
                               .format(label=rules.field_label("ma_giao_dich"), n=MAX_KEY),
                               field="ma_giao_dich", value=idempotency_key)
        try:
            try:
                return self._pay(account_id, payload, pin, amount, key)
            except IntegrityError:
                # Another writer (PostgreSQL) inserted the same key first: return its receipt.
                with self.box.reading() as conn:
                    found = self._by_key(conn, key)
                if found is None:
                    raise
                return self._receipt(found, duplicate=True)
        except _Refused as refused:
            error = self._log_refusal(account_id, key, refused)
            raise error from None

    def _pay(self, account_id: str, payload: str, pin: str, typed: object, key: str) -> Receipt:
        box = self.box
        with box.transaction() as tx:
            first = self._by_key(tx.connection, key)
            if first is None:
                payment = self._pay_in(tx, account_id, payload, pin, typed, key)
        if first is not None:
            self._check_same(first, account_id, key)
            return self._receipt(first, duplicate=True)
        return self._receipt(payment)

    def _pay_in(self, tx: Transaction, account_id: str, payload: str, pin: str, typed: object,
                key: str) -> Payment:
        """Every check and write of one payment, inside the caller's transaction."""
        box = self.box
        conn = tx.connection
        try:
            payer = self._row(conn, account_id)
        except MissingEntry as missing:
            raise _Refused("missing_account", missing) from None
        if payer.owner != box.actor and box.role not in CENTRE_ROLES:
            raise _Refused("not_owner", InvalidInput(
                _("{label} {id} là của người khác; chỉ chủ tài khoản mới được trả tiền từ đó")
                .format(label=rules.field_label("tai_khoan"), id=account_id),
                field="tai_khoan", value=account_id))
        if payer.locked:
            raise _Refused("locked", InvalidInput(rules.locked_message(), field="ma_pin"))
        try:
            request = rules.payment_request(payload, self.banks)
            to_pay = rules.payment_amount(request, typed)
        except InvalidInput as error:
            reason = {"ma_qr": "bad_code", "so_tien": "amount"}.get(error.field or "", "invalid")
            raise _Refused(reason, error) from None
        request = self._resolve(conn, request)
        payee = self._payee(conn, request.bank.bin, request.account)
        if payee is not None and payee.id == payer.id:
            raise _Refused("same_account", InvalidInput(
                _("{label}: không thể chuyển tiền cho chính tài khoản {id}").format(
                    label=rules.field_label("tai_khoan"), id=payer.id),
                field="tai_khoan", value=payer.id))
        if to_pay > payer.balance:
            raise _Refused("insufficient_balance", _short(to_pay, payer.id, payer.balance))
        try:
            ok = rules.verify_pin(pin, payer.pin_hash)
        except InvalidInput as error:
            raise _Refused("bad_pin_format", error) from None
        if not ok:
            raise _Refused("wrong_pin", None, wrong_pin=True)

        now = tx.now
        seq = tx.next_in_sequence(f"payment:{now:%y%m%d}")
        reference = f"GD{now:%y%m%d}{seq:06d}"
        conn.execute("UPDATE accounts SET balance = balance - :amount, failed_pins = 0"
                     " WHERE id = :id", {"amount": to_pay, "id": payer.id})
        if payee is not None:
            conn.execute("UPDATE accounts SET balance = balance + :amount WHERE id = :id",
                         {"amount": to_pay, "id": payee.id})
        code = request.dossier_code if request.dossier_code and self._dossier_exists(
            conn, request.dossier_code) else None
        fee = None
        if code is not None:
            pays_fee, fee = fees.link_payment(tx, code, request.bank.bin, request.account,
                                              payee)
            if not pays_fee:
                code, fee = None, None  # the dossier's code names another account
        row = {"reference": reference, "idempotency_key": key, "payer": payer.id,
               "app": payer.app, "payee_bin": request.bank.bin,
               "payee_account": request.account,
               "payee_name": (request.recipient or "")[:MAX_NAME] or None,
               "amount": to_pay, "purpose": request.purpose, "dossier_code": code,
               "status": rules.PAID, "at_sim": now.isoformat(timespec="seconds")}
        conn.execute("INSERT INTO payments (reference, idempotency_key, payer, app, payee_bin,"
                     " payee_account, payee_name, amount, purpose, dossier_code, status, at_sim)"
                     " VALUES (:reference, :idempotency_key, :payer, :app, :payee_bin,"
                     " :payee_account, :payee_name, :amount, :purpose, :dossier_code, :status,"
                     " :at_sim)", row)
        if code is not None:
            try:
                box.dossiers.mark_fee_paid(code, reference, to_pay, tx)
            except KnsError as error:
                raise _Refused("dossier_fee", error) from None
            if fee is not None:
                fees.mark_paid(tx, fee, reference)
        tx.append("payment.paid", reference,
                  account=payer.id, app=payer.app, payee_bin=request.bank.bin,
                  payee_account=request.account, payee_name=row["payee_name"],
                  payee_in_store=payee is not None, amount=to_pay,
                  purpose=request.purpose, dossier_code=code, idempotency_key=key)
        return self._payment(conn, reference)

    def _check_same(self, first: Payment, account_id: str, key: str) -> None:
        if first.payer != account_id:
            raise InvalidInput(_("{label} này đã dùng cho một giao dịch của tài khoản khác")
                               .format(label=rules.field_label("ma_giao_dich")),
                               field="ma_giao_dich", value=key)

    def _log_refusal(self, account_id: str, key: str, refused: _Refused) -> KnsError:
        """Log the refused attempt in its own transaction; count a wrong PIN."""
        box = self.box
        with box.transaction() as tx:
            conn = tx.connection
            if refused.wrong_pin:
                failed = (conn.execute("SELECT failed_pins FROM accounts WHERE id = :id",
                                       {"id": account_id}).scalar_one() or 0) + 1
                outcome = rules.pin_failure(failed)
                conn.execute("UPDATE accounts SET failed_pins = :failed, locked = :locked"
                             " WHERE id = :id",
                             {"failed": failed, "locked": outcome.locked, "id": account_id})
                tx.append("payment.pin_failed", account_id, failed=failed,
                          locked=outcome.locked, idempotency_key=key)
                if outcome.locked:
                    tx.append("account.locked", account_id, failed=failed)
                return InvalidInput(outcome.message, field="ma_pin")
            error = refused.error
            assert error is not None
            tx.append("payment.refused", account_id, reason=refused.reason,
                      field=error.field, message=error.message, idempotency_key=key)
            return error

    def _dossier_exists(self, conn: Connection, code: str) -> bool:
        return conn.execute("SELECT code FROM dossiers WHERE code = :code",
                            {"code": code}).first() is not None

    # -- reading -------------------------------------------------------------------------

    def _select(self, conn: Connection, where: str = "", params: dict[str, Any] | None = None
                ) -> list[Payment]:
        """Payments in time order, with the payer's name; ``where`` names payments' columns."""
        rows = conn.execute(PAYMENTS + where + PAYMENTS_ORDER, params)
        return [self._from_row(row) for row in rows]

    @staticmethod
    def _from_row(row: Any) -> Payment:
        return Payment(reference=row.reference, at=datetime.fromisoformat(row.at_sim),
                       payer=row.payer, payer_name=row.payer_name, app=row.app,
                       payee_bin=row.payee_bin, payee_account=row.payee_account,
                       payee_name=row.payee_name, amount=row.amount, purpose=row.purpose,
                       dossier_code=row.dossier_code, status=row.status)

    def _payment(self, conn: Connection, reference: str) -> Payment:
        found = self._select(conn, " WHERE payments.reference = :reference",
                             {"reference": reference})
        if not found:
            raise MissingEntry(_("Không có giao dịch {value}").format(value=reference),
                               field="ma_giao_dich", value=reference)
        return found[0]

    def _by_key(self, conn: Connection, key: str) -> Payment | None:
        found = self._select(conn, " WHERE payments.idempotency_key = :key", {"key": key})
        return found[0] if found else None

    def _receipt(self, payment: Payment, *, duplicate: bool = False) -> Receipt:
        bank = self.banks.find(payment.payee_bin)
        payer = self.account(payment.payer)
        return Receipt(payment=payment, app=self.wallets.get(payment.app),
                       bank_name=bank.short_name if bank else payment.payee_bin,
                       payer_number=payer.number, duplicate=duplicate)

    def payment(self, reference: str) -> Payment:
        with self.box.reading() as conn:
            return self._payment(conn, reference)

    def receipt(self, reference: str) -> Receipt:
        """The receipt of a past payment (to show it again)."""
        return self._receipt(self.payment(reference))

    def payments(self, payer: str | None = None) -> list[Payment]:
        """Every payment in time order, or those paid from account ``payer``."""
        with self.box.reading() as conn:
            return self._select(conn, *where_equal(payer=payer))

    def incoming(self, account_id: str, day: date | None = None) -> list[Payment]:
        """Payments received by ``account_id`` (a trader's stall), optionally on one day."""
        account = self.account(account_id)
        where = " WHERE payments.payee_bin = :bank_bin AND payments.payee_account = :number"
        params = {"bank_bin": account.bank_bin, "number": account.number}
        if day is not None:
            # An ISO date holds no LIKE wildcard.
            where += " AND payments.at_sim LIKE :day"
            params["day"] = f"{day.isoformat()}%"
        with self.box.reading() as conn:
            return self._select(conn, where, params)
