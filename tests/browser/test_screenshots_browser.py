"""Every app as a learner meets it, on a phone (390×844) and on a desktop (1280×800):
screenshots in test-artifacts/screens/ for a person to look at, and the checks a
glance would make (the practice banner, the learner's name, no horizontal scrolling,
no English Jupyter message, no traceback)."""

from __future__ import annotations

from pathlib import Path

import pytest

from browser_helpers import ARTIFACTS, CLASS_CODE, browser_page, open_app
from helpers import ROOT

pytestmark = [pytest.mark.server, pytest.mark.xdist_group("voila")]

APPS = sorted(p.stem for p in (ROOT / "apps").glob("*.ipynb"))
SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}
ENGLISH_JUPYTER = ("Kernel", "Traceback", "Error:", "Loading widget", "Voilà")


@pytest.mark.parametrize("size", SIZES)
def test_each_app_on_a_phone_and_a_desktop(voila, who, size):
    folder = ARTIFACTS / "screens"
    folder.mkdir(parents=True, exist_ok=True)
    with browser_page(SIZES[size]) as (page, record):
        page.context.add_cookies([{"name": "kns_ma_lop", "value": CLASS_CODE,
                                   "url": voila.base}])
        for app in APPS:
            role = "&vai=trainer" if app == "trainer" else ""
            open_app(page, voila.url(app, f"nguoi={who('xem')}{role}"))
            page.locator(".kns-root").first.wait_for()
            text = page.locator("body").inner_text()
            assert "MÔI TRƯỜNG TẬP DƯỢT" in text, app
            assert not any(word in text for word in ENGLISH_JUPYTER), app
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= SIZES[size]["width"], f"{app}: {width} px wide"
            path: Path = folder / f"{app}-{size}.png"
            page.screenshot(path=str(path), full_page=True)
            assert path.stat().st_size > 5_000
        assert not record.page_errors
