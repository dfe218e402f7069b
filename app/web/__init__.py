"""The FastAPI app: health check, provider webhooks, the web chat simulator, and the background work.

``kawal serve`` runs all of it in one process: the web app, the outbox worker
(when a channel is configured), the reminder scheduler, and Telegram long
polling (when a bot token is set but no public URL).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from app.channels import Channels
from app.clock import Clock
from app.config import Settings
from app.db import Database
from app.delivery import DeliveryWorker
from app.pipeline import Pipeline
from app.runtime import Runtime
from app.scheduler import ReminderJob, start_scheduler
from app.telegram_polling import poll_telegram
from app.web import console, health, media, simulator, webhooks

log = logging.getLogger(__name__)
STATIC = Path(__file__).resolve().parent / "static"


def create_app(
    settings: Settings, *, clock: Clock | None = None, database: Database | None = None, background: bool = True
) -> FastAPI:
    """The app; ``background=False`` leaves out the worker and polling (for tests that drive them)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        db = database or Database(settings)
        app_clock = clock or Clock()
        pipeline = Pipeline(db, Runtime.build(settings, db))
        channels = Channels.build(settings, db, pipeline, app_clock)
        app.state.settings, app.state.clock, app.state.database = settings, app_clock, db
        app.state.pipeline, app.state.channels = pipeline, channels
        if channels.bot is not None:
            await channels.bot.initialize()
        stop = asyncio.Event()
        tasks = _background_tasks(channels, stop) if background else []
        scheduler = None
        job = app.state.reminder_job = ReminderJob(db, settings, app_clock, pipeline.runtime.translators)
        if background and settings.scheduler_enabled:
            scheduler = start_scheduler(job, settings.scheduler_interval_seconds)
            log.info("reminder scheduler started (every %s s)", settings.scheduler_interval_seconds)
        yield
        if scheduler is not None:
            scheduler.shutdown(wait=True)
        stop.set()
        for task in tasks:
            try:
                await asyncio.wait_for(task, timeout=10)
            except (TimeoutError, asyncio.CancelledError):
                task.cancel()
                with suppress(asyncio.CancelledError):
                    await task
        await channels.close()
        if database is None:
            db.dispose()

    app = FastAPI(title="Kawal Bansos", lifespan=lifespan, docs_url=None, redoc_url=None)
    app.include_router(health.router)
    app.include_router(webhooks.router)
    app.include_router(media.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    console.install(app)
    if settings.simulator_enabled:
        app.include_router(simulator.router)
    return app


def _background_tasks(channels: Channels, stop: asyncio.Event) -> list[asyncio.Task[None]]:
    tasks = []
    senders = channels.senders()
    if senders:
        worker = DeliveryWorker(channels.database, channels.settings, senders, channels.limiters(), channels.clock)
        tasks.append(asyncio.create_task(worker.run(stop), name="outbox-worker"))
        log.info("outbox worker started for %s", ", ".join(sorted(senders)))
    if channels.settings.telegram_polling:
        tasks.append(asyncio.create_task(poll_telegram(channels, stop), name="telegram-polling"))
        log.info("telegram long polling started (no KAWAL_PUBLIC_BASE_URL set)")
    return tasks
