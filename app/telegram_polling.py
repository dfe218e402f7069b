"""Long polling: the real Telegram bot from a laptop, with no public URL (``KAWAL_TELEGRAM_BOT_TOKEN`` only).

Updates fetched with ``getUpdates`` go through the same handling as webhook
updates, so a restart that fetches an update again does not process it twice.
"""

from __future__ import annotations

import asyncio
import logging

from telegram.error import Conflict, NetworkError, TelegramError

from app.channels import Channels, MediaUnavailable
from bot.telegram import ALLOWED_UPDATES

log = logging.getLogger(__name__)
POLL_TIMEOUT_SECONDS = 25
MEDIA_RETRY_SECONDS = 2


async def poll_telegram(channels: Channels, stop: asyncio.Event) -> None:
    bot = channels.bot
    assert bot is not None
    await bot.delete_webhook()  # Telegram refuses getUpdates while a webhook is set
    offset = 0
    failures = 0
    while not stop.is_set():
        try:
            updates = await bot.get_updates(offset=offset, timeout=POLL_TIMEOUT_SECONDS, allowed_updates=ALLOWED_UPDATES)
        except (NetworkError, Conflict, TelegramError) as error:
            failures += 1
            log.warning("telegram polling failed (%s); retrying", type(error).__name__)
            await _sleep(stop, min(2**failures, 60))
            continue
        failures = 0
        for update in updates:
            try:
                await channels.handle_telegram(update.to_dict())
            except MediaUnavailable:
                # a timeout or 5xx from Telegram: fetched again after a pause (a file refused for good
                # does not get here: its sender is asked to send it again and polling moves on)
                log.warning("media not available; the update will be fetched again")
                await _sleep(stop, MEDIA_RETRY_SECONDS)
                break
            except Exception:  # noqa: BLE001 - the pipeline has recorded it; polling goes on
                log.exception("handling a polled update failed")
            offset = update.update_id + 1
    if offset:
        await _confirm(channels, offset)


async def _confirm(channels: Channels, offset: int) -> None:
    """Tell Telegram the last updates were handled (they are confirmed by the next getUpdates' offset)."""
    assert channels.bot is not None
    try:
        await channels.bot.get_updates(offset=offset, timeout=0, allowed_updates=ALLOWED_UPDATES)
    except TelegramError:
        log.info("could not confirm the last updates; they will be fetched again and skipped as duplicates")


async def _sleep(stop: asyncio.Event, seconds: float) -> None:
    try:
        await asyncio.wait_for(stop.wait(), timeout=seconds)
    except TimeoutError:
        pass
