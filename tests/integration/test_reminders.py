"""Reminders at local time, exactly once: planning, dispatch, quiet hours, grace, restarts, two schedulers."""

from __future__ import annotations

import threading
import time
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from app.clock import Clock
from app.db import Database
from app.models import ChannelIdentity, Household, Meeting, OutboundMessage, P2k2Group, Person, Reminder, RoleAssignment
from app.reminders import dispatch
from app.reminders.dispatch import dispatch_due
from app.scheduler import ReminderJob, start_scheduler
from app.schedules import service
from conversations.effects import CancelMeeting, ChangeMeeting, ScheduleMeeting

WIB_VILLAGE, WITA_VILLAGE, WIT_VILLAGE = "32.73.16.1002", "51.71.01.1001", "91.03.01.1001"
T0 = datetime(2026, 11, 27, 0, 0, tzinfo=UTC)


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def person(db, name: str, area: str, *, phone: str, role: str = "", opted_out: bool = False) -> Person:  # type: ignore[no-untyped-def]
    someone = Person(display_name=name, phone=phone, locale="id", area_code=area, consent_given_at=T0, created_at=T0,
                     opted_out_at=T0 if opted_out else None)  # fmt: skip
    db.add(someone)
    db.flush()
    db.add(ChannelIdentity(person_id=someone.id, channel="simulator", address=phone, created_at=T0, last_inbound_at=T0))
    if role:
        db.add(RoleAssignment(person_id=someone.id, role=role, area_code=area, granted_at=T0))
    db.flush()
    return someone


def group_with_members(db, area: str, count: int, *, opted_out: int = 0) -> tuple[P2k2Group, Person]:  # type: ignore[no-untyped-def]
    facilitator = person(db, "Bu Pendamping", area, phone=f"+628130{area[-4:]}999", role="pkh")
    group = P2k2Group(area_code=area, name="Mawar", created_at=T0)
    db.add(group)
    for n in range(count):
        member = person(db, f"Ibu {n}", area, phone=f"+62812{area[-4:]}{n:04d}", opted_out=n < opted_out)
        db.add(Household(head_name=f"Ibu {n}", nik_hash=f"{area}-{n}", nik_masked="32**", area_code=area, group_name="Mawar",
                         person_id=member.id, created_at=T0, updated_at=T0))  # fmt: skip
    db.flush()
    db.refresh(facilitator, ["roles"])
    return group, facilitator


def schedule_p2k2(database, settings, translators, area: str, day: str, start: str, *, members: int = 2, now: datetime = T0, opted_out: int = 0) -> int:  # type: ignore[no-untyped-def]
    with database.transaction() as db:
        group, facilitator = group_with_members(db, area, members, opted_out=opted_out)
        effect = ScheduleMeeting(kind="p2k2", area_code=area, day=day, start=start, place="Balai RW", group_id=group.id, module="economy", session="finances")
        return service.schedule_meeting(db, effect=effect, actor=facilitator, now=now, settings=settings, translators=translators).id


def reminders(database) -> list[Reminder]:  # type: ignore[no-untyped-def]
    with database.transaction() as db:
        return list(db.scalars(select(Reminder).order_by(Reminder.due_at, Reminder.id)))


def outbox_count(database, purpose: str = "reminder") -> int:  # type: ignore[no-untyped-def]
    with database.transaction() as db:
        return db.scalar(select(func.count()).select_from(OutboundMessage).where(OutboundMessage.purpose == purpose))


@pytest.mark.parametrize(
    ("area", "eve_utc", "morning_utc"),
    [
        (WIB_VILLAGE, "2026-11-30T09:00", "2026-11-30T23:30"),  # 16:00 and 06:30 WIB (UTC+7)
        (WITA_VILLAGE, "2026-11-30T08:00", "2026-11-30T22:30"),  # WITA (UTC+8)
        (WIT_VILLAGE, "2026-11-30T07:00", "2026-11-30T21:30"),  # WIT (UTC+9): the morning is still 30 November in UTC
    ],
)
def test_a_session_on_the_first_of_the_month_is_reminded_at_local_time(database, settings, catalog_translators, area, eve_utc, morning_utc) -> None:  # type: ignore[no-untyped-def]
    schedule_p2k2(database, settings, catalog_translators, area, "2026-12-01", "09:00", members=1)
    planned = reminders(database)
    assert [(r.kind, r.due_at) for r in planned] == [("p2k2_eve", utc(eve_utc)), ("p2k2_morning", utc(morning_utc))]
    assert all(r.not_after is not None and r.not_after > r.due_at for r in planned)
    assert "Pengingat untuk besok:" in planned[0].body["text"] and [o["key"].split(":")[2] for o in planned[0].body["options"]] == ["yes", "no"]


