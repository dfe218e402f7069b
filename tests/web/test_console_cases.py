"""The console's cases: the list (scope, filters, search, pages), one case whole, its media, and working it from
the web through the chat's own ``update_case``: the timeline, the audit log and the household's news are the same.

Cases come from the chat (Bu Sari: "kartu saya hilang") or from the report service itself (``open_case``, as the
report flow files them), so the routing is the real one: in the demo, Pasteur has no TKSK, so a lost card there is
nobody's until Pak Hendra, the kelurahan operator, takes it.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.cases.service import open_case
from app.cases.work import update_case
from app.clock import Clock
from app.config import Settings
from app.db import Database
from app.i18n import translators
from app.media import MediaStore
from app.models import AuditEntry, Case, CaseEvent, Household, OutboundMessage, Person
from conversations.effects import OpenCase, UpdateCase
from tests.web.console import (
    ADMIN_KOTA,
    BU_RINA,
    BU_SARI,
    PAK_ASEP,
    PAK_HENDRA,
    csrf_of,
    demo_client,
    say,
)  # fmt: skip

BU_WATI = "+6281200000004"  # household, Bandarkedungmulyo (Jombang): her reports go to Bu Rina
PAK_DEDI = "+6281200000002"  # household, Kebon Jayanti (Kota Bandung)
BU_SITI = "+6281200000003"  # household, Rancanumpang (Kota Bandung)
SARI_PHONE_BITS = ("6281200000001", "812-0000-0001")
JPEG = b"\xff\xd8\xff\xe0" + b"photo of the damaged card" + b"\xff\xd9"
OGG = b"OggS" + b"voice note of bu sari"


# --- helpers ------------------------------------------------------------------------------------------------------


def sign_in_as(client: TestClient, phone: str) -> None:
    """Signs in by "web" in chat; the link is found among whatever else the chat delivers (queued notices)."""
    replies = say(client, phone, "web")
    found = re.search(r"https?://[^/\s]+(/console/masuk/\S+)", " ".join(str(r["text"]) for r in replies))
    assert found, replies
    client.cookies.clear()
    assert client.post(found.group(1), follow_redirects=False).status_code == 303


def reported_in_chat(client: TestClient) -> str:
    """Bu Sari reports her lost KKS card in chat; the ticket code."""
    replies = [reply for text in ("kartu saya hilang", "1", "1") for reply in say(client, BU_SARI, text)]
    found = re.search(r"KB-[2-9A-HJ-NP-Z]{5}", " ".join(str(r["text"]) for r in replies))
    assert found, replies
    return found.group(0)


def filed(settings: Settings, phone: str, reference: str, category: str, *, now: datetime,
          answers: dict[str, str] | None = None, media: tuple[str, ...] = ()) -> None:  # fmt: skip
    """A household's report as the report flow files it (``open_case``: routed, the responsible people told)."""
    database = Database(settings)
    with database.transaction() as db:
        person = db.scalars(select(Person).where(Person.phone == phone)).one()
        household = db.scalars(select(Household).where(Household.person_id == person.id)).one()
        effect = OpenCase(reference=reference, category=category, area_code=household.area_code, household_id=household.id,
                          answers=answers or {"message": "tolong dibantu"}, media=media)  # fmt: skip
        open_case(db, effect=effect, actor=person, now=now, translators=translators())
    database.dispose()


def stored(settings: Settings, reference: str) -> Case:
    database = Database(settings)
    with database.transaction() as db:
        case = db.scalars(select(Case).where(Case.reference == reference)).one()
        db.expunge(case)
    database.dispose()
    return case


def audited(settings: Settings, action: str, phone: str | None = None) -> list[AuditEntry]:
    database = Database(settings)
    with database.transaction() as db:
        query = select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)
        if phone is not None:
            query = query.join(Person, Person.id == AuditEntry.actor_person_id).where(Person.phone == phone)
        rows = list(db.scalars(query))
        for row in rows:
            db.expunge(row)
    database.dispose()
    return rows


