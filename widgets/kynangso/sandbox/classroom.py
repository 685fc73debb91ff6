"""The class: its list of learners, and the trainer's controls over the practice world.

The class list (roster) is a CSV file beside the store, ``lop.csv`` (``classroom/lop.csv``
for ``make apps``), UTF-8 with the header ``nguoi,ho_ten,vai``: the actor id a learner's
links carry (``?nguoi=lan-3f9a``), the name they practise under (NFC) and their role,
``trainee`` or ``official``. A trainer may edit it in a spreadsheet; a bad row raises a
DataFileError naming the file and the row.

The controls, each for the trainer alone (``box.require_trainer``):

- :func:`reset_learner` removes one learner's practice rows; the event log is append-only,
  so their events stay and ``class.learner_reset`` says what was removed;
- :func:`reset_world` copies the store to ``sao-luu/<store>-YYYYMMDD-HHMMSS.sqlite`` (SQLite's
  backup API, consistent while learners keep working) and then empties it in one
  transaction: a fresh world whose first event names the backup;
- :func:`seed_world` adds a few dozen Trúc Lâm dossiers drawn from the calibrated log
  generator (domain/dossierlog.py), made through the dossier desk at the moments the log
  gives them, so the back office can process them like any other;
- :func:`grant_level2` (the police desk step) and :func:`unlock_wallet`; the clock moves
  with ``Sandbox.advance_clock``.
"""

from __future__ import annotations

import csv
import io
import os
import random
import re
import sqlite3
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..domain.dossier import State
from ..errors import DataFileError, InvalidInput, MissingEntry
from ..i18n import _, nfc
from . import schema, world
from .db import Connection, SqliteDatabase
from .store import GENESIS, Sandbox, Transaction, local_now

if TYPE_CHECKING:
    import pandas as pd

    from ..domain.catalogue import Procedure

ROSTER_FILE = "lop.csv"
ROSTER_COLUMNS = ("nguoi", "ho_ten", "vai")
ROSTER_ROLES = ("trainee", "official")
BACKUP_FOLDER = "sao-luu"
ACTOR_ID = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,58}[a-z0-9])?")
MAX_NAME = 60  # as a learner's own name (sandbox/drafts.py)

# A learner's rows, table by table: what "reset one learner" removes. Payments go with the
# learner's accounts (payer is an account id). Kept: the events (append-only), the name
# the learner gave (``learners``), and police enrolments, which belong to a CCCD number
# several learners may share.
OWNED_ROWS: tuple[tuple[str, str], ...] = (
    ("dossiers", "owner"), ("fee_codes", "owner"), ("feedback", "author"),
    ("queue_tickets", "owner"), ("vneid_accounts", "owner"), ("vneid_otps", "owner"),
    ("vneid_notifications", "owner"), ("stalls", "owner"), ("sales_book", "owner"),
    ("answers", "actor"), ("drafts", "actor"),
)

# Who made the seeded history: one resident for every sample dossier (so none lands in a
# learner's own portal) and one official of the centre.
SEED_RESIDENT = "nguoi-dan-mau"
SEED_OFFICIAL = "can-bo-mau"
# How many sample dossiers of each case: what a back-office session needs to show, not the
# ward's shares (at its 99.1% a few dozen dossiers would hold no late one at all).
SEED_PLAN: tuple[tuple[str, int], ...] = (
    ("early", 12), ("on_time", 6), ("late", 4), ("overdue", 4), ("supplement_done", 3),
    ("supplement_waiting", 3), ("in_time", 4), ("waiting", 3),
)
SEED_LOG_SIZE = 400  # rows drawn from the generator to pick the sample from
SEED_WINDOW_DAYS = 45  # the sample was received over the last weeks, up to yesterday
OVERDUE_WITHIN_DAYS = 10  # a pending dossier is late by days, not months, as at a real desk


# --- the class list ----------------------------------------------------------------------


@dataclass(frozen=True)
class Learner:
    """One line of the class list: ``actor`` id, display ``name``, ``role``."""

    actor: str
    name: str
    role: str = "trainee"


