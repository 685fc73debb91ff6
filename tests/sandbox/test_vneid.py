"""VNeID in the sandbox: activation, OTP, login lock-out, new phone, passcode, level 2,
procedures handed to the dossier desk, notifications, and what the log and the file keep."""

from __future__ import annotations

import re
from datetime import date, datetime

import pytest

from kynangso.domain import cards
from kynangso.domain import vneid as rules
from kynangso.domain.attachments import FILES_KEY, attach_sample, samples_for
from kynangso.domain.dossier import State
from kynangso.domain.personas import make_personas
from kynangso.errors import InvalidInput, MissingEntry
from kynangso.sandbox.store import Sandbox
from kynangso.sandbox.vneid import IncompleteSubmission

MONDAY_8AM = datetime(2025, 11, 10, 8, 0)
SEED = "lop-thu-7"
AN, BINH = make_personas(2)  # NV-001, NV-002
PASSWORD, PASSCODE = "Truclam@2025", "246813"
OUTSIDER = "001089000123"


@pytest.fixture(autouse=True)
def quick_hashes(monkeypatch):
    # Fewer PBKDF2 rounds keep the file fast; tests/domain checks the real count.
    monkeypatch.setenv("KYNANGSO_HASH_ITERATIONS", "1000")


@pytest.fixture
def world(tmp_path):
    """A frozen-clock store: a volunteer's VNeID desk (seeded codes), an official, a trainer."""
    box = Sandbox.open(tmp_path, actor="tnv-an", role="trainee", start=MONDAY_8AM,
                       clock_running=False, otp_seed=SEED)
    yield box, box.as_actor("cb-binh", "official"), box.as_actor("gv", "trainer")
    box.close()


def code_in(text: str) -> str:
    return re.search(r"\b(\d{6})\b", text).group(1)


def activate(box, person=AN, *, device="dien-thoai-a"):
    notice = box.vneid.request_activation(person.cccd, person.phone, device=device)
    box.vneid.verify_activation_code(person.cccd, code_in(notice.text))
    return box.vneid.complete_activation(person.cccd, password=PASSWORD,
                                         password_again=PASSWORD, passcode=PASSCODE,
                                         passcode_again=PASSCODE, device=device)


def actions(box, prefix="vneid."):
    return [e.action for e in box.events(prefix=prefix)]


# --- activation --------------------------------------------------------------------------------


def test_activation_sends_the_seeded_code_by_sms(world):
    box, _, _ = world
    notice = box.vneid.request_activation(AN.cccd, AN.phone)
    assert notice.text == (f"Mã kích hoạt VNeID của bạn là {rules.otp_code(SEED, 1)}. "
                           "Không cung cấp mã này cho bất kỳ ai.")
    assert notice.expires_at == datetime(2025, 11, 10, 8, 3)
    assert actions(box) == ["vneid.activation_requested", "vneid.otp_sent"]


def test_full_activation_gives_level_one_and_logs_each_step(world):
    box, _, _ = world
    account = activate(box)
    assert (account.active, account.level, account.badge) == (True, 1, "Định danh mức 1")
    assert account.profile.full_name == AN.full_name
    assert actions(box) == ["vneid.activation_requested", "vneid.otp_sent",
                            "vneid.otp_verified", "vneid.activated"]
    assert box.verify_chain().ok


def test_secrets_are_stored_hashed_never_plain(world, tmp_path):
    box, _, _ = world
    activate(box)
    box.close()
    raw = b"".join(p.read_bytes() for p in tmp_path.glob("kynangso.sqlite*"))
    assert PASSWORD.encode() not in raw and PASSCODE.encode() not in raw
    assert b"pbkdf2_sha256$" in raw


def test_the_log_never_holds_a_code(world):
    box, _, _ = world
    notice = box.vneid.request_activation(AN.cccd, AN.phone)
    code = code_in(notice.text)
    box.vneid.verify_activation_code(AN.cccd, code)
    assert all(code not in str(e.payload) for e in box.events())


@pytest.mark.parametrize(("cccd", "phone", "field"), [
    ("", AN.phone, "cccd"),
    ("01409599900", AN.phone, "cccd"),
    ("99909599900x", AN.phone, "cccd"),
    (AN.cccd, "", "so_dien_thoai"),
    (AN.cccd, "0241234567", "so_dien_thoai"),
    (AN.cccd, "0912345678", "so_dien_thoai"),  # not the persona's registered phone
])
def test_bad_number_or_phone_is_refused_and_logged(world, cccd, phone, field):
    box, _, _ = world
    with pytest.raises(InvalidInput) as err:
        box.vneid.request_activation(cccd, phone)
    assert err.value.field == field
    assert ("Số định danh cá nhân" if field == "cccd" else "Số điện thoại") in str(err.value)
    assert actions(box) == ["vneid.activation_refused"]


