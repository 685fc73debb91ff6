"""Tables of the sandbox store, as SQL that SQLite and PostgreSQL both accept.

Rows hold the current state; ``events`` holds every action, append-only and
hash-chained. ``create_all`` adds missing tables and indexes to an existing store
without touching its rows. JSON columns are stored as text (``json.dumps``);
``{serial}`` is the one spelling the two databases disagree on.
"""

from __future__ import annotations

from .db import Connection

SCHEMA_VERSION = 1

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
}

INDEXES = {
    "events": ("action", "subject"),
    "dossiers": ("procedure_code", "state", "owner"),
    "accounts": ("owner",),
    "payments": ("payer", "dossier_code"),
    "feedback": ("dossier_code",),
    "vneid_otps": ("owner", "cccd"),
    "vneid_notifications": ("owner", "cccd"),
}


def create_all(conn: Connection) -> None:
    """Create what is missing; existing tables and rows stay as they are."""
    serial = SERIAL.get(conn.dialect, SERIAL["postgresql"])
    for table, columns in TABLES.items():
        conn.execute(f"CREATE TABLE IF NOT EXISTS {table} ({columns.format(serial=serial)})")
    for table, columns in INDEXES.items():
        for column in columns:
            conn.execute(f"CREATE INDEX IF NOT EXISTS ix_{table}_{column} ON {table} ({column})")
