"""Outbox delivery rate: queued Telegram rows → the real ``DeliveryWorker`` → a local fake Bot API.

Run: ``make bench`` or ``.venv/bin/python -m benchmarks [--quick | --full]``.

A fresh SQLite file gets 10,000 queued Telegram replies (2,000 chats × 5 messages;
the same with ``--quick``, which only runs shorter) with their people and channel
identities, in one bulk insert. The rows are in a shuffled order (fixed seed), as
replies to many people arrive interleaved; each chat's five messages are numbered
in the order of their ids.

The worker is built as the service builds it (``Channels.build``, ``channels.senders()``,
``channels.limiters()``, ``bot.initialize()``: python-telegram-bot's real client)
with the default limits (``KAWAL_TELEGRAM_MESSAGES_PER_SECOND`` 28, under Telegram's 30, and
``KAWAL_TELEGRAM_SECONDS_PER_CHAT`` 1), and aimed at a local ``FakeTelegramApi``.
``worker.run(stop)`` runs for 10 s (30 s with ``--full``); then ``stop`` is set and
the worker finishes the batch it holds (up to 200 rows), so no message is left
half-sent.

Measured, from the arrival times (``time.monotonic``) the fake records for each
``sendMessage``: messages sent; the rate (count − 1) / (last − first); the most
messages that arrived within any 1-second sliding window; the closest two
messages to one chat. Target: the configured rate ± 5% (reported, met or NOT MET).

Checked (exit status 1 otherwise): no 1-second window holds more than Telegram's limit (30);
no two messages to one chat are closer than the per-chat limit; every sendMessage
was answered 200; no text arrived twice and each chat's messages arrived in order;
the database holds exactly as many ``sent`` rows as the fake accepted, none
``failed``, ``claimed`` or ``sending``, and the rest still ``queued``.
"""

from __future__ import annotations

import asyncio
import random
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, insert, select

from app.channels import Channels
from app.clock import Clock
from app.config import Settings, load_settings
from app.database_setup import upgrade_database
from app.db import Database
from app.delivery import DeliveryWorker
from app.models import ChannelIdentity, OutboundMessage, Person
from app.pipeline import Pipeline
from app.runtime import Runtime
from tests.fakes.telegram_api import Call, FakeTelegramApi

CHATS = 2000
PER_CHAT = 5
FULL_WINDOW, WINDOW, QUICK_WINDOW = 30.0, 10.0, 10.0  # --full, make bench, --quick
TOLERANCE = 0.05
SECRET_KEY = "bench-secret-key-123456"
TELEGRAM_TOKEN = "123456789:AAF-kawal-bansos-bench-token_0123456"
CHAT_BASE = 600_000_000
SEED = 20250303
TELEGRAM_LIMIT = 30
"""Telegram's own limit per second; the worker is configured under it (``KAWAL_TELEGRAM_MESSAGES_PER_SECOND``)."""


@dataclass(frozen=True)
class Figures:
    sent: int
    seconds: float
    rate: float
    busiest: int
    """The most messages that arrived within any 1-second window."""
    closest: float | None
    """The shortest time between two messages to one chat (None when no chat got two)."""
    closest_chat: int | str | None


# -- the queue ---------------------------------------------------------------------------------


def text(chat: int, number: int) -> str:
    return f"Pesan {number + 1} dari {PER_CHAT} untuk chat {CHAT_BASE + chat}: bantuan sosial, jadwal dan status."


def fill_outbox(database: Database, chats: int, clock: Clock) -> int:
    """People, their Telegram identities and ``chats`` × ``PER_CHAT`` queued replies, in shuffled order."""
    now = clock.now()
    order = [chat for chat in range(chats) for _ in range(PER_CHAT)]
    random.Random(SEED).shuffle(order)
    numbers: dict[int, int] = defaultdict(int)
    messages = []
    for chat in order:
        number = numbers[chat]
        numbers[chat] += 1
        messages.append(
            {
                "idempotency_key": f"bench:{CHAT_BASE + chat}:{number}",
                "person_id": chat + 1,
                "channel": "telegram",
                "address": str(CHAT_BASE + chat),
                "purpose": "reply",
                "body": {"text": text(chat, number), "options": [], "media": []},
                "status": "queued",
                "attempts": 0,
                "next_attempt_at": now - timedelta(seconds=1),
                "created_at": now,
            }
        )
    with database.transaction() as db:
        db.execute(
            insert(Person),
            [{"id": chat + 1, "display_name": f"Bench {chat}", "locale": "id", "created_at": now} for chat in range(chats)],
        )
        db.execute(
            insert(ChannelIdentity),
            [
                {
                    "person_id": chat + 1,
                    "channel": "telegram",
                    "address": str(CHAT_BASE + chat),
                    "last_inbound_at": now,
                    "created_at": now,
                }
                for chat in range(chats)
            ],
        )
        db.execute(insert(OutboundMessage), messages)
    return len(messages)


# -- the timed part ----------------------------------------------------------------------------


async def deliver(settings: Settings, database: Database, clock: Clock, window: float) -> float:
    """Run the real worker for ``window`` seconds, then stop it; returns how long the stop took."""
    channels = Channels.build(settings, database, Pipeline(database, Runtime.build(settings, database)), clock)
    assert channels.bot is not None
    await channels.bot.initialize()
    try:
        worker = DeliveryWorker(database, settings, channels.senders(), channels.limiters(), clock)
        stop = asyncio.Event()
        task = asyncio.create_task(worker.run(stop), name="bench-outbox-worker")
        await asyncio.sleep(window)
        stop.set()
        stopping = time.monotonic()
        await task  # the batch in hand is finished, never cut off halfway
        return time.monotonic() - stopping
    finally:
        await channels.close()


