"""The public-service portal app in a real browser through Voila: find a procedure, fill the
form (with mistakes), attach files, submit, pay the fee by QR, follow the dossier, reload."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image

from kynangso.sandbox.store import Sandbox

from browser_helpers import browser_page, screenshot

pytestmark = [pytest.mark.server, pytest.mark.xdist_group("voila")]

PHONE = {"width": 430, "height": 900}
WAIT = 60_000
LOAD = 120_000  # a page load starts a kernel: slow on a busy 2-CPU classroom server


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(out, format="PNG")
    return out.getvalue()


def upload(page, document: str, path) -> None:
    # FileUpload keeps its <input type=file> out of the page; answer the file chooser.
    with page.expect_file_chooser() as chooser:
        page.locator(f".kns-doc-{document} .widget-upload").click()
    chooser.value.set_files(str(path))


def shot(page, name: str) -> None:
    # Voila scrolls inside the page, so a full-page capture stops at the viewport: grow the
    # viewport to the phone frame's height for the picture.
    bottom = page.evaluate("""() => {
        for (const el of document.querySelectorAll('*')) { if (el.scrollTop) el.scrollTop = 0; }
        window.scrollTo(0, 0);
        return Math.ceil(document.querySelector('.kns-root').getBoundingClientRect().bottom + 30);
    }""")
    page.set_viewport_size({"width": PHONE["width"], "height": max(PHONE["height"], bottom)})
    screenshot(page, name)
    page.set_viewport_size(PHONE)


def click(page, name: str) -> None:
    page.get_by_role("button", name=name, exact=True).click()


def test_resident_submits_pays_and_finds_the_dossier_after_reload(voila, who, tmp_path):
    person = who("tnv")
    bad = tmp_path / "ghi-chu.txt"
    bad.write_text("không phải ảnh", encoding="utf-8")
    good = tmp_path / "ban-chinh.png"
    good.write_bytes(png_bytes())
    with browser_page(PHONE) as (page, rec):
        page.set_default_timeout(WAIT)  # a busy classroom server answers slowly
        page.goto(voila.url("portal", f"nguoi={person}"), wait_until="commit", timeout=LOAD)
        page.get_by_text("MÔI TRƯỜNG TẬP DƯỢT").wait_for(timeout=LOAD)
        page.get_by_label("Tên thủ tục cần tìm").fill("chung thuc")
        click(page, "Tìm kiếm")
        page.get_by_text("Tìm thấy 1 thủ tục").wait_for()
        shot(page, "portal-search")
        click(page, "Chứng thực bản sao từ bản chính — Chứng thực")
        page.get_by_text("Thời hạn giải quyết").wait_for()
        shot(page, "portal-procedure")
        click(page, "Nộp hồ sơ trực tuyến")

        # A form with mistakes: each message sits under its own box.
        page.get_by_label("Họ và tên", exact=True).fill("Trần Thị Bình")
        page.get_by_label("Số định danh cá nhân (CCCD)").fill("12345")
        page.get_by_label("Ngày sinh", exact=True).fill("1992-03-14")
        click(page, "Tiếp tục")
        page.locator(".kns-error-cccd").get_by_text("phải có đúng 12 chữ số").wait_for()
        assert "năm phải đứng cuối" in page.locator(".kns-error-ngay_sinh").inner_text()
        shot(page, "portal-form-errors")
        assert page.get_by_label("Họ và tên", exact=True).input_value() == "Trần Thị Bình"

        page.get_by_label("Số định danh cá nhân (CCCD)").fill("038192999002")
        page.get_by_label("Ngày sinh", exact=True).fill("14/03/1992")
        page.get_by_label("Giới tính").select_option(label="Nữ")
        page.get_by_label("Số điện thoại").fill("0912 345 678")
        page.get_by_label("Địa chỉ nơi ở hiện tại").fill("Tổ dân phố Tân Lập, phường Trúc Lâm")
        page.get_by_label("Tên giấy tờ cần chứng thực").fill("Bằng tốt nghiệp THPT")
        page.get_by_label("Số trang của bản chính").fill("3")
        page.get_by_label("Số bản cần cấp").fill("2")
        click(page, "Tiếp tục")
        page.get_by_text("Bước 2/3").wait_for()

        # Documents: a text file is refused, a PNG is accepted.
        click(page, "Tiếp tục")
        page.get_by_text("chưa nộp được vì còn thiếu").first.wait_for()
        upload(page, "ban-chinh", bad)
        page.get_by_text("chỉ nhận tệp PDF, JPG hoặc PNG").first.wait_for()
        upload(page, "ban-chinh", good)
        page.get_by_text("Đã đính kèm: ban-chinh.png").wait_for()
        shot(page, "portal-documents")
        click(page, "Tiếp tục")

        page.get_by_text("Bước 3/3").wait_for()
        assert "10.000" in page.locator(".kns-card").first.inner_text()
        shot(page, "portal-confirm")
        page.get_by_label("Tôi cam đoan những thông tin đã khai là đúng sự thật").check()
        click(page, "Nộp hồ sơ")
        page.locator(".kns-dossier-code").wait_for()
        code = page.locator(".kns-dossier-code").inner_text().strip()
        assert re.fullmatch(r"000\.00\.99\.H56-251110-\d{4}", code)
        page.locator(".kns-qr img").wait_for()
        shot(page, "portal-fee-qr")
        href = page.locator("a.kns-wallet-link").get_attribute("href")
        assert href == f"wallet.ipynb?nguoi={person}&ma={code}"
        payload = page.locator(".kns-payload").inner_text().strip()

        # The resident pays in the wallet app (here straight through the store).
        with Sandbox.open(voila.store, actor=person, role="resident") as box:
            wallet = box.wallets.open_account("zalopay", "Trần Thị Bình", balance=50_000,
                                              pin="246802")
            box.wallets.pay(wallet.id, payload, pin="246802", idempotency_key="browser-1")

        click(page, "Xem hồ sơ của tôi")
        click(page, "Xem chi tiết")
        click(page, "Làm mới")
        page.get_by_text("Đã nộp lệ phí 10.000").wait_for()
        shot(page, "portal-dossier-paid")

        assert rec.console_errors == [] and rec.page_errors == []
        page.reload(wait_until="commit", timeout=LOAD)
        page.get_by_text("MÔI TRƯỜNG TẬP DƯỢT").wait_for(timeout=LOAD)
        click(page, "Hồ sơ của tôi")
        page.get_by_text(code).wait_for()
        assert "Đã nộp" in page.locator(".kns-card").first.inner_text()
        shot(page, "portal-my-dossiers-after-reload")
        assert rec.outside() == []
        assert rec.console_errors == [] and rec.page_errors == []


def test_feedback_is_sent_and_the_answer_shows(voila, who):
    author = who("tnv")
    with browser_page(PHONE) as (page, rec):
        page.set_default_timeout(WAIT)  # a busy classroom server answers slowly
        page.goto(voila.url("portal", f"nguoi={author}"), wait_until="commit", timeout=LOAD)
        page.get_by_text("MÔI TRƯỜNG TẬP DƯỢT").wait_for(timeout=LOAD)
        click(page, "Phản ánh, kiến nghị")
        click(page, "Gửi")
        page.get_by_text("Chưa nhập nội dung").wait_for()
        page.get_by_label("Nội dung").fill("Đèn ở quầy 2 bị hỏng, khó đọc giấy tờ.")
        click(page, "Gửi")
        page.get_by_text("Đã gửi phản ánh số").wait_for()
        with Sandbox.open(voila.store, actor=who("cb"), role="official") as box:
            [sent] = box.feedback.list(author=author)
            box.feedback.answer(sent.id, "Trung tâm đã thay đèn, cảm ơn ông/bà.")
        click(page, "Làm mới")
        page.get_by_text("Trung tâm đã thay đèn").wait_for()
        shot(page, "portal-feedback")
        # Older residents: the largest text and high contrast still fit the phone frame.
        answer = page.locator(".kns-card", has_text="Trung tâm đã thay đèn")
        size = "(el) => parseFloat(getComputedStyle(el).fontSize)"
        before = answer.evaluate(size)
        page.get_by_role("button", name="A++").click()
        page.get_by_label("Tương phản cao").check()
        page.locator(".kns-root.kns-contrast.kns-size-2").wait_for()
        # Every text grows, the screens' HTML (cards, headings) as well as the controls.
        assert answer.evaluate(size) >= 1.35 * before
        shot(page, "portal-feedback-large-contrast")
        assert rec.outside() == []
        assert rec.console_errors == [] and rec.page_errors == []
