"""Reminders: one row per message that is due at a moment, moved into the outbox exactly once.

The ``key`` names what the reminder is for (``meeting:7:v2:eve:person:31``,
``overdue:12:2026-11-24``); it is unique, and the outbox row it becomes is
keyed ``reminder:<key>``, so neither a second scheduler nor a restart can send
it twice. ``body`` is the message, written in the reader's language when the
reminder was planned.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, JSONType, UTCDateTime

REMINDER_STATUSES = ("pending", "queued", "skipped", "dropped", "cancelled")


class Reminder(Base):
    __tablename__ = "reminders"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(128), unique=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id"), index=True)
    kind: Mapped[str] = mapped_column(String(24))
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    not_after: Mapped[datetime | None] = mapped_column(UTCDateTime)
    """Pointless from this moment (the meeting has begun): dropped instead of sent."""
    timezone: Mapped[str] = mapped_column(String(32))
    body: Mapped[dict[str, Any]] = mapped_column(JSONType)
    status: Mapped[str] = mapped_column(String(12), default="pending")
    note: Mapped[str] = mapped_column(String(64), default="")
    """Why it was skipped or dropped: opted_out, unreachable, missed, quiet_hours, too_late."""
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    processed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (
        Index("ix_reminders_status_due_at", "status", "due_at"),
        Index("ix_reminders_person_id_status", "person_id", "status"),
    )
