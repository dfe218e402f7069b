"""The outbox worker rides out a stalled database and provider outages, bounds duplicates, shares the rate limit.

Time is simulated: the worker's clock, its rate limiters and its waits run on a
``VirtualClock`` that moves only when the worker sleeps or the test advances it,
so a 6-minute outage or a day of retries takes a moment. The providers are the
local fakes, spoken to by the real clients.
"""

from __future__ import annotations

import asyncio
import random
import socket
import threading
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings as hypothesis_settings, strategies as st
from sqlalchemy import event, select, update
from sqlalchemy.exc import OperationalError
from telegram import Bot
from telegram.request import HTTPXRequest

import app.delivery
from app.channels import Channels
from app.config import Settings
from app.db import Database
from app.delivery import DeliveryWorker, RateLimiter
from app.models import ChannelIdentity, OutboundMessage, Person, Reminder
from app.pipeline import Pipeline
from bot import whatsapp as wa
from bot.delivery import PermanentFailure, TransientFailure
from bot.telegram import TelegramSender
from tests.conftest import FIXED_NOW
from tests.fakes.fixtures import TELEGRAM_TEST_TOKEN, TWILIO_TEST_ACCOUNT_SID, TWILIO_TEST_AUTH_TOKEN
from tests.fakes.twilio_api import TwilioApiError
from tests.integration.channel_setup import SteppingClock, channel_settings, outbox

RATE = 10.0  # messages per second in the rate tests: small, so a simulated second holds few sends


class VirtualClock(SteppingClock):
    """The test's time: ``sleep`` moves it on at once, ``monotonic`` reads it (for the rate limiters)."""

    async def sleep(self, seconds: float) -> None:
        if seconds > 0:
            self.advance(seconds=seconds)
        await asyncio.sleep(0)

    def monotonic(self) -> float:
        return self.now().timestamp()


def limiters(clock: VirtualClock, per_second: float = 80.0) -> dict[str, RateLimiter]:
    return {
        channel: RateLimiter(per_second, 0.0, monotonic=clock.monotonic, sleep=clock.sleep)
        for channel in ("telegram", "whatsapp")
    }


def worker_on(database: Database, settings: Settings, senders: Any, clock: VirtualClock, per_second: float = 80.0) -> DeliveryWorker:
    return DeliveryWorker(
        database, settings, senders, limiters(clock, per_second), clock, sleep=clock.sleep, rng=random.Random(16)
    )


def queue(database: Database, count: int, channel: str = "whatsapp", *, chats: int | None = None, purpose: str = "reply") -> list[int]:
    """``count`` queued messages to ``chats`` people (one each by default), texts "m0", "m1", …; their ids."""
    chats = count if chats is None else chats
    with database.transaction() as db:
        identities = []
        for n in range(chats):
            person = Person(display_name=f"p{n}", locale="id", created_at=FIXED_NOW)
            db.add(person)
            db.flush()
            address = f"+62812000{n:05d}" if channel == "whatsapp" else str(7000 + n)
            identity = ChannelIdentity(person_id=person.id, channel=channel, address=address, last_inbound_at=FIXED_NOW, created_at=FIXED_NOW)
            db.add(identity)
            identities.append(identity)
        rows = [
            OutboundMessage(
                idempotency_key=f"test:{channel}:{n}", person_id=identities[n % chats].person_id, channel=channel,
                address=identities[n % chats].address, purpose=purpose, body={"text": f"m{n}", "options": [], "media": []},
                status="queued", attempts=0, next_attempt_at=FIXED_NOW, created_at=FIXED_NOW,
            )
            for n in range(count)
        ]  # fmt: skip
        db.add_all(rows)
        db.flush()
        return [row.id for row in rows]


def texts_sent(fake_twilio: Any) -> Counter[str]:
    """How many times each text was POSTed to Twilio (every request, answered or not)."""
    return Counter(call.form["Body"][0] for call in fake_twilio.calls if call.method == "POST")


def statuses(database: Database) -> Counter[str]:
    return Counter(row.status for row in outbox(database))


async def drive(worker: DeliveryWorker, clock: VirtualClock, *, step: timedelta, until: datetime, before: Callable[[], Any] = lambda: None) -> None:
    """Deliver batch after batch, moving the clock on by ``step`` between them, until nothing is left to do."""
    while clock.now() < until:
        before()
        await worker.deliver_batch()
        with worker.database.transaction() as db:
            waiting = db.scalar(select(OutboundMessage.id).where(OutboundMessage.status.in_(("queued", "claimed", "sending"))).limit(1))
        if waiting is None:
            return
        clock.advance(seconds=step.total_seconds())


