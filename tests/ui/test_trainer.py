"""The trainer's control panel, driven in the kernel: class list, links and QR codes,
level 2, wallet unlock, resets with confirmation, clock, sample dossiers."""

from __future__ import annotations

import base64
import re
from datetime import datetime

import pytest

from kynangso.domain.banks import load_banks
from kynangso.domain.personas import make_personas
from kynangso.domain.qrimage import read_qr
from kynangso.domain.vietqr import VietQR, encode
from kynangso.errors import InvalidInput
from kynangso.sandbox import classroom
from kynangso.sandbox.classroom import Learner
from kynangso.sandbox.store import Sandbox
from kynangso.ui.gate import Gate
from kynangso.ui.trainer import TrainerScreen, default_base_url, trainer_app

from helpers import button, button_labels, buttons, click, page_html, text

MONDAY_8AM = datetime(2025, 11, 10, 8, 0)
AN = make_personas(1)[0]
PIN, PASSWORD, PASSCODE = "246802", "Truclam@2025", "246813"


@pytest.fixture(autouse=True)
def quick_hashes(monkeypatch):
    monkeypatch.setenv("KYNANGSO_HASH_ITERATIONS", "1000")


@pytest.fixture
def world(tmp_path):
    """A trainer and a learner (on the class list) in a frozen-clock store."""
    box = Sandbox.open(tmp_path, actor="gv", role="trainer", start=MONDAY_8AM,
                       clock_running=False, otp_seed="lop-7")
    classroom.write_roster(tmp_path / "lop.csv", [Learner("lan-3f9a", "Nguyễn Thị Lan")])
    yield box, box.as_actor("lan-3f9a", "trainee")
    box.close()


def picked(box, actor="lan-3f9a"):
    screen = TrainerScreen(box)
    screen.picker.value = actor
    return screen


def activate(box):
    notice = box.vneid.request_activation(AN.cccd, AN.phone)
    code = re.search(r"\b(\d{6})\b", notice.text).group(1)
    box.vneid.verify_activation_code(AN.cccd, code)
    box.vneid.complete_activation(AN.cccd, password=PASSWORD, password_again=PASSWORD,
                                  passcode=PASSCODE, passcode_again=PASSCODE)


def lock_a_wallet(box):
    account = box.wallets.open_account("zalopay", AN.full_name, balance=50_000, pin=PIN)
    payee = encode(VietQR(load_banks().training_bank.bin, "0999888777", amount=1_000)).payload
    for n in range(5):
        with pytest.raises(InvalidInput):
            box.wallets.pay(account.id, payload=payee, pin="999999", idempotency_key=f"k{n}")
    return account


# --- who may use it ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["trainee", "official", "resident"])
def test_anyone_but_the_trainer_sees_only_a_refusal(world, role):
    box, _ = world
    other = box.as_actor("ai-do", role)
    screen = TrainerScreen(other)
    assert screen.message_text.startswith("Chỉ giảng viên")
    assert buttons(screen.body) == [] and not hasattr(screen, "picker")
    assert other.events(action="trainer.wrong_role")[-1].payload == {"role": role}


def test_the_app_asks_for_the_class_code_before_the_trainer_role(world, monkeypatch, tmp_path):
    monkeypatch.setenv("KYNANGSO_STORE", str(tmp_path / "kynangso.sqlite"))
    monkeypatch.setenv("KYNANGSO_CLASS_CODE", "ABCD-EFGH-JKMN")
    monkeypatch.setenv("QUERY_STRING", "nguoi=gv-an&vai=trainer")
    assert isinstance(trainer_app(), Gate)
    monkeypatch.setenv("QUERY_STRING", "nguoi=gv-an&vai=trainer&ma_lop=abcd-efgh-jkmn")
    screen = trainer_app()
    assert isinstance(screen, TrainerScreen) and screen.box.role == "trainer"


# --- the class list ---------------------------------------------------------------------------


def test_the_trainer_adds_learners_and_sees_them_listed(world, tmp_path):
    box, _ = world
    screen = TrainerScreen(box)
    screen.names.value = "Trần Văn Bình\nLê Thị Hoa"
    screen.new_role.value = "official"
    screen.add_button.click()
    roster = classroom.read_roster(tmp_path / "lop.csv")
    assert [(r.name, r.role) for r in roster] == [("Nguyễn Thị Lan", "trainee"),
                                                  ("Trần Văn Bình", "official"),
                                                  ("Lê Thị Hoa", "official")]
    assert re.fullmatch(r"tran-van-binh-[0-9a-f]{4}", roster[1].actor)
    assert screen.message_text.startswith("Đã thêm 2 học viên: Trần Văn Bình (tran-van-binh-")
    shown = text(screen.status_table)
    assert "Trần Văn Bình" in shown and roster[2].actor in shown and "Cán bộ một cửa" in shown
    assert screen.names.value == ""
    assert screen.picker.options[0] == ("Chưa chọn", None)