def test_wrong_phone_for_a_persona_hints_at_the_registered_one(world):
    box, _, _ = world
    with pytest.raises(InvalidInput) as err:
        box.vneid.request_activation(AN.cccd, "0912345678")
    assert f"...{AN.phone[-3:]}" in str(err.value)


def test_any_valid_number_is_accepted_for_practice(world):
    box, _, _ = world
    box.vneid.request_activation(OUTSIDER, "0912345678")
    assert box.vneid.account(OUTSIDER).profile.persona_id is None


def test_an_active_account_cannot_be_activated_again(world):
    box, _, _ = world
    activate(box)
    with pytest.raises(InvalidInput) as err:
        box.vneid.request_activation(AN.cccd, AN.phone)
    assert str(err.value) == "Tài khoản của bạn đã thực hiện kích hoạt"
    assert actions(box)[-1] == "vneid.activation_refused"


def test_two_trainees_may_each_activate_the_same_persona(world):
    box, _, _ = world
    activate(box)
    other = box.as_actor("tnv-binh", "trainee")  # the store's OTP seed goes along
    assert activate(other).owner == "tnv-binh"
    assert len(box.vneid.accounts()) == len(other.vneid.accounts()) == 1


def test_wrong_code_says_tries_left_and_five_mean_a_new_code(world):
    box, _, _ = world
    notice = box.vneid.request_activation(AN.cccd, AN.phone)
    right = code_in(notice.text)
    wrong = "000000" if right != "000000" else "111111"
    with pytest.raises(InvalidInput) as err:
        box.vneid.verify_activation_code(AN.cccd, wrong)
    assert err.value.field == "ma_otp" and "còn 4 lần thử" in str(err.value)
    for _attempt in range(4):
        with pytest.raises(InvalidInput):
            box.vneid.verify_activation_code(AN.cccd, wrong)
    with pytest.raises(InvalidInput) as err:
        box.vneid.verify_activation_code(AN.cccd, right)
    assert "Gửi lại mã" in str(err.value)
    fresh = box.vneid.resend_activation_code(AN.cccd)
    box.vneid.verify_activation_code(AN.cccd, code_in(fresh.text))
    failed = box.events(action="vneid.otp_failed")
    assert [e.payload["left"] for e in failed[:5]] == [4, 3, 2, 1, 0]


def test_code_expires_after_three_simulated_minutes(world):
    box, _, trainer = world
    notice = box.vneid.request_activation(AN.cccd, AN.phone)
    trainer.advance_clock(minutes=4)
    with pytest.raises(InvalidInput) as err:
        box.vneid.verify_activation_code(AN.cccd, code_in(notice.text))
    assert "hết hạn" in str(err.value)
    assert box.events(action="vneid.otp_failed")[-1].payload["reason"] == "expired"


def test_a_resent_code_replaces_the_old_one(world):
    box, _, _ = world
    first = box.vneid.request_activation(AN.cccd, AN.phone)
    second = box.vneid.resend_activation_code(AN.cccd)
    assert code_in(first.text) != code_in(second.text)
    with pytest.raises(InvalidInput):
        box.vneid.verify_activation_code(AN.cccd, code_in(first.text))


def test_badly_formed_code_costs_no_try(world):
    box, _, _ = world
    box.vneid.request_activation(AN.cccd, AN.phone)
    with pytest.raises(InvalidInput) as err:
        box.vneid.verify_activation_code(AN.cccd, "12 34")
    assert err.value.field == "ma_otp"
    assert box.events(action="vneid.otp_failed")[-1].payload["reason"] == "format"


def test_code_before_any_request_is_refused(world):
    box, _, _ = world
    with pytest.raises(InvalidInput) as err:
        box.vneid.verify_activation_code(AN.cccd, "123456")
    assert "Gửi yêu cầu" in str(err.value)


def test_password_cannot_be_set_before_the_code_is_verified(world):
    box, _, _ = world
    box.vneid.request_activation(AN.cccd, AN.phone)
    with pytest.raises(InvalidInput) as err:
        box.vneid.complete_activation(AN.cccd, password=PASSWORD, password_again=PASSWORD,
                                      passcode=PASSCODE, passcode_again=PASSCODE)
    assert err.value.field == "ma_otp"