def with_channels(settings: Settings, database: Database, runtime: Any, clock: VirtualClock, scenario: Callable[[Channels], Awaitable[Any]]) -> Any:
    async def run() -> Any:
        channels = Channels.build(settings, database, Pipeline(database, runtime), clock)
        if channels.bot is not None:
            await channels.bot.initialize()
        try:
            return await scenario(channels)
        finally:
            await channels.close()

    return asyncio.run(run())


@pytest.fixture
def fast_database_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(app.delivery, "DATABASE_RETRY_FIRST_SECONDS", 0.02, raising=False)
    monkeypatch.setattr(app.delivery, "DATABASE_RETRY_CAP_SECONDS", 0.1, raising=False)


# -- 1. a stalled database -----------------------------------------------------------------------


def impatient(settings: Settings) -> Database:
    """A Database whose writes give up after 100 ms of waiting for a lock (SQLite busy timeout, PostgreSQL lock_timeout)."""
    database = Database(settings)

    @event.listens_for(database.engine, "connect")
    def _short_waits(dbapi_connection, _record):  # type: ignore[no-untyped-def]
        cursor = dbapi_connection.cursor()
        if settings.is_sqlite:
            cursor.execute("PRAGMA busy_timeout=100")
        else:
            cursor.execute("SET lock_timeout = '100ms'")
            dbapi_connection.commit()
        cursor.close()

    return database


@contextmanager
def write_lock_held(settings: Settings) -> Iterator[Callable[[], None]]:
    """Hold the database's write lock from another connection (a backup, a long import); yields ``release``."""
    holder = Database(settings)
    released = threading.Event()
    if settings.is_sqlite:
        raw = holder.engine.raw_connection()
        raw.cursor().execute("BEGIN IMMEDIATE")

        def release() -> None:
            if not released.is_set():
                released.set()
                raw.cursor().execute("ROLLBACK")
                raw.close()
    else:
        connection = holder.engine.connect()
        transaction = connection.begin()
        connection.exec_driver_sql("LOCK TABLE outbound_messages IN EXCLUSIVE MODE")

        def release() -> None:
            if not released.is_set():
                released.set()
                transaction.rollback()
                connection.close()

    try:
        yield release
    finally:
        release()
        holder.dispose()


def test_a_send_whose_result_cannot_be_recorded_is_retried_not_failed(settings, database, runtime, fake_twilio, fast_database_retries) -> None:  # type: ignore[no-untyped-def]
    """The write lock is held for a while right after the first request (45 s in the field, 1 s here)."""
    wa_settings = channel_settings(settings, fake_twilio=fake_twilio)
    queue(database, 3)
    clock = VirtualClock()
    stalled = impatient(wa_settings)

    async def scenario(channels: Channels) -> None:
        send = channels.senders()["whatsapp"]
        with write_lock_held(wa_settings) as release:
            timer = threading.Timer(1.0, release)

            async def send_then_stall(address, body, template):  # type: ignore[no-untyped-def]
                timer.start() if not timer.is_alive() and not timer.finished.is_set() else None
                return await send(address, body, template)

            worker = worker_on(stalled, wa_settings, {"whatsapp": send_then_stall}, clock)
            await worker.deliver_batch()
            timer.join()
        assert worker.counts["database_errors"] > 0  # it did meet the stall

    try:
        with_channels(wa_settings, stalled, runtime, clock, scenario)
    finally:
        stalled.dispose()
    assert statuses(database) == {"sent": 3}
    assert all(row.provider_message_id for row in outbox(database))
    assert texts_sent(fake_twilio) == {"m0": 1, "m1": 1, "m2": 1}  # nothing sent twice


class FlakyDatabase(Database):
    """Every transaction fails with ``OperationalError`` while ``failing`` is set (a dropped connection, a lock)."""

    failing = False

    @contextmanager
    def transaction(self):  # type: ignore[no-untyped-def,override]
        if self.failing:
            raise OperationalError("UPDATE outbound_messages …", {}, Exception("database is locked"))
        with super().transaction() as db:
            yield db