def roster_path(store: str | Path) -> Path:
    """The class list beside a store given by path, folder or URL (``lop.csv``)."""
    text = str(store)
    if "://" in text:
        scheme, _sep, rest = text.partition("://")
        if not scheme.startswith("sqlite") or not rest.startswith("/") or len(rest) < 2:
            return Path.cwd() / ROSTER_FILE  # a database server: the list stays here
        path = Path(rest[1:])
    else:
        path = Path(text).expanduser()
    folder = path if path.is_dir() else path.parent
    return folder / ROSTER_FILE


def _row_entry(number: int) -> str:
    return _("dòng {line}").format(line=number)


def _roster_error(path: Path, number: int | None, column: str | None, rule: str) -> DataFileError:
    entry = _row_entry(number) if number is not None else None
    if number is None:
        message = _("Tệp danh sách lớp {file}: {rule}").format(file=path.name, rule=rule)
    elif column is None:
        message = _("Tệp danh sách lớp {file}, {entry}: {rule}").format(
            file=path.name, entry=entry, rule=rule)
    else:
        message = _("Tệp danh sách lớp {file}, {entry}, cột «{column}»: {rule}").format(
            file=path.name, entry=entry, column=column, rule=rule)
    return DataFileError(message, file=str(path), entry=entry, field=column)


def check_name(name: object) -> str:
    """A display name for the class list: NFC, spaces squeezed, 1–60 characters with a
    letter. InvalidInput says what is wrong without repeating what was typed."""
    cleaned = " ".join(nfc(name).split()) if isinstance(name, str) else ""
    if not cleaned:
        raise InvalidInput(_("Tên học viên đang để trống"), field="ho_ten")
    if len(cleaned) > MAX_NAME:
        raise InvalidInput(_("Tên học viên dài quá {n} ký tự").format(n=MAX_NAME),
                           field="ho_ten")
    if not any(ch.isalpha() for ch in cleaned) or any(ch in "<>{}\\," for ch in cleaned):
        raise InvalidInput(_("Tên học viên chỉ gồm chữ cái, khoảng trắng và dấu gạch (ví dụ: "
                             "Nguyễn Thị Lan)"), field="ho_ten")
    return cleaned


def read_roster(path: str | Path) -> list[Learner]:
    """The class list in file order; [] when there is no file yet."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")  # a spreadsheet may add a BOM
    except FileNotFoundError:
        return []
    except UnicodeDecodeError:
        raise _roster_error(path, None, None, _("không phải UTF-8 (hãy lưu lại dạng CSV "
                                                "UTF-8)")) from None
    reader = csv.reader(io.StringIO(text))
    header: tuple[str, ...] | None = None
    learners: list[Learner] = []
    seen: set[str] = set()
    for row in reader:
        number = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if header is None:
            header = tuple(cell.strip() for cell in row)
            if header != ROSTER_COLUMNS:
                raise _roster_error(path, number, None, _("dòng tiêu đề phải là {columns}")
                                    .format(columns=",".join(ROSTER_COLUMNS)))
            continue
        if len(row) != len(ROSTER_COLUMNS):
            raise _roster_error(path, number, None, _("cần đúng {n} cột {columns}").format(
                n=len(ROSTER_COLUMNS), columns=",".join(ROSTER_COLUMNS)))
        actor, name, role = (cell.strip() for cell in row)
        if not ACTOR_ID.fullmatch(actor):
            raise _roster_error(path, number, "nguoi", _(
                "mã người học chỉ gồm chữ thường không dấu, chữ số và dấu gạch ngang, tối đa "
                "60 ký tự (ví dụ lan-3f9a)"))
        if actor in seen:
            raise _roster_error(path, number, "nguoi", _("mã người học bị lặp lại"))
        try:
            cleaned = check_name(name)
        except InvalidInput as error:
            raise _roster_error(path, number, "ho_ten", error.message) from None
        if role not in ROSTER_ROLES:
            raise _roster_error(path, number, "vai", _("vai phải là {roles}").format(
                roles=" hoặc ".join(ROSTER_ROLES)))
        seen.add(actor)
        learners.append(Learner(actor, cleaned, role))
    return learners


def write_roster(path: str | Path, learners: Iterable[Learner]) -> None:
    """Write the class list (whole file, atomically: a reader never sees half of it)."""
    path = Path(path)
    rows = list(learners)
    seen: set[str] = set()
    for learner in rows:
        if not ACTOR_ID.fullmatch(learner.actor) or learner.actor in seen:
            raise InvalidInput(_("Mã người học không hợp lệ hoặc bị lặp lại"), field="nguoi")
        if learner.role not in ROSTER_ROLES:
            raise InvalidInput(_("Vai phải là {roles}").format(roles=" hoặc ".join(ROSTER_ROLES)),
                               field="vai")
        check_name(learner.name)
        seen.add(learner.actor)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(ROSTER_COLUMNS)
    for learner in rows:
        writer.writerow((learner.actor, check_name(learner.name), learner.role))
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=".lop-", suffix=".csv", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as file:
            file.write(out.getvalue())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def class_roster(box: Sandbox) -> Path:
    """Where the class list of ``box``'s store lives."""
    return roster_path(box.url)


