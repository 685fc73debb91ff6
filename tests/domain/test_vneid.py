"""VNeID rules: data file, password and passcode, OTP life, lock-out, profiles, wallet, levels."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from kynangso.domain import vneid as v
from kynangso.domain.catalogue import load_catalogue
from kynangso.domain.datafiles import DATA_DIR
from kynangso.domain.dossier import State, new_dossier, transition
from kynangso.domain.identity import Gender, validate_cccd
from kynangso.domain.personas import make_personas
from kynangso.errors import DataFileError, InvalidInput

RULES = v.rules()
NOW = datetime(2025, 11, 10, 8, 0)
TODAY = NOW.date()
PERSONA = make_personas(3)[0]  # NV-001
MINOR = make_personas(3)[2]  # NV-003, 15 years old
OUTSIDER = "001089000123"  # structurally valid, no practice serial
FAST = 1_000  # PBKDF2 iterations for property tests


# --- data file ------------------------------------------------------------------------------


def test_every_limit_and_text_cites_a_source():
    for item in (*RULES.limits.values(), *RULES.texts.values()):
        assert item.source.strip()
    assert set(RULES.limits) == set(v.LIMIT_KEYS)
    assert set(RULES.texts) == set(v.TEXT_FIELDS)


def test_project_approximations_are_marked_unverified():
    for key in ("otp_max_attempts", "login_max_attempts", "passcode_max_attempts",
                "lock_minutes"):
        assert RULES.limits[key].verified is False
        assert RULES.limits[key].note == " (chưa kiểm chứng)"


def test_published_rules_are_read_from_the_file():
    assert RULES.passcode_digits == 6
    assert (RULES.limit("password_min_length"), RULES.limit("password_max_length")) == (8, 20)
    assert RULES.otp_valid == timedelta(minutes=3)


def test_sms_wording_follows_the_brief():
    assert RULES.text("sms_activation", code="123456") == (
        "Mã kích hoạt VNeID của bạn là 123456. Không cung cấp mã này cho bất kỳ ai.")


def _broken(tmp_path: Path, change) -> Path:
    data = yaml.safe_load((DATA_DIR / "vneid.yaml").read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "vneid.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_loader_names_a_missing_text(tmp_path):
    path = _broken(tmp_path, lambda d: d["texts"].pop("sms_activation"))
    with pytest.raises(DataFileError) as err:
        v.load_rules(path)
    assert err.value.field == "sms_activation" and "vneid.yaml" in str(err.value)


def test_loader_refuses_an_unknown_placeholder(tmp_path):
    def change(data):
        data["texts"]["sms_activation"]["text"] = "Mã {code} của {ten}"
    with pytest.raises(DataFileError) as err:
        v.load_rules(_broken(tmp_path, change))
    assert err.value.entry == "texts.sms_activation" and "{code}" in str(err.value)


def test_loader_refuses_a_limit_that_is_not_a_number(tmp_path):
    def change(data):
        data["limits"]["lock_minutes"]["value"] = "ba mươi"
    with pytest.raises(DataFileError) as err:
        v.load_rules(_broken(tmp_path, change))
    assert err.value.entry == "limits.lock_minutes" and err.value.field == "value"


def test_loader_needs_a_source_next_to_each_limit(tmp_path):
    def change(data):
        del data["limits"]["otp_valid_minutes"]["source"]
    with pytest.raises(DataFileError) as err:
        v.load_rules(_broken(tmp_path, change))
    assert err.value.field == "source"


def test_loader_refuses_a_wallet_date_in_the_wrong_format(tmp_path):
    def change(data):
        data["wallet"]["health_insurance"]["valid_to"] = "2025-12-31"
    with pytest.raises(DataFileError) as err:
        v.load_rules(_broken(tmp_path, change))
    assert err.value.field == "valid_to"


# --- password and passcode -----------------------------------------------------------------


def test_password_with_every_kind_of_character_is_accepted():
    assert v.check_password("Abc@1234", RULES) == "Abc@1234"


@pytest.mark.parametrize(("typed", "words"), [
    ("", "Chưa nhập Mật khẩu"),
    ("Ab@1", "từ 8 đến 20 ký tự; mật khẩu đã nhập có 4 ký tự"),
    ("Ab@1" * 6, "mật khẩu đã nhập có 24 ký tự"),
    ("Abc@ 1234", "dấu cách"),
    ("Mậtkhẩu@1", "chữ không dấu"),
    ("abc@1234", "chữ viết hoa"),
    ("ABC@1234", "chữ viết thường"),
    ("Abcd@efg", "chữ số"),
    ("Abcd1234", "ký tự đặc biệt"),
])
def test_password_rule_names_the_field_and_what_is_missing(typed, words):
    with pytest.raises(InvalidInput) as err:
        v.check_password(typed, RULES)
    assert err.value.field == "mat_khau"
    assert "Mật khẩu" in str(err.value) and words in str(err.value)


def test_password_that_is_not_text_is_refused():
    with pytest.raises(InvalidInput) as err:
        v.check_password(12345678, RULES)
    assert "kiểu int" in str(err.value)


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet="abcdefghXYZ0123456789!@#$", min_size=6, max_size=24))
def test_password_messages_never_repeat_the_password(typed):
    try:
        v.check_password(typed, RULES)
    except InvalidInput as err:
        assert typed not in str(err)


def test_passcode_is_exactly_six_digits():
    assert v.check_passcode("024680", RULES) == "024680"


@pytest.mark.parametrize(("typed", "words"), [
    ("", "Chưa nhập Passcode"),
    ("12345", "đúng 6 chữ số; đã nhập 5 ký tự"),
    ("1234567", "đã nhập 7 ký tự"),
    ("12a456", "không phải chữ số"),
    ("１２３４５６", "không phải chữ số"),  # full-width digits from some keyboards
])
def test_passcode_rule_names_the_field(typed, words):
    with pytest.raises(InvalidInput) as err:
        v.check_passcode(typed, RULES)
    assert err.value.field == "passcode" and words in str(err.value)
    assert typed == "" or typed not in str(err.value)


def test_second_typing_must_match_and_the_message_names_it():
    v.check_same("Abc@1234", "Abc@1234", "mat_khau", "nhap_lai_mat_khau")
    with pytest.raises(InvalidInput) as err:
        v.check_same("Abc@1234", "Abc@1235", "mat_khau", "nhap_lai_mat_khau")
    assert err.value.field == "nhap_lai_mat_khau"
    assert "Nhập lại mật khẩu không khớp" in str(err.value) and "1235" not in str(err.value)


# --- secrets ---------------------------------------------------------------------------------


@settings(max_examples=25, deadline=None)
@given(st.text(min_size=1, max_size=20))
def test_hash_verifies_the_secret_and_only_it(secret):
    stored = v.hash_secret(secret, iterations=FAST)
    assert stored.startswith(f"pbkdf2_sha256${FAST}$")
    assert v.verify_secret(secret, stored)
    assert not v.verify_secret(secret + "x", stored)


def test_same_secret_gets_a_different_salt_each_time():
    first, second = v.hash_secret("Abc@1234"), v.hash_secret("Abc@1234")
    assert first != second and "Abc@1234" not in first
    assert first.startswith(f"pbkdf2_sha256${v.SECRET_ITERATIONS}$")
    assert v.SECRET_ITERATIONS >= 100_000


def test_otp_codes_are_deterministic_by_seed():
    assert v.otp_code("lop-1", 1) == v.otp_code("lop-1", 1)
    assert [v.otp_code("lop-1", n) for n in range(1, 6)] != [
        v.otp_code("lop-2", n) for n in range(1, 6)]


@settings(deadline=None)
@given(st.text(min_size=1, max_size=10), st.integers(min_value=0, max_value=10 ** 6))
def test_otp_codes_keep_their_leading_zeros(seed, counter):
    code = v.otp_code(seed, counter)
    assert len(code) == 6 and code.isdigit()


# --- OTP life --------------------------------------------------------------------------------


def _ticket(code: str = "123456") -> v.OtpTicket:
    return v.issue_otp("activate", code, NOW, RULES)


def test_right_code_within_three_minutes_is_accepted():
    check = v.check_otp(_ticket(), "123 456", NOW + timedelta(minutes=3), RULES)
    assert check.ok and check.ticket.status is v.OtpStatus.VERIFIED


def test_code_expires_after_three_simulated_minutes():
    check = v.check_otp(_ticket(), "123456", NOW + timedelta(minutes=3, seconds=1), RULES)
    assert not check.ok and check.reason == "expired"
    assert "hết hạn" in check.message and "3 phút" in check.message
    assert "Gửi lại mã" in check.message


def test_wrong_code_says_how_many_tries_remain():
    check = v.check_otp(_ticket(), "654321", NOW, RULES)
    assert (check.ok, check.ticket.failed) == (False, 1)
    assert "Mã OTP không đúng" in check.message and "còn 4 lần thử" in check.message


def test_five_wrong_codes_block_the_code_even_for_the_right_one():
    ticket = _ticket()
    for _attempt in range(5):
        check = v.check_otp(ticket, "000000", NOW, RULES)
        ticket = check.ticket
    assert ticket.status is v.OtpStatus.BLOCKED and "5 lần" in check.message
    again = v.check_otp(ticket, "123456", NOW, RULES)
    assert not again.ok and again.reason == "blocked" and "mã mới" in again.message


def test_a_used_code_cannot_be_used_twice():
    ticket = v.check_otp(_ticket(), "123456", NOW, RULES).ticket
    assert v.check_otp(ticket, "123456", NOW, RULES).reason == "used"


@pytest.mark.parametrize("typed", ["", "12345", "12345a", "1234567"])
def test_badly_formed_code_is_refused_without_costing_a_try(typed):
    with pytest.raises(InvalidInput) as err:
        v.check_otp(_ticket(), typed, NOW, RULES)
    assert err.value.field == "ma_otp" and "Mã OTP" in str(err.value)


# --- lock-out --------------------------------------------------------------------------------


def test_wrong_password_says_tries_left_then_locks():
    first = v.after_wrong("mat_khau", 0, NOW, RULES)
    assert first.locked_until is None
    assert "Mật khẩu không đúng. Bạn còn 4 lần thử" in first.message
    fifth = v.after_wrong("mat_khau", 4, NOW, RULES)
    assert fifth.locked_until == NOW + timedelta(minutes=30)
    assert "tạm khóa" in fifth.message and "08:30" in fifth.message


def test_lock_lasts_exactly_the_period_of_the_data_file():
    until = NOW + RULES.lock_period
    assert v.is_locked(until, until - timedelta(seconds=1))
    assert not v.is_locked(until, until)
    assert not v.is_locked(None, NOW)


def test_lock_message_counts_minutes_up():
    text = v.lock_message(NOW + timedelta(minutes=10, seconds=5), NOW, RULES)
    assert "khoảng 11 phút" in text and "10/11/2025" in text


# --- the person behind the number ------------------------------------------------------------


def test_persona_number_brings_the_persona():
    profile = v.profile_for(PERSONA.cccd, seed=0, today=TODAY)
    assert (profile.full_name, profile.phone, profile.persona_id) == (
        PERSONA.full_name, PERSONA.phone, PERSONA.id)
    assert v.practice_warning(profile) == ""


def test_other_valid_number_gets_a_synthetic_person_and_a_warning():
    profile = v.profile_for(OUTSIDER, seed=0, today=TODAY)
    info = validate_cccd(OUTSIDER)
    assert profile.persona_id is None and profile.phone is None
    assert profile.gender is Gender.MALE and profile.birth_date.year == info.birth_year
    assert profile == v.profile_for(OUTSIDER, seed=0, today=TODAY)
    assert "không nhập số CCCD thật" in v.practice_warning(profile)


def test_number_with_persona_serial_but_other_digits_is_not_the_persona():
    lookalike = PERSONA.cccd[:3] + ("1" if PERSONA.gender is Gender.MALE else "0") + \
        PERSONA.cccd[4:]
    assert v.profile_for(lookalike, seed=0, today=TODAY).persona_id is None


def test_number_for_a_person_born_in_the_future_is_refused():
    with pytest.raises(InvalidInput) as err:
        v.profile_for("001299000123", seed=0, today=TODAY)  # born 2099
    assert err.value.field == "cccd" and "2099" in str(err.value)


@pytest.mark.parametrize("typed", ["", "00108900012", "999089000123", "00108900012x"])
def test_bad_number_is_refused_with_the_cccd_label(typed):
    with pytest.raises(InvalidInput) as err:
        v.profile_for(typed, seed=0, today=TODAY)
    assert err.value.field == "cccd" and "Số định danh cá nhân" in str(err.value)


def test_profile_survives_a_round_trip():
    profile = v.profile_for(PERSONA.cccd, seed=0, today=TODAY)
    assert v.Profile.from_dict(profile.to_dict()) == profile


# --- wallet ----------------------------------------------------------------------------------


def test_wallet_has_a_synthetic_health_insurance_card_for_everyone():
    for person in (PERSONA, MINOR):
        cards = v.wallet_cards(v.profile_for(person.cccd, seed=0, today=TODAY), RULES, TODAY)
        insurance = cards[0]
        assert insurance.kind == "bhyt" and insurance.synthetic
        assert ("Họ và tên", person.full_name) in insurance.rows
        number = dict(insurance.rows)["Mã số BHXH"]
        assert len(number) == 10 and number.startswith("99")


def test_a_minor_has_no_driving_licence():
    cards = v.wallet_cards(v.profile_for(MINOR.cccd, seed=0, today=TODAY), RULES, TODAY)
    assert [c.kind for c in cards] == ["bhyt"]


def test_wallet_is_the_same_every_time():
    profile = v.profile_for(PERSONA.cccd, seed=0, today=TODAY)
    assert v.wallet_cards(profile, RULES, TODAY) == v.wallet_cards(profile, RULES, TODAY)


# --- levels and procedures ---------------------------------------------------------------------


CATALOGUE = load_catalogue()


def test_procedures_on_vneid_come_from_the_catalogue():
    codes = [p.code for p in v.vneid_procedures(CATALOGUE)]
    assert "ly-lich-tu-phap" in codes and "gia-han-bhyt" not in codes
    assert all("vneid" in CATALOGUE[c].channels for c in codes)


def test_level_one_is_refused_a_level_two_procedure_in_the_apps_words():
    with pytest.raises(InvalidInput) as err:
        v.check_level(CATALOGUE["ly-lich-tu-phap"], 1, RULES)
    assert err.value.field == "muc_dinh_danh"
    assert "Cấp Phiếu lý lịch tư pháp" in str(err.value) and "mức 2" in str(err.value)
    v.check_level(CATALOGUE["ly-lich-tu-phap"], 2, RULES)


@pytest.mark.parametrize("code", ["tam-tru", "ly-lich-tu-phap"])
def test_level_one_account_is_refused_temporary_residence_and_judicial_record(code):
    with pytest.raises(InvalidInput, match="mức 2"):
        v.check_level(CATALOGUE[code], 1, RULES)


def test_level_one_account_can_file_the_stay_notice():
    assert "thong-bao-luu-tru" in [p.code for p in v.vneid_procedures(CATALOGUE)]
    v.check_level(CATALOGUE["thong-bao-luu-tru"], 1, RULES)


def test_level_texts_cite_decree_69_2024_not_59_2022():
    for key in ("level2_required", "level_differences"):
        assert "69/2024/NĐ-CP" in RULES.texts[key].source
    assert "59/2022" not in RULES.texts["level_differences"].source.split("thay Nghị định")[0]


def test_badge_names_the_level():
    assert v.level_badge(2) == "Định danh mức 2"


def test_dossier_status_changes_become_notices_newest_first():
    dossier = new_dossier("TRUCLAM-251110-0001", "tam-tru", {"cccd": PERSONA.cccd},
                          channel="vneid", at=NOW, actor="an")
    dossier = transition(dossier, State.SUBMITTED, at=NOW + timedelta(minutes=1), actor="an")
    dossier = transition(dossier, State.RECEIVED, at=NOW + timedelta(hours=1), actor="cb",
                         due_date=date(2025, 11, 13))
    notices = v.newest_first(v.dossier_notices([dossier], CATALOGUE))
    assert [n.text for n in notices] == [
        "Đăng ký tạm trú: Đã tiếp nhận. Hẹn trả kết quả ngày 13/11/2025",
        "Đăng ký tạm trú: Đã nộp"]
    assert notices[0].title == "Hồ sơ TRUCLAM-251110-0001"
