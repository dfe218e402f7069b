"""The hot path stays lean: few statements per message, the replies of a message written together, two write
steps per reply sent (committed together with those of other sends going out at the same moment), and a Telegram
update stored as it came (parsed once, not rebuilt).

SQL statements and transactions are counted, not timed: the counts are the same on every run, so a change that
loads an object graph per message or adds a write per reply sent fails here. SQLite, and PostgreSQL when configured.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, event, select

from app.db import Database
from app.delivery import DeliveryWorker, RateLimiter
from app.models import ChannelIdentity, InboundMessage, Person
from app.outbox import enqueue_reply
from app.pipeline import Pipeline
from conversations.types import Reply
from tests.conftest import FIXED_NOW
from tests.integration.channel_setup import TELEGRAM_SECRET, SteppingClock, channel_settings, outbox, web_client
from tests.integration.helpers import Chat

PHONE = "+6281234567890"
CHAT = "777000222"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
MESSAGE_STATEMENTS = 7
""""menu" at the menu: the identity read, the message written, the session locked, the person and roles read, a
reminder waiting for an answer looked for, the session saved, the replies written (it took 8)."""


@contextmanager
def counted(database: Database) -> Iterator[dict[str, list[str]]]:
    """The statements sent to the database meanwhile, and one entry per transaction begun."""
    seen: dict[str, list[str]] = {"statements": [], "transactions": []}

    def statement(conn: Connection, cursor: Any, text: str, *args: Any) -> None:
        if not text.startswith("BEGIN"):  # SQLite's BEGIN IMMEDIATE is counted as a transaction, below
            seen["statements"].append(" ".join(text.split()))

    def begin(conn: Connection) -> None:
        seen["transactions"].append("begin")

    event.listen(database.engine, "before_cursor_execute", statement)
    event.listen(database.engine, "begin", begin)
    try:
        yield seen
    finally:
        event.remove(database.engine, "before_cursor_execute", statement)
        event.remove(database.engine, "begin", begin)


@pytest.fixture
def pipeline(database, runtime) -> Pipeline:  # type: ignore[no-untyped-def]
    return Pipeline(database, runtime)


def test_a_message_takes_few_statements_and_its_replies_are_written_in_one(pipeline, database) -> None:  # type: ignore[no-untyped-def]
    chat = Chat(pipeline, PHONE)
    for line in ("halo", "1"):  # the notice, yes: the village is asked next
        assert chat.send(line).status == "processed"
    with counted(database) as seen:
        outcome = chat.send("pasteur")  # taken at once: thanks, and the menu
    assert outcome.status == "processed" and outcome.replies >= 2
    assert len(seen["transactions"]) == 1
    outbox_inserts = [s for s in seen["statements"] if s.startswith("INSERT INTO outbound_messages")]
    assert len(outbox_inserts) == 1  # every reply of the message in one statement
    with counted(database) as seen:
        assert chat.send("menu").status == "processed"
    assert len(seen["transactions"]) == 1
    assert len(seen["statements"]) <= MESSAGE_STATEMENTS, "\n".join(seen["statements"])


class RecordingSender:
    def __init__(self) -> None:
        self.sent: list[str] = []

    async def __call__(self, address: str, body: Mapping[str, Any], template: str) -> str:
        self.sent.append(body["text"])
        return f"msg-{len(self.sent)}"


def test_each_reply_sent_costs_two_write_transactions(settings, database) -> None:  # type: ignore[no-untyped-def]
    """Right before the request, marked ``sending`` and its place booked in the shared send rate; then recorded
    ``sent``."""
    with database.transaction() as db:
        person = Person(display_name="Siti", locale="id", created_at=FIXED_NOW)
        db.add(person)
        db.flush()
        identity = ChannelIdentity(person_id=person.id, channel="telegram", address=CHAT, created_at=FIXED_NOW)
        db.add(identity)
        db.flush()
        for n, text in enumerate(("Satu.", "Dua.", "Tiga.")):
            enqueue_reply(db, key=f"in:telegram:1:{n}", identity=identity, reply=Reply(text), now=FIXED_NOW)
    sender = RecordingSender()
    limiter = RateLimiter(per_second=1000, per_chat_seconds=0)
    worker = DeliveryWorker(database, settings, {"telegram": sender}, {"telegram": limiter}, SteppingClock())
    with counted(database) as seen:
        assert asyncio.run(worker.deliver_batch()) == 3
    assert sender.sent == ["Satu.", "Dua.", "Tiga."]
    assert [row.status for row in outbox(database)] == ["sent"] * 3
    slots = [s for s in seen["statements"] if s.startswith("INSERT INTO delivery_slots")]
    assert len(slots) == 3  # each send booked its moment in the shared rate
    assert len(seen["transactions"]) == 1 + 3 * 2  # the claim, two per reply (nothing given back: all went out)


def test_a_telegram_update_is_stored_as_it_came(settings, database, fake_telegram) -> None:  # type: ignore[no-untyped-def]
    update = json.loads((FIXTURES / "telegram" / "message_text.json").read_text())
    update["message"]["link_preview_options"] = {"is_disabled": True}  # a field this service does not read
    headers = {"X-Telegram-Bot-Api-Secret-Token": TELEGRAM_SECRET}
    with web_client(channel_settings(settings, fake_telegram=fake_telegram)) as client:
        assert client.post("/webhooks/telegram", json=update, headers=headers).status_code == 200
    with database.transaction() as db:
        payload = db.scalar(select(InboundMessage.payload))
    assert payload == update


def test_replies_to_several_chats_going_out_together_share_their_bookkeeping(settings, database) -> None:  # type: ignore[no-untyped-def]
    """Each send still has its two steps, but steps of sends going out at the same moment are committed together
    (``app.group_commit``): six replies to six chats take far fewer than 6 × 2 transactions."""
    with database.transaction() as db:
        for n in range(6):
            person = Person(display_name=f"Orang {n}", locale="id", created_at=FIXED_NOW)
            db.add(person)
            db.flush()
            identity = ChannelIdentity(person_id=person.id, channel="telegram", address=f"{CHAT}{n}", created_at=FIXED_NOW)
            db.add(identity)
            db.flush()
            enqueue_reply(db, key=f"in:telegram:{n}:0", identity=identity, reply=Reply(f"Balasan {n}."), now=FIXED_NOW)
    sender = RecordingSender()
    limiter = RateLimiter(per_second=1_000_000, per_chat_seconds=0)
    worker = DeliveryWorker(database, settings, {"telegram": sender}, {"telegram": limiter}, SteppingClock())
    with counted(database) as seen:
        assert asyncio.run(worker.deliver_batch()) == 6
    assert sorted(sender.sent) == [f"Balasan {n}." for n in range(6)]
    assert [row.status for row in outbox(database)] == ["sent"] * 6
    assert len([s for s in seen["statements"] if s.startswith("INSERT INTO delivery_slots")]) == 6
    assert len(seen["transactions"]) <= 7  # one each would be 13: the claim and 12 steps
