"""Issue 6 end to end in the web simulator: a facilitator schedules, members are reminded at local time as the
simulator's clock moves, answer, and attendance is recorded; a TKSK's distribution likewise. A household that
sent BERHENTI gets none of it (until MULAI), though the simulator reads the outbox directly."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from app.clock import Clock
from app.demo import seed_demo
from app.models import Household, Meeting, MeetingMember, Reminder
from app.web import create_app
from tests.conftest import FIXED_NOW, LOOPBACK, SECRET

LINA, DEDI, ANI, RINA, WATI = "+6281300000003", "+6281200000002", "+6281200000005", "+6281300000002", "+6281200000004"
_ids = itertools.count(1)


@pytest.fixture
def client(settings, database):  # type: ignore[no-untyped-def]
    with database.transaction() as db:
        seed_demo(db, secret_key=SECRET, now=FIXED_NOW)
    clock = Clock(FIXED_NOW - datetime.now(UTC))  # Monday 23 November 2026, 09:00 WIB
    with TestClient(create_app(settings, clock=clock, database=database, background=False), client=LOOPBACK) as test_client:
        yield test_client


def say(client: TestClient, phone: str, *lines: str) -> list[str]:
    texts = []
    for line in lines:
        response = client.post("/simulator/messages", json={"phone": phone, "client_id": f"sim-{next(_ids):06d}", "text": line})
        assert response.status_code == 200
        texts += [reply["text"] for reply in response.json()["replies"]]
    return texts


def inbox(client: TestClient, phone: str) -> list[dict]:  # type: ignore[type-arg]
    return client.get("/simulator/messages", params={"phone": phone}).json()["replies"]


def advance(client: TestClient, by: str) -> dict:  # type: ignore[type-arg]
    response = client.post("/simulator/clock", json={"advance": by})
    assert response.status_code == 200
    return response.json()


def test_a_p2k2_session_from_scheduling_to_attendance(client, database) -> None:  # type: ignore[no-untyped-def]
    say(client, LINA, "jadwal", "1", "sabtu", "9", "Rumah Bu Ani", "ekonomi", "1")
    confirmation = say(client, LINA, "1")
    assert confirmation[0].startswith("Tersimpan: Pertemuan P2K2 kelompok Mawar 1, Sabtu, 28 November 2026, 09.00 WIB")
    assert "kepada 2 dari 5 keluarga" in confirmation[0]  # Pak Dedi and Bu Ani use the chat; three members do not
    news = [m["text"] for m in inbox(client, DEDI)]
    assert news and news[-1].startswith("Jadwal baru:\nPertemuan P2K2 kelompok Mawar 1\nSabtu, 28 November 2026, 09.00 WIB")
    assert inbox(client, ANI)

    clock = advance(client, "4d6h59m")  # Friday 27 November, 15:59 WIB: not yet
    assert clock["reminders_queued"] == 0 and clock["local"]["WIB"].startswith("Fri 27 Nov 2026 15:5")
    assert advance(client, "2m")["reminders_queued"] == 2  # 16:01 WIB, the afternoon before
    [eve] = inbox(client, DEDI)
    assert eve["text"].startswith("Pengingat untuk besok:") and [o["label"] for o in eve["options"]] == ["Hadir", "Berhalangan"]
    assert say(client, DEDI, "1") == ["Terima kasih. Jawaban Anda sudah kami sampaikan kepada pendamping."]
    assert inbox(client, ANI)[0]["text"].startswith("Pengingat untuk besok:")
    assert say(client, ANI, "izin")[0] == "Terima kasih. Jawaban Anda sudah kami sampaikan kepada pendamping."

    details = say(client, LINA, "jadwal", "2", "1")
    assert any("hadir 1, berhalangan 1 (Bu Ani), belum menjawab 3" in text for text in details)

    assert advance(client, "14h30m")["reminders_queued"] == 1  # Saturday 06:31 WIB: the morning reminder
    assert inbox(client, DEDI)[0]["text"].startswith("Pengingat untuk hari ini:")
    assert not inbox(client, ANI)  # she said she cannot come: not asked again
    advance(client, "5h")  # 11:31 WIB, the session is over
    say(client, LINA, "menu", "jadwal", "2", "1", "1", "1", "5", "Mengelola keuangan keluarga", "1")  # 5: Pak Ujang
    with database.transaction() as db:
        meeting = db.scalars(select(Meeting)).one()
        attendance = dict(db.execute(select(Household.head_name, MeetingMember.attendance).join(Household)).all())
        assert meeting.status == "held" and meeting.note == "Mengelola keuangan keluarga"
        assert sorted(db.scalars(select(Reminder.status)).all()) == ["cancelled", "queued", "queued", "queued"]
    assert attendance["Bu Ani"] == "excused" and attendance["Pak Dedi"] == "present"
    assert list(attendance.values()).count("absent") == 1
    missed = [m["text"] for m in inbox(client, ANI)]
    assert missed and missed[-1].startswith("Anda tidak hadir di Pertemuan P2K2 kelompok Mawar 1")
    assert not inbox(client, DEDI)  # present: no summary


def test_a_distribution_is_announced_and_reminded_with_the_pin_warning(client, database) -> None:  # type: ignore[no-untyped-def]
    say(client, RINA, "jadwal", "1", "bandarkedungmulyo", "1", "rabu", "8-12", "1")
    assert say(client, RINA, "1")[0].startswith("Tersimpan: Penyaluran bantuan sembako di e-Warong Makmur Jaya, Rabu, 25 November 2026, 08.00–12.00 WIB")
    assert inbox(client, WATI)[-1]["text"].startswith("Jadwal baru:\nPenyaluran bantuan sembako di e-Warong Makmur Jaya")
    advance(client, "1d7h1m")  # Tuesday 16:01 WIB
    [eve] = inbox(client, WATI)
    assert "Bawa: HP, KTP, KK, dan kartu KKS." in eve["text"] and "Jangan pernah berikan PIN" in eve["text"]
    assert not eve["options"]  # nothing to answer for a distribution
    say(client, RINA, "jadwal", "2", "1", "1", "kamis", "9-13", "1")  # moved to Thursday
    moved = inbox(client, WATI)[-1]["text"]
    assert moved.startswith("Jadwal berubah. Yang berlaku sekarang:") and "Kamis, 26 November 2026, 09.00–13.00 WIB" in moved
    assert advance(client, "15h")["reminders_queued"] == 0  # Wednesday 07:01: the old morning reminder is gone
    assert advance(client, "9h")["reminders_queued"] == 1  # Wednesday 16:01: the new evening reminder


def test_after_berhenti_the_simulator_delivers_no_meeting_news_or_reminder(client) -> None:  # type: ignore[no-untyped-def]
    assert say(client, DEDI, "berhenti")[0].startswith("Baik, Anda tidak akan menerima pengingat dan kabar lagi.")  # a direct reply
    say(client, LINA, "jadwal", "1", "sabtu", "9", "Rumah Bu Ani", "ekonomi", "1")
    [confirmation, *_] = say(client, LINA, "1")
    assert "Diberitahukan kepada 1 dari 5 keluarga kelompok ini (1 tidak menerima kabar atas permintaan sendiri, 3 belum memakai chat)." in confirmation
    assert not inbox(client, DEDI)
    assert inbox(client, ANI)[-1]["text"].startswith("Jadwal baru:")
    assert advance(client, "4d7h1m")["reminders_queued"] == 1  # Friday 16:01 WIB: Bu Ani only
    assert not inbox(client, DEDI)
    assert inbox(client, ANI)[0]["text"].startswith("Pengingat untuk besok:")
    moved = say(client, LINA, "menu", "jadwal", "2", "1", "1", "minggu", "10", "1")
    assert any("Diberitahukan kepada 1 dari 5 keluarga kelompok ini (1 tidak menerima" in text for text in moved)
    assert not inbox(client, DEDI)
    assert inbox(client, ANI)[-1]["text"].startswith("Jadwal berubah.")
    assert say(client, DEDI, "mulai")[0] == "Selamat datang kembali. Anda akan menerima pengingat dan kabar lagi."
    say(client, LINA, "menu", "jadwal", "2", "1", "2", "banjir", "1")  # cancelled after MULAI: he is told again
    assert [m["text"] for m in inbox(client, DEDI)] == [
        "Dibatalkan: Pertemuan P2K2 kelompok Mawar 1, Minggu, 29 November 2026, 10.00 WIB.\nAlasan: banjir"
    ]


def test_news_held_through_the_night_is_not_delivered_after_berhenti(client) -> None:  # type: ignore[no-untyped-def]
    advance(client, "13h30m")  # Monday 22:30 WIB: news waits for the morning
    say(client, LINA, "jadwal", "1", "sabtu", "9", "Rumah Bu Ani", "ekonomi", "1", "1")
    say(client, DEDI, "berhenti")  # in the night, before the news was read
    advance(client, "8h")  # Tuesday 06:30 WIB
    assert not inbox(client, DEDI)
    assert inbox(client, ANI)[-1]["text"].startswith("Jadwal baru:")
