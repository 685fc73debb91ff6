"""Every app follows the language switch: its heading and its body turn English, and
Vietnamese comes back. Each screen is built in the kernel, as its Voila app builds it, and
switched with its own language menu, as a trainee does."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import pytest

from kynangso.domain.vneid import rules as vneid_rules
from kynangso.domain.wallets import load_wallets
from kynangso.i18n import get_language, set_language
from kynangso.sandbox.store import Sandbox
from kynangso.ui.backoffice import BackofficeScreen
from kynangso.ui.base import UNEXPECTED, Screen
from kynangso.ui.kiosk import CounterDisplay, KioskScreen
from kynangso.ui.portal import PortalScreen
from kynangso.ui.trader import TraderScreen
from kynangso.ui.trainer import TrainerScreen
from kynangso.ui.vneid import VneidScreen
from kynangso.ui.wallet import WalletScreen

from helpers import button, button_labels, plain, text, widgets

MONDAY_8AM = datetime(2025, 11, 10, 8, 0)


@pytest.fixture(autouse=True)
def vietnamese():
    set_language("vi")
    yield
    set_language("vi")


@pytest.fixture
def box(tmp_path):
    with Sandbox.open(tmp_path, actor="tnv-an", role="trainee", start=MONDAY_8AM,
                      clock_running=False) as store:
        yield store


def _body(screen: Screen) -> str:
    """What the body says: HTML text, then button labels and field descriptions."""
    parts = [text(screen.body), *button_labels(screen.body)]
    parts += [getattr(w, "description", "") for w in widgets(screen.body)]
    return " | ".join(p for p in parts if p)


# app, role of the one who opens it, (Vietnamese, English) heading, (Vietnamese, English) body
APPS: list[tuple[Callable[..., Screen], str, tuple[str, str], tuple[str, str]]] = [
    (KioskScreen, "resident",
     ("Lấy số thứ tự — Trung tâm Phục vụ hành chính công",
      "Take a queue number — Public Administrative Service Centre"),
     ("Chạm vào lĩnh vực thủ tục bạn cần làm:", "Tap the field of the procedure you need:")),
    (CounterDisplay, "official",
     ("Màn hình gọi số", "Number-calling display"), ("Đang chờ", "Waiting")),
    (VneidScreen, "trainee",
     ("VNeID — Định danh điện tử (mô phỏng)", "VNeID — Electronic identification (simulated)"),
     ("Kích hoạt tài khoản định danh điện tử", "Activate electronic identification account")),
    (PortalScreen, "resident",
     ("Cổng Dịch vụ công (mô phỏng)", "Public Service Portal (simulated)"),
     ("Tìm kiếm", "Search")),
    # the body text of the wallet comes from data/wallets.yaml
    (WalletScreen, "trainee",
     ("Ứng dụng thanh toán (mô phỏng)", "Payment app (simulated)"),
     ("Không bao giờ nhập số CCCD thật", "Never type a real CCCD number")),
    (TraderScreen, "trainee",
     ("Quầy hàng nhận tiền qua mã QR (mô phỏng)", "Shop taking payments by QR code (simulated)"),
     ("Tên cửa hàng", "Shop name")),
    (BackofficeScreen, "official",
     ("Phần mềm một cửa — Tiếp nhận và giải quyết hồ sơ",
      "One-stop-shop software — Receiving and processing dossiers"),
     ("Hồ sơ chờ tiếp nhận", "Dossiers awaiting receipt")),
    (TrainerScreen, "trainer",
     ("Bảng điều khiển giảng viên", "Trainer's control panel"),
     ("Lớp học hôm nay", "Today's class")),
]


@pytest.mark.parametrize(("app", "role", "heading", "body"), APPS,
                         ids=[a[0].__name__ for a in APPS])
def test_the_app_switches_to_english_and_back(box, app, role, heading, body):
    screen = app(box.as_actor("nguoi-dung", role))
    assert plain(screen.heading.value) == heading[0]
    assert body[0] in _body(screen)

    screen.language.value = "en"
    assert get_language() == "en"
    assert plain(screen.heading.value) == heading[1]
    assert body[1] in _body(screen) and body[0] not in _body(screen)

    screen.language.value = "vi"
    assert plain(screen.heading.value) == heading[0]
    assert body[0] in _body(screen) and body[1] not in _body(screen)


def test_the_unexpected_error_message_follows_the_language(box, monkeypatch):
    screen = KioskScreen(box)
    screen.language.value = "en"
    monkeypatch.setattr(box.queue, "take", lambda field: 1 / 0)
    screen.field_buttons[0].click()
    assert screen.message_text.startswith("Something unexpected went wrong.")
    assert UNEXPECTED.startswith("Đã có lỗi ngoài dự kiến")


def test_wallet_steps_and_buttons_from_the_data_file_follow_the_language():
    app = load_wallets().get("zalopay")
    assert (app.name, app.label("confirm")) == ("ZaloPay (mô phỏng)", "Thanh toán")
    set_language("en")
    assert (app.name, app.label("confirm"), app.auth_label) == (
        "ZaloPay (simulated)", "Pay", "Payment password (6 digits)")
    title, body = app.step("confirm").render(amount="7.000 ₫", recipient="An", bank="NH",
                                             purpose="phi")
    assert title == "Confirm the payment" and body.startswith("Pay 7.000 ₫ to An through NH.")
    assert load_wallets().notice.startswith("This is a simulated app for practice.")


def test_vneid_texts_and_warnings_from_the_data_file_follow_the_language():
    rules = vneid_rules()
    assert rules.text("sms_activation", code="123456").startswith("Mã kích hoạt VNeID")
    set_language("en")
    assert rules.text("sms_activation", code="123456") == (
        "Your VNeID activation code is 123456. Do not give this code to anyone.")
    assert rules.scam_warnings[0].shown_title == "Scam warning"
    assert rules.scam_warnings[0].title == "Cảnh báo lừa đảo"  # the source table stays Vietnamese


# --- texts of procedures.yaml and locality.yaml ---------------------------------------------


def test_the_portal_shows_procedure_and_document_names_of_the_data_file_in_english(box):
    screen = PortalScreen(box.as_actor("nguoi-dung", "resident"))
    assert "Đăng ký khai sinh — Hộ tịch" in button_labels(screen.body)

    screen.language.value = "en"
    labels = button_labels(screen.body)
    assert "Birth registration — Civil status" in labels
    assert not any("Đăng ký khai sinh" in label for label in labels)
    button(screen.body, "Birth registration — Civil status").click()
    sheet = text(screen.body)
    assert "Birth registration form" in sheet and "Tờ khai đăng ký khai sinh" not in sheet
    assert "Field: Civil status" in sheet
    assert "Registering within 60 days of the birth is on time" in sheet
    assert "a fee at the rate set by the provincial People's Council" in sheet
    # what the event log keeps does not depend on the language shown
    assert box.events(action="portal.procedure_viewed")[-1].subject == "khai-sinh"

    screen.language.value = "vi"
    sheet = text(screen.body)
    assert "Tờ khai đăng ký khai sinh" in sheet and "Birth registration form" not in sheet
    assert "Lĩnh vực: Hộ tịch" in sheet


def test_the_kiosk_shows_fields_and_counters_in_english_and_the_ticket_keeps_the_key(box):
    screen = KioskScreen(box.as_actor("nguoi-dung", "resident"))
    screen.language.value = "en"
    assert "Civil status" in button_labels(screen.body)
    assert "Hộ tịch" not in button_labels(screen.body)
    button(screen.body, "Civil status").click()
    card = plain(screen.ticket_card.value)
    assert "Civil status – Certification counter" in card and "Field: Civil status" in card
    ticket = box.events(action="queue.ticket")[-1]
    assert ticket.payload["field"] == "Hộ tịch"  # the stored field is the Vietnamese key

    screen.language.value = "vi"
    button(screen.body, "Hộ tịch").click()
    card = plain(screen.ticket_card.value)
    assert "Quầy Hộ tịch – Chứng thực" in card and "Lĩnh vực: Hộ tịch" in card
    assert [e.payload["field"] for e in box.events(action="queue.ticket")] == ["Hộ tịch"] * 2


def test_the_hall_display_names_the_counters_in_english(box):
    screen = CounterDisplay(box.as_actor("can-bo", "official"))
    screen.language.value = "en"
    assert "Residence counter" in text(screen.body)
    assert "Counter 2 — Residence counter" in [label for label, _n in screen.counter.options]
    screen.language.value = "vi"
    assert "Quầy Cư trú" in text(screen.body) and "Residence counter" not in text(screen.body)


def test_root_is_marked_english_for_the_page_scripts_notices(tmp_path):
    # frontend/src/index.js words "connection lost" / "restarted" by this class.
    from kynangso.sandbox.store import Sandbox
    from kynangso.ui.kiosk import KioskScreen

    with Sandbox.open(tmp_path, role="resident", actor="an") as box:
        screen = KioskScreen(box)
        assert "kns-lang-en" not in screen.widget._dom_classes
        screen.language.value = "en"
        try:
            assert "kns-lang-en" in screen.widget._dom_classes
        finally:
            screen.language.value = "vi"
        assert "kns-lang-en" not in screen.widget._dom_classes
