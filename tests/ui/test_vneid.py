"""The VNeID screen driven in the kernel: set values, click buttons, read the message and the
store. Happy path, each bad input, the new phone, level 2, and a reload."""

from __future__ import annotations

import re
from datetime import datetime

import pytest

from kynangso.domain import vneid as rules
from kynangso.domain.personas import make_personas
from kynangso.i18n import set_language
from kynangso.sandbox.store import Sandbox
from kynangso.sandbox.vneid import SEED_ENV
from kynangso.ui.vneid import VneidScreen

from helpers import click, text

MONDAY_8AM = datetime(2025, 11, 10, 8, 0)
AN, BINH = make_personas(2)
PASSWORD, PASSCODE = "Truclam@2025", "246813"


@pytest.fixture(autouse=True)
def seeded(monkeypatch):
    monkeypatch.setenv(SEED_ENV, "lop-ui")
    monkeypatch.setattr(rules, "SECRET_ITERATIONS", 1_000)  # tests/domain checks the real one
    yield
    set_language("vi")


@pytest.fixture
def box(tmp_path):
    store = Sandbox.open(tmp_path, actor="tnv-an", role="trainee", start=MONDAY_8AM,
                         clock_running=False)
    yield store
    store.close()


def sms_code(screen: VneidScreen) -> str:
    return re.search(r"\b(\d{6})\b", screen.sms.value).group(1)


def activate(screen: VneidScreen, person=AN) -> None:
    click(screen.body, "Kích hoạt tài khoản định danh điện tử")
    screen.act_cccd.value, screen.act_phone.value = person.cccd, person.phone
    click(screen.body, "Gửi yêu cầu")
    screen.otp.value = sms_code(screen)
    click(screen.body, "Xác nhận")
    screen.password.value = screen.password_again.value = PASSWORD
    screen.passcode.value = screen.passcode_again.value = PASSCODE
    click(screen.body, "Hoàn tất kích hoạt")


def log_in(screen: VneidScreen, password: str = PASSWORD) -> None:
    screen.login_password.value = password
    click(screen.body, "Đăng nhập")


def open_services(screen: VneidScreen) -> None:
    click(screen.body, "Dịch vụ công")
    screen.gate.value = PASSCODE
    click(screen.body, "Mở")


# --- happy path -----------------------------------------------------------------------------


def test_screen_opens_on_the_login_with_the_practice_banner(box):
    screen = VneidScreen(box)
    assert screen.view == "login" and "MÔI TRƯỜNG TẬP DƯỢT" in screen.banner.value
    assert box.events(action="screen.opened")[-1].subject == "vneid"
    assert not hasattr(screen, "police_cccd")  # the police desk is not for trainees


def test_persona_picker_fills_number_and_phone(box):
    screen = VneidScreen(box)
    click(screen.body, "Kích hoạt tài khoản định danh điện tử")
    screen.persona_pick.value = "NV-002"
    assert (screen.act_cccd.value, screen.act_phone.value) == (BINH.cccd, BINH.phone)


def test_code_arrives_as_a_message_on_the_phone_screen(box):
    screen = VneidScreen(box)
    click(screen.body, "Kích hoạt tài khoản định danh điện tử")
    screen.act_cccd.value, screen.act_phone.value = AN.cccd, AN.phone
    click(screen.body, "Gửi yêu cầu")
    code = rules.otp_code("lop-ui", 1)
    assert (f"Tin nhắn:</b> Mã kích hoạt VNeID của bạn là {code}. Không cung cấp mã này "
            "cho bất kỳ ai.") in screen.sms.value
    assert "Đã gửi mã OTP đến số" in screen.message_text and "08:03:00" in screen.message_text


def test_activation_then_login_shows_the_level_one_badge(box):
    screen = VneidScreen(box)
    activate(screen)
    assert "Kích hoạt thành công: Định danh mức 1" in screen.message_text
    assert screen.view == "login" and screen.login_cccd.value == AN.cccd
    log_in(screen)
    assert screen.view == "home" and "Xin chào" in screen.message_text
    assert "Định danh mức 1" in text(screen.body) and AN.full_name in text(screen.body)
    assert [e.action for e in box.events(prefix="vneid.")][-2:] == ["vneid.activated",
                                                                   "vneid.login"]


def test_level_one_is_refused_the_judicial_record(box):
    screen = VneidScreen(box)
    activate(screen)
    log_in(screen)
    open_services(screen)
    click(screen.body, "Cấp Phiếu lý lịch tư pháp")
    assert "yêu cầu tài khoản định danh điện tử mức 2" in screen.message_text
    assert box.events(action="vneid.procedure_refused")[-1].payload["reason"] == "level"


def test_level_one_wallet_explains_level_two(box):
    screen = VneidScreen(box)
    activate(screen)
    log_in(screen)
    click(screen.body, "Ví giấy tờ")
    assert "dùng cho tài khoản định danh điện tử mức 2" in text(screen.body)