@pytest.mark.parametrize(("secrets", "field"), [
    ({"password": "abc", "password_again": "abc"}, "mat_khau"),
    ({"password_again": "Truclam@2026"}, "nhap_lai_mat_khau"),
    ({"passcode": "12345", "passcode_again": "12345"}, "passcode"),
    ({"passcode_again": "246814"}, "nhap_lai_passcode"),
])
def test_bad_password_or_passcode_is_refused_and_logged(world, secrets, field):
    box, _, _ = world
    notice = box.vneid.request_activation(AN.cccd, AN.phone)
    box.vneid.verify_activation_code(AN.cccd, code_in(notice.text))
    typed = {"password": PASSWORD, "password_again": PASSWORD, "passcode": PASSCODE,
             "passcode_again": PASSCODE, **secrets}
    with pytest.raises(InvalidInput) as err:
        box.vneid.complete_activation(AN.cccd, **typed)
    assert err.value.field == field
    assert box.events(action="vneid.activation_refused")[-1].payload["field"] == field
    assert box.vneid.account(AN.cccd).status == "pending"


# --- login ---------------------------------------------------------------------------------------


def test_login_on_the_activating_phone_needs_no_code(world):
    box, _, _ = world
    activate(box)
    result = box.vneid.login(AN.cccd, PASSWORD)
    assert not result.needs_otp and result.notice is None
    assert box.events(action="vneid.login")[-1].payload == {"device": "dien-thoai-a",
                                                            "new_device": False}


def test_login_before_activation_is_refused(world):
    box, _, _ = world
    with pytest.raises(MissingEntry) as err:
        box.vneid.login(AN.cccd, PASSWORD)
    assert err.value.field == "cccd" and "Kích hoạt tài khoản" in str(err.value)
    assert box.events(action="vneid.login_failed")[-1].payload["reason"] == "not_activated"


def test_empty_password_is_refused(world):
    box, _, _ = world
    activate(box)
    with pytest.raises(InvalidInput) as err:
        box.vneid.login(AN.cccd, "")
    assert err.value.field == "mat_khau" and "Chưa nhập Mật khẩu" in str(err.value)


def test_wrong_passwords_lock_the_account_for_the_period(world):
    box, _, trainer = world
    activate(box)
    with pytest.raises(InvalidInput) as err:
        box.vneid.login(AN.cccd, "Sai@12345")
    assert "Bạn còn 4 lần thử" in str(err.value)
    for _attempt in range(4):
        with pytest.raises(InvalidInput) as err:
            box.vneid.login(AN.cccd, "Sai@12345")
    assert "tạm khóa" in str(err.value)
    assert box.events(action="vneid.locked")[-1].payload == {"reason": "password",
                                                             "until": "2025-11-10T08:30:00"}
    with pytest.raises(InvalidInput) as err:  # even the right password waits
        box.vneid.login(AN.cccd, PASSWORD)
    assert "tạm khóa" in str(err.value)
    trainer.advance_clock(minutes=30)
    assert box.vneid.login(AN.cccd, PASSWORD).account.failed_logins == 0


def test_a_new_phone_gets_its_code_on_the_old_phone(world):
    box, _, _ = world
    activate(box)
    result = box.vneid.login(AN.cccd, PASSWORD, device="dien-thoai-b")
    assert result.needs_otp and result.notice.kind is rules.NoticeKind.APP
    with pytest.raises(InvalidInput) as err:
        box.vneid.confirm_new_device(AN.cccd, "000000" if "000000" not in result.notice.text
                                     else "111111", device="dien-thoai-b")
    assert "còn 4 lần thử" in str(err.value)
    account = box.vneid.confirm_new_device(AN.cccd, code_in(result.notice.text),
                                           device="dien-thoai-b")
    assert account.device == "dien-thoai-b"
    assert box.events(action="vneid.login")[-1].payload["new_device"] is True
    assert box.vneid.login(AN.cccd, PASSWORD, device="dien-thoai-b").needs_otp is False
    assert box.vneid.login(AN.cccd, PASSWORD, device="dien-thoai-a").needs_otp is True


def test_new_phone_code_can_be_sent_again_only_after_the_password(world):
    box, _, _ = world
    activate(box)
    with pytest.raises(InvalidInput):
        box.vneid.resend_new_device_code(AN.cccd, device="dien-thoai-b")
    box.vneid.login(AN.cccd, PASSWORD, device="dien-thoai-b")
    notice = box.vneid.resend_new_device_code(AN.cccd, device="dien-thoai-b")
    box.vneid.confirm_new_device(AN.cccd, code_in(notice.text), device="dien-thoai-b")


