"""Messages in (one row per provider message, unique per channel) and out (the outbox)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, JSONType, UTCDateTime

INBOUND_STATUSES = ("processed", "failed")
OUTBOUND_STATUSES = ("queued", "claimed", "sending", "sent", "delivered", "read", "failed", "unconfirmed")
"""``unconfirmed``: the provider may have accepted it (no clear answer after sending); not sent again, for an operator."""


class InboundMessage(Base):
    """Everything a person sent, kept even when it could not be processed (status ``failed``)."""

    __tablename__ = "inbound_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    external_id: Mapped[str] = mapped_column(String(64))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text, default="")
    payload: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    status: Mapped[str] = mapped_column(String(16))
    error: Mapped[str] = mapped_column(Text, default="")
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    processed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (UniqueConstraint("channel", "external_id"),)


class OutboundMessage(Base):
    """One message to send; the idempotency key makes writing it twice impossible."""

    __tablename__ = "outbound_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    idempotency_key: Mapped[str] = mapped_column(String(128), unique=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), index=True)
    channel: Mapped[str] = mapped_column(String(16))
    address: Mapped[str] = mapped_column(String(64))
    purpose: Mapped[str] = mapped_column(String(32), default="reply")
    body: Mapped[dict[str, Any]] = mapped_column(JSONType)
    status: Mapped[str] = mapped_column(String(16), default="queued")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    ambiguous_failures: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    """Sends that may have reached the provider without a clear answer (timeout, 5xx): each retry risks a duplicate."""
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime)
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    """While ``claimed`` or ``sending``: after this, the worker that held it is presumed dead."""
    provider_status: Mapped[str] = mapped_column(String(16), default="")
    provider_message_id: Mapped[str | None] = mapped_column(String(64), index=True)
    error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (
        Index("ix_outbound_messages_status_next_attempt_at", "status", "next_attempt_at"),
        Index("ix_outbound_messages_channel_address_id", "channel", "address", "id"),
    )
