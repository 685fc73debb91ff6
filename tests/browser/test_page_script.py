"""The apps' own page script (frontend/) on a broken notebook: a widget it does not
carry, a cell that fails. (A kernel that dies under an open page: test_kiosk_browser.)"""

from __future__ import annotations

import os
import signal
import subprocess

import nbformat
import pytest

from browser_helpers import _wait_http, browser_page, screenshot
from helpers import ROOT, free_port

pytestmark = [pytest.mark.server, pytest.mark.xdist_group("voila")]

BROKEN_CELLS = [
    "import ipywidgets\nipywidgets.Output()",  # a widget module the page does not bundle
    "print('Xin chào, đây là một dòng chữ')",
    "1 / 0",
]


@pytest.fixture(scope="module")
def broken(tmp_path_factory):
    """Voila with the project's template and configuration over a broken notebook."""
    folder = tmp_path_factory.mktemp("broken")
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in BROKEN_CELLS])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nbformat.write(nb, folder / "broken.ipynb")
    port = free_port()
    env = {**os.environ, "JUPYTER_PATH": str(ROOT / "share" / "jupyter"),
           "JUPYTER_CONFIG_DIR": str(folder / "jupyter-config")}
    proc = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "voila"), str(folder / "broken.ipynb"), "--no-browser",
         f"--port={port}", "--Voila.ip=127.0.0.1",
         f"--Voila.config_file_paths=['{ROOT / 'etc' / 'voila'}']",
         "--VoilaConfiguration.preheat_kernel=False"],
        cwd=folder, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
        start_new_session=True)
    try:
        _wait_http(f"http://127.0.0.1:{port}/", proc)
        yield f"http://127.0.0.1:{port}/"
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(30)


def test_a_broken_notebook_shows_vietnamese_messages_and_no_traceback(broken):
    with browser_page() as (page, rec):
        page.goto(broken)
        page.locator("#rendered_cells").wait_for(state="visible", timeout=90_000)
        text = page.locator("#rendered_cells").inner_text()
        screenshot(page, "page-script-broken-notebook")
    assert "Không hiển thị được phần này của ứng dụng" in text  # the unbundled widget
    assert "Xin chào, đây là một dòng chữ" in text  # other cells still show
    assert "Ứng dụng gặp lỗi khi khởi động" in text
    assert "Traceback" not in text and "ZeroDivisionError" not in text
    assert is_nfc(text)
    # The missing widget is a defect of the notebook: the console says which one.
    assert rec.console_errors
    assert all("@jupyter-widgets/output" in error for error in rec.console_errors)
    assert rec.page_errors == [] and rec.outside() == []


def is_nfc(text: str) -> bool:
    import unicodedata

    return unicodedata.normalize("NFC", text) == text
