"""What a learner leaves unfinished, and what the class calls them.

A phone locks, a page reloads, a kernel is culled: the learner should come back to the
step and the half-filled fields they left. Screens keep that state in ``drafts``, one
JSON row per (actor, screen), latest wins. Drafts are screen state, not actions: they
are not in the event log and graders never read them.

``learners`` holds the name each learner gave (``Bạn đang tập với tên: Lan``); joining
is an action, so it is logged (``learner.joined``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from ..errors import InvalidInput
from ..i18n import _, nfc

if TYPE_CHECKING:
    from .store import Sandbox

MAX_DRAFT = 64_000  # characters of JSON: a form, never a file
MAX_NAME = 60


class DraftDesk:
    """Per-actor screen state that survives a reload."""

    def __init__(self, box: Sandbox):
        self.box = box

    def save(self, screen_id: str, state: dict[str, Any]) -> None:
        body = json.dumps(state, ensure_ascii=False, sort_keys=True)
        if len(body) > MAX_DRAFT:
            raise ValueError(f"draft of {screen_id} is {len(body)} characters")
        row = {"actor": self.box.actor, "screen": screen_id, "state": body,
               "at_wall": datetime.now(UTC).isoformat()}
        with self.box.transaction() as tx:
            conn = tx.connection
            conn.execute("DELETE FROM drafts WHERE actor = :actor AND screen = :screen", row)
            conn.execute("INSERT INTO drafts (actor, screen, state, at_wall)"
                         " VALUES (:actor, :screen, :state, :at_wall)", row)

    def load(self, screen_id: str) -> dict[str, Any]:
        with self.box.reading() as conn:
            row = conn.execute("SELECT state FROM drafts WHERE actor = :actor"
                               " AND screen = :screen",
                               {"actor": self.box.actor, "screen": screen_id}).first()
        if row is None:
            return {}
        try:
            state = json.loads(row.state)
        except ValueError:
            return {}  # a damaged draft only costs the learner their unfinished fields
        return state if isinstance(state, dict) else {}

    def clear(self, screen_id: str) -> None:
        with self.box.transaction() as tx:
            tx.connection.execute("DELETE FROM drafts WHERE actor = :actor AND screen = :screen",
                                  {"actor": self.box.actor, "screen": screen_id})


@dataclass(frozen=True)
class Learner:
    """A person practising in this world, by the name they gave."""

    actor: str
    name: str
    joined_at: datetime


def clean_name(name: str) -> str:
    """A display name as a learner typed it, checked: NFC, spaces squeezed, 1–60 letters."""
    cleaned = " ".join(nfc(name or "").split())
    if not cleaned:
        raise InvalidInput(_("Hãy nhập tên của bạn (ví dụ: Lan)."), field="name", value=name)
    if len(cleaned) > MAX_NAME:
        raise InvalidInput(_("Tên dài quá {limit} ký tự; hãy nhập tên ngắn hơn.")
                           .format(limit=MAX_NAME), field="name", value=name)
    if not any(ch.isalpha() for ch in cleaned) or any(ch in "<>{}\\" for ch in cleaned):
        raise InvalidInput(_("Tên chỉ gồm chữ cái, khoảng trắng và dấu gạch (ví dụ: Lan, "
                             "Nguyễn Thị Lan)."), field="name", value=name)
    return cleaned


class LearnerDesk:
    """The names learners gave; the trainer's class list reads them."""

    def __init__(self, box: Sandbox):
        self.box = box

    def join(self, name: str) -> Learner:
        """Record the name ``box.actor`` practises under (again: the new name wins)."""
        cleaned = clean_name(name)
        with self.box.transaction() as tx:
            conn = tx.connection
            row = {"actor": self.box.actor, "name": cleaned, "joined_at": tx.now.isoformat()}
            conn.execute("DELETE FROM learners WHERE actor = :actor", row)
            conn.execute("INSERT INTO learners (actor, name, joined_at)"
                         " VALUES (:actor, :name, :joined_at)", row)
            tx.append("learner.joined", self.box.actor, name=cleaned)
        return Learner(self.box.actor, cleaned, datetime.fromisoformat(row["joined_at"]))

    def name_of(self, actor: str | None = None) -> str | None:
        with self.box.reading() as conn:
            row = conn.execute("SELECT name FROM learners WHERE actor = :actor",
                               {"actor": actor or self.box.actor}).first()
        return row.name if row else None

    def all(self) -> list[Learner]:
        with self.box.reading() as conn:
            rows = conn.execute("SELECT actor, name, joined_at FROM learners"
                                " ORDER BY joined_at, actor").all()
        return [Learner(r.actor, r.name, datetime.fromisoformat(r.joined_at)) for r in rows]
