"""The outbox: every outgoing message is a row with a unique idempotency key.

Replies are written here in the same transaction as the message that caused
them. Channel workers deliver them; the simulator reads its own rows directly.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import ChannelIdentity, OutboundMessage
from conversations.types import Reply


def reply_body(reply: Reply) -> dict[str, Any]:
    return {
        "text": reply.text,
        "options": [{"key": o.key, "label": o.label} for o in reply.options],
        "media": [{"ref": m.ref, "mime_type": m.mime_type} for m in reply.media],
    }


def enqueue_reply(
    db: Session, *, key: str, identity: ChannelIdentity, reply: Reply, now: datetime, purpose: str = "reply"
) -> OutboundMessage:
    """Queue ``reply`` for ``identity``; a second row with the same ``key`` violates the unique constraint."""
    message = OutboundMessage(
        idempotency_key=key,
        person_id=identity.person_id,
        channel=identity.channel,
        address=identity.address,
        purpose=purpose,
        body=reply_body(reply),
        status="queued",
        attempts=0,
        next_attempt_at=now,
        created_at=now,
    )
    db.add(message)
    return message


def enqueue_once(
    db: Session, *, key: str, identity: ChannelIdentity, reply: Reply, now: datetime, purpose: str = "reply"
) -> OutboundMessage | None:
    """Like ``enqueue_reply``, but nothing happens (None) when a message with ``key`` already exists."""
    if db.scalar(select(OutboundMessage.id).where(OutboundMessage.idempotency_key == key)) is not None:
        return None
    return enqueue_reply(db, key=key, identity=identity, reply=reply, now=now, purpose=purpose)


def take_simulator_messages(db: Session, *, address: str, now: datetime) -> list[OutboundMessage]:
    """The simulator's delivery: its queued rows, oldest first, marked delivered as they are taken."""
    rows = list(
        db.scalars(
            select(OutboundMessage)
            .where(
                OutboundMessage.channel == "simulator",
                OutboundMessage.address == address,
                OutboundMessage.status == "queued",
            )
            .order_by(OutboundMessage.id)
        )
    )
    for row in rows:
        row.status = "delivered"
        row.sent_at = now
        row.attempts += 1
    return rows
