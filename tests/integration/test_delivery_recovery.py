"""Recovery while running and waking on new rows: nobody is left without the reply to their last message.

A worker that dies leaves rows ``claimed`` (never sent) or ``sending`` (cut off during its request); once their
lease runs out any running worker takes them again. New replies wake an idle worker at once: in this process
through the commit of the transaction that wrote them, and on PostgreSQL from any process through NOTIFY.
Runs on SQLite, and on PostgreSQL when configured.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable, Mapping
from datetime import datetime
from typing import Any

import pytest

from app.clock import Clock
from app.config import Settings
from app.db import Database
from app.delivery import RESENT, DeliveryWorker, RateLimiter
from app.models import ChannelIdentity, Person
from app.outbox import enqueue_reply
from conversations.types import Reply
from tests.conftest import FIXED_NOW
from tests.integration.channel_setup import SteppingClock, outbox

CHAT = "777000111"
WAIT_FOR_SEND_SECONDS = 20.0  # generous: a send that needs the 60 s fallback poll never comes within it
IDLE_POLL_SECONDS = 60.0


class RecordingSender:
    """A channel sender that records every request (the fake provider of these tests)."""

    def __init__(self) -> None:
        self.sent: list[str] = []
        self.arrived = asyncio.Event()

    async def __call__(self, address: str, body: Mapping[str, Any], template: str) -> str:
        self.sent.append(body["text"])
        self.arrived.set()
        return f"msg-{len(self.sent)}"


class WatchedWorker(DeliveryWorker):
    """A worker that tells when it has claimed and found nothing (so it is idle, waiting)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.found_nothing = threading.Event()

    def claim(self, limit: int) -> Any:
        claimed = super().claim(limit)
        if not claimed:
            self.found_nothing.set()
        return claimed


def make_worker(settings: Settings, database: Database, clock: Clock, sender: RecordingSender, cls: type = DeliveryWorker) -> Any:
    limiter = RateLimiter(per_second=1000, per_chat_seconds=0)
    return cls(database, settings, {"telegram": sender}, {"telegram": limiter}, clock, shared_limits={})


def person_with_chat(database: Database) -> int:
    with database.transaction() as db:
        person = Person(display_name="Siti", locale="id", created_at=FIXED_NOW)
        db.add(person)
        db.flush()
        db.add(ChannelIdentity(person_id=person.id, channel="telegram", address=CHAT, created_at=FIXED_NOW, last_inbound_at=FIXED_NOW))
        return person.id


def queue_reply(database: Database, key: str, text: str, now: datetime = FIXED_NOW) -> None:
    """A reply written the way the pipeline writes one."""
    with database.transaction() as db:
        identity = db.query(ChannelIdentity).filter_by(channel="telegram", address=CHAT).one()
        enqueue_reply(db, key=key, identity=identity, reply=Reply(text), now=now)