def test_the_new_year_session_is_reminded_on_new_years_eve(database, settings, catalog_translators) -> None:  # type: ignore[no-untyped-def]
    schedule_p2k2(database, settings, catalog_translators, WITA_VILLAGE, "2027-01-01", "10:00", members=1)
    eve = reminders(database)[0]
    assert eve.due_at == utc("2026-12-31T08:00")  # 16:00 WITA on 31 December


def test_reminders_go_out_when_due_and_only_once(database, settings, catalog_translators) -> None:  # type: ignore[no-untyped-def]
    schedule_p2k2(database, settings, catalog_translators, WIT_VILLAGE, "2026-12-01", "09:00", members=3)
    assert dispatch_due(database, settings=settings, now=utc("2026-11-30T06:59")).total == 0  # 15:59 WIT
    first = dispatch_due(database, settings=settings, now=utc("2026-11-30T07:00"))
    assert (first.queued, first.total) == (3, 3)
    again = dispatch_due(database, settings=settings, now=utc("2026-11-30T07:01"))
    backwards = dispatch_due(database, settings=settings, now=utc("2026-11-30T06:00"))  # the clock jumped back
    assert again.total == backwards.total == 0
    morning = dispatch_due(database, settings=settings, now=utc("2026-11-30T21:31"))  # 06:31 WIT, 1 December
    assert morning.queued == 3
    assert outbox_count(database) == 6
    with database.transaction() as db:
        texts = list(db.scalars(select(OutboundMessage.body).where(OutboundMessage.purpose == "reminder")))
        assert "Pengingat untuk hari ini:" in texts[-1]["text"] and "09.00 WIT" in texts[-1]["text"]


def test_opted_out_and_unreachable_members_get_none(database, settings, catalog_translators) -> None:  # type: ignore[no-untyped-def]
    schedule_p2k2(database, settings, catalog_translators, WIB_VILLAGE, "2026-12-01", "09:00", members=3, opted_out=1)
    with database.transaction() as db:
        reachable = db.scalars(select(ChannelIdentity).join(Person).where(Person.display_name == "Ibu 1")).one()
        reachable.unreachable_at = T0  # e.g. blocked the bot
    result = dispatch_due(database, settings=settings, now=utc("2026-11-30T09:00"))
    assert (result.queued, result.skipped) == (1, 2)
    notes = sorted(r.note for r in reminders(database) if r.kind == "p2k2_eve")
    assert notes == ["", "opted_out", "unreachable"]


@pytest.mark.parametrize(
    ("now", "grace", "status", "note"),
    [
        ("2026-11-30T10:30", 120, "queued", ""),  # 17:30 WIB: 90 minutes late, within the grace period
        ("2026-11-30T11:30", 120, "dropped", "missed"),  # 18:30 WIB: beyond it
        ("2026-11-30T09:30", 0, "dropped", "missed"),  # no grace: anything late is dropped
        ("2026-11-30T14:30", 24 * 60, "dropped", "quiet_hours"),  # 21:30 WIB: never in quiet hours
        ("2026-12-01T02:00", 24 * 60, "dropped", "too_late"),  # 09:00 WIB: the session has begun
    ],
)
def test_a_reminder_missed_during_downtime(database, settings, catalog_translators, now, grace, status, note) -> None:  # type: ignore[no-untyped-def]
    schedule_p2k2(database, settings, catalog_translators, WIB_VILLAGE, "2026-12-01", "09:00", members=1)
    late_settings = settings.model_copy(update={"reminder_grace_minutes": grace})
    dispatch_due(database, settings=late_settings, now=utc(now))
    eve = reminders(database)[0]
    assert (eve.status, eve.note) == (status, note)