def add_learners(box: Sandbox, names: str | Iterable[str], role: str,
                 make_id: Callable[[str], str]) -> list[Learner]:
    """Add learners to the class list, one name per line; each gets a new actor id from
    ``make_id`` (ui.session.actor_for). Returns those added, in order."""
    box.require_trainer(_("sửa danh sách lớp"))
    if role not in ROSTER_ROLES:
        raise InvalidInput(_("Chưa chọn vai cho học viên"), field="vai")
    lines = names.splitlines() if isinstance(names, str) else list(names)
    wanted = [line for line in lines if line.strip()]
    if not wanted:
        raise InvalidInput(_("Chưa nhập tên học viên nào (mỗi dòng một tên)"), field="ho_ten")
    cleaned = []
    for number, line in enumerate(wanted, start=1):
        try:
            cleaned.append(check_name(line))
        except InvalidInput as error:
            raise InvalidInput(_("Tên thứ {n}: {problem}").format(n=number,
                                                                  problem=error.message),
                               field="ho_ten") from None
    path = class_roster(box)
    roster = read_roster(path)
    taken = {learner.actor for learner in roster}
    added = []
    for name in cleaned:
        actor = make_id(name)
        for _attempt in range(20):  # 4 hex digits: a clash is rare, and another draw fixes it
            if actor not in taken and ACTOR_ID.fullmatch(actor):
                break
            actor = make_id(name)
        else:
            raise InvalidInput(_("Không tạo được mã mới cho tên thứ {n}").format(
                n=cleaned.index(name) + 1), field="nguoi")
        taken.add(actor)
        added.append(Learner(actor, name, role))
    write_roster(path, [*roster, *added])
    box.record("class.roster_changed", None, added=[a.actor for a in added], removed=[])
    return added


def remove_learner(box: Sandbox, actor: str) -> Learner:
    """Take one learner off the class list (their practice rows stay: see reset_learner)."""
    box.require_trainer(_("sửa danh sách lớp"))
    path = class_roster(box)
    roster = read_roster(path)
    found = [learner for learner in roster if learner.actor == actor]
    if not found:
        raise MissingEntry(_("Học viên này không có trong danh sách lớp"), field="nguoi")
    write_roster(path, [learner for learner in roster if learner.actor != actor])
    box.record("class.roster_changed", None, added=[], removed=[actor])
    return found[0]


# --- who is in the class, and how far they got --------------------------------------------


@dataclass(frozen=True)
class VneidSummary:
    cccd: str
    level: int
    active: bool
    locked: bool


@dataclass(frozen=True)
class WalletSummary:
    id: str
    app: str
    holder_name: str
    balance: int
    locked: bool


@dataclass(frozen=True)
class LearnerStatus:
    """One learner as the trainer's screen lists them."""

    learner: Learner
    on_roster: bool  # False: named themselves in an app, not on the class list
    vneid: tuple[VneidSummary, ...] = ()
    wallets: tuple[WalletSummary, ...] = ()
    dossiers: int = 0

    @property
    def vneid_level(self) -> int | None:
        """The highest level of an active VNeID account; None without one."""
        levels = [v.level for v in self.vneid if v.active]
        return max(levels) if levels else None

    @property
    def wallet_locked(self) -> bool:
        return any(w.locked for w in self.wallets)


