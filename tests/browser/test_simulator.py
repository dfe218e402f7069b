"""The chat simulator (/) in a real browser: Bu Sari reports a lost card from a phone or a laptop, the page survives a
server that is away, stale option buttons cannot be tapped, and the bot's chart and workbook keep readable names."""

from __future__ import annotations

import re

from playwright.sync_api import expect
from sqlalchemy import func, select

from app.models import InboundMessage, OutboundMessage
from tests.browser.conftest import assert_accessible, assert_no_sideways_scroll, screenshot
from tests.web.console import BU_SARI

FIRST_REPLY = "Laporan: Kartu KKS hilang."
FAST_POLLING = "window.KAWAL_SIMULATOR_POLL_MS = 200;"


def open_as(page, server, name: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(server.url + "/")
    page.get_by_role("button", name=re.compile(f"^{name}")).click()
    expect(page.get_by_role("heading", name=re.compile(f"^{name} ·"))).to_be_visible()


def type_message(page, text: str) -> None:  # type: ignore[no-untyped-def]
    page.get_by_label("Pesan").fill(text)
    page.get_by_role("button", name="Kirim", exact=True).click()


def handled(server, text: str) -> int:  # type: ignore[no-untyped-def]
    """How many times the server took in a message with this text (whatever its client_id)."""
    with server.app.state.database.transaction() as db:
        return db.scalar(select(func.count()).select_from(InboundMessage).where(InboundMessage.text == text))


def test_bu_sari_reports_a_lost_card_and_old_buttons_go_stale(page, live_server) -> None:  # type: ignore[no-untyped-def]
    page.goto(live_server.url + "/")
    assert page.locator("html").get_attribute("lang") == "id"
    assert page.get_by_label("Pesan").is_disabled()  # nobody to speak as yet
    assert_no_sideways_scroll(page)
    assert_accessible(page)
    screenshot(page, "simulator-start")
    open_as(page, live_server, "Bu Sari")
    persona_button = page.get_by_role("button", name=re.compile("^Bu Sari"))
    if page.width_name == "phone":  # the persona list folds away above the chat once a persona is chosen
        expect(persona_button).to_be_hidden()
        expect(page.get_by_text("Persona dan jam: Bu Sari")).to_be_visible()
    else:  # a sidebar on a laptop
        expect(persona_button).to_have_attribute("aria-pressed", "true")

    type_message(page, "kartu saya hilang")
    log = page.get_by_role("log")
    expect(log).to_contain_text(FIRST_REPLY)
    asked = log.locator(".msg.bot").filter(has_text=FIRST_REPLY)
    expect(asked.get_by_role("button")).to_have_text(["1. Sudah", "2. Belum"])
    assert_accessible(page)

    asked.get_by_role("button", name="1. Sudah").click()
    expect(log).to_contain_text("Periksa laporan Anda")
    for stale in asked.get_by_role("button").all():  # both: the tapped one and the other
        expect(stale).to_be_disabled()
        expect(stale).to_have_attribute("aria-disabled", "true")
    confirm = log.locator(".msg.bot").filter(has_text="Periksa laporan Anda")
    expect(confirm.get_by_role("button", name="1. Kirim laporan")).to_be_enabled()
    expect(log.locator(".msg.me")).to_have_text(["Anda: kartu saya hilang", "Anda: Sudah"])
    assert_no_sideways_scroll(page)
    assert_accessible(page)
    screenshot(page, "simulator-chat")

    type_message(page, "2")  # a typed answer makes the buttons above it stale too
    expect(confirm.get_by_role("button", name="1. Kirim laporan")).to_be_disabled()
    expect(confirm.get_by_role("button", name="2. Batalkan")).to_have_attribute("aria-disabled", "true")
    assert handled(live_server, "kartu saya hilang") == 1


def test_usable_at_360_px(browser, live_server) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="id-ID")
    try:
        page = context.new_page()
        page.width_name = "360"
        page.goto(live_server.url + "/")
        assert_no_sideways_scroll(page)
        assert_tap_targets(page)
        open_as(page, live_server, "Bu Sari")
        type_message(page, "kartu saya hilang")
        expect(page.get_by_role("log")).to_contain_text(FIRST_REPLY)
        assert_no_sideways_scroll(page)
        assert_tap_targets(page)
        box = page.get_by_label("Pesan").bounding_box()
        assert box is not None and box["width"] >= 120, box  # room to type
        assert box["y"] + box["height"] <= 740  # the message box is on screen, at the bottom
        page.get_by_text("Persona dan jam: Bu Sari").click()  # the folded list opens again
        expect(page.get_by_role("button", name=re.compile("^Pak Hendra"))).to_be_visible()
        assert_no_sideways_scroll(page)
        assert_tap_targets(page)
        screenshot(page, "simulator")
    finally:
        context.close()