def test_moving_a_session_moves_its_reminders_and_tells_the_members(database, settings, catalog_translators) -> None:  # type: ignore[no-untyped-def]
    meeting_id = schedule_p2k2(database, settings, catalog_translators, WIB_VILLAGE, "2026-12-01", "09:00", members=2)
    with database.transaction() as db:
        facilitator = db.scalars(select(Person).where(Person.display_name == "Bu Pendamping")).one()
        db.refresh(facilitator, ["roles"])
        service.change_meeting(db, effect=ChangeMeeting(meeting_id, day="2026-12-03", start="13:00"), actor=facilitator,
                               now=T0, settings=settings, translators=catalog_translators)  # fmt: skip
    planned = reminders(database)
    assert sorted({(r.status, r.key.split(":")[2]) for r in planned}) == [("cancelled", "v1"), ("pending", "v2")]
    assert sorted(r.due_at for r in planned if r.status == "pending")[0] == utc("2026-12-02T09:00")  # 16:00 WIB the day before
    dispatch_due(database, settings=settings, now=utc("2026-11-30T09:00"))
    assert outbox_count(database) == 0  # the old evening reminder was not sent
    with database.transaction() as db:
        moved = db.scalars(select(OutboundMessage.body).where(OutboundMessage.purpose == "schedule_news")).all()
        assert sum("Jadwal berubah" in body["text"] and "Kamis, 3 Desember 2026, 13.00 WIB" in body["text"] for body in moved) == 2


def test_cancelling_drops_pending_reminders(database, settings, catalog_translators) -> None:  # type: ignore[no-untyped-def]
    meeting_id = schedule_p2k2(database, settings, catalog_translators, WIB_VILLAGE, "2026-12-01", "09:00", members=2)
    with database.transaction() as db:
        facilitator = db.scalars(select(Person).where(Person.display_name == "Bu Pendamping")).one()
        db.refresh(facilitator, ["roles"])
        service.cancel_meeting(db, effect=CancelMeeting(meeting_id, reason="banjir"), actor=facilitator, now=T0,
                               settings=settings, translators=catalog_translators)  # fmt: skip
        assert db.get(Meeting, meeting_id).status == "cancelled"
    assert {r.status for r in reminders(database)} == {"cancelled"}
    assert dispatch_due(database, settings=settings, now=utc("2026-12-01T00:00")).total == 0


