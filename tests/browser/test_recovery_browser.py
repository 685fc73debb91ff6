"""Apps that survive real conditions: a kernel that is gone is said in Vietnamese with
one button to reload, and the reload brings the learner back; a connection lost for a
while (a phone locked, a Wi-Fi drop) comes back by itself."""

from __future__ import annotations

import time

import pytest

from browser_helpers import TcpProxy, browser_page, open_app

pytestmark = [pytest.mark.server, pytest.mark.xdist_group("voila")]

PAGE_CONFIG = "JSON.parse(document.getElementById('jupyter-config-data').textContent)"
GONE = "Ứng dụng đã dừng"


def stop_kernel(page) -> None:
    """What the culler does to a page left alone too long: the kernel goes away."""
    page.evaluate(f"""async () => {{
        const page = {PAGE_CONFIG};
        const token = document.cookie.match(/_xsrf=([^;]*)/)[1];
        await fetch(`${{page.baseUrl}}voila/api/shutdown/${{page.kernelId}}`,
                    {{method: 'POST', headers: {{'X-XSRFToken': decodeURIComponent(token)}}}});
    }}""")


def test_a_gone_kernel_gets_one_button_that_brings_the_learner_back(voila, who):
    person = who("tnv")
    with browser_page({"width": 390, "height": 844}) as (page, record):
        open_app(page, voila.url("kiosk", f"nguoi={person}"))
        first = page.evaluate(f"{PAGE_CONFIG}.kernelId")
        stop_kernel(page)
        notice = page.locator("#kns-connection")
        notice.get_by_text(GONE).wait_for(timeout=60_000)
        button = notice.get_by_role("button", name="Tải lại trang")
        assert button.count() == 1
        page.wait_for_function("document.activeElement && "
                               "document.activeElement.classList.contains('kns-reload')")
        button.click()
        page.locator(".kns-app-kiosk").wait_for(timeout=90_000)
        assert page.evaluate(f"{PAGE_CONFIG}.kernelId") != first
        page.get_by_text(f"Bạn đang tập với tên: {person}").wait_for()
        assert not record.page_errors


def test_a_connection_lost_for_90_seconds_comes_back_by_itself(voila, who):
    proxy = TcpProxy(voila.port)
    try:
        with browser_page({"width": 390, "height": 844}) as (page, record):
            open_app(page, proxy.url(f"/voila/render/kiosk.ipynb?nguoi={who('tnv')}"))
            proxy.cut()
            page.locator("#kns-connection").get_by_text("Mất kết nối").wait_for(timeout=30_000)
            time.sleep(90)  # the figure: a phone locked while a volunteer explains
            proxy.restore()
            page.locator("#kns-connection").wait_for(state="detached", timeout=60_000)
            page.get_by_role("button", name="A++").click()  # the kernel answers again
            page.locator(".kns-root.kns-size-2").wait_for()
            assert not record.page_errors
    finally:
        proxy.close()