def test_database_errors_around_a_send_never_fail_the_message(settings, runtime, fake_twilio, fast_database_retries) -> None:  # type: ignore[no-untyped-def]
    wa_settings = channel_settings(settings, fake_twilio=fake_twilio)
    database = FlakyDatabase(wa_settings)
    queue(database, 2)
    clock = VirtualClock()

    async def scenario(channels: Channels) -> None:
        send = channels.senders()["whatsapp"]

        async def send_then_lose_the_database(address, body, template):  # type: ignore[no-untyped-def]
            sid = await send(address, body, template)
            database.failing = True
            asyncio.get_running_loop().call_later(0.3, setattr, database, "failing", False)
            return sid

        worker = worker_on(database, wa_settings, {"whatsapp": send_then_lose_the_database}, clock)
        await worker.deliver_batch()

    try:
        with_channels(wa_settings, database, runtime, clock, scenario)
        assert statuses(database) == {"sent": 2}
        assert texts_sent(fake_twilio) == {"m0": 1, "m1": 1}
    finally:
        database.dispose()


# -- 2. a provider outage of several minutes -------------------------------------------------------


def reminder(database: Database, key: str, *, not_after: datetime) -> None:
    """A meeting reminder, already moved into the outbox (as ``app.reminders.dispatch`` does)."""
    with database.transaction() as db:
        identity = db.scalar(select(ChannelIdentity).order_by(ChannelIdentity.id))
        assert identity is not None
        body = {"text": f"pengingat {key}", "options": [], "media": []}
        db.add(
            Reminder(
                key=key, person_id=identity.person_id, kind="p2k2_morning", due_at=FIXED_NOW, not_after=not_after,
                timezone="Asia/Jakarta", body=body, status="queued", created_at=FIXED_NOW, processed_at=FIXED_NOW,
            )
        )  # fmt: skip
        db.add(
            OutboundMessage(
                idempotency_key=f"reminder:{key}", person_id=identity.person_id, channel=identity.channel,
                address=identity.address, purpose="reminder", body=body, status="queued", attempts=0,
                next_attempt_at=FIXED_NOW, created_at=FIXED_NOW,
            )
        )  # fmt: skip


def test_a_six_minute_outage_answering_500_loses_nothing(settings, database, runtime, fake_twilio) -> None:  # type: ignore[no-untyped-def]
    wa_settings = channel_settings(settings, fake_twilio=fake_twilio)
    queue(database, 20)
    reminder(database, "meeting:1:soon", not_after=FIXED_NOW + timedelta(minutes=3))  # begins during the outage
    reminder(database, "meeting:2:later", not_after=FIXED_NOW + timedelta(hours=2))
    clock = VirtualClock()
    outage_ends = FIXED_NOW + timedelta(minutes=6)

    async def scenario(channels: Channels) -> None:
        send = channels.senders()["whatsapp"]

        async def send_through_outage(address, body, template):  # type: ignore[no-untyped-def]
            if clock.now() < outage_ends:
                fake_twilio.fail_next(500)  # this very request is answered 500, nothing accepted
            return await send(address, body, template)

        worker = worker_on(database, wa_settings, {"whatsapp": send_through_outage}, clock)
        await drive(worker, clock, step=timedelta(seconds=10), until=FIXED_NOW + timedelta(hours=1))

    with_channels(wa_settings, database, runtime, clock, scenario)
    rows = {row.body["text"]: row for row in outbox(database)}
    assert rows.pop("pengingat meeting:1:soon").error.startswith("dropped: the meeting began")
    assert {row.status for row in rows.values()} == {"sent"}, {t: (r.status, r.error) for t, r in rows.items() if r.status != "sent"}
    accepted = Counter(message.body for message in fake_twilio.messages)
    assert accepted == Counter(rows)  # each delivered exactly once
    assert max(texts_sent(fake_twilio).values()) <= 2  # and none was requested more than twice
    assert "pengingat meeting:1:soon" not in texts_sent(fake_twilio) or clock.now() >= FIXED_NOW


def test_clear_failures_are_retried_for_the_whole_window_then_given_up(settings, database, runtime) -> None:  # type: ignore[no-untyped-def]
    """Connection refused for 30 hours: retried again and again (far more than twice), given up after 24 h."""
    closed = closed_port_url()
    refused = channel_settings(settings, twilio_api_url=closed, **twilio_credentials())
    queue(database, 1)
    clock = VirtualClock()
    calls = Counter[str]()

    async def scenario(channels: Channels) -> None:
        send = channels.senders()["whatsapp"]

        async def counted(address, body, template):  # type: ignore[no-untyped-def]
            calls["requests"] += 1
            return await send(address, body, template)

        worker = worker_on(database, refused, {"whatsapp": counted}, clock)
        await drive(worker, clock, step=timedelta(minutes=5), until=FIXED_NOW + timedelta(hours=30))

    with_channels(refused, database, runtime, clock, scenario)
    [row] = outbox(database)
    assert row.status == "failed" and row.error.startswith("gave up after 24 h of retries")
    assert calls["requests"] > 100  # every 5 minutes or so, for a day
    assert clock.now() >= FIXED_NOW + timedelta(hours=24)