# --- passcode -----------------------------------------------------------------------------------


def test_passcode_opens_services_and_wrong_ones_lock(world):
    box, _, _ = world
    activate(box)
    box.vneid.check_passcode(AN.cccd, PASSCODE, purpose="wallet")
    with pytest.raises(InvalidInput) as err:
        box.vneid.check_passcode(AN.cccd, "135790", purpose="wallet")
    assert err.value.field == "passcode" and "Bạn còn 4 lần thử" in str(err.value)
    for _attempt in range(4):
        with pytest.raises(InvalidInput):
            box.vneid.check_passcode(AN.cccd, "135790", purpose="wallet")
    assert box.events(action="vneid.locked")[-1].payload["reason"] == "passcode"
    with pytest.raises(InvalidInput) as err:
        box.vneid.login(AN.cccd, PASSWORD)
    assert "tạm khóa" in str(err.value)


def test_badly_formed_passcode_costs_no_try(world):
    box, _, _ = world
    activate(box)
    with pytest.raises(InvalidInput):
        box.vneid.check_passcode(AN.cccd, "12ab", purpose="wallet")
    assert box.vneid.account(AN.cccd).failed_passcodes == 0


# --- level 2 ------------------------------------------------------------------------------------


def test_only_an_official_or_trainer_records_level_two(world):
    box, official, _ = world
    activate(box)
    with pytest.raises(InvalidInput) as err:
        box.vneid.upgrade_level2(AN.cccd)
    assert err.value.field == "role"
    assert official.vneid.upgrade_level2(AN.cccd) == 1
    assert box.vneid.account(AN.cccd).badge == "Định danh mức 2"
    event = box.events(action="vneid.level2")[-1]
    assert (event.actor, event.role, event.subject) == ("cb-binh", "official", AN.cccd)
    assert any(n.title == "Đã nâng lên định danh mức 2"
               for n in box.vneid.notifications(AN.cccd))


def test_enrolment_before_activation_makes_a_level_two_account(world):
    box, _, trainer = world
    trainer.vneid.upgrade_level2(BINH.cccd)
    assert activate(box, BINH).level == 2
    texts = [n.text for n in box.vneid.notifications(BINH.cccd)]
    assert any("da duoc phe duyet" in t for t in texts)


# --- procedures ---------------------------------------------------------------------------------


def test_level_one_is_refused_the_judicial_record_and_it_is_logged(world):
    box, _, _ = world
    activate(box)
    with pytest.raises(InvalidInput) as err:
        box.vneid.submit(AN.cccd, "ly-lich-tu-phap")
    assert err.value.field == "muc_dinh_danh" and "mức 2" in str(err.value)
    event = box.events(action="vneid.procedure_refused")[-1]
    assert event.payload["reason"] == "level" and event.payload["needed"] == 2
    assert box.dossiers.list() == []


def test_level_two_submits_a_dossier_through_the_dossier_desk(world):
    box, official, _ = world
    activate(box)
    official.vneid.upgrade_level2(AN.cccd)
    dossier = box.vneid.submit(AN.cccd, "ly-lich-tu-phap")
    assert (dossier.code, dossier.channel, dossier.state) == (
        "000.00.99.H56-251110-0001", "vneid", State.SUBMITTED)
    assert dossier.applicant["cccd"] == AN.cccd and dossier.applicant["ho_ten"] == AN.full_name
    assert box.events()[-1].action == "vneid.dossier_submitted"
    official.dossiers.receive(dossier.code)
    texts = [n.text for n in box.vneid.notifications(AN.cccd)]
    assert texts[0].startswith("Cấp Phiếu lý lịch tư pháp: Đã tiếp nhận")


def test_procedure_not_offered_on_vneid_is_refused(world):
    box, official, _ = world
    activate(box)
    official.vneid.upgrade_level2(AN.cccd)
    with pytest.raises(InvalidInput) as err:
        box.vneid.submit(AN.cccd, "chung-thuc-ban-sao")
    assert err.value.field == "thu_tuc"


def test_contact_phone_is_checked(world):
    box, official, _ = world
    activate(box)
    official.vneid.upgrade_level2(AN.cccd)
    with pytest.raises(InvalidInput) as err:
        box.vneid.submit(AN.cccd, "tam-tru", phone="12345")
    assert err.value.field == "so_dien_thoai"


