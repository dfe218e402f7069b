"""The reminder scheduler: APScheduler, used only as a clock, runs one job every few seconds.

A second job, once a day, blanks old message texts (``app.privacy.retention``).

The reminder job plans the companions' morning lists of overdue cases and the Monday
digests (``app/digest``), and moves every due reminder into the outbox (``app/reminders``). All state is in the
database, so the job can run in several processes, be killed and restarted,
or see the clock jump: a reminder is sent once, or dropped with a record.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.interval import IntervalTrigger

from app import metrics
from app.clock import Clock
from app.config import Settings
from app.db import Database
from app.digest.service import plan_weekly_digests
from app.media import MediaStore
from app.privacy.retention import RetentionResult, apply_retention
from app.reminders.dispatch import Dispatched, dispatch_due
from app.reminders.planning import plan_overdue_reminders
from app.reminders.unassigned import plan_unassigned_reminders
from conversations.types import Translate

log = logging.getLogger(__name__)


@dataclass
class ReminderJob:
    database: Database
    settings: Settings
    clock: Clock
    translators: Mapping[str, Translate]
    beat: Callable[[], None] = field(default=lambda: None)  # after each run that ended well, for /readyz

    def run(self) -> Dispatched:
        now = self.clock.now()
        media = MediaStore(self.settings.media_dir, self.settings.media_max_bytes)
        with self.database.transaction() as db:
            planned = plan_overdue_reminders(db, settings=self.settings, translators=self.translators, now=now)
            planned += plan_unassigned_reminders(db, settings=self.settings, translators=self.translators, now=now)
        digests = plan_weekly_digests(self.database, settings=self.settings, translators=self.translators, media=media, now=now)
        planned += digests
        dispatched = dispatch_due(self.database, settings=self.settings, now=now)
        metrics.DIGESTS.inc(digests)
        for result in ("queued", "late", "skipped", "dropped"):
            metrics.REMINDERS.labels(result).inc(getattr(dispatched, result))
        metrics.REMINDERS.labels("due").inc(dispatched.total)
        self.beat()
        if planned or dispatched.total:
            log.info(
                "reminders: %d planned, %d queued, %d skipped, %d dropped",
                planned, dispatched.queued, dispatched.skipped, dispatched.dropped,
            )  # fmt: skip
        return dispatched


@dataclass
class RetentionJob:
    """Blanks the message texts older than ``KAWAL_RETENTION_DAYS`` (``app.privacy.retention``), once a day."""

    database: Database
    settings: Settings
    clock: Clock

    def run(self) -> RetentionResult:
        result = apply_retention(self.database, days=self.settings.retention_days, now=self.clock.now())
        if result.total:
            log.info(
                "retention: %d inbound, %d outbound, %d reminder texts older than %s blanked",
                result.inbound, result.outbound, result.reminders, result.cutoff.date().isoformat(),
            )  # fmt: skip
        return result


def start_scheduler(
    job: ReminderJob, interval_seconds: float, retention: RetentionJob | None = None,
    leads: Callable[[], bool] = lambda: True,
) -> BackgroundScheduler:  # fmt: skip
    """Run ``job`` now and then every ``interval_seconds``; a run still going when the next is due is not doubled.

    ``retention`` runs at the start and then every 24 hours. Both run only while ``leads()`` (``app.leadership``:
    one process of several on PostgreSQL); a process standing by still beats, for ``/readyz``."""

    def reminders() -> None:
        if leads():
            job.run()
        else:
            job.beat()

    def retain() -> None:
        if retention is not None and leads():
            retention.run()

    scheduler = BackgroundScheduler(timezone=UTC)
    scheduler.add_job(
        reminders, IntervalTrigger(seconds=interval_seconds), id="reminders", max_instances=1, coalesce=True,
        next_run_time=datetime.now(UTC), misfire_grace_time=None,
    )  # fmt: skip
    if retention is not None:
        scheduler.add_job(
            retain, IntervalTrigger(hours=24), id="retention", max_instances=1, coalesce=True,
            next_run_time=datetime.now(UTC), misfire_grace_time=None,
        )  # fmt: skip
    scheduler.start()
    return scheduler
