"""Weekly digests as sent: the figures of an area's week are stored once, so sending again shows the same numbers."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, JSONType, UTCDateTime


class Digest(Base):
    __tablename__ = "digests"

    id: Mapped[int] = mapped_column(primary_key=True)
    area_code: Mapped[str] = mapped_column(String(16))
    week: Mapped[str] = mapped_column(String(8))
    """ISO week, e.g. ``2026-W48`` (Monday to Sunday in the area's time zone)."""
    figures: Mapped[dict[str, Any]] = mapped_column(JSONType)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (UniqueConstraint("area_code", "week"),)
