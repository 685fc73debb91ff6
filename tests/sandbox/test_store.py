"""The sandbox store: re-opening keeps data, the log is a tamper-evident chain,
concurrent writers lose nothing, and the clock only moves forward for a trainer."""

from __future__ import annotations

import multiprocessing
import sqlite3
from datetime import datetime

import pytest

from kynangso.errors import InvalidInput, MissingEntry
from kynangso.sandbox.db import store_url
from kynangso.sandbox.store import Sandbox

START = datetime(2025, 11, 10, 8, 0)


@pytest.fixture
def store_path(tmp_path):
    return tmp_path / "world.sqlite"


def test_open_by_folder_uses_default_file(tmp_path):
    assert store_url(tmp_path).endswith("/kynangso.sqlite")


def test_open_by_url(tmp_path):
    url = f"sqlite:///{tmp_path / 'by-url.sqlite'}"
    with Sandbox.open(url) as box:
        box.record("screen.opened", "vneid")
    assert (tmp_path / "by-url.sqlite").exists()


def test_reopening_never_wipes(store_path):
    with Sandbox.open(store_path, start=START) as box:
        box.record("screen.opened", "portal")
        box.save_answer("q1", "B")
    with Sandbox.open(store_path, start=datetime(2030, 1, 1)) as box:
        assert [e.action for e in box.events()] == ["screen.opened", "answer.saved"]
        assert box.answer("q1") == "B"
        # A later start does not reset the clock of an existing world.
        assert box.now() < datetime(2030, 1, 1)


def test_sqlite_store_uses_wal(store_path):
    Sandbox.open(store_path).close()
    with sqlite3.connect(store_path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_events_record_who_what_and_when(store_path):
    with Sandbox.open(store_path, actor="an", role="trainee", start=START,
                      clock_running=False) as box:
        event = box.record("portal.search", "trang-chu", query="hộ chiếu", results=[])
    assert (event.seq, event.actor, event.role, event.action) == (1, "an", "trainee",
                                                                  "portal.search")
    assert (event.subject, event.at_sim) == ("trang-chu", START)
    assert event.payload == {"query": "hộ chiếu", "results": []}
    assert event.at_wall.endswith("+00:00")


def test_empty_action_is_refused(store_path):
    with Sandbox.open(store_path) as box, pytest.raises(InvalidInput) as err:
        box.record("  ")
    assert err.value.field == "action"


def test_unknown_role_is_refused_in_vietnamese(store_path):
    with pytest.raises(InvalidInput, match="vai trò") as refused:
        Sandbox.open(store_path, role="admin")
    assert "admin" not in str(refused.value) and refused.value.value == "admin"


def test_missing_answer_raises_missing_entry(store_path):
    with Sandbox.open(store_path) as box, pytest.raises(MissingEntry, match="q9"):
        box.answer("q9")


def test_answers_are_per_actor_and_latest_wins(store_path):
    with Sandbox.open(store_path, actor="an") as box:
        box.save_answer("q1", "A")
        box.save_answer("q1", "C")
        other = box.as_actor("binh", "trainee")
        other.save_answer("q1", "D")
        assert box.answer("q1") == "C"
        assert box.answer("q1", actor="binh") == "D"


def _world(path, n=5):
    # The chain's mechanics, not the vocabulary: a made-up "step" event is fine here.
    with Sandbox.open(path, strict_events=False) as box:
        for i in range(n):
            box.record("step", str(i), i=i)


def test_intact_chain_verifies(store_path):
    _world(store_path)
    with Sandbox.open(store_path) as box:
        report = box.verify_chain()
    assert report.ok and report.count == 5 and not report.problems


def test_edited_event_is_detected(store_path):
    _world(store_path)
    with sqlite3.connect(store_path) as conn:
        conn.execute("UPDATE events SET payload = '{\"i\":99}' WHERE seq = 3")
    with Sandbox.open(store_path) as box:
        report = box.verify_chain()
    assert not report.ok
    assert any("số 3" in p and "bị sửa" in p for p in report.problems)


def test_deleted_event_is_detected(store_path):
    _world(store_path)
    with sqlite3.connect(store_path) as conn:
        conn.execute("DELETE FROM events WHERE seq = 2")
    with Sandbox.open(store_path) as box:
        report = box.verify_chain()
    assert not report.ok
    assert any("Thiếu sự kiện số 2" in p for p in report.problems)


def test_truncated_log_is_detected(store_path):
    _world(store_path)
    with sqlite3.connect(store_path) as conn:
        conn.execute("DELETE FROM events WHERE seq = 5")
    with Sandbox.open(store_path) as box:
        report = box.verify_chain()
    assert not report.ok
    assert any("số 4" in p for p in report.problems)


def test_rehashed_forgery_is_detected(store_path):
    """Editing an event and recomputing its own hash still breaks the next link."""
    from kynangso.sandbox.store import event_hash

    _world(store_path)
    with sqlite3.connect(store_path) as conn:
        row = conn.execute("SELECT seq, at_sim, at_wall, actor, role, action, subject, "
                           "prev_hash FROM events WHERE seq = 2").fetchone()
        forged = '{"i":42}'
        digest = event_hash(row[7], seq=row[0], at_sim=row[1], at_wall=row[2], actor=row[3],
                            role=row[4], action=row[5], subject=row[6], payload=forged)
        conn.execute("UPDATE events SET payload = ?, hash = ? WHERE seq = 2", (forged, digest))
    with Sandbox.open(store_path) as box:
        report = box.verify_chain()
    assert any("số 3" in p for p in report.problems)


def _writer(path: str, who: str, n: int) -> None:
    with Sandbox.open(path, actor=who, strict_events=False) as box:
        for i in range(n):
            box.record("step", who, i=i)
            box.save_answer(f"{who}-{i}", i)


def test_concurrent_processes_lose_no_rows(store_path):
    Sandbox.open(store_path).close()
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_writer, args=(str(store_path), f"w{k}", 40)) for k in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
        assert p.exitcode == 0
    with Sandbox.open(store_path) as box:
        events = box.events()
        report = box.verify_chain()
    assert len(events) == 4 * 40 * 2
    assert [e.seq for e in events] == list(range(1, 321))
    assert report.ok, report.problems
    for k in range(4):
        assert sorted(e.payload["i"] for e in events
                      if e.subject == f"w{k}" and e.action == "step") == list(range(40))


