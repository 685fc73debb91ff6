"""A trader's stall and sales book as sandbox rows (kynangso.sandbox.stalls)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from kynangso.domain import wallets as rules
from kynangso.errors import InvalidInput
from kynangso.sandbox.activity import activity_of
from kynangso.sandbox.stalls import StallDesk
from kynangso.sandbox.store import Sandbox

MONDAY_8AM = datetime(2025, 11, 10, 8, 0)
PIN = "135790"


@pytest.fixture
def trader(tmp_path, monkeypatch):
    monkeypatch.setenv("KYNANGSO_HASH_ITERATIONS", "1000")
    with Sandbox.open(tmp_path, actor="chi-lan", start=MONDAY_8AM, clock_running=False) as box:
        yield box


@pytest.fixture
def account(trader):
    return trader.wallets.open_account("ngan-hang", "Nguyễn Thị Lan", balance=0, pin=PIN)


def test_a_stall_is_a_row_with_its_static_code(trader, account):
    desk = StallDesk(trader)
    assert desk.stall() is None
    stall = desk.open("  Tạp hoá Lan ", account.id)
    assert (stall.account, stall.name, stall.owner, stall.created_at) == (
        account.id, "Tạp hoá Lan", "chi-lan", MONDAY_8AM)
    request = rules.payment_request(stall.payload)
    assert request.static and request.bank.training and request.account == account.number
    [event] = trader.events(action="trader.stall_created")
    assert event.payload == {"account": account.id, "name": "Tạp hoá Lan",
                             "payload": stall.payload}
    assert desk.stalls() == [stall] and desk.stall() == stall


def test_making_the_stall_again_on_the_same_account_replaces_it(trader, account):
    desk = StallDesk(trader)
    desk.open("Tạp hoá Lan", account.id)
    second = trader.wallets.open_account("zalopay", "Nguyễn Thị Lan", balance=0, pin=PIN)
    desk.open("Rau sạch Lan", second.id)
    desk.open("Tạp hoá Lan 2", account.id)
    assert [s.name for s in desk.stalls()] == ["Rau sạch Lan", "Tạp hoá Lan 2"]
    assert desk.stall().name == "Tạp hoá Lan 2"
    assert StallDesk(trader).stalls(owner="someone-else") == []


def test_a_stall_needs_a_short_name_and_the_traders_own_account(trader, account):
    desk = StallDesk(trader)
    with pytest.raises(InvalidInput) as err:
        desk.open("Cửa hàng tạp hoá và văn phòng phẩm Lan", account.id)
    assert err.value.field == "ten_cua_hang"
    other = trader.as_actor("an", "trainee")
    with pytest.raises(InvalidInput, match="của người khác") as err:
        StallDesk(other).open("Quán An", account.id)
    assert err.value.field == "tai_khoan"
    assert desk.stalls() == [] and trader.events(action="trader.stall_created") == []


def test_the_sales_book_is_rows_a_page_per_day(trader, account):
    desk = StallDesk(trader)
    with pytest.raises(InvalidInput, match="Quầy chưa có mã QR"):
        desk.add_sale("08:05", "20.000")
    desk.open("Tạp hoá Lan", account.id)
    first = desk.add_sale("08:05", "20.000")
    desk.add_sale("9h", 15_000)
    assert (first.line, first.time, first.amount, first.day, first.account) == (
        1, "08:05", 20_000, date(2025, 11, 10), account.id)
    assert [(s.line, s.time, s.amount) for s in desk.sales()] == [
        (1, "08:05", 20_000), (2, "9h", 15_000)]
    assert desk.remove_last_sale().time == "9h"
    assert [s.time for s in desk.sales(day=date(2025, 11, 10))] == ["08:05"]
    pages = [e.payload for e in trader.events(action="trader.sales_book")]
    assert pages[-1] == {"day": "2025-11-10", "sales": [["08:05", 20_000]]}
    assert len(pages) == 3

    trader.as_actor("gv", "trainer").advance_clock(days=1)
    assert desk.sales(day=date(2025, 11, 11)) == []
    with pytest.raises(InvalidInput, match="chưa có dòng nào để xóa"):
        desk.remove_last_sale()
    desk.add_sale("07:00", "5.000")
    assert [s.day.day for s in desk.sales()] == [10, 11]


@pytest.mark.parametrize(("when", "amount", "field"), [
    ("25:00", "20.000", "thoi_gian"), ("08:30", "", "so_tien"), ("08:30", "20,000", "so_tien")])
def test_a_bad_line_is_refused_and_nothing_written(trader, account, when, amount, field):
    desk = StallDesk(trader)
    desk.open("Tạp hoá Lan", account.id)
    with pytest.raises(InvalidInput) as err:
        desk.add_sale(when, amount)
    assert desk.sales() == [] and trader.events(action="trader.sales_book") == []
    assert err.value.field == field


def test_activity_reports_the_stall_and_the_book(trader, account):
    desk = StallDesk(trader)
    desk.open("Tạp hoá Lan", account.id)
    desk.add_sale("08:05", "20.000")
    act = activity_of(trader, "chi-lan")
    assert [s.name for s in act.stalls] == ["Tạp hoá Lan"]
    assert [(s.time, s.amount) for s in act.sales_on(date(2025, 11, 10))] == [("08:05", 20_000)]
    assert activity_of(trader, "an").stalls == ()
