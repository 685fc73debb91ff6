"""Wallet rules without a store: the three apps, amounts, PINs, payment requests, receipts."""

from __future__ import annotations

import unicodedata
from dataclasses import replace
from datetime import datetime

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from kynangso.domain import wallets
from kynangso.domain.banks import load_banks
from kynangso.domain.personas import PAYMENT_APPS
from kynangso.domain.vietqr import VietQR, crc16, encode
from kynangso.domain.wallets import (
    MAX_PIN_TRIES,
    STEP_CODES,
    Payment,
    Receipt,
    check_pin,
    find_dossier_code,
    hash_pin,
    load_wallets,
    parse_amount,
    parse_wallets,
    payment_amount,
    payment_request,
    pin_failure,
    verify_pin,
)
from kynangso.errors import DataFileError, InvalidInput

BANKS = load_banks()
TRAINING = BANKS.training_bank
STATIC = encode(VietQR(TRAINING.bin, "0999000001", name="Tạp hoá Lan")).payload
DYNAMIC = encode(VietQR(TRAINING.bin, "0999000009", amount=7_000, name="TT PVHCC Truc Lam",
                        purpose="LP TRUCLAM-251110-0001")).payload
FAST = 1_000  # PBKDF2 rounds for property tests; the format records the count used


def nfc(text: str) -> bool:
    return unicodedata.normalize("NFC", text) == text


# --- apps ---------------------------------------------------------------------------------


def test_three_apps_match_the_personas_payment_apps():
    assert tuple(app.code for app in load_wallets()) == PAYMENT_APPS


def test_every_app_says_it_is_simulated():
    for app in load_wallets():
        assert "(mô phỏng)" in app.name and nfc(app.name)


def test_bank_app_is_named_for_the_training_bank_not_a_real_bank():
    bank_app = load_wallets().get("ngan-hang")
    assert "Tập Dượt" in bank_app.name
    for bank in BANKS:
        if not bank.training:
            assert bank.short_name.lower() not in bank_app.name.lower()


def test_wording_is_marked_as_an_unverified_approximation():
    apps = load_wallets()
    assert apps.verified is False
    assert all(app.verified is False for app in apps)
    assert "OTP" in apps.notice and "PIN" in apps.notice and "mô phỏng" in apps.notice


def test_each_app_has_the_six_steps_in_order():
    for app in load_wallets():
        assert tuple(step.code for step in app.steps) == STEP_CODES
        assert app.auth in ("pin", "otp")


def test_apps_differ_in_wording_and_authentication():
    apps = list(load_wallets())
    assert len({app.step("auth").title for app in apps}) == 3
    assert {app.auth for app in apps} == {"pin", "otp"}


def test_dynamic_code_skips_the_amount_step():
    app = load_wallets().get("zalopay")
    dynamic = payment_request(DYNAMIC)
    static = payment_request(STATIC)
    assert "amount" not in [s.code for s in app.steps_for(dynamic)]
    assert [s.code for s in app.steps_for(static)] == list(STEP_CODES)


def test_step_text_fills_placeholders_and_marks_missing_ones():
    app = load_wallets().get("viettel-money")
    request = payment_request(DYNAMIC)
    title, text = app.step("confirm").render(**request.values())
    assert title == "Xác nhận giao dịch"
    assert "7.000 ₫" in text and "TT PVHCC Truc Lam" in text
    _, receipt = app.step("receipt").render()
    assert "—" in receipt


def test_unknown_app_is_refused_naming_the_field():
    with pytest.raises(InvalidInput, match="Ứng dụng thanh toán") as err:
        load_wallets().get("momo")
    assert err.value.field == "ung_dung"


def test_unknown_step_is_refused():
    with pytest.raises(InvalidInput) as err:
        load_wallets().get("zalopay").step("otp")
    assert err.value.field == "buoc"


