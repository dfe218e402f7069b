"""Moving due reminders into the outbox, exactly once, in batches.

Each batch is one transaction: the due rows are read (on PostgreSQL locked with
``SKIP LOCKED``, so a second scheduler takes other rows), each is decided —
queued, skipped (opted out, unreachable) or dropped (missed beyond the grace
period, in quiet hours, or after its meeting began) — and the outbox rows are
inserted under the key ``reminder:<key>``, which cannot exist twice. A crash
rolls the batch back and the next run does it again.

On PostgreSQL the outbox rows are copied from the reminders by the server
(``INSERT … SELECT`` over arrays of ids, channels and addresses) and the
reminders marked by ``id = ANY(array)``: statements that do not grow with the
batch, and no body read into Python and written back.
"""

from __future__ import annotations

from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import BigInteger, String, any_, bindparam, select, text, update
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session

from app.config import QuietHours, Settings
from app.db import Database, insert_new
from app.models import OutboundMessage, Person, Reminder
from app.people.reach import best_identities
from app.schedules.local_time import clock_time

BATCH_SIZE = 10_000  # big batches: far fewer page writes per reminder on a large SQLite file
CONNECTIONS_ON_POSTGRESQL = 2  # batches moved at once (SQLite has one writer: one at a time there)
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
    """Every reminder due by ``now``, batch after batch, until none is left.

    When there is more than a batch, on PostgreSQL ``CONNECTIONS_ON_POSTGRESQL`` connections move batches at once
    (``SKIP LOCKED`` gives each its own rows): while the server writes one batch, this process decides the next.
    Each stops at a batch short of ``batch_size``: what it did not see was locked by another, which sends it.
    """
    total, count = _dispatch_one(database, settings, now, batch_size)
    if count < batch_size:
        return total
    helpers = CONNECTIONS_ON_POSTGRESQL - 1 if database.engine.dialect.name == "postgresql" else 0
    with ThreadPoolExecutor(max_workers=max(1, helpers), thread_name_prefix="dispatch") as pool:
        others = [pool.submit(_dispatch_all, database, settings, now, batch_size) for _ in range(helpers)]
        total.add(_dispatch_all(database, settings, now, batch_size))
        for other in others:
            total.add(other.result())
    return total


def _dispatch_all(database: Database, settings: Settings, now: datetime, batch_size: int) -> Dispatched:
    total = Dispatched()
    while True:
        batch, count = _dispatch_one(database, settings, now, batch_size)
        total.add(batch)
        if count < batch_size:
            return total


def _dispatch_one(database: Database, settings: Settings, now: datetime, batch_size: int) -> tuple[Dispatched, int]:
    with database.transaction() as db:
        return _dispatch_batch(db, settings=settings, now=now, limit=batch_size)


QUEUE_ON_POSTGRESQL = text("""
    INSERT INTO outbound_messages (idempotency_key, person_id, channel, address, purpose, body, status, attempts,
                                   next_attempt_at, provider_status, error, created_at)
    SELECT 'reminder:' || r.key, r.person_id, q.channel, q.address,
           CASE WHEN r.kind = 'digest' THEN 'digest' ELSE 'reminder' END, r.body, 'queued', 0, :now, '', '', :now
    FROM unnest(:ids, :channels, :addresses) AS q(id, channel, address)
    JOIN reminders AS r ON r.id = q.id
    ON CONFLICT DO NOTHING
""").bindparams(
    bindparam("ids", type_=ARRAY(BigInteger)), bindparam("channels", type_=ARRAY(String)), bindparam("addresses", type_=ARRAY(String)),
)  # fmt: skip


def _dispatch_batch(db: Session, *, settings: Settings, now: datetime, limit: int) -> tuple[Dispatched, int]:
    on_postgresql = db.get_bind().dialect.name == "postgresql"
    columns = [Reminder.id, Reminder.key, Reminder.kind, Reminder.person_id, Reminder.due_at, Reminder.not_after, Reminder.timezone]
    query = (
        select(*columns, *([] if on_postgresql else [Reminder.body]))  # PostgreSQL copies the bodies itself
        .where(Reminder.status == "pending", Reminder.due_at <= now)
        .order_by(Reminder.due_at, Reminder.id)
        .limit(limit)
    )
    if on_postgresql:
        query = query.with_for_update(skip_locked=True)
    rows = db.connection().execute(query).all()
    if not rows:
        return Dispatched(), 0
    person_ids = list({row.person_id for row in rows})
    opted_out = set(db.scalars(select(Person.id).where(_among(Person.id, person_ids, on_postgresql), Person.opted_out_at.is_not(None))))
    reachable = {pid: (i.channel, i.address) for pid, i in best_identities(db, person_ids).items()}
    local_times: dict[str, str] = {}
    grace = timedelta(minutes=settings.reminder_grace_minutes)
    queued: list[tuple[Any, tuple[str, str]]] = []
    decided: dict[tuple[str, str], list[int]] = defaultdict(list)
    result = Dispatched()
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
            queued.append((row, identity))
    if on_postgresql:
        _queue_on_postgresql(db, queued, now)
    else:
        insert_new(db, OutboundMessage, [_outbound(row, identity, now) for row, identity in queued])
    for (status, why), ids in decided.items():
        db.connection().execute(update(Reminder).where(_among(Reminder.id, ids, on_postgresql)).values(status=status, note=why, processed_at=now))
    return result, len(rows)


def _among(column: Any, ids: list[int], on_postgresql: bool) -> Any:
    """``column IN (ids)``; on PostgreSQL ``column = ANY(array)``, one parameter however many ids (cheaper to send)."""
    return column == any_(bindparam(None, ids, type_=ARRAY(BigInteger))) if on_postgresql else column.in_(ids)


def _queue_on_postgresql(db: Session, queued: list[tuple[Any, tuple[str, str]]], now: datetime) -> None:
    if queued:
        ids, channels, addresses = ([row.id for row, _i in queued], [i[0] for _r, i in queued], [i[1] for _r, i in queued])
        db.connection().execute(QUEUE_ON_POSTGRESQL, {"ids": ids, "channels": channels, "addresses": addresses, "now": now})


def _outbound(row: Any, identity: tuple[str, str], now: datetime) -> dict[str, Any]:
    return {
        "idempotency_key": f"reminder:{row.key}", "person_id": row.person_id, "channel": identity[0], "address": identity[1],
        "purpose": "digest" if row.kind == "digest" else "reminder", "body": row.body, "status": "queued", "attempts": 0,
        "next_attempt_at": now, "provider_status": "", "error": "", "created_at": now,
    }  # fmt: skip