def test_trainer_records_level_two_and_the_resident_submits(box):
    screen = VneidScreen(box)
    activate(screen)
    trainer = VneidScreen(box.as_actor("gv", "trainer"))
    trainer.police_cccd.value = AN.cccd
    click(trainer.body, "Ghi nhận định danh mức 2")
    assert "Đã ghi nhận định danh mức 2" in trainer.message_text
    log_in(screen)
    assert "Định danh mức 2" in text(screen.body)
    open_services(screen)
    click(screen.body, "Cấp Phiếu lý lịch tư pháp")
    assert screen.contact.value == AN.phone
    click(screen.body, "Nộp hồ sơ")
    assert "Mã hồ sơ: 000.00.99.H56-251110-0001" in screen.message_text
    assert "000.00.99.H56-251110-0001" in text(screen.body)  # listed under "Hồ sơ của tôi"
    assert box.dossiers.get("000.00.99.H56-251110-0001").channel == "vneid"
    click(screen.body, "Thông báo")
    assert "Cấp Phiếu lý lịch tư pháp: Đã nộp" in text(screen.body)
    assert "Cảnh báo lừa đảo" in text(screen.body)


def test_level_two_wallet_shows_synthetic_cards_after_the_passcode(box):
    box.as_actor("gv", "trainer").vneid.upgrade_level2(AN.cccd)
    screen = VneidScreen(box)
    activate(screen)
    log_in(screen)
    click(screen.body, "Ví giấy tờ")
    screen.gate.value = PASSCODE
    click(screen.body, "Mở")
    shown = text(screen.body)
    assert "Thẻ bảo hiểm y tế" in shown and "Dữ liệu giả lập" in shown
    assert shown.count("Dữ liệu giả lập") == len(box.vneid.wallet(AN.cccd))


# --- bad inputs -----------------------------------------------------------------------------


@pytest.mark.parametrize(("cccd", "phone", "words"), [
    ("", AN.phone, "Chưa nhập Số định danh cá nhân (CCCD)"),
    ("01409599900", AN.phone, "phải có đúng 12 chữ số"),
    ("999095999000", AN.phone, "không phải mã tỉnh"),
    (AN.cccd, "", "Chưa nhập Số điện thoại"),
    (AN.cccd, "0912 345 678", "không phải số đã đăng ký"),
])
def test_bad_number_or_phone_shows_a_message_naming_the_field(box, cccd, phone, words):
    screen = VneidScreen(box)
    click(screen.body, "Kích hoạt tài khoản định danh điện tử")
    screen.act_cccd.value, screen.act_phone.value = cccd, phone
    click(screen.body, "Gửi yêu cầu")
    assert words in screen.message_text and screen.view == "activate"


def test_a_non_persona_number_gets_the_never_a_real_number_warning(box):
    screen = VneidScreen(box)
    click(screen.body, "Kích hoạt tài khoản định danh điện tử")
    screen.act_cccd.value, screen.act_phone.value = "001089000123", "0912345678"
    click(screen.body, "Gửi yêu cầu")
    assert "không nhập số CCCD thật" in text(screen.body)


def test_wrong_code_says_tries_left_and_a_new_one_can_be_sent(box):
    screen = VneidScreen(box)
    click(screen.body, "Kích hoạt tài khoản định danh điện tử")
    screen.act_cccd.value, screen.act_phone.value = AN.cccd, AN.phone
    click(screen.body, "Gửi yêu cầu")
    right = sms_code(screen)
    screen.otp.value = "000000" if right != "000000" else "111111"
    click(screen.body, "Xác nhận")
    assert "Mã OTP không đúng" in screen.message_text and "còn 4 lần" in screen.message_text
    click(screen.body, "Gửi lại mã")
    assert sms_code(screen) != right
    screen.otp.value = sms_code(screen)
    click(screen.body, "Xác nhận")
    assert screen.view == "activate_secrets"


def test_expired_code_says_to_ask_for_a_new_one(box):
    screen = VneidScreen(box)
    click(screen.body, "Kích hoạt tài khoản định danh điện tử")
    screen.act_cccd.value, screen.act_phone.value = AN.cccd, AN.phone
    click(screen.body, "Gửi yêu cầu")
    box.as_actor("gv", "trainer").advance_clock(minutes=5)
    screen.otp.value = sms_code(screen)
    click(screen.body, "Xác nhận")
    assert "hết hạn" in screen.message_text and "Gửi lại mã" in screen.message_text


