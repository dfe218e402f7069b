"""Telegram's start, retried in the background: the rest of the service serves while Telegram is unreachable.

Starting the bot asks Telegram who it is (``getMe``) and, with a public address,
registers the webhook (``setWebhook``); without one, long polling begins once
that works. If Telegram cannot be reached, ``kawal serve`` does not stop: WhatsApp,
the outbox and ``/healthz`` go on, this retries with a growing pause (1 s, 2 s,
4 s … at most a minute), and ``/healthz`` shows Telegram as ``starting`` until it
is ``ready``. A token Telegram rejects is not retried (``token rejected``).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta

from telegram import Bot
from telegram.error import InvalidToken, RetryAfter

from app.config import Settings
from bot.telegram import ALLOWED_UPDATES

log = logging.getLogger(__name__)
FIRST_PAUSE_SECONDS = 1.0
LONGEST_PAUSE_SECONDS = 60.0


@dataclass
class TelegramState:
    """What ``/healthz`` says about Telegram: ``starting``, ``ready`` or ``token rejected``; the last failure."""

    state: str = "starting"
    attempts: int = 0
    last_error: str = ""

    @property
    def ready(self) -> bool:
        return self.state == "ready"


def webhook_url(settings: Settings) -> str:
    """Where Telegram posts updates, when this service receives webhooks ("" when it polls instead)."""
    if settings.public_base_url and settings.telegram_webhook_secret:
        return f"{settings.public_base_url}/webhooks/telegram"
    return ""


async def start_telegram(
    bot: Bot,
    settings: Settings,
    state: TelegramState,
    stop: asyncio.Event,
    *,
    first_pause: float | None = None,
    longest_pause: float | None = None,
) -> bool:
    """Try ``getMe`` (and ``setWebhook``) until they work or ``stop`` is set; True once Telegram is ready."""
    pause = FIRST_PAUSE_SECONDS if first_pause is None else first_pause
    longest = LONGEST_PAUSE_SECONDS if longest_pause is None else longest_pause
    while not stop.is_set():
        state.attempts += 1
        try:
            await _start_once(bot, settings)
        except InvalidToken as error:
            state.state, state.last_error = "token rejected", type(error).__name__
            log.error("telegram rejected KAWAL_TELEGRAM_BOT_TOKEN; Telegram stays off until it is fixed")
            return False
        except Exception as error:  # noqa: BLE001 - whatever went wrong, the rest serves and this tries again
            state.last_error = type(error).__name__
            wait = _retry_after(error) or pause
            log.warning("telegram not reachable at start (%s); trying again in %.0f s", state.last_error, wait)
            if await _stopped_within(stop, wait):
                return False
            pause = min(pause * 2, longest)
            continue
        state.state, state.last_error = "ready", ""
        log.info("telegram ready after %d attempt(s)", state.attempts)
        return True
    return False


async def start_then(
    bot: Bot, settings: Settings, state: TelegramState, stop: asyncio.Event, then: Callable[[], Awaitable[None]] | None
) -> None:
    """Start Telegram, then (if given and started) run ``then``, e.g. long polling."""
    if await start_telegram(bot, settings, state, stop) and then is not None:
        await then()


async def _start_once(bot: Bot, settings: Settings) -> None:
    await bot.initialize()  # getMe; a failed attempt leaves the bot usable and is simply made again
    url = webhook_url(settings)
    if url:
        await bot.set_webhook(url, secret_token=settings.telegram_webhook_secret, allowed_updates=ALLOWED_UPDATES)


def _retry_after(error: Exception) -> float:
    if not isinstance(error, RetryAfter):
        return 0.0
    after = error.retry_after
    return after.total_seconds() if isinstance(after, timedelta) else float(after)


async def _stopped_within(stop: asyncio.Event, seconds: float) -> bool:
    try:
        await asyncio.wait_for(stop.wait(), timeout=seconds)
    except TimeoutError:
        return False
    return True
