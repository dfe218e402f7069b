"""The FastAPI app: health check, the web chat simulator, and (as channels land) the webhooks."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from app.clock import Clock
from app.config import Settings
from app.db import Database
from app.pipeline import Pipeline
from app.runtime import Runtime
from app.web import health, simulator


def create_app(settings: Settings, *, clock: Clock | None = None, database: Database | None = None) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        db = database or Database(settings)
        app.state.settings = settings
        app.state.clock = clock or Clock()
        app.state.database = db
        app.state.pipeline = Pipeline(db, Runtime.build(settings, db))
        yield
        if database is None:
            db.dispose()

    app = FastAPI(title="Kawal Bansos", lifespan=lifespan, docs_url=None, redoc_url=None)
    app.include_router(health.router)
    if settings.simulator_enabled:
        app.include_router(simulator.router)
    return app