def test_an_empty_list_of_names_marks_the_field(world):
    screen = TrainerScreen(world[0])
    screen.names.value = " \n "
    screen.add_button.click()
    assert screen.message_text == "Chưa nhập tên học viên nào (mỗi dòng một tên)"
    assert "kns-invalid" in screen.names._dom_classes


def test_a_broken_class_list_is_named_not_fatal(world, tmp_path):
    box, _ = world
    (tmp_path / "lop.csv").write_text("nguoi,ho_ten,vai\nLan!,Lan,trainee\n", encoding="utf-8")
    screen = TrainerScreen(box)
    assert "Tệp danh sách lớp lop.csv, dòng 2, cột «nguoi»" in text(screen.roster_note)
    assert "Làm mới" in button_labels(screen.body)


def test_a_learner_who_named_themselves_is_listed_too(world):
    box, learner = world
    learner.as_actor("tu-dat-ten", "trainee").learners.join("Hoa")
    shown = text(TrainerScreen(box).status_table)
    assert "Hoa" in shown and "tự nhập tên" in shown


# --- links and QR codes -----------------------------------------------------------------------


def qr_codes(screen):
    """(alt text, decoded link) of every QR image in the learner's panel."""
    images = re.findall(r'<img src="data:image/png;base64,([^"]+)" alt="([^"]+)">',
                        page_html(screen.learner_panel))
    return [(alt, read_qr(base64.b64decode(data), require_vietqr=False).payload)
            for data, alt in images]


def test_each_learner_gets_a_link_and_a_qr_code_per_app(world):
    box, _ = world
    screen = picked(box)
    screen.base.value = "http://192.168.1.20:8866"
    codes = qr_codes(screen)
    apps = ["portal", "vneid", "wallet", "trader", "kiosk"]
    assert [link for _alt, link in codes] == [
        f"http://192.168.1.20:8866/voila/render/{app}.ipynb?nguoi=lan-3f9a" for app in apps]
    assert codes[0][0] == "Mã QR mở Cổng Dịch vụ công cho Nguyễn Thị Lan"
    assert all(link in text(screen.learner_panel) for _alt, link in codes)
    # The address is remembered for the trainer's next visit.
    assert TrainerScreen(box).base.value == "http://192.168.1.20:8866"


def test_an_officials_links_open_the_desk_as_an_official(world, tmp_path):
    box, _ = world
    classroom.write_roster(tmp_path / "lop.csv", [Learner("hoa-0b2c", "Lê Thị Hoa",
                                                          "official")])
    screen = picked(box, "hoa-0b2c")
    assert [link.rsplit("/", 1)[1] for _alt, link in qr_codes(screen)] == [
        "backoffice.ipynb?nguoi=hoa-0b2c&vai=official",
        "counter.ipynb?nguoi=hoa-0b2c&vai=official"]


def test_the_default_address_is_the_one_learners_can_reach():
    assert default_base_url("127.0.0.1", "8866") == "http://127.0.0.1:8866"
    assert re.fullmatch(r"http://[\d.]+:8870", default_base_url("0.0.0.0", "8870"))


# --- level 2, wallet ---------------------------------------------------------------------------


def test_the_trainer_grants_level_two_to_a_learners_account(world):
    box, learner = world
    activate(learner)
    screen = picked(box)
    assert f"{AN.cccd}: mức 1" in text(screen.learner_panel)
    click(screen.learner_panel, "Ghi nhận định danh mức 2")
    assert learner.vneid.account(AN.cccd).level == 2
    assert screen.message_text == (f"Đã ghi nhận định danh mức 2 cho số {AN.cccd} "
                                   "(1 tài khoản được nâng mức).")
    assert f"{AN.cccd}: mức 2" in text(screen.status_table)
    assert "Ghi nhận định danh mức 2" not in button_labels(screen.learner_panel)


def test_a_typed_number_is_checked_and_marked_when_wrong(world):
    box, _ = world
    screen = picked(box)
    screen.cccd.value = "12345"
    click(screen.learner_panel, "Ghi nhận mức 2 cho số này")
    assert "kns-invalid" in screen.cccd._dom_classes and "12345" not in screen.message_text
    screen.cccd.value = AN.cccd
    click(screen.learner_panel, "Ghi nhận mức 2 cho số này")
    assert screen.message_text.startswith(f"Đã ghi nhận định danh mức 2 cho số {AN.cccd} (0")
    assert box.vneid.enrolment_level(AN.cccd) == 2


