"""Moving due reminders into the outbox, exactly once, in batches.

Each batch is one transaction: the due rows are read (on PostgreSQL locked with
``SKIP LOCKED``, so a second scheduler takes other rows), each is decided —
queued, skipped (opted out, unreachable) or dropped (missed beyond the grace
period, in quiet hours, or after its meeting began) — and the outbox rows are
inserted under the key ``reminder:<key>``, which cannot exist twice. A crash
rolls the batch back and the next run does it again.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.config import QuietHours, Settings
from app.db import Database, insert_new
from app.models import OutboundMessage, Person, Reminder
from app.people.reach import best_identities
from app.schedules.local_time import clock_time

BATCH_SIZE = 10_000  # big batches: far fewer page writes per reminder on a large SQLite file
UNLIMITED = timedelta.max
LATE = timedelta(minutes=5)  # a reminder moved later than this after it was due counts as late (metrics)


@dataclass
class Dispatched:
    queued: int = 0
    skipped: int = 0
    dropped: int = 0
    late: int = field(default=0, compare=False)  # of the queued: moved into the outbox more than LATE after due

    def add(self, other: Dispatched) -> None:
        self.queued += other.queued
        self.skipped += other.skipped
        self.dropped += other.dropped
        self.late += other.late

    @property
    def total(self) -> int:
        return self.queued + self.skipped + self.dropped


def decide(
    *, due_at: datetime, not_after: datetime | None, local_time: str, now: datetime, opted_out: bool,
    reachable: bool, grace: timedelta, quiet: QuietHours,
) -> tuple[str, str]:
    """(status, why) for one due reminder."""
    if opted_out:
        return "skipped", "opted_out"
    if not reachable:
        return "skipped", "unreachable"
    if not_after is not None and now >= not_after:
        return "dropped", "too_late"
    if now - due_at > grace:
        return "dropped", "missed"
    if quiet.contains(local_time):
        return "dropped", "quiet_hours"
    return "queued", ""


def dispatch_due(database: Database, *, settings: Settings, now: datetime, batch_size: int = BATCH_SIZE) -> Dispatched:
    """Every reminder due by ``now``, batch after batch, until none is left."""
    total = Dispatched()
    while True:
        with database.transaction() as db:
            batch, count = _dispatch_batch(db, settings=settings, now=now, limit=batch_size)
        total.add(batch)
        if count < batch_size:
            return total


def _dispatch_batch(db: Session, *, settings: Settings, now: datetime, limit: int) -> tuple[Dispatched, int]:
    query = (
        select(Reminder.id, Reminder.key, Reminder.kind, Reminder.person_id, Reminder.due_at, Reminder.not_after, Reminder.timezone, Reminder.body)
        .where(Reminder.status == "pending", Reminder.due_at <= now)
        .order_by(Reminder.due_at, Reminder.id)
        .limit(limit)
    )
    if db.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    rows = db.connection().execute(query).all()
    if not rows:
        return Dispatched(), 0
    person_ids = list({row.person_id for row in rows})
    opted_out = set(db.scalars(select(Person.id).where(Person.id.in_(person_ids), Person.opted_out_at.is_not(None))))
    reachable = {pid: (i.channel, i.address) for pid, i in best_identities(db, person_ids).items()}
    local_times: dict[str, str] = {}
    grace = timedelta(minutes=settings.reminder_grace_minutes)
    outbound, decided, result = [], defaultdict(list), Dispatched()
    for row in rows:
        if row.timezone not in local_times:
            local_times[row.timezone] = clock_time(now, row.timezone)
        identity = reachable.get(row.person_id)
        status, why = decide(
            due_at=row.due_at, not_after=row.not_after, local_time=local_times[row.timezone], now=now,
            opted_out=row.person_id in opted_out, reachable=identity is not None, quiet=settings.quiet_hours,
            grace=UNLIMITED if row.kind == "digest" else grace,  # a late digest is still worth reading that day
        )  # fmt: skip
        decided[(status, why)].append(row.id)
        setattr(result, status, getattr(result, status) + 1)
        if status == "queued":
            assert identity is not None
            result.late += int(now - row.due_at > LATE)
            outbound.append({
                "idempotency_key": f"reminder:{row.key}", "person_id": row.person_id, "channel": identity[0],
                "address": identity[1], "purpose": "digest" if row.kind == "digest" else "reminder", "body": row.body, "status": "queued", "attempts": 0,
                "next_attempt_at": now, "provider_status": "", "error": "", "created_at": now,
            })  # fmt: skip
    insert_new(db, OutboundMessage, outbound)
    for (status, why), ids in decided.items():
        db.connection().execute(update(Reminder).where(Reminder.id.in_(ids)).values(status=status, note=why, processed_at=now))
    return result, len(rows)
