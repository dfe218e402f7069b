"""Each chat's messages arrive in the order written, also when several workers (processes) share one database.

Within one worker a chat's messages are sent one after the other; across workers the claim keeps the order: a
row is not taken while an earlier row of its chat is on its way with another worker or waiting for its retry,
and a row taken while another worker was claiming the earlier ones goes back to the queue for a moment. A claim
takes only a chat's first few rows, so a long queue for one chat holds up no other.
Runs on SQLite, and on PostgreSQL when configured (the race with a concurrent claim only there).
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import text, update

from app.delivery import BATCH, CHAT_WAIT, PER_CHAT, DeliveryWorker, RateLimiter
from app.models import ChannelIdentity, OutboundMessage, Person
from app.outbox import enqueue_reply
from conversations.types import Reply
from tests.conftest import FIXED_NOW
from tests.integration.channel_setup import SteppingClock, outbox
from tests.integration.test_delivery_recovery import (
    RecordingSender,
    make_worker,
    person_with_chat,
    queue_reply,
    running,
    until,
)


def test_a_worker_does_not_take_a_chats_next_reply_while_another_worker_sends_the_earlier_ones(settings, database) -> None:  # type: ignore[no-untyped-def]
    person_with_chat(database)
    queue_reply(database, "in:telegram:1:0", "Terima kasih. Tempat Anda: Pasteur.")
    queue_reply(database, "in:telegram:1:1", "Siapa nama kepala keluarga?")
    clock = SteppingClock()
    first, second = RecordingSender(), RecordingSender()
    first_worker, second_worker = make_worker(settings, database, clock, first), make_worker(settings, database, clock, second)
    claimed = first_worker.claim(10)
    assert len(claimed) == 2
    queue_reply(database, "in:telegram:2:0", "Sudah punya surat kehilangan?")  # the person answered meanwhile

    assert second_worker.claim(10) == []  # the chat's earlier replies are still with the first worker
    asyncio.run(first_worker._deliver_claimed(claimed))
    assert asyncio.run(second_worker.deliver_batch()) == 1
    assert first.sent + second.sent == ["Terima kasih. Tempat Anda: Pasteur.", "Siapa nama kepala keluarga?", "Sudah punya surat kehilangan?"]


def test_a_reply_waits_behind_an_earlier_one_waiting_for_its_retry(settings, database) -> None:  # type: ignore[no-untyped-def]
    person_with_chat(database)
    queue_reply(database, "in:telegram:1:0", "Pertama")
    queue_reply(database, "in:telegram:2:0", "Kedua")
    clock = SteppingClock()
    with database.transaction() as db:  # the first was tried once and the provider said "later"
        first_id = min(row.id for row in db.query(OutboundMessage))
        db.execute(update(OutboundMessage).where(OutboundMessage.id == first_id).values(attempts=1, next_attempt_at=clock.now() + timedelta(minutes=1)))
    sender = RecordingSender()
    worker = make_worker(settings, database, clock, sender)
    assert asyncio.run(worker.deliver_batch()) == 0
    clock.advance(minutes=2)
    assert asyncio.run(worker.deliver_batch()) == 2
    assert sender.sent == ["Pertama", "Kedua"]


def test_news_held_back_through_the_night_does_not_hold_up_a_reply(settings, database) -> None:  # type: ignore[no-untyped-def]
    person_with_chat(database)
    queue_reply(database, "news:meeting:1", "Jadwal berubah: …")
    queue_reply(database, "in:telegram:1:0", "Menu utama")
    clock = SteppingClock()
    with database.transaction() as db:  # written at night, held back until the morning (never tried yet)
        news_id = min(row.id for row in db.query(OutboundMessage))
        db.execute(update(OutboundMessage).where(OutboundMessage.id == news_id).values(next_attempt_at=clock.now() + timedelta(hours=8)))
    sender = RecordingSender()
    assert asyncio.run(make_worker(settings, database, clock, sender).deliver_batch()) == 1
    assert sender.sent == ["Menu utama"]


def test_a_reply_taken_while_another_worker_claims_the_earlier_one_goes_back_to_wait(settings, database) -> None:  # type: ignore[no-untyped-def]
    if database.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has one writer at a time: no claim runs while another is under way")
    person_with_chat(database)
    queue_reply(database, "in:telegram:1:0", "Pertama")
    queue_reply(database, "in:telegram:2:0", "Kedua")
    clock = SteppingClock()
    first_id, second_id = (row.id for row in outbox(database))
    with database.engine.connect() as other_claim:  # another worker's claim, not committed yet, holds the first row
        other_claim.execute(text("SELECT id FROM outbound_messages WHERE id = :id FOR UPDATE"), {"id": first_id})
        assert make_worker(settings, database, clock, RecordingSender()).claim(10) == []  # passed over the first: gave the second back
        other_claim.rollback()
    rows = {row.id: row for row in outbox(database)}
    assert (rows[second_id].status, rows[second_id].next_attempt_at) == ("queued", clock.now() + CHAT_WAIT)
    assert rows[first_id].status == "queued"
    clock.advance(seconds=2)
    sender = RecordingSender()
    assert asyncio.run(make_worker(settings, database, clock, sender).deliver_batch()) == 2
    assert sender.sent == ["Pertama", "Kedua"]


def _chat(database, address: str) -> ChannelIdentity:  # type: ignore[no-untyped-def]
    with database.transaction() as db:
        person = Person(display_name=f"Chat {address}", locale="id", created_at=FIXED_NOW)
        db.add(person)
        db.flush()
        identity = ChannelIdentity(person_id=person.id, channel="telegram", address=address, created_at=FIXED_NOW)
        db.add(identity)
        return identity


def _queue(database, identity: ChannelIdentity, texts: list[str]) -> None:  # type: ignore[no-untyped-def]
    with database.transaction() as db:
        for text_ in texts:
            enqueue_reply(db, key=f"k:{identity.address}:{text_}", identity=identity, reply=Reply(text_), now=FIXED_NOW)


def test_a_claim_takes_only_the_first_rows_of_each_chat(settings, database) -> None:  # type: ignore[no-untyped-def]
    """A companion told of ten new reports does not fill the claim: the household behind them is in it too."""
    companion, household = _chat(database, "100"), _chat(database, "200")
    _queue(database, companion, [f"Laporan baru {n}" for n in range(10)])
    _queue(database, household, ["Nomor laporan Anda: KB-7Q4K2"])
    worker = make_worker(settings, database, SteppingClock(), RecordingSender())
    claimed = worker.claim(60)
    assert [row.body["text"] for row in claimed] == [*(f"Laporan baru {n}" for n in range(PER_CHAT)), "Nomor laporan Anda: KB-7Q4K2"]
    assert worker.claim(60) == []  # the companion's next rows wait until these are out: their order is kept
    asyncio.run(worker._deliver_claimed(claimed))
    assert [row.body["text"] for row in worker.claim(60)] == [f"Laporan baru {n}" for n in range(PER_CHAT, 2 * PER_CHAT)]


def test_long_queues_for_two_chats_do_not_hold_up_a_third(settings, database) -> None:  # type: ignore[no-untyped-def]
    """Two companions each told of more new reports than a batch holds, sent one per chat interval: a reply to a
    household queued after them goes out among the first, and the long queues still go out whole and in order."""
    first, second, household = _chat(database, "100"), _chat(database, "101"), _chat(database, "200")
    queues = {chat: [f"Laporan baru {n} untuk {chat.address}" for n in range(BATCH + 20)] for chat in (first, second)}
    for chat, texts in queues.items():
        _queue(database, chat, texts)
    _queue(database, household, ["Nomor laporan Anda: KB-7Q4K2"])
    sender = RecordingSender()
    limiter = RateLimiter(per_second=100_000, per_chat_seconds=0.002)
    worker = DeliveryWorker(database, settings, {"telegram": sender}, {"telegram": limiter}, SteppingClock(), shared_limits={})

    async def scenario() -> None:
        assert await until(lambda: len(sender.sent) == 2 * (BATCH + 20) + 1)

    asyncio.run(running(worker, scenario))
    assert sender.sent.index("Nomor laporan Anda: KB-7Q4K2") <= 2 * PER_CHAT
    for chat, texts in queues.items():
        assert [text_ for text_ in sender.sent if text_.endswith(f"untuk {chat.address}")] == texts
