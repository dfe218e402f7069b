"""The simulator's API under the page: files the bot sends keep a readable name (and images a text for those who
cannot see them), and a message resent after a lost answer gets that answer, once, without being handled twice."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select

from app.digest.workbook import XLSX_MIME
from app.models import InboundMessage, OutboundMessage
from app.web.simulator import safe_filename
from tests.web.console import BU_SARI, PAK_HENDRA, demo_client, say


def _queue_file(client, content: bytes, mime: str, *, name: str = "") -> None:  # type: ignore[no-untyped-def]
    """A reply carrying one file, as a flow or a digest would queue it, written on 1 December 2026 (WIB)."""
    ref = client.app.state.channels.media.save(content, mime)
    media = {"ref": ref.ref, "mime_type": mime, **({"name": name} if name else {})}
    with client.app.state.database.transaction() as db:
        db.add(OutboundMessage(
            idempotency_key=f"test-file-{ref.ref[-8:]}", person_id=None, channel="simulator", address=BU_SARI,
            purpose="reply", body={"text": "Ini berkasnya\nbaris kedua", "options": [], "media": [media]},
            status="queued", attempts=0, next_attempt_at=client.app.state.clock.now(),
            created_at=datetime(2026, 12, 1, 3, 0, tzinfo=UTC),
        ))  # fmt: skip


def test_a_file_without_a_name_is_named_by_its_kind_and_day(settings) -> None:  # type: ignore[no-untyped-def]
    with demo_client(settings) as client:
        _queue_file(client, b"PK\x03\x04 workbook", XLSX_MIME)
        [reply] = client.get("/simulator/messages", params={"phone": BU_SARI}).json()["replies"]
        [media] = reply["media"]
        assert media["filename"] == "lampiran-2026-12-01.xlsx"
        assert "alt" not in media  # not an image
        download = client.get(media["url"])
    assert download.status_code == 200 and download.content.startswith(b"PK")
    assert download.headers["content-disposition"] == 'attachment; filename="lampiran-2026-12-01.xlsx"'


def test_an_image_is_shown_inline_under_its_given_name_with_a_text(settings) -> None:  # type: ignore[no-untyped-def]
    with demo_client(settings) as client:
        _queue_file(client, b"\x89PNG chart", "image/png", name="grafik pasteur/../W49.png")
        [reply] = client.get("/simulator/messages", params={"phone": BU_SARI}).json()["replies"]
        [media] = reply["media"]
        shown = client.get(media["url"])
    assert media["filename"] == "W49.png"  # no path, nothing a header or a file system would trip on
    assert media["alt"] == "Grafik: Ini berkasnya"
    assert shown.headers["content-disposition"] == 'inline; filename="W49.png"'
    assert shown.headers["content-type"] == "image/png"


def test_the_digest_files_keep_their_names(settings) -> None:  # type: ignore[no-untyped-def]
    with demo_client(settings) as client:
        [reply] = say(client, PAK_HENDRA, "ringkasan")
        chart, workbook = reply["media"]
        assert chart["filename"].startswith("ringkasan-32.73.07.1001-") and chart["filename"].endswith(".png")
        assert chart["alt"].startswith("Grafik: Ringkasan mingguan Pasteur")
        assert workbook["filename"].startswith("ringkasan-32.73.07.1001-") and workbook["filename"].endswith(".xlsx")
        saved = client.get(workbook["url"])
    assert saved.headers["content-disposition"] == f'attachment; filename="{workbook["filename"]}"'


def test_a_name_asked_for_in_the_link_is_made_safe(settings) -> None:  # type: ignore[no-untyped-def]
    with demo_client(settings) as client:
        [reply] = say(client, PAK_HENDRA, "ringkasan")
        url = reply["media"][1]["url"].split("?")[0]
        response = client.get(url, params={"filename": '../../etc/pass"wd.png'})
        plain = client.get(url)
    assert response.headers["content-disposition"] == 'attachment; filename="pass-wd.png.xlsx"'  # the ending is the file's real type
    assert plain.headers["content-disposition"] == f'attachment; filename="{url.rsplit("/", 1)[1]}"'


def test_safe_filename() -> None:
    assert safe_filename("ringkasan 32.73 W48.xlsx", ".xlsx") == "ringkasan-32.73-W48.xlsx"
    assert safe_filename("..\\..\\grafik.PNG", ".png") == "grafik.png"
    assert safe_filename("...", ".png") == "lampiran.png"
    assert safe_filename("laporan", ".xlsx") == "laporan.xlsx"
    assert len(safe_filename("x" * 500, ".xlsx")) == 105


def test_a_resend_after_a_lost_answer_gets_the_answer_once(settings) -> None:  # type: ignore[no-untyped-def]
    """The page resends with ``retry``: the message is not handled again, but its answer (taken by the request whose
    response was lost) comes back, so the person sees it once. A plain duplicate still answers nothing."""
    with demo_client(settings) as client:
        message = {"phone": BU_SARI, "client_id": "page-retry-0001", "text": "kartu saya hilang"}
        first = client.post("/simulator/messages", json=message).json()  # imagine this response never arrived
        again = client.post("/simulator/messages", json={**message, "retry": True}).json()
        plain = client.post("/simulator/messages", json=message).json()
        with client.app.state.database.transaction() as db:
            handled = db.scalar(select(func.count()).select_from(InboundMessage).where(InboundMessage.external_id == "page-retry-0001"))
    assert first["status"] == "processed" and first["replies"][0]["text"].startswith("Laporan: Kartu KKS hilang.")
    assert again["status"] == "duplicate"
    assert [r["text"] for r in again["replies"]] == [r["text"] for r in first["replies"]]
    assert plain == {"status": "duplicate", "replies": []}
    assert handled == 1


def test_a_resend_of_a_message_never_handled_is_handled(settings) -> None:  # type: ignore[no-untyped-def]
    with demo_client(settings) as client:
        resent = client.post(
            "/simulator/messages", json={"phone": BU_SARI, "client_id": "page-retry-0002", "text": "kartu saya hilang", "retry": True}
        ).json()
    assert resent["status"] == "processed"
    assert [r["text"].split("\n")[0] for r in resent["replies"]] == ["Laporan: Kartu KKS hilang. (Bukan itu? Balas UBAH.)"]