def texts_to(settings: Settings, phone: str) -> list[str]:
    """What the service queued for ``phone`` (its chat), oldest first."""
    database = Database(settings)
    with database.transaction() as db:
        bodies = list(db.scalars(select(OutboundMessage.body).where(OutboundMessage.address == phone).order_by(OutboundMessage.id)))
    database.dispose()
    return [str(body.get("text", "")) for body in bodies]


def event_kinds(settings: Settings, reference: str) -> list[str]:
    database = Database(settings)
    with database.transaction() as db:
        case_id = db.scalar(select(Case.id).where(Case.reference == reference))
        kinds = list(db.scalars(select(CaseEvent.kind).where(CaseEvent.case_id == case_id).order_by(CaseEvent.id)))
    database.dispose()
    return kinds


def person_id(settings: Settings, phone: str) -> int:
    database = Database(settings)
    with database.transaction() as db:
        found = db.scalar(select(Person.id).where(Person.phone == phone))
    database.dispose()
    assert found is not None
    return found


def listed(html: str) -> list[str]:
    """The ticket codes in the list's table, in order."""
    return re.findall(r'<a href="/console/kasus/(KB-[^"]+)">', html)


def row_of(html: str, reference: str) -> str:
    found = re.search(r"<tr[^>]*>\s*<td[^>]*><a href=\"/console/kasus/" + reference + r"\">.*?</tr>", html, re.S)
    assert found, f"{reference} is not listed"
    return found.group(0)


def main_of(html: str) -> str:
    return html.split("<main", 1)[1].split("</main>", 1)[0]


def post(client: TestClient, reference: str, action: str, **fields: str) -> Any:
    page = client.get(f"/console/kasus/{reference}")
    return client.post(f"/console/kasus/{reference}/{action}", data={"csrf": csrf_of(page.text), **fields},
                       follow_redirects=False)  # fmt: skip


# --- the list -----------------------------------------------------------------------------------------------------


def test_the_list_holds_the_viewers_cases_and_the_unassigned_one_stands_out(settings) -> None:  # type: ignore[no-untyped-def]
    with demo_client(settings) as client:
        sign_in_as(client, PAK_HENDRA)
        sari = reported_in_chat(client)
        filed(settings, BU_WATI, "KB-WAT22", "kks_lost", now=datetime.now(UTC))  # Jombang: Bu Rina's
        page = client.get("/console/kasus")
        assert page.status_code == 200
        assert listed(page.text) == [sari]
        row = row_of(page.text, sari)
        assert 'class="alert"' in row and "Belum ada yang menangani" in row and "Bu Sari" in row and "Kartu KKS hilang" in row
        assert listed(client.get("/console/kasus?tampil=belum-ditangani").text) == [sari]
        assert "<strong>1</strong> kasus belum ada yang menangani" in client.get("/console").text

        sign_in_as(client, BU_RINA)
        assert listed(client.get("/console/kasus").text) == ["KB-WAT22"]
        assert listed(client.get("/console/kasus?tampil=belum-ditangani").text) == []


