"""A class at once: two volunteers on phones and an official on a desktop open the apps
in three browsers, each names themself, and none sees another's data; one volunteer's
phone loses its connection for 90 s and carries on where they were."""

from __future__ import annotations

import time

import pytest

from kynangso.domain.personas import make_personas
from kynangso.sandbox.store import Sandbox

from browser_helpers import (
    CHROMIUM,
    CHROMIUM_ARGS,
    PRACTICE_PASSWORD,
    TcpProxy,
    activate_vneid,
    open_app,
)

pytestmark = [pytest.mark.server, pytest.mark.xdist_group("voila")]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
WAIT = 90_000
_PERSONS = make_personas(6)
LAN_PERSON, HOA_PERSON = _PERSONS[4], _PERSONS[5]


def name_myself(page, name: str) -> str:
    page.get_by_label("Tên của bạn").fill(name)
    page.get_by_role("button", name="Bắt đầu tập").click()
    page.get_by_text(f"Bạn đang tập với tên: {name}").wait_for()
    return next(c["value"] for c in page.context.cookies() if c["name"] == "kns_nguoi")


def my_dossiers(page, person) -> str:
    page.get_by_role("button", name="Hồ sơ của tôi", exact=True).click()
    login = page.get_by_role("heading", name="Đăng nhập bằng VNeID")
    login.or_(page.get_by_role("heading", name="Hồ sơ của tôi")).wait_for()
    if login.count():
        page.get_by_label("Số định danh cá nhân (CCCD)").fill(person.cccd)
        page.get_by_label("Mật khẩu").fill(PRACTICE_PASSWORD)
        page.get_by_role("button", name="Đăng nhập", exact=True).click()
    page.get_by_role("heading", name="Hồ sơ của tôi").wait_for()
    return page.locator(".kns-root").first.inner_text()


def file_dossier(store, actor: str, name: str) -> str:
    with Sandbox.open(store, actor=actor, role="resident") as box:
        code = box.dossiers.create("tam-tru", {"ho_ten": name}, channel="cong-dvc",
                                   documents=["to-khai-ct01", "cho-o-hop-phap"]).code
        box.dossiers.submit(code)
    return code


def test_three_learners_at_once_see_only_their_own_and_one_survives_a_dropped_line(voila):
    from playwright.sync_api import sync_playwright

    proxy = TcpProxy(voila.port)  # Lan's phone reaches the server through a cable we pull
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                                        args=CHROMIUM_ARGS)
            lan_ctx = browser.new_context(viewport=PHONE, locale="vi-VN")
            hoa_ctx = browser.new_context(viewport=PHONE, locale="vi-VN")
            minh_ctx = browser.new_context(viewport=DESKTOP, locale="vi-VN")
            lan, hoa, minh = (c.new_page() for c in (lan_ctx, hoa_ctx, minh_ctx))
            errors: list[str] = []
            for page in (lan, hoa, minh):
                page.set_default_timeout(WAIT)
                page.on("pageerror", lambda e: errors.append(str(e)))

            open_app(lan, proxy.url("/voila/render/portal.ipynb"))
            open_app(hoa, voila.url("portal"))
            open_app(minh, voila.url("backoffice"))
            lan_id = name_myself(lan, "Lan")
            hoa_id = name_myself(hoa, "Hoa")
            minh_id = name_myself(minh, "Minh")
            assert len({lan_id, hoa_id, minh_id}) == 3

            for actor, person in ((lan_id, LAN_PERSON), (hoa_id, HOA_PERSON)):
                activate_vneid(voila.store, actor, person)
            lan_code = file_dossier(voila.store, lan_id, LAN_PERSON.full_name)
            hoa_code = file_dossier(voila.store, hoa_id, HOA_PERSON.full_name)

            lan_view, hoa_view = my_dossiers(lan, LAN_PERSON), my_dossiers(hoa, HOA_PERSON)
            assert lan_code in lan_view and hoa_code not in lan_view
            assert hoa_code in hoa_view and lan_code not in hoa_view

            # Lan's phone drops off the network while the others keep working.
            proxy.cut()
            lan.locator("#kns-connection").get_by_text("Mất kết nối").wait_for()
            started = time.monotonic()
            minh.reload()
            minh.get_by_text("Bạn đang tập với tên: Minh").wait_for()
            picker = minh.get_by_label("Chọn hồ sơ")
            options = picker.locator("option").all_inner_texts()
            assert any(o.startswith(lan_code) for o in options)
            assert any(o.startswith(hoa_code) for o in options)
            picker.select_option(label=next(o for o in options if o.startswith(hoa_code)))
            minh.get_by_role("button", name="Mở hồ sơ").click()
            minh.get_by_role("button", name="Tiếp nhận").click()
            minh.locator(".kns-message").get_by_text("Ngày hẹn trả kết quả").wait_for()
            hoa.get_by_role("button", name="Tìm thủ tục", exact=True).click()
            hoa.get_by_role("heading", name="Tìm thủ tục hành chính").wait_for()
            time.sleep(max(0.0, 90 - (time.monotonic() - started)))
            proxy.restore()

            lan.locator("#kns-connection").wait_for(state="detached")
            lan.get_by_text("Bạn đang tập với tên: Lan").wait_for()
            lan_view = my_dossiers(lan, LAN_PERSON)  # the same kernel answers again
            assert lan_code in lan_view and hoa_code not in lan_view
            assert errors == []
            browser.close()
    finally:
        proxy.close()