def _broken(tmp_path, change):
    data = yaml.safe_load((wallets.DATA_DIR / "wallets.yaml").read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "wallets.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize(("change", "field"), [
    (lambda d: d["apps"][1].update(name="ZaloPay"), "name"),
    (lambda d: d["apps"][0].update(auth="sms"), "auth"),
    (lambda d: d["apps"][2]["steps"].reverse(), "steps"),
    (lambda d: d["apps"][0]["steps"][1].update(text="Người nhận {nguoi_nhan}"), "text"),
    (lambda d: d["apps"][0]["steps"][1].update(text="Người nhận {recipient"), "text"),
    (lambda d: d["apps"][1].update(code="ngan-hang"), "code"),
    (lambda d: d["apps"][1]["labels"].pop("confirm"), "confirm"),
    (lambda d: d.pop("notice"), "notice"),
])
def test_malformed_wallets_file_names_file_entry_and_field(tmp_path, change, field):
    path = _broken(tmp_path, change)
    with pytest.raises(DataFileError) as err:
        load_wallets(path)
    assert err.value.field == field
    assert "wallets.yaml" in str(err.value)


def test_wallets_file_without_apps_is_refused():
    with pytest.raises(DataFileError):
        parse_wallets({"apps": [], "notice": "x", "source": "y"}, "wallets.yaml")


# --- amounts ------------------------------------------------------------------------------


@pytest.mark.parametrize(("typed", "amount"), [
    ("200.000", 200_000), ("200000", 200_000), (200_000, 200_000), (" 200.000 ₫", 200_000),
    ("1.000.000", 1_000_000), ("50000đ", 50_000), ("7.000 VND", 7_000), ("5", 5),
    ("200\u00a0000", 200_000),
])
def test_amount_typed_with_or_without_dots(typed, amount):
    assert parse_amount(typed) == amount


@pytest.mark.parametrize("typed", [
    "200,5", "200,000", "200.5", "200.00", "2.00.000", "20.0000", "0", "0.000", "-5", "",
    "   ", "abc", "2e5", "1/2", 0, -1, True, 1.5, None, 10 ** 13, "１２３",
])
def test_bad_amount_is_refused_naming_so_tien(typed):
    with pytest.raises(InvalidInput) as err:
        parse_amount(typed)
    assert err.value.field == "so_tien"
    assert "Số tiền" in err.value.message and nfc(err.value.message)


@given(st.integers(min_value=1, max_value=10 ** 12))
def test_amount_reads_back_from_vietnamese_grouping(amount):
    grouped = f"{amount:,}".replace(",", ".")
    assert parse_amount(grouped) == parse_amount(str(amount)) == amount


def test_static_code_needs_a_typed_amount():
    request = payment_request(STATIC)
    with pytest.raises(InvalidInput, match="mã tĩnh") as err:
        payment_amount(request)
    assert err.value.field == "so_tien"
    assert payment_amount(request, "15.000") == 15_000


def test_dynamic_code_amount_cannot_be_changed():
    request = payment_request(DYNAMIC)
    assert payment_amount(request) == 7_000
    assert payment_amount(request, "7.000") == 7_000
    with pytest.raises(InvalidInput, match="không được đổi") as err:
        payment_amount(request, 5_000)
    assert err.value.field == "so_tien"


# --- PIN ----------------------------------------------------------------------------------


@pytest.mark.parametrize("pin", ["12345", "1234567", "12a456", "", "12 456", "１２３４５６",
                                 123456, None])
def test_pin_must_be_six_digits_and_is_not_echoed(pin):
    with pytest.raises(InvalidInput) as err:
        check_pin(pin)
    assert err.value.field == "ma_pin"
    assert "Mã PIN" in err.value.message
    if pin:
        assert str(pin) not in err.value.message
    assert err.value.value is None


def test_pin_is_stored_as_a_salted_pbkdf2_hash():
    first, second = hash_pin("135790"), hash_pin("135790")
    assert first != second  # salted
    assert "135790" not in first
    algorithm, rounds, salt, digest = first.split("$")
    assert algorithm == "pbkdf2_sha256" and int(rounds) >= 100_000
    assert len(bytes.fromhex(salt)) == 16 and len(digest) == 64
    assert verify_pin("135790", first) and not verify_pin("135791", first)


@settings(max_examples=25, deadline=None)
@given(st.text(alphabet="0123456789", min_size=6, max_size=6),
       st.text(alphabet="0123456789", min_size=6, max_size=6))