# --- wallet, notifications, persistence ----------------------------------------------------------


def test_wallet_needs_level_two(world):
    box, official, _ = world
    activate(box)
    with pytest.raises(InvalidInput) as err:
        box.vneid.wallet(AN.cccd)
    assert err.value.field == "muc_dinh_danh"
    official.vneid.upgrade_level2(AN.cccd)
    shown = box.vneid.wallet(AN.cccd)
    assert [c.kind for c in shown][:2] == ["cccd", "bhyt"] and all(c.synthetic for c in shown)
    assert actions(box)[-1] == "vneid.wallet_viewed"


def test_notifications_hold_the_sms_and_scam_warnings(world):
    box, _, _ = world
    activate(box)
    kinds = [n.kind for n in box.vneid.notifications(AN.cccd)]
    assert rules.NoticeKind.SMS in kinds and rules.NoticeKind.WARNING in kinds


def test_a_reopened_store_keeps_the_account(world, tmp_path):
    box, _, _ = world
    activate(box)
    box.close()
    again = Sandbox.open(tmp_path, actor="tnv-an", role="trainee")
    assert again.vneid.login(AN.cccd, PASSWORD).account.profile.full_name == AN.full_name
    again.close()


# --- identity card expiry (domain/cards.py) -----------------------------------------------------


@pytest.mark.parametrize(("birth", "issued", "expires"), [
    (date(2000, 5, 10), date(2010, 1, 1), date(2014, 5, 10)),  # a child's card: until 14
    (date(2000, 5, 10), date(2016, 6, 1), date(2025, 5, 10)),  # issued at 16: until 25
    (date(2000, 5, 10), date(2023, 5, 9), date(2025, 5, 10)),  # a day before 23: until 25
    (date(2000, 5, 10), date(2023, 5, 10), date(2040, 5, 10)),  # 2 years before 25: until 40
    (date(1980, 1, 2), date(2019, 6, 1), date(2040, 1, 2)),  # issued at 39: until 60
    (date(1965, 3, 1), date(2023, 3, 1), None),  # from 58 on: for life
    (date(2004, 2, 29), date(2020, 1, 1), date(2029, 2, 28)),  # 29 February
])
def test_card_expiry_follows_the_age_milestones(birth, issued, expires):
    assert cards.card_expiry(birth, issued) == expires


def test_an_expired_card_is_labelled_and_says_what_to_do():
    validity = cards.identity_validity(date(2000, 5, 10), date(2016, 6, 1), date(2025, 11, 10))
    assert validity.expired and validity.label == "Đã hết hạn"
    assert "cấp đổi" in validity.advice and "Công an" in validity.advice
    assert "10/05/2025" in validity.advice
    soon = cards.identity_validity(date(2000, 12, 1), date(2016, 6, 1), date(2025, 11, 10))
    assert (soon.label, soon.until) == ("Sắp hết hạn", "01/12/2025")
    life = cards.identity_validity(date(1960, 1, 1), date(2020, 1, 1), date(2025, 11, 10))
    assert (life.label, life.until, life.advice) == ("Không thời hạn", "Không thời hạn", "")


def test_a_practice_card_keeps_its_issue_date_whatever_the_day():
    days = (date(2025, 11, 10), date(2026, 12, 2), date(2030, 1, 1))
    assert len({cards.practice_issue_date(BINH.cccd, BINH.birth_date, d) for d in days}) == 1
    child = date(2020, 1, 1)
    assert cards.practice_issue_date("001220999999", child, date(2025, 11, 10)) is None


def test_the_wallet_flags_an_expired_identity_card(world):
    box, official, _ = world
    activate(box)
    official.vneid.upgrade_level2(AN.cccd)
    identity, insurance, *_rest = box.vneid.wallet(AN.cccd)
    assert identity.kind == "cccd" and identity.number == AN.cccd
    validity = box.vneid.validity(identity)
    assert validity.expired and ("Có giá trị đến", validity.until) in identity.rows
    # The sample health card runs to 31/12/2025: "soon" on 10/11/2025, expired next year.
    assert box.vneid.validity(insurance).label == "Sắp hết hạn"
    box.as_actor("gv", "trainer").advance_clock(days=60)
    later = box.vneid.validity(box.vneid.wallet(AN.cccd)[1])
    assert later.expired and "Gia hạn thẻ bảo hiểm y tế" in later.advice


# --- what the app asks before a dossier goes in -------------------------------------------------


def level_two(world, person=AN):
    box, official, _ = world
    activate(box, person)
    official.vneid.upgrade_level2(person.cccd)
    return box


