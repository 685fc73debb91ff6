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

from helpers import button_labels, click, page_html, text, widgets

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


def fill_temporary_residence(screen: VneidScreen) -> None:
    """The boxes and the file «Đăng ký tạm trú» asks for in the app."""
    screen.inputs["dia_chi_cu_tru"].value = "Số 12, đường Trúc Lâm, phường Trúc Lâm"
    picker = screen.file_pickers["cho-o-hop-phap"]
    picker.value = picker.options[1][1]  # the first sample after "Chưa chọn"


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
    fill_temporary_residence(first)
    click(first.body, "Nộp hồ sơ")
    assert "Mã hồ sơ: 000.00.99.H56-251110-0001" in first.message_text
    reloaded = VneidScreen(box)  # a new page over the same store: still logged in
    assert (reloaded.view, reloaded.section, reloaded.cccd) == ("home", "services", AN.cccd)
    assert not reloaded.unlocked  # the passcode is asked again, as after a restart
    reloaded.gate.value = PASSCODE
    click(reloaded.body, "Mở")
    assert "000.00.99.H56-251110-0001" in text(reloaded.body)
    click(reloaded.body, "Đăng xuất")
    again = VneidScreen(box)  # logging out forgets the login
    assert again.view == "login" and again.login_cccd.value == AN.cccd
    assert f"Tài khoản đã kích hoạt: {AN.full_name}" in text(again.body)


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


# --- issue 13: what a resident meets --------------------------------------------------------


def logged_in_level_two(box, person=AN) -> VneidScreen:
    box.as_actor("gv", "trainer").vneid.upgrade_level2(person.cccd)
    screen = VneidScreen(box)
    activate(screen, person)
    log_in(screen)
    return screen


def invalid(screen: VneidScreen) -> list:
    """Widgets marked invalid right now."""
    return [w for w in widgets(screen.widget) if "kns-invalid" in w._dom_classes]


def test_an_empty_birth_registration_names_every_missing_box_and_submits_nothing(box):
    screen = logged_in_level_two(box)
    open_services(screen)
    click(screen.body, "Đăng ký khai sinh")
    assert screen.file_pickers["giay-chung-sinh"].description.startswith("Giấy chứng sinh")
    assert "Tờ khai đăng ký khai sinh" in text(screen.body)  # the app's own form stands for it
    assert screen.inputs["gioi_tinh_tre"].label == "Chưa chọn"  # shown, not a blank box
    click(screen.body, "Nộp hồ sơ")
    message = screen.message_text
    assert message.startswith("Chưa nộp được hồ sơ")
    for label in ("Họ và tên của trẻ", "Ngày sinh của trẻ", "Giới tính của trẻ",
                  "Nơi sinh của trẻ", "Quan hệ của bạn với trẻ", "Giấy chứng sinh"):
        assert label in message
    marked = invalid(screen)
    assert screen.inputs["ho_ten_tre"] in marked and screen.file_pickers["giay-chung-sinh"] in marked
    assert "Chưa chọn Giới tính của trẻ" in text(screen.body)  # said under its box too
    assert box.dossiers.list() == []
    assert box.events(action="vneid.dossier_incomplete")[-1].payload["procedure"] == "khai-sinh"


def test_a_complete_birth_registration_goes_in_and_clears_the_marks(box):
    screen = logged_in_level_two(box)
    open_services(screen)
    click(screen.body, "Đăng ký khai sinh")
    click(screen.body, "Nộp hồ sơ")
    assert invalid(screen)
    screen.inputs["ho_ten_tre"].value = "Trần Minh Khang"
    screen.inputs["ngay_sinh_tre"].value = "01/11/2025"
    screen.inputs["gioi_tinh_tre"].value = "nam"
    screen.inputs["noi_sinh"].value = "Trạm Y tế phường Trúc Lâm"
    screen.inputs["quan_he"].value = "me"
    picker = screen.file_pickers["giay-chung-sinh"]
    picker.value = picker.options[1][1]
    click(screen.body, "Nộp hồ sơ")
    assert screen.message_text.startswith("Đã nộp hồ sơ") and invalid(screen) == []
    [dossier] = box.dossiers.list()
    assert dossier.form["ho_ten_tre"] == "Trần Minh Khang" and dossier.form["quan_he"] == "me"
    assert "giay-chung-sinh" in dossier.documents


def test_the_portal_hand_off_says_what_to_bring(box):
    screen = logged_in_level_two(box)
    open_services(screen)
    click(screen.body, "Đăng ký khai sinh")
    click(screen.body, "Tiếp tục trên Cổng Dịch vụ công")
    shown = text(screen.body)
    assert "Tiếp tục trên Cổng Dịch vụ công" in shown and "Giấy chứng sinh" in shown
    assert "Họ và tên của trẻ" in shown  # what they will type there
    assert 'href="portal.ipynb?nguoi=tnv-an"' in page_html(screen.body)
    assert box.events()[-1].action == "vneid.portal_handoff" and box.dossiers.list() == []
    click(screen.body, "Quay lại khai trên VNeID")
    assert "Nộp hồ sơ" in button_labels(screen.body)