def busiest_window(times: list[float], width: float = 1.0) -> int:
    """The most arrivals within any half-open window [t, t + width)."""
    most, first = 0, 0
    for last, moment in enumerate(times):
        while moment - times[first] >= width:
            first += 1
        most = max(most, last - first + 1)
    return most


def figures(calls: list[Call]) -> Figures:
    times = sorted(call.at for call in calls)
    seconds = times[-1] - times[0] if len(times) > 1 else 0.0
    rate = (len(times) - 1) / seconds if seconds > 0 else 0.0
    by_chat: dict[int | str | None, list[float]] = defaultdict(list)
    for call in calls:
        by_chat[call.chat_id].append(call.at)
    closest, closest_chat = None, None
    for chat, moments in by_chat.items():
        moments.sort()
        for earlier, later in zip(moments, moments[1:], strict=False):
            if closest is None or later - earlier < closest:
                closest, closest_chat = later - earlier, chat
    return Figures(len(times), seconds, rate, busiest_window(times), closest, closest_chat)


def report(queued: int, settings: Settings, result: Figures, window: float, stopping: float) -> None:
    target = settings.telegram_messages_per_second
    met = abs(result.rate - target) <= TOLERANCE * target
    closest = f"{result.closest:.3f} s" if result.closest is not None else "n/a (no chat got two)"
    print(
        f"delivery telegram: {queued} queued; {result.sent} sent in {result.seconds:.1f} s = {result.rate:.1f} messages/s "
        f"(target {target:.0f}/s ± {TOLERANCE:.0%}: {'met' if met else 'NOT MET'}); "
        f"busiest second {result.busiest} (Telegram's limit {TELEGRAM_LIMIT}); closest two messages to one chat {closest} "
        f"(limit {settings.telegram_seconds_per_chat:.2f} s); ran {window:.0f} s, "
        f"the batch in hand took {stopping:.1f} s more to finish",
        flush=True,
    )


# -- the check ---------------------------------------------------------------------------------


def check(database: Database, settings: Settings, queued: int, calls: list[Call], result: Figures) -> list[str]:
    errors = []
    ok = [call for call in calls if call.ok]
    texts = [str(call.params.get("text")) for call in ok]
    out_of_order = 0
    seen: dict[int | str | None, int] = {}
    for call in sorted(ok, key=lambda call: call.at):
        number = int(str(call.params.get("text")).split()[1])
        if number <= seen.get(call.chat_id, 0):
            out_of_order += 1
        seen[call.chat_id] = number
    with database.transaction() as db:
        statuses = dict(
            db.execute(select(OutboundMessage.status, func.count(OutboundMessage.id)).group_by(OutboundMessage.status)).all()
        )
    print(
        f"  check: {len(ok)}/{len(calls)} sendMessage calls answered 200, {len(set(texts))} distinct texts, "
        f"{out_of_order} out of order in their chat; outbox rows by status {dict(sorted(statuses.items()))} "
        f"({statuses.get('sent', 0)} sent for {len(ok)} accepted by the fake)",
        flush=True,
    )
    if not calls:
        errors.append("nothing was sent")
    if len(ok) != len(calls):
        errors.append(f"{len(calls) - len(ok)} sendMessage calls were not answered 200")
    if len(set(texts)) != len(texts):
        errors.append(f"{len(texts) - len(set(texts))} messages were sent twice")
    if out_of_order:
        errors.append(f"{out_of_order} messages arrived before an earlier one to the same chat")
    if result.busiest > TELEGRAM_LIMIT:
        errors.append(f"{result.busiest} messages within one second, over Telegram's limit of {TELEGRAM_LIMIT}")
    if result.closest is not None and result.closest < settings.telegram_seconds_per_chat:
        errors.append(
            f"two messages to chat {result.closest_chat} {result.closest:.3f} s apart, "
            f"under the limit of {settings.telegram_seconds_per_chat:.2f} s"
        )
    if statuses.get("sent", 0) != len(ok):
        errors.append(f"{statuses.get('sent', 0)} rows sent, but the fake accepted {len(ok)}")
    left = {status: count for status, count in statuses.items() if status not in ("sent", "queued")}
    if left:
        errors.append(f"rows neither sent nor queued: {left}")
    if sum(statuses.values()) != queued:
        errors.append(f"{sum(statuses.values())} outbox rows, expected {queued}")
    return errors


def run(*, quick: bool = False, full: bool = False) -> int:
    chats, window = CHATS, FULL_WINDOW if full else QUICK_WINDOW if quick else WINDOW
    clock = Clock()
    with (
        tempfile.TemporaryDirectory(prefix="kawal-bench-") as name,
        FakeTelegramApi(token=TELEGRAM_TOKEN) as fake,
    ):
        directory = Path(name)
        settings = load_settings(
            database_url=f"sqlite:///{directory}/bench.db",
            secret_key=SECRET_KEY,
            media_dir=directory / "media",
            telegram_bot_token=TELEGRAM_TOKEN,
            telegram_api_url=fake.url,
            public_base_url="",
        )
        upgrade_database(settings)
        database = Database(settings)
        try:
            queued = fill_outbox(database, chats, clock)
            stopping = asyncio.run(deliver(settings, database, clock, window))
            calls = fake.calls_to("sendMessage")
            result = figures([call for call in calls if call.ok])
            report(queued, settings, result, window, stopping)
            errors = check(database, settings, queued, calls, result)
        finally:
            database.dispose()
        errors += [f"the fake Bot API raised: {error!r}" for error in fake.errors]
    for error in errors:
        print(f"  FAILED (delivery): {error}", file=sys.stderr)
    return 1 if errors else 0
