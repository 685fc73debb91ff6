"""The trader's phone app driven in the kernel: what issue 13 changed (images a screen reader
can name, step headings, fields marked when wrong, the open tab kept across a reload).
The stall's flow itself is tested in tests/ui/test_wallet.py."""

from __future__ import annotations

import base64
import html
import re
from datetime import datetime

import pytest

from kynangso.domain import wallets as rules
from kynangso.sandbox.store import Sandbox
from kynangso.ui.trader import TraderScreen

from helpers import click

MONDAY_8AM = datetime(2025, 11, 10, 8, 0)
PIN, TRADER_PIN = "246802", "135790"


@pytest.fixture(autouse=True)
def fast_pins(monkeypatch):
    monkeypatch.setattr(rules, "PIN_ITERATIONS", 2_000)  # the stored hash keeps the count


@pytest.fixture
def box(tmp_path):
    store = Sandbox.open(tmp_path, actor="an", role="trainee", start=MONDAY_8AM,
                         clock_running=False)
    yield store
    store.close()


@pytest.fixture
def trader(box):
    return box.as_actor("chi-lan", "trainee")


def make_stall(screen, pin=TRADER_PIN, again=None):
    screen.shop.value = "Tạp hoá Lan"
    screen.holder.value = "Nguyễn Thị Lan"
    screen.pin_new.value = pin
    screen.pin_again.value = pin if again is None else again
    click(screen.widget, "Tạo mã QR của quầy")


def img(markup):
    """(alt text, image bytes) of the one <img> in ``markup``."""
    match = re.search(r'<img class="[\w-]+" src="data:image/png;base64,([^"]+)" alt="([^"]+)"',
                      markup)
    assert match, markup[:200]
    return html.unescape(match.group(2)), base64.b64decode(match.group(1))


def test_the_qr_sign_is_an_image_with_a_text_alternative(trader):
    screen = TraderScreen(trader)
    make_stall(screen)
    alt, content = img(screen.card.value)
    assert alt == ("Biển mã QR của quầy «Tạp hoá Lan» (giả lập, không thanh toán được bằng ứng "
                   "dụng ngân hàng thật)")
    assert content == screen.card_png and content[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_takings_chart_says_what_it_shows(box, trader):
    screen = TraderScreen(trader)
    make_stall(screen)
    stall = trader.stalls.stall()
    payer = box.wallets.open_account("zalopay", "Trần Văn An", balance=100_000, pin=PIN)
    box.wallets.pay(payer.id, stall.payload, pin=PIN, amount="20.000", idempotency_key="k1")
    screen.tabs.selected_index = 1
    alt, content = img(screen.chart.value)
    assert alt.replace("\xa0", " ") == "Biểu đồ tiền nhận hôm nay theo giờ: 1 khoản, tổng 20.000 ₫"
    assert content == screen.chart_png


def test_each_view_starts_with_a_step_heading(trader):
    screen = TraderScreen(trader)
    assert screen.body.children[0].value.startswith('<h2 class="kns-step"')
    assert "Tạo mã QR cho quầy hàng" in screen.body.children[0].value
    make_stall(screen)
    assert "Quầy «Tạp hoá Lan»" in screen.body.children[0].value


def test_pin_and_amount_boxes_ask_for_a_numeric_keypad(trader):
    screen = TraderScreen(trader)
    assert {"kns-numeric", "kns-max-6"} <= set(screen.pin_new._dom_classes)
    assert {"kns-numeric", "kns-max-6"} <= set(screen.pin_again._dom_classes)
    make_stall(screen)
    assert "kns-numeric" in screen.sale_amount._dom_classes


def test_a_wrong_box_is_marked_and_the_mark_goes_on_success(trader):
    screen = TraderScreen(trader)
    make_stall(screen, again="000000")
    assert "kns-invalid" in screen.pin_again._dom_classes
    assert screen.pin_new.value == screen.pin_again.value == ""
    make_stall(screen)
    screen.sale_time.value, screen.sale_amount.value = "08:30", "20,000"
    click(screen.widget, "Ghi vào sổ")
    assert "kns-invalid" in screen.sale_amount._dom_classes
    screen.sale_amount.value = "20.000"
    click(screen.widget, "Ghi vào sổ")
    assert "kns-invalid" not in screen.sale_amount._dom_classes
    assert screen.message_text.startswith("Đã ghi dòng 1")


def test_a_reload_opens_the_tab_the_trader_was_on(trader):
    screen = TraderScreen(trader)
    make_stall(screen)
    screen.tabs.selected_index = 2
    again = TraderScreen(trader)
    assert again.tabs.selected_index == 2
    assert TraderScreen(trader.as_actor("chi-hoa", "trainee")).tab_index == 0  # per person
