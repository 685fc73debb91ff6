"""The wallet and trader apps in a real browser through Voila: a dossier fee paid with the
bank app, the page reloaded, and a stall's sign downloaded, scanned from a photo and
reconciled; the balance checked where the amount is typed, one step count, a wrong PIN that
empties its box, and a locked wallet that stays locked until the trainer unlocks it."""

from __future__ import annotations

import pytest

from browser_helpers import browser_page, screenshot

pytestmark = [pytest.mark.server, pytest.mark.xdist_group("voila")]

PIN = "246802"
PHONE = {"width": 480, "height": 1000}
TALL = {"width": 480, "height": 1600}  # the trader's tabs are long: keep them in one shot
LONG = 60_000


def fee_waiting(apps, person: str) -> str:
    """A dossier of ``person`` waiting for its 7.000 ₫ fee."""
    with apps.box(person, "resident") as box:
        code = box.dossiers.create("tam-tru", {"ho_ten": "Lê Thị Hoa",
                                               "cccd": "038190999003"}).code
        box.dossiers.submit(code)
    return code


def reopen(store, actor):
    from kynangso.sandbox.store import Sandbox

    return Sandbox.open(store, actor=actor, role="resident")


def watch(page, rec) -> None:
    """Record a second page (browser_page records the first) into the same recorder."""
    page.on("request", lambda r: rec.requests.append(r.url))
    page.on("console", lambda m: rec.console_errors.append(m.text) if m.type == "error"
            else None)
    page.on("pageerror", lambda e: rec.page_errors.append(str(e)))


def refusals(page) -> list[str]:
    """URLs the server refused while ``page`` was open."""
    refused: list[str] = []
    page.on("response", lambda r: refused.append(r.url) if r.status >= 400 else None)
    return refused


def assert_clean_after_reload(rec, refused: list[str]) -> None:
    """No request left the machine and nothing failed, the reload included."""
    assert rec.outside() == [] and rec.page_errors == []
    assert refused == [] and rec.console_errors == []


def open_account(page, name: str) -> None:
    page.get_by_label("Tên chủ tài khoản").fill(name)
    page.get_by_label("Chọn mã PIN tập dượt (6 số)").fill(PIN)
    page.get_by_label("Nhập lại mã PIN").fill(PIN)
    page.get_by_role("button", name="Mở tài khoản tập dượt").click()
    page.get_by_text("Đã mở tài khoản tập dượt").wait_for()


def test_paying_a_dossier_fee_with_the_bank_app(apps, voila, who):
    person = who("chi-hoa")
    server, store, code = voila, voila.store, fee_waiting(apps, person)
    with browser_page(PHONE) as (page, rec):
        page.goto(server.url("wallet", f"nguoi={person}&ma={code}"), timeout=LONG)
        page.get_by_text("MÔI TRƯỜNG TẬP DƯỢT").wait_for(timeout=LONG)
        page.get_by_text(f"Hồ sơ {code} (Đăng ký tạm trú) đang chờ nộp lệ phí").wait_for()
        screenshot(page, "wallet-home")
        page.get_by_role("button", name="Ngân hàng số Tập Dượt (mô phỏng)").click()
        page.get_by_text("Mã PIN bạn chọn ở đây chỉ để tập dượt").wait_for()
        screenshot(page, "wallet-open-account")
        open_account(page, "Lê Thị Hoa")
        page.get_by_role("button", name="Quét QR").click()
        assert code in page.get_by_label("Mã QR", exact=True).locator("option:checked").inner_text()
        screenshot(page, "wallet-scan")
        page.get_by_role("button", name="Quét QR").click()
        page.get_by_text("Bước 2/5 — Kiểm tra người nhận").wait_for()
        assert "Phường Trúc Lâm - thu phí (tập dượt)" in page.locator(".kns-wallet-review") \
            .inner_text()
        screenshot(page, "wallet-review")
        page.get_by_role("button", name="Tiếp tục").click()
        page.get_by_text("Bước 3/5 — Xác nhận giao dịch").wait_for()
        screenshot(page, "wallet-confirm")
        page.get_by_role("button", name="Xác nhận").click()
        pin = page.get_by_label("Mã PIN Smart OTP (6 số)")
        assert (pin.get_attribute("inputmode"), pin.get_attribute("maxlength")) == ("numeric",
                                                                                     "6")
        pin.fill("000000")
        page.get_by_role("button", name="Xác thực").click()
        page.get_by_text("Mã PIN không đúng. Còn 4 lần thử.").wait_for()
        page.wait_for_function("() => document.activeElement && "
                               "document.activeElement.getAttribute('aria-invalid') === 'true'")
        assert pin.input_value() == ""  # a wrong PIN never stays in the box
        pin.fill(PIN)
        page.get_by_role("button", name="Xác thực").dblclick()  # an impatient double tap
        page.locator(".kns-wallet-reference").first.wait_for()
        page.get_by_text(f"Đã nộp lệ phí hồ sơ {code}.").or_(
            page.get_by_text("không bị trừ tiền thêm")).wait_for()
        reference = page.locator(".kns-wallet-reference").first.inner_text()
        screenshot(page, "wallet-receipt")
        assert rec.outside() == []
        assert rec.console_errors == [] and rec.page_errors == []
    with reopen(store, person) as box:
        assert box.dossiers.get(code).fee_paid
        [payment] = [p for p in box.wallets.payments() if p.dossier_code == code]
        assert (payment.reference, payment.amount, payment.dossier_code) == (reference, 7_000,
                                                                             code)


