"""Planning reminders: rows with unique keys, due at a local time of the place they concern.

Meeting reminders are planned when a meeting is scheduled or moved (the evening
before and the morning of the day); companions' follow-up lists (due today and
overdue, counted in the companion's own day: WIB, WITA or WIT) are planned by
the scheduler each morning at 07:00 local, once per companion and local day.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session, selectinload

from app.areas.timezones import person_area, timezone_of
from app.config import Settings
from app.db import insert_new
from app.models import Case, Meeting, Person, Reminder
from app.models.cases import OPEN_STATUSES
from app.outbox import reply_body
from app.schedules import messages
from app.schedules.local_time import at_local, clock_time, day_before, local_day
from conversations.dates import format_day
from conversations.types import Reply, Translate

LISTED_OVERDUE = 10  # cases listed by name in each part of the morning list


def reminder_row(
    *, key: str, person_id: int, kind: str, due_at: datetime, timezone: str, reply: Reply, now: datetime,
    meeting_id: int | None = None, not_after: datetime | None = None,
) -> dict[str, Any]:
    body = reply_body(reply)
    # for a WhatsApp content template outside the 24-hour window: its variables may not hold line breaks
    body["variables"] = {"1": " · ".join(line for line in reply.text.splitlines() if line.strip())}
    return {
        "key": key, "person_id": person_id, "meeting_id": meeting_id, "kind": kind, "due_at": due_at,
        "not_after": not_after, "timezone": timezone, "body": body, "status": "pending", "note": "", "created_at": now,
    }  # fmt: skip


def plan_meeting_reminders(
    db: Session, *, meeting: Meeting, names: messages.MeetingNames, recipients: Sequence[Person],
    settings: Settings, translators: Mapping[str, Translate], now: datetime,
) -> int:
    """The evening-before and morning-of reminders of ``meeting`` for each recipient; returns how many."""
    day = local_day(meeting.starts_at, meeting.timezone)
    slots = (
        ("eve", at_local(day_before(day), settings.reminder_evening_time, meeting.timezone)),
        ("morning", at_local(day, settings.reminder_morning_time, meeting.timezone)),
    )
    rows = []
    for slot, due in slots:
        if due <= now or due >= meeting.starts_at:
            continue  # already past (scheduled late: the members were just told), or after it begins
        for person in recipients:
            reply = messages.reminder(meeting, names, translators[person.locale], person.locale, on_the_day=slot == "morning")
            rows.append(
                reminder_row(
                    key=f"meeting:{meeting.id}:v{meeting.version}:{slot}:person:{person.id}", person_id=person.id,
                    kind=f"{meeting.kind}_{slot}", due_at=due, timezone=meeting.timezone, reply=reply, now=now,
                    meeting_id=meeting.id, not_after=meeting.starts_at,
                )
            )
    insert_new(db, Reminder, rows)
    return len(rows)


def cancel_pending(db: Session, *, meeting_id: int, now: datetime) -> None:
    db.execute(
        update(Reminder)
        .where(Reminder.meeting_id == meeting_id, Reminder.status == "pending")
        .values(status="cancelled", processed_at=now)
    )


def plan_overdue_reminders(
    db: Session, *, settings: Settings, translators: Mapping[str, Translate], now: datetime
) -> int:
    """Each companion with open cases due today or overdue gets one list per local morning (07:00 their time)."""
    # a follow-up date is a calendar day of the companion, kept as midnight UTC of that day; no local day in
    # Indonesia is later than the UTC day after, so this bound lets every companion's "today" through
    latest = datetime.combine(now.astimezone(UTC).date() + timedelta(days=2), time(), UTC)
    rows = db.execute(
        select(Case.assignee_person_id, Case.reference, Case.household_name, Case.follow_up_at)
        .where(Case.assignee_person_id.is_not(None), Case.status.in_(OPEN_STATUSES), Case.follow_up_at < latest)
        .order_by(Case.follow_up_at, Case.id)
    ).all()
    by_person: dict[int, list[FollowUp]] = defaultdict(list)
    for person_id, reference, name, follow_up in rows:
        if person_id is None or follow_up is None:  # left out by the query already; this tells the type checker
            continue
        by_person[person_id].append(FollowUp(reference, name or "", follow_up_day(follow_up)))
    if not by_person:
        return 0
    people = db.scalars(select(Person).options(selectinload(Person.roles)).where(Person.id.in_(by_person)))
    due_lists = []
    for person in people:
        morning = morning_of(person, now, settings)
        if morning is None:
            continue
        today_list, overdue = follow_ups_on(by_person[person.id], morning.today)
        if today_list or overdue:
            due_lists.append((f"overdue:{person.id}:{morning.today.isoformat()}", person, morning, today_list, overdue))
    planned = set(db.scalars(select(Reminder.key).where(Reminder.key.in_([item[0] for item in due_lists]))))
    reminder_rows = []
    for key, person, morning, today_list, overdue in due_lists:
        if key in planned:
            continue
        reply = follow_up_list(today_list, overdue, translators[person.locale], person.locale)
        reminder_rows.append(morning.reminder(key=key, person_id=person.id, kind="overdue_cases", reply=reply, now=now))
    insert_new(db, Reminder, reminder_rows)
    return len(reminder_rows)


@dataclass(frozen=True)
class Morning:
    """A person's morning list time today (07:00 in their own zone) and the end of its day (quiet hours)."""

    timezone: str
    today: date
    due: datetime
    not_after: datetime

    def reminder(self, *, key: str, person_id: int, kind: str, reply: Reply, now: datetime) -> dict[str, object]:
        return reminder_row(key=key, person_id=person_id, kind=kind, due_at=self.due, timezone=self.timezone,
                            reply=reply, now=now, not_after=self.not_after)  # fmt: skip


