"""The household list in a real browser: Pak Hendra (operator, Pasteur) searches, uploads a list and downloads its rejected rows."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, assert_no_sideways_scroll, screenshot, sign_in
from tests.web.console import PAK_HENDRA

LIST = (
    "nama;nik;kode_wilayah;rt;rw;program\n"
    "Bu Kenanga;3273074107900002;32.73.07.1001;4;2;pkh\n"
    "Pak Teratai;3273071708750004;32.73.07.1001;1;1;sembako\n"
    "Pak Salah;12345;32.73.07.1001;;;\n"  # invalid NIK
    "Bu Jauh;3517185910700009;35.17.18.2001;;;\n"  # a village of another regency
)


def test_search_then_upload_a_list_and_download_the_rejected_rows(page, live_server, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, live_server, PAK_HENDRA)
    page.get_by_role("link", name="Rumah tangga").click()
    assert page.get_by_role("heading", name="Rumah tangga").is_visible()
    page.get_by_label("Cari nama kepala keluarga atau nomor HP").fill("0812 0000 0001")
    page.get_by_role("button", name="Cari").click()
    page.wait_for_url(re.compile(r"q=0812"))
    assert page.get_by_text("1 rumah tangga dengan nomor HP itu.").is_visible()
    assert page.get_by_text("3273********0001").is_visible()
    assert_accessible(page)
    assert_no_sideways_scroll(page)
    screenshot(page, "households")

    page.get_by_role("link", name="Unggah daftar rumah tangga (CSV/XLSX)").click()
    assert page.get_by_role("heading", name="Unggah daftar rumah tangga").is_visible()
    assert_accessible(page)
    screenshot(page, "households-upload")

    wrong = tmp_path / "daftar.pdf"
    wrong.write_bytes(b"%PDF-1.4")
    page.set_input_files("#file", str(wrong))
    page.get_by_role("button", name="Unggah dan impor").click()
    expect(page.get_by_role("alert")).to_contain_text("bukan CSV atau XLSX")  # shown in place, by the script

    posts: list[str] = []
    page.on("request", lambda r: posts.append(r.resource_type) if r.method == "POST" and r.url.endswith("/impor") else None)
    listed = tmp_path / "daftar-pasteur.csv"
    listed.write_text(LIST, encoding="utf-8")
    page.set_input_files("#file", str(listed))
    page.get_by_role("button", name="Unggah dan impor").click()
    page.wait_for_url(re.compile(r"/console/rumah-tangga/impor/[0-9a-f]{32}$"))
    assert posts == ["xhr"]  # sent by the progress script, not the plain form
    assert page.get_by_role("heading", name="Hasil unggahan").is_visible()
    assert page.locator(".card").nth(1).inner_text().startswith("2")  # imported
    assert page.locator(".card").nth(2).inner_text().startswith("2")  # rejected
    assert page.get_by_text("Desa/kelurahan 35.17.18.2001 di luar wilayah Anda: 1 baris").is_visible()
    assert_accessible(page)
    assert_no_sideways_scroll(page)
    screenshot(page, "households-upload-result")

    with page.expect_download() as downloading:
        page.get_by_role("link", name="Unduh baris yang ditolak (CSV)").click()
    download = downloading.value
    assert re.fullmatch(r"ditolak-rumah-tangga-\d{4}-\d{2}-\d{2}\.csv", download.suggested_filename)
    rows = Path(download.path()).read_text(encoding="utf-8-sig").splitlines()
    assert rows[0] == "nama;nik;kode_wilayah;rt;rw;program;baris;alasan" and len(rows) == 3

    page.goto(live_server.url + "/console/rumah-tangga?q=kenanga")
    assert page.get_by_role("cell", name="Bu Kenanga").is_visible()


def test_the_upload_form_works_without_javascript(browser, live_server, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(java_script_enabled=False, locale="id-ID")
    page = context.new_page()
    page.width_name = "nojs"
    try:
        sign_in(page, live_server, PAK_HENDRA)
        page.goto(live_server.url + "/console/rumah-tangga/impor")
        listed = tmp_path / "daftar.csv"
        listed.write_text(LIST, encoding="utf-8")
        page.set_input_files("#file", str(listed))
        page.get_by_role("button", name="Unggah dan impor").click()
        page.wait_for_url(re.compile(r"/console/rumah-tangga/impor/[0-9a-f]{32}$"))
        assert page.get_by_role("heading", name="Hasil unggahan").is_visible()
    finally:
        context.close()
