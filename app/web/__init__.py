"""The FastAPI app: health check, provider webhooks, the web chat simulator, and the background work.

``kawal serve`` runs all of it in one process: the web app, the outbox worker
(when a channel is configured), the reminder scheduler, and Telegram long
polling (when a bot token is set but no public URL).

Telegram's start is retried in the background (``app.telegram_start``), so an
unreachable Telegram never stops the rest; WhatsApp messages kept on disk while
the database was busy are handed to the pipeline every few seconds
(``app.inbound_spool``); a webhook that waited its bounded time for the database
answers 503 (``app.db_wait``).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from functools import partial
from pathlib import Path

from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles

from app import db_wait
from app.channels import Channels
from app.clock import Clock
from app.config import Settings
from app.db import Database
from app.db_wait import RETRY_AFTER_SECONDS, DatabaseBusy
from app.delivery import BEAT_SECONDS, DeliveryWorker
from app.heartbeats import Heartbeats
from app.leadership import SchedulerLeadership
from app.pipeline import Pipeline
from app.runtime import Runtime
from app.scheduler import ReminderJob, RetentionJob, start_scheduler
from app.telegram_polling import poll_telegram
from app.telegram_start import TelegramState, start_then
from app.web import console, health, media, observability, webhooks

log = logging.getLogger(__name__)
STATIC = Path(__file__).resolve().parent / "static"
SPOOL_DRAIN_SECONDS = 5.0
SPOOL_GRACE_SECONDS = 5.0
SETTLE_SECONDS = 30.0  # at shutdown, work left going on after a 503 gets this long to finish


def create_app(
    settings: Settings, *, clock: Clock | None = None, database: Database | None = None, background: bool = True,
    long_running: bool = False,
) -> FastAPI:
    """The app; ``background=False`` leaves out the worker and polling (for tests that drive them);
    ``long_running`` (``kawal serve``): the objects that live as long as the process are frozen (``Runtime.build``)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        db = database or Database(settings)
        app_clock = clock or Clock()
        pipeline = Pipeline(db, Runtime.build(settings, db, in_background=True, freeze_when_read=long_running))
        channels = Channels.build(settings, db, pipeline, app_clock)
        app.state.settings, app.state.clock, app.state.database = settings, app_clock, db
        app.state.pipeline, app.state.channels = pipeline, channels
        app.state.telegram = TelegramState() if channels.bot is not None else None
        stop = asyncio.Event()
        heartbeats = app.state.heartbeats = Heartbeats()
        tasks = _background_tasks(channels, stop, heartbeats) if background else []
        if app.state.telegram is not None:  # never awaited here: an unreachable Telegram must not stop the start
            tasks.append(_telegram_start(channels, app.state.telegram, stop, polling=background))
        scheduler = None
        job = app.state.reminder_job = ReminderJob(db, settings, app_clock, pipeline.runtime.translators)
        leadership = app.state.scheduler_leadership = SchedulerLeadership(db)
        if background and settings.scheduler_enabled:
            job.beat = partial(heartbeats.beat, "scheduler")
            retention = RetentionJob(db, settings, app_clock)
            await asyncio.to_thread(leadership.holds)  # /readyz says at once whether this process runs the jobs
            scheduler = start_scheduler(job, settings.scheduler_interval_seconds, retention, leads=leadership.holds)
            heartbeats.expect("scheduler", interval=settings.scheduler_interval_seconds, alive=lambda: scheduler is not None and scheduler.running)
            log.info("reminder scheduler started (every %s s)", settings.scheduler_interval_seconds)
        pipeline.runtime.start_reading()
        yield
        if scheduler is not None:
            scheduler.shutdown(wait=True)
            leadership.release()
        stop.set()
        for task in tasks:
            try:
                await asyncio.wait_for(task, timeout=10)
            except (TimeoutError, asyncio.CancelledError):
                task.cancel()
                with suppress(asyncio.CancelledError):
                    await task
        await db_wait.settle(SETTLE_SECONDS)
        await channels.close()
        await asyncio.to_thread(pipeline.runtime.close)
        if database is None:
            db.dispose()

    app = FastAPI(title="Kawal Bansos", lifespan=lifespan, docs_url=None, redoc_url=None)
    app.add_exception_handler(DatabaseBusy, _database_busy)
    app.include_router(health.router)
    app.include_router(observability.router)
    app.include_router(webhooks.router)
    app.include_router(media.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    console.install(app)
    if settings.simulator_enabled:  # off in production: not even imported
        from app.web import simulator

        app.include_router(simulator.router)
    return app


def _background_tasks(channels: Channels, stop: asyncio.Event, heartbeats: Heartbeats) -> list[asyncio.Task[None]]:
    tasks = []
    senders = channels.senders()
    if senders:
        worker = DeliveryWorker(channels.database, channels.settings, senders, channels.limiters(), channels.clock,
                                beat=partial(heartbeats.beat, "delivery"))  # fmt: skip
        task = asyncio.create_task(worker.run(stop), name="outbox-worker")
        heartbeats.expect("delivery", interval=BEAT_SECONDS, alive=lambda: not task.done())
        tasks.append(task)
        log.info("outbox worker started for %s", ", ".join(sorted(senders)))
    if channels.whatsapp is not None:
        tasks.append(asyncio.create_task(_drain_spool(channels, stop), name="whatsapp-spool"))
    return tasks


async def _database_busy(request: Request, error: Exception) -> Response:
    """503 after the bounded wait (``app.db_wait``): Telegram delivers the update again, Twilio tries its fallback URL."""
    log.warning("database busy: %s %s answered 503", request.method, request.url.path)
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS)}
    return JSONResponse({"error": "database busy, try again"}, status_code=503, headers=headers)


async def _drain_spool(channels: Channels, stop: asyncio.Event) -> None:
    """Hand WhatsApp messages left on disk (a busy database, a crash) to the pipeline, at start and then every few s."""
    older_than = channels.settings.webhook_db_wait_seconds + SPOOL_GRACE_SECONDS  # their own request is over by then
    while True:
        try:
            handled = await channels.spool.drain(channels.handle_whatsapp_now, older_than=older_than, now=time.time())
        except Exception:  # the files stay; tried again on the next round
            log.exception("draining the WhatsApp spool failed")
            handled = 0
        if handled:
            log.info("%d WhatsApp message(s) handled from the spool", handled)
        try:
            await asyncio.wait_for(stop.wait(), timeout=SPOOL_DRAIN_SECONDS)
            return
        except TimeoutError:
            pass


def _telegram_start(channels: Channels, state: TelegramState, stop: asyncio.Event, *, polling: bool) -> asyncio.Task[None]:
    """getMe (and setWebhook), retried until Telegram answers; then long polling when there is no public URL."""
    assert channels.bot is not None
    then = partial(_poll_telegram, channels, stop) if polling and channels.settings.telegram_polling else None
    return asyncio.create_task(start_then(channels.bot, channels.settings, state, stop, then), name="telegram-start")


async def _poll_telegram(channels: Channels, stop: asyncio.Event) -> None:
    log.info("telegram long polling started (no KAWAL_PUBLIC_BASE_URL set)")
    await poll_telegram(channels, stop)