BIRTH = {"ho_ten_tre": "Trần Minh Khang", "ngay_sinh_tre": "01/11/2025",
         "gioi_tinh_tre": "nam", "noi_sinh": "Trạm Y tế phường Trúc Lâm", "quan_he": "cha"}


def birth_certificate(box):
    """The sample scan of a giấy chứng sinh, attached as the app's picker does."""
    document = next(d for d in box.vneid.catalogue["khai-sinh"].documents
                    if d.code == "giay-chung-sinh")
    return {document.code: attach_sample(document, samples_for(document.code)[0].file)}


def test_an_empty_birth_registration_is_refused_naming_every_missing_box(world):
    box = level_two(world)
    with pytest.raises(IncompleteSubmission) as err:
        box.vneid.submit(AN.cccd, "khai-sinh")
    assert list(err.value.errors) == ["ho_ten_tre", "ngay_sinh_tre", "gioi_tinh_tre",
                                      "noi_sinh", "quan_he", "giay-chung-sinh"]
    message = err.value.message
    for label in ("Họ và tên của trẻ", "Ngày sinh của trẻ", "Giới tính của trẻ",
                  "Nơi sinh của trẻ", "Quan hệ của bạn với trẻ", "Giấy chứng sinh"):
        assert label in message
    assert err.value.errors["gioi_tinh_tre"] == "Chưa chọn Giới tính của trẻ"
    assert box.dossiers.list() == []
    event = box.events(action="vneid.dossier_incomplete")[-1]
    assert event.payload["missing"] == list(err.value.errors)


def test_a_birth_registration_without_the_birth_certificate_is_refused(world):
    box = level_two(world)
    with pytest.raises(IncompleteSubmission) as err:
        box.vneid.submit(AN.cccd, "khai-sinh", form=BIRTH)
    assert list(err.value.errors) == ["giay-chung-sinh"]
    assert box.dossiers.list() == []


def test_a_wrong_birth_date_is_named_by_its_label(world):
    box = level_two(world)
    with pytest.raises(IncompleteSubmission) as err:
        box.vneid.submit(AN.cccd, "khai-sinh", form=BIRTH | {"ngay_sinh_tre": "31/02/2025"},
                         attachments=birth_certificate(box))
    assert list(err.value.errors) == ["ngay_sinh_tre"]
    assert "Ngày sinh của trẻ" in err.value.errors["ngay_sinh_tre"]
    assert "ngay_sinh_tre" not in err.value.message


def test_a_complete_birth_registration_carries_the_child_and_the_files(world):
    box = level_two(world)
    dossier = box.vneid.submit(AN.cccd, "khai-sinh", form=BIRTH,
                               attachments=birth_certificate(box))
    assert dossier.state is State.SUBMITTED and dossier.channel == "vneid"
    assert dossier.form["ho_ten_tre"] == "Trần Minh Khang"
    assert (dossier.form["gioi_tinh_tre"], dossier.form["quan_he"]) == ("nam", "cha")
    assert dossier.form["ngay_sinh_tre"] == "01/11/2025"
    assert set(dossier.form[FILES_KEY]) == {"giay-chung-sinh"}
    # The app itself supplies the declaration and the identity document.
    assert {"to-khai-khai-sinh", "giay-to-tuy-than", "giay-chung-sinh"} <= set(
        dossier.documents)


def test_the_portal_hand_off_lists_what_to_bring_and_is_logged(world):
    box = level_two(world)
    submission = box.vneid.hand_off(AN.cccd, "khai-sinh")
    assert [d.code for d in submission.documents if d.required] == ["giay-chung-sinh"]
    assert box.events()[-1].action == "vneid.portal_handoff"
    assert box.dossiers.list() == []


def test_the_code_waiting_on_the_phone_comes_back_after_a_reload(world):
    box, _, _ = world
    notice = box.vneid.request_activation(AN.cccd, AN.phone)
    again = box.vneid.pending_notice(AN.cccd, "activate")
    assert (again.text, again.expires_at) == (notice.text, notice.expires_at)
    box.vneid.verify_activation_code(AN.cccd, code_in(notice.text))
    assert box.vneid.pending_notice(AN.cccd, "activate") is None


def test_a_device_name_error_does_not_echo_it(world):
    box, _, _ = world
    with pytest.raises(InvalidInput) as err:
        box.vneid.request_activation(AN.cccd, AN.phone, device=" " * 3)
    assert "nhận được" not in err.value.message
