"""The kiosk and counter apps in a real browser through Voila."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from browser_helpers import VoilaServer, browser_page, open_app, screenshot
from helpers import ROOT

pytestmark = [pytest.mark.server, pytest.mark.xdist_group("voila")]


@pytest.fixture(scope="module")
def voila(tmp_path_factory):
    store = tmp_path_factory.mktemp("kiosk") / "sandbox.sqlite"
    # A world frozen at Monday 08:00 so the kiosk is open whatever the real time is.
    from datetime import datetime

    from kynangso.sandbox.store import Sandbox

    Sandbox.open(store, start=datetime(2025, 11, 10, 8, 0), clock_running=False).close()
    with VoilaServer(store) as server:
        server.box = lambda: Sandbox.open(store, actor="nguoi-dan", role="resident")
        yield server


def test_kiosk_issues_a_ticket(voila):
    with voila.box() as box:
        expected = f"{len(box.queue.tickets()) + 1001}"
    with browser_page({"width": 480, "height": 900}) as (page, rec):
        open_app(page, voila.url("kiosk"))
        page.get_by_role("button", name="Hộ tịch").click()
        page.locator(".kns-ticket-number").wait_for()
        number = page.locator(".kns-ticket-number").inner_text()
        screenshot(page, "kiosk-ticket")
        assert number == expected
        assert "Quầy Hộ tịch" in page.locator(".kns-card").inner_text()
        assert rec.outside() == []
        assert rec.console_errors == [] and rec.page_errors == []


def test_counter_calls_the_ticket(voila):
    with voila.box() as box:
        # Tests do not depend on each other: this one queues its own resident.
        waiting = box.queue.take("Cư trú").number
    with browser_page() as (page, rec):
        open_app(page, voila.url("counter", "nguoi=cb-lan&vai=official"))
        page.get_by_label("Quầy của tôi").select_option(label="Quầy 2 — Quầy Cư trú")
        page.get_by_role("button", name="Gọi số tiếp theo").click()
        try:
            page.get_by_text("Mời công dân có số").wait_for(timeout=60_000)
        finally:
            screenshot(page, "counter-display")
        assert waiting in page.locator(".kns-table").inner_text()
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


def test_kernels_do_not_pile_up(voila):
    baseline = voila.kernels()
    with browser_page() as (page, _):
        for _ in range(10):
            open_app(page, voila.url("kiosk"))
        page.goto("about:blank")
    deadline = time.monotonic() + 90
    while voila.kernels() > baseline + 1 and time.monotonic() < deadline:
        time.sleep(2)
    assert voila.kernels() <= baseline + 1


def test_kernels_talk_over_unix_sockets_not_tcp_ports(voila):
    # `make apps` starts a kernel per app at once; with TCP, two kernels could pick the
    # same free port and one died before its page was asked for (seen in a test run).
    import json

    import psutil

    for child in psutil.Process(voila.proc.pid).children(recursive=True):
        argv = child.cmdline()
        if "ipykernel_launcher" in " ".join(argv):
            connection = json.loads(Path(argv[argv.index("-f") + 1]).read_text())
            assert connection["transport"] == "ipc"
            return
    raise AssertionError("no kernel running")


def test_kiosk_works_from_the_keyboard_alone(voila):
    with browser_page({"width": 480, "height": 900}) as (page, rec):
        open_app(page, voila.url("kiosk"))
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


def test_a_kernel_that_dies_under_an_open_page_is_announced(voila):
    import psutil

    with browser_page({"width": 480, "height": 900}) as (page, rec):
        open_app(page, voila.url("kiosk"))
        kernel_id = page.evaluate(
            "JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId")
        kernel = next(p for p in psutil.Process(voila.proc.pid).children(recursive=True)
                      if f"kernel-{kernel_id}.json" in " ".join(p.cmdline()))
        kernel.kill()
        notice = page.locator("#kns-connection")
        notice.wait_for(state="visible", timeout=60_000)
        message = notice.inner_text()
        screenshot(page, "page-script-kernel-lost")
        assert "tải lại trang (F5)" in message and "vẫn còn" in message
        open_app(page, voila.url("kiosk"))  # a reload: a fresh kernel, the same store
        assert page.locator("#kns-connection").count() == 0
        page.get_by_role("button", name="Hộ tịch").click()
        page.locator(".kns-ticket-number").wait_for()
    assert rec.page_errors == []
    assert not [e for e in rec.console_errors if "Kỹ Năng Số" in e]


@pytest.mark.parametrize("app", sorted(p.stem for p in (ROOT / "apps").glob("*.ipynb")))
def test_each_app_fetches_its_page_its_script_and_its_style_sheet_only(voila, app):
    # JupyterLab's front end (Voila's bundle, lab extensions, themes) is never asked for.
    with browser_page() as (page, rec):
        open_app(page, voila.url(app))
        page.wait_for_timeout(500)
    static = f"{voila.base}/voila/templates/kynangso/static/"
    http = [u for u in rec.requests if u.startswith("http")]
    assert sorted(set(http)) == sorted(
        {voila.url(app), static + "kns-voila.css", static + "kns-voila.js"})
    assert rec.console_errors == [] and rec.page_errors == []