def test_clock_runs_from_start(store_path):
    with Sandbox.open(store_path, start=START) as box:
        assert START <= box.now() < datetime(2025, 11, 10, 8, 5)


def test_trainer_moves_clock_forward(store_path):
    with Sandbox.open(store_path, start=START, clock_running=False) as box:
        trainer = box.as_actor("gv", "trainer")
        assert trainer.advance_clock(days=3) == datetime(2025, 11, 13, 8, 0)
        assert box.now() == datetime(2025, 11, 13, 8, 0)
        assert trainer.set_clock(datetime(2025, 11, 20, 9, 30)) == box.now()
        assert [e.action for e in box.events()] == ["clock.advanced", "clock.set"]


def test_trainee_cannot_move_clock(store_path):
    with Sandbox.open(store_path) as box, pytest.raises(InvalidInput, match="giảng viên"):
        box.advance_clock(days=1)


def test_clock_never_goes_back(store_path):
    with Sandbox.open(store_path, role="trainer", start=START, clock_running=False) as box:
        with pytest.raises(InvalidInput, match="lùi"):
            box.set_clock(datetime(2025, 1, 1))
        with pytest.raises(InvalidInput, match="tiến"):
            box.advance_clock(days=-1)
        assert box.now() == START


def test_an_open_reader_does_not_block_a_writer(store_path):
    with Sandbox.open(store_path) as box:
        box.record("screen.opened", "before")
        with box.reading() as reader:
            reader.execute("SELECT count(*) FROM events").scalar()
            # A read transaction is open; a write must still go through at once.
            box.record("screen.opened", "while-reading")
        assert [e.subject for e in box.events()] == ["before", "while-reading"]