def assert_tap_targets(page) -> None:  # type: ignore[no-untyped-def]
    """Every visible button, field and the panel's toggle is at least 44 × 44 CSS px."""
    small = page.evaluate(
        """() => [...document.querySelectorAll("button, input, summary")]
            .filter((e) => e.offsetParent !== null && getComputedStyle(e).visibility !== "hidden")
            .map((e) => [e.textContent.trim() || e.id, e.getBoundingClientRect()])
            .filter(([, r]) => r.width < 44 || r.height < 44)
            .map(([name, r]) => `${name}: ${Math.round(r.width)}×${Math.round(r.height)}`)"""
    )
    assert not small, small


def test_server_unreachable_shows_a_banner_and_retry_sends_once(page, live_server) -> None:  # type: ignore[no-untyped-def]
    open_as(page, live_server, "Bu Sari")
    page.route("**/simulator/messages", lambda route: route.abort())
    type_message(page, "kartu saya hilang")
    banner = page.get_by_role("alert")
    expect(banner).to_contain_text("Pesan belum terkirim: server tidak dapat dihubungi")
    mine = page.get_by_role("log").locator(".msg.me")
    expect(mine).to_have_text(re.compile("^Anda: kartu saya hilang\\s*belum terkirim$"))
    assert handled(live_server, "kartu saya hilang") == 0
    assert_accessible(page)
    screenshot(page, "simulator-banner")

    page.unroute("**/simulator/messages")
    banner.get_by_role("button", name="Coba lagi").click()
    log = page.get_by_role("log")
    expect(log).to_contain_text(FIRST_REPLY)
    expect(banner).to_be_hidden()
    expect(page.get_by_label("Pesan")).to_be_focused()  # the retry button went away: focus back to typing
    expect(mine).to_have_text(["Anda: kartu saya hilang"])
    expect(log.get_by_text(FIRST_REPLY)).to_have_count(1)
    assert handled(live_server, "kartu saya hilang") == 1


def test_a_lost_answer_comes_back_with_the_retry(page, live_server) -> None:  # type: ignore[no-untyped-def]
    """The server handled the message, but a proxy answered 502: "Coba lagi" shows the bot's answer, once."""

    def handled_then_broken(route) -> None:  # type: ignore[no-untyped-def]
        route.fetch()
        route.fulfill(status=502, body="Bad Gateway")

    open_as(page, live_server, "Bu Sari")
    page.route("**/simulator/messages", handled_then_broken)
    type_message(page, "kartu saya hilang")
    banner = page.get_by_role("alert")
    expect(banner).to_contain_text("Pesan belum terkirim: server gagal (HTTP 502)")
    assert handled(live_server, "kartu saya hilang") == 1
    page.unroute("**/simulator/messages")
    banner.get_by_role("button", name="Coba lagi").click()
    log = page.get_by_role("log")
    expect(log.get_by_text(FIRST_REPLY)).to_have_count(1)
    expect(banner).to_be_hidden()
    assert handled(live_server, "kartu saya hilang") == 1


