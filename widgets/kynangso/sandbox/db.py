"""Where a store's rows live: a SQLite file, or a database server.

The sandbox speaks plain SQL with ``:name`` parameters, which both drivers accept:

- a path, folder or ``sqlite:///`` URL goes to the standard library's ``sqlite3``
  (WAL, 30 s busy timeout, writers ``BEGIN IMMEDIATE``, readers deferred);
- any other SQLAlchemy URL (a classroom server on PostgreSQL) goes through SQLAlchemy,
  imported only then. A simulator kernel opens a file, so it never pays SQLAlchemy's
  ~11 MB (docs/benchmarks.md); ``sqlite+pysqlite:///`` forces the server path, which
  is how the tests run the same store over SQLAlchemy.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from abc import ABC, abstractmethod
from collections import namedtuple
from collections.abc import Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from functools import cache
from pathlib import Path
from typing import Any

Params = Mapping[str, Any] | Sequence[Mapping[str, Any]] | None
DEFAULT_FILE = "kynangso.sqlite"


class IntegrityError(Exception):
    """A statement broke a key or constraint, whichever driver ran it."""


def where_equal(**columns: Any) -> tuple[str, dict[str, Any]]:
    """A WHERE clause matching every column given a value (None means any) and its
    parameters: the sandbox's list filters."""
    given = {column: value for column, value in columns.items() if value is not None}
    if not given:
        return "", {}
    return " WHERE " + " AND ".join(f"{column} = :{column}" for column in given), given


class Result:
    """Rows of one statement, read at once (the sandbox's results are small)."""

    def __init__(self, rows: list[Any], rowcount: int):
        self.rows = rows
        self.rowcount = rowcount

    def __iter__(self) -> Iterator[Any]:
        return iter(self.rows)

    def all(self) -> list[Any]:
        return list(self.rows)

    def first(self) -> Any:
        return self.rows[0] if self.rows else None

    def scalar(self) -> Any:
        return self.rows[0][0] if self.rows else None

    def scalar_one(self) -> Any:
        if len(self.rows) != 1:
            raise LookupError(f"expected one row, got {len(self.rows)}")
        return self.rows[0][0]

    def scalars(self) -> list[Any]:
        return [row[0] for row in self.rows]


class Connection(ABC):
    """One connection inside one transaction; ``execute`` runs one statement."""

    dialect = "sqlite"

    @abstractmethod
    def execute(self, sql: str, params: Params = None) -> Result:
        """Run ``sql`` with ``:name`` parameters (a list of mappings runs it per item)."""

    @property
    def for_update(self) -> str:
        """Row-lock suffix for a SELECT: PostgreSQL needs it, SQLite has one writer."""
        return "" if self.dialect == "sqlite" else " FOR UPDATE"


@cache
def _row_type(columns: tuple[str, ...]) -> type:
    # rename: an unnamed expression such as COUNT(*) becomes a positional field.
    return namedtuple("Row", columns, rename=True)


def _named_rows(cursor: sqlite3.Cursor, row: tuple) -> Any:
    return _row_type(tuple(c[0] for c in cursor.description))(*row)


class _SqliteConnection(Connection):
    def __init__(self, raw: sqlite3.Connection):
        self.raw = raw

    def execute(self, sql: str, params: Params = None) -> Result:
        try:
            if isinstance(params, Sequence) and not isinstance(params, Mapping):
                cursor = self.raw.executemany(sql, params)
                return Result([], cursor.rowcount)
            cursor = self.raw.execute(sql, params or {})
        except sqlite3.IntegrityError as exc:
            raise IntegrityError(str(exc)) from exc
        rows = cursor.fetchall() if cursor.description else []
        return Result(rows, cursor.rowcount)


class Database(ABC):
    """Opens connections to one store; ``url`` names it for people and tests."""

    url: str
    dialect: str

    @abstractmethod
    def connect(self, *, write: bool = False) -> AbstractContextManager[Connection]:
        """A transaction, committed when the block ends and rolled back on an error."""

    @abstractmethod
    def dispose(self) -> None:
        """Close idle connections (the store stays as it is)."""


