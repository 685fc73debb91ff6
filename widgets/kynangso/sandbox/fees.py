"""The ward's fee collection: one practice account and one fee code per dossier.

The fee code is a row of ``fee_codes``, made by the sandbox the first time someone asks for
it (the portal showing it, the wallet offering it) and read from there ever after: the portal
shows that row, the wallet pays that row, and the payment that paid it is written on it. The
convention: the account "<Phường Trúc Lâm> - thu phí (tập dượt)" at the training bank, owned
by the system user ``COLLECTOR``; a one-payment code for the fee with ``LP <dossier code>``
as its purpose and the dossier code as its bill number (the wallet finds the dossier there).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from ..domain.dossier import State
from ..domain.vietqr import VietQR, encode
from ..errors import InvalidInput
from ..i18n import _
from . import world
from .db import Connection, IntegrityError, where_equal

if TYPE_CHECKING:
    from ..domain.dossier import Dossier
    from ..domain.wallets import Account
    from .store import Sandbox, Transaction

COLLECTOR = "thu-phi-phuong"
COLLECTION_APP = "ngan-hang"
MAX_TEXT = 25  # VietQR purpose and bill number limits
CLOSED_STATES = (State.REJECTED, State.WITHDRAWN)


def collection_name() -> str:
    """"Phường Trúc Lâm - thu phí (tập dượt)", from the ward in locality.yaml."""
    ward = world.locality()
    return f"{ward.ward_kind.capitalize()} {ward.ward} - thu phí (tập dượt)"


def collection_account(box: Sandbox) -> Account:
    """The ward's fee account, opened by the system on first use (never by a trainee)."""
    name = collection_name()

    def find() -> Account | None:
        mine = [a for a in box.wallets.accounts(owner=COLLECTOR) if a.holder_name == name]
        return min(mine, key=lambda a: a.number) if mine else None

    account = find()
    if account is None:
        # Nobody pays from this account, so its PIN is random and never shown.
        box.as_actor(COLLECTOR, "system").wallets.open_account(
            COLLECTION_APP, name, balance=0, pin=f"{secrets.randbelow(10 ** 6):06d}",
            owner=COLLECTOR)
        account = find()  # the lowest number wins if two kernels opened one at once
    assert account is not None
    return account


def is_collection(account: Any) -> bool:
    """True for an accounts row (or Account) that is one of the ward's fee accounts."""
    return account.owner == COLLECTOR and account.holder_name == collection_name()


def fee_qr(dossier: Dossier, account_number: str) -> VietQR:
    """A one-payment code for the dossier's fee at the training bank."""
    from ..domain.banks import load_banks

    purpose = f"LP {dossier.code}"
    return VietQR(load_banks().training_bank.bin, account_number, amount=dossier.fee_amount,
                  bill_number=dossier.code if len(dossier.code) <= MAX_TEXT else None,
                  purpose=purpose if len(purpose) <= MAX_TEXT else dossier.code)


def fee_payload(box: Sandbox, dossier: Dossier) -> str:
    """The payload of ``dossier``'s fee code (issued now if it was not yet)."""
    return FeeDesk(box).code_for(dossier.code).payload


@dataclass(frozen=True)
class FeeCode:
    """A dossier's fee code as the sandbox issued it, and the payment that paid it."""

    dossier_code: str
    procedure_code: str
    owner: str  # the dossier's owner: the person who pays
    amount: int
    bank_bin: str
    account: str  # the receiving account number
    payee_name: str
    payload: str  # the exact VietQR text shown and paid
    created_at: datetime
    created_by: str
    payment_reference: str | None = None
    paid_at: datetime | None = None

    @property
    def paid(self) -> bool:
        return self.payment_reference is not None

    @property
    def qr(self) -> VietQR:
        """The code's fields read back from its payload (for the card and the purpose)."""
        from ..domain.vietqr import decode

        result = decode(self.payload)
        assert result.qr is not None, self.payload
        return result.qr

    @classmethod
    def from_row(cls, row: Any) -> FeeCode:
        return cls(dossier_code=row.dossier_code, procedure_code=row.procedure_code,
                   owner=row.owner, amount=row.amount, bank_bin=row.bank_bin,
                   account=row.account, payee_name=row.payee_name, payload=row.payload,
                   created_at=datetime.fromisoformat(row.created_at), created_by=row.created_by,
                   payment_reference=row.payment_reference,
                   paid_at=datetime.fromisoformat(row.paid_at) if row.paid_at else None)


def _select(conn: Connection, where: str = "", params: dict[str, Any] | None = None,
            ) -> list[FeeCode]:
    rows = conn.execute(f"SELECT * FROM fee_codes{where} ORDER BY created_at, dossier_code",
                        params)
    return [FeeCode.from_row(row) for row in rows]


def issued(conn: Connection, dossier_code: str) -> FeeCode | None:
    """The dossier's fee code if the sandbox issued one, read inside ``conn``."""
    found = _select(conn, " WHERE dossier_code = :code", {"code": dossier_code})
    return found[0] if found else None


