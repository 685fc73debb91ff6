"""The trader's app and the ipywidgets containers in a real browser.

The trader's three tabs show one panel at a time, and its images have a text alternative.
Every container the apps may use (Tab, Accordion, Stack) behaves with the apps' own page
script as it does in stock Voila: only the selected child shows, Accordion sections open
and close. The stall's whole flow (sign, payment, reconciliation) is in
test_wallet_browser.py.
"""

from __future__ import annotations

import re

import nbformat
import pytest

from browser_helpers import NotebookVoila, browser_page, screenshot

pytestmark = [pytest.mark.server, pytest.mark.xdist_group("voila")]

PHONE = {"width": 390, "height": 1400}
LONG = 90_000
# What each tab alone shows: one of its buttons.
PANELS = {"Mã QR": "Chuẩn bị biển QR để in", "Tiền nhận": "Làm mới",
          "Đối chiếu": "Ghi vào sổ"}


def visible_panels(page) -> list[str]:
    return [tab for tab, button in PANELS.items()
            if page.get_by_role("button", name=button, exact=True).is_visible()]


def test_the_trader_sees_one_tab_panel_at_a_time_and_a_described_sign(voila, who):
    from playwright.sync_api import expect

    trader = who("chi-lan")
    with browser_page(PHONE) as (page, rec):
        page.goto(voila.url("trader", f"nguoi={trader}"), timeout=LONG)
        page.get_by_text("MÔI TRƯỜNG TẬP DƯỢT").wait_for(timeout=LONG)
        page.get_by_label("Tên cửa hàng").fill("Tạp hoá Lan")
        page.get_by_label("Tên chủ tài khoản").fill("Nguyễn Thị Lan")
        page.get_by_label("Chọn mã PIN tập dượt (6 số)").fill("135790")
        page.get_by_label("Nhập lại mã PIN").fill("135790")
        page.get_by_role("button", name="Tạo mã QR của quầy").click()
        page.get_by_text("Đã tạo mã QR cho quầy «Tạp hoá Lan»").wait_for()

        sign = page.get_by_role("img", name=re.compile(
            r"^Biển mã QR của quầy «Tạp hoá Lan» \(giả lập, không thanh toán được"))
        sign.wait_for()
        assert sign.evaluate("img => img.complete && img.naturalWidth > 0")
        assert page.locator(".kns-root img:not([alt])").count() == 0
        assert visible_panels(page) == ["Mã QR"]
        screenshot(page, "trader-tabs-code")

        page.get_by_role("tab", name="Đối chiếu").click()
        page.get_by_role("button", name="Ghi vào sổ").wait_for()
        assert visible_panels(page) == ["Đối chiếu"]
        assert not sign.is_visible()

        page.get_by_role("tab", name="Tiền nhận").click()
        chart = page.get_by_role("img", name=re.compile(r"^Biểu đồ tiền nhận hôm nay theo giờ"))
        chart.wait_for()
        assert visible_panels(page) == ["Tiền nhận"]
        screenshot(page, "trader-tabs-takings")

        # A reload (a locked phone, a lost connection) opens the same tab.
        page.reload(timeout=LONG)
        page.get_by_text("MÔI TRƯỜNG TẬP DƯỢT").wait_for(timeout=LONG)
        expect(page.get_by_role("tab", name="Tiền nhận")).to_have_attribute(
            "aria-selected", "true")
        page.get_by_role("button", name="Làm mới", exact=True).wait_for()
        assert visible_panels(page) == ["Tiền nhận"]
        assert rec.outside() == [] and rec.page_errors == []


# --- every container as in stock Voila -------------------------------------------------------

CONTAINERS = """
import ipywidgets as W

tab = W.Tab(children=[W.HTML("Nội dung thẻ một"), W.HTML("Nội dung thẻ hai")])
tab.titles = ("Thẻ một", "Thẻ hai")
accordion = W.Accordion(children=[W.HTML("Nội dung mục một"), W.HTML("Nội dung mục hai")],
                        titles=("Mục một", "Mục hai"))
stack = W.Stack([W.HTML("Nội dung lớp một"), W.HTML("Nội dung lớp hai")], selected_index=0)
layer = W.ToggleButtons(options=[("Lớp một", 0), ("Lớp hai", 1)], value=0)
W.link((layer, "value"), (stack, "selected_index"))
W.VBox([tab, accordion, layer, stack])
"""
TEXTS = ("Nội dung thẻ một", "Nội dung thẻ hai", "Nội dung mục một", "Nội dung mục hai",
         "Nội dung lớp một", "Nội dung lớp hai")


@pytest.fixture(scope="module")
def containers(tmp_path_factory):
    folder = tmp_path_factory.mktemp("containers")
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(CONTAINERS)])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nbformat.write(nb, folder / "containers.ipynb")
    return folder / "containers.ipynb"


def shown(page) -> set[str]:
    return {text for text in TEXTS if page.get_by_text(text, exact=True).is_visible()}


def walk_the_containers(url: str, name: str) -> list[set[str]]:
    """What shows at each step: at first, after a tab, a section opened, another section,
    the section closed, the other layer."""
    seen = []
    with browser_page() as (page, _rec):
        page.goto(url, timeout=LONG)
        page.get_by_role("tab", name="Thẻ một").wait_for(timeout=LONG)
        page.get_by_text("Nội dung thẻ một", exact=True).wait_for()
        seen.append(shown(page))
        page.get_by_role("tab", name="Thẻ hai").click()
        page.get_by_text("Nội dung thẻ hai", exact=True).wait_for()
        seen.append(shown(page))
        page.get_by_text("Mục một", exact=True).click()
        page.get_by_text("Nội dung mục một", exact=True).wait_for()
        seen.append(shown(page))
        page.get_by_text("Mục hai", exact=True).click()
        page.get_by_text("Nội dung mục hai", exact=True).wait_for()
        page.get_by_text("Nội dung mục một", exact=True).wait_for(state="hidden")
        seen.append(shown(page))
        page.get_by_text("Mục hai", exact=True).click()
        page.get_by_text("Nội dung mục hai", exact=True).wait_for(state="hidden")
        seen.append(shown(page))
        page.get_by_role("button", name="Lớp hai").click()
        page.get_by_text("Nội dung lớp hai", exact=True).wait_for()
        seen.append(shown(page))
        screenshot(page, f"containers-{name}")
    return seen


EXPECTED = [
    {"Nội dung thẻ một", "Nội dung lớp một"},  # Accordion starts with every section closed
    {"Nội dung thẻ hai", "Nội dung lớp một"},
    {"Nội dung thẻ hai", "Nội dung mục một", "Nội dung lớp một"},
    {"Nội dung thẻ hai", "Nội dung mục hai", "Nội dung lớp một"},
    {"Nội dung thẻ hai", "Nội dung lớp một"},
    {"Nội dung thẻ hai", "Nội dung lớp hai"},
]


def test_tab_accordion_and_stack_behave_as_in_stock_voila(containers):
    folder = containers.parent
    no_pool = ("--VoilaConfiguration.preheat_kernel=False",)
    with NotebookVoila(containers, folder) as stock:
        in_stock = walk_the_containers(stock.url(), "stock-voila")
    with NotebookVoila(containers, folder, project=True, extra=no_pool) as ours:
        in_ours = walk_the_containers(ours.url(), "project")
    assert in_stock == EXPECTED
    assert in_ours == in_stock