def test_an_action_without_a_learner_marks_the_picker(world):
    screen = TrainerScreen(world[0])
    screen.reset_learner()
    assert screen.message_text == "Chưa chọn học viên"
    assert "kns-invalid" in screen.picker._dom_classes


def test_the_trainer_unlocks_a_locked_wallet(world):
    box, learner = world
    account = lock_a_wallet(learner)
    screen = picked(box)
    assert "BỊ KHÓA" in text(screen.learner_panel) and "1 bị khóa" in text(screen.status_table)
    click(screen.learner_panel, "Mở khóa ví")
    assert not learner.wallets.account(account.id).locked
    assert screen.message_text == (f"Đã mở khóa tài khoản {account.id}; số lần nhập sai mã PIN "
                                   "về 0.")
    assert "Mở khóa ví" not in button_labels(screen.learner_panel)


# --- resets ------------------------------------------------------------------------------------


def test_resetting_a_learner_asks_first_and_can_be_cancelled(world):
    box, learner = world
    learner.dossiers.create("tam-tru", {"ho_ten": AN.full_name})
    screen = picked(box)
    click(screen.learner_panel, "Xóa dữ liệu tập dượt của học viên này")
    assert "Xóa hết dữ liệu tập dượt của Nguyễn Thị Lan?" in text(screen.confirm_box)
    click(screen.confirm_box, "Hủy")
    assert learner.dossiers.list(owner=learner.actor) and screen.confirm_box.children == ()
    click(screen.learner_panel, "Xóa dữ liệu tập dượt của học viên này")
    click(screen.confirm_box, "Xác nhận xóa")
    assert learner.dossiers.list(owner=learner.actor) == []
    assert screen.message_text == ("Đã xóa dữ liệu tập dượt của Nguyễn Thị Lan (1 dòng). "
                                   "Nhật ký vẫn giữ.")
    assert box.events(action="class.learner_reset")[0].subject == "lan-3f9a"


def test_the_class_reset_needs_the_word_and_says_where_the_backup_is(world, tmp_path):
    box, learner = world
    learner.dossiers.create("tam-tru", {"ho_ten": AN.full_name})
    screen = TrainerScreen(box)
    screen.world_confirm.value = "xoa"
    screen.world_button.click()
    assert screen.message_text == "Chưa xác nhận: gõ đúng chữ XÓA vào ô rồi bấm lại"
    assert "kns-invalid" in screen.world_confirm._dom_classes
    assert box.dossiers.list() and not (tmp_path / "sao-luu").exists()
    screen.world_confirm.value = "xóa "
    screen.world_button.click()
    backups = list((tmp_path / "sao-luu").glob("kynangso-*.sqlite"))
    assert len(backups) == 1 and box.dossiers.list() == []
    assert screen.message_text == ("Đã làm mới dữ liệu cả lớp. Dữ liệu cũ đã sao lưu vào "
                                   f"{backups[0]}.")
    assert str(backups[0]) in text(screen.backup_note)
    assert "Nguyễn Thị Lan" in text(screen.status_table)  # the class list stays


# --- clock and sample dossiers -----------------------------------------------------------------


def test_the_clock_moves_forward_by_a_button_or_a_typed_number(world):
    box, _ = world
    screen = TrainerScreen(box)
    click(screen.body, "Tiến 1 ngày")
    assert box.now() == datetime(2025, 11, 11, 8, 0)
    assert screen.message_text == "Đồng hồ giả lập đã tiến tới 08:00 11/11/2025."
    assert "Thứ Ba 11/11/2025 08:00" in text(screen.clock)
    screen.days.value = "ba"
    click(screen.body, "Tiến số ngày đã nhập")
    assert "kns-invalid" in screen.days._dom_classes and box.now().day == 11
    screen.days.value = "3"
    click(screen.body, "Tiến số ngày đã nhập")
    assert box.now() == datetime(2025, 11, 14, 8, 0) and screen.days.value == ""
    assert "kns-numeric" in screen.days._dom_classes


def test_seeding_fills_the_back_office_and_says_what_it_made(world):
    box, _ = world
    screen = TrainerScreen(box)
    button(screen.body, "Tạo hồ sơ mẫu phường Trúc Lâm").click()
    total = sum(n for _case, n in classroom.SEED_PLAN)
    assert len(box.dossiers.list()) == total
    message = screen.message_text
    assert message.startswith(f"Đã tạo {total} hồ sơ mẫu: ")
    assert "4 quá hạn chưa giải quyết" in message and "3 chờ tiếp nhận" in message


def test_a_language_switch_keeps_the_learner_open(world):
    box, _ = world
    screen = picked(box)
    screen.language.value = "en"
    screen.language.value = "vi"
    assert screen.picker.value == "lan-3f9a"
    assert "Đường dẫn của Nguyễn Thị Lan" in text(screen.learner_panel)
    assert screen.message_text == ""
