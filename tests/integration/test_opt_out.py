"""Issue "Close the loop", item 6: after BERHENTI no channel — Telegram, WhatsApp, the simulator — delivers news or
reminders to the person; direct replies to what they just wrote still go out; organizers' counts say who opted out.

The rule lives in one place, the outbox (``app.outbox.refusal``): a broadcast is refused when it is written, and
again when it is taken for delivery (by the channel worker or the simulator) for someone who opted out meanwhile.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from app.cases import notify
from app.delivery import DeliveryWorker, RateLimiter
from app.models import Case, ChannelIdentity, Household, OutboundMessage, P2k2Group, Person, Reminder, RoleAssignment
from app.outbox import OPTED_OUT, enqueue_once, enqueue_reply, take_simulator_messages
from app.reminders.dispatch import dispatch_due
from app.schedules import service
from conversations.effects import CancelMeeting, ChangeMeeting, ScheduleMeeting
from conversations.types import Reply
from tests.conftest import FIXED_NOW
from tests.integration.channel_setup import SteppingClock

CHANNELS = ("telegram", "whatsapp", "simulator")
BROADCASTS = ("schedule_news", "status_update", "reminder", "digest")
WORK = ("case_assigned", "case_informed", "case_update")  # a companion's cases still reach them after BERHENTI
KEBON_JAYANTI = "32.73.16.1002"
BANDARKEDUNGMULYO, BANDARKEDUNGMULYO_VILLAGE = "35.17.18", "35.17.18.2001"
_numbers = iter(range(1, 10_000))


def someone(db, *, channel: str = "simulator", opted_out: bool = False, area: str = KEBON_JAYANTI, role: str = "") -> tuple[Person, ChannelIdentity]:  # type: ignore[no-untyped-def]
    n = next(_numbers)
    person = Person(display_name=f"Orang {n}", phone=f"+62812777{n:05d}", locale="id", area_code=area, consent_given_at=FIXED_NOW,
                    created_at=FIXED_NOW, opted_out_at=FIXED_NOW if opted_out else None)  # fmt: skip
    db.add(person)
    db.flush()
    address = person.phone if channel != "telegram" else str(7000 + n)
    identity = ChannelIdentity(person_id=person.id, channel=channel, address=address, created_at=FIXED_NOW, last_inbound_at=FIXED_NOW)
    db.add(identity)
    if role:
        db.add(RoleAssignment(person_id=person.id, role=role, area_code=area, granted_at=FIXED_NOW))
    db.flush()
    return person, identity


def rows_for(database, person_id: int) -> list[OutboundMessage]:  # type: ignore[no-untyped-def]
    with database.transaction() as db:
        return list(db.scalars(select(OutboundMessage).where(OutboundMessage.person_id == person_id).order_by(OutboundMessage.id)))


# --- the outbox, for every channel ------------------------------------------------------------------------


@pytest.mark.parametrize("channel", CHANNELS)
@pytest.mark.parametrize("purpose", BROADCASTS)
def test_a_broadcast_to_someone_who_opted_out_is_refused_when_written(database, channel, purpose) -> None:  # type: ignore[no-untyped-def]
    with database.transaction() as db:
        person, identity = someone(db, channel=channel, opted_out=True)
        enqueue_reply(db, key="news", identity=identity, reply=Reply("Jadwal baru: …"), now=FIXED_NOW, purpose=purpose)
        enqueue_once(db, key="news", identity=identity, reply=Reply("Jadwal baru: …"), now=FIXED_NOW, purpose=purpose)  # kept once
        enqueue_reply(db, key="answer", identity=identity, reply=Reply("Baik, Anda tidak akan menerima …"), now=FIXED_NOW)
    news, answer = rows_for(database, person.id)
    assert (news.status, news.error, news.sent_at) == ("failed", OPTED_OUT, None)
    assert (answer.purpose, answer.status, answer.error) == ("reply", "queued", "")  # a direct reply still goes out


@pytest.mark.parametrize("channel", CHANNELS)
@pytest.mark.parametrize("purpose", WORK)
def test_a_companions_work_still_reaches_them_after_berhenti(database, channel, purpose) -> None:  # type: ignore[no-untyped-def]
    with database.transaction() as db:
        companion, identity = someone(db, channel=channel, opted_out=True, role="tksk")
        enqueue_reply(db, key="work", identity=identity, reply=Reply("Laporan baru untuk Anda: KB-7Q4K2"), now=FIXED_NOW, purpose=purpose)
    [work] = rows_for(database, companion.id)
    assert (work.purpose, work.status, work.error) == (purpose, "queued", "")


@pytest.mark.parametrize("purpose", BROADCASTS)
def test_the_simulator_refuses_what_was_queued_before_berhenti(database, purpose) -> None:  # type: ignore[no-untyped-def]
    with database.transaction() as db:
        person, identity = someone(db)
        enqueue_reply(db, key="news", identity=identity, reply=Reply("Jadwal baru: …"), now=FIXED_NOW, purpose=purpose)
    with database.transaction() as db:
        db.get(Person, person.id).opted_out_at = FIXED_NOW + timedelta(minutes=1)  # BERHENTI, before the news was read
        enqueue_reply(db, key="answer", identity=identity, reply=Reply("Baik, …"), now=FIXED_NOW)
    with database.transaction() as db:
        taken = [row.body["text"] for row in take_simulator_messages(db, address=identity.address, now=FIXED_NOW + timedelta(minutes=2))]
    assert taken == ["Baik, …"]
    news, answer = rows_for(database, person.id)
    assert (news.status, news.error, news.sent_at) == ("failed", OPTED_OUT, None)
    assert answer.status == "delivered"


@pytest.mark.parametrize("channel", ["telegram", "whatsapp"])
def test_the_channel_worker_refuses_what_was_queued_before_berhenti(settings, database, channel) -> None:  # type: ignore[no-untyped-def]
    with database.transaction() as db:
        person, identity = someone(db, channel=channel)
        enqueue_reply(db, key="news", identity=identity, reply=Reply("Jadwal baru: …"), now=FIXED_NOW, purpose="schedule_news")
        enqueue_reply(db, key="reminder", identity=identity, reply=Reply("Pengingat untuk besok: …"), now=FIXED_NOW, purpose="reminder")
    with database.transaction() as db:
        db.get(Person, person.id).opted_out_at = FIXED_NOW
        enqueue_reply(db, key="answer", identity=identity, reply=Reply("Baik, …"), now=FIXED_NOW)
    sent: list[str] = []

    async def sender(address, body, template):  # type: ignore[no-untyped-def]
        sent.append(body["text"])
        return f"provider-{len(sent)}"

    worker = DeliveryWorker(database, settings, {channel: sender}, {channel: RateLimiter(1000, 0)}, SteppingClock())
    asyncio.run(worker.deliver_batch())
    assert sent == ["Baik, …"]
    news, reminder, answer = rows_for(database, person.id)
    assert [(r.status, r.error) for r in (news, reminder)] == [("failed", OPTED_OUT)] * 2
    assert answer.status == "sent"


# --- meeting news and counts ------------------------------------------------------------------------------


def p2k2_group(db, *, told: int, opted_out: int, without_chat: int) -> tuple[P2k2Group, Person, list[Person]]:  # type: ignore[no-untyped-def]
    facilitator, _ = someone(db, role="pkh")
    db.refresh(facilitator, ["roles"])
    group = P2k2Group(area_code=KEBON_JAYANTI, name="Melati", created_at=FIXED_NOW)
    db.add(group)
    members = [someone(db)[0] for _ in range(told)] + [someone(db, opted_out=True)[0] for _ in range(opted_out)]
    for n, member in enumerate([*members, *([None] * without_chat)]):
        db.add(Household(head_name=f"KPM {n}", nik_hash=f"melati-{n}", nik_masked="32**", area_code=KEBON_JAYANTI, group_name="Melati",
                         programs="pkh", person_id=member.id if member else None, created_at=FIXED_NOW, updated_at=FIXED_NOW))  # fmt: skip
    db.flush()
    return group, facilitator, members


def test_meeting_news_never_reaches_who_opted_out_and_the_count_says_so(database, settings, catalog_translators) -> None:  # type: ignore[no-untyped-def]
    with database.transaction() as db:
        group, facilitator, members = p2k2_group(db, told=2, opted_out=1, without_chat=2)
        effect = ScheduleMeeting(kind="p2k2", area_code=KEBON_JAYANTI, day="2026-12-05", start="09:00", place="Balai RW",
                                 group_id=group.id, module="economy", session="finances")  # fmt: skip
        meeting = service.schedule_meeting(db, effect=effect, actor=facilitator, now=FIXED_NOW, settings=settings, translators=catalog_translators)
        service.change_meeting(db, effect=ChangeMeeting(meeting.id, day="2026-12-06", start="10:00"), actor=facilitator,
                               now=FIXED_NOW + timedelta(minutes=1), settings=settings, translators=catalog_translators)  # fmt: skip
    told = [r.body["text"] for r in rows_for(database, facilitator.id)]
    assert told[0].startswith("Tersimpan: Pertemuan P2K2 kelompok Melati, Sabtu, 5 Desember 2026, 09.00 WIB.")
    assert told[0].endswith(
        "Diberitahukan kepada 2 dari 5 keluarga kelompok ini (1 tidak menerima kabar atas permintaan sendiri, 2 belum memakai chat)."
    )
    assert "Diberitahukan kepada 2 dari 5 keluarga kelompok ini (1 tidak menerima" in told[1]  # moved: the same count
    dispatch_due(database, settings=settings, now=datetime(2026, 12, 5, 9, 0, tzinfo=UTC))  # 16:00 WIB the day before
    with database.transaction() as db:
        service.cancel_meeting(db, effect=CancelMeeting(meeting.id, reason="banjir"), actor=facilitator,
                               now=datetime(2026, 12, 5, 10, 0, tzinfo=UTC), settings=settings, translators=catalog_translators)  # fmt: skip
    stopped = members[-1]
    assert all((r.status, r.error) == ("failed", OPTED_OUT) for r in rows_for(database, stopped.id))
    assert sorted(r.purpose for r in rows_for(database, stopped.id)) == ["schedule_news"] * 3  # scheduled, moved, cancelled
    with database.transaction() as db:
        skipped = db.scalars(select(Reminder).where(Reminder.person_id == stopped.id, Reminder.status != "cancelled")).all()
    assert [(r.status, r.note) for r in skipped] == [("skipped", "opted_out")]  # the evening reminder of the moved session
    for member in members[:2]:
        rows = rows_for(database, member.id)
        assert [r.purpose for r in rows] == ["schedule_news", "schedule_news", "reminder", "schedule_news"]
        assert all(r.status == "queued" for r in rows)


def test_without_anyone_opted_out_the_sentence_is_the_usual_one(database, settings, catalog_translators) -> None:  # type: ignore[no-untyped-def]
    with database.transaction() as db:
        group, facilitator, _ = p2k2_group(db, told=2, opted_out=0, without_chat=3)
        effect = ScheduleMeeting(kind="p2k2", area_code=KEBON_JAYANTI, day="2026-12-05", start="09:00", group_id=group.id)
        service.schedule_meeting(db, effect=effect, actor=facilitator, now=FIXED_NOW, settings=settings, translators=catalog_translators)
    [told] = [r.body["text"] for r in rows_for(database, facilitator.id)]
    assert told.endswith("Diberitahukan kepada 2 dari 5 keluarga kelompok ini; yang lain belum memakai layanan ini.")


def test_everyone_in_the_chat_but_one_opted_out(database, settings, catalog_translators) -> None:  # type: ignore[no-untyped-def]
    with database.transaction() as db:
        group, facilitator, _ = p2k2_group(db, told=3, opted_out=1, without_chat=0)
        effect = ScheduleMeeting(kind="p2k2", area_code=KEBON_JAYANTI, day="2026-12-05", start="09:00", group_id=group.id)
        service.schedule_meeting(db, effect=effect, actor=facilitator, now=FIXED_NOW, settings=settings, translators=catalog_translators)
    [told] = [r.body["text"] for r in rows_for(database, facilitator.id)]
    assert told.endswith("Diberitahukan kepada 3 dari 4 keluarga kelompok ini (1 tidak menerima kabar atas permintaan sendiri).")


def test_a_distribution_counts_who_opted_out(database, settings, catalog_translators) -> None:  # type: ignore[no-untyped-def]
    with database.transaction() as db:
        tksk, _ = someone(db, area=BANDARKEDUNGMULYO, role="tksk")
        db.refresh(tksk, ["roles"])
        for n, opted_out in enumerate((False, True)):
            member, _ = someone(db, area=BANDARKEDUNGMULYO_VILLAGE, opted_out=opted_out)
            db.add(Household(head_name=f"KPM {n}", nik_hash=f"bandar-{n}", nik_masked="35**", area_code=BANDARKEDUNGMULYO_VILLAGE,
                             programs="sembako", person_id=member.id, created_at=FIXED_NOW, updated_at=FIXED_NOW))  # fmt: skip
        effect = ScheduleMeeting(kind="distribution", area_code=BANDARKEDUNGMULYO_VILLAGE, day="2026-12-07", start="08:00", end="12:00",
                                 agent_name="e-Warong Baru")  # fmt: skip
        service.schedule_meeting(db, effect=effect, actor=tksk, now=FIXED_NOW, settings=settings, translators=catalog_translators)
    [told] = [r.body["text"] for r in rows_for(database, tksk.id)]
    assert told.endswith("Diberitahukan kepada 1 keluarga penerima di desa ini (1 lainnya tidak menerima kabar atas permintaan sendiri).")


def test_an_organizer_who_opted_out_still_gets_the_answer_to_what_they_did(database, settings, catalog_translators) -> None:  # type: ignore[no-untyped-def]
    with database.transaction() as db:
        group, facilitator, _ = p2k2_group(db, told=1, opted_out=0, without_chat=0)
        facilitator.opted_out_at = FIXED_NOW
        effect = ScheduleMeeting(kind="p2k2", area_code=KEBON_JAYANTI, day="2026-12-05", start="09:00", group_id=group.id)
        service.schedule_meeting(db, effect=effect, actor=facilitator, now=FIXED_NOW, settings=settings, translators=catalog_translators)
    [answer] = rows_for(database, facilitator.id)
    assert (answer.purpose, answer.status) == ("reply", "queued") and answer.body["text"].startswith("Tersimpan:")


# --- case status news ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("channel", CHANNELS)
def test_case_status_news_does_not_reach_a_household_that_opted_out(database, catalog_translators, channel) -> None:  # type: ignore[no-untyped-def]
    with database.transaction() as db:
        household, identity = someone(db, channel=channel, opted_out=True)
        case = Case(reference="KB-STOP1", kind="report", category="kks_lost", status="in_progress", area_code=KEBON_JAYANTI,
                    household_name="Pak Dedi", reporter_person_id=household.id, details={}, created_at=FIXED_NOW, updated_at=FIXED_NOW)  # fmt: skip
        db.add(case)
        db.flush()
        notify.status_changed(db, case=case, event_id=1, now=FIXED_NOW, translators=catalog_translators)
    [news] = rows_for(database, household.id)
    assert (news.purpose, news.status, news.error) == ("status_update", "failed", OPTED_OUT)
    with database.transaction() as db:
        assert take_simulator_messages(db, address=identity.address, now=FIXED_NOW + timedelta(hours=1)) == []
