"""The kiosk and counter apps in a real browser through Voila."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from browser_helpers import browser_page, open_app, screenshot
from helpers import ROOT

pytestmark = [pytest.mark.server, pytest.mark.xdist_group("voila")]

KIOSK = {"width": 1080, "height": 1920}  # the centre's standing touch screen, portrait


def test_kiosk_issues_a_ticket(apps, voila, who):
    resident = who("nguoi-dan")
    with browser_page(KIOSK) as (page, rec):
        open_app(page, voila.url("kiosk", f"nguoi={resident}"))
        # A large touch screen: no phone drawn around it, the screen's width used.
        assert page.locator(".kns-root.kns-kiosk").count() == 1
        assert page.locator(".kns-phone").count() == 0
        assert page.locator(".kns-root").bounding_box()["width"] > 900
        page.get_by_role("button", name="Hộ tịch").click()
        page.locator(".kns-ticket-number").wait_for()
        number = page.locator(".kns-ticket-number").inner_text()
        screenshot(page, "kiosk-ticket")
        # The number on screen is the one ticket the store issued to this resident.
        with apps.box() as box:
            [ticket] = box.queue.tickets(owner=resident)
        assert number == ticket.number and ticket.field == "Hộ tịch"
        assert "Quầy Hộ tịch" in page.locator(".kns-card").inner_text()
        assert rec.outside() == []
        assert rec.console_errors == [] and rec.page_errors == []


def test_counter_calls_the_ticket(apps, voila, who):
    with apps.box(who("nguoi-dan"), "resident") as box:
        # Tests do not depend on each other: this one queues its own resident, and the
        # counter calls whoever another test left waiting before them first.
        mine = box.queue.take("Cư trú")
        ahead = [t.number for t in box.queue.tickets(day=mine.day) if t.id < mine.id
                 and t.counter == mine.counter and t.status == "waiting"]
    with browser_page() as (page, rec):
        open_app(page, voila.url("counter", f"nguoi={who('cb')}&vai=official"))
        assert page.locator(".kns-root.kns-desktop").count() == 1
        page.get_by_label("Quầy của tôi").select_option(label="Quầy 2 — Quầy Cư trú")
        try:
            for number in [*ahead, mine.number]:
                page.get_by_role("button", name="Gọi số tiếp theo").click()
                page.get_by_text(f"Mời công dân có số {number} ").wait_for(timeout=60_000)
        finally:
            screenshot(page, "counter-display")
        assert mine.number in page.locator(".kns-table").inner_text()
        assert rec.outside() == [] and rec.console_errors == []


def test_source_code_is_not_shown(voila):
    import urllib.request

    html = urllib.request.urlopen(voila.url("kiosk"), timeout=60).read().decode()
    assert "kiosk_app()" not in html and "cdn.jsdelivr" not in html


def test_page_head_asks_for_our_script_and_style_sheet_only(voila):
    import urllib.request

    html = urllib.request.urlopen(voila.url("portal"), timeout=60).read().decode()
    head = html[:html.index("</head>")]
    assert '<html lang="vi">' in head
    assert re.findall(r'<script[^>]* src="([^"]+)"', head) == [
        "/voila/templates/kynangso/static/kns-voila.js"]
    assert re.findall(r'<link rel="stylesheet" href="([^"]+)"', head) == [
        "/voila/templates/kynangso/static/kns-voila.css"]
    assert "/voila/static/" not in html and "voila-style" not in html


def test_kernels_talk_over_unix_sockets_not_tcp_ports(voila):
    # `make apps` starts a kernel per app at once; with TCP, two kernels could pick the
    # same free port and one died before its page was asked for (seen in a test run).
    import json

    import psutil

    for child in psutil.Process(voila.proc.pid).children(recursive=True):
        try:
            argv = child.cmdline()
            if "ipykernel_launcher" not in " ".join(argv):
                continue
            connection = json.loads(Path(argv[argv.index("-f") + 1]).read_text())
        except (psutil.Error, OSError):
            continue  # a kernel shutting down meanwhile (another test's page closed)
        assert connection["transport"] == "ipc"
        return
    raise AssertionError("no kernel running")


def test_kiosk_works_from_the_keyboard_alone(voila, who):
    with browser_page({"width": 480, "height": 900}) as (page, rec):
        open_app(page, voila.url("kiosk", f"nguoi={who('nguoi-dan')}"))
        focused = ""
        for _ in range(40):  # Tab through the settings to the first field button
            page.keyboard.press("Tab")
            focused = page.evaluate("() => document.activeElement.textContent.trim()")
            if focused == "Hộ tịch":
                break
        assert focused == "Hộ tịch"
        page.keyboard.press("Enter")
        page.locator(".kns-ticket-number").wait_for()
        assert rec.console_errors == [] and rec.page_errors == []


def kill_page_kernel(page, voila) -> None:
    """Kill the kernel behind an open page, as a crash would."""
    import psutil

    kernel_id = page.evaluate(
        "JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId")
    kernel = next(p for p in psutil.Process(voila.proc.pid).children(recursive=True)
                  if f"kernel-{kernel_id}.json" in " ".join(p.cmdline()))
    kernel.kill()


def test_a_kernel_that_dies_under_an_open_page_is_announced(voila, who):
    resident = who("nguoi-dan")
    with browser_page({"width": 480, "height": 900}) as (page, rec):
        open_app(page, voila.url("kiosk", f"nguoi={resident}"))
        kill_page_kernel(page, voila)
        notice = page.locator("#kns-connection")
        # One button to reload (the page script's words, frontend/src/index.js).
        notice.get_by_role("button", name="Tải lại trang").wait_for(timeout=60_000)
        message = notice.inner_text()
        screenshot(page, "page-script-kernel-lost")
        assert "vẫn còn" in message or "quay về đúng bước" in message
        open_app(page, voila.url("kiosk", f"nguoi={resident}"))  # a fresh kernel, same store
        assert page.locator("#kns-connection").count() == 0
        page.get_by_role("button", name="Hộ tịch").click()
        page.locator(".kns-ticket-number").wait_for()
    assert rec.page_errors == []
    assert not [e for e in rec.console_errors if "Kỹ Năng Số" in e]


def test_the_page_scripts_notice_follows_the_language_switch(voila, who):
    with browser_page({"width": 480, "height": 900}) as (page, rec):
        open_app(page, voila.url("kiosk", f"nguoi={who('nguoi-dan')}"))
        page.get_by_role("combobox").last.select_option(label="English")
        page.locator(".kns-lang-en").wait_for()
        kill_page_kernel(page, voila)
        notice = page.locator("#kns-connection")
        notice.get_by_role("button", name="Reload page").wait_for(timeout=60_000)
        assert "Press “Reload page”" in notice.inner_text()
        assert "tải lại" not in notice.inner_text().lower()
    assert rec.page_errors == []


@pytest.mark.parametrize("app", sorted(p.stem for p in (ROOT / "apps").glob("*.ipynb")))
def test_each_app_fetches_its_page_its_script_and_its_style_sheet_only(voila, app):
    # JupyterLab's front end (Voila's bundle, lab extensions, themes) is never asked for.
    with browser_page() as (page, rec):
        open_app(page, voila.url(app))
        page.wait_for_timeout(500)
        # What the page asked for to show itself; leaving it asks once more (its kernel's
        # shutdown, test_kernels_browser).
        http = [u for u in rec.requests if u.startswith("http")]
    static = f"{voila.base}/voila/templates/kynangso/static/"
    assert sorted(set(http)) == sorted(
        {voila.url(app), static + "kns-voila.css", static + "kns-voila.js"})
    assert rec.console_errors == [] and rec.page_errors == []
