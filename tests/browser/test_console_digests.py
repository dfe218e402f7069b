"""Digests in a real browser, as the admin of Kota Bandung would use them on a phone or a laptop: this week's digest
with its chart, the workbook downloaded under a name that says what it is, and a month's case export."""

from __future__ import annotations

import io
import re
from datetime import timedelta

from openpyxl import load_workbook

from app.demo import KEBON_JAYANTI, PASTEUR
from app.digest.weeks import Week
from app.models import Case
from tests.browser.conftest import assert_accessible, assert_no_sideways_scroll, screenshot, sign_in
from tests.web.console import ADMIN_KOTA


def add_cases(server) -> None:  # type: ignore[no-untyped-def]
    """Two cases reported a minute ago, in two kecamatan of the city."""
    created = server.clock.now() - timedelta(minutes=1)
    with server.app.state.database.transaction() as db:
        for reference, area, name in (("KB-BR001", PASTEUR, "Bu Satu"), ("KB-BR002", KEBON_JAYANTI, "Bu Dua")):
            db.add(Case(reference=reference, kind="kpm_report", category="kks_lost", status="new", area_code=area,
                        household_name=name, details={"answers": {}}, created_at=created, updated_at=created))  # fmt: skip


def test_the_city_admin_reads_this_weeks_digest_and_downloads_the_workbook(page, live_server) -> None:  # type: ignore[no-untyped-def]
    add_cases(live_server)
    week = Week.containing(live_server.clock.now(), "Asia/Jakarta").label
    sign_in(page, live_server, ADMIN_KOTA)
    page.get_by_role("link", name="Ringkasan", exact=True).click()
    assert page.get_by_role("heading", name="Ringkasan mingguan", exact=True).is_visible()
    assert page.get_by_role("heading", name=re.compile("Kota Bandung")).is_visible()
    assert_accessible(page)
    assert_no_sideways_scroll(page)
    screenshot(page, "digests")

    page.get_by_role("link", name="Minggu ini sejauh ini").click()
    page.wait_for_url(re.compile(rf"/console/ringkasan/32\.73/{week}$"))
    assert page.get_by_role("heading", level=1, name=re.compile("Ringkasan mingguan Kota Bandung, minggu ini sampai")).is_visible()
    assert page.get_by_text(re.compile(r"Laporan baru: 2")).is_visible()
    chart = page.get_by_role("img", name=re.compile("Grafik batang kasus dibuka"))
    assert chart.is_visible()
    assert page.evaluate("img => img.complete && img.naturalWidth > 300", chart.element_handle())  # the PNG loaded
    assert_accessible(page)
    assert_no_sideways_scroll(page)
    screenshot(page, "digest-week")

    with page.expect_download() as download:
        page.get_by_role("link", name="Unduh lembar kerja (.xlsx)").click()
    name = download.value.suggested_filename
    assert re.fullmatch(rf"ringkasan-32\.73-{week}-\d{{4}}-\d{{2}}-\d{{2}}\.xlsx", name), name
    book = load_workbook(io.BytesIO(download.value.path().read_bytes()))
    rows = list(book["Daftar kasus"].iter_rows(values_only=True))
    assert rows[0][4] == "Kecamatan" and sorted(row[4] for row in rows[1:]) == ["Kiaracondong", "Sukajadi"]


def test_the_city_admin_exports_this_months_cases(page, live_server) -> None:  # type: ignore[no-untyped-def]
    add_cases(live_server)
    sign_in(page, live_server, ADMIN_KOTA)
    page.goto(live_server.url + "/console/ringkasan")
    form = page.locator("#ekspor")
    assert form.get_by_label("Wilayah").input_value() == "32.73"
    first = form.get_by_label("Dari tanggal").input_value()
    assert first.endswith("-01")  # this month, by default
    form.scroll_into_view_if_needed()
    screenshot(page, "digests-export")
    with page.expect_download() as download:
        form.get_by_role("button", name="Unduh daftar kasus (.xlsx)").click()
    assert download.value.suggested_filename == f"kasus-32.73-{first[:7]}.xlsx"
    sheet = load_workbook(io.BytesIO(download.value.path().read_bytes())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][4] == "Kecamatan" and sorted(row[6] for row in rows[1:]) == ["Bu Dua", "Bu Satu"]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:M3"

    form.get_by_label("Sampai tanggal").fill("2000-01-01")  # before the first day: the page says so
    form.get_by_role("button", name="Unduh daftar kasus (.xlsx)").click()
    assert page.get_by_role("alert").filter(has_text="Tanggal akhir tidak boleh sebelum tanggal mulai.").is_visible()
    assert_accessible(page)