# -- 3. accepted, then answered 500: bounded duplicates ---------------------------------------------


def accept_then_fail(fake: Any, is_send: Callable[[Any], bool]) -> None:
    """The fake keeps (accepts) every message, then answers 500 as if it had not."""
    original = fake.handle

    def handle(request):  # type: ignore[no-untyped-def]
        response = original(request)
        if is_send(request) and getattr(response, "status", 0) in (200, 201):
            return TwilioApiError(500, 20500, "Internal Server Error").response()
        return response

    fake.handle = handle


def test_accepted_then_500_is_sent_at_most_twice_whatsapp(settings, database, runtime, fake_twilio) -> None:  # type: ignore[no-untyped-def]
    wa_settings = channel_settings(settings, fake_twilio=fake_twilio)
    queue(database, 20)
    accept_then_fail(fake_twilio, lambda request: request.method == "POST" and request.path.endswith("/Messages.json"))
    clock = VirtualClock()

    async def scenario(channels: Channels) -> DeliveryWorker:
        worker = worker_on(database, wa_settings, channels.senders(), clock)
        await drive(worker, clock, step=timedelta(minutes=1), until=FIXED_NOW + timedelta(hours=30))
        return worker

    worker = with_channels(wa_settings, database, runtime, clock, scenario)
    sends = texts_sent(fake_twilio)
    assert len(sends) == 20 and max(sends.values()) <= 2  # 20 messages, at most 40 sends (it was 80)
    assert sum(sends.values()) <= 40
    rows = outbox(database)
    assert all(row.status == "failed" and "may have reached" in row.error for row in rows)
    assert all(row.body["delivery"]["ambiguous_failures"] == 2 for row in rows)  # recorded on the message
    assert worker.counts["ambiguous_retries"] == 20 and worker.counts["ambiguous_given_up"] == 20


def test_accepted_then_500_is_sent_at_most_twice_telegram(settings, database, runtime, fake_telegram) -> None:  # type: ignore[no-untyped-def]
    tg_settings = channel_settings(settings, fake_telegram=fake_telegram)
    queue(database, 20, "telegram")
    accept_then_fail(fake_telegram, lambda request: request.path.endswith("/sendMessage"))
    clock = VirtualClock()

    async def scenario(channels: Channels) -> None:
        worker = worker_on(database, tg_settings, channels.senders(), clock)
        await drive(worker, clock, step=timedelta(minutes=1), until=FIXED_NOW + timedelta(hours=30))

    with_channels(tg_settings, database, runtime, clock, scenario)
    per_chat = Counter(call.chat_id for call in fake_telegram.calls_to("sendMessage"))
    assert len(per_chat) == 20 and max(per_chat.values()) <= 2
    assert statuses(database) == {"failed": 20}


def test_more_ambiguous_retries_when_configured(settings, database, runtime, fake_twilio) -> None:  # type: ignore[no-untyped-def]
    wa_settings = channel_settings(settings, fake_twilio=fake_twilio, outbox_ambiguous_retries=3)
    queue(database, 3)
    accept_then_fail(fake_twilio, lambda request: request.method == "POST" and request.path.endswith("/Messages.json"))
    clock = VirtualClock()

    async def scenario(channels: Channels) -> None:
        worker = worker_on(database, wa_settings, channels.senders(), clock)
        await drive(worker, clock, step=timedelta(minutes=1), until=FIXED_NOW + timedelta(hours=30))

    with_channels(wa_settings, database, runtime, clock, scenario)
    assert texts_sent(fake_twilio) == {"m0": 4, "m1": 4, "m2": 4}


