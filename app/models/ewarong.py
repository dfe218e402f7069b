"""A TKSK's monitoring visits to e-Warong agents, by the "6 T" (``DOMAIN.md`` §4).

One row per visit: what the KPM received (tepat jumlah), the prices against HET
(tepat harga), the quality (tepat mutu), the timeliness (tepat waktu), whether the
KPM shopped themselves with their own card (tepat sasaran), and the transactions
that went through or failed, with the reasons (tepat administrasi). Each "not met"
has a note in the TKSK's words. Failure reasons are codes of
``conversations/ewarong.py`` separated by ``;`` (``no_balance;wrong_pin``).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, JSONType, UTCDateTime


class EwarongVisit(Base):
    __tablename__ = "ewarong_visits"

    id: Mapped[int] = mapped_column(primary_key=True)
    agent_id: Mapped[int] = mapped_column(ForeignKey("ewarong_agents.id"), index=True)
    area_code: Mapped[str] = mapped_column(String(16), ForeignKey("areas.code"))
    visitor_person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), index=True)
    visited_at: Mapped[datetime] = mapped_column(UTCDateTime)
    items: Mapped[str] = mapped_column(Text, default="")
    """Tepat jumlah: the items and quantities the KPM received, as written (``beras 10 kg, telur 1 kg``)."""
    prices_ok: Mapped[bool] = mapped_column(Boolean, default=True)
    price_note: Mapped[str] = mapped_column(Text, default="")
    quality_ok: Mapped[bool] = mapped_column(Boolean, default=True)
    quality_note: Mapped[str] = mapped_column(Text, default="")
    on_time: Mapped[bool] = mapped_column(Boolean, default=True)
    time_note: Mapped[str] = mapped_column(Text, default="")
    on_target: Mapped[bool] = mapped_column(Boolean, default=True)
    """Tepat sasaran: the KPM shopped themselves, with their own KKS card."""
    target_note: Mapped[str] = mapped_column(Text, default="")
    transactions_ok: Mapped[int] = mapped_column(Integer, default=0)
    transactions_failed: Mapped[int] = mapped_column(Integer, default=0)
    failure_reasons: Mapped[str] = mapped_column(Text, default="")
    """Codes separated by ``;``: no_balance, card_blocked, wrong_pin, edc_broken, other."""
    failure_note: Mapped[str] = mapped_column(Text, default="")
    """What was written for "other" (or as the reason itself)."""
    note: Mapped[str] = mapped_column(Text, default="")
    media: Mapped[list[str]] = mapped_column(JSONType, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (Index("ix_ewarong_visits_area_code_visited_at", "area_code", "visited_at"),)
