"""Settings and helpers for channel tests: the real clients aimed at the local fake providers."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

from app.channels import Channels
from app.clock import Clock
from app.config import Settings
from app.db import Database
from app.delivery import DeliveryWorker
from app.models import OutboundMessage
from app.pipeline import Pipeline
from app.runtime import Runtime
from app.web import create_app
from tests.conftest import FIXED_NOW
from tests.fakes.fixtures import (
    TELEGRAM_TEST_TOKEN,
    TWILIO_TEST_ACCOUNT_SID,
    TWILIO_TEST_AUTH_TOKEN,
    TWILIO_TEST_WHATSAPP_FROM,
)

PUBLIC_URL = "https://kawal.example.org"
TELEGRAM_SECRET = "telegram-secret-0123456789"


class SteppingClock(Clock):
    """A clock the test moves by hand."""

    def __init__(self, now: datetime = FIXED_NOW) -> None:
        object.__setattr__(self, "moment", now)

    def now(self) -> datetime:
        return self.moment  # type: ignore[attr-defined,no-any-return]

    def advance(self, **delta: float) -> None:
        object.__setattr__(self, "moment", self.moment + timedelta(**delta))  # type: ignore[attr-defined]


def channel_settings(settings: Settings, fake_telegram=None, fake_twilio=None, **more: Any) -> Settings:  # type: ignore[no-untyped-def]
    update: dict[str, Any] = {"public_base_url": PUBLIC_URL, "outbox_poll_seconds": 0.05, **more}
    if fake_telegram is not None:
        update |= {
            "telegram_bot_token": TELEGRAM_TEST_TOKEN,
            "telegram_webhook_secret": TELEGRAM_SECRET,
            "telegram_api_url": fake_telegram.url,
        }
    if fake_twilio is not None:
        update |= {
            "twilio_account_sid": TWILIO_TEST_ACCOUNT_SID,
            "twilio_auth_token": TWILIO_TEST_AUTH_TOKEN,
            "twilio_whatsapp_from": TWILIO_TEST_WHATSAPP_FROM,
            "twilio_api_url": fake_twilio.url,
        }
    return settings.model_copy(update=update)


def web_client(settings: Settings, clock: Clock | None = None) -> TestClient:
    return TestClient(create_app(settings, clock=clock or SteppingClock(), background=False), base_url="http://testserver")


def outbox(database: Database, **where: Any) -> list[OutboundMessage]:
    with database.transaction() as db:
        query = select(OutboundMessage).order_by(OutboundMessage.id)
        for name, value in where.items():
            query = query.where(getattr(OutboundMessage, name) == value)
        return list(db.scalars(query))


def run_worker(
    settings: Settings, database: Database, runtime: Runtime, clock: Clock, action: Callable[[DeliveryWorker], Any]
) -> Any:
    """Build the channels and a worker in a fresh event loop, run ``action(worker)`` (a coroutine), close them."""

    async def scenario() -> Any:
        channels = Channels.build(settings, database, Pipeline(database, runtime), clock)
        if channels.bot is not None:
            await channels.bot.initialize()
        try:
            worker = DeliveryWorker(database, settings, channels.senders(), channels.limiters(), clock)
            return await action(worker)
        finally:
            await channels.close()

    return asyncio.run(scenario())
