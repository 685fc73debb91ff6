"""Tables of the sandbox store, as SQL that SQLite and PostgreSQL both accept.

Rows hold the current state; ``events`` holds every action, append-only and
hash-chained. ``create_all`` adds missing tables and indexes to an existing store
without touching its rows, then brings an older store's data up to ``SCHEMA_VERSION``
(``meta.schema_version``; a new store gets the version when it is initialised). JSON
columns are stored as text (``json.dumps``); ``{serial}`` is the one spelling the two
databases disagree on.

Versions: 1 the first; 2 adds ``fee_codes``, ``stalls`` and ``sales_book`` (before them the
stall and the sales book lived only in ``trader.*`` events, so upgrading copies them over).
"""

from __future__ import annotations

import json

from .db import Connection

SCHEMA_VERSION = 2

SERIAL = {"sqlite": "INTEGER PRIMARY KEY", "postgresql": "SERIAL PRIMARY KEY"}

TABLES = {
    "meta": """
        key VARCHAR(64) PRIMARY KEY,
        value TEXT NOT NULL""",
    "events": """
        seq INTEGER PRIMARY KEY,
        at_sim VARCHAR(32) NOT NULL,
        at_wall VARCHAR(40) NOT NULL,
        actor VARCHAR(100) NOT NULL,
        role VARCHAR(32) NOT NULL,
        action VARCHAR(64) NOT NULL,
        subject VARCHAR(100),
        payload TEXT NOT NULL,
        prev_hash VARCHAR(64) NOT NULL,
        hash VARCHAR(64) NOT NULL""",
    "sequences": """
        scope VARCHAR(100) PRIMARY KEY,
        value INTEGER NOT NULL""",
    "dossiers": """
        code VARCHAR(40) PRIMARY KEY,
        procedure_code VARCHAR(64) NOT NULL,
        state VARCHAR(32) NOT NULL,
        channel VARCHAR(16) NOT NULL,
        owner VARCHAR(100) NOT NULL,
        data TEXT NOT NULL,
        updated_at_sim VARCHAR(32) NOT NULL""",
    "queue_tickets": """
        id {serial},
        number VARCHAR(16) NOT NULL,
        day VARCHAR(10) NOT NULL,
        field VARCHAR(64) NOT NULL,
        counter INTEGER NOT NULL,
        status VARCHAR(16) NOT NULL,
        issued_at VARCHAR(32) NOT NULL,
        called_at VARCHAR(32),
        estimated_wait_min INTEGER NOT NULL,
        owner VARCHAR(100) NOT NULL,
        UNIQUE (day, number)""",
    "accounts": """
        id VARCHAR(64) PRIMARY KEY,
        owner VARCHAR(100) NOT NULL,
        app VARCHAR(32) NOT NULL,
        bank_bin VARCHAR(6) NOT NULL,
        number VARCHAR(19) NOT NULL,
        holder_name VARCHAR(100) NOT NULL,
        balance BIGINT NOT NULL,
        pin_hash VARCHAR(128),
        failed_pins INTEGER NOT NULL DEFAULT 0,
        locked BOOLEAN NOT NULL DEFAULT FALSE""",
    "payments": """
        reference VARCHAR(32) PRIMARY KEY,
        idempotency_key VARCHAR(100) NOT NULL UNIQUE,
        payer VARCHAR(100) NOT NULL,
        app VARCHAR(32) NOT NULL,
        payee_bin VARCHAR(6) NOT NULL,
        payee_account VARCHAR(19) NOT NULL,
        payee_name VARCHAR(100),
        amount BIGINT NOT NULL,
        purpose VARCHAR(100),
        dossier_code VARCHAR(40),
        status VARCHAR(16) NOT NULL,
        at_sim VARCHAR(32) NOT NULL""",
    "feedback": """
        id {serial},
        kind VARCHAR(16) NOT NULL,
        dossier_code VARCHAR(40),
        rating INTEGER,
        text TEXT NOT NULL,
        author VARCHAR(100) NOT NULL,
        created_at VARCHAR(32) NOT NULL,
        answer TEXT,
        answered_by VARCHAR(100),
        answered_at VARCHAR(32)""",
    "answers": """
        actor VARCHAR(100) NOT NULL,
        question VARCHAR(100) NOT NULL,
        value TEXT NOT NULL,
        at_sim VARCHAR(32) NOT NULL,
        PRIMARY KEY (actor, question)""",
    # VNeID simulator (sandbox/vneid.py). One account per (owner, CCCD): trainees sharing
    # a classroom store may each activate the same practice persona on their own "phone".
    "vneid_accounts": """
        owner VARCHAR(100) NOT NULL,
        cccd VARCHAR(12) NOT NULL,
        status VARCHAR(16) NOT NULL,
        phone VARCHAR(10) NOT NULL,
        level INTEGER NOT NULL,
        profile TEXT NOT NULL,
        password_hash VARCHAR(160),
        passcode_hash VARCHAR(160),
        device VARCHAR(64),
        failed_logins INTEGER NOT NULL DEFAULT 0,
        failed_passcodes INTEGER NOT NULL DEFAULT 0,
        locked_until VARCHAR(32),
        activated_at VARCHAR(32),
        PRIMARY KEY (owner, cccd)""",
    "vneid_otps": """
        id {serial},
        owner VARCHAR(100) NOT NULL,
        cccd VARCHAR(12) NOT NULL,
        purpose VARCHAR(16) NOT NULL,
        device VARCHAR(64),
        code_hash VARCHAR(160) NOT NULL,
        issued_at VARCHAR(32) NOT NULL,
        expires_at VARCHAR(32) NOT NULL,
        failed INTEGER NOT NULL DEFAULT 0,
        status VARCHAR(16) NOT NULL""",
    # Biometric enrolment at the police (level 2), recorded by an official or trainer.
    "vneid_enrolments": """
        cccd VARCHAR(12) PRIMARY KEY,
        level INTEGER NOT NULL,
        at_sim VARCHAR(32) NOT NULL,
        "by" VARCHAR(100) NOT NULL""",
    # owner NULL: a notice to whoever holds an account for this CCCD.
    "vneid_notifications": """
        id {serial},
        owner VARCHAR(100),
        cccd VARCHAR(12) NOT NULL,
        at_sim VARCHAR(32) NOT NULL,
        kind VARCHAR(16) NOT NULL,
        title VARCHAR(200) NOT NULL,
        text TEXT NOT NULL""",
    # A dossier's fee code (sandbox/fees.py): issued once, shown by the portal, paid in the
    # wallet; payment_reference is the payment that paid it.
    "fee_codes": """
        dossier_code VARCHAR(40) PRIMARY KEY,
        procedure_code VARCHAR(64) NOT NULL,
        owner VARCHAR(100) NOT NULL,
        amount BIGINT NOT NULL,
        bank_bin VARCHAR(6) NOT NULL,
        account VARCHAR(19) NOT NULL,
        payee_name VARCHAR(100) NOT NULL,
        payload TEXT NOT NULL,
        created_at VARCHAR(32) NOT NULL,
        created_by VARCHAR(100) NOT NULL,
        payment_reference VARCHAR(32) UNIQUE,
        paid_at VARCHAR(32)""",
    # A trader's stall (sandbox/stalls.py), one per receiving account; seq is the
    # trader.stall_created event that set it.
    "stalls": """
        account VARCHAR(64) PRIMARY KEY,
        owner VARCHAR(100) NOT NULL,
        name VARCHAR(100) NOT NULL,
        payload TEXT NOT NULL,
        created_at VARCHAR(32) NOT NULL,
        seq INTEGER NOT NULL""",
    # Screens' unfinished state per learner (sandbox/drafts.py), outside the event log.
    "drafts": """
        actor VARCHAR(100) NOT NULL,
        screen VARCHAR(40) NOT NULL,
        state TEXT NOT NULL,
        at_wall VARCHAR(40) NOT NULL,
        PRIMARY KEY (actor, screen)""",
    # The name each learner practises under (sandbox/drafts.py LearnerDesk).
    "learners": """
        actor VARCHAR(100) PRIMARY KEY,
        name VARCHAR(80) NOT NULL,
        joined_at VARCHAR(32) NOT NULL""",
    # The trader's own notebook of sales: a page per simulated day, a row per line.
    "sales_book": """
        owner VARCHAR(100) NOT NULL,
        day VARCHAR(10) NOT NULL,
        line INTEGER NOT NULL,
        sale_time VARCHAR(32) NOT NULL,
        amount BIGINT NOT NULL,
        account VARCHAR(64) NOT NULL,
        at_sim VARCHAR(32) NOT NULL,
        PRIMARY KEY (owner, day, line)""",
}