class SqliteDatabase(Database):
    """A SQLite file through the standard library, with a small connection pool.

    Each ``connect`` takes its own connection, so a read inside a write (or two
    screens in one kernel) never nests transactions on one connection.
    """

    dialect = "sqlite"

    def __init__(self, path: Path):
        self.path = path
        self.url = f"sqlite:///{path}"
        self._idle: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self._pid = os.getpid()

    def _take(self) -> sqlite3.Connection:
        with self._lock:
            if self._pid != os.getpid():
                # A forked child must not share its parent's open connections.
                self._idle, self._pid = [], os.getpid()
            if self._idle:
                return self._idle.pop()
        # We issue BEGIN ourselves: sqlite3's implicit BEGIN would be DEFERRED.
        raw = sqlite3.connect(self.path, timeout=30, isolation_level=None,
                              check_same_thread=False)
        raw.row_factory = _named_rows
        raw.execute("PRAGMA journal_mode=WAL")
        raw.execute("PRAGMA busy_timeout=30000")
        return raw

    def _give_back(self, raw: sqlite3.Connection) -> None:
        with self._lock:
            if self._pid == os.getpid() and len(self._idle) < 4:
                self._idle.append(raw)
                return
        raw.close()

    @contextmanager
    def connect(self, *, write: bool = False) -> Iterator[Connection]:
        raw = self._take()
        try:
            # Writers take the lock up front (IMMEDIATE): two writers queue on the busy
            # timeout instead of deadlocking when both try to upgrade a read lock.
            # Readers begin DEFERRED, so reading never blocks a writer (WAL).
            raw.execute("BEGIN IMMEDIATE" if write else "BEGIN")
            try:
                yield _SqliteConnection(raw)
            except BaseException:
                if raw.in_transaction:  # SQLite may already have rolled back (disk full...)
                    raw.execute("ROLLBACK")
                raise
            raw.execute("COMMIT")
        except BaseException:
            raw.close()
            raise
        self._give_back(raw)

    def dispose(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        for raw in idle:
            raw.close()


class _ServerConnection(Connection):
    def __init__(self, conn: Any, dialect: str):
        from sqlalchemy import exc, text

        self.conn = conn
        self.dialect = dialect
        self._text = text
        self._integrity = exc.IntegrityError

    def execute(self, sql: str, params: Params = None) -> Result:
        try:
            if isinstance(params, Sequence) and not isinstance(params, Mapping):
                result = self.conn.execute(self._text(sql), list(params))
                return Result([], result.rowcount)
            result = self.conn.execute(self._text(sql), dict(params or {}))
        except self._integrity as exc:
            raise IntegrityError(str(exc.orig)) from exc
        rows = list(result) if result.returns_rows else []
        return Result(rows, result.rowcount)


class ServerDatabase(Database):
    """A database named by a SQLAlchemy URL (PostgreSQL on a classroom server)."""

    def __init__(self, url: str):
        from sqlalchemy import create_engine, event

        self.url = url
        self.engine = create_engine(url, pool_pre_ping=True)
        self.dialect = self.engine.dialect.name
        if self.dialect == "sqlite":
            # Same locking rules as the file path, so tests of this path mean something.
            @event.listens_for(self.engine, "connect")
            def _on_connect(dbapi_connection: Any, _record: Any) -> None:
                dbapi_connection.isolation_level = None
                dbapi_connection.execute("PRAGMA journal_mode=WAL")
                dbapi_connection.execute("PRAGMA busy_timeout=30000")

            @event.listens_for(self.engine, "begin")
            def _on_begin(connection: Any) -> None:
                write = connection.get_execution_options().get("kynangso_write", False)
                connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    @contextmanager
    def connect(self, *, write: bool = False) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            conn.execution_options(kynangso_write=write)
            with conn.begin():
                yield _ServerConnection(conn, self.dialect)

    def dispose(self) -> None:
        self.engine.dispose()


def store_url(target: str | Path) -> str:
    """The URL of a store given by path, folder or URL; a folder gets the default name."""
    text = str(target)
    if "://" in text:
        return text
    path = Path(text).expanduser()
    if path.is_dir():
        path = path / DEFAULT_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{path.resolve()}"


def open_database(target: str | Path) -> Database:
    url = store_url(target)
    if url.startswith("sqlite:///") and len(url) > len("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        path.parent.mkdir(parents=True, exist_ok=True)
        return SqliteDatabase(path)
    return ServerDatabase(url)