def test_a_reload_keeps_the_half_filled_form_but_no_secret(box):
    screen = logged_in_level_two(box)
    open_services(screen)
    click(screen.body, "Đăng ký khai sinh")
    screen.inputs["ho_ten_tre"].value = "Trần Minh Khang"
    screen.inputs["gioi_tinh_tre"].value = "nu"
    picker = screen.file_pickers["giay-chung-sinh"]
    picker.value = picker.options[1][1]
    draft = box.drafts.load("vneid")
    assert PASSCODE not in str(draft) and PASSWORD not in str(draft)
    reloaded = VneidScreen(box)
    reloaded.gate.value = PASSCODE
    click(reloaded.body, "Mở")
    assert reloaded.inputs["ho_ten_tre"].value == "Trần Minh Khang"
    assert reloaded.inputs["gioi_tinh_tre"].value == "nu"
    assert reloaded.file_pickers["giay-chung-sinh"].value == picker.value


def test_a_reload_during_activation_comes_back_to_the_code_step(box):
    screen = VneidScreen(box)
    click(screen.body, "Kích hoạt tài khoản định danh điện tử")
    screen.act_cccd.value, screen.act_phone.value = AN.cccd, AN.phone
    click(screen.body, "Gửi yêu cầu")
    code = sms_code(screen)
    reloaded = VneidScreen(box)
    assert reloaded.view == "activate_otp" and sms_code(reloaded) == code
    reloaded.otp.value = code
    click(reloaded.body, "Xác nhận")
    assert reloaded.view == "activate_secrets"


def test_a_locked_account_is_not_brought_back_by_a_reload(box):
    screen = VneidScreen(box)
    activate(screen)
    log_in(screen)
    click(screen.body, "Dịch vụ công")
    for _attempt in range(5):
        screen.gate.value = "135790"
        click(screen.body, "Mở")
    assert screen.view == "login"
    assert VneidScreen(box).view == "login"


def test_the_wallet_flags_the_expired_identity_card_with_what_to_do(box):
    screen = logged_in_level_two(box)  # AN's practice card ran out on 13/08/2020
    click(screen.body, "Ví giấy tờ")
    screen.gate.value = PASSCODE
    click(screen.body, "Mở")
    shown = text(screen.body)
    assert "Thẻ căn cước công dân" in shown and "Đã hết hạn" in shown
    assert "cấp đổi" in shown and "Công an" in shown
    assert "Có giá trị đến 13/08/2020" in shown


def test_a_valid_identity_card_is_not_flagged(box):
    screen = logged_in_level_two(box, BINH)
    click(screen.body, "Ví giấy tờ")
    screen.gate.value = PASSCODE
    click(screen.body, "Mở")
    card = next(part for part in page_html(screen.body).split('<div class="kns-card')
                if "kns-doc-cccd" in part)
    assert "Còn hạn" in card and "Đã hết hạn" not in card


def test_codes_and_numbers_ask_for_a_numeric_keypad_of_the_right_length(box):
    screen = VneidScreen(box)
    assert {"kns-numeric", "kns-max-12"} <= set(screen.login_cccd._dom_classes)
    click(screen.body, "Kích hoạt tài khoản định danh điện tử")
    assert screen.persona_pick.label == "Chưa chọn"
    screen.act_cccd.value, screen.act_phone.value = AN.cccd, AN.phone
    click(screen.body, "Gửi yêu cầu")
    assert {"kns-numeric", "kns-max-6"} <= set(screen.otp._dom_classes)
    screen.otp.value = sms_code(screen)
    click(screen.body, "Xác nhận")
    for field in (screen.passcode, screen.passcode_again):
        assert {"kns-numeric", "kns-max-6"} <= set(field._dom_classes)


def test_a_wrong_code_marks_its_box_without_repeating_it_and_success_clears_the_mark(box):
    screen = VneidScreen(box)
    click(screen.body, "Kích hoạt tài khoản định danh điện tử")
    screen.act_cccd.value, screen.act_phone.value = AN.cccd, AN.phone
    click(screen.body, "Gửi yêu cầu")
    right = sms_code(screen)
    wrong = "000000" if right != "000000" else "111111"
    screen.otp.value = wrong
    click(screen.body, "Xác nhận")
    assert wrong not in screen.message_text and "nhận được" not in screen.message_text
    assert invalid(screen) == [screen.otp]
    screen.otp.value = right
    click(screen.body, "Xác nhận")
    assert invalid(screen) == [] and "kns-msg-ok" in screen.message.value


def test_a_wrong_password_marks_the_password_box_then_a_login_clears_it(box):
    screen = VneidScreen(box)
    activate(screen)
    log_in(screen, "Sai@12345")
    assert invalid(screen) == [screen.login_password]
    log_in(screen)
    assert screen.view == "home" and invalid(screen) == []
    assert "kns-msg-error" not in screen.message.value
