"""The store's two drivers: stdlib sqlite3 for files, SQLAlchemy for server URLs.

``sqlite+pysqlite:///`` sends a file through the SQLAlchemy path, so the same world is
played through both and must come out the same.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime

import pytest

from kynangso.sandbox.db import (
    IntegrityError,
    ServerDatabase,
    SqliteDatabase,
    open_database,
    where_equal,
)
from kynangso.sandbox.store import Sandbox

START = datetime(2025, 11, 10, 8, 30)  # a Monday, office open
APPLICANT = {"ho_ten": "Nguyễn Thị Lan", "cccd": "038190999001"}


@pytest.fixture(params=["sqlite3", "sqlalchemy"])
def target(request, tmp_path):
    path = tmp_path / "world.sqlite"
    return str(path) if request.param == "sqlite3" else f"sqlite+pysqlite:///{path}"


def test_a_path_uses_the_standard_library_and_a_server_url_sqlalchemy(tmp_path):
    assert isinstance(open_database(tmp_path / "a.sqlite"), SqliteDatabase)
    assert isinstance(open_database(f"sqlite:///{tmp_path / 'b.sqlite'}"), SqliteDatabase)
    server = open_database(f"sqlite+pysqlite:///{tmp_path / 'c.sqlite'}")
    assert isinstance(server, ServerDatabase)
    server.dispose()


def test_opening_a_file_store_never_imports_sqlalchemy(tmp_path):
    code = (f"from kynangso.sandbox.store import Sandbox\n"
            f"box = Sandbox.open({str(tmp_path / 'k.sqlite')!r})\n"
            f"box.record('screen.opened', 'kiosk'); box.queue.fields(); box.dossiers.list()\n"
            f"box.feedback.list(); box.wallets.accounts(); box.vneid\n"
            f"import sys; assert not [m for m in sys.modules if m.startswith('sqlalchemy')]\n")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_where_equal_ignores_filters_left_empty():
    assert where_equal(a=None, b=None) == ("", {})
    assert where_equal(a=1, b=None, c="x") == (" WHERE a = :a AND c = :c", {"a": 1, "c": "x"})


def test_the_same_world_through_either_driver(target):
    with Sandbox.open(target, actor="an", role="resident", start=START,
                      clock_running=False) as box:
        ticket = box.queue.take(box.queue.fields()[0])
        assert ticket.number.endswith("001")
        assert box.queue.tickets(owner="an")[0].id == ticket.id

        code = box.dossiers.create("tam-tru", APPLICANT).code
        box.dossiers.submit(code)
        official = box.as_actor("can-bo", "official")
        official.dossiers.receive(code)
        assert [d.code for d in box.dossiers.list(owner="an")] == [code]
        assert box.dossiers.owner(code) == "an"

        note = box.feedback.send("Cổng chạy chậm vào buổi sáng")
        assert box.feedback.list(author="an")[0].id == note.id
        answered = official.feedback.answer(note.id, "Đã nâng cấp máy chủ")
        assert answered.answer == "Đã nâng cấp máy chủ"

        box.save_answer("q1", {"chon": ["B", "C"]})
        box.save_answer("q1", {"chon": ["C"]})
        assert box.answer("q1") == {"chon": ["C"]}

        assert [e.action for e in box.events(prefix="feedback.")] == [
            "feedback.phan-anh", "feedback.answered"]
        report = box.verify_chain()
        assert report.ok, report.problems
        assert report.count == len(box.events())


def test_a_failed_write_leaves_nothing_behind(target):
    with Sandbox.open(target) as box:
        before = len(box.events())
        with pytest.raises(RuntimeError), box.transaction() as tx:
            tx.next_in_sequence("half-done")
            tx.append("screen.opened", "half-done")
            raise RuntimeError("interrupted")
        assert len(box.events()) == before
        assert box.verify_chain().ok


def test_a_broken_key_is_one_error_whichever_driver(target):
    with Sandbox.open(target) as box:
        with pytest.raises(IntegrityError), box.transaction() as tx:
            tx.connection.execute("INSERT INTO meta (key, value) VALUES ('chain_head', 'forged')")
        assert box.verify_chain().ok


def test_an_old_store_opens_and_gets_the_new_tables(target, monkeypatch):
    """A version-1 store (no fee_codes, stalls, sales_book; the stall and the book only as
    trader.* events) gets the tables, its stall and book copied over, once."""
    from kynangso.domain.trader import shop_qr
    from kynangso.sandbox import schema
    from kynangso.sandbox.fees import FeeDesk
    from kynangso.sandbox.stalls import StallDesk

    monkeypatch.setenv("KYNANGSO_HASH_ITERATIONS", "1000")
    with Sandbox.open(target, actor="chi-lan", role="resident", start=START,
                      clock_running=False) as box:
        account = box.wallets.open_account("ngan-hang", "Nguyễn Thị Lan", balance=0,
                                           pin="135790")
        payload = shop_qr("Tạp hoá Lan", account.number)
        # What the version-1 trader screen logged, and nothing else.
        box.record("trader.stall_created", account.id, account=account.id,
                   name="Tạp hoá Lan", payload=payload)
        box.as_actor("an", "resident").record(  # not an's account: never a stall of an's
            "trader.stall_created", account.id, account=account.id, name="Quán lạ",
            payload=payload)
        box.record("trader.sales_book", account.id, day="2025-11-10",
                   sales=[["08:05", 20_000], ["08:10", 7_000]])
        box.record("trader.sales_book", account.id, day="2025-11-10", sales=[["08:05", 20_000]])
        code = box.dossiers.create("tam-tru", APPLICANT, channel="cong-dvc").code
        box.dossiers.submit(code)
        with box.transaction() as tx:
            for table in ("fee_codes", "stalls", "sales_book"):
                tx.connection.execute(f"DROP TABLE {table}")
            tx.connection.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")

    for _ in range(2):  # the second opening finds nothing left to copy
        with Sandbox.open(target, actor="chi-lan", role="resident") as box:
            with box.reading() as conn:
                version = conn.execute("SELECT value FROM meta"
                                       " WHERE key = 'schema_version'").scalar()
            assert version == str(schema.SCHEMA_VERSION) == "2"
            [stall] = StallDesk(box).stalls()
            assert (stall.account, stall.name, stall.owner, stall.payload) == (
                account.id, "Tạp hoá Lan", "chi-lan", payload)
            assert [(s.line, s.time, s.amount) for s in StallDesk(box).sales()] == [
                (1, "08:05", 20_000)]
            assert box.verify_chain().ok

    with Sandbox.open(target, actor="chi-lan", role="resident") as box:
        fee = FeeDesk(box).code_for(code)
        payer = box.wallets.open_account("zalopay", "Nguyễn Thị Lan", balance=50_000,
                                         pin="246802")
        receipt = box.wallets.pay(payer.id, fee.payload, pin="246802", idempotency_key="k")
        assert FeeDesk(box).get(code).payment_reference == receipt.reference
