"""A class of people, not one: each browser names its learner once, and remembers the
name and the display settings across apps and reloads; the trainer role needs the class
code. Real `make apps`, real Chromium."""

from __future__ import annotations

import pytest

from browser_helpers import CLASS_CODE, browser_page, open_app

pytestmark = [pytest.mark.server, pytest.mark.xdist_group("voila")]

GATE = "Bạn là ai?"


def enter_name(page, name: str) -> None:
    page.get_by_text(GATE).wait_for()
    page.get_by_label("Tên của bạn").fill(name)
    page.get_by_role("button", name="Bắt đầu tập").click()
    page.get_by_text(f"Bạn đang tập với tên: {name}").wait_for()


def cookie(page, name: str) -> str | None:
    return next((c["value"] for c in page.context.cookies() if c["name"] == name), None)


def test_a_fresh_browser_asks_a_name_and_remembers_it_in_every_app(voila):
    with browser_page() as (page, record):
        open_app(page, voila.url("portal"))
        enter_name(page, "Nguyễn Thị Lan")
        actor = cookie(page, "kns_nguoi")
        assert actor and actor.startswith("nguyen-thi-lan-")
        other = page.context.new_page()
        open_app(other, voila.url("vneid"))
        other.get_by_text("Bạn đang tập với tên: Nguyễn Thị Lan").wait_for()
        assert other.get_by_text(GATE).count() == 0
        page.reload()
        page.get_by_text("Bạn đang tập với tên: Nguyễn Thị Lan").wait_for()
        assert not record.page_errors
    with browser_page() as (page, _record):  # another learner's browser
        open_app(page, voila.url("portal"))
        page.get_by_text(GATE).wait_for()
        assert page.get_by_text("Nguyễn Thị Lan").count() == 0


def test_an_empty_name_is_marked_on_its_field(voila):
    with browser_page() as (page, _record):
        open_app(page, voila.url("wallet"))
        page.get_by_role("button", name="Bắt đầu tập").click()
        page.get_by_text("Hãy nhập tên").wait_for()
        field = page.get_by_label("Tên của bạn")
        page.wait_for_function("document.activeElement && "
                               "document.activeElement.getAttribute('aria-invalid') === 'true'")
        assert field.get_attribute("aria-describedby") == "kns-message"


def test_changing_learner_forgets_the_name(voila, who):
    with browser_page() as (page, _record):
        open_app(page, voila.url("kiosk", f"nguoi={who('hoa')}"))
        page.get_by_role("button", name="Đổi người tập").click()
        page.get_by_text(GATE).wait_for()
        assert "nguoi=" not in page.url and cookie(page, "kns_nguoi") is None


def test_display_settings_follow_the_learner_across_apps_and_reloads(voila, who):
    person = who("tnv")
    with browser_page({"width": 390, "height": 844}) as (page, _record):
        open_app(page, voila.url("portal", f"nguoi={person}"))
        page.get_by_role("button", name="A++").click()
        page.get_by_text("Tương phản cao").click()
        page.wait_for_function("document.cookie.includes('kns_prefs=s2c1')")
        other = page.context.new_page()
        open_app(other, voila.url("wallet", f"nguoi={person}"))
        root = other.locator(".kns-root").first
        assert "kns-size-2" in root.get_attribute("class")
        assert "kns-contrast" in root.get_attribute("class")
        other.reload()
        other.locator(".kns-root.kns-size-2.kns-contrast").wait_for()


def test_the_language_follows_too_and_the_page_says_so(voila, who):
    person = who("tnv")
    with browser_page() as (page, _record):
        open_app(page, voila.url("vneid", f"nguoi={person}"))
        assert page.evaluate("document.documentElement.lang") == "vi"
        page.get_by_label("Ngôn ngữ").select_option(label="English")
        page.wait_for_function("document.documentElement.lang === 'en'")
        page.wait_for_function("document.cookie.includes('kns_prefs=s0c0len')")
        other = page.context.new_page()
        open_app(other, voila.url("portal", f"nguoi={person}"))
        other.locator(".kns-root.kns-lang-en").wait_for()
        other.wait_for_function("document.documentElement.lang === 'en'")
        other.wait_for_function("document.title.startsWith('Public Service Portal')")
        assert other.title().endswith("— Kỹ Năng Số")  # never the file name "portal"


def test_the_trainer_role_needs_the_class_code_once_per_browser(voila, who):
    with browser_page() as (page, _record):
        open_app(page, voila.url("vneid", f"nguoi={who('gv')}&vai=trainer"))
        page.get_by_role("heading", name="Quyền giảng viên").wait_for()
        page.get_by_label("Mã lớp").fill("SAI-MA-LOP")
        page.get_by_role("button", name="Mở quyền giảng viên").click()
        page.get_by_text("Mã lớp không đúng").wait_for()
        assert page.get_by_label("Mã lớp").input_value() == ""
        page.get_by_label("Mã lớp").fill(CLASS_CODE)
        page.get_by_role("button", name="Mở quyền giảng viên").click()
        page.locator(".kns-app-vneid").wait_for()
        page.reload()
        page.locator(".kns-app-vneid").wait_for()
        assert page.get_by_role("heading", name="Quyền giảng viên").count() == 0
    with browser_page() as (page, _record):  # ?vai=trainer alone opens nothing
        open_app(page, voila.url("vneid", f"nguoi={who('hv')}&vai=trainer"))
        page.get_by_role("heading", name="Quyền giảng viên").wait_for()
        assert page.locator(".kns-app-vneid").count() == 0