INDEXES = {
    "events": ("action", "subject"),
    "dossiers": ("procedure_code", "state", "owner"),
    "accounts": ("owner",),
    "payments": ("payer", "dossier_code"),
    "feedback": ("dossier_code",),
    "vneid_otps": ("owner", "cccd"),
    "vneid_notifications": ("owner", "cccd"),
    "fee_codes": ("owner",),
    "stalls": ("owner",),
}


def create_all(conn: Connection) -> None:
    """Create what is missing, then upgrade an older store; existing rows stay as they are."""
    serial = SERIAL.get(conn.dialect, SERIAL["postgresql"])
    for table, columns in TABLES.items():
        conn.execute(f"CREATE TABLE IF NOT EXISTS {table} ({columns.format(serial=serial)})")
    for table, indexed in INDEXES.items():
        for column in indexed:
            conn.execute(f"CREATE INDEX IF NOT EXISTS ix_{table}_{column} ON {table} ({column})")
    upgrade(conn)


def upgrade(conn: Connection) -> None:
    """Bring an existing store's data to SCHEMA_VERSION, once (the version row is locked,
    so two kernels opening an old store upgrade it once)."""
    found = conn.execute(f"SELECT value FROM meta WHERE key = 'schema_version'"
                         f"{conn.for_update}").scalar()
    if found is None:
        return  # a new store: Sandbox._initialise writes the current version
    version = int(found)
    if version < 2:
        _copy_trader_events(conn)
    if version < SCHEMA_VERSION:
        conn.execute("UPDATE meta SET value = :value WHERE key = 'schema_version'",
                     {"value": str(SCHEMA_VERSION)})