def test_a_crash_mid_batch_loses_and_doubles_nothing(database, settings, catalog_translators, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    schedule_p2k2(database, settings, catalog_translators, WIB_VILLAGE, "2026-12-01", "09:00", members=5)
    real_update = dispatch.update

    def crash(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("killed")

    monkeypatch.setattr(dispatch, "update", crash)  # outbox rows written, reminders not yet marked: then killed
    with pytest.raises(RuntimeError):
        dispatch_due(database, settings=settings, now=utc("2026-11-30T09:00"))
    assert outbox_count(database) == 0
    monkeypatch.setattr(dispatch, "update", real_update)
    fresh_process = Database(settings)
    restarted = ReminderJob(fresh_process, settings, Clock(utc("2026-11-30T09:00") - datetime.now(UTC)), catalog_translators)
    try:
        assert restarted.run().queued == 5
        assert restarted.run().total == 0
    finally:
        fresh_process.dispose()
    assert outbox_count(database) == 5


def test_two_schedulers_at_once_send_each_reminder_once(database, settings, catalog_translators) -> None:  # type: ignore[no-untyped-def]
    schedule_p2k2(database, settings, catalog_translators, WIB_VILLAGE, "2026-12-01", "09:00", members=120)
    now = utc("2026-11-30T09:00")
    results = []

    def scheduler() -> None:
        own = Database(settings)  # another process: its own engine and connections
        try:
            results.append(dispatch_due(own, settings=settings, now=now, batch_size=7))
        finally:
            own.dispose()

    threads = [threading.Thread(target=scheduler) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(r.queued for r in results) == 120
    with database.transaction() as db:
        keys = list(db.scalars(select(OutboundMessage.idempotency_key).where(OutboundMessage.purpose == "reminder")))
    assert len(keys) == len(set(keys)) == 120


def test_apscheduler_runs_the_job(database, settings, catalog_translators) -> None:  # type: ignore[no-untyped-def]
    schedule_p2k2(database, settings, catalog_translators, WIB_VILLAGE, "2026-12-01", "09:00", members=2)
    clock = Clock(utc("2026-11-30T09:00") - datetime.now(UTC))
    scheduler = start_scheduler(ReminderJob(database, settings, clock, catalog_translators), interval_seconds=0.2)
    try:
        for _ in range(100):
            if outbox_count(database) == 2:
                break
            time.sleep(0.05)
    finally:
        scheduler.shutdown(wait=True)
    assert outbox_count(database) == 2


def test_companions_get_their_due_and_overdue_cases_each_local_morning(database, settings, catalog_translators) -> None:  # type: ignore[no-untyped-def]
    from app.models import Case

    with database.transaction() as db:
        psm = person(db, "Pak Made", WITA_VILLAGE, phone="+6281355550001", role="psm")  # a PSM gets no weekly digest
        for n, follow_up in enumerate((date(2026, 11, 28), date(2026, 11, 30), date(2026, 12, 1))):
            db.add(Case(reference=f"KB-OVR{n}", kind="companion", category="ppks:08", status="in_progress", area_code=WITA_VILLAGE,
                        household_name=f"Mbah {n}", assignee_person_id=psm.id, details={}, created_at=T0, updated_at=T0,
                        follow_up_at=datetime.combine(follow_up, datetime.min.time(), UTC)))  # fmt: skip
    job = ReminderJob(database, settings, Clock(), catalog_translators)

    def run_at(moment: str) -> int:
        job.clock = Clock(utc(moment) - datetime.now(UTC))
        return job.run().queued

    assert run_at("2026-11-29T22:59") == 0  # 06:59 WITA, 30 November
    assert run_at("2026-11-29T23:00") == 1  # 07:00 WITA
    assert run_at("2026-11-30T01:00") == 0  # the same local day: not again
    with database.transaction() as db:
        text = db.scalars(select(OutboundMessage.body).where(OutboundMessage.purpose == "reminder")).one()["text"]
    today, late = text.split("Terlambat:")
    assert "Hari ini: 1 kasus" in today and "KB-OVR1 Mbah 1" in today  # due today: on today's list, that morning
    assert "1 kasus" in late and "KB-OVR0 Mbah 0 (sejak Sabtu, 28 November 2026)" in late
    assert "KB-OVR2" not in text  # due tomorrow: tomorrow's list
    assert run_at("2026-11-30T23:05") == 1  # the next morning: 1 December today, the other two overdue


def test_news_of_a_session_scheduled_at_night_waits_for_the_morning(database, settings, catalog_translators) -> None:  # type: ignore[no-untyped-def]
    late = utc("2026-11-27T15:30")  # 22:30 WIB, quiet hours in the village
    schedule_p2k2(database, settings, catalog_translators, WIB_VILLAGE, "2026-12-01", "09:00", members=2, now=late)
    with database.transaction() as db:
        news = list(db.scalars(select(OutboundMessage).where(OutboundMessage.purpose == "schedule_news")))
        organizer = db.scalars(select(OutboundMessage).where(OutboundMessage.purpose == "reply")).one()
    assert len(news) == 2 and all(m.next_attempt_at == utc("2026-11-27T23:00") for m in news)  # 06:00 WIB
    assert organizer.next_attempt_at == late  # the one who wrote gets the answer at once


def test_a_cancelled_session_cannot_be_moved_or_cancelled_again(database, settings, catalog_translators) -> None:  # type: ignore[no-untyped-def]
    meeting_id = schedule_p2k2(database, settings, catalog_translators, WIB_VILLAGE, "2026-12-01", "09:00", members=2)
    with database.transaction() as db:
        facilitator = db.scalars(select(Person).where(Person.display_name == "Bu Pendamping")).one()
        db.refresh(facilitator, ["roles"])
        service.cancel_meeting(db, effect=CancelMeeting(meeting_id), actor=facilitator, now=T0, settings=settings, translators=catalog_translators)
        later = T0 + timedelta(minutes=5)  # the same organizer, from a list shown before it was cancelled
        service.change_meeting(db, effect=ChangeMeeting(meeting_id, day="2026-12-03", start="10:00"), actor=facilitator,
                               now=later, settings=settings, translators=catalog_translators)  # fmt: skip
        service.cancel_meeting(db, effect=CancelMeeting(meeting_id), actor=facilitator, now=later + timedelta(seconds=1),
                               settings=settings, translators=catalog_translators)  # fmt: skip
        meeting = db.get(Meeting, meeting_id)
        assert (meeting.status, meeting.version) == ("cancelled", 1)
        told = [b["text"] for b in db.scalars(select(OutboundMessage.body).where(OutboundMessage.person_id == facilitator.id))]
    assert told.count("Jadwal itu sudah dibatalkan atau sudah terlaksana, jadi tidak kami ubah.") == 2
    assert {r.status for r in reminders(database)} == {"cancelled"}  # nothing planned again
    assert outbox_count(database, "schedule_news") == 4  # told of the session, then of its cancelling: once each