def class_list(box: Sandbox) -> list[LearnerStatus]:
    """The class list, then anyone who named themselves in an app without being on it,
    each with their VNeID accounts, wallets and number of dossiers (three reads)."""
    roster = read_roster(class_roster(box))
    listed = {learner.actor for learner in roster}
    others = [Learner(row.actor, row.name) for row in box.learners.all()
              if row.actor not in listed]
    people = [(learner, True) for learner in roster] + [(learner, False) for learner in others]
    actors = [learner.actor for learner, _listed in people]
    vneid: dict[str, list[VneidSummary]] = {a: [] for a in actors}
    wallets: dict[str, list[WalletSummary]] = {a: [] for a in actors}
    dossiers: dict[str, int] = dict.fromkeys(actors, 0)
    with box.reading() as conn:
        now = box.now(conn)
        for row in conn.execute("SELECT owner, cccd, status, level, locked_until"
                                " FROM vneid_accounts ORDER BY owner, cccd"):
            if row.owner in vneid:
                until = datetime.fromisoformat(row.locked_until) if row.locked_until else None
                vneid[row.owner].append(VneidSummary(row.cccd, row.level,
                                                     row.status == "active",
                                                     until is not None and until > now))
        for row in conn.execute("SELECT id, owner, app, holder_name, balance, locked"
                                " FROM accounts ORDER BY owner, number"):
            if row.owner in wallets:
                wallets[row.owner].append(WalletSummary(row.id, row.app, row.holder_name,
                                                        row.balance, bool(row.locked)))
        for row in conn.execute("SELECT owner, COUNT(*) AS n FROM dossiers GROUP BY owner"):
            if row.owner in dossiers:
                dossiers[row.owner] = row.n
    return [LearnerStatus(learner, listed_, tuple(vneid[learner.actor]),
                          tuple(wallets[learner.actor]), dossiers[learner.actor])
            for learner, listed_ in people]


# --- controls ---------------------------------------------------------------------------------


def _check_actor(actor: object) -> str:
    if not isinstance(actor, str) or not re.fullmatch(r"[\w.-]{1,60}", actor):
        raise InvalidInput(_("Chưa chọn học viên"), field="nguoi")
    return actor


def reset_learner(box: Sandbox, actor: str) -> dict[str, int]:
    """Remove one learner's practice rows in one transaction; returns rows per table.

    Their events stay (the log is append-only); ``class.learner_reset`` records the reset.
    """
    box.require_trainer(_("xóa dữ liệu tập dượt của học viên"))
    actor = _check_actor(actor)
    removed: dict[str, int] = {}
    with box.transaction() as tx:
        conn = tx.connection
        params = {"actor": actor}
        removed["payments"] = conn.execute(
            "DELETE FROM payments WHERE payer IN (SELECT id FROM accounts WHERE owner = :actor)",
            params).rowcount
        removed["accounts"] = conn.execute("DELETE FROM accounts WHERE owner = :actor",
                                           params).rowcount
        for table, column in OWNED_ROWS:
            if table not in schema.TABLES:
                continue  # a table this version of the store does not have
            removed[table] = conn.execute(f"DELETE FROM {table} WHERE {column} = :actor",
                                          params).rowcount
        rows = {table: count for table, count in removed.items() if count}
        tx.append("class.learner_reset", actor, rows=rows)
    return rows


def store_file(box: Sandbox) -> Path:
    """The SQLite file behind ``box``; InvalidInput for a database server."""
    if isinstance(box.db, SqliteDatabase):
        return Path(box.db.path)
    url = box.url
    if url.startswith("sqlite") and ":///" in url and len(url.split(":///", 1)[1]) > 0:
        return Path(url.split(":///", 1)[1])
    raise InvalidInput(_("Kho dữ liệu đang ở máy chủ cơ sở dữ liệu: hãy sao lưu bằng công cụ "
                         "của máy chủ đó; màn hình này chỉ sao lưu được tệp SQLite"),
                       field="kho")


def backup_store(box: Sandbox) -> Path:
    """Copy the store to ``sao-luu/<name>-YYYYMMDD-HHMMSS.sqlite`` beside it; returns the
    copy's path. SQLite's backup API copies a consistent state while others write."""
    box.require_trainer(_("sao lưu dữ liệu lớp"))
    source = store_file(box)
    folder = source.parent / BACKUP_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    stamp = local_now().strftime("%Y%m%d-%H%M%S")
    target = folder / f"{source.stem}-{stamp}.sqlite"
    n = 2
    while target.exists():
        target = folder / f"{source.stem}-{stamp}-{n}.sqlite"
        n += 1
    src = sqlite3.connect(source, timeout=30)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    return target


