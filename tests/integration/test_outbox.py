"""The outbox under concurrency: two workers never claim the same message (each of 100 chats has one here;
one chat's messages in order across workers is ``test_delivery_order.py``)."""

from __future__ import annotations

import threading

from app.delivery import DeliveryWorker, RateLimiter
from app.models import ChannelIdentity, OutboundMessage, Person
from tests.conftest import FIXED_NOW
from tests.integration.channel_setup import SteppingClock


def queue_messages(database, count: int) -> None:  # type: ignore[no-untyped-def]
    with database.transaction() as db:
        person = Person(display_name="x", locale="id", created_at=FIXED_NOW)
        db.add(person)
        db.flush()
        for n in range(count):
            db.add(ChannelIdentity(person_id=person.id, channel="telegram", address=str(4200 + n), created_at=FIXED_NOW))
            db.add(
                OutboundMessage(
                    idempotency_key=f"k{n}", person_id=person.id, channel="telegram", address=str(4200 + n), purpose="reply",
                    body={"text": str(n), "options": [], "media": []}, status="queued", attempts=0,
                    next_attempt_at=FIXED_NOW, created_at=FIXED_NOW,
                )
            )  # fmt: skip


def test_two_workers_claiming_at_once_take_disjoint_rows(settings, database) -> None:  # type: ignore[no-untyped-def]
    queue_messages(database, 100)

    async def never(address, body, template):  # type: ignore[no-untyped-def]
        raise AssertionError("not sending in this test")

    limiter = {"telegram": RateLimiter(30, 1)}
    workers = [DeliveryWorker(database, settings, {"telegram": never}, limiter, SteppingClock()) for _ in range(2)]
    claimed: list[list[int]] = [[], []]
    barrier = threading.Barrier(2)

    def claim(index: int) -> None:
        barrier.wait()
        for _ in range(3):
            claimed[index] += [row.id for row in workers[index].claim(20)]

    threads = [threading.Thread(target=claim, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert set(claimed[0]).isdisjoint(claimed[1])
    assert len(claimed[0]) + len(claimed[1]) == 100  # every row claimed exactly once
