"""The apps' own page script (frontend/) on a broken notebook: a widget it does not
carry, a cell that fails. (A kernel that dies under an open page: test_kiosk_browser.)"""

from __future__ import annotations

import nbformat
import pytest

from browser_helpers import NotebookVoila, browser_page, screenshot

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
    with NotebookVoila(folder / "broken.ipynb", folder, project=True,
                       extra=("--VoilaConfiguration.preheat_kernel=False",)) as server:
        yield server.url()


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