def test_a_reload_shows_the_fee_paid_and_the_history(voila, who):
    from kynangso.ui.wallet import PRACTICE_BALANCE, fee_payload

    server, store = voila, voila.store
    returning = who("chi-mai")  # has already paid, before the page opens
    # This test pays on its own (through the store), so it does not depend on test order.
    with reopen(store, actor=returning) as box:
        code = box.dossiers.create("tam-tru", {"ho_ten": "Đỗ Thị Mai",
                                               "cccd": "038190999004"}).code
        box.dossiers.submit(code)
        account = box.wallets.open_account("ngan-hang", "Đỗ Thị Mai",
                                           balance=PRACTICE_BALANCE, pin=PIN)
        payment = box.wallets.pay(account.id, fee_payload(box, box.dossiers.get(code)),
                                  pin=PIN, idempotency_key="reload-test")
    with browser_page(PHONE) as (page, rec):
        refused = refusals(page)
        page.goto(server.url("wallet", f"nguoi={returning}&ma={code}"), timeout=LONG)
        page.get_by_text("MÔI TRƯỜNG TẬP DƯỢT").wait_for(timeout=LONG)
        page.reload(timeout=LONG)
        note = page.locator(".kns-wallet-feepaid")
        note.wait_for(timeout=LONG)
        assert "đã nộp lệ phí 7.000" in note.inner_text()
        assert payment.reference in note.inner_text()
        page.get_by_role("button", name="Ngân hàng số Tập Dượt (mô phỏng)").click()
        page.get_by_text("1.993.000").wait_for()
        page.get_by_role("button", name="Lịch sử giao dịch").click()
        page.locator(".kns-wallet-history").wait_for()
        assert payment.reference in page.locator(".kns-wallet-history").inner_text()
        screenshot(page, "wallet-history")
        assert_clean_after_reload(rec, refused)


