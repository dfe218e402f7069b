"""Retention: message texts older than ``KAWAL_RETENTION_DAYS`` are blanked; the rows stay, so counts stay.

Blanked, for rows older than the cut-off:

- inbound messages (``received_at``): ``text`` emptied, ``payload`` replaced by ``{"erased": "retention"}``;
- outbox rows that are finished (``created_at``; sent, delivered, read, failed or unconfirmed): ``body`` replaced by
  the same marker. A row still ``queued``, ``claimed`` or ``sending`` is never touched;
- reminders already moved on (``due_at``; queued, skipped, dropped or cancelled): their ``body`` is a copy of the
  message, so it goes too. A ``pending`` reminder is never touched.

Media files are not deleted here: a photo or voice note received is evidence attached to a case, which is kept for
as long as the case (``kawal privacy erase`` removes those of a person). Cases themselves are not touched either.

Runs daily in ``kawal serve`` (``app.scheduler``) and on demand with ``kawal privacy retention [--dry-run]``. It
works in small batches, each its own transaction, so the pipeline is never held up for long, and a run again finds
nothing more to do (rows already blanked carry the marker). Each run that changed something writes one audit row
with the counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, func, select, update
from sqlalchemy.orm import InstrumentedAttribute

from app import audit
from app.db import Database, changed_rows
from app.models import InboundMessage, OutboundMessage, Reminder
from app.privacy.markers import ERASURE_MARKER, RETENTION_MARKER

UNFINISHED_OUTBOX = ("queued", "claimed", "sending")
BATCH = 1000


@dataclass(frozen=True)
class RetentionResult:
    cutoff: datetime
    inbound: int
    outbound: int
    reminders: int
    dry_run: bool = False

    @property
    def total(self) -> int:
        return self.inbound + self.outbound + self.reminders


def retention_cutoff(now: datetime, days: int) -> datetime:
    return now - timedelta(days=days)


def apply_retention(database: Database, *, days: int, now: datetime, dry_run: bool = False) -> RetentionResult:
    """Blank what is older than ``days`` (only count it with ``dry_run``); audited when anything changed."""
    cutoff = retention_cutoff(now, days)
    inbound_due = (InboundMessage.received_at < cutoff) & _not_blanked(InboundMessage.payload)
    outbound_due = (
        (OutboundMessage.created_at < cutoff)
        & OutboundMessage.status.not_in(UNFINISHED_OUTBOX)
        & _not_blanked(OutboundMessage.body)
    )
    reminders_due = (Reminder.due_at < cutoff) & (Reminder.status != "pending") & _not_blanked(Reminder.body)
    if dry_run:
        with database.transaction() as db:
            inbound, outbound, reminders = (db.scalar(select(func.count()).where(due)) or 0 for due in (inbound_due, outbound_due, reminders_due))
        return RetentionResult(cutoff, inbound, outbound, reminders, dry_run=True)
    inbound = _in_batches(database, InboundMessage.id, inbound_due, {"text": "", "payload": RETENTION_MARKER})
    outbound = _in_batches(database, OutboundMessage.id, outbound_due, {"body": RETENTION_MARKER})
    reminders = _in_batches(database, Reminder.id, reminders_due, {"body": RETENTION_MARKER})
    result = RetentionResult(cutoff, inbound, outbound, reminders)
    if result.total:
        with database.transaction() as db:
            audit.record(
                db, actor_id=None, action="retention_applied", subject_type="system", subject_id="retention", now=now,
                days=days, cutoff=cutoff.isoformat(), inbound=inbound, outbound=outbound, reminders=reminders,
            )  # fmt: skip
    return result


def _not_blanked(column: InstrumentedAttribute[Any]) -> ColumnElement[bool]:
    return (column != RETENTION_MARKER) & (column != ERASURE_MARKER)


def _in_batches(database: Database, key: InstrumentedAttribute[int], due: ColumnElement[bool], values: dict[str, Any]) -> int:
    """Update the rows ``due`` selects, ``BATCH`` at a time, each batch committed; how many were changed.

    The condition is checked again in the UPDATE, so a row that changed in between (an outbox row claimed) is left."""
    table = key.class_
    changed = 0
    while True:
        with database.transaction() as db:
            ids = list(db.scalars(select(key).where(due).order_by(key).limit(BATCH)))
            if not ids:
                return changed
            changed += changed_rows(db, update(table).where(key.in_(ids), due).values(**values).execution_options(synchronize_session=False))
        if len(ids) < BATCH:
            return changed

