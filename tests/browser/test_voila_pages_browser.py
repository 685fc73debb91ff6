"""Voila's own pages, as a learner meets them: the list of apps `make apps` serves at /
(and /voila/tree) and the page for an address that does not exist. Vietnamese, the
apps named by their titles, no JupyterLab front end, no English. Real Chromium."""

from __future__ import annotations

import json
import re

import pytest

from axe_helpers import assert_no_violations
from browser_helpers import browser_page, open_app, screenshot
from helpers import ROOT

pytestmark = [pytest.mark.server, pytest.mark.xdist_group("voila")]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
# What Voila's stock pages say; none of it may reach a learner.
ENGLISH = re.compile(r"Select items|Voil[àa] Home|Not Found|does not exist|Loading|"
                     r"JupyterLab|Jupyter", re.I)


def titles() -> dict[str, str]:
    found = {}
    for notebook in sorted((ROOT / "apps").glob("*.ipynb")):
        meta = json.loads(notebook.read_text(encoding="utf-8"))["metadata"]
        found[notebook.stem] = meta["kynangso"]["title"]
    return found


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_app_list_names_every_app_in_vietnamese(voila, viewport):
    with browser_page(viewport) as (page, rec):
        response = page.goto(voila.base + "/")
        assert response is not None and response.status == 200
        assert page.title() == "Các ứng dụng tập dượt — Kỹ Năng Số"
        assert page.locator("html").get_attribute("lang") == "vi"
        assert page.get_by_role("heading", level=1).inner_text() == "Các ứng dụng tập dượt"
        for app, title in titles().items():
            link = page.get_by_role("link", name=title, exact=True)
            assert link.get_attribute("href") == f"/voila/render/{app}.ipynb"
            box = link.bounding_box()
            assert box is not None and box["height"] >= 44  # a finger hits it
        body = page.locator("body").inner_text()
        assert not ENGLISH.search(body), body
        assert ".ipynb" not in body  # titles, not file names
        # A plain page: no JupyterLab front end, no script at all, nothing off the machine.
        assert not [u for u in rec.requests if u.endswith(".js")]
        assert rec.outside() == [] and rec.console_errors == [] and rec.page_errors == []
        assert_no_violations(page, f"the app list at {viewport['width']} px")
        screenshot(page, f"voila-app-list-{viewport['width']}")


def test_an_app_opens_from_the_list_for_the_same_person(voila, who):
    learner = who("lan")
    with browser_page(PHONE) as (page, rec):
        page.goto(f"{voila.base}/voila/tree?nguoi={learner}")
        assert page.title() == "Các ứng dụng tập dượt — Kỹ Năng Số"
        link = page.get_by_role("link", name=titles()["kiosk"], exact=True)
        assert link.get_attribute("href") == f"/voila/render/kiosk.ipynb?nguoi={learner}"
        link.click()
        page.wait_for_url(re.compile(r"/voila/render/kiosk\.ipynb\?nguoi="))
        open_app(page, page.url)
        assert rec.page_errors == []


@pytest.mark.parametrize("path", ["/voila/render/khong-co.ipynb", "/khong-co"])
def test_a_wrong_address_says_so_in_vietnamese(voila, path):
    with browser_page(PHONE) as (page, rec):
        response = page.goto(voila.base + path)
        assert response is not None and response.status == 404
        assert page.title() == "Không tìm thấy trang này — Kỹ Năng Số"
        assert page.get_by_role("heading", level=1).inner_text() == "Không tìm thấy trang này"
        body = page.locator("body").inner_text()
        assert not ENGLISH.search(body), body
        page.get_by_role("link", name="Về danh sách ứng dụng tập dượt").click()
        page.get_by_role("heading", name="Các ứng dụng tập dượt").wait_for()
        assert_no_violations(page, "the app list reached from a 404")
        assert rec.page_errors == []
