"""The door of every app: a name per browser, the class code for the trainer role,
display settings remembered in the browser's cookies."""

from __future__ import annotations

import re

import pytest

from kynangso.sandbox.store import Sandbox
from kynangso.ui import session
from kynangso.ui.base import Screen, more
from kynangso.ui.gate import Gate
from kynangso.ui.portal import portal_app
from kynangso.ui.vneid import vneid_app


@pytest.fixture
def store(tmp_path, monkeypatch):
    path = tmp_path / "sandbox.sqlite"
    Sandbox.open(path).close()
    monkeypatch.setenv("KYNANGSO_STORE", str(path))
    monkeypatch.delenv("VOILA_PREHEAT", raising=False)
    monkeypatch.delenv("QUERY_STRING", raising=False)
    monkeypatch.delenv("HTTP_COOKIE", raising=False)
    monkeypatch.delenv("KYNANGSO_CLASS_CODE", raising=False)
    return path


def bridge_cookies(screen: Screen) -> dict:
    import html
    import json

    merged: dict = {}  # what the page ends up with after every command still in the bridge
    for found in re.finditer(r"data-cookies='([^']*)'", screen._bridge.value):
        merged.update(json.loads(html.unescape(found[1])))
    return merged


def test_a_fresh_browser_is_asked_for_a_name_not_given_someone_elses_world(store):
    gate = portal_app()
    assert isinstance(gate, Gate) and gate.screen is None
    gate.name.value = "Nguyễn Thị Lan"
    gate.body.children[-1].click()
    screen = gate.screen
    assert screen is not None and screen.box.actor.startswith("nguyen-thi-lan-")
    assert screen.box.role == "resident"
    assert "Bạn đang tập với tên: Nguyễn Thị Lan" in screen.person.value
    assert bridge_cookies(gate) == {"kns_nguoi": screen.box.actor, "kns_ten": "Nguyễn Thị Lan"}
    assert gate.outer.children[0] is screen.widget


def test_an_empty_name_marks_the_field_and_opens_nothing(store):
    gate = vneid_app()
    gate.body.children[-1].click()
    assert gate.screen is None and "Hãy nhập tên" in gate.message_text
    assert "kns-invalid" in gate.name._dom_classes
    assert 'data-focus="invalid"' in gate._bridge.value
    gate.name.value = "Hoa"
    gate.body.children[-1].click()
    assert gate.screen is not None


def test_two_learners_with_one_name_are_two_people(store):
    first, second = session.actor_for("Lan"), session.actor_for("Lan")
    assert first != second and re.fullmatch(r"lan-[0-9a-f]{4}", first)
    assert session.actor_for("Đặng Thị Ánh").startswith("dang-thi-anh-")


def test_the_browser_remembers_the_learner(store, monkeypatch):
    monkeypatch.setenv("HTTP_COOKIE", "kns_nguoi=lan-3f9a; kns_ten=Nguy%E1%BB%85n%20Lan")
    screen = portal_app()
    assert not isinstance(screen, Gate)
    assert screen.box.actor == "lan-3f9a"
    assert "Nguyễn Lan" in screen.person.value  # the store learns the name again


def test_the_url_still_names_the_person(store, monkeypatch):
    monkeypatch.setenv("HTTP_COOKIE", "kns_nguoi=lan-3f9a")
    monkeypatch.setenv("QUERY_STRING", "nguoi=chi-ba")
    screen = portal_app()
    assert screen.box.actor == "chi-ba" and "chi-ba" in screen.person.value


def test_a_malformed_cookie_or_name_never_breaks_the_page(store, monkeypatch):
    monkeypatch.setenv("HTTP_COOKIE", 'kns_nguoi="a b c; ;;==')
    assert isinstance(portal_app(), Gate)
    monkeypatch.setenv("HTTP_COOKIE", "kns_nguoi=../../etc")
    assert isinstance(portal_app(), Gate)


def test_the_trainer_role_needs_the_class_code(store, monkeypatch):
    monkeypatch.setenv("KYNANGSO_CLASS_CODE", "ABCD-EFGH-JKLM")
    monkeypatch.setenv("QUERY_STRING", "nguoi=gv-lan&vai=trainer")
    gate = vneid_app()
    assert isinstance(gate, Gate) and gate.ask_code
    gate.code.value = "ABCD-EFGH-0000"
    gate.body.children[-1].click()
    assert gate.screen is None and "Mã lớp không đúng" in gate.message_text
    assert gate.code.value == ""  # a wrong code is not left on screen
    gate.code.value = "abcd-efgh-jklm"
    gate.body.children[-1].click()
    assert gate.screen is not None and gate.screen.box.role == "trainer"
    assert bridge_cookies(gate)["kns_ma_lop"] == "abcd-efgh-jklm"


def test_a_remembered_class_code_opens_the_trainer_role(store, monkeypatch):
    monkeypatch.setenv("KYNANGSO_CLASS_CODE", "ABCD-EFGH-JKLM")
    monkeypatch.setenv("QUERY_STRING", "nguoi=gv-lan&vai=trainer")
    monkeypatch.setenv("HTTP_COOKIE", "kns_ma_lop=ABCD-EFGH-JKLM")
    assert vneid_app().box.role == "trainer"


def test_without_a_class_code_nobody_is_trainer(store, monkeypatch):
    monkeypatch.setenv("QUERY_STRING", "nguoi=gv-lan&vai=trainer")
    gate = vneid_app()
    gate.code.value = "anything"
    gate.body.children[-1].click()
    assert gate.screen is None


def test_display_settings_come_from_the_browser_and_are_remembered(store, monkeypatch):
    monkeypatch.setenv("QUERY_STRING", "nguoi=lan-1")
    monkeypatch.setenv("HTTP_COOKIE", "kns_prefs=s2c1lvi")
    screen = vneid_app()
    assert screen.size.value == 2 and screen.contrast.value
    assert {"kns-size-2", "kns-contrast"} <= set(screen.widget._dom_classes)
    screen.size.value = 1
    assert bridge_cookies(screen) == {"kns_prefs": "s1c1lvi"}


def test_the_language_is_remembered(store, monkeypatch, english):
    from kynangso.i18n import get_language, set_language

    set_language("vi")
    monkeypatch.setenv("QUERY_STRING", "nguoi=lan-1")
    monkeypatch.setenv("HTTP_COOKIE", "kns_prefs=s0c0len")
    screen = vneid_app()
    assert get_language() == "en" and "kns-lang-en" in screen.widget._dom_classes
    screen.language.value = "vi"
    assert bridge_cookies(screen) == {"kns_prefs": "s0c0lvi"}


def test_forgetting_the_person_clears_the_cookies_and_drops_the_url_name(store, monkeypatch):
    monkeypatch.setenv("QUERY_STRING", "nguoi=lan-1")
    screen = portal_app()
    screen.forget_button.click()
    assert bridge_cookies(screen) == {"kns_nguoi": None, "kns_ten": None}
    assert 'data-go="fresh"' in screen._bridge.value


def test_preferences_parse_only_what_they_wrote():
    assert session.Preferences.parse("s2c1len") == session.Preferences(2, True, "en")
    assert session.Preferences.parse("s9c1len") == session.Preferences()
    assert session.Preferences.parse("") == session.Preferences()


def test_more_keeps_details_one_tap_away():
    html = more("Lệ phí do cán bộ báo khi tiếp nhận", "Thông tư 85/2019/TT-BTC <chưa kiểm chứng>")
    assert "<details" in html and "&lt;chưa kiểm chứng&gt;" in html
    assert html.index("Lệ phí do cán bộ") < html.index("<details")
