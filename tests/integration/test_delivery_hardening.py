"""Delivery through a stalled database, a provider outage, an ambiguous provider answer, and two workers at once.

The real twilio client talks to the local fake (``tests/fakes``); the database is the test one (SQLite, and
PostgreSQL when configured).
"""

from __future__ import annotations

import asyncio
import itertools
import math
import socket
import sqlite3
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import httpx
import pytest
import requests
from sqlalchemy import select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session
from telegram.error import NetworkError, RetryAfter, TimedOut
from twilio.base.exceptions import TwilioRestException

import app.delivery
from app.channels import Channels
from app.db import Database
from app.delivery import DeliveryWorker, RateLimiter
from app.delivery_limits import SharedRateLimit
from app.models import ChannelIdentity, OutboundMessage, Person, Reminder
from app.models.delivery import DeliverySlot
from app.pipeline import Pipeline
from bot.delivery import TransientFailure, may_have_arrived
from bot.telegram_http import NotSent
from tests.conftest import FIXED_NOW
from tests.integration.channel_setup import (
    SteppingClock,
    channel_settings,
    outbox,
    run_worker,
)

PHONE = "+6285712345678"


@pytest.fixture
def wa_settings(settings, fake_twilio):  # type: ignore[no-untyped-def]
    return channel_settings(settings, fake_twilio=fake_twilio)


