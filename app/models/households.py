"""Beneficiary households (KPM). NIK and KK numbers are kept only as a keyed hash and a masked form."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, UTCDateTime


class Household(Base):
    __tablename__ = "households"

    id: Mapped[int] = mapped_column(primary_key=True)
    head_name: Mapped[str] = mapped_column(String(120))
    nik_hash: Mapped[str] = mapped_column(String(64), unique=True)
    nik_masked: Mapped[str] = mapped_column(String(16))
    kk_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    kk_masked: Mapped[str | None] = mapped_column(String(16))
    address: Mapped[str] = mapped_column(String(200), default="")
    rt: Mapped[str] = mapped_column(String(4), default="")
    rw: Mapped[str] = mapped_column(String(4), default="")
    area_code: Mapped[str] = mapped_column(String(16), ForeignKey("areas.code"), index=True)
    phone: Mapped[str | None] = mapped_column(String(20), index=True)
    programs: Mapped[str] = mapped_column(String(255), default="")  # "sembako;pkh;Rutilahu": app.households.programs
    group_name: Mapped[str] = mapped_column(String(64), default="")
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (Index("ix_households_area_code_group_name", "area_code", "group_name"),)