def test_filters_and_search(settings) -> None:  # type: ignore[no-untyped-def]
    clock = Clock()
    with demo_client(settings, clock) as client:
        now = clock.now()
        filed(settings, BU_SARI, "KB-SAR22", "kks_lost", now=now - timedelta(days=3))  # Pasteur, nobody's
        filed(settings, PAK_DEDI, "KB-DED22", "aid_not_received", now=now - timedelta(days=2), answers={"program": "pkh"})  # Bu Lina's
        filed(settings, BU_SITI, "KB-STY22", "not_listed", now=now - timedelta(days=1))  # Rancanumpang, nobody's
        sign_in_as(client, ADMIN_KOTA)

        def codes(query: str = "") -> list[str]:
            page = client.get("/console/kasus" + query)
            assert page.status_code == 200, page.text
            return listed(page.text)

        assert codes() == ["KB-STY22", "KB-DED22", "KB-SAR22"]  # newest activity first
        assert codes("?desa=32.73.16.1002") == ["KB-DED22"]  # Kebon Jayanti
        assert codes("?kategori=kks_lost") == ["KB-SAR22"]
        assert codes("?kategori=ppks") == []
        assert codes("?petugas=belum-ada") == ["KB-STY22", "KB-SAR22"]
        assert codes(f"?petugas={person_id(settings, '+6281300000003')}") == ["KB-DED22"]  # Bu Lina, PKH
        assert codes("?tampil=belum-ditangani") == ["KB-STY22", "KB-SAR22"]
        day = lambda delta: (now + timedelta(days=delta)).astimezone(ZoneInfo("Asia/Jakarta")).date().isoformat()  # noqa: E731
        assert codes(f"?dari={day(-2)}&sampai={day(-1)}") == ["KB-STY22", "KB-DED22"]  # days in Bandung's time
        assert codes(f"?sampai={day(-3)}") == ["KB-SAR22"]
        assert codes(f"?dari={day(-5)}&sampai={day(-4)}") == []
        assert codes(f"?dari={day(-6)}") == ["KB-STY22", "KB-DED22", "KB-SAR22"]
        bad = client.get("/console/kasus?dari=kemarin")
        assert "Tanggal tidak terbaca" in bad.text and listed(bad.text) == ["KB-STY22", "KB-DED22", "KB-SAR22"]

        for query in ("KB-SAR22", "kb-sar22", "sar22", "kb sar22"):  # a ticket code, however it is typed
            assert codes(f"?q={query.replace(' ', '+')}") == ["KB-SAR22"], query
        assert codes("?q=dedi") == ["KB-DED22"]  # a part of the household's name, in any case
        assert codes("?q=BU+S") == ["KB-STY22", "KB-SAR22"]
        assert codes("?q=%25") == []  # a wildcard is a character like any other
        assert [e.details for e in audited(settings, "case_list_searched", ADMIN_KOTA)][-1] == {"found": 0}

        page = client.get("/console/kasus/KB-SAR22")
        client.post("/console/kasus/KB-SAR22/status", data={"csrf": csrf_of(page.text), "status": "resolved",
                                                              "catatan": "Kartu sudah diganti"})  # fmt: skip
        assert codes() == ["KB-STY22", "KB-DED22"]  # open ones only, at first
        assert codes("?status=resolved") == ["KB-SAR22"]
        assert codes("?status=semua") == ["KB-SAR22", "KB-STY22", "KB-DED22"]

        sign_in_as(client, PAK_HENDRA)  # the operator of Pasteur sees Pasteur only
        assert codes("?status=semua") == ["KB-SAR22"]
        assert codes("?desa=32.73.16.1002&status=semua") == []


