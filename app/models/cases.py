"""Cases: a household's report (``kpm_report``) or a companion's case, and every change to it as an event.

A case's ``reference`` (``KB-7Q4K2``) is what people see and type. Stories and
answers are sensitive (UU 27/2022): they are read through services that write
the audit log, and never logged.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, JSONType, UTCDateTime

CASE_STATUSES = ("new", "in_progress", "referred", "resolved", "closed_unresolved")
OPEN_STATUSES = ("new", "in_progress", "referred")
KKS_STEPS = ("letter", "police", "dinsos", "bank", "card_received")


class Case(Base):
    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(12), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    category: Mapped[str] = mapped_column(String(32), index=True)
    status: Mapped[str] = mapped_column(String(20), default="new")
    procedure_step: Mapped[str | None] = mapped_column(String(20))
    area_code: Mapped[str] = mapped_column(String(16), ForeignKey("areas.code"), index=True)
    household_id: Mapped[int | None] = mapped_column(ForeignKey("households.id"), index=True)
    household_name: Mapped[str] = mapped_column(String(120), default="")
    reporter_person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), index=True)
    filed_by_person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    assignee_person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), index=True)
    routed_role: Mapped[str] = mapped_column(String(16), default="")
    details: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    follow_up_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (
        Index("ix_cases_area_code_status", "area_code", "status"),
        Index("ix_cases_area_code_created_at", "area_code", "created_at"),
        Index("ix_cases_area_code_closed_at", "area_code", "closed_at"),
    )


class CaseEvent(Base):
    """One thing that happened to a case: ``opened``, ``report_attached``, ``status_changed`` …"""

    __tablename__ = "case_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    actor_person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    kind: Mapped[str] = mapped_column(String(32))
    note: Mapped[str] = mapped_column(Text, default="")
    data: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