def reset_world(box: Sandbox, *, start: datetime | None = None,
                clock_running: bool = True) -> Path:
    """Back the store up, then empty it: a fresh class world (clock at ``start``, default
    now). Returns the backup's path. Learners' open pages find their work gone."""
    box.require_trainer(_("làm mới dữ liệu cả lớp"))
    backup = backup_store(box)
    moment = (start or local_now()).replace(microsecond=0, tzinfo=None)
    with box.transaction() as tx:
        conn = tx.connection
        previous = conn.execute("SELECT COUNT(*) FROM events").scalar() or 0
        for table in schema.TABLES:
            if table != "meta":
                conn.execute(f"DELETE FROM {table}")
        fresh = {
            "chain_head": f"0:{GENESIS}",
            "clock_base_sim": moment.isoformat(timespec="seconds"),
            "clock_base_wall": datetime.now(UTC).isoformat(),
            "clock_running": "1" if clock_running else "0",
            "created_at": datetime.now(UTC).isoformat(),
        }
        for key, value in fresh.items():
            _set_meta(conn, key, value)
        tx.append("class.world_reset", None,
                  backup=f"{BACKUP_FOLDER}/{backup.name}", previous_events=int(previous))
    return backup


def _set_meta(conn: Connection, key: str, value: str) -> None:
    if conn.execute("UPDATE meta SET value = :value WHERE key = :key",
                    {"key": key, "value": value}).rowcount == 0:
        conn.execute("INSERT INTO meta (key, value) VALUES (:key, :value)",
                     {"key": key, "value": value})


def grant_level2(box: Sandbox, cccd: str, *, learner: str | None = None) -> int:
    """The police desk step: record level-2 enrolment for ``cccd``; every VNeID account
    with that number becomes level 2. Returns how many accounts changed."""
    box.require_trainer(_("ghi nhận định danh mức 2"))
    desk = box.vneid
    # grant_level2 is the desk's name for this step once the VNeID helper adds it.
    grant = getattr(desk, "grant_level2", None) or desk.upgrade_level2
    changed = int(grant(cccd))
    number = "".join(ch for ch in str(cccd) if ch.isdigit())
    box.record("class.level2_granted", number, learner=learner, accounts=changed)
    return changed


def unlock_wallet(box: Sandbox, account_id: str) -> Any:
    """Unlock a practice account locked by wrong PINs (and clear its count)."""
    box.require_trainer(_("mở khóa ví"))
    if not isinstance(account_id, str) or not account_id.strip():
        raise InvalidInput(_("Chưa chọn tài khoản ví"), field="tai_khoan")
    return box.wallets.unlock(account_id.strip())


# --- sample dossiers --------------------------------------------------------------------------


@dataclass(frozen=True)
class SeedReport:
    """What :func:`seed_world` made: dossier codes, and how many of each case."""

    seed: int
    codes: tuple[str, ...]
    cases: Mapping[str, int] = field(default_factory=dict)


class _Clock:
    moment: datetime


class _Replay(Sandbox):
    """A view of the same store whose simulated clock reads a set moment, so seeded
    history is written when it happened rather than at the trainer's "now", and whose
    every step runs inside one transaction of the caller's: the sample is written all at
    once (one commit instead of two hundred) or not at all."""

    def __init__(self, box: Sandbox, actor: str, role: str, clock: _Clock,
                 conn: Connection):
        super().__init__(box.db, actor=actor, role=role, strict_events=box.strict_events,
                         otp_seed=box.otp_seed)
        self.clock = clock
        self.conn = conn

    def now(self, conn: Connection | None = None) -> datetime:
        return self.clock.moment

    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        yield Transaction(self, self.conn)

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        yield self.conn


@dataclass(frozen=True)
class _Plan:
    """One sample dossier: the log row it comes from and the moments of its steps."""

    case: str
    procedure: str
    channel: str
    due: date
    steps: tuple[tuple[str, datetime], ...]


def _stamp(value: Any) -> datetime | None:
    import pandas as pd

    if value is None or pd.isna(value):
        return None
    return pd.Timestamp(value).to_pydatetime().replace(microsecond=0)