def test_typed_text_refused_by_the_server_is_put_back(page, live_server) -> None:  # type: ignore[no-untyped-def]
    open_as(page, live_server, "Bu Sari")
    page.route("**/simulator/messages", lambda route: route.fulfill(status=422, json={"detail": "nomor tidak dikenal"}))
    type_message(page, "kartu saya hilang")
    banner = page.get_by_role("alert")
    expect(banner).to_contain_text("Pesan ditolak: nomor tidak dikenal.")
    expect(page.get_by_label("Pesan")).to_have_value("kartu saya hilang")
    banner.get_by_role("button", name="Tutup").click()
    expect(banner).to_be_hidden()


def queue_news(server, phone: str, text: str) -> None:  # type: ignore[no-untyped-def]
    """A message the bot sends on its own (a reminder): it waits in the outbox until the page polls for it."""
    now = server.clock.now()
    with server.app.state.database.transaction() as db:
        db.add(OutboundMessage(idempotency_key=f"test-news-{now.timestamp()}", person_id=None, channel="simulator",
                               address=phone, purpose="reply", body={"text": text, "options": [], "media": []},
                               status="queued", attempts=0, next_attempt_at=now, created_at=now))  # fmt: skip


def is_a_poll(url: str) -> bool:
    return "/simulator/messages?phone=" in url


def test_polling_backs_off_while_the_server_is_away_and_recovers(page, live_server) -> None:  # type: ignore[no-untyped-def]
    page.add_init_script(FAST_POLLING)
    open_as(page, live_server, "Bu Sari")
    polls = []

    def away(route) -> None:  # type: ignore[no-untyped-def]
        polls.append(route.request.url)
        route.abort()

    page.route(is_a_poll, away)
    log = page.get_by_role("log")
    page.wait_for_function("Number(document.getElementById('log').dataset.pollDelay) >= 1600")  # 200 → 400 → 800 → 1600
    banner = page.get_by_role("alert")
    expect(banner).to_contain_text("Pesan baru tidak dapat diambil: server tidak dapat dihubungi")
    assert 3 <= len(polls) <= 5, polls

    queue_news(live_server, BU_SARI, "Pengingat: pertemuan kelompok besok pukul 09.00.")
    page.unroute(is_a_poll)
    expect(banner).to_be_hidden(timeout=10_000)
    expect(log).to_contain_text("Pengingat: pertemuan kelompok besok pukul 09.00.")
    expect(log).to_have_attribute("data-poll-delay", "200")


def test_the_digest_chart_has_alt_text_and_the_files_real_names(page, live_server) -> None:  # type: ignore[no-untyped-def]
    open_as(page, live_server, "Pak Hendra")
    type_message(page, "ringkasan")
    log = page.get_by_role("log")
    chart = log.get_by_role("img")
    expect(chart).to_have_attribute("alt", re.compile("^Grafik: Ringkasan mingguan Pasteur"))
    assert page.evaluate("[...document.images].every((image) => image.alt.trim() !== '')")
    workbook = log.get_by_role("link", name=re.compile(r"^ringkasan-32\.73\.07\.1001-.*\.xlsx$"))
    expect(workbook).to_have_attribute("download", re.compile(r"\.xlsx$"))
    expect(log.get_by_role("link", name=re.compile(r"^ringkasan-.*\.png$"))).to_be_visible()
    with page.expect_download() as caught:
        workbook.click()
    download = caught.value
    assert re.fullmatch(r"ringkasan-32\.73\.07\.1001-\d{4}-W\d{2}(-\d{4}-\d\d-\d\d)?\.xlsx", download.suggested_filename)
    assert not re.search(r"[0-9a-f]{64}", download.suggested_filename)
    assert_no_sideways_scroll(page)
    assert_accessible(page)
    screenshot(page, "simulator-digest")
    assert handled(live_server, "ringkasan") == 1
