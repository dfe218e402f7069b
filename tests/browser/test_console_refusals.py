"""The pages that say no are readable too: not found / outside one's area, a forged form, a page for operators only."""

from __future__ import annotations

from tests.browser.conftest import assert_accessible, screenshot, sign_in
from tests.web.console import BU_RINA, BU_SARI, PAK_ASEP


def test_refusal_pages_are_clear_and_accessible(page, live_server) -> None:  # type: ignore[no-untyped-def]
    for text in ("kartu kks saya hilang pak", "belum", "kirim"):
        replies = live_server.say(BU_SARI, text)
    reference = next(word for reply in replies for word in str(reply["text"]).replace(".", " ").split() if word.startswith("KB-"))

    sign_in(page, live_server, BU_RINA)  # TKSK of Bandarkedungmulyo (Jombang): Pasteur is not hers
    answer = page.goto(f"{live_server.url}/console/kasus/{reference}")
    assert answer is not None and answer.status == 404
    assert page.get_by_role("heading", name="Tidak ditemukan").is_visible()
    assert "Bu Sari" not in page.content()
    assert_accessible(page)
    screenshot(page, "not-found")

    with page.expect_navigation():
        page.evaluate("""() => {
            const form = document.createElement('form');
            form.method = 'post'; form.action = '/console/keluar';
            const field = document.createElement('input'); field.name = 'csrf'; field.value = 'forged';
            form.appendChild(field); document.body.appendChild(form); form.submit();
        }""")
    assert page.get_by_role("heading", name="Formulir ini tidak bisa diterima").is_visible()
    assert_accessible(page)
    page.goto(live_server.url + "/console")
    assert page.get_by_role("heading", name="Selamat datang, Bu Rina").is_visible()  # still signed in

    page.context.clear_cookies()
    sign_in(page, live_server, PAK_ASEP)  # a PSM: the household list is for operators
    answer = page.goto(live_server.url + "/console/rumah-tangga")
    assert answer is not None and answer.status == 403
    assert_accessible(page)
    screenshot(page, "households-for-operators")