def _office_time(day: date, rng: random.Random) -> datetime:
    return datetime.combine(day, datetime.min.time()) + timedelta(
        hours=8, minutes=rng.randrange(0, 8 * 60, 1))


def _plan(case: str, row: Any, now: datetime, rng: random.Random) -> _Plan | None:
    """The steps of one sample dossier, or None when its row cannot carry the case."""
    calendar = world.calendar()
    received = _stamp(row.received_at)
    resolved = _stamp(row.resolved_at)
    returned = _stamp(row.returned_at)
    due = _stamp(row.due_date)
    if received is None or due is None:
        return None
    due_day = due.date()
    minute = timedelta(minutes=1)
    steps: list[tuple[str, datetime]] = [("create", received - 12 * minute),
                                         ("submit", received - 2 * minute)]
    if case == "waiting":
        return _Plan(case, row.procedure, row.channel, due_day, tuple(steps))
    steps.append(("receive", received))
    if case == "late" and (resolved is None or resolved.date() <= due_day):
        # Too few late results in a small sample: this one came 1-3 working days late.
        resolved = None
        for late_by in (rng.randint(1, 3), 1):
            day = calendar.add_working_days(due_day, late_by)
            if day < now.date():
                resolved = _office_time(day, rng)
                break
        if resolved is None:
            return None
        after = calendar.add_working_days(resolved.date(), 1)
        returned = _office_time(after, rng) if after < now.date() else None
    if case in ("overdue", "in_time", "supplement_waiting"):
        resolved = returned = None
    if case in ("early", "on_time", "late", "supplement_done") and resolved is None:
        return None
    if resolved is not None and resolved <= received + 2 * minute:
        resolved = received + 3 * minute
    if case == "supplement_done":
        assert resolved is not None
        span = resolved - received
        asked, back = received + span * 0.3, received + span * 0.6
        steps += [("supplement", asked), ("resubmit", back),
                  ("processing", back + (resolved - back) * 0.2)]
    elif case == "supplement_waiting":
        steps.append(("supplement", min(received + 2 * 60 * minute, now - minute)))
    elif resolved is not None:
        steps.append(("processing", received + (resolved - received) / 4))
    else:
        steps.append(("processing", min(received + 40 * minute, now - minute)))
    if resolved is not None:
        steps.append(("resolve", resolved))
        if returned is not None and returned >= resolved:
            steps.append(("return", returned))
    moments = [moment.replace(microsecond=0) for _step, moment in steps]
    if moments != sorted(moments) or moments[-1] >= now:
        return None
    return _Plan(case, row.procedure, row.channel, due_day,
                 tuple((name, moment.replace(microsecond=0)) for name, moment in steps))


def _candidates(log: pd.DataFrame, today: date) -> dict[str, list[int]]:
    """Row numbers of the log that can carry each case."""
    from ..domain.workcalendar import Timeliness, WorkCalendar

    found: dict[str, list[int]] = {case: [] for case, _n in SEED_PLAN}
    for index, row in enumerate(log.itertuples(index=False)):
        received, resolved = _stamp(row.received_at), _stamp(row.resolved_at)
        due = _stamp(row.due_date)
        if received is None or due is None:
            continue
        due_day = due.date()
        if due_day >= today:
            found["in_time"].append(index)
            found["supplement_waiting"].append(index)
            found["waiting"].append(index)
            continue
        if (today - due_day).days <= OVERDUE_WITHIN_DAYS:
            found["overdue"].append(index)
        if resolved is None:
            found["late"].append(index)
            continue
        kind = WorkCalendar.classify(resolved, due_day)
        if kind is Timeliness.EARLY:
            found["early"].append(index)
            if resolved - received >= timedelta(days=1):
                found["supplement_done"].append(index)
        elif kind is Timeliness.ON_TIME:
            found["on_time"].append(index)
        found["late"].append(index)
    return found


def _applicant(persona: Any) -> dict[str, Any]:
    from ..domain.identity import format_date

    return {"ho_ten": persona.full_name, "cccd": persona.cccd,
            "so_dien_thoai": persona.phone, "ngay_sinh": format_date(persona.birth_date),
            "gioi_tinh": persona.gender.value, "dia_chi": persona.household.address}


