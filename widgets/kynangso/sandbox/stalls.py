"""A trader's stall and sales book in the sandbox.

A stall is a row of ``stalls``: the shop's name, the account that receives the money and
the shop's static QR text, one per account (making it again replaces it). The sales book is
the trader's own notebook, rows of ``sales_book``: one page per simulated day, one line per
sale (time as written, amount). Each change writes its rows and its ``trader.*`` event in
one transaction; screens and graders read the rows, never the log.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from ..domain import wallets as rules
from ..errors import InvalidInput
from ..i18n import _, nfc
from .db import Connection, where_equal

if TYPE_CHECKING:
    from .store import Sandbox, Transaction

CENTRE_ROLES = ("trainer", "system")


@dataclass(frozen=True)
class Stall:
    """A trader's stall: its name, receiving account and static code."""

    account: str
    name: str
    payload: str
    owner: str
    created_at: datetime | None = None

    @classmethod
    def from_row(cls, row: Any) -> Stall:
        return cls(account=row.account, name=row.name, payload=row.payload, owner=row.owner,
                   created_at=datetime.fromisoformat(row.created_at))


@dataclass(frozen=True)
class Sale:
    """One line of a trader's sales book: the time as the trader wrote it, the amount."""

    owner: str
    day: date
    line: int
    time: str
    amount: int
    account: str
    at: datetime  # when it was written (simulated time)

    @classmethod
    def from_row(cls, row: Any) -> Sale:
        return cls(owner=row.owner, day=date.fromisoformat(row.day), line=row.line,
                   time=row.sale_time, amount=row.amount, account=row.account,
                   at=datetime.fromisoformat(row.at_sim))


def _stalls(conn: Connection, owner: str | None = None) -> list[Stall]:
    where, params = where_equal(owner=owner)
    # seq: the event that set the stall, so the one set last comes last.
    return [Stall.from_row(row) for row in
            conn.execute(f"SELECT * FROM stalls{where} ORDER BY seq", params)]


def _sales(conn: Connection, owner: str | None, day: date | None) -> list[Sale]:
    where, params = where_equal(owner=owner, day=day.isoformat() if day else None)
    return [Sale.from_row(row) for row in
            conn.execute(f"SELECT * FROM sales_book{where} ORDER BY owner, day, line", params)]


class StallDesk:
    """Stalls and sales books of one sandbox; a trader writes only their own."""

    def __init__(self, box: Sandbox):
        self.box = box

    # -- the stall -------------------------------------------------------------------------

    def open(self, name: str, account_id: str) -> Stall:
        """The actor's stall named ``name`` receiving into ``account_id`` (their own), with
        its static code; a stall already on that account is replaced."""
        from ..domain import trader

        box = self.box
        with box.transaction() as tx:
            conn = tx.connection
            account = box.wallets._row(conn, account_id)
            if account.owner != box.actor and box.role not in CENTRE_ROLES:
                raise InvalidInput(
                    _("{label} {id} là của người khác; quầy chỉ nhận tiền vào tài khoản của "
                      "chính mình").format(label=rules.field_label("tai_khoan"), id=account_id),
                    field="tai_khoan", value=account_id)
            payload = trader.shop_qr(name, account.number)
            name = nfc(name).strip()
            event = tx.append("trader.stall_created", account.id, account=account.id,
                              name=name, payload=payload)
            conn.execute("DELETE FROM stalls WHERE account = :account", {"account": account.id})
            conn.execute("INSERT INTO stalls (account, owner, name, payload, created_at, seq)"
                         " VALUES (:account, :owner, :name, :payload, :created_at, :seq)",
                         {"account": account.id, "owner": account.owner, "name": name,
                          "payload": payload,
                          "created_at": event.at_sim.isoformat(timespec="seconds"),
                          "seq": event.seq})
            return _stalls(conn, account.owner)[-1]

    def stalls(self, owner: str | None = None) -> list[Stall]:
        """Every stall (or ``owner``'s), the one set last coming last."""
        with self.box.reading() as conn:
            return _stalls(conn, owner)

    def stall(self, owner: str | None = None) -> Stall | None:
        """The stall ``owner`` (default: the actor) set last, if any."""
        mine = self.stalls(owner or self.box.actor)
        return mine[-1] if mine else None

    def _own_stall(self, conn: Connection) -> Stall:
        mine = _stalls(conn, self.box.actor)
        if not mine:
            raise InvalidInput(_("Quầy chưa có mã QR: hãy tạo mã trước"), field="ma_qr")
        return mine[-1]

    # -- the sales book ----------------------------------------------------------------------

    def sales(self, owner: str | None = None, day: date | None = None) -> list[Sale]:
        """Lines of ``owner``'s (default: the actor's) book on ``day`` (default: every day)."""
        with self.box.reading() as conn:
            return _sales(conn, owner or self.box.actor, day)

    def add_sale(self, when: str, amount: int | str) -> Sale:
        """Write a sale on today's page of the actor's book; InvalidInput names the line."""
        from ..domain import trader

        box = self.box
        with box.transaction() as tx:
            conn = tx.connection
            stall = self._own_stall(conn)
            day = tx.now.date()
            page = _sales(conn, box.actor, day)
            value = rules.parse_amount(amount)
            # The domain checks the new line in its place, so its message names the line.
            trader.reconcile([], [*((s.time, s.amount) for s in page), (when, value)], day=day)
            line = {"owner": box.actor, "day": day.isoformat(), "line": len(page) + 1,
                    "sale_time": when, "amount": value, "account": stall.account,
                    "at_sim": tx.now.isoformat(timespec="seconds")}
            conn.execute("INSERT INTO sales_book (owner, day, line, sale_time, amount, account,"
                         " at_sim) VALUES (:owner, :day, :line, :sale_time, :amount, :account,"
                         " :at_sim)", line)
            self._log_page(tx, stall, day)
            return _sales(conn, box.actor, day)[-1]

    def remove_last_sale(self) -> Sale:
        """Cross out the last line of today's page; InvalidInput when the page is empty."""
        box = self.box
        with box.transaction() as tx:
            conn = tx.connection
            stall = self._own_stall(conn)
            day = tx.now.date()
            page = _sales(conn, box.actor, day)
            if not page:
                raise InvalidInput(_("{book} chưa có dòng nào để xóa").format(
                    book=_("Sổ bán hàng")), field="so_ban_hang")
            conn.execute("DELETE FROM sales_book WHERE owner = :owner AND day = :day"
                         " AND line = :line",
                         {"owner": box.actor, "day": day.isoformat(), "line": page[-1].line})
            self._log_page(tx, stall, day)
            return page[-1]

    def _log_page(self, tx: Transaction, stall: Stall, day: date) -> None:
        # The whole page as it now stands, as the screen logged it before the table existed.
        page = _sales(tx.connection, self.box.actor, day)
        tx.append("trader.sales_book", stall.account, day=day.isoformat(),
                  sales=[[s.time, s.amount] for s in page])
