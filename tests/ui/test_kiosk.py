"""Kiosk and counter screens driven in the kernel: values set, buttons clicked."""

from __future__ import annotations

from datetime import datetime

import pytest

from kynangso.sandbox.store import Sandbox
from kynangso.ui.kiosk import CounterDisplay, KioskScreen
from kynangso.ui.session import open_box


@pytest.fixture
def box(tmp_path):
    with Sandbox.open(tmp_path, start=datetime(2025, 11, 10, 8, 0), clock_running=False) as b:
        yield b


def test_screen_shows_the_practice_banner(box):
    screen = KioskScreen(box)
    assert "MÔI TRƯỜNG TẬP DƯỢT" in screen.banner.value
    assert "CCCD" in screen.banner.value


def test_taking_a_ticket_shows_number_counter_and_wait(box):
    screen = KioskScreen(box)
    screen.field_buttons[0].click()
    assert "1001" in screen.ticket_card.value
    assert "được phục vụ ngay" in screen.ticket_card.value
    assert screen.message_text.startswith("Đã in phiếu số 1001")
    assert [e.action for e in box.events()] == ["screen.opened", "queue.ticket"]


def test_second_ticket_waits_behind_the_first(box):
    KioskScreen(box).field_buttons[0].click()
    screen = KioskScreen(box)
    screen.field_buttons[0].click()
    assert "khoảng 8 phút" in screen.ticket_card.value


def test_closed_centre_gives_a_message_not_a_traceback(box):
    box.as_actor("gv", "trainer").set_clock(datetime(2025, 11, 15, 9, 0))  # Saturday
    screen = KioskScreen(box)
    screen.field_buttons[0].click()
    assert "ngoài giờ làm việc" in screen.message_text
    assert "Traceback" not in screen.message.value


def test_unexpected_error_is_friendly_and_logged(box, monkeypatch):
    screen = KioskScreen(box)
    monkeypatch.setattr(box.queue, "take", lambda field: 1 / 0)
    screen.field_buttons[0].click()
    assert "lỗi ngoài dự kiến" in screen.message_text
    assert "ZeroDivisionError" not in screen.message.value
    assert box.events(action="ui.error")[0].payload["error"].startswith("ZeroDivisionError")


def test_font_size_and_contrast_settings(box):
    screen = KioskScreen(box)
    screen.size.value = 2
    screen.contrast.value = True
    assert {"kns-size-2", "kns-contrast"} <= set(screen.widget._dom_classes)
    screen.size.value = 0
    assert "kns-size-2" not in screen.widget._dom_classes


def test_counter_calls_next_and_says_when_empty(box):
    KioskScreen(box).field_buttons[0].click()
    display = CounterDisplay(box.as_actor("cb", "official"))
    display.counter.value = 1
    display.call_button.click()
    assert display.message_text == "Mời công dân có số 1001 đến quầy 1."
    assert "1001" in display.board.value
    display.call_button.click()
    assert "không còn ai" in display.message_text


def test_counter_display_for_a_trainee_has_no_call_button(box):
    display = CounterDisplay(box)
    assert display.call_button not in display.body.children[2].children


def test_session_reads_person_from_url(tmp_path, monkeypatch):
    monkeypatch.setenv("QUERY_STRING", "nguoi=cb-lan&vai=official")
    with open_box(path=tmp_path / "s.sqlite") as b:
        assert (b.actor, b.role) == ("cb-lan", "official")
    monkeypatch.setenv("QUERY_STRING", "nguoi=<script>&vai=admin")
    with open_box(path=tmp_path / "s.sqlite") as b:
        assert (b.actor, b.role) == ("hoc-vien", "trainee")


def test_kiosk_is_a_large_touch_screen_and_the_counter_a_desktop(box):
    kiosk, counter = KioskScreen(box), CounterDisplay(box)
    assert "kns-kiosk" in kiosk.widget._dom_classes
    assert "kns-phone" not in kiosk.widget._dom_classes
    assert "kns-desktop" in counter.widget._dom_classes


def test_each_view_starts_with_a_step_heading(box):
    screen = KioskScreen(box)
    assert "Chọn lĩnh vực" in screen.body.children[0].value
    screen.field_buttons[0].click()
    assert "Số thứ tự của bạn" in screen.body.children[0].value
    assert '<h2 class="kns-step"' in CounterDisplay(box).body.children[0].value


def test_the_counter_must_be_chosen_before_calling(box):
    KioskScreen(box).field_buttons[0].click()
    display = CounterDisplay(box.as_actor("cb", "official"))
    assert display.counter.value is None and display.counter.options[0][0] == "Chưa chọn"
    display.call_button.click()
    assert display.message_text.startswith("Chưa chọn quầy")
    assert "kns-invalid" in display.counter._dom_classes
    assert box.events(action="queue.called") == []
