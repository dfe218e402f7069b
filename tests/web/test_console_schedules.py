"""The console's schedules and e-Warong pages: meetings made in chat, with answers, reach and attendance, in the
village's own time; one meeting's members; cancelling; the agents and monitoring visits; scope and audit.

The clock stands at Monday 23 November 2026, 09:00 WIB; Bu Lina (PKH facilitator, Kebon Jayanti) schedules the
P2K2 group Mawar 1 (five households: Bu Ani and Pak Dedi use the chat, three do not) for Saturday 28 November.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.clock import Clock
from app.console import schedules
from app.db import Database
from app.i18n import translators
from app.models import AuditEntry, ChannelIdentity, EwarongAgent, Meeting, Person
from app.people.service import grant_role
from app.schedules.service import schedule_meeting
from conversations.effects import ScheduleMeeting
from tests.conftest import FIXED_NOW, LOOPBACK
from tests.web.console import ADMIN_KOTA, BU_RINA, BU_YUNI, PAK_HENDRA, csrf_of, demo_client, say, sign_in

BU_LINA = "+6281300000003"  # PKH facilitator, Kebon Jayanti (Kota Bandung)
PAK_DEDI, BU_ANI = "+6281200000002", "+6281200000005"  # members of Mawar 1 who use the chat
PAK_ANDI = "+6281300000088"  # TKSK of Kecamatan Mariso, Kota Makassar (WITA), added by a test
SCHEDULE_MAWAR = ("jadwal", "1", "sabtu", "9", "Rumah Bu Ani", "ekonomi", "1", "1")
VISIT_WITH_PROBLEMS = (
    "menu", "5", "bandar", "1", "beras 10 kg, telur 1 kg", "2", "telur Rp32.000/kg", "1", "1", "1", "45", "3", "1 3",
    "Antrean panjang", "1",
)  # fmt: skip
VISIT_ALL_WELL = ("menu", "5", "bandar", "1", "beras 10 kg", "1", "1", "1", "1", "50", "0", "1", "1")


def monday_client(settings):  # type: ignore[no-untyped-def]
    return demo_client(settings, Clock(FIXED_NOW - datetime.now(UTC)))


def chat(client: TestClient, phone: str, *lines: str) -> list[str]:
    return [str(reply["text"]) for line in lines for reply in say(client, phone, line)]


def advance(client: TestClient, by: str) -> None:
    assert client.post("/simulator/clock", json={"advance": by}).status_code == 200


def inbox(client: TestClient, phone: str) -> list[str]:
    return [m["text"] for m in client.get("/simulator/messages", params={"phone": phone}).json()["replies"]]


def signed_in(client: TestClient, phone: str) -> TestClient:
    """A new browser of the same app, signed in as ``phone`` (whatever the chat still holds for them is read first)."""
    browser = TestClient(client.app, client=LOOPBACK)
    inbox(client, phone)
    sign_in(browser, phone)
    return browser


def meeting_id(page: str) -> int:
    found = re.search(r'href="/console/jadwal/(\d+)"', page)
    assert found, "no meeting on the page"
    return int(found.group(1))


@contextmanager
def session(settings) -> Iterator[Session]:  # type: ignore[no-untyped-def]
    """The test's own transaction on the app's database, its connections closed after."""
    database = Database(settings)
    try:
        with database.transaction() as db:
            yield db
    finally:
        database.dispose()


def audit_actions(settings, action: str) -> list[AuditEntry]:  # type: ignore[no-untyped-def]
    with session(settings) as db:
        entries = list(db.scalars(select(AuditEntry).where(AuditEntry.action == action)))
        db.expunge_all()
    return entries


def test_coming_meetings_show_answers_and_who_was_told(settings) -> None:  # type: ignore[no-untyped-def]
    with monday_client(settings) as client:
        chat(client, BU_LINA, *SCHEDULE_MAWAR)
        advance(client, "4d7h1m")  # Friday 16:01 WIB: the evening reminders go out
        assert chat(client, PAK_DEDI, "1")[-1] == "Terima kasih. Jawaban Anda sudah kami sampaikan kepada pendamping."
        chat(client, BU_ANI, "izin")
        lina = signed_in(client, BU_LINA)
        page = lina.get("/console/jadwal")
        assert page.status_code == 200
        assert "P2K2 kelompok Mawar 1" in page.text and "Sab, 28 Nov 2026, 09.00 WIB" in page.text
        assert "Kebon Jayanti · Rumah Bu Ani" in page.text and "Bu Lina" in page.text and "5 anggota" in page.text
        assert "Akan hadir 1 · Berhalangan 1 · Belum menjawab 3" in page.text
        assert "2 diberi tahu di chat · 3 belum memakai chat" in page.text
        assert "Tidak ada pertemuan yang sudah lewat" in lina.get("/console/jadwal?waktu=lewat").text
        assert "Belum ada pertemuan yang akan datang" in lina.get("/console/jadwal?jenis=penyaluran").text

        number = meeting_id(page.text)
        detail = lina.get(f"/console/jadwal/{number}")
        assert detail.status_code == 200 and "Mengelola keuangan keluarga" in detail.text
        rows = dict(re.findall(r'data-label="Nama">([^<]+)</td>\s*<td data-label="Jawaban">(.*?)</td>', detail.text))
        assert set(rows) == {"Bu Ani", "Bu Euis", "Bu Yati", "Pak Dedi", "Pak Ujang"}
        assert rows["Pak Dedi"].startswith("Akan hadir") and rows["Bu Ani"].startswith("Berhalangan")
        assert "Belum menjawab" in rows["Pak Ujang"]
        assert "tel:" not in detail.text  # a facilitator sees names, not phones
        assert "Batalkan pertemuan ini" in detail.text  # she organized it
    [viewed] = audit_actions(settings, "meeting_members_viewed")
    assert viewed.subject_id == str(number) and viewed.details == {"members": 5, "phones_shown": False}


def test_an_operator_sees_phones_and_opted_out_members_and_another_area_gets_404(settings) -> None:  # type: ignore[no-untyped-def]
    with monday_client(settings) as client:
        chat(client, PAK_DEDI, "berhenti")
        chat(client, BU_LINA, *SCHEDULE_MAWAR)
        admin = signed_in(client, ADMIN_KOTA)  # admin of Kota Bandung: Kebon Jayanti is in his area
        page = admin.get("/console/jadwal")
        assert "1 diberi tahu di chat · " in page.text and "1 minta tidak dikabari (BERHENTI)" in page.text
        number = meeting_id(page.text)
        detail = admin.get(f"/console/jadwal/{number}")
        assert '<a href="tel:+6281200000002">+6281200000002</a>' in detail.text
        assert "Minta tidak dikabari (BERHENTI)" in detail.text
        assert "Batalkan pertemuan ini" not in detail.text  # only those who may organize it cancel it

        rina = signed_in(client, BU_RINA)  # TKSK in Jombang
        assert "Mawar 1" not in rina.get("/console/jadwal").text
        refused = rina.get(f"/console/jadwal/{number}")
        missing = rina.get("/console/jadwal/99999")
        assert refused.status_code == missing.status_code == 404 and refused.text == missing.text
        assert "Mawar 1" not in refused.text
    denied = audit_actions(settings, "meeting_access_denied")
    assert {entry.subject_id for entry in denied} == {str(number), "99999"}
    assert [entry.details for entry in audit_actions(settings, "meeting_members_viewed")] == [{"members": 5, "phones_shown": True}]


def test_past_meetings_show_attendance(settings) -> None:  # type: ignore[no-untyped-def]
    with monday_client(settings) as client:
        chat(client, BU_LINA, *SCHEDULE_MAWAR)
        advance(client, "4d7h1m")
        chat(client, BU_ANI, "izin")
        advance(client, "19h30m")  # Saturday 11:31 WIB, the session is over
        chat(client, BU_LINA, "menu", "jadwal", "2", "1", "1", "1", "5", "Mengelola keuangan keluarga", "1")  # 5: Pak Ujang
        lina = signed_in(client, BU_LINA)
        assert "Mawar 1" not in lina.get("/console/jadwal").text
        past = lina.get("/console/jadwal?waktu=lewat")
        assert "Pertemuan yang sudah lewat" in past.text and "Datang 3 · Izin 1 · Tidak datang 1" in past.text
        detail = lina.get(f"/console/jadwal/{meeting_id(past.text)}")
        assert "Terlaksana" in detail.text and "Yang dibahas" in detail.text
        attendance = dict(re.findall(r'data-label="Nama">([^<]+)</td>.*?data-label="Kehadiran">(.*?)</td>', detail.text, re.S))
        assert attendance == {"Bu Ani": "Izin", "Bu Euis": "Datang", "Bu Yati": "Datang", "Pak Dedi": "Datang",
                              "Pak Ujang": "<strong>Tidak datang</strong>"}  # fmt: skip
        assert "Batalkan pertemuan ini" not in detail.text


def add_makassar_tksk(settings) -> None:  # type: ignore[no-untyped-def]
    """Pak Andi, TKSK of Kecamatan Mariso (Kota Makassar, WITA), who schedules a distribution in Bontorannu."""
    with session(settings) as db:
        andi = Person(display_name="Pak Andi", phone=PAK_ANDI, locale="id", area_code="73.71.01.1001",
                      consent_given_at=FIXED_NOW, created_at=FIXED_NOW)  # fmt: skip
        db.add(andi)
        db.flush()
        db.add(ChannelIdentity(person_id=andi.id, channel="simulator", address=PAK_ANDI, created_at=FIXED_NOW))
        grant_role(db, person=andi, role="tksk", area_code="73.71.01", now=FIXED_NOW)
        db.flush()
        andi = db.scalars(
            select(Person).options(selectinload(Person.roles)).where(Person.id == andi.id).execution_options(populate_existing=True)
        ).one()
        effect = ScheduleMeeting(kind="distribution", area_code="73.71.01.1001", day="2026-12-02", start="08:00",
                                 end="12:00", place="Balai kelurahan", agent_name="e-Warong Losari")  # fmt: skip
        schedule_meeting(db, effect=effect, actor=andi, now=FIXED_NOW, settings=settings, translators=translators())


def test_a_makassar_distribution_is_shown_in_wita_and_only_there(settings) -> None:  # type: ignore[no-untyped-def]
    with monday_client(settings) as client:
        add_makassar_tksk(settings)
        andi = signed_in(client, PAK_ANDI)
        page = andi.get("/console/jadwal")
        assert "Penyaluran sembako di Bontorannu" in page.text
        assert "Rab, 2 Des 2026, 08.00–12.00 WITA" in page.text  # 00:00–04:00 UTC, shown where it happens
        assert "Tidak ditanyakan untuk penyaluran" in page.text
        number = meeting_id(page.text)
        detail = andi.get(f"/console/jadwal/{number}")
        assert "e-Warong Losari" in detail.text and "Balai kelurahan" in detail.text
        lina = signed_in(client, BU_LINA)
        assert "Bontorannu" not in lina.get("/console/jadwal").text
        assert lina.get(f"/console/jadwal/{number}").status_code == 404
        with session(settings) as db:
            lina_person = db.scalar(select(Person).where(Person.phone == BU_LINA))
            assert lina_person is not None
            lina_person.locale = "en"
        english = lina.get("/console/jadwal?waktu=lewat")
        assert "Past meetings" in english.text and "There are no past meetings in your area." in english.text


def test_the_organizer_cancels_a_meeting_and_the_members_are_told(settings) -> None:  # type: ignore[no-untyped-def]
    with monday_client(settings) as client:
        chat(client, BU_LINA, *SCHEDULE_MAWAR)
        inbox(client, PAK_DEDI)
        admin = signed_in(client, ADMIN_KOTA)
        number = meeting_id(admin.get("/console/jadwal").text)
        admin_csrf = csrf_of(admin.get(f"/console/jadwal/{number}").text)
        refused = admin.post(f"/console/jadwal/{number}/batalkan", data={"csrf": admin_csrf, "alasan": "x"}, follow_redirects=False)
        assert refused.status_code == 303 and refused.headers["location"].endswith("?gagal=tidak-boleh")
        assert "Hanya penyelenggara" in admin.get(refused.headers["location"]).text

        lina = signed_in(client, BU_LINA)
        detail = lina.get(f"/console/jadwal/{number}")
        forged = lina.post(f"/console/jadwal/{number}/batalkan", data={"csrf": "wrong", "alasan": "banjir"}, follow_redirects=False)
        assert forged.status_code == 403
        done = lina.post(f"/console/jadwal/{number}/batalkan", data={"csrf": csrf_of(detail.text), "alasan": "banjir"},
                         follow_redirects=False)  # fmt: skip
        assert done.status_code == 303 and done.headers["location"] == f"/console/jadwal/{number}?ok=dibatalkan"
        after = lina.get(done.headers["location"])
        assert "Pertemuan dibatalkan." in after.text and "Alasan dibatalkan" in after.text and "banjir" in after.text
        assert "Batalkan pertemuan ini" not in after.text
        assert inbox(client, PAK_DEDI) == [
            "Dibatalkan: Pertemuan P2K2 kelompok Mawar 1, Sabtu, 28 November 2026, 09.00 WIB.\nAlasan: banjir"
        ]
        again = lina.post(f"/console/jadwal/{number}/batalkan", data={"csrf": csrf_of(detail.text)}, follow_redirects=False)
        assert again.headers["location"].endswith("?gagal=sudah-lewat")
        coming = lina.get("/console/jadwal").text
        assert "Dibatalkan" in coming and "Mawar 1" in coming  # still listed, marked
    with session(settings) as db:
        assert db.get(Meeting, number).status == "cancelled"  # type: ignore[union-attr]
    assert [entry.subject_id for entry in audit_actions(settings, "meeting_cancelled")] == [str(number)]
    assert [entry.subject_id for entry in audit_actions(settings, "meeting_cancel_refused")] == [str(number)]


def test_ewarong_agents_and_visits_with_open_problems(settings) -> None:  # type: ignore[no-untyped-def]
    with monday_client(settings) as client:
        yuni = signed_in(client, BU_YUNI)  # operator of Desa Bandarkedungmulyo
        assert "Belum ada kunjungan pemantauan yang tercatat." in yuni.get("/console/jadwal/ewarong").text
        chat(client, BU_RINA, *VISIT_WITH_PROBLEMS)
        page = yuni.get("/console/jadwal/ewarong")
        assert page.status_code == 200
        makmur = re.search(r'<tr class="alert">(.*?)</tr>', page.text, re.S)
        assert makmur and "e-Warong Makmur Jaya" in makmur.group(1)
        assert "Harga di atas HET" in makmur.group(1) and "Transaksi gagal" in makmur.group(1)
        assert "Belum pernah dikunjungi" in page.text  # e-Warong Sumber Rejeki
        assert "Dikunjungi 23 Nov 2026 09.00 WIB oleh Bu Rina" in page.text
        assert "<strong>Tepat harga: TIDAK, di atas HET (telur Rp32.000/kg)</strong>" in page.text
        assert "<li>Tepat mutu: ya, baik</li>" in page.text and "Catatan: Antrean panjang" in page.text

        chat(client, BU_RINA, *VISIT_ALL_WELL)  # a later visit where all is well closes the problems
        page = yuni.get("/console/jadwal/ewarong")
        assert '<tr class="alert">' not in page.text and "(2 kunjungan)" in page.text
        assert page.text.count('class="visit alert"') == 1 and page.text.count('class="visit"') == 1
        with session(settings) as db:
            agent_id = db.scalar(select(EwarongAgent.id).where(EwarongAgent.name == "e-Warong Makmur Jaya"))
        one = yuni.get(f"/console/jadwal/ewarong?agen={agent_id}")
        assert "Kunjungan ke e-Warong Makmur Jaya" in one.text and one.text.count('<li class="visit') == 2

        hendra = signed_in(client, PAK_HENDRA)  # operator of Pasteur, Kota Bandung: no agent of his there
        others = hendra.get("/console/jadwal/ewarong")
        assert "Belum ada agen e-Warong di wilayah Anda." in others.text and "Makmur" not in others.text
        assert hendra.get(f"/console/jadwal/ewarong?agen={agent_id}").status_code == 404
    assert [entry.subject_id for entry in audit_actions(settings, "ewarong_access_denied")] == [str(agent_id)]


def test_long_lists_come_in_pages_that_keep_the_filters(settings, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(schedules, "PAGE", 1)
    with monday_client(settings) as client:
        chat(client, BU_LINA, *SCHEDULE_MAWAR)
        chat(client, BU_LINA, "menu", "jadwal", "1", "minggu", "10", "Balai RW 05", "kesehatan", "1", "1")
        lina = signed_in(client, BU_LINA)
        first = lina.get("/console/jadwal?jenis=p2k2")
        assert "Sab, 28 Nov 2026, 09.00 WIB" in first.text and "Min, 29 Nov 2026" not in first.text
        assert 'href="/console/jadwal?jenis=p2k2&amp;halaman=1">Berikutnya' in first.text and "Sebelumnya" not in first.text
        second = lina.get("/console/jadwal?jenis=p2k2&halaman=1")
        assert "Min, 29 Nov 2026, 10.00 WIB" in second.text and "Sab, 28 Nov 2026" not in second.text
        assert 'href="/console/jadwal?jenis=p2k2">Sebelumnya' in second.text and "Berikutnya" not in second.text


def test_signed_out_visitors_get_401(settings) -> None:  # type: ignore[no-untyped-def]
    with monday_client(settings) as client:
        for path in ("/console/jadwal", "/console/jadwal?waktu=lewat", "/console/jadwal/1", "/console/jadwal/ewarong"):
            assert client.get(path).status_code == 401, path
        assert client.post("/console/jadwal/1/batalkan", data={"csrf": "x"}).status_code == 401
