"""Official administrative areas (kode wilayah Kemendagri), with each one's IANA time zone."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Index, SmallInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base


class Area(Base):
    """A province (``32``), regency/city (``32.73``), kecamatan (``32.73.07``) or village (``32.73.07.1001``)."""

    __tablename__ = "areas"

    code: Mapped[str] = mapped_column(String(16), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    level: Mapped[int] = mapped_column(SmallInteger)
    parent_code: Mapped[str | None] = mapped_column(String(16), ForeignKey("areas.code"), index=True)
    timezone: Mapped[str] = mapped_column(String(32))

    __table_args__ = (Index("ix_areas_level_name", "level", "name"),)
