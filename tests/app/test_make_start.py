"""`make start` serves the lab: the real command, on a free port, over HTTP."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import time
import urllib.error
import urllib.request

import pytest

from helpers import ROOT, free_port

TOKEN = "kynangso-test-token"
pytestmark = [pytest.mark.server, pytest.mark.xdist_group("servers")]


def _get(url: str, timeout: float = 5) -> tuple[int, str, str]:
    request = urllib.request.Request(url, headers={"Authorization": f"token {TOKEN}"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return response.status, response.geturl(), response.read().decode("utf-8")


@pytest.fixture(scope="module")
def lab():
    port = free_port()
    # `make lab` is the recipe `make start` runs, minus nothing: start depends on it alone.
    proc = subprocess.Popen(
        ["make", "--no-print-directory", "start", f"PORT={port}",
         f"LAB_ARGS=--IdentityProvider.token={TOKEN}"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        start_new_session=True, env={**os.environ, "JUPYTER_CONFIG_DIR": str(ROOT / ".venv"
                                                                            / "test-config")})
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180
    try:
        while True:
            if proc.poll() is not None:
                pytest.fail(f"make start exited early:\n{proc.stdout.read()}")
            try:
                _get(f"{base}/api/status")
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if time.monotonic() > deadline:
                    pytest.fail("make start did not serve within 180 s")
                time.sleep(0.5)
        yield base
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


def test_root_opens_the_curriculum_index(lab):
    status, url, _ = _get(f"{lab}/")
    assert status == 200
    assert url.endswith("/lab/tree/notebooks/index.ipynb")


def test_lab_page_is_served(lab):
    status, _, html = _get(f"{lab}/lab")
    assert status == 200 and "JupyterLab" in html


def test_index_notebook_is_served(lab):
    _, _, body = _get(f"{lab}/api/contents/notebooks/index.ipynb")
    notebook = json.loads(body)["content"]
    assert "Mục lục" in "".join(notebook["cells"][0]["source"])


def test_vietnamese_is_the_default_language(lab):
    _, _, body = _get(f"{lab}/lab/api/settings/@jupyterlab/translation-extension:plugin")
    # The overrides file sets the default; a trainer's own choice still wins.
    assert json.loads(body)["schema"]["properties"]["locale"]["default"] == "vi_VN"
    _, _, packs = _get(f"{lab}/lab/api/translations/")
    assert "vi_VN" in json.loads(packs)["data"]


def test_voila_is_enabled(lab):
    status, _, html = _get(f"{lab}/voila/tree/")
    assert status == 200 and "voila" in html.lower()


def test_nbgrader_extensions_are_enabled(lab):
    _, _, html = _get(f"{lab}/lab")
    config = html[html.index('id="jupyter-config-data"'):]
    assert "@jupyter/nbgrader" in config or "nbgrader" in config


def test_apps_render_through_the_lab_with_the_offline_template(lab):
    status, _, html = _get(f"{lab}/voila/render/apps/kiosk.ipynb", timeout=120)
    assert status == 200
    assert "cdn.jsdelivr" not in html and "kiosk_app()" not in html
    # The page's own script and style sheet are served under the lab's base URL too.
    assets = re.findall(r'(?:src|href)="([^"]*/voila/templates/kynangso/static/[^"]+)"', html)
    assert len(assets) == 2
    for href in assets:
        assert _get(f"{lab}{href}" if href.startswith("/") else href)[0] == 200


def test_an_app_linked_from_the_index_works_through_the_lab_in_a_browser(lab):
    # The lab's index links apps to its own Voila: the page script must reach the kernel
    # through the lab's server, signed in by the lab's cookie.
    from browser_helpers import browser_page, open_app

    with browser_page({"width": 480, "height": 900}) as (page, rec):
        # The token signs the page in and leaves the lab's cookie, as a trainee's lab has.
        open_app(page, f"{lab}/voila/render/apps/kiosk.ipynb?token={TOKEN}")
        page.get_by_role("button", name="A+", exact=True).click()  # the kernel answers
        page.locator(".kns-root.kns-size-1").wait_for()
    assert rec.console_errors == [] and rec.page_errors == [] and rec.outside() == []
