"""The officials' back office in a real browser through Voila: role play with the portal."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

from browser_helpers import browser_page, screenshot

pytestmark = [pytest.mark.server, pytest.mark.xdist_group("voila")]

# Tall enough that a full-page screenshot shows the whole desk (Voila scrolls inside the page).
DESK = {"width": 1280, "height": 3000}
DOCS = ["to-khai-ct01", "cho-o-hop-phap"]


def official(who) -> str:
    return f"nguoi={who('cb')}&vai=official"


def submitted(apps, volunteer: str, *dossiers: tuple[str, str, list[str]]) -> list[str]:
    """Dossiers a volunteer submits through the portal: (procedure, name, documents)."""
    codes = []
    with apps.box(volunteer, "trainee") as box:
        for procedure, name, documents in dossiers:
            code = box.dossiers.create(procedure, {"ho_ten": name}, channel="cong-dvc",
                                       documents=documents).code
            box.dossiers.submit(code)
            codes.append(code)
    return codes


# A loaded classroom machine may take a while to start a kernel: be patient, not flaky.
SLOW = 90_000


def load(page, server, query):
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


def test_official_works_the_desk_and_a_reload_keeps_it(apps, voila, who):
    code, incomplete = submitted(apps, who("tnv"), ("thuong-tru", "Nguyễn Thị Lan", DOCS),
                                 ("tam-tru", "Lê Thị Hoa", DOCS[:1]))
    desk = official(who)
    with browser_page(DESK) as (page, rec):
        failed = failed_responses(page)
        load(page, voila, desk)
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
        # Neither of this test's dossiers waits any more (others' may).
        waiting = page.locator(".kns-bo-waiting").inner_text()
        assert code not in waiting and incomplete not in waiting
        assert rec.outside() == [] and rec.page_errors == []
        # The reload's shutdown of the old kernel carries its XSRF token: nothing refused.
        assert failed == [] and rec.console_errors == []


def test_late_dossier_gets_an_apology_slip(apps, voila, who):
    code = apps.late_dossier  # received 27/10, due 05/11: the world set it up (conftest)
    with browser_page(DESK) as (page, rec):
        load(page, voila, official(who))
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


def test_portal_submission_appears_after_refresh_and_kpi_counts(apps, voila, who):
    with browser_page(DESK) as (page, rec):
        load(page, voila, official(who))
        # Meanwhile a volunteer submits through the portal (same store, another person).
        [code] = submitted(apps, who("tnv"), ("tam-tru", "Phạm Văn Cường", DOCS))
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


def test_trainee_is_told_the_desk_is_for_officials(voila, who):
    with browser_page() as (page, rec):
        load(page, voila, f"nguoi={who('hv')}&vai=trainee")
        page.get_by_text("Màn hình này dành cho cán bộ một cửa").wait_for()
        assert page.get_by_role("button", name="Tiếp nhận").count() == 0
        screenshot(page, "backoffice-wrong-role")
        assert rec.outside() == [] and rec.console_errors == []