def test_a_stall_sign_is_downloaded_scanned_paid_and_reconciled(voila, who, tmp_path):
    server, store = voila, voila.store
    trader, customer_name = who("chi-lan"), who("anh-minh")
    with browser_page(TALL) as (page, rec):
        refused = refusals(page)
        page.goto(server.url("trader", f"nguoi={trader}"), timeout=LONG)
        page.get_by_text("MÔI TRƯỜNG TẬP DƯỢT").wait_for(timeout=LONG)
        page.get_by_label("Tên cửa hàng").fill("Tạp hoá Lan")
        page.get_by_label("Tên chủ tài khoản").fill("Nguyễn Thị Lan")
        page.get_by_label("Chọn mã PIN tập dượt (6 số)").fill("135790")
        page.get_by_label("Nhập lại mã PIN").fill("135790")
        page.get_by_role("button", name="Tạo mã QR của quầy").click()
        page.get_by_text("Đã tạo mã QR cho quầy «Tạp hoá Lan»").wait_for()
        page.get_by_role("button", name="Chuẩn bị biển QR để in").click()
        page.locator("a.kns-sign-pdf").wait_for()
        screenshot(page, "trader-stall")
        assert page.locator("a.kns-sign-pdf").get_attribute("href").startswith(
            "data:application/pdf;base64,")
        with page.expect_download() as download:
            page.locator("a.kns-sign-png").click()
        sign = tmp_path / download.value.suggested_filename
        download.value.save_as(sign)
        assert sign.name == "bien-qr-tap-hoa-lan-a6.png"
        assert sign.read_bytes()[:4] == b"\x89PNG"

        # A customer photographs the sign with ZaloPay and pays 20.000 ₫.
        customer = page.context.new_page()
        watch(customer, rec)
        customer.goto(server.url("wallet", f"nguoi={customer_name}"), timeout=LONG)
        customer.get_by_text("MÔI TRƯỜNG TẬP DƯỢT").wait_for(timeout=LONG)
        customer.get_by_role("button", name="ZaloPay (mô phỏng)").click()
        open_account(customer, "Phạm Văn Minh")
        customer.get_by_role("button", name="Quét mã").click()
        with customer.expect_file_chooser() as chooser:
            customer.get_by_role("button", name="Tải ảnh QR").click()
        chooser.value.set_files(sign)
        customer.get_by_text("Bước 2/5 — Thông tin người nhận").wait_for(timeout=LONG)
        assert "Nguyễn Thị Lan" in customer.locator(".kns-wallet-review").inner_text()
        customer.get_by_label("Số tiền").fill("20.000")
        customer.get_by_role("button", name="Tiếp tục").click()
        customer.get_by_role("button", name="Thanh toán").click()
        customer.get_by_label("Mật khẩu thanh toán (6 số)").fill(PIN)
        customer.get_by_role("button", name="Xác nhận").click()
        customer.get_by_text("Đã chuyển 20.000").wait_for()
        screenshot(customer, "wallet-stall-receipt")
        customer.close()

        page.get_by_role("tab", name="Tiền nhận").click()
        page.get_by_text("1 khoản, tổng 20.000").wait_for()
        page.locator(".kns-takings").wait_for()
        assert "Phạm Văn Minh" in page.locator(".kns-takings").inner_text()
        screenshot(page, "trader-takings")
        page.get_by_role("tab", name="Đối chiếu").click()
        page.get_by_label("Giờ bán").fill("08:00")
        page.get_by_label("Số tiền").fill("20.000")
        page.get_by_role("button", name="Ghi vào sổ").click()
        page.get_by_text("Đã ghi dòng 1").wait_for()
        page.get_by_role("button", name="Đối chiếu sổ với tiền nhận").click()
        page.get_by_text("Sổ bán hàng khớp với tiền nhận.").first.wait_for()
        assert "Khớp: 1 khoản" in page.locator(".kns-reconcile").inner_text()
        screenshot(page, "trader-reconciled")

        page.reload(timeout=LONG)
        page.get_by_text("MÔI TRƯỜNG TẬP DƯỢT").wait_for(timeout=LONG)
        page.get_by_text("Tạp hoá Lan").first.wait_for()
        page.get_by_role("tab", name="Đối chiếu").click()
        page.locator(".kns-sales-book").wait_for()
        assert "20.000" in page.locator(".kns-sales-book").inner_text()
        assert_clean_after_reload(rec, refused)
    with reopen(store, trader) as box:
        from kynangso.ui.wallet import stalls

        [stall] = stalls(box, owner=trader)
        assert [p.amount for p in box.wallets.incoming(stall.account)] == [20_000]


def stall_of(apps, trader: str) -> str:
    """A trader's stall named after the trader (every stall is on every payer's list), made
    through the store; returns the label the payer's list shows."""
    from kynangso.sandbox.stalls import StallDesk

    with apps.box(trader, "trainee") as box:
        account = box.wallets.open_account("ngan-hang", "Nguyễn Thị Lan", balance=0,
                                           pin="135790")
        name = f"Quầy {trader}"
        StallDesk(box).open(name, account.id)
    return f"Biển QR quầy «{name}» (mã tĩnh, tự nhập số tiền)"


