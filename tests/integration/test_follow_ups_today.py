"""Issue "Close the loop", item 4: the companion's 07:00 list holds what is due TODAY and what is OVERDUE,
counted in the companion's own day (WIB, WITA or WIT), each labelled ("Hari ini", "Terlambat")."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from app.clock import Clock
from app.demo import seed_demo
from app.models import Case, ChannelIdentity, OutboundMessage, Person, Reminder, RoleAssignment
from app.reminders.planning import FollowUp, follow_ups_on
from app.scheduler import ReminderJob
from app.schedules.local_time import local_day
from app.web import create_app
from tests.conftest import FIXED_NOW, LOOPBACK, SECRET

# Kelurahan Bontorannu, Kecamatan Mariso, Kota Makassar (Sulawesi Selatan): WITA, UTC+8
MAKASSAR = "73.71.01.1001"
PASTEUR = "32.73.07.1001"  # Kota Bandung: WIB, UTC+7
WIB, WITA = "Asia/Jakarta", "Asia/Makassar"
ASEP = "+6281300000001"  # the demo PSM of Pasteur
T0 = datetime(2026, 11, 20, 0, 0, tzinfo=UTC)
_references = itertools.count(1)


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def companion(db, name: str, area: str, phone: str) -> Person:  # type: ignore[no-untyped-def]
    someone = Person(display_name=name, phone=phone, locale="id", area_code=area, consent_given_at=T0, created_at=T0)
    db.add(someone)
    db.flush()
    db.add(ChannelIdentity(person_id=someone.id, channel="simulator", address=phone, created_at=T0, last_inbound_at=T0))
    db.add(RoleAssignment(person_id=someone.id, role="psm", area_code=area, granted_at=T0))  # a PSM: no weekly digest
    db.flush()
    return someone


def case_due(db, assignee: Person, day: date, *, name: str = "", status: str = "in_progress") -> str:  # type: ignore[no-untyped-def]
    reference = f"KB-FU{next(_references):03d}"
    # as the chat stores a follow-up date ("besok", "5/12"): the companion's calendar day, at midnight UTC
    db.add(Case(reference=reference, kind="companion", category="ppks:08", status=status, area_code=assignee.area_code,
                household_name=name or reference, assignee_person_id=assignee.id, details={}, created_at=T0, updated_at=T0,
                follow_up_at=datetime.combine(day, datetime.min.time(), UTC)))  # fmt: skip
    db.flush()
    return reference


def job_at(database, settings, translators, moment: datetime) -> int:  # type: ignore[no-untyped-def]
    return ReminderJob(database, settings, Clock(moment - datetime.now(UTC)), translators).run().queued


def lists_of(database, phone: str) -> list[str]:  # type: ignore[no-untyped-def]
    with database.transaction() as db:
        return [
            m.body["text"]
            for m in db.scalars(
                select(OutboundMessage).where(OutboundMessage.address == phone, OutboundMessage.purpose == "reminder").order_by(OutboundMessage.id)
            )
        ]


def parts(text: str) -> tuple[str, str]:
    """(the "Hari ini" part, the "Terlambat" part) of a morning list."""
    today, _, late = text.partition("Terlambat:")
    return (today if "Hari ini:" in today else ""), late


def test_today_yesterday_and_tomorrow_against_the_companions_day() -> None:
    today = date(2026, 11, 30)
    due, overdue = follow_ups_on(
        [FollowUp("KB-A", "", date(2026, 11, 29)), FollowUp("KB-B", "", today), FollowUp("KB-C", "", date(2026, 12, 1))], today
    )
    assert [f.reference for f in due] == ["KB-B"]
    assert [f.reference for f in overdue] == ["KB-A"]  # tomorrow's is in neither


def test_a_follow_up_due_today_in_wita_is_reminded_that_morning_at_0700_wita(database, settings, catalog_translators) -> None:  # type: ignore[no-untyped-def]
    with database.transaction() as db:
        made = companion(db, "Pak Made", MAKASSAR, "+6281355550001")
        today = case_due(db, made, date(2026, 11, 30), name="Mbah Sumi")
        yesterday = case_due(db, made, date(2026, 11, 29), name="Daeng Baso")
        tomorrow = case_due(db, made, date(2026, 12, 1))
        case_due(db, made, date(2026, 11, 30), status="closed")  # a closed case is nobody's work any more
    assert job_at(database, settings, catalog_translators, utc("2026-11-29T22:59")) == 0  # 06:59 WITA, 30 November
    assert job_at(database, settings, catalog_translators, utc("2026-11-29T23:00")) == 1  # 07:00 WITA: that very morning
    [text] = lists_of(database, "+6281355550001")
    due, late = parts(text)
    assert text.startswith("Selamat pagi. Tindak lanjut kasus Anda:")
    assert "Hari ini: 1 kasus" in due and f"{today} Mbah Sumi" in due
    assert "1 kasus" in late and f"{yesterday} Daeng Baso (sejak Minggu, 29 November 2026)" in late
    assert tomorrow not in text
    with database.transaction() as db:
        reminder = db.scalars(select(Reminder).where(Reminder.kind == "overdue_cases")).one()
    assert (reminder.due_at, reminder.timezone, reminder.status) == (utc("2026-11-29T23:00"), WITA, "queued")


def test_due_yesterday_is_overdue_and_due_tomorrow_waits_for_tomorrow(database, settings, catalog_translators) -> None:  # type: ignore[no-untyped-def]
    with database.transaction() as db:
        made = companion(db, "Pak Made", MAKASSAR, "+6281355550001")
        tomorrow = case_due(db, made, date(2026, 12, 1))
    assert job_at(database, settings, catalog_translators, utc("2026-11-29T23:00")) == 0  # nothing due on 30 November
    assert job_at(database, settings, catalog_translators, utc("2026-11-30T23:00")) == 1  # 07:00 WITA, 1 December
    assert job_at(database, settings, catalog_translators, utc("2026-12-01T23:00")) == 1  # 2 December: now overdue
    first, second = lists_of(database, "+6281355550001")
    assert "Terlambat" not in first and f"{tomorrow} {tomorrow}" in parts(first)[0]  # on its day: "Hari ini"
    assert not parts(second)[0] and f"{tomorrow} {tomorrow} (sejak Selasa, 1 Desember 2026)" in parts(second)[1]


def test_around_midnight_each_companion_counts_their_own_day(database, settings, catalog_translators) -> None:  # type: ignore[no-untyped-def]
    night = utc("2026-11-29T16:30")  # 23:30 WIB on 29 November, already 00:30 WITA on 30 November
    assert (local_day(night, WIB), local_day(night, WITA)) == (date(2026, 11, 29), date(2026, 11, 30))
    with database.transaction() as db:
        bandung = companion(db, "Pak Asep", PASTEUR, "+6281355550002")
        makassar = companion(db, "Pak Made", MAKASSAR, "+6281355550001")
        for someone in (bandung, makassar):
            case_due(db, someone, date(2026, 11, 29), name=f"kemarin {someone.display_name}")
            case_due(db, someone, date(2026, 11, 30), name=f"tanggal 30 {someone.display_name}")
    assert job_at(database, settings, catalog_translators, night) == 0  # night: no list anywhere
    # 07:00 WITA is 06:00 WIB: Makassar's morning has come, Bandung's not yet
    assert job_at(database, settings, catalog_translators, utc("2026-11-29T23:00")) == 1
    [wita] = lists_of(database, "+6281355550001")
    assert "tanggal 30 Pak Made" in parts(wita)[0] and "kemarin Pak Made" in parts(wita)[1]
    assert not lists_of(database, "+6281355550002")
    assert job_at(database, settings, catalog_translators, utc("2026-11-30T00:00")) == 1  # 07:00 WIB, 30 November
    [wib] = lists_of(database, "+6281355550002")
    assert "tanggal 30 Pak Asep" in parts(wib)[0] and "kemarin Pak Asep" in parts(wib)[1]


def test_on_the_evening_before_in_wib_a_wita_case_for_tomorrow_is_not_today(database, settings, catalog_translators) -> None:  # type: ignore[no-untyped-def]
    """The list of 29 November in WIB (07:00 WIB) does not hold 30 November, wherever the case is."""
    with database.transaction() as db:
        bandung = companion(db, "Pak Asep", PASTEUR, "+6281355550002")
        case_due(db, bandung, date(2026, 11, 29), name="hari ini")
        case_due(db, bandung, date(2026, 11, 30), name="besok")
    assert job_at(database, settings, catalog_translators, utc("2026-11-29T00:00")) == 1  # 07:00 WIB, 29 November
    [text] = lists_of(database, "+6281355550002")
    assert "hari ini" in parts(text)[0] and "besok" not in text and not parts(text)[1]


# --- the same in the web simulator, time-travelling with its clock -------------------------------------


@pytest.fixture
def client(settings, database):  # type: ignore[no-untyped-def]
    with database.transaction() as db:
        seed_demo(db, secret_key=SECRET, now=FIXED_NOW)
        made = companion(db, "Pak Made", MAKASSAR, "+6281355550001")
        asep = db.scalars(select(Person).where(Person.phone == ASEP)).one()
        tomorrow = local_day(FIXED_NOW, WITA) + timedelta(days=1)  # "besok", said on Monday 23 November
        case_due(db, made, tomorrow, name="Mbah Sumi")
        case_due(db, asep, tomorrow, name="Mbah Inah")
    clock = Clock(FIXED_NOW - datetime.now(UTC))  # Monday 23 November 2026, 09:00 WIB, 10:00 WITA
    with TestClient(create_app(settings, clock=clock, database=database, background=False), client=LOOPBACK) as test_client:
        yield test_client


def advance(client: TestClient, by: str) -> dict:  # type: ignore[type-arg]
    response = client.post("/simulator/clock", json={"advance": by})
    assert response.status_code == 200
    return response.json()


def inbox(client: TestClient, phone: str) -> list[str]:
    return [reply["text"] for reply in client.get("/simulator/messages", params={"phone": phone}).json()["replies"]]


def test_in_the_simulator_besok_is_reminded_the_next_morning_at_0700_local(client) -> None:  # type: ignore[no-untyped-def]
    assert advance(client, "20h59m")["local"]["WITA"] == "Tue 24 Nov 2026 06:59"
    assert not inbox(client, "+6281355550001")
    assert advance(client, "1m")["reminders_queued"] == 1  # 07:00 WITA, Tuesday: Pak Made, in Makassar
    [made] = inbox(client, "+6281355550001")
    assert "Hari ini: 1 kasus" in made and "Mbah Sumi" in made and "Terlambat" not in made
    assert not inbox(client, ASEP)  # 06:00 WIB in Bandung
    assert advance(client, "1h")["reminders_queued"] == 1  # 07:00 WIB
    [asep] = inbox(client, ASEP)
    assert "Hari ini: 1 kasus" in asep and "Mbah Inah" in asep
    advance(client, "1d")  # Wednesday: not done, so overdue since Tuesday
    assert "Terlambat: 1 kasus" in inbox(client, ASEP)[0] and "(sejak Selasa, 24 November 2026)" in inbox(client, "+6281355550001")[0]
