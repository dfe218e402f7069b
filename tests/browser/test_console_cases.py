"""Working a case in a real browser, as Pak Hendra (operator, Pasteur) would from his phone or laptop: the home
card of unassigned cases, the list, the case, and taking it, a note, a follow-up date and resolving it."""

from __future__ import annotations

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

from tests.browser.conftest import assert_accessible, assert_no_sideways_scroll, screenshot, sign_in
from tests.web.console import BU_SARI, PAK_HENDRA


def test_an_operator_takes_an_unassigned_case_and_resolves_it(page, live_server) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, live_server, PAK_HENDRA)
    replies = [r for text in ("kartu saya hilang", "1", "1") for r in live_server.say(BU_SARI, text)]
    found = re.search(r"KB-[2-9A-HJ-NP-Z]{5}", " ".join(str(r["text"]) for r in replies))
    assert found, replies
    reference = found.group(0)

    page.goto(live_server.url + "/console")
    page.get_by_role("link", name=re.compile("kasus belum ada yang menangani")).click()
    page.wait_for_url(re.compile(r"/console/kasus\?tampil=belum-ditangani$"))
    row = page.get_by_role("row").filter(has_text=reference)
    assert row.get_by_text("Belum ada yang menangani").is_visible()
    assert_accessible(page)
    assert_no_sideways_scroll(page)
    screenshot(page, "cases-list")

    page.get_by_role("link", name=reference).click()
    assert page.get_by_role("heading", name=f"Kasus {reference}").is_visible()
    assert page.get_by_role("link", name="Telepon").get_attribute("href") == "tel:+6281200000001"
    assert_accessible(page)
    assert_no_sideways_scroll(page)
    screenshot(page, "case")

    page.get_by_role("button", name="Ambil kasus ini (saya yang menangani)").click()
    assert page.get_by_role("status").filter(has_text="Kasus ini sekarang Anda yang menangani.").is_visible()

    page.get_by_label("Catatan", exact=True).fill("Sudah ditelepon, besok ke kelurahan untuk surat kehilangan")
    page.get_by_role("button", name="Simpan catatan").click()
    assert page.get_by_role("status").filter(has_text="Catatan tersimpan.").is_visible()
    assert page.locator(".timeline").get_by_text("Sudah ditelepon, besok ke kelurahan").is_visible()

    tomorrow = (live_server.clock.now() + timedelta(days=1)).astimezone(ZoneInfo("Asia/Jakarta")).date().isoformat()
    page.get_by_label("Kapan tindak lanjut berikutnya?").fill(tomorrow)
    page.get_by_role("button", name="Simpan tanggal").click()
    assert page.get_by_role("status").filter(has_text="Tanggal tindak lanjut tersimpan.").is_visible()

    page.get_by_label("Status baru").select_option(label="Selesai")
    page.get_by_label(re.compile("^Keterangan")).fill("Kartu baru sudah diterima")
    page.get_by_role("button", name="Simpan status").click()
    assert page.get_by_role("status").filter(has_text="Status tersimpan.").is_visible()
    assert page.locator(".case-tags").get_by_text("Selesai").is_visible()
    assert page.locator(".timeline").get_by_text(re.compile("Selesai.*Kartu baru sudah diterima")).is_visible()
    assert_accessible(page)
    assert_no_sideways_scroll(page)
    screenshot(page, "case-resolved")

    news = " ".join(str(r["text"]) for r in live_server.say(BU_SARI, "status"))
    assert f"Kabar laporan {reference}" in news and "sudah selesai" in news


def test_a_form_error_is_shown_next_to_the_field_and_keeps_the_text(page, live_server) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, live_server, PAK_HENDRA)
    replies = [r for text in ("kartu saya hilang", "1", "1") for r in live_server.say(BU_SARI, text)]
    reference = re.search(r"KB-[2-9A-HJ-NP-Z]{5}", " ".join(str(r["text"]) for r in replies)).group(0)  # type: ignore[union-attr]
    page.goto(f"{live_server.url}/console/kasus/{reference}")
    page.get_by_label("Status baru").select_option(label="Dirujuk")
    page.get_by_label(re.compile("^Keterangan")).fill("Puskesmas Sukajadi")
    page.get_by_role("button", name="Simpan status").click()
    assert page.get_by_role("alert").first.is_visible()
    assert page.get_by_text("Sebelum merujuk: tulis siapa dari keluarga yang setuju").is_visible()
    assert page.get_by_label(re.compile("^Keterangan")).input_value() == "Puskesmas Sukajadi"
    assert_accessible(page)
    screenshot(page, "case-form-error")
