"""Tables of the sandbox store (SQLAlchemy Core, so SQLite and PostgreSQL both work).

Rows hold the current state; ``events`` holds every action, append-only and
hash-chained. New tables may be added later; ``create_all`` adds missing ones to an
existing store without touching its rows.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

SCHEMA_VERSION = 1

metadata = MetaData()

meta = Table(
    "meta", metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

events = Table(
    "events", metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("at_sim", String(32), nullable=False),
    Column("at_wall", String(40), nullable=False),
    Column("actor", String(100), nullable=False),
    Column("role", String(32), nullable=False),
    Column("action", String(64), nullable=False, index=True),
    Column("subject", String(100), index=True),
    Column("payload", Text, nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
)

sequences = Table(
    "sequences", metadata,
    Column("scope", String(100), primary_key=True),
    Column("value", Integer, nullable=False),
)

dossiers = Table(
    "dossiers", metadata,
    Column("code", String(40), primary_key=True),
    Column("procedure_code", String(64), nullable=False, index=True),
    Column("state", String(32), nullable=False, index=True),
    Column("channel", String(16), nullable=False),
    Column("owner", String(100), nullable=False, index=True),
    Column("data", JSON, nullable=False),
    Column("updated_at_sim", String(32), nullable=False),
)

queue_tickets = Table(
    "queue_tickets", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("number", String(16), nullable=False),
    Column("day", String(10), nullable=False),
    Column("field", String(64), nullable=False),
    Column("counter", Integer, nullable=False),
    Column("status", String(16), nullable=False),
    Column("issued_at", String(32), nullable=False),
    Column("called_at", String(32)),
    Column("estimated_wait_min", Integer, nullable=False),
    Column("owner", String(100), nullable=False),
    UniqueConstraint("day", "number"),
)

accounts = Table(
    "accounts", metadata,
    Column("id", String(64), primary_key=True),
    Column("owner", String(100), nullable=False, index=True),
    Column("app", String(32), nullable=False),
    Column("bank_bin", String(6), nullable=False),
    Column("number", String(19), nullable=False),
    Column("holder_name", String(100), nullable=False),
    Column("balance", BigInteger, nullable=False),
    Column("pin_hash", String(128)),
    Column("failed_pins", Integer, nullable=False, default=0),
    Column("locked", Boolean, nullable=False, default=False),
)

payments = Table(
    "payments", metadata,
    Column("reference", String(32), primary_key=True),
    Column("idempotency_key", String(100), nullable=False, unique=True),
    Column("payer", String(100), nullable=False, index=True),
    Column("app", String(32), nullable=False),
    Column("payee_bin", String(6), nullable=False),
    Column("payee_account", String(19), nullable=False),
    Column("payee_name", String(100)),
    Column("amount", BigInteger, nullable=False),
    Column("purpose", String(100)),
    Column("dossier_code", String(40), index=True),
    Column("status", String(16), nullable=False),
    Column("at_sim", String(32), nullable=False),
)

feedback = Table(
    "feedback", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(16), nullable=False),
    Column("dossier_code", String(40), index=True),
    Column("rating", Integer),
    Column("text", Text, nullable=False),
    Column("author", String(100), nullable=False),
    Column("created_at", String(32), nullable=False),
    Column("answer", Text),
    Column("answered_by", String(100)),
    Column("answered_at", String(32)),
)

answers = Table(
    "answers", metadata,
    Column("actor", String(100), primary_key=True),
    Column("question", String(100), primary_key=True),
    Column("value", JSON, nullable=False),
    Column("at_sim", String(32), nullable=False),
)

# VNeID simulator (sandbox/vneid.py). One account per (owner, CCCD): trainees sharing a
# classroom store may each activate the same practice persona on their own "phone".
vneid_accounts = Table(
    "vneid_accounts", metadata,
    Column("owner", String(100), primary_key=True),
    Column("cccd", String(12), primary_key=True),
    Column("status", String(16), nullable=False),  # pending | active
    Column("phone", String(10), nullable=False),
    Column("level", Integer, nullable=False),
    Column("profile", JSON, nullable=False),
    Column("password_hash", String(160)),
    Column("passcode_hash", String(160)),
    Column("device", String(64)),
    Column("failed_logins", Integer, nullable=False, default=0),
    Column("failed_passcodes", Integer, nullable=False, default=0),
    Column("locked_until", String(32)),
    Column("activated_at", String(32)),
)

vneid_otps = Table(
    "vneid_otps", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("owner", String(100), nullable=False, index=True),
    Column("cccd", String(12), nullable=False, index=True),
    Column("purpose", String(16), nullable=False),
    Column("device", String(64)),
    Column("code_hash", String(160), nullable=False),
    Column("issued_at", String(32), nullable=False),
    Column("expires_at", String(32), nullable=False),
    Column("failed", Integer, nullable=False, default=0),
    Column("status", String(16), nullable=False),
)

# Biometric enrolment at the police (level 2), recorded by an official or trainer.
vneid_enrolments = Table(
    "vneid_enrolments", metadata,
    Column("cccd", String(12), primary_key=True),
    Column("level", Integer, nullable=False),
    Column("at_sim", String(32), nullable=False),
    Column("by", String(100), nullable=False),
)

# owner NULL: a notice to whoever holds an account for this CCCD.
vneid_notifications = Table(
    "vneid_notifications", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("owner", String(100), index=True),
    Column("cccd", String(12), nullable=False, index=True),
    Column("at_sim", String(32), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("title", String(200), nullable=False),
    Column("text", Text, nullable=False),
)