def test_the_list_is_paged(settings) -> None:  # type: ignore[no-untyped-def]
    clock = Clock()
    with demo_client(settings, clock) as client:
        alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
        for number in range(52):
            code = "KB-PG" + alphabet[number // len(alphabet)] + alphabet[number % len(alphabet)] + "2"
            filed(settings, BU_SARI, code[:8], "kks_lost", now=clock.now() - timedelta(minutes=60 - number))
        sign_in_as(client, PAK_HENDRA)
        first = client.get("/console/kasus")
        assert len(listed(first.text)) == 50 and "52 kasus" in first.text
        following = re.search(r'href="([^"]+)" rel="next"', first.text)
        assert following, "a link to the next page"
        second = client.get(following.group(1).replace("&amp;", "&"))
        assert len(listed(second.text)) == 2 and 'rel="prev"' in second.text
        assert not set(listed(first.text)) & set(listed(second.text))


def test_an_overdue_follow_up_stands_out_in_the_list_and_on_the_home_page(settings) -> None:  # type: ignore[no-untyped-def]
    clock = Clock()
    with demo_client(settings, clock) as client:
        sign_in_as(client, PAK_HENDRA)
        reference = reported_in_chat(client)
        assert post(client, reference, "ambil").status_code == 303
        today = clock.now().astimezone(ZoneInfo("Asia/Jakarta")).date()  # Pasteur's today (WIB), whatever the hour in UTC
        assert post(client, reference, "tindak-lanjut", tanggal=today.isoformat()).status_code == 303
        assert listed(client.get("/console/kasus?tampil=terlambat").text) == []  # due today is not late yet

        clock.advance(timedelta(days=2))
        sign_in_as(client, PAK_HENDRA)  # the session went idle meanwhile
        late = client.get("/console/kasus?tampil=terlambat")
        assert listed(late.text) == [reference]
        row = row_of(late.text, reference)
        assert 'class="warn"' in row and "Terlambat" in row
        assert "<strong>1</strong> tindak lanjut terlambat" in client.get("/console").text
        assert "Tindak lanjut terlambat" in client.get(f"/console/kasus/{reference}").text


# --- one case -----------------------------------------------------------------------------------------------------


def test_the_case_page_shows_the_whole_case_and_the_operator_the_familys_phone(settings) -> None:  # type: ignore[no-untyped-def]
    with demo_client(settings) as client:
        sign_in_as(client, PAK_HENDRA)
        reference = reported_in_chat(client)
        page = client.get(f"/console/kasus/{reference.lower()}")  # a code typed in small letters works too
        assert page.status_code == 200
        html = page.text
        for shown in (f"Kasus {reference}", "Kartu KKS hilang", "Baru diterima", "Bu Sari (RT 003/RW 005)", "Pasteur",
                      "Dilaporkan keluarga sendiri lewat chat", "Surat kehilangan: Sudah", "kartu saya hilang",
                      "Belum ada yang menangani", "Ambil kasus ini (saya yang menangani)", "Langkah KKS"):  # fmt: skip
            assert shown in html, shown
        assert 'href="tel:+6281200000001"' in html and 'href="https://wa.me/6281200000001"' in html
        assert "Content-Security-Policy" in page.headers
    [viewed] = audited(settings, "case_viewed", PAK_HENDRA)
    assert viewed.subject_id == reference
    contact = [e for e in audited(settings, "household_contact_viewed", PAK_HENDRA) if e.details.get("via") == "case_view"]
    assert len(contact) == 1 and contact[0].subject_id == reference and "0001" not in str(contact[0].details)


def test_a_psm_who_does_not_handle_the_case_sees_it_without_the_phone(settings) -> None:  # type: ignore[no-untyped-def]
    with demo_client(settings) as client:
        sign_in_as(client, PAK_ASEP)
        reference = reported_in_chat(client)
        page = client.get(f"/console/kasus/{reference}")
        assert page.status_code == 200 and "Bu Sari" in page.text and "kartu saya hilang" in page.text
        assert "tel:" not in page.text and "wa.me" not in page.text and "Kontak keluarga" not in page.text
        assert not any(bits in page.text for bits in SARI_PHONE_BITS)
    assert audited(settings, "case_viewed", PAK_ASEP)
    assert audited(settings, "household_contact_viewed", PAK_ASEP) == []


def test_another_areas_case_is_not_found_and_the_attempt_is_audited(settings) -> None:  # type: ignore[no-untyped-def]
    with demo_client(settings) as client:
        sign_in_as(client, BU_RINA)  # TKSK in Jombang
        reference = reported_in_chat(client)  # a Pasteur case
        page = client.get(f"/console/kasus/{reference}")
        unknown = client.get("/console/kasus/KB-ZZZZ2")
        assert page.status_code == unknown.status_code == 404
        assert "Bu Sari" not in page.text and "Tidak ditemukan" in page.text
        assert main_of(page.text) == main_of(unknown.text)  # the same answer: nothing tells the case exists
        csrf = csrf_of(client.get("/console/kasus").text)
        for code in ("KB-ZZZZ2", reference):
            changed = client.post(f"/console/kasus/{code}/ambil", data={"csrf": csrf}, follow_redirects=False)
            assert changed.status_code == 404
    assert [e.subject_id for e in audited(settings, "case_access_denied", BU_RINA)] == [reference, "KB-ZZZZ2"]
    assert [e.subject_id for e in audited(settings, "case_change_refused", BU_RINA)] == ["KB-ZZZZ2", reference]
    case = stored(settings, reference)
    assert case.assignee_person_id is None and case.status == "new"


def test_signed_out_visitors_get_401_and_a_form_without_its_token_403(settings) -> None:  # type: ignore[no-untyped-def]
    with demo_client(settings) as client:
        reference = reported_in_chat(client)
        assert client.get("/console/kasus").status_code == 401
        assert client.get(f"/console/kasus/{reference}").status_code == 401
        assert client.post(f"/console/kasus/{reference}/ambil", data={"csrf": "x"}).status_code == 401
        sign_in_as(client, PAK_HENDRA)
        forged = client.post(f"/console/kasus/{reference}/ambil", data={}, follow_redirects=False)
        wrong = client.post(f"/console/kasus/{reference}/catatan", data={"csrf": "wrong", "catatan": "x"}, follow_redirects=False)
        assert forged.status_code == wrong.status_code == 403
    case = stored(settings, reference)
    assert case.assignee_person_id is None
    assert event_kinds(settings, reference) == ["opened"]


# --- working a case -----------------------------------------------------------------------------------------------


def test_each_action_goes_through_the_chats_code_is_audited_and_the_household_hears(settings) -> None:  # type: ignore[no-untyped-def]
    with demo_client(settings) as client:
        sign_in_as(client, PAK_HENDRA)
        reference = reported_in_chat(client)
        before = len(texts_to(settings, BU_SARI))

        taken = post(client, reference, "ambil")
        assert taken.status_code == 303 and taken.headers["location"] == f"/console/kasus/{reference}?ok=ambil#hasil"
        page = client.get(taken.headers["location"])
        assert "Kasus ini sekarang Anda yang menangani." in page.text and "Keluarga mendapat kabarnya lewat chat." in page.text
        case = stored(settings, reference)
        assert case.assignee_person_id == person_id(settings, PAK_HENDRA) and case.status == "in_progress"
        assert "sedang ditangani" in texts_to(settings, BU_SARI)[-1] and "Pak Hendra" in texts_to(settings, BU_SARI)[-1]

        assert post(client, reference, "catatan", catatan="Sudah ditelepon, besok ke kelurahan").status_code == 303
        assert post(client, reference, "langkah", langkah="police").status_code == 303
        assert "Langkah sekarang: lapor kehilangan ke Polsek." in texts_to(settings, BU_SARI)[-1]
        tomorrow = (datetime.now(UTC) + timedelta(days=1)).date().isoformat()
        assert post(client, reference, "tindak-lanjut", tanggal=tomorrow).status_code == 303
        assert post(client, reference, "biaya", jumlah="Rp25.000", untuk="ojek ke Polsek").status_code == 303
        assert post(client, reference, "status", status="referred", catatan="Dinas Sosial", persetujuan="Bu Sari sendiri").status_code == 303
        assert "diteruskan ke layanan" in texts_to(settings, BU_SARI)[-1] and "Dinas Sosial" in texts_to(settings, BU_SARI)[-1]
        assert post(client, reference, "status", status="resolved", catatan="Kartu baru sudah diterima").status_code == 303
        news = texts_to(settings, BU_SARI)[-1]
        assert "sudah selesai" in news and "Kata petugas: Kartu baru sudah diterima" in news
        assert len(texts_to(settings, BU_SARI)) - before == 4  # taken, step, referred, resolved: as from chat

        case = stored(settings, reference)
        assert (case.status, case.procedure_step) == ("resolved", "card_received")
        assert case.follow_up_at is not None and case.follow_up_at.date().isoformat() == tomorrow
        assert case.details["personal_costs"] == 25000
        assert event_kinds(settings, reference) == [
            "opened", "taken", "status_changed", "note_added", "status_changed", "follow_up_set", "cost_recorded",
            "consent_recorded", "status_changed", "status_changed",
        ]  # fmt: skip
        recorded = [e.action for e in audited(settings, "case_take_recorded", PAK_HENDRA)]
        for action in ("note", "step", "follow_up", "cost", "status"):
            recorded += [e.action for e in audited(settings, f"case_{action}_recorded", PAK_HENDRA)]
        assert sorted(set(recorded)) == sorted(f"case_{a}_recorded" for a in ("take", "note", "step", "follow_up", "cost", "status"))

        timeline = client.get(f"/console/kasus/{reference}").text
        for line in ("Sudah ditelepon, besok ke kelurahan", "lapor Polsek", "Keluarga setuju: Bu Sari sendiri",
                     "Dirujuk: Dinas Sosial", "Selesai", "ojek ke Polsek", "Rp25.000"):  # fmt: skip
            assert line in timeline, line

        handed = post(client, reference, "serahkan", petugas=str(person_id(settings, PAK_ASEP)))
        assert handed.status_code == 303 and handed.headers["location"].endswith("?ok=serahkan#hasil")
        assert stored(settings, reference).assignee_person_id == person_id(settings, PAK_ASEP)
        assert any("menyerahkan kasus " + reference in text for text in texts_to(settings, PAK_ASEP))
        assert audited(settings, "case_handover_recorded", PAK_HENDRA)


def test_an_operator_assigns_an_unassigned_case_to_a_companion(settings) -> None:  # type: ignore[no-untyped-def]
    with demo_client(settings) as client:
        sign_in_as(client, PAK_HENDRA)
        reference = reported_in_chat(client)
        page = client.get(f"/console/kasus/{reference}").text
        assert "Tugaskan ke pendamping" in page
        offered = re.findall(r'<option value="(\d+)"[^>]*>([^<]+)</option>', page.split('id="serahkan-petugas"')[1].split("</select>")[0])
        names = [name for _id, name in offered]
        assert any(name.startswith("Pak Asep") for name in names) and any(name.startswith("Admin Kota") for name in names)
        assert not any(name.startswith(("Pak Hendra", "Bu Rina")) for name in names)  # not himself, not another area
        assert post(client, reference, "serahkan", petugas=str(person_id(settings, PAK_ASEP))).status_code == 303
        case = stored(settings, reference)
        assert case.assignee_person_id == person_id(settings, PAK_ASEP) and case.status == "new"


def test_a_form_that_does_not_pass_comes_back_with_what_was_typed_and_changes_nothing(settings) -> None:  # type: ignore[no-untyped-def]
    with demo_client(settings) as client:
        sign_in_as(client, PAK_HENDRA)
        reference = reported_in_chat(client)
        long_note = "Catatan panjang " + "x" * 2000
        refused = post(client, reference, "catatan", catatan=long_note)
        assert refused.status_code == 422
        assert "Terlalu panjang" in refused.text and long_note in refused.text and 'aria-invalid="true"' in refused.text
        assert "Tulis catatannya dulu." in post(client, reference, "catatan", catatan="   ").text
        yesterday = (datetime.now(UTC) - timedelta(days=2)).date().isoformat()
        assert "sudah lewat" in post(client, reference, "tindak-lanjut", tanggal=yesterday).text
        assert "Tanggal tidak terbaca" in post(client, reference, "tindak-lanjut", tanggal="kapan-kapan").text
        unpaid = post(client, reference, "biaya", jumlah="banyak", untuk="ojek")
        assert "Tulis jumlahnya dalam rupiah" in unpaid.text and 'value="banyak"' in unpaid.text and 'value="ojek"' in unpaid.text
        no_consent = post(client, reference, "status", status="referred", catatan="Puskesmas Sukajadi")
        assert no_consent.status_code == 422 and "siapa dari keluarga yang setuju" in no_consent.text
        assert "Puskesmas Sukajadi</textarea>" in no_consent.text
        assert "Tulis hasilnya." in post(client, reference, "status", status="resolved").text
        assert "Pilih status." in post(client, reference, "status", status="new").text
        assert "Pilih langkah KKS." in post(client, reference, "langkah", langkah="moon").text
        outsider = post(client, reference, "serahkan", petugas=str(person_id(settings, BU_RINA)))
        assert outsider.status_code == 422 and "Pilih pendamping atau petugas dari daftar." in outsider.text
        assert client.post(f"/console/kasus/{reference}/hapus", data={"csrf": csrf_of(refused.text)}).status_code == 404
    assert event_kinds(settings, reference) == ["opened"]
    case = stored(settings, reference)
    assert (case.status, case.assignee_person_id, case.follow_up_at) == ("new", None, None)


def test_a_case_already_taken_cannot_be_taken_again(settings) -> None:  # type: ignore[no-untyped-def]
    with demo_client(settings) as client:
        sign_in_as(client, PAK_HENDRA)
        reference = reported_in_chat(client)
        stale = client.get(f"/console/kasus/{reference}").text  # the page still offers "take"
        assert post(client, reference, "ambil").status_code == 303
        sign_in_as(client, ADMIN_KOTA)
        again = client.post(f"/console/kasus/{reference}/ambil", data={"csrf": csrf_of(client.get("/console").text)})
        assert again.status_code == 422 and "Kasus ini sudah ada yang menangani." in again.text
        assert "Ambil kasus ini (saya yang menangani)" in stale
    assert stored(settings, reference).assignee_person_id == person_id(settings, PAK_HENDRA)


# --- photos and voice notes ---------------------------------------------------------------------------------------


def test_photos_and_voice_notes_are_served_to_those_who_may_see_the_case(settings) -> None:  # type: ignore[no-untyped-def]
    store = MediaStore(settings.media_dir, settings.media_max_bytes)
    photo, voice = store.save(JPEG, "image/jpeg"), store.save(OGG, "audio/ogg")
    other = store.save(b"\xff\xd8another case's photo\xff\xd9", "image/jpeg")
    with demo_client(settings) as client:
        sign_in_as(client, PAK_HENDRA)
        filed(settings, BU_SARI, "KB-FTO22", "kks_damaged", now=datetime.now(UTC), media=(photo.ref,))
        filed(settings, BU_SITI, "KB-LAN22", "kks_damaged", now=datetime.now(UTC), media=(other.ref,))
        database = Database(settings)
        with database.transaction() as db:  # a voice note sent on the case from chat
            hendra = db.scalars(select(Person).options(selectinload(Person.roles)).where(Person.phone == PAK_HENDRA)).one()
            update_case(db, effect=UpdateCase("KB-FTO22", "note", note="pesan suara ibu", media=(voice.ref,)), actor=hendra,
                        now=datetime.now(UTC), translators=translators())  # fmt: skip
        database.dispose()

        page = client.get("/console/kasus/KB-FTO22").text
        photo_url = f"/console/kasus/KB-FTO22/media/{photo.ref.removeprefix('sha256:')}.jpg"
        voice_url = f"/console/kasus/KB-FTO22/media/{voice.ref.removeprefix('sha256:')}.ogg"
        assert re.search(r'<img class="media" src="' + photo_url + r'" alt="Foto 1 yang dikirim bersama laporan KB-FTO22"', page)
        assert f'<audio controls preload="none" src="{voice_url}"' in page and f'href="{voice_url}?unduh=1"' in page
        served = client.get(photo_url)
        assert served.status_code == 200 and served.content == JPEG and served.headers["content-type"] == "image/jpeg"
        assert served.headers["cache-control"] == "no-store"
        download = client.get(voice_url + "?unduh=1")
        assert download.content == OGG and download.headers["content-disposition"].startswith("attachment")

        elsewhere = f"/console/kasus/KB-FTO22/media/{other.ref.removeprefix('sha256:')}.jpg"  # another case's file
        assert client.get(elsewhere).status_code == 404
        assert client.get("/console/kasus/KB-FTO22/media/..%2F..%2Fkawal.db").status_code == 404
        assert client.get("/console/kasus/KB-FTO22/media/" + "a" * 64 + ".jpg").status_code == 404
        sign_in_as(client, BU_RINA)
        assert client.get(photo_url).status_code == 404
    assert len(audited(settings, "case_media_viewed", PAK_HENDRA)) == 2
    assert [e.details for e in audited(settings, "case_access_denied", BU_RINA)] == [{"via": "media"}]


def test_the_pages_speak_the_viewers_language(settings) -> None:  # type: ignore[no-untyped-def]
    with demo_client(settings) as client:
        reference = reported_in_chat(client)
        database = Database(settings)
        with database.transaction() as db:
            db.scalars(select(Person).where(Person.phone == PAK_HENDRA)).one().locale = "en"
        database.dispose()
        sign_in_as(client, PAK_HENDRA)
        listing = client.get("/console/kasus").text
        assert "Handled by" in listing and "Nobody is handling it" in listing and "Yang menangani" not in listing
        page = client.get(f"/console/kasus/{reference}").text
        assert f"Case {reference}" in page and "Family contact" in page and "Add a note" in page
