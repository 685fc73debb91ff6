"""The trainer's control panel in a real browser through Voila: the class code guards the
role; the class list, a learner's links and QR codes, level 2, a wallet unlock and a
learner reset with its confirmation.

The browser tests share one store, so the controls that change everyone's world (the
clock, sample dossiers, the class reset) are driven in the kernel (tests/ui/test_trainer.py)
and only refused here.
"""

from __future__ import annotations

import re

import pytest

from browser_helpers import CLASS_CODE, browser_page, open_app, screenshot

pytestmark = [pytest.mark.server, pytest.mark.xdist_group("voila")]

DESK = {"width": 1280, "height": 2400}
SLOW = 90_000
PIN = "246802"
# A persona no other browser test uses: level 2 belongs to the CCCD number, for everyone.
PERSONA = "NV-777"


def trainer(who) -> str:
    """A trainer's page: the class code every test server is started with."""
    return f"nguoi={who('gv')}&vai=trainer&ma_lop={CLASS_CODE}"


def says(page, words):
    page.locator(".kns-message").get_by_text(words).wait_for(timeout=SLOW)


def learner_with_a_locked_wallet(apps, actor: str):
    """A learner on the class list with an active VNeID account and a wallet locked by
    five wrong PINs, as a class would leave them."""
    from kynangso.domain.banks import load_banks
    from kynangso.domain.personas import persona_by_id
    from kynangso.domain.vietqr import VietQR, encode
    from kynangso.errors import InvalidInput
    from kynangso.sandbox import classroom

    person = persona_by_id(0, PERSONA)
    with apps.box("gv-chuan-bi", "trainer") as box:
        classroom.add_learners(box, "Lê Thị Mai", "trainee", lambda name: actor)
    with apps.box(actor, "trainee") as box:
        notice = box.vneid.request_activation(person.cccd, person.phone)
        code = re.search(r"\b(\d{6})\b", notice.text).group(1)
        box.vneid.verify_activation_code(person.cccd, code)
        box.vneid.complete_activation(person.cccd, password="Truclam@2025",
                                      password_again="Truclam@2025", passcode="246813",
                                      passcode_again="246813")
        account = box.wallets.open_account("zalopay", "Lê Thị Mai", balance=50_000, pin=PIN)
        payee = encode(VietQR(load_banks().training_bank.bin, "0999888777",
                              amount=1_000)).payload
        for n in range(5):
            try:
                box.wallets.pay(account.id, payload=payee, pin="999999",
                                idempotency_key=f"{actor}-{n}")
            except InvalidInput:
                pass
    return person, account


def test_the_trainer_role_needs_the_class_code(voila, who):
    with browser_page() as (page, rec):
        open_app(page, voila.url("trainer", f"nguoi={who('gv')}&vai=trainer"))
        page.get_by_label("Mã lớp").wait_for(timeout=SLOW)
        assert page.get_by_role("button", name="Làm mới dữ liệu cả lớp").count() == 0
        open_app(page, voila.url("trainer", f"nguoi={who('hv')}&vai=trainee"))
        page.get_by_text("Chỉ giảng viên mới dùng được màn hình này").wait_for(timeout=SLOW)
        assert page.get_by_role("button", name="Tạo hồ sơ mẫu phường Trúc Lâm").count() == 0
        assert rec.outside() == [] and rec.page_errors == []


def test_the_trainer_runs_the_class_from_the_browser(apps, voila, who, monkeypatch):
    monkeypatch.setenv("KYNANGSO_HASH_ITERATIONS", "1000")  # this process's hashes only
    mai = who("mai")
    person, account = learner_with_a_locked_wallet(apps, mai)
    with browser_page(DESK) as (page, rec):
        open_app(page, voila.url("trainer", trainer(who)))
        page.get_by_text("Bảng điều khiển giảng viên").first.wait_for(timeout=SLOW)
        status = page.locator(".kns-tr-status")
        assert mai in status.inner_text() and "1 bị khóa" in status.inner_text()

        # New learners get their own ids on the class list.
        page.get_by_label("Tên học viên (mỗi dòng một tên)").fill("Phạm Văn Tùng")
        page.get_by_role("button", name="Thêm vào danh sách lớp").click()
        says(page, "Đã thêm 1 học viên: Phạm Văn Tùng (pham-van-tung-")
        status.get_by_text("Phạm Văn Tùng").wait_for()

        # The learner's links, as text and as QR codes for phones.
        picker = page.get_by_label("Chọn học viên")
        picker.select_option(label=f"Lê Thị Mai — {mai}")
        cards = page.locator(".kns-tr-link")
        cards.first.wait_for()
        assert cards.count() == 5
        portal = cards.first
        assert f"/voila/render/portal.ipynb?nguoi={mai}" in portal.inner_text()
        image = portal.locator("img")
        assert image.get_attribute("alt") == "Mã QR mở Cổng Dịch vụ công cho Lê Thị Mai"
        assert image.evaluate("img => img.complete && img.naturalWidth > 0")
        screenshot(page, "trainer-desktop")

        # The police desk step, then the locked wallet.
        page.get_by_role("button", name="Ghi nhận định danh mức 2", exact=True).click()
        says(page, f"Đã ghi nhận định danh mức 2 cho số {person.cccd}")
        status.get_by_text(f"{person.cccd}: mức 2").wait_for()
        page.get_by_role("button", name="Mở khóa ví").click()
        says(page, f"Đã mở khóa tài khoản {account.id}")

        # A reset asks first; the class reset needs the word typed.
        page.get_by_role("button", name="Xóa dữ liệu tập dượt của học viên này").click()
        page.get_by_text("Xóa hết dữ liệu tập dượt của Lê Thị Mai?").wait_for()
        page.get_by_role("button", name="Xác nhận xóa").click()
        says(page, "Đã xóa dữ liệu tập dượt của Lê Thị Mai")
        page.get_by_role("button", name="Làm mới dữ liệu cả lớp").click()
        says(page, "Chưa xác nhận: gõ đúng chữ XÓA vào ô rồi bấm lại")
        assert rec.outside() == []
        assert rec.console_errors == [] and rec.page_errors == []

    with apps.box(mai, "trainee") as box:
        assert box.vneid.accounts() == [] and box.wallets.accounts(owner=mai) == []
        assert box.vneid.enrolment_level(person.cccd) == 2  # the police record stays
        assert box.dossiers.list()  # nobody else's work was touched
