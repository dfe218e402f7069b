"""Signing in to the console in a real browser, as Pak Hendra (operator, Pasteur) would from his phone or laptop."""

from __future__ import annotations

import re

from tests.browser.conftest import assert_accessible, assert_no_sideways_scroll, screenshot, sign_in
from tests.web.console import PAK_HENDRA


def test_sign_in_by_the_chat_link_then_sign_out(page, live_server) -> None:  # type: ignore[no-untyped-def]
    link = live_server.sign_in_link(PAK_HENDRA)
    page.goto(link)
    assert page.get_by_text("Masuk sebagai Pak Hendra?").is_visible()
    assert_accessible(page)
    screenshot(page, "signin")
    page.get_by_role("button", name="Ya, masuk").click()
    page.wait_for_url(re.compile(r"/console$"))
    assert page.get_by_role("heading", name="Selamat datang, Pak Hendra").is_visible()
    assert_accessible(page)
    assert_no_sideways_scroll(page)
    screenshot(page, "home")
    page.get_by_role("button", name="Keluar").click()
    assert page.get_by_role("heading", name="Anda sudah keluar").is_visible()
    page.goto(live_server.url + "/console")
    assert page.get_by_role("heading", name="Silakan masuk dulu").is_visible()
    assert_accessible(page)


def test_a_replayed_link_is_refused_in_the_browser(page, live_server) -> None:  # type: ignore[no-untyped-def]
    link = live_server.sign_in_link(PAK_HENDRA)
    sign_in_page = page.goto(link)
    assert sign_in_page is not None and sign_in_page.status == 200
    page.get_by_role("button", name="Ya, masuk").click()
    page.wait_for_url(re.compile(r"/console$"))
    page.context.clear_cookies()
    again = page.goto(link)
    assert again is not None and again.status == 410
    assert page.get_by_role("heading", name="Tautan ini tidak berlaku lagi").is_visible()
    assert_accessible(page)


def test_sessions_page(page, live_server) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, live_server, PAK_HENDRA)
    page.get_by_role("link", name="Pak Hendra").click()
    assert page.get_by_role("heading", name="Sesi masuk Anda").is_visible()
    assert_accessible(page)
    screenshot(page, "sessions")
