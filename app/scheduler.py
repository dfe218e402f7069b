"""The reminder scheduler: APScheduler, used only as a clock, runs one job every few seconds.

The job plans the companions' morning lists of overdue cases and the Monday
digests (``app/digest``), and moves every due reminder into the outbox (``app/reminders``). All state is in the
database, so the job can run in several processes, be killed and restarted,
or see the clock jump: a reminder is sent once, or dropped with a record.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.interval import IntervalTrigger

from app.clock import Clock
from app.config import Settings
from app.db import Database
from app.digest.service import plan_weekly_digests
from app.media import MediaStore
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

    def run(self) -> Dispatched:
        now = self.clock.now()
        media = MediaStore(self.settings.media_dir, self.settings.media_max_bytes)
        with self.database.transaction() as db:
            planned = plan_overdue_reminders(db, settings=self.settings, translators=self.translators, now=now)
            planned += plan_unassigned_reminders(db, settings=self.settings, translators=self.translators, now=now)
        planned += plan_weekly_digests(self.database, settings=self.settings, translators=self.translators, media=media, now=now)
        dispatched = dispatch_due(self.database, settings=self.settings, now=now)
        if planned or dispatched.total:
            log.info(
                "reminders: %d planned, %d queued, %d skipped, %d dropped",
                planned, dispatched.queued, dispatched.skipped, dispatched.dropped,
            )  # fmt: skip
        return dispatched


def start_scheduler(job: ReminderJob, interval_seconds: float) -> BackgroundScheduler:
    """Run ``job`` now and then every ``interval_seconds``; a run still going when the next is due is not doubled."""
    scheduler = BackgroundScheduler(timezone=UTC)
    scheduler.add_job(
        job.run, IntervalTrigger(seconds=interval_seconds), id="reminders", max_instances=1, coalesce=True,
        next_run_time=datetime.now(UTC), misfire_grace_time=None,
    )  # fmt: skip
    scheduler.start()
    return scheduler