def test_only_the_right_pin_verifies(pin, other):
    stored = hash_pin(pin, iterations=FAST)
    assert verify_pin(pin, stored)
    assert verify_pin(other, stored) == (other == pin)


def test_wrong_pin_counts_down_then_locks():
    assert pin_failure(2).message == "Mã PIN không đúng. Còn 3 lần thử."
    assert not pin_failure(4).locked
    locked = pin_failure(MAX_PIN_TRIES)
    assert locked.locked
    assert locked.message == ("Tài khoản đã bị khóa sau 5 lần nhập sai mã PIN. "
                              "Hãy nhờ giảng viên mở khóa.")


# --- payment requests ---------------------------------------------------------------------


def test_static_request_names_recipient_bank_and_no_amount():
    request = payment_request(STATIC, BANKS)
    assert (request.recipient, request.bank.bin, request.account) == (
        "Tap hoa Lan", TRAINING.bin, "0999000001")
    assert request.amount is None and request.static and request.training


def test_dynamic_request_has_amount_purpose_and_dossier_code():
    request = payment_request(DYNAMIC)
    assert request.amount == 7_000
    assert request.purpose == "LP TRUCLAM-251110-0001"
    assert request.dossier_code == "TRUCLAM-251110-0001"


def test_public_real_bank_vector_is_readable():
    vector = ("00020101021238570010A00000072701270006970422011300234579234420208QRIBFTTA"
              "53037045405401235802VN62160812chuyen khoan6304722F")
    request = payment_request(vector)
    assert (request.bank.short_name, request.amount, request.training) == ("MB", 40_123, False)


def test_code_with_problems_is_refused_listing_each_in_vietnamese():
    broken = STATIC[:-4] + "0000"
    with pytest.raises(InvalidInput) as err:
        payment_request(broken)
    assert err.value.field == "ma_qr"
    assert err.value.message.startswith("Mã QR không dùng để thanh toán được:")
    assert f"tính được {crc16(STATIC[:-4])!r}" in err.value.message
    assert "\n- " in err.value.message


@pytest.mark.parametrize("payload", ["", "https://dichvucongs.top/tra-cuu", 42, None])
def test_not_a_payment_code_is_refused(payload):
    with pytest.raises(InvalidInput) as err:
        payment_request(payload)
    assert err.value.field == "ma_qr" and "Mã QR" in err.value.message


@pytest.mark.parametrize(("texts", "code"), [
    (("LE PHI TRUCLAM-251110-0001",), "TRUCLAM-251110-0001"),
    (("le phi truclam-251110-0002",), "TRUCLAM-251110-0002"),
    ((None, "HS:TRUCLAM-251110-0003"), "TRUCLAM-251110-0003"),
    (("TRUCLAM-251340-0001",), None),  # month 13: not a real day
    (("TRUCLAM-251110-00012",), None),
    (("mua rau",), None),
    ((None, None), None),
])
def test_dossier_code_is_found_in_purpose_or_bill_number(texts, code):
    assert find_dossier_code(*texts) == code


# --- receipts -----------------------------------------------------------------------------


def test_receipt_text_is_a_practice_receipt_with_the_reference():
    app = load_wallets().get("ngan-hang")
    payment = Payment(reference="GD251110000001", at=datetime(2025, 11, 10, 8, 5),
                      payer="0999000002", payer_name="Trần Văn An", app="ngan-hang",
                      payee_bin=TRAINING.bin, payee_account="0999000009",
                      payee_name="TT PVHCC Truc Lam", amount=200_000,
                      purpose="LP TRUCLAM-251110-0001", dossier_code="TRUCLAM-251110-0001")
    text = Receipt(payment, app, TRAINING.short_name, "0999000002").text()
    assert text.splitlines()[0] == "Chuyển tiền thành công (mô phỏng)"
    for part in ("GD251110000001", "08:05 10/11/2025", "200.000 ₫", "TRUCLAM-251110-0001",
                 app.name, "tập dượt"):
        assert part in text
    assert nfc(text)
    plain = Receipt(replace(payment, dossier_code=None, purpose=None), app, "NH", "1").text()
    assert "Lệ phí hồ sơ" not in plain and "Nội dung: —" in plain
