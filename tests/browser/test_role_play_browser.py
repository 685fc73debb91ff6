"""Role play across apps, in the real browser through Voila, on one shared store:

a volunteer submits a dossier on the portal, reads its fee QR (a training-bank code),
pays it in the wallet app, an official receives and resolves it in the back office,
and the portal then shows the result returned and the fee paid.
"""

from __future__ import annotations

import base64
import io
import re

import pytest
from PIL import Image

from kynangso.domain.banks import load_banks
from kynangso.domain.personas import make_personas
from kynangso.domain.qrimage import read_qr
from kynangso.sandbox.store import Sandbox

from browser_helpers import browser_page, screenshot

pytestmark = [pytest.mark.server, pytest.mark.xdist_group("voila")]

PIN = "135790"
AN = make_personas(6)[5]  # the volunteer's practice persona (its VNeID account)
PASSWORD, PASSCODE = "Truclam@2025", "246813"
LOAD = 120_000  # a page load starts a kernel; a busy 2-CPU machine is slow


def button(page, name: str) -> None:
    page.get_by_role("button", name=name, exact=True).click()


def open_page(page, url: str) -> None:
    page.set_default_timeout(60_000)
    page.goto(url, wait_until="commit", timeout=LOAD)
    page.get_by_text("MÔI TRƯỜNG TẬP DƯỢT").wait_for(timeout=LOAD)


def vneid_account(store, actor: str) -> None:
    """The volunteer's VNeID account, made as the VNeID app makes it (through the store)."""
    with Sandbox.open(store, actor=actor, role="resident") as box:
        notice = box.vneid.request_activation(AN.cccd, AN.phone)
        box.vneid.verify_activation_code(AN.cccd, re.search(r"\b(\d{6})\b", notice.text)[1])
        box.vneid.complete_activation(AN.cccd, password=PASSWORD, password_again=PASSWORD,
                                      passcode=PASSCODE, passcode_again=PASSCODE)


def submit_on_portal(page, scan) -> tuple[str, bytes]:
    """The volunteer files a certified copy; returns the dossier code and the QR image."""
    page.get_by_label("Tên thủ tục cần tìm").fill("chung thuc")
    button(page, "Tìm kiếm")
    button(page, "Chứng thực bản sao từ bản chính — Chứng thực")
    button(page, "Nộp hồ sơ trực tuyến")
    # "Đăng nhập bằng VNeID": the applicant's identity then comes from the account.
    page.get_by_label("Số định danh cá nhân (CCCD)").fill(AN.cccd)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    button(page, "Đăng nhập")
    page.get_by_text("Bước 1/3").wait_for()
    for label, value in (("Số điện thoại", "0912 000 111"),
                         ("Tên giấy tờ cần chứng thực", "Giấy khai sinh"),
                         ("Số trang của bản chính", "1"), ("Số bản cần cấp", "1")):
        page.get_by_label(label, exact=True).fill(value)
    button(page, "Tiếp tục")
    with page.expect_file_chooser() as chooser:
        page.locator(".kns-doc-ban-chinh .widget-upload").click()
    chooser.value.set_files(str(scan))
    page.get_by_text("Đã đính kèm").first.wait_for()
    button(page, "Tiếp tục")
    page.get_by_label("Tôi cam đoan những thông tin đã khai là đúng sự thật").check()
    button(page, "Nộp hồ sơ")
    code = page.locator(".kns-dossier-code").inner_text().strip()
    src = page.locator(".kns-qr img").first.get_attribute("src")
    return code, base64.b64decode(src.split(",", 1)[1])


def pay_in_wallet(page, code: str) -> None:
    page.get_by_role("button", name="Ngân hàng số Tập Dượt (mô phỏng)").click()
    page.get_by_label("Tên chủ tài khoản").fill(AN.full_name)
    page.get_by_label("Chọn mã PIN tập dượt (6 số)").fill(PIN)
    page.get_by_label("Nhập lại mã PIN").fill(PIN)
    button(page, "Mở tài khoản tập dượt")
    button(page, "Quét QR")
    # The portal's fee code is offered, preselected from the link's ``ma=``.
    chosen = page.get_by_label("Mã QR", exact=True).locator("option:checked")
    assert code in chosen.inner_text()
    button(page, "Quét QR")
    page.get_by_text("Kiểm tra người nhận").first.wait_for()
    button(page, "Tiếp tục")
    button(page, "Xác nhận")
    page.get_by_label("Mã PIN Smart OTP (6 số)").fill(PIN)
    button(page, "Xác thực")
    page.get_by_text(f"Đã nộp lệ phí hồ sơ {code}.").wait_for()


def work_the_desk(page, code: str) -> None:
    picker = page.get_by_label("Chọn hồ sơ")
    label = next(o for o in picker.locator("option").all_inner_texts() if o.startswith(code))
    picker.select_option(label=label)
    button(page, "Mở hồ sơ")
    for step, says in (("Tiếp nhận", "Ngày hẹn trả kết quả"), ("Bắt đầu xử lý", "Đang xử lý"),
                       ("Đã giải quyết xong", "Đã giải quyết"),
                       ("Trả kết quả", "Đã trả kết quả")):
        button(page, step)
        page.locator(".kns-message").get_by_text(says).wait_for()


def test_portal_wallet_backoffice_portal(voila, who, tmp_path):
    volunteer, official = who("tnv"), who("cb")
    scan = tmp_path / "ban-chinh.png"
    Image.new("RGB", (60, 40), "white").save(scan)
    phone = {"width": 430, "height": 1400}
    vneid_account(voila.store, volunteer)  # a level-1 account is enough for a copy
    with browser_page(phone) as (page, rec):
        open_page(page, voila.url("portal", f"nguoi={volunteer}"))
        code, qr_png = submit_on_portal(page, scan)
        screenshot(page, "roleplay-1-portal-qr")

        # What the trainee sees is a practice code: it decodes, and names the training bank.
        read = read_qr(Image.open(io.BytesIO(qr_png)))
        assert read.decoded is not None and read.decoded.ok
        assert read.decoded.qr.bin == load_banks().training_bank.bin
        assert code in (read.decoded.qr.purpose or "")

        wallet_href = page.locator("a.kns-wallet-link").get_attribute("href")
        open_page(page, f"{voila.base}/voila/render/{wallet_href}")
        try:
            pay_in_wallet(page, code)
        finally:
            screenshot(page, "roleplay-2-wallet-receipt")
        assert rec.outside() == [] and rec.console_errors == [] and rec.page_errors == []

    with browser_page({"width": 1280, "height": 2400}) as (page, rec):
        open_page(page, voila.url("backoffice", f"nguoi={official}&vai=official"))
        work_the_desk(page, code)
        screenshot(page, "roleplay-3-backoffice")
        assert rec.console_errors == [] and rec.page_errors == []

    with browser_page(phone) as (page, rec):
        open_page(page, voila.url("portal", f"nguoi={volunteer}"))
        button(page, "Hồ sơ của tôi")
        card = page.locator(".kns-card", has_text=code).first
        card.get_by_text("Đã trả kết quả").wait_for()
        screenshot(page, "roleplay-4-portal-result")
        assert rec.console_errors == [] and rec.page_errors == []

    with Sandbox.open(voila.store) as box:
        dossier = box.dossiers.get(code)
        assert dossier.fee_paid and dossier.state.value == "result_returned"
        actors = {e.actor for e in box.events(subject=code)}
        assert {volunteer, official} <= actors
        assert box.verify_chain().ok