def closed_port_url() -> str:
    """An address where nothing listens: connecting is refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def twilio_credentials() -> dict[str, str]:
    return {
        "twilio_account_sid": TWILIO_TEST_ACCOUNT_SID, "twilio_auth_token": TWILIO_TEST_AUTH_TOKEN,
        "twilio_whatsapp_from": "whatsapp:+14155238886",
    }  # fmt: skip


def whatsapp_failure(api_url: str, timeout: float = 15) -> TransientFailure | PermanentFailure:
    sender = wa.WhatsAppSender(TWILIO_TEST_ACCOUNT_SID, TWILIO_TEST_AUTH_TOKEN, "whatsapp:+14155238886", api_url)
    sender.http.timeout = timeout
    try:
        sender.send("+6281200000001", {"text": "halo", "options": []})
    except (TransientFailure, PermanentFailure) as failure:
        return failure
    finally:
        sender.close()
    raise AssertionError("the send did not fail")


@pytest.mark.parametrize(
    ("arrange", "ambiguous"),
    [
        (lambda fake: fake.fail_next(500), True),
        (lambda fake: fake.fail_next(503), True),
        (lambda fake: fake.fail_next(disconnect=True), True),  # the request arrived, no answer came
        (lambda fake: setattr(fake, "delay", 1.0), True),  # read timeout: the request arrived
        (lambda fake: fake.fail_next(429, retry_after=3), False),  # refused, nothing accepted
    ],
    ids=["500", "503", "disconnect", "read-timeout", "429"],
)
def test_whatsapp_failures_say_whether_the_request_may_have_arrived(fake_twilio, arrange, ambiguous) -> None:  # type: ignore[no-untyped-def]
    arrange(fake_twilio)
    failure = whatsapp_failure(fake_twilio.url, timeout=0.3)
    assert isinstance(failure, TransientFailure) and failure.ambiguous is ambiguous


def test_whatsapp_connection_refused_is_a_clear_failure() -> None:
    failure = whatsapp_failure(closed_port_url())
    assert isinstance(failure, TransientFailure) and failure.ambiguous is False


async def telegram_failure(api_url: str, read_timeout: float = 15) -> TransientFailure:
    request = HTTPXRequest(read_timeout=read_timeout, connect_timeout=2)
    bot = Bot(TELEGRAM_TEST_TOKEN, base_url=f"{api_url}/bot", request=request)
    try:
        await TelegramSender(bot, lambda ref: None).send("42", {"text": "halo", "options": []})
    except TransientFailure as failure:
        return failure
    finally:
        await request.shutdown()
    raise AssertionError("the send did not fail")


@pytest.mark.parametrize(
    ("arrange", "ambiguous"),
    [
        (lambda fake: fake.fail_next("sendMessage", status=500), True),
        (lambda fake: fake.fail_next("sendMessage", status=502), True),
        (lambda fake: fake.fail_next("sendMessage", disconnect=True), True),
        (lambda fake: setattr(fake, "delay", 1.0), True),
        (lambda fake: fake.fail_next("sendMessage", status=429, retry_after=3), False),
    ],
    ids=["500", "502", "disconnect", "read-timeout", "429"],
)
def test_telegram_failures_say_whether_the_request_may_have_arrived(fake_telegram, arrange, ambiguous) -> None:  # type: ignore[no-untyped-def]
    arrange(fake_telegram)
    failure = asyncio.run(telegram_failure(fake_telegram.url, read_timeout=0.3))
    assert failure.ambiguous is ambiguous


def test_telegram_connection_refused_is_a_clear_failure() -> None:
    assert asyncio.run(telegram_failure(closed_port_url())).ambiguous is False


# -- 4. one rate limit for every process -------------------------------------------------------------


def run_workers(settings: Settings, count: int, messages: int) -> list[datetime]:
    """``count`` workers, each with its own Database, thread, event loop and clock, deliver ``messages`` together;
    returns the simulated moments of every send."""
    sent: list[datetime] = []
    lock = threading.Lock()
    barrier = threading.Barrier(count)
    errors: list[BaseException] = []

    def one_worker() -> None:
        database = Database(settings)
        clock = VirtualClock()

        async def record(address, body, template):  # type: ignore[no-untyped-def]
            with lock:
                sent.append(clock.now())
            return f"id-{body['text']}"

        async def deliver() -> None:
            worker = worker_on(database, settings, {"whatsapp": record}, clock, per_second=RATE)
            barrier.wait()
            while await worker.deliver_batch(limit=7):
                pass

        try:
            asyncio.run(deliver())
        except BaseException as error:  # noqa: BLE001 - reported by the test
            errors.append(error)
        finally:
            database.dispose()

    threads = [threading.Thread(target=one_worker) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    assert len(sent) == messages
    return sorted(sent)


def busiest_second(moments: list[datetime]) -> int:
    """The most sends within any 1-second window [t, t + 1 s)."""
    most, first = 0, 0
    for last, moment in enumerate(moments):
        while moment - moments[first] >= timedelta(seconds=1):
            first += 1
        most = max(most, last - first + 1)
    return most


def test_two_processes_share_one_whatsapp_rate_limit(settings, database) -> None:  # type: ignore[no-untyped-def]
    queue(database, 120, chats=40)
    moments = run_workers(settings, 2, 120)
    assert busiest_second(moments) <= RATE
    per_second = Counter(int((moment - FIXED_NOW).total_seconds()) for moment in moments)
    assert max(per_second.values()) <= RATE
    assert moments[-1] - moments[0] < timedelta(seconds=120 / RATE + 1)  # and together they keep the full rate
    assert statuses(database) == {"sent": 120}


def test_one_process_keeps_the_full_rate(settings, database) -> None:  # type: ignore[no-untyped-def]
    queue(database, 60, chats=20)
    moments = run_workers(settings, 1, 60)
    per_second = Counter(int((moment - FIXED_NOW).total_seconds()) for moment in moments)
    assert busiest_second(moments) == RATE and sorted(per_second.values()) == [RATE] * 6


# -- the same rules, for any sequence of provider answers (property-based) --------------------------

OUTCOMES = st.sampled_from(["ok", "500", "timeout", "refused", "429", "db-stall"])


class ScriptedProvider:
    """Answers each request with the next outcome of a script (then "ok"); counts what reached it."""

    def __init__(self, script: list[str], database: FlakyDatabase) -> None:
        self.script = list(script)
        self.database = database
        self.requests = 0
        self.accepted = 0

    async def __call__(self, address: str, body: Any, template: str) -> str:
        self.requests += 1
        outcome = self.script.pop(0) if self.script else "ok"
        if outcome in ("ok", "db-stall"):
            self.accepted += 1
            if outcome == "db-stall":  # the result cannot be recorded for a moment
                self.database.failing = True
                asyncio.get_running_loop().call_later(0.05, setattr, self.database, "failing", False)
            return f"SM{self.requests}"
        if outcome == "refused":
            raise TransientFailure("connection refused") from ConnectionRefusedError(111, "Connection refused")
        if outcome == "429":
            raise TransientFailure("Twilio 429", retry_after=2)
        self.accepted += 1  # "500" and "timeout": the provider got it, the answer was lost
        raise TransientFailure(f"Twilio {outcome}")


@hypothesis_settings(
    max_examples=60, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(script=st.lists(OUTCOMES, max_size=12))
def test_any_sequence_of_answers_ends_sent_once_or_failed_with_the_reason(settings, script, fast_database_retries) -> None:  # type: ignore[no-untyped-def]
    database = FlakyDatabase(settings)
    try:
        with database.transaction() as db:
            db.execute(update(OutboundMessage).where(OutboundMessage.status == "queued").values(status="failed"))
        key = f"prop:{random.Random(str(script)).random()}:{len(script)}"
        with database.transaction() as db:
            person = Person(display_name="x", locale="id", created_at=FIXED_NOW)
            db.add(person)
            db.flush()
            address = f"+62{abs(hash(key)) % 10**10:010d}"
            db.add(ChannelIdentity(person_id=person.id, channel="whatsapp", address=address, last_inbound_at=FIXED_NOW, created_at=FIXED_NOW))
            message = OutboundMessage(
                idempotency_key=key, person_id=person.id, channel="whatsapp", address=address, purpose="reply",
                body={"text": key, "options": [], "media": []}, status="queued", attempts=0, next_attempt_at=FIXED_NOW,
                created_at=FIXED_NOW,
            )  # fmt: skip
            db.add(message)
            db.flush()
            message_id = message.id
        provider = ScriptedProvider(script, database)
        clock = VirtualClock()
        worker = worker_on(database, settings, {"whatsapp": provider}, clock)
        asyncio.run(drive(worker, clock, step=timedelta(minutes=1), until=FIXED_NOW + timedelta(hours=3)))
        with database.transaction() as db:
            row = db.get(OutboundMessage, message_id)
            assert row is not None
            ambiguous_before_success = 0
            for outcome in script[: provider.requests]:
                if outcome in ("ok", "db-stall"):
                    break
                ambiguous_before_success += outcome in ("500", "timeout")
            if row.status == "sent":
                assert provider.script == [] or script[provider.requests - 1] in ("ok", "db-stall")
                assert ambiguous_before_success <= settings.outbox_ambiguous_retries
            else:
                assert row.status == "failed" and "may have reached" in row.error, (row.status, row.error)
                assert ambiguous_before_success == settings.outbox_ambiguous_retries + 1
            assert "internal error" not in row.error
    finally:
        database.dispose()