def morning_of(person: Person, now: datetime, settings: Settings) -> Morning | None:
    """The person's morning, once its list time has come and outside quiet hours; None before."""
    timezone = timezone_of(person_area(person))
    today = local_day(now, timezone)
    due = at_local(today, settings.companion_reminder_time, timezone)
    if now < due or settings.quiet_hours.contains(clock_time(now, timezone)):
        return None
    return Morning(timezone, today, due, at_local(today, settings.quiet_hours_start, timezone))


@dataclass(frozen=True)
class FollowUp:
    """An open case to follow up on ``day`` (the companion's calendar day)."""

    reference: str
    name: str
    day: date


def follow_up_day(follow_up_at: datetime) -> date:
    """The calendar day of a stored follow-up (midnight UTC of the day the companion chose)."""
    return follow_up_at.astimezone(UTC).date()


def follow_ups_on(follow_ups: Iterable[FollowUp], today: date) -> tuple[list[FollowUp], list[FollowUp]]:
    """(due ``today``, overdue) for a companion whose local day is ``today``; later ones wait for their morning."""
    items = list(follow_ups)
    return [f for f in items if f.day == today], [f for f in items if f.day < today]


def follow_up_list(today: Sequence[FollowUp], overdue: Sequence[FollowUp], t: Translate, locale: str) -> Reply:
    """The morning list: what is due today, then what is overdue (oldest first), each labelled."""
    lines = [t("Selamat pagi. Tindak lanjut kasus Anda:")]
    if today:
        lines.append(t("Hari ini: {count} kasus", count=len(today)))
        lines += [f"{f.reference} {f.name or '-'}" for f in today[:LISTED_OVERDUE]]
        if len(today) > LISTED_OVERDUE:
            lines.append(t("… dan {count} lainnya.", count=len(today) - LISTED_OVERDUE))
    if overdue:
        lines.append(t("Terlambat: {count} kasus", count=len(overdue)))
        for f in overdue[:LISTED_OVERDUE]:
            lines.append(t("{reference} {name} (sejak {day})", reference=f.reference, name=f.name or "-", day=format_day(f.day, locale)))
        if len(overdue) > LISTED_OVERDUE:
            lines.append(t("… dan {count} lainnya.", count=len(overdue) - LISTED_OVERDUE))
    lines.append(t("Ketik KASUS SAYA untuk membukanya."))
    return Reply("\n".join(lines))
