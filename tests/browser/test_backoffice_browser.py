"""The officials' back office in a real browser through Voila: role play with the portal."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlparse

import pytest

from browser_helpers import VoilaServer, browser_page, screenshot

pytestmark = [pytest.mark.server, pytest.mark.xdist_group("voila")]

OFFICIAL = "nguoi=cb-lan&vai=official"
# Tall enough that a full-page screenshot shows the whole desk (Voila scrolls inside the page).
DESK = {"width": 1280, "height": 3000}
DOCS = ["to-khai-ct01", "cho-o-hop-phap"]


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """Monday 10/11/2025 08:00, frozen: one dossier received on 27/10 is now late, two wait."""
    from kynangso.sandbox.store import Sandbox

    store = tmp_path_factory.mktemp("backoffice") / "sandbox.sqlite"
    volunteer = Sandbox.open(store, actor="tnv-an", role="trainee",
                             start=datetime(2025, 10, 27, 8, 0), clock_running=False)
    late = volunteer.dossiers.create("thuong-tru", {"ho_ten": "Trần Văn Bình"},
                                     channel="cong-dvc", documents=DOCS).code
    volunteer.dossiers.submit(late)
    volunteer.as_actor("cb-lan", "official").dossiers.receive(late)  # due 05/11/2025
    volunteer.as_actor("gv", "trainer").set_clock(datetime(2025, 11, 10, 8, 0), running=False)
    complete = volunteer.dossiers.create("thuong-tru", {"ho_ten": "Nguyễn Thị Lan"},
                                         channel="cong-dvc", documents=DOCS).code
    incomplete = volunteer.dossiers.create("tam-tru", {"ho_ten": "Lê Thị Hoa"},
                                           channel="cong-dvc", documents=DOCS[:1]).code
    for code in (complete, incomplete):
        volunteer.dossiers.submit(code)
    codes = {"late": late, "complete": complete, "incomplete": incomplete}
    with VoilaServer(store) as server:
        yield server, volunteer, codes
    volunteer.close()


# A loaded classroom machine may take a while to start a kernel: be patient, not flaky.
SLOW = 90_000


def load(page, server, query=OFFICIAL):
    page.goto(server.url("backoffice", query), timeout=SLOW)
    page.get_by_text("MÔI TRƯỜNG TẬP DƯỢT").wait_for(timeout=SLOW)


def open_dossier(page, code):
    picker = page.get_by_label("Chọn hồ sơ")
    label = next(o for o in picker.locator("option").all_inner_texts() if o.startswith(code))
    picker.select_option(label=label)
    page.get_by_role("button", name="Mở hồ sơ").click()
    page.locator(".kns-bo-detail").get_by_text(f"Hồ sơ {code}").wait_for()


def says(page, text):
    page.locator(".kns-message").get_by_text(text).wait_for()


def row(page, code):
    return page.locator(".kns-bo-dossiers tr", has_text=code)


def failed_responses(page):
    """HTTP errors the page meets, to tell a known unload error from a real one."""
    failed = []
    page.on("response", lambda r: failed.append((r.status, urlparse(r.url).path))
            if r.status >= 400 else None)
    return failed


def test_official_works_the_desk_and_a_reload_keeps_it(world):
    server, _, codes = world
    code = codes["complete"]
    with browser_page(DESK) as (page, rec):
        failed = failed_responses(page)
        load(page, server)
        assert code in page.locator(".kns-bo-waiting").inner_text()
        screenshot(page, "backoffice-lists")
        open_dossier(page, code)
        page.get_by_text("Đủ giấy tờ bắt buộc").wait_for()
        page.get_by_role("button", name="Trả kết quả").click()
        says(page, "không thể chuyển sang «Đã trả kết quả»")
        page.get_by_role("button", name="Tiếp nhận", exact=True).click()
        says(page, "Ngày hẹn trả kết quả: 19/11/2025")
        page.get_by_role("button", name="Bắt đầu xử lý").click()
        says(page, "chuyển sang «Đang xử lý»")
        screenshot(page, "backoffice-detail")
        assert "Đang xử lý" in row(page, code).inner_text()

        incomplete = codes["incomplete"]
        open_dossier(page, incomplete)
        page.get_by_text("Thiếu 1 giấy tờ bắt buộc").wait_for()
        page.get_by_role("button", name="Yêu cầu bổ sung").click()
        says(page, "Chưa nhập Lý do")
        page.get_by_label("Lý do (bắt buộc khi yêu cầu bổ sung hoặc từ chối)").fill(
            "Thiếu giấy tờ chứng minh chỗ ở hợp pháp")
        page.get_by_role("button", name="Yêu cầu bổ sung").click()
        says(page, "Đã gửi yêu cầu bổ sung")
        screenshot(page, "backoffice-supplement")
        assert rec.console_errors == [] and rec.page_errors == [] and failed == []

        page.reload(timeout=SLOW)
        page.get_by_text("MÔI TRƯỜNG TẬP DƯỢT").wait_for(timeout=SLOW)
        after = row(page, code).inner_text()
        assert "Đang xử lý" in after and "19/11/2025" in after
        assert "Yêu cầu bổ sung" in row(page, incomplete).inner_text()
        assert page.locator(".kns-bo-waiting").inner_text().strip().startswith("Không có")
        assert rec.outside() == [] and rec.page_errors == []
        # Leaving a page asks nothing of the server (the culler stops its kernel).
        assert failed == [] and rec.console_errors == []


def test_late_dossier_gets_an_apology_slip(world):
    server, _, codes = world
    code = codes["late"]
    with browser_page(DESK) as (page, rec):
        load(page, server)
        assert "Quá hạn" in row(page, code).inner_text()
        assert "kns-late" in row(page, code).get_attribute("class")
        open_dossier(page, code)
        page.get_by_label("Ngày hẹn trả mới").fill("2025-11-04")
        page.get_by_label("Lý do chậm trả kết quả").fill("Chờ cơ quan khác xác minh")
        page.get_by_role("button", name="Lập phiếu xin lỗi và hẹn lại").click()
        says(page, "phải sau ngày hẹn hiện tại 05/11/2025")
        page.get_by_label("Ngày hẹn trả mới").fill("2025-11-12")
        page.get_by_role("button", name="Lập phiếu xin lỗi và hẹn lại").click()
        says(page, "hẹn trả kết quả vào 12/11/2025")
        page.locator(".kns-bo-slip").wait_for()
        assert "Ngày hẹn trả kết quả ban đầu: 05/11/2025" in page.locator(
            ".kns-bo-slip").inner_text()
        assert "12/11/2025" in row(page, code).inner_text()
        screenshot(page, "backoffice-apology")
        assert rec.outside() == []
        assert rec.console_errors == [] and rec.page_errors == []


def test_portal_submission_appears_after_refresh_and_kpi_counts(world):
    server, volunteer, _ = world
    with browser_page(DESK) as (page, rec):
        load(page, server)
        # Meanwhile a volunteer submits through the portal (same store, another person).
        other = volunteer.as_actor("tnv-binh", "trainee")
        code = other.dossiers.create("tam-tru", {"ho_ten": "Phạm Văn Cường"},
                                     channel="cong-dvc", documents=DOCS).code
        other.dossiers.submit(code)
        assert code not in page.locator(".kns-bo-waiting").inner_text()
        page.get_by_role("button", name="Làm mới").click()
        page.locator(".kns-bo-waiting").get_by_text(code).wait_for()
        assert "Phạm Văn Cường" in page.locator(".kns-bo-waiting").inner_text()

        page.get_by_role("button", name="Báo cáo KPI hôm nay").click()
        page.get_by_text("Cách tính trước hạn / đúng hạn / quá hạn").wait_for(timeout=60_000)
        tiles = page.locator(".kns-bo-tile").all_inner_texts()
        assert [t.split("\n")[0] for t in tiles] == ["Trước hạn", "Đúng hạn", "Quá hạn",
                                                     "Đang xử lý, chưa đến hạn"]
        screenshot(page, "backoffice-kpi")
        page.get_by_label("Tương phản cao").check()
        page.locator(".kns-contrast").wait_for()
        screenshot(page, "backoffice-contrast")
        assert rec.outside() == []
        assert rec.console_errors == [] and rec.page_errors == []


def test_trainee_is_told_the_desk_is_for_officials(world):
    server, _, _ = world
    with browser_page() as (page, rec):
        load(page, server, "nguoi=hv-an&vai=trainee")
        page.get_by_text("Màn hình này dành cho cán bộ một cửa").wait_for()
        assert page.get_by_role("button", name="Tiếp nhận").count() == 0
        screenshot(page, "backoffice-wrong-role")
        assert rec.outside() == [] and rec.console_errors == []