class FeeDesk:
    """Fee codes of one sandbox: issued once per dossier, then only read."""

    def __init__(self, box: Sandbox):
        self.box = box

    def get(self, dossier_code: str) -> FeeCode | None:
        with self.box.reading() as conn:
            return issued(conn, dossier_code)

    def codes(self, owner: str | None = None) -> list[FeeCode]:
        """Every fee code issued, or those of ``owner``'s dossiers, oldest first."""
        with self.box.reading() as conn:
            return _select(conn, *where_equal(owner=owner))

    def code_for(self, dossier_code: str) -> FeeCode:
        """The dossier's fee code, issued in a transaction of its own on the first ask.

        InvalidInput when the dossier has no fee to pay by QR (free or unverified);
        MissingEntry when there is no such dossier."""
        found = self.get(dossier_code)
        if found is not None:
            return found
        dossier = self.box.dossiers.get(dossier_code)
        if not dossier.fee_amount:
            raise InvalidInput(_("Hồ sơ {code} không có lệ phí phải nộp qua mã QR").format(
                code=dossier.code), field="le_phi", value=dossier.fee_amount)
        account = collection_account(self.box)  # may open it: before our own transaction
        try:
            with self.box.transaction() as tx:
                fee = self.issue_in(tx, dossier_code, account)
        except IntegrityError:
            # Another writer (PostgreSQL) issued it first: theirs is the one.
            fee = self.get(dossier_code)
        assert fee is not None
        return fee

    def issue_in(self, tx: Transaction, dossier_code: str, account: Any) -> FeeCode | None:
        """The dossier's fee code to ``account`` (a ward's account) inside ``tx``: the
        issued one if any, else a new row and its ``fee.code_issued`` event. None when the
        dossier has no fee to pay by QR."""
        conn = tx.connection
        found = issued(conn, dossier_code)
        if found is not None:
            return found
        dossier = self.box.dossiers._row(conn, dossier_code)
        if not dossier.fee_amount:
            return None
        qr = fee_qr(dossier, account.number)
        row = {"dossier_code": dossier.code, "procedure_code": dossier.procedure_code,
               "owner": self._owner(conn, dossier.code), "amount": dossier.fee_amount,
               "bank_bin": qr.bin, "account": account.number,
               "payee_name": account.holder_name, "payload": encode(qr).payload,
               "created_at": tx.now.isoformat(timespec="seconds"),
               "created_by": self.box.actor}
        conn.execute("INSERT INTO fee_codes (dossier_code, procedure_code, owner, amount,"
                     " bank_bin, account, payee_name, payload, created_at, created_by)"
                     " VALUES (:dossier_code, :procedure_code, :owner, :amount, :bank_bin,"
                     " :account, :payee_name, :payload, :created_at, :created_by)", row)
        tx.append("fee.code_issued", dossier.code, amount=row["amount"],
                  bank_bin=row["bank_bin"], account=row["account"],
                  payee_name=row["payee_name"], payload=row["payload"])
        return issued(conn, dossier.code)

    @staticmethod
    def _owner(conn: Connection, dossier_code: str) -> str:
        return conn.execute("SELECT owner FROM dossiers WHERE code = :code",
                            {"code": dossier_code}).scalar_one()

    def payable(self, owner: str | None = None) -> list[FeeCode]:
        """Fee codes ``owner`` (default: the sandbox's actor) still has to pay, oldest
        dossier first; a payable dossier without a code gets one now."""
        owner = owner or self.box.actor
        due = [d for d in self.box.dossiers.list(owner=owner)
               if d.fee_amount and not d.fee_paid and d.state not in CLOSED_STATES]
        have = {fee.dossier_code: fee for fee in self.codes(owner=owner)}
        for dossier in due:
            if dossier.code not in have:
                have[dossier.code] = self.code_for(dossier.code)
        return [have[d.code] for d in due if not have[d.code].paid]


def link_payment(tx: Transaction, dossier_code: str, bank_bin: str, account: str,
                 payee: Any) -> tuple[bool, FeeCode | None]:
    """Inside a payment's transaction: does a payment to (``bank_bin``, ``account``) naming
    ``dossier_code`` pay that dossier's fee, and which fee code does it pay?

    Once a code is issued, only its account receives the fee: a payment elsewhere naming the
    dossier is an ordinary transfer, as at a real bank. A payment to a ward's account issues
    the code it pays if none was shown yet. Without a code (a fee paid to a hand-made code),
    the dossier's fee is paid as before, with no code to link."""
    fee = issued(tx.connection, dossier_code)
    if fee is None and payee is not None and is_collection(payee):
        fee = FeeDesk(tx.box).issue_in(tx, dossier_code, payee)
    if fee is None:
        return True, None
    return (fee.bank_bin, fee.account) == (bank_bin, account), fee


def mark_paid(tx: Transaction, fee: FeeCode, reference: str) -> None:
    """Write the payment that paid ``fee`` on its row (the dossier's checks ran already)."""
    changed = tx.connection.execute(
        "UPDATE fee_codes SET payment_reference = :reference, paid_at = :at"
        " WHERE dossier_code = :code AND payment_reference IS NULL",
        {"reference": reference, "at": tx.now.isoformat(timespec="seconds"),
         "code": fee.dossier_code})
    assert changed.rowcount == 1, fee.dossier_code