def _documents(procedure: Procedure) -> tuple[list[str], list[str], str]:
    """(documents first given, documents after a supplement, the supplement's reason)."""
    required = [doc for doc in procedure.documents if doc.required]
    full = [doc.code for doc in required]
    if len(required) >= 2:
        missing = required[-1]
        return full[:-1], full, _("Thiếu giấy tờ: {name}").format(name=missing.shown_name)
    return full, full, _("Bản chụp giấy tờ bị mờ, không đọc được; đề nghị nộp lại bản rõ "
                         "nét")


def seed_world(box: Sandbox, *, seed: int | None = None) -> SeedReport:
    """Add a few dozen sample dossiers of phường Trúc Lâm, received over the last weeks.

    Rows come from ``synthetic_log`` (received moment, procedure, channel, due date and,
    for results on time, the result and its return); each is then made through the dossier
    desk at those moments by a sample resident and official: received, processed, resolved
    early, on time or late, still pending past its due date, sent back for a supplement,
    or still waiting to be received. The same seed gives the same sample; by default each
    seeding of a store draws a new one.
    """
    box.require_trainer(_("tạo hồ sơ mẫu"))
    from ..domain.dossierlog import synthetic_log
    from ..domain.personas import make_personas

    if seed is None:
        seed = 2025 + len(box.events(action="class.world_seeded"))
    now = box.now()
    today = now.date()
    log = synthetic_log(seed=seed, n=SEED_LOG_SIZE,
                        start=today - timedelta(days=SEED_WINDOW_DAYS),
                        end=today - timedelta(days=1))
    rng = random.Random(f"kynangso-seed-{seed}")
    candidates = _candidates(log, today)
    rows = list(log.itertuples(index=False))
    used: set[int] = set()
    plans: list[_Plan] = []
    # Scarce cases first, so the plentiful early results do not take their rows.
    order = ("waiting", "supplement_waiting", "in_time", "late", "on_time", "supplement_done",
             "overdue", "early")
    wanted = dict(SEED_PLAN)
    for case in order:
        pool = [i for i in candidates[case] if i not in used]
        if case == "waiting":
            pool.sort(key=lambda i: rows[i].received_at, reverse=True)  # the latest ones
        else:
            rng.shuffle(pool)
        made = 0
        for index in pool:
            if made == wanted[case]:
                break
            plan = _plan(case, rows[index], now, rng)
            if plan is not None:
                plans.append(plan)
                used.add(index)
                made += 1
    plans.sort(key=lambda plan: plan.steps[0][1])
    personas = make_personas(len(plans), seed=seed)
    clock = _Clock()
    codes: list[str] = []
    cases: dict[str, int] = {}
    with box.transaction() as tx:
        resident = _Replay(box, SEED_RESIDENT, "resident", clock, tx.connection)
        official = _Replay(box, SEED_OFFICIAL, "official", clock, tx.connection)
        for plan, persona in zip(plans, personas, strict=True):
            code = _replay(plan, persona, resident, official, clock)
            codes.append(code)
            cases[plan.case] = cases.get(plan.case, 0) + 1
        tx.append("class.world_seeded", None, seed=seed, dossiers=len(codes), cases=cases)
    return SeedReport(seed, tuple(codes), cases)


def _replay(plan: _Plan, persona: Any, resident: Sandbox, official: Sandbox,
            clock: _Clock) -> str:
    """Make one sample dossier through the desk, each step at its own moment."""
    procedure = resident.dossiers.catalogue[plan.procedure]
    first, full, reason = _documents(procedure)
    supplement = plan.case in ("supplement_done", "supplement_waiting")
    code = ""
    for step, moment in plan.steps:
        clock.moment = moment
        if step == "create":
            code = resident.dossiers.create(
                procedure.code, _applicant(persona), channel=plan.channel,
                documents=first if supplement else full).code
        elif step == "submit":
            resident.dossiers.submit(code)
        elif step == "receive":
            official.dossiers.receive(code, due_date=plan.due)
        elif step == "supplement":
            official.dossiers.request_supplement(code, reason)
        elif step == "resubmit":
            resident.dossiers.resubmit(code, documents=full)
        elif step == "processing":
            official.dossiers.move(code, State.PROCESSING)
        elif step == "resolve":
            official.dossiers.move(code, State.RESOLVED)
        elif step == "return":
            official.dossiers.move(code, State.RESULT_RETURNED)
    return code