def test_the_balance_is_checked_where_the_amount_is_typed(apps, voila, who):
    stall = stall_of(apps, who("chi-lan"))
    with browser_page(PHONE) as (page, rec):
        refused = refusals(page)
        page.goto(voila.url("wallet", f"nguoi={who('anh-minh')}"), timeout=LONG)
        page.get_by_text("MÔI TRƯỜNG TẬP DƯỢT").wait_for(timeout=LONG)
        page.get_by_role("button", name="Viettel Money (mô phỏng)").click()
        open_account(page, "Phạm Văn Minh")
        page.get_by_role("button", name="Quét QR").click()
        picker = page.get_by_label("Mã QR", exact=True)
        assert picker.locator("option:checked").inner_text().replace("\xa0", " ") == "Chưa chọn"
        picker.select_option(label=stall)
        page.get_by_role("button", name="Quét QR").click()
        page.get_by_text("Bước 2/5 — Chuyển tiền đến").wait_for()
        amount = page.get_by_label("Số tiền")
        assert amount.get_attribute("inputmode") == "numeric"
        amount.fill("3.000.000")
        page.get_by_role("button", name="Tiếp tục").click()
        message = page.locator(".kns-message")
        message.get_by_text("Số dư không đủ").wait_for()
        assert "2.000.000" in message.inner_text()  # the balance, before any PIN
        assert amount.get_attribute("aria-invalid") == "true"
        screenshot(page, "wallet-balance-refused")
        amount.fill("20.000")
        page.get_by_role("button", name="Tiếp tục").click()
        page.get_by_text("Bước 3/5 — Xác nhận giao dịch").wait_for()
        assert page.locator("[aria-invalid=true]").count() == 0
        assert page.locator(".kns-msg-error").count() == 0
        page.reload(timeout=LONG)  # a locked phone, a new kernel: the same step comes back
        page.get_by_text("Bước 3/5 — Xác nhận giao dịch").wait_for(timeout=LONG)
        assert "20.000" in page.locator(".kns-wallet-confirm").inner_text()
        assert_clean_after_reload(rec, refused)


def test_a_locked_wallet_stays_locked_until_the_trainer_unlocks_it(apps, voila, who):
    from kynangso.domain.wallets import MAX_PIN_TRIES
    from kynangso.errors import InvalidInput

    person = who("chi-hoa")
    code = fee_waiting(apps, person)
    with apps.box(person, "resident") as box:
        from kynangso.ui.wallet import PRACTICE_BALANCE, fee_payload

        account = box.wallets.open_account("ngan-hang", "Lê Thị Hoa", balance=PRACTICE_BALANCE,
                                           pin=PIN)
        payload = fee_payload(box, box.dossiers.get(code))
        for _ in range(MAX_PIN_TRIES):
            try:
                box.wallets.pay(account.id, payload, pin="000000", idempotency_key="locked")
            except InvalidInput:
                pass
    with browser_page(PHONE) as (page, rec):
        refused = refusals(page)
        page.goto(voila.url("wallet", f"nguoi={person}"), timeout=LONG)
        page.get_by_text("MÔI TRƯỜNG TẬP DƯỢT").wait_for(timeout=LONG)
        page.get_by_role("button", name="Ngân hàng số Tập Dượt (mô phỏng)").click()
        page.get_by_text("Hãy nhờ giảng viên mở khóa").wait_for()
        assert page.get_by_role("button", name="Quét QR").is_disabled()
        page.reload(timeout=LONG)
        page.get_by_text("Hãy nhờ giảng viên mở khóa").wait_for(timeout=LONG)
        assert page.get_by_role("button", name="Quét QR").is_disabled()
        screenshot(page, "wallet-locked")
        with apps.box("gv", "trainer") as box:
            box.wallets.unlock(account.id)
        page.reload(timeout=LONG)
        page.get_by_role("button", name="Quét QR").wait_for(timeout=LONG)
        assert page.get_by_role("button", name="Quét QR").is_enabled()
        assert page.get_by_text("Hãy nhờ giảng viên mở khóa").count() == 0
        assert_clean_after_reload(rec, refused)
