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


def test_late_dossier_gets_an_apology_slip_to_print(apps, voila, who, tmp_path):
    from playwright.sync_api import expect

    code = apps.late_dossier  # received 27/10 by cb-tre-han, due 05/11 (conftest)
    with apps.box("cb-tre-han", "official") as box:
        if box.learners.name_of() is None:
            box.learners.join("Lê Văn Hùng")  # the official who received it has a name
    with browser_page(DESK) as (page, rec):
        load(page, voila, official(who))
        assert "Quá hạn" in row(page, code).inner_text()
        assert "kns-late" in row(page, code).get_attribute("class")
        open_dossier(page, code)
        history = page.locator(".kns-bo-detail").inner_text()
        assert "Lê Văn Hùng" in history and "cb-tre-han" not in history

        new_due = page.get_by_label("Ngày hẹn trả mới")
        assert new_due.get_attribute("placeholder") == "ngày/tháng/năm, ví dụ 05/03/2026"
        new_due.fill("2025-11-12")  # the year first: refused on the field, not echoed
        page.get_by_label("Lý do chậm trả kết quả").fill("Chờ cơ quan khác xác minh")
        page.get_by_role("button", name="Lập phiếu xin lỗi và hẹn lại").click()
        expect(new_due).to_have_attribute("aria-invalid", "true")
        assert "2025-11-12" not in page.locator(".kns-message").inner_text()
        new_due.fill("04/11/2025")
        page.get_by_role("button", name="Lập phiếu xin lỗi và hẹn lại").click()
        says(page, "phải sau ngày hẹn hiện tại 05/11/2025")
        new_due.fill("12/11/2025")
        page.get_by_role("button", name="Lập phiếu xin lỗi và hẹn lại").click()
        says(page, "hẹn trả kết quả vào 12/11/2025")
        expect(new_due).not_to_have_attribute("aria-invalid", "true")
        page.locator(".kns-bo-slip").wait_for()
        assert "Ngày hẹn trả kết quả ban đầu: 05/11/2025" in page.locator(
            ".kns-bo-slip").inner_text()
        assert "12/11/2025" in row(page, code).inner_text()
        screenshot(page, "backoffice-apology")

        # The slip downloads as a page that opens in the browser and prints on A5.
        with page.expect_download() as download:
            page.locator("a.kns-slip-html").click()
        slip = tmp_path / download.value.suggested_filename
        download.value.save_as(slip)
        assert slip.name == "phieu-xin-loi-" + code.replace(".", "-").lower() + ".html"
        printed = page.context.new_page()
        printed.goto(slip.as_uri())
        words = printed.locator("main").inner_text()
        for expected in ("TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG PHƯỜNG TRÚC LÂM",
                         "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ",
                         "Kính gửi: Ông/Bà Trần Văn Bình", code, "Đăng ký thường trú",
                         "05/11/2025", "12/11/2025", "Chờ cơ quan khác xác minh",
                         "Mẫu số 04", "BẢN TẬP DƯỢT"):
            assert expected in words, expected
        assert printed.get_by_role("button", name="In phiếu").is_visible()
        screenshot(printed, "backoffice-apology-slip")
        printed.emulate_media(media="print")
        assert not printed.get_by_role("button", name="In phiếu").is_visible()
        printed.close()

        page.get_by_role("button", name="Tạo tệp PDF của phiếu").click()
        page.locator("a.kns-slip-pdf").wait_for(timeout=60_000)
        with page.expect_download() as download:
            page.locator("a.kns-slip-pdf").click()
        pdf = tmp_path / download.value.suggested_filename
        download.value.save_as(pdf)
        assert pdf.suffix == ".pdf" and pdf.read_bytes()[:5] == b"%PDF-"
        assert rec.outside() == []
        assert rec.console_errors == [] and rec.page_errors == []


def test_attached_scans_open_in_a_preview_and_the_desk_reads_labels(apps, voila, who):
    from kynangso.domain.attachments import Attachment, sample_attachment, samples_for

    [form_scan] = samples_for("to-khai-ct01")
    files = {"to-khai-ct01": sample_attachment("to-khai-ct01", form_scan).to_dict(),
             "cho-o-hop-phap": Attachment("cho-o-hop-phap", "hop-dong-thue-nha.pdf", 234_567,
                                          "tai-len", "ab" * 32).to_dict()}
    volunteer = who("tnv")
    with apps.box(volunteer, "trainee") as box:
        box.learners.join("Trần Văn An")
        code = box.dossiers.create(
            "thuong-tru", {"ho_ten": "Nguyễn Thị Lan", "gioi_tinh": "nu"}, channel="vneid",
            documents=DOCS, form={"nguon": "vneid", "tep_dinh_kem": files}).code
        box.dossiers.submit(code)
    with browser_page(DESK) as (page, rec):
        load(page, voila, official(who))
        open_dossier(page, code)
        detail = page.locator(".kns-bo-detail").inner_text()
        assert "Nữ" in detail and "VNeID" in detail and "Trần Văn An" in detail
        for stored in ("\tnu\n", "vneid", volunteer):
            assert stored not in detail, stored

        page.get_by_role("button", name="Xem bản scan: Tờ khai thay đổi thông tin cư trú").click()
        scan = page.get_by_role("img", name="Bản scan giả lập của «Tờ khai thay đổi thông tin cư trú",
                                exact=False)
        scan.wait_for()
        assert scan.evaluate("img => img.complete && img.naturalWidth > 0")
        screenshot(page, "backoffice-scan-sample")
        page.get_by_role("button", name="Xem bản scan: Giấy tờ chứng minh chỗ ở hợp pháp").click()
        stand_in = page.get_by_role("img", name="Trang thay cho bản scan «Giấy tờ chứng minh",
                                    exact=False)
        stand_in.wait_for()
        assert stand_in.evaluate("img => img.complete && img.naturalWidth > 0")
        assert page.locator(".kns-bo-scan img").count() == 1  # one preview at a time
        screenshot(page, "backoffice-scan-stand-in")
        page.get_by_role("button", name="Đóng bản xem").click()
        stand_in.wait_for(state="detached")
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
