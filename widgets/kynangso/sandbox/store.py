"""The sandbox store: one database holding a simulated world and its event log.

Opened by path (SQLite through the standard library: WAL, busy timeout) or by
SQLAlchemy URL (a classroom server may point at PostgreSQL); see db.py. Opening an existing store never wipes it: an autograde run
re-opens the trainee's store and reads what they actually did.

Every change is written in the same transaction as its event, so the rows and the
log never disagree. The log is hash-chained: editing, deleting or reordering an
event breaks the chain and :meth:`Sandbox.verify_chain` names the event.

The contract a desk (dossiers, wallets, vneid...) writes through::

    with box.transaction() as tx:       # one write transaction: all or nothing
        tx.now                          # the simulated time, read in this transaction
        tx.next_in_sequence("scope")    # 1, 2, 3... per scope, never reused
        tx.connection.execute(sql, {})  # the desk's own rows
        tx.append("dossier.created", code, procedure=..., ...)   # the event, chained

    with box.reading() as conn: ...     # one consistent read (a Connection)
    box.now(conn)                       # the simulated time inside that read
    box.require_trainer(what)           # InvalidInput unless the role is trainer

An event's name and payload fields are declared in events.py; a strict store
(tests) refuses any other.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from .. import settings
from ..errors import InvalidInput, MissingEntry
from ..i18n import N_, _
from . import events as vocabulary
from . import schema
from .db import DEFAULT_FILE, Connection, Database, open_database, where_equal

if TYPE_CHECKING:
    from .dossiers import DossierDesk
    from .drafts import DraftDesk, LearnerDesk
    from .feedback import FeedbackDesk
    from .fees import FeeDesk
    from .queue import QueueDesk
    from .stalls import StallDesk
    from .vneid import VneidDesk
    from .wallets import WalletDesk

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
GENESIS = "0" * 64

ROLES = {
    "trainee": N_("Học viên"),
    "official": N_("Cán bộ một cửa"),
    "trainer": N_("Giảng viên"),
    "resident": N_("Người dân (giả lập)"),
    "system": N_("Hệ thống"),
}


def local_now() -> datetime:
    """Wall-clock time in Vietnam, naive, to the second (the simulated world's unit)."""
    return datetime.now(LOCAL_TZ).replace(tzinfo=None, microsecond=0)


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def canonical_json(value: Any) -> str:
    """One text for one value, so a hash over it is stable across runs and databases."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"),
                      default=str)


@dataclass(frozen=True)
class Event:
    """One trainee or system action, as logged."""

    seq: int
    at_sim: datetime
    at_wall: str
    actor: str
    role: str
    action: str
    subject: str | None
    payload: dict[str, Any]
    prev_hash: str
    hash: str

    @classmethod
    def from_row(cls, row: Any) -> Event:
        return cls(seq=row.seq, at_sim=datetime.fromisoformat(row.at_sim), at_wall=row.at_wall,
                   actor=row.actor, role=row.role, action=row.action, subject=row.subject,
                   payload=json.loads(row.payload), prev_hash=row.prev_hash, hash=row.hash)


def event_hash(prev_hash: str, *, seq: int, at_sim: str, at_wall: str, actor: str, role: str,
               action: str, subject: str | None, payload: str) -> str:
    body = canonical_json({"seq": seq, "at_sim": at_sim, "at_wall": at_wall, "actor": actor,
                           "role": role, "action": action, "subject": subject,
                           "payload": payload})
    return hashlib.sha256((prev_hash + body).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ChainReport:
    """Result of checking the event log: ``ok`` and a Vietnamese problem per break."""

    ok: bool
    count: int
    problems: tuple[str, ...] = field(default_factory=tuple)


class Transaction:
    """One write transaction on the store, made by the sandbox's actor in its role.

    Got from :meth:`Sandbox.transaction`. Rows written through ``connection`` and events
    appended here commit together when the ``with`` block ends, or roll back together
    on any error, so the tables and the log never disagree.
    """

    def __init__(self, box: Sandbox, connection: Connection):
        self.box = box
        self.connection = connection

    @property
    def actor(self) -> str:
        return self.box.actor

    @property
    def role(self) -> str:
        return self.box.role

    @property
    def now(self) -> datetime:
        """The simulated time, read from the clock in this transaction (each access)."""
        return self.box.now(self.connection)

    def next_in_sequence(self, scope: str) -> int:
        """The next number of ``scope`` (1 first): a day's dossier codes, a bank's account
        numbers. Locked with the transaction, so two writers never get the same one."""
        conn = self.connection
        current = conn.execute(f"SELECT value FROM sequences WHERE scope = :scope"
                               f"{conn.for_update}", {"scope": scope}).scalar()
        if current is None:
            conn.execute("INSERT INTO sequences (scope, value) VALUES (:scope, 1)",
                         {"scope": scope})
            return 1
        conn.execute("UPDATE sequences SET value = :value WHERE scope = :scope",
                     {"scope": scope, "value": current + 1})
        return current + 1

    def append(self, action: str, subject: str | None = None, /, **payload: Any) -> Event:
        """Log ``action`` about ``subject`` with ``payload``, chained after the last event.

        ``action`` and the payload's fields must be declared in events.py (a strict store
        raises UndeclaredEvent; otherwise a warning is logged)."""
        vocabulary.check(action, payload, strict=self.box.strict_events)
        return self.box._chain(self.connection, action, subject, payload)


class Sandbox:
    """A simulated world seen by one actor in one role.

    Use as a context manager, or call :meth:`close`. ``as_actor`` gives another
    person's view of the same world (role play: one submits, another processes).

    ``strict_events`` (default: ``KYNANGSO_STRICT_EVENTS``) refuses events events.py does
    not declare; ``otp_seed`` (default: ``KYNANGSO_OTP_SEED``) makes VNeID codes
    repeatable. Both pass on to ``as_actor`` views.
    """

    def __init__(self, db: Database, *, actor: str, role: str,
                 strict_events: bool | None = None, otp_seed: str | None = None):
        if role not in ROLES:
            raise InvalidInput(_("Không có vai trò này; chọn một trong: {allowed}")
                               .format(allowed=", ".join(ROLES)),
                               field="role", value=role)
        if not actor or not actor.strip():
            raise InvalidInput(_("Chưa nhập tên người dùng"), field="actor", value=actor)
        self.db = db
        self.actor = actor.strip()
        self.role = role
        self.url = db.url
        if strict_events is None:
            strict_events = settings.current().strict_events
        self.strict_events = strict_events
        self.otp_seed = otp_seed

    # -- opening -----------------------------------------------------------------

    @classmethod
    def open(cls, target: str | Path = DEFAULT_FILE, *, actor: str = "hoc-vien",
             role: str = "trainee", start: datetime | None = None,
             clock_running: bool = True, strict_events: bool | None = None,
             otp_seed: str | None = None) -> Sandbox:
        """Open (or create) the store at a path, folder or SQLAlchemy URL.

        ``start`` and ``clock_running`` only apply when the store is new; see the class
        for ``strict_events`` and ``otp_seed``.
        """
        db = open_database(target)
        with db.connect(write=True) as conn:
            schema.create_all(conn)
        box = cls(db, actor=actor, role=role, strict_events=strict_events, otp_seed=otp_seed)
        box._initialise(start=start, clock_running=clock_running)
        return box

    @cached_property
    def dossiers(self) -> DossierDesk:
        from .dossiers import DossierDesk

        return DossierDesk(self)

    @cached_property
    def feedback(self) -> FeedbackDesk:
        from .feedback import FeedbackDesk

        return FeedbackDesk(self)

    @cached_property
    def queue(self) -> QueueDesk:
        from .queue import QueueDesk

        return QueueDesk(self)

    @cached_property
    def wallets(self) -> WalletDesk:
        from .wallets import WalletDesk

        return WalletDesk(self)

    @cached_property
    def vneid(self) -> VneidDesk:
        from .vneid import VneidDesk

        return VneidDesk(self)

    @cached_property
    def fees(self) -> FeeDesk:
        from .fees import FeeDesk

        return FeeDesk(self)

    @cached_property
    def stalls(self) -> StallDesk:
        from .stalls import StallDesk

        return StallDesk(self)

    @cached_property
    def drafts(self) -> DraftDesk:
        from .drafts import DraftDesk

        return DraftDesk(self)

    @cached_property
    def learners(self) -> LearnerDesk:
        from .drafts import LearnerDesk

        return LearnerDesk(self)

    def as_actor(self, actor: str, role: str) -> Sandbox:
        return Sandbox(self.db, actor=actor, role=role, strict_events=self.strict_events,
                       otp_seed=self.otp_seed)

    def close(self) -> None:
        self.db.dispose()

    def __enter__(self) -> Sandbox:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Sandbox({self.url!r}, actor={self.actor!r}, role={self.role!r})"

    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        """A write transaction: commits on success, rolls back on any error."""
        with self.db.connect(write=True) as conn:
            yield Transaction(self, conn)

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        """A read transaction: one consistent view, never blocking a writer."""
        with self.db.connect() as conn:
            yield conn

    def _initialise(self, *, start: datetime | None, clock_running: bool) -> None:
        defaults = {
            "schema_version": str(schema.SCHEMA_VERSION),
            "created_at": datetime.now(UTC).isoformat(),
            "chain_head": f"0:{GENESIS}",
            "clock_base_sim": _iso((start or local_now()).replace(microsecond=0)),
            "clock_base_wall": datetime.now(UTC).isoformat(),
            "clock_running": "1" if clock_running else "0",
        }
        with self.db.connect(write=True) as conn:
            have = set(conn.execute("SELECT key FROM meta").scalars())
            missing = [{"key": k, "value": v} for k, v in defaults.items() if k not in have]
            if missing:
                conn.execute("INSERT INTO meta (key, value) VALUES (:key, :value)", missing)

    # -- meta and clock ------------------------------------------------------------

    def _meta(self, conn: Connection, key: str, *, lock: bool = False) -> str:
        lock_clause = conn.for_update if lock else ""
        return conn.execute(f"SELECT value FROM meta WHERE key = :key{lock_clause}",
                            {"key": key}).scalar_one()

    def _set_meta(self, conn: Connection, key: str, value: str) -> None:
        conn.execute("UPDATE meta SET value = :value WHERE key = :key",
                     {"key": key, "value": value})

    def now(self, conn: Connection | None = None) -> datetime:
        """The simulated time (Vietnam local, naive), read inside ``conn``'s transaction
        when given (so it agrees with the rows read there), else in a read of its own."""
        if conn is None:
            with self.reading() as own:
                return self.now(own)
        base = datetime.fromisoformat(self._meta(conn, "clock_base_sim"))
        if self._meta(conn, "clock_running") != "1":
            return base
        since = datetime.now(UTC) - datetime.fromisoformat(self._meta(conn, "clock_base_wall"))
        return (base + max(since, timedelta(0))).replace(microsecond=0)

    def require_trainer(self, what: str) -> None:
        """InvalidInput naming ``what`` (Vietnamese, "to do X") unless the role is trainer."""
        if self.role != "trainer":
            raise InvalidInput(_("Chỉ giảng viên mới được {what}").format(what=what),
                               field="role", value=self.role)

    def advance_clock(self, *, days: int = 0, hours: int = 0, minutes: int = 0) -> datetime:
        """Move the simulated time forward (trainer only); returns the new time."""
        self.require_trainer(_("chỉnh đồng hồ giả lập"))
        delta = timedelta(days=days, hours=hours, minutes=minutes)
        if delta <= timedelta(0):
            raise InvalidInput(_("Chỉ được chỉnh đồng hồ tiến lên: hãy chọn một khoảng thời "
                                 "gian lớn hơn 0"), field="clock", value=delta)
        with self.transaction() as tx:
            new = tx.now + delta
            self._set_clock(tx.connection, new)
            tx.append("clock.advanced", None, to=_iso(new), by=str(delta))
        return new

    def set_clock(self, moment: datetime, *, running: bool | None = None) -> datetime:
        """Jump to ``moment`` (never backwards; trainer only), optionally freezing time."""
        self.require_trainer(_("chỉnh đồng hồ giả lập"))
        moment = moment.replace(microsecond=0, tzinfo=None)
        with self.transaction() as tx:
            conn = tx.connection
            current = tx.now
            if moment < current:
                raise InvalidInput(
                    _("Không thể lùi đồng hồ từ {now} về {value}").format(
                        now=current.strftime("%d/%m/%Y %H:%M"),
                        value=moment.strftime("%d/%m/%Y %H:%M")),
                    field="clock", value=moment)
            if running is not None:
                self._set_meta(conn, "clock_running", "1" if running else "0")
            self._set_clock(conn, moment)
            tx.append("clock.set", None, to=_iso(moment), running=running)
        return moment

    def _set_clock(self, conn: Connection, moment: datetime) -> None:
        self._set_meta(conn, "clock_base_sim", _iso(moment))
        self._set_meta(conn, "clock_base_wall", datetime.now(UTC).isoformat())

    # -- event log -----------------------------------------------------------------

    def _chain(self, conn: Connection, action: str, subject: str | None,
               payload: dict[str, Any]) -> Event:
        """Write one event after the chain's head (Transaction.append checks it first)."""
        # Lock the head row so concurrent writers (PostgreSQL) chain one after another;
        # SQLite already serialises writers with BEGIN IMMEDIATE.
        head = self._meta(conn, "chain_head", lock=True)
        last_seq, prev_hash = head.split(":")
        seq = int(last_seq) + 1
        at_sim = _iso(self.now(conn))
        at_wall = datetime.now(UTC).isoformat(timespec="microseconds")
        body = canonical_json(payload)
        digest = event_hash(prev_hash, seq=seq, at_sim=at_sim, at_wall=at_wall,
                            actor=self.actor, role=self.role, action=action,
                            subject=subject, payload=body)
        conn.execute(
            "INSERT INTO events (seq, at_sim, at_wall, actor, role, action, subject, payload,"
            " prev_hash, hash) VALUES (:seq, :at_sim, :at_wall, :actor, :role, :action,"
            " :subject, :payload, :prev_hash, :hash)",
            {"seq": seq, "at_sim": at_sim, "at_wall": at_wall, "actor": self.actor,
             "role": self.role, "action": action, "subject": subject, "payload": body,
             "prev_hash": prev_hash, "hash": digest})
        self._set_meta(conn, "chain_head", f"{seq}:{digest}")
        return Event(seq=seq, at_sim=datetime.fromisoformat(at_sim), at_wall=at_wall,
                     actor=self.actor, role=self.role, action=action, subject=subject,
                     payload=json.loads(body), prev_hash=prev_hash, hash=digest)

    def record(self, action: str, subject: str | None = None, **payload: Any) -> Event:
        """Log an action that changes no table (a screen opened, a QR code scanned...);
        ``action`` and the payload's fields are declared in events.py."""
        if not action or not action.strip():
            raise InvalidInput(_("Thiếu tên hành động"), field="action", value=action)
        with self.transaction() as tx:
            return tx.append(action.strip(), subject, **payload)

    def events(self, *, action: str | None = None, actor: str | None = None,
               subject: str | None = None, prefix: str | None = None) -> list[Event]:
        """Logged events in order, optionally filtered."""
        where, params = where_equal(action=action, actor=actor, subject=subject)
        if prefix is not None:
            # substr, not LIKE: a prefix may hold % or _.
            where += (" AND " if where else " WHERE ") + \
                "substr(action, 1, length(:prefix)) = :prefix"
            params["prefix"] = prefix
        with self.reading() as conn:
            rows = conn.execute(f"SELECT * FROM events{where} ORDER BY seq", params)
            return [Event.from_row(row) for row in rows]

    def verify_chain(self) -> ChainReport:
        """Recompute the hash chain; each break is named by its event number."""
        problems: list[str] = []
        prev_hash, expected_seq, count = GENESIS, 1, 0
        with self.reading() as conn:
            head = self._meta(conn, "chain_head")
            for row in conn.execute("SELECT * FROM events ORDER BY seq"):
                count += 1
                if row.seq != expected_seq:
                    problems.append(_("Thiếu sự kiện số {expected} (nhật ký bị xóa bớt)")
                                    .format(expected=expected_seq))
                if row.prev_hash != prev_hash:
                    problems.append(_("Sự kiện số {seq} không nối tiếp sự kiện trước nó")
                                    .format(seq=row.seq))
                recomputed = event_hash(row.prev_hash, seq=row.seq, at_sim=row.at_sim,
                                        at_wall=row.at_wall, actor=row.actor, role=row.role,
                                        action=row.action, subject=row.subject,
                                        payload=row.payload)
                if recomputed != row.hash:
                    problems.append(_("Sự kiện số {seq} ({action}) đã bị sửa sau khi ghi")
                                    .format(seq=row.seq, action=row.action))
                prev_hash, expected_seq = row.hash, row.seq + 1
        head_seq, head_hash = head.split(":")
        if int(head_seq) != expected_seq - 1 or head_hash != prev_hash:
            problems.append(_("Nhật ký kết thúc ở sự kiện số {last}, nhưng đã ghi tới số {head}")
                            .format(last=expected_seq - 1, head=head_seq))
        return ChainReport(ok=not problems, count=count, problems=tuple(problems))

    # -- answers -------------------------------------------------------------------------

    def save_answer(self, question: str, value: Any) -> Event:
        """Store a quiz or widget answer (latest wins) and log it for grading."""
        if not question:
            raise InvalidInput(_("Thiếu mã câu hỏi"), field="question", value=question)
        json.dumps(value)  # refuse values a grader could not read back
        with self.transaction() as tx:
            conn = tx.connection
            row = {"actor": self.actor, "question": question, "value": json.dumps(value),
                   "at_sim": _iso(tx.now)}
            exists = conn.execute("SELECT question FROM answers WHERE actor = :actor"
                                  " AND question = :question", row).first()
            if exists:
                conn.execute("UPDATE answers SET value = :value, at_sim = :at_sim"
                             " WHERE actor = :actor AND question = :question", row)
            else:
                conn.execute("INSERT INTO answers (actor, question, value, at_sim)"
                             " VALUES (:actor, :question, :value, :at_sim)", row)
            return tx.append("answer.saved", question, value=value)

    def answer(self, question: str, *, actor: str | None = None) -> Any:
        """The latest answer to ``question``; MissingEntry when none was given."""
        with self.reading() as conn:
            row = conn.execute("SELECT value FROM answers WHERE actor = :actor"
                               " AND question = :question",
                               {"actor": actor or self.actor, "question": question}).first()
        if row is None:
            raise MissingEntry(_("Chưa có câu trả lời cho câu hỏi {question}")
                               .format(question=question), field="question", value=question)
        return json.loads(row.value)