@pytest.fixture(autouse=True)
def short_database_pauses(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(app.delivery, "DATABASE_PAUSE_SECONDS", 0.01)


def queue_whatsapp(database: Database, count: int, *, distinct_chats: bool = False) -> None:
    """``count`` replies waiting, to one person or (``distinct_chats``) each to its own, inside the 24-hour window."""
    with database.transaction() as db:
        for n in range(count):
            if n == 0 or distinct_chats:
                phone = PHONE if not distinct_chats else f"+62857000{n:05d}"
                person = Person(display_name=f"p{n}", locale="id", created_at=FIXED_NOW)
                db.add(person)
                db.flush()
                db.add(ChannelIdentity(person_id=person.id, channel="whatsapp", address=phone, created_at=FIXED_NOW, last_inbound_at=FIXED_NOW))
            db.add(
                OutboundMessage(
                    idempotency_key=f"k{n}", person_id=person.id, channel="whatsapp", address=phone, purpose="reply",
                    body={"text": f"pesan {n}", "options": [], "media": []}, status="queued", attempts=0,
                    next_attempt_at=FIXED_NOW, created_at=FIXED_NOW,
                )
            )  # fmt: skip


# -- a stalled database ------------------------------------------------------------------------------------


class StallingDatabase(Database):
    """The test database, whose next ``stall(n)`` transactions fail as a held SQLite write lock makes them fail."""

    def __init__(self, settings) -> None:  # type: ignore[no-untyped-def]
        super().__init__(settings)
        self.stalls = 0
        self.refused = 0

    def stall(self, times: int) -> None:
        self.stalls = times

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        if self.stalls > 0:
            self.stalls -= 1
            self.refused += 1
            raise OperationalError("BEGIN IMMEDIATE", {}, sqlite3.OperationalError("database is locked"))
        with super().transaction() as db:
            yield db


def deliver_with(settings, database, runtime, clock, stall_when: str, times: int) -> None:  # type: ignore[no-untyped-def]
    """Deliver one batch with the database stalling ``times`` transactions at ``stall_when``."""

    async def scenario() -> None:
        channels = Channels.build(settings, database, Pipeline(database, runtime), clock)
        senders = channels.senders()
        send = senders["whatsapp"]

        async def send_then_stall(address: str, body: Any, template: str) -> str:
            if stall_when == "before recording a failure":
                database.stall(times)
            provider_id = await send(address, body, template)
            if stall_when == "after sending":
                database.stall(times)
            return provider_id

        try:
            worker = DeliveryWorker(database, settings, {"whatsapp": send_then_stall}, channels.limiters(), clock)
            [row] = await asyncio.to_thread(worker.claim, 10)
            if stall_when == "before marking sending":
                database.stall(times)
            await worker._deliver_claimed([row])
        finally:
            await channels.close()

    asyncio.run(scenario())


@pytest.mark.parametrize("stall_when", ["before marking sending", "after sending", "before recording a failure"])
@pytest.mark.parametrize("times", [1, 3])
def test_a_stalled_database_never_fails_a_message_nor_sends_it_twice(wa_settings, runtime, fake_twilio, stall_when, times) -> None:  # type: ignore[no-untyped-def]
    database = StallingDatabase(wa_settings)
    try:
        queue_whatsapp(database, 1)
        if stall_when == "before recording a failure":
            fake_twilio.fail_next(429, retry_after=3)  # refused: nothing reached the provider
        deliver_with(wa_settings, database, runtime, SteppingClock(), stall_when, times)
        assert database.refused == times
        [row] = outbox(database)
        if stall_when == "before recording a failure":
            assert (row.status, row.next_attempt_at) == ("queued", FIXED_NOW + timedelta(seconds=3))
            assert fake_twilio.messages == []
        else:
            assert row.status == "sent" and row.error == ""
            [message] = fake_twilio.messages
            assert row.provider_message_id == message.sid
    finally:
        database.dispose()


# -- an outage of minutes, and the retry window ------------------------------------------------------------


def closed_port_url() -> str:
    """A local address where nothing listens: connection refused, as when the provider is unreachable."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def test_a_five_minute_outage_loses_no_message(wa_settings, database, runtime, fake_twilio) -> None:  # type: ignore[no-untyped-def]
    queue_whatsapp(database, 1)
    outage = wa_settings.model_copy(update={"twilio_api_url": closed_port_url()})
    clock = SteppingClock()
    tries = 0
    while clock.now() < FIXED_NOW + timedelta(minutes=5):
        run_worker(outage, database, runtime, clock, lambda w: w.deliver_batch())
        tries += 1
        [row] = outbox(database)
        assert row.status == "queued" and "network error" in row.error, (tries, row.status, row.error)
        clock.advance(seconds=(row.next_attempt_at - clock.now()).total_seconds())
    assert tries >= 8  # more than the old cap of 8 attempts (about 4 minutes), which failed the message for good
    run_worker(wa_settings, database, runtime, clock, lambda w: w.deliver_batch())
    [row] = outbox(database)
    assert row.status == "sent" and row.ambiguous_failures == 0  # refused connections are not ambiguous
    assert len(fake_twilio.messages) == 1


def test_retries_last_the_retry_window_then_fail_with_the_reason(settings, database) -> None:  # type: ignore[no-untyped-def]
    queue_whatsapp(database, 1)
    settings = settings.model_copy(update={"outbox_retry_hours": 3.0})
    clock = SteppingClock()

    async def refused(address: str, body: Any, template: str) -> str:
        raise TransientFailure("Twilio network error: connection refused", ambiguous=False)

    async def scenario() -> int:
        worker = DeliveryWorker(database, settings, {"whatsapp": refused}, {"whatsapp": RateLimiter(1000, 0)}, clock)
        attempts = 0
        while (await worker.deliver_batch()) == 1:
            attempts += 1
            [row] = outbox(database)
            if row.status == "queued":
                assert row.next_attempt_at <= FIXED_NOW + timedelta(hours=3)
                clock.advance(seconds=(row.next_attempt_at - clock.now()).total_seconds())
        return attempts

    attempts = asyncio.run(scenario())
    [row] = outbox(database)
    assert row.status == "failed" and row.error == f"gave up after {attempts} attempts in 3 hours: Twilio network error: connection refused"
    assert FIXED_NOW + timedelta(hours=3) - timedelta(minutes=10) <= clock.now() <= FIXED_NOW + timedelta(hours=3)
    assert attempts > 8


def test_a_reminder_retried_past_its_meeting_is_dropped_not_sent(settings, database) -> None:  # type: ignore[no-untyped-def]
    queue_whatsapp(database, 1)
    with database.transaction() as db:
        [row] = db.query(OutboundMessage).all()
        row.idempotency_key, row.purpose = "reminder:meeting-7:person-1:morning", "reminder"
        db.add(
            Reminder(
                key="meeting-7:person-1:morning", person_id=row.person_id, kind="meeting_morning", due_at=FIXED_NOW,
                not_after=FIXED_NOW + timedelta(minutes=30), timezone="Asia/Jakarta", body=row.body, status="queued",
                created_at=FIXED_NOW, processed_at=FIXED_NOW,
            )
        )  # fmt: skip
    clock = SteppingClock()
    sent: list[str] = []

    async def down_then_up(address: str, body: Any, template: str) -> str:
        if clock.now() < FIXED_NOW + timedelta(hours=1):
            raise TransientFailure("Twilio network error: connection refused", ambiguous=False)
        sent.append(address)
        return "SM1"

    async def scenario() -> None:
        worker = DeliveryWorker(database, settings, {"whatsapp": down_then_up}, {"whatsapp": RateLimiter(1000, 0)}, clock)
        while await worker.deliver_batch():
            [row] = outbox(database)
            if row.status == "queued":
                clock.advance(seconds=(row.next_attempt_at - clock.now()).total_seconds())

    asyncio.run(scenario())
    [row] = outbox(database)
    assert sent == [] and row.status == "failed" and row.error == "too late: the meeting this reminder is about has begun"
    assert clock.now() >= FIXED_NOW + timedelta(minutes=30)


# -- a provider that accepts, then answers 500 or hangs ---------------------------------------------------


def deliver_rounds(settings, database, runtime, clock, rounds: int, timeout: float | None = None) -> None:  # type: ignore[no-untyped-def]
    """``rounds`` batches an hour apart (every backoff has passed), with the Twilio client's timeout set."""

    async def scenario() -> None:
        channels = Channels.build(settings, database, Pipeline(database, runtime), clock)
        if timeout is not None:
            assert channels.whatsapp is not None
            channels.whatsapp.http.timeout = timeout
        try:
            worker = DeliveryWorker(database, settings, channels.senders(), channels.limiters(), clock)
            for _ in range(rounds):
                await worker.deliver_batch()
                clock.advance(hours=1)
        finally:
            await channels.close()

    asyncio.run(scenario())


@pytest.mark.parametrize("answer", ["accepted then 500", "accepted then no answer before the client's timeout"])
def test_an_ambiguous_answer_is_retried_once_then_left_unconfirmed(wa_settings, database, runtime, fake_twilio, answer) -> None:  # type: ignore[no-untyped-def]
    queue_whatsapp(database, 20, distinct_chats=True)
    if answer == "accepted then 500":
        fake_twilio.fail_next(500, times=1000, accept=True)
        timeout = None
    else:
        fake_twilio.fail_next(500, times=1000, accept=True, hang=1.0)
        timeout = 0.3
    deliver_rounds(wa_settings, database, runtime, SteppingClock(), rounds=4, timeout=timeout)
    retries = wa_settings.outbox_ambiguous_retries
    assert retries == 1
    assert len(fake_twilio.messages) == 20 * (1 + retries)  # was 20 × 8: every attempt reached the phone
    rows = outbox(database)
    assert [(row.status, row.ambiguous_failures) for row in rows] == [("unconfirmed", 2)] * 20
    for row in rows:  # not silently lost: the reason says it may have arrived and was not sent again
        assert row.error.startswith("the provider may have accepted it") and "Twilio" in row.error
        assert ("Twilio 500" in row.error) is (timeout is None)  # the other case is the client's own time limit


def test_an_ambiguous_answer_then_success_sends_at_most_twice(wa_settings, database, runtime, fake_twilio) -> None:  # type: ignore[no-untyped-def]
    queue_whatsapp(database, 20, distinct_chats=True)
    fake_twilio.fail_next(500, times=20, accept=True)
    deliver_rounds(wa_settings, database, runtime, SteppingClock(), rounds=3)
    assert len(fake_twilio.messages) == 40
    assert {(row.status, row.ambiguous_failures) for row in outbox(database)} == {("sent", 1)}


def test_a_refusal_is_retried_beyond_the_ambiguous_limit(wa_settings, database, runtime, fake_twilio) -> None:  # type: ignore[no-untyped-def]
    queue_whatsapp(database, 1)
    fake_twilio.fail_next(429, retry_after=1, times=2)  # more refusals than ambiguous retries allowed
    deliver_rounds(wa_settings, database, runtime, SteppingClock(), rounds=3)
    [row] = outbox(database)
    assert (row.status, row.attempts, row.ambiguous_failures) == ("sent", 3, 0)
    assert len(fake_twilio.messages) == 1


def failure_caused_by(*errors: BaseException) -> TransientFailure:
    """A ``TransientFailure`` raised from ``errors[0]``, itself raised from ``errors[1]``, and so on (as senders do)."""
    failure = TransientFailure("send failed")
    chain = [failure, *errors]
    for outer, inner in itertools.pairwise(chain):
        outer.__cause__ = inner
    return failure


def test_which_failures_may_have_reached_the_provider() -> None:
    with pytest.raises(requests.ConnectionError) as refused:
        requests.post(closed_port_url(), timeout=2)
    # cannot have reached the provider: retried for the whole window
    assert not may_have_arrived(failure_caused_by(refused.value))  # connection refused (requests, as Twilio's client)
    assert not may_have_arrived(failure_caused_by(requests.ConnectTimeout("connect timed out")))
    assert not may_have_arrived(failure_caused_by(TwilioRestException(429, "/Messages.json", "Too Many Requests")))
    assert not may_have_arrived(failure_caused_by(TwilioRestException(400, "/Messages.json", "Bad Request")))
    assert not may_have_arrived(failure_caused_by(NetworkError("httpx.ConnectError"), httpx.ConnectError("refused")))
    assert not may_have_arrived(failure_caused_by(TimedOut(), httpx.ConnectTimeout("no answer to SYN")))
    assert not may_have_arrived(failure_caused_by(TimedOut("Pool timeout"), httpx.PoolTimeout("pool full")))
    assert not may_have_arrived(failure_caused_by(RetryAfter(7)))
    assert not may_have_arrived(failure_caused_by(NotSent("aiohttp.ClientConnectorError: refused")))  # Telegram
    assert not may_have_arrived(TransientFailure("Telegram 429", retry_after=7.0))
    # may have been accepted: retried only KAWAL_OUTBOX_AMBIGUOUS_RETRIES times
    assert may_have_arrived(failure_caused_by(requests.ReadTimeout("read timed out")))
    assert may_have_arrived(failure_caused_by(TwilioRestException(500, "/Messages.json", "Internal Server Error")))
    assert may_have_arrived(failure_caused_by(TimedOut(), httpx.ReadTimeout("no answer")))
    assert may_have_arrived(failure_caused_by(NetworkError("Bad Gateway")))  # Telegram 5xx
    assert may_have_arrived(failure_caused_by(NetworkError("x"), httpx.RemoteProtocolError("Server disconnected")))
    assert may_have_arrived(TransientFailure("no cause known"))
    # a sender that knows says so
    assert may_have_arrived(TransientFailure("said so", ambiguous=True))
    assert not may_have_arrived(TransientFailure("said so", ambiguous=False))


# -- one rate for every delivering process -----------------------------------------------------------------


def test_bookings_from_two_processes_share_each_second(settings) -> None:  # type: ignore[no-untyped-def]
    databases = [Database(settings), Database(settings)]
    try:
        limit = SharedRateLimit("whatsapp", 3, wall_clock=lambda: 1_800_000_000.5)
        moments = []
        for n in range(7):
            with databases[n % 2].transaction() as db:
                moments.append(limit.book(db))
        assert moments == [
            1_800_000_000.5, 1_800_000_000.5 + 0, 1_800_000_000 + 2 / 3,  # the rest of this second: 3 places
            1_800_000_001, 1_800_000_001 + 1 / 3, 1_800_000_001 + 2 / 3,
            1_800_000_002,
        ]  # fmt: skip
    finally:
        for db in databases:
            db.dispose()


def test_two_delivery_workers_together_keep_the_whatsapp_rate(settings, runtime, fake_twilio) -> None:  # type: ignore[no-untyped-def]
    rate = 10
    shared = channel_settings(settings, fake_twilio=fake_twilio, whatsapp_messages_per_second=rate)
    databases = [Database(shared), Database(shared)]
    queue_whatsapp(databases[0], 40, distinct_chats=True)
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def worker_process(database: Database) -> None:
        async def scenario() -> None:
            clock = SteppingClock()
            channels = Channels.build(shared, database, Pipeline(database, runtime), clock)
            try:
                worker = DeliveryWorker(database, shared, channels.senders(), channels.limiters(), clock)
                start.wait()
                while await worker.deliver_batch(limit=5):
                    pass
            finally:
                await channels.close()

        try:
            asyncio.run(scenario())
        except BaseException as error:  # noqa: BLE001 - reported by the test below
            errors.append(error)

    threads = [threading.Thread(target=worker_process, args=(db,)) for db in databases]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        assert {row.status for row in outbox(databases[0])} == {"sent"}
    finally:
        for db in databases:
            db.dispose()
    sends = [call for call in fake_twilio.calls if call.method == "POST"]
    assert len(sends) == 40 and len(fake_twilio.messages) == 40
    checking = Database(shared)
    try:
        with checking.transaction() as db:  # every send booked its place in a second shared by both processes
            booked = list(db.scalars(select(DeliverySlot.used).where(DeliverySlot.channel == "whatsapp")))
    finally:
        checking.dispose()
    assert sum(booked) == 40 and max(booked) <= rate
    # what the provider saw: at most the rate in any second, give or take a request that crossed a second's edge
    # on its way (two unshared processes sent twice the rate)
    per_second = Counter(math.floor(call.wall_at) for call in sends)
    assert max(per_second.values()) <= rate + 2, sorted(per_second.items())