async def until(condition: Callable[[], Awaitable[bool]] | Callable[[], bool], seconds: float = WAIT_FOR_SEND_SECONDS) -> bool:
    """Whether ``condition`` became true within ``seconds`` (checked often; never a measure of time)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while loop.time() < deadline:
        result = condition()
        if asyncio.iscoroutine(result):
            result = await result
        if result:
            return True
        await asyncio.sleep(0.02)
    return False


async def running(worker: DeliveryWorker, scenario: Callable[[], Awaitable[Any]]) -> Any:
    """Run ``worker`` in the background while ``scenario`` runs, then stop it."""
    stop = asyncio.Event()
    task = asyncio.create_task(worker.run(stop))
    try:
        return await scenario()
    finally:
        stop.set()
        await asyncio.wait_for(task, timeout=30)


@pytest.fixture
def fast_poll(settings: Settings) -> Settings:
    return settings.model_copy(update={"outbox_poll_seconds": 0.05})


def test_a_row_claimed_by_a_dead_worker_is_sent_by_a_running_one_when_its_lease_runs_out(fast_poll, database) -> None:  # type: ignore[no-untyped-def]
    if database.engine.dialect.name == "sqlite":
        pytest.skip("on SQLite the next run takes such rows back as it starts (the test below)")
    person_with_chat(database)
    queue_reply(database, "in:telegram:1:0", "Di desa mana Anda tinggal?")
    clock = SteppingClock()
    dead = RecordingSender()
    assert len(make_worker(fast_poll, database, clock, dead).claim(10)) == 1  # then the process is killed
    sender = RecordingSender()
    worker = make_worker(fast_poll, database, clock, sender, WatchedWorker)

    async def scenario() -> None:
        assert await until(worker.found_nothing.is_set)  # running, and the row is still leased to the dead worker
        assert sender.sent == []
        clock.advance(minutes=3)  # the lease runs out while this worker runs
        assert await until(lambda: sender.sent != [])

    asyncio.run(running(worker, scenario))
    assert sender.sent == ["Di desa mana Anda tinggal?"] and dead.sent == []
    [row] = outbox(database)
    assert (row.status, row.error) == ("sent", "")


def test_on_sqlite_rows_left_by_a_killed_run_go_out_as_the_next_run_starts(fast_poll, database) -> None:  # type: ignore[no-untyped-def]
    """SQLite has one delivering process: what the last run left claimed or sending goes out as the next one starts,
    not once the lease runs out (two minutes of silence for those chats). On PostgreSQL another live process may
    hold the rows: there the lease still decides."""
    person_with_chat(database)
    queue_reply(database, "in:telegram:1:0", "Di desa mana Anda tinggal?")
    queue_reply(database, "in:telegram:2:0", "Siapa nama kepala keluarga?")
    clock = SteppingClock()
    dead = make_worker(fast_poll, database, clock, RecordingSender())
    first, _second = dead.claim(10)
    with database.transaction() as db:
        assert dead._mark_sending(first, db)  # the process is killed during the first request
    sender = RecordingSender()
    worker = make_worker(fast_poll, database, clock, sender, WatchedWorker)
    on_sqlite = database.engine.dialect.name == "sqlite"

    async def scenario() -> None:
        if not on_sqlite:
            assert await until(worker.found_nothing.is_set)
            assert sender.sent == []  # leased to a process that may still be alive
            clock.advance(minutes=3)
        assert await until(lambda: len(sender.sent) == 2)

    asyncio.run(running(worker, scenario))
    assert sender.sent == ["Di desa mana Anda tinggal?", "Siapa nama kepala keluarga?"]
    assert [(row.status, row.error) for row in outbox(database)] == [("sent", RESENT), ("sent", "")]


def test_a_row_cut_off_while_sending_is_sent_again_and_counted(fast_poll, database) -> None:  # type: ignore[no-untyped-def]
    person_with_chat(database)
    queue_reply(database, "in:telegram:1:0", "Apa nomor KKS Anda?")
    clock = SteppingClock()
    dead = make_worker(fast_poll, database, clock, RecordingSender())
    [row] = dead.claim(10)
    with database.transaction() as db:
        assert dead._mark_sending(row, db)  # the request goes out... and the process is killed during it
    clock.advance(minutes=3)
    sender = RecordingSender()
    assert asyncio.run(make_worker(fast_poll, database, clock, sender).deliver_batch()) == 1
    assert sender.sent == ["Apa nomor KKS Anda?"]
    [row] = outbox(database)
    assert (row.status, row.error, row.ambiguous_failures) == ("sent", RESENT, 1)
    assert row.error == "resent after an interruption"


def test_a_row_cut_off_twice_is_left_unconfirmed_not_sent_a_third_time(fast_poll, database) -> None:  # type: ignore[no-untyped-def]
    person_with_chat(database)
    queue_reply(database, "in:telegram:1:0", "Apa nomor KKS Anda?")
    clock = SteppingClock()
    for _ in range(2):  # two processes killed during the request, one after the other
        dead = make_worker(fast_poll, database, clock, RecordingSender())
        [row] = dead.claim(10)
        with database.transaction() as db:
            assert dead._mark_sending(row, db)
        clock.advance(minutes=3)
    sender = RecordingSender()
    assert asyncio.run(make_worker(fast_poll, database, clock, sender).deliver_batch()) == 0
    assert sender.sent == []
    [row] = outbox(database)
    assert row.status == "unconfirmed" and row.ambiguous_failures == 2 and "interrupted" in row.error


def test_a_worker_whose_lease_ran_out_does_not_send_a_row_another_worker_took(fast_poll, database) -> None:  # type: ignore[no-untyped-def]
    person_with_chat(database)
    queue_reply(database, "in:telegram:1:0", "Terima kasih.")
    clock = SteppingClock()
    slow, fast = RecordingSender(), RecordingSender()
    slow_worker = make_worker(fast_poll, database, clock, slow)
    [row] = slow_worker.claim(10)  # held in this process longer than its lease...
    clock.advance(minutes=3)
    assert asyncio.run(make_worker(fast_poll, database, clock, fast).deliver_batch()) == 1  # ...so another took it
    asyncio.run(slow_worker._deliver_claimed([row]))
    assert fast.sent == ["Terima kasih."] and slow.sent == []
    assert outbox(database)[0].status == "sent"


def test_a_new_reply_wakes_an_idle_worker_without_waiting_for_the_poll(settings, database) -> None:  # type: ignore[no-untyped-def]
    idle = settings.model_copy(update={"outbox_poll_seconds": IDLE_POLL_SECONDS})
    person_with_chat(database)
    sender = RecordingSender()
    worker = make_worker(idle, database, Clock(), sender, WatchedWorker)

    async def scenario() -> None:
        assert await until(worker.found_nothing.is_set)  # idle: the next poll is a minute away
        now = Clock().now()
        await asyncio.to_thread(queue_reply, database, "in:telegram:2:0", "Di desa mana Anda tinggal?", now)
        assert await until(lambda: sender.sent != [])

    asyncio.run(running(worker, scenario))
    assert sender.sent == ["Di desa mana Anda tinggal?"]


@pytest.mark.postgres
def test_on_postgresql_a_reply_written_by_another_process_wakes_the_worker(settings, database) -> None:  # type: ignore[no-untyped-def]
    if not settings.database_url.startswith("postgresql"):
        pytest.skip("LISTEN/NOTIFY is PostgreSQL's")
    idle = settings.model_copy(update={"outbox_poll_seconds": IDLE_POLL_SECONDS})
    person_with_chat(database)
    sender = RecordingSender()
    worker = make_worker(idle, database, Clock(), sender, WatchedWorker)
    other_process = Database(settings)  # its own engine: no in-process wake-up reaches this worker

    async def scenario() -> None:
        assert await until(worker.found_nothing.is_set)
        now = Clock().now()
        await asyncio.to_thread(queue_reply, other_process, "in:telegram:3:0", "Laporan Anda sudah kami terima.", now)
        assert await until(lambda: sender.sent != [])

    try:
        asyncio.run(running(worker, scenario))
    finally:
        other_process.dispose()
    assert sender.sent == ["Laporan Anda sudah kami terima."]
