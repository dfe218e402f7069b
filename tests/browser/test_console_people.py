"""People and invitations in a real browser: Pak Hendra invites a PSM, the code works in chat, another is revoked."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, assert_no_sideways_scroll, screenshot, sign_in
from tests.web.console import PAK_HENDRA


def test_people_then_an_invitation_with_its_qr_code_then_revoke_one(page, live_server) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, live_server, PAK_HENDRA)
    page.get_by_role("link", name="Orang").click()
    assert page.get_by_role("heading", name="Orang di wilayah Anda").is_visible()
    assert page.get_by_role("link", name="+6281300000001").is_visible()  # Pak Asep, to call
    assert_accessible(page)
    assert_no_sideways_scroll(page)
    screenshot(page, "people")

    page.get_by_label("Peran", exact=True).last.select_option("psm")
    page.get_by_label("Wilayah", exact=True).select_option("32.73.07.1001")
    page.get_by_role("button", name="Buat kode undangan").click()
    page.wait_for_url(re.compile(r"/console/orang/undangan/\d+"))
    assert page.get_by_role("heading", name=re.compile("Undangan PSM")).is_visible()
    code = page.locator(".invite-code").inner_text().strip()
    assert re.fullmatch(r"[A-Z0-9]{8}", code)
    qr = page.get_by_role("img", name=re.compile(f"Kode QR untuk bergabung: DAFTAR {code}"))
    assert qr.is_visible()
    assert page.evaluate("document.querySelector('img.qr').naturalWidth") > 0  # the SVG drew
    assert_accessible(page)
    assert_no_sideways_scroll(page)
    screenshot(page, "invitation")

    replies = live_server.say("+6281377770002", f"DAFTAR {code}")
    assert "Selamat bergabung" in str(replies)
    page.reload()
    assert page.get_by_text("Kode ini sudah dipakai").is_visible()

    page.goto(live_server.url + "/console/orang")
    page.get_by_label("Peran", exact=True).last.select_option("pkh")
    page.get_by_role("button", name="Buat kode undangan").click()
    page.wait_for_url(re.compile(r"/console/orang/undangan/\d+"))
    second = page.locator(".invite-code").inner_text().strip()
    page.goto(live_server.url + "/console/orang#undangan")
    page.get_by_role("button", name=f"Cabut undangan {second}").click()
    expect(page.get_by_role("status").filter(has_text="Undangan dicabut")).to_be_visible()
    assert page.get_by_text(second).count() == 0
    assert "tidak berlaku" in str(live_server.say("+6281377770003", f"DAFTAR {second}"))
    assert_accessible(page)
