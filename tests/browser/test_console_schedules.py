"""The schedule and e-Warong pages in a real browser, on a phone and a laptop: Bu Lina (PKH facilitator,
Kebon Jayanti) follows the P2K2 session she scheduled in chat and cancels it; Bu Yuni (operator, Desa
Bandarkedungmulyo) reads Bu Rina's e-Warong visit. The service clock stands at Monday 23 November 2026, 09:00 WIB."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import httpx

from tests.browser.conftest import (
    SLOW_MACHINE,
    LiveServer,
    assert_accessible,
    assert_no_sideways_scroll,
    screenshot,
    sign_in,
)
from tests.conftest import FIXED_NOW
from tests.web.console import BU_RINA, BU_YUNI

BU_LINA, PAK_DEDI, BU_ANI = "+6281300000003", "+6281200000002", "+6281200000005"


def on_monday(server: LiveServer) -> None:
    server.clock.offset = FIXED_NOW - datetime.now(UTC)


def chat(server: LiveServer, phone: str, *lines: str) -> None:
    for line in lines:
        server.say(phone, line)


def check_layout(page, name: str) -> None:  # type: ignore[no-untyped-def]
    assert_accessible(page)
    if page.width_name == "phone":
        assert_no_sideways_scroll(page)
    screenshot(page, name)


def test_a_facilitator_follows_and_cancels_her_p2k2_session(page, live_server) -> None:  # type: ignore[no-untyped-def]
    on_monday(live_server)
    chat(live_server, BU_LINA, "jadwal", "1", "sabtu", "9", "Rumah Bu Ani", "ekonomi", "1", "1")
    httpx.post(f"{live_server.url}/simulator/clock", json={"advance": "4d7h1m"}, timeout=SLOW_MACHINE).raise_for_status()  # Friday 16:01 WIB
    chat(live_server, PAK_DEDI, "1")
    chat(live_server, BU_ANI, "izin")
    sign_in(page, live_server, BU_LINA)
    page.get_by_role("link", name="Jadwal", exact=True).click()
    assert page.get_by_role("heading", name="Pertemuan yang akan datang").is_visible()
    row = page.get_by_role("row", name=re.compile("P2K2 kelompok Mawar 1"))
    assert "Sab, 28 Nov 2026, 09.00 WIB" in row.inner_text()
    assert "Akan hadir 1 · Berhalangan 1 · Belum menjawab 3" in row.inner_text()
    check_layout(page, "schedules")

    page.get_by_role("link", name="P2K2 kelompok Mawar 1").click()
    assert page.get_by_role("heading", name="P2K2 kelompok Mawar 1").is_visible()
    assert page.get_by_role("row", name=re.compile("Bu Ani")).get_by_text("Berhalangan").is_visible()
    check_layout(page, "schedule-meeting")

    page.get_by_text("Batalkan pertemuan ini").click()
    page.get_by_label("Alasan (dikirim kepada anggota)").fill("banjir")
    page.get_by_role("button", name="Ya, batalkan pertemuan").click()
    assert page.get_by_role("status").get_by_text("Pertemuan dibatalkan.").is_visible()
    assert page.get_by_text("banjir").is_visible()
    assert_accessible(page)


def test_an_operator_reads_the_ewarong_visits(page, live_server) -> None:  # type: ignore[no-untyped-def]
    on_monday(live_server)
    sign_in(page, live_server, BU_YUNI)
    chat(live_server, BU_RINA, "menu", "5", "bandar", "1", "beras 10 kg, telur 1 kg", "2", "telur Rp32.000/kg", "1", "1", "1",
         "45", "3", "1 3", "Antrean panjang", "1")  # fmt: skip
    page.goto(live_server.url + "/console/jadwal")
    page.get_by_role("link", name="e-Warong").click()
    assert page.get_by_role("heading", name="Agen e-Warong").is_visible()
    makmur = page.get_by_role("row", name=re.compile("e-Warong Makmur Jaya"))
    assert makmur.get_by_text("Harga di atas HET").is_visible() and makmur.get_by_text("Transaksi gagal").is_visible()
    assert page.get_by_text("Tepat harga: TIDAK, di atas HET (telur Rp32.000/kg)").is_visible()
    check_layout(page, "ewarong")
    makmur.get_by_role("link", name="e-Warong Makmur Jaya").click()
    assert page.get_by_role("heading", name="Kunjungan ke e-Warong Makmur Jaya").is_visible()
    assert_accessible(page)
