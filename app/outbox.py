"""The outbox: every outgoing message is a row with a unique idempotency key.

Replies are written here in the same transaction as the message that caused
them. Channel workers deliver them; the simulator reads its own rows directly.

BERHENTI is honoured here, for every channel: a message to a person who opted
out goes out only when it is a direct reply to what they just wrote (purpose
``reply``). Anything else — meeting news, case news, reminders, digests — is
refused when it is written (the row is kept, ``failed`` with the reason, so it
is never sent later either) and again when it is taken for delivery (by the
channel worker or the simulator), for the person who opted out meanwhile.

Queuing a row wakes the delivery worker once the transaction commits
(``app.outbox_wakeup``), so a reply goes out at once without polling.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, insert, select
from sqlalchemy.orm import Session

from app.models import ChannelIdentity, OutboundMessage, Person
from app.outbox_wakeup import announce
from conversations.types import Reply

DIRECT_REPLY = "reply"
OUTBOX = cast(Table, OutboundMessage.__table__)
OPTED_OUT = "recipient opted out of broadcasts (BERHENTI)"


def is_broadcast(purpose: str) -> bool:
    """Everything but a direct reply to what the person just wrote: news, reminders, digests, notices."""
    return purpose != DIRECT_REPLY


WORK = frozenset({"case_assigned", "case_informed", "case_update"})
"""A companion's work (a case given to them, a report to read, a hand-over): BERHENTI stops reminders and news,
not the cases a companion holds. Households never get these."""


def refusal(purpose: str, *, opted_out: bool) -> str:
    """Why a message with ``purpose`` must not reach its person ("" when it may): the one BERHENTI rule."""
    return OPTED_OUT if opted_out and is_broadcast(purpose) and purpose not in WORK else ""


def reply_body(reply: Reply) -> dict[str, Any]:
    return {
        "text": reply.text,
        "options": [{"key": o.key, "label": o.label} for o in reply.options],
        "media": [{"ref": m.ref, "mime_type": m.mime_type} for m in reply.media],
    }


def enqueue_reply(
    db: Session, *, key: str, identity: ChannelIdentity, reply: Reply, now: datetime, purpose: str = "reply"
) -> OutboundMessage:
    """Queue ``reply`` for ``identity``; a second row with the same ``key`` violates the unique constraint.

    A broadcast to a person who opted out is written already ``failed`` (with the reason), never queued.
    """
    refused = refusal(purpose, opted_out=is_broadcast(purpose) and _opted_out(db, identity.person_id))
    message = OutboundMessage(
        idempotency_key=key,
        person_id=identity.person_id,
        channel=identity.channel,
        address=identity.address,
        purpose=purpose,
        body=reply_body(reply),
        status="failed" if refused else "queued",
        attempts=0,
        next_attempt_at=now,
        error=refused,
        created_at=now,
    )
    db.add(message)
    if not refused and identity.channel != "simulator":  # the simulator takes its own rows (take_simulator_messages)
        announce(db)
    return message


def enqueue_replies(db: Session, *, identity: ChannelIdentity, replies: Sequence[tuple[str, Reply]], now: datetime) -> None:
    """Queue the direct replies to what ``identity`` just wrote, ``(key, reply)`` each, in one statement.

    Direct replies are never refused (BERHENTI stops broadcasts only); a key already used violates the unique constraint.
    """
    if not replies:
        return
    rows = [
        {
            "idempotency_key": key, "person_id": identity.person_id, "channel": identity.channel,
            "address": identity.address, "purpose": DIRECT_REPLY, "body": reply_body(reply), "status": "queued",
            "attempts": 0, "next_attempt_at": now, "error": "", "created_at": now,
        }  # fmt: skip
        for key, reply in replies
    ]
    db.execute(insert(OUTBOX), rows)
    if identity.channel != "simulator":  # the simulator takes its own rows (take_simulator_messages)
        announce(db)


def _opted_out(db: Session, person_id: int | None) -> bool:
    person = db.get(Person, person_id) if person_id is not None else None
    return person is not None and person.opted_out_at is not None


def enqueue_once(
    db: Session, *, key: str, identity: ChannelIdentity, reply: Reply, now: datetime, purpose: str = "reply"
) -> OutboundMessage | None:
    """Like ``enqueue_reply``, but nothing happens (None) when a message with ``key`` already exists."""
    if db.scalar(select(OutboundMessage.id).where(OutboundMessage.idempotency_key == key)) is not None:
        return None
    return enqueue_reply(db, key=key, identity=identity, reply=reply, now=now, purpose=purpose)


def take_simulator_messages(db: Session, *, address: str, now: datetime) -> list[OutboundMessage]:
    """The simulator's delivery: its queued rows that are due, oldest first, marked delivered as they are taken.

    A broadcast to a person who opted out after it was queued is refused here, as the channel worker does.
    """
    rows = db.execute(
        select(OutboundMessage, Person.opted_out_at)
        .outerjoin(Person, Person.id == OutboundMessage.person_id)
        .where(
            OutboundMessage.channel == "simulator",
            OutboundMessage.address == address,
            OutboundMessage.status == "queued",
            OutboundMessage.next_attempt_at <= now,  # news held back through the night waits here too
        )
        .order_by(OutboundMessage.id)
    ).all()
    taken = []
    for row, opted_out_at in rows:
        row.attempts += 1
        refused = refusal(row.purpose, opted_out=opted_out_at is not None)
        if refused:
            row.status = "failed"
            row.error = refused
            continue
        row.status = "delivered"
        row.sent_at = now
        taken.append(row)
    return taken


STATUS_RANK = {"queued": 0, "accepted": 0, "scheduled": 0, "sending": 1, "sent": 2, "delivered": 3, "read": 4}
FAILED_STATUSES = ("failed", "undelivered")


def record_provider_status(db: Session, *, provider_message_id: str, status: str, error_code: str = "") -> bool:
    """Apply a provider's delivery status, only ever forward (a late "sent" never undoes "read")."""
    message = db.scalar(select(OutboundMessage).where(OutboundMessage.provider_message_id == provider_message_id))
    if message is None:
        return False
    current = message.provider_status or message.status
    if status in FAILED_STATUSES:
        if STATUS_RANK.get(current, 0) >= STATUS_RANK["delivered"] or current in FAILED_STATUSES:
            return False
        message.status = "failed"
        message.provider_status = status
        message.error = f"{status} (error {error_code})" if error_code else status
        return True
    if status not in STATUS_RANK or current in FAILED_STATUSES:
        return False
    if STATUS_RANK[status] <= STATUS_RANK.get(current, 0):
        return False
    message.provider_status = status
    if status in ("delivered", "read"):
        message.status = status
    return True