@pytest.mark.parametrize(("field", "value", "words"), [
    ("password", "abc", "Mật khẩu phải dài từ 8 đến 20 ký tự"),
    ("password_again", "Truclam@2026", "Nhập lại mật khẩu không khớp"),
    ("passcode", "12345", "Passcode phải gồm đúng 6 chữ số"),
    ("passcode_again", "246814", "Nhập lại passcode không khớp"),
])
def test_bad_password_or_passcode_names_the_field(box, field, value, words):
    screen = VneidScreen(box)
    click(screen.body, "Kích hoạt tài khoản định danh điện tử")
    screen.act_cccd.value, screen.act_phone.value = AN.cccd, AN.phone
    click(screen.body, "Gửi yêu cầu")
    screen.otp.value = sms_code(screen)
    click(screen.body, "Xác nhận")
    screen.password.value = screen.password_again.value = PASSWORD
    screen.passcode.value = screen.passcode_again.value = PASSCODE
    getattr(screen, field).value = value
    click(screen.body, "Hoàn tất kích hoạt")
    assert words in screen.message_text and screen.view == "activate_secrets"
    assert screen.password.value == ""  # secrets are cleared after each try


def test_wrong_password_says_tries_left_then_locks(box):
    screen = VneidScreen(box)
    activate(screen)
    log_in(screen, "Sai@12345")
    assert "Mật khẩu không đúng. Bạn còn 4 lần thử" in screen.message_text
    for _attempt in range(4):
        log_in(screen, "Sai@12345")
    assert "tạm khóa" in screen.message_text
    log_in(screen)
    assert "tạm khóa" in screen.message_text and screen.view == "login"
    assert box.events(action="vneid.locked")


def test_login_before_activation_points_to_activation(box):
    screen = VneidScreen(box)
    screen.login_cccd.value = AN.cccd
    log_in(screen)
    assert "Kích hoạt tài khoản" in screen.message_text


def test_wrong_passcode_says_tries_left_and_the_lock_signs_out(box):
    screen = VneidScreen(box)
    activate(screen)
    log_in(screen)
    click(screen.body, "Dịch vụ công")
    screen.gate.value = "135790"
    click(screen.body, "Mở")
    assert "Passcode không đúng. Bạn còn 4 lần thử" in screen.message_text
    for _attempt in range(4):
        screen.gate.value = "135790"
        click(screen.body, "Mở")
    assert screen.view == "login" and "tạm khóa" in screen.message_text


def test_a_new_phone_needs_the_code_from_the_old_one(box):
    screen = VneidScreen(box)
    activate(screen)
    screen.device_pick.value = "dien-thoai-b"
    log_in(screen)
    assert screen.view == "new_device"
    assert "Thông báo ứng dụng VNeID trên điện thoại cũ" in screen.sms.value
    screen.device_code.value = "12"
    click(screen.body, "Xác nhận")
    assert "Mã OTP gồm đúng 6 chữ số" in screen.message_text
    screen.device_code.value = sms_code(screen)
    click(screen.body, "Xác nhận")
    assert screen.view == "home"
    assert box.vneid.account(AN.cccd).device == "dien-thoai-b"


def test_contact_phone_is_checked_before_submitting(box):
    box.as_actor("gv", "trainer").vneid.upgrade_level2(AN.cccd)
    screen = VneidScreen(box)
    activate(screen)
    log_in(screen)
    open_services(screen)
    click(screen.body, "Đăng ký tạm trú")
    screen.contact.value = "12345"
    click(screen.body, "Nộp hồ sơ")
    assert "Số điện thoại" in screen.message_text and box.dossiers.list() == []


# --- robustness -------------------------------------------------------------------------------


def test_a_reload_brings_back_the_account_and_the_dossier(box):
    box.as_actor("gv", "trainer").vneid.upgrade_level2(AN.cccd)
    first = VneidScreen(box)
    activate(first)
    log_in(first)
    open_services(first)
    click(first.body, "Đăng ký tạm trú")
    click(first.body, "Nộp hồ sơ")
    reloaded = VneidScreen(box)  # a new page over the same store
    assert reloaded.login_cccd.value == AN.cccd
    assert f"Tài khoản đã kích hoạt: {AN.full_name}" in text(reloaded.body)
    log_in(reloaded)
    open_services(reloaded)
    assert "000.00.99.H56-251110-0001" in text(reloaded.body)


def test_an_unexpected_error_shows_a_friendly_message_not_a_traceback(box, monkeypatch):
    screen = VneidScreen(box)

    def broken(*_args, **_kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(box.vneid, "login", broken)
    screen.login_cccd.value = AN.cccd
    log_in(screen)
    assert "Đã có lỗi ngoài dự kiến" in screen.message_text
    assert "boom" not in screen.message_text and "Traceback" not in screen.message_text
    assert box.events(action="ui.error")[-1].subject == "vneid"


def test_switching_language_redraws_the_current_view(box):
    screen = VneidScreen(box)
    activate(screen)
    log_in(screen)
    screen.language.value = "en"
    screen.language.value = "vi"
    assert screen.view == "home" and "Định danh mức 1" in text(screen.body)


def test_logout_returns_to_the_login(box):
    screen = VneidScreen(box)
    activate(screen)
    log_in(screen)
    click(screen.body, "Đăng xuất")
    assert screen.view == "login" and screen.cccd is None
    assert box.events()[-1].action == "vneid.logout"