def _texts(payload: object, *keys: str) -> list[str] | None:
    values = [payload.get(k) if isinstance(payload, dict) else None for k in keys]
    return values if all(isinstance(v, str) and v for v in values) else None  # type: ignore


def _copy_trader_events(conn: Connection) -> None:
    """Version 1 kept stalls and sales books only as events: copy them into their tables
    (the latest stall per account, the latest page per trader and day), skipping any event
    the trader screen could not have written. Fee codes need no copy: fees.py issues the
    same code again the first time one is asked for."""
    accounts = {row.id: row.owner for row in conn.execute("SELECT id, owner FROM accounts")}
    pages: dict[tuple[str, str], tuple[str, list, str]] = {}
    for event in conn.execute("SELECT seq, at_sim, actor, action, subject, payload FROM events"
                              " WHERE action IN ('trader.stall_created', 'trader.sales_book')"
                              " ORDER BY seq"):
        payload = json.loads(event.payload)
        if event.action == "trader.stall_created":
            values = _texts(payload, "account", "name", "payload")
            if values is None or accounts.get(values[0]) != event.actor:
                continue
            conn.execute("DELETE FROM stalls WHERE account = :account", {"account": values[0]})
            conn.execute("INSERT INTO stalls (account, owner, name, payload, created_at, seq)"
                         " VALUES (:account, :owner, :name, :payload, :created_at, :seq)",
                         {"account": values[0], "owner": event.actor, "name": values[1],
                          "payload": values[2], "created_at": event.at_sim, "seq": event.seq})
        elif _texts(payload, "day") and isinstance(payload.get("sales"), list):
            pages[(event.actor, payload["day"])] = (event.subject or "", payload["sales"],
                                                    event.at_sim)
    for (owner, day), (account, sales, at_sim) in pages.items():
        lines = [{"owner": owner, "day": day, "line": n, "sale_time": str(sale[0]),
                  "amount": int(sale[1]), "account": account, "at_sim": at_sim}
                 for n, sale in enumerate(sales, start=1)
                 if isinstance(sale, list) and len(sale) == 2 and isinstance(sale[1], int)]
        if lines:
            conn.execute("DELETE FROM sales_book WHERE owner = :owner AND day = :day",
                         {"owner": owner, "day": day})
            conn.execute("INSERT INTO sales_book (owner, day, line, sale_time, amount, account,"
                         " at_sim) VALUES (:owner, :day, :line, :sale_time, :amount, :account,"
                         " :at_sim)", lines)
