"""The rhythms of the households' year: e-Warong agents, P2K2 groups, meetings and who came.

A meeting is a P2K2 session of a group (led by a PKH facilitator) or a food-aid
distribution at an e-Warong agent of a village (scheduled by the TKSK). Its
times are stored in UTC with the village's time zone, so it can be shown in
local time.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, JSONType, UTCDateTime

MEETING_KINDS = ("p2k2", "distribution")
MEETING_STATUSES = ("scheduled", "cancelled", "held")
ATTENDANCE = ("present", "excused", "absent")


class EwarongAgent(Base):
    """An e-Warong (KPM's food-aid shop) of a village, added in chat or imported."""

    __tablename__ = "ewarong_agents"

    id: Mapped[int] = mapped_column(primary_key=True)
    area_code: Mapped[str] = mapped_column(String(16), ForeignKey("areas.code"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    address: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (UniqueConstraint("area_code", "name"),)


class P2k2Group(Base):
    """A P2K2 group of a village; its members are the households whose ``group_name`` is its name."""

    __tablename__ = "p2k2_groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    area_code: Mapped[str] = mapped_column(String(16), ForeignKey("areas.code"), index=True)
    name: Mapped[str] = mapped_column(String(64))
    leader_household_id: Mapped[int | None] = mapped_column(ForeignKey("households.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (UniqueConstraint("area_code", "name"),)


class Meeting(Base):
    __tablename__ = "meetings"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    area_code: Mapped[str] = mapped_column(String(16), ForeignKey("areas.code"))
    timezone: Mapped[str] = mapped_column(String(32))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    place: Mapped[str] = mapped_column(String(200), default="")
    group_id: Mapped[int | None] = mapped_column(ForeignKey("p2k2_groups.id"), index=True)
    module: Mapped[str] = mapped_column(String(32), default="")
    session: Mapped[str] = mapped_column(String(32), default="")
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("ewarong_agents.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), default="scheduled")
    organizer_person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    """Raised by every move; reminders of older versions are cancelled."""
    note: Mapped[str] = mapped_column(Text, default="")
    details: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (Index("ix_meetings_area_code_starts_at", "area_code", "starts_at"),)


class MeetingMember(Base):
    """A household expected at a P2K2 session: its answer to the reminder, then its attendance."""

    __tablename__ = "meeting_members"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id"), index=True)
    answer: Mapped[str] = mapped_column(String(8), default="")
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attendance: Mapped[str] = mapped_column(String(8), default="")

    __table_args__ = (UniqueConstraint("meeting_id", "household_id"),)
