"""Sends per second per channel, shared by every process that delivers (see ``app.delivery_limits``)."""

from __future__ import annotations

from sqlalchemy import BigInteger, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base


class DeliverySlot(Base):
    """How many sends of ``channel`` are booked in the wall-clock second ``second`` (Unix time), all processes together.

    Example: ``DeliverySlot(channel="whatsapp", second=1795000000, used=80)`` — that second is full at 80/s.
    Rows older than a minute are deleted as new seconds are booked.
    """

    __tablename__ = "delivery_slots"

    channel: Mapped[str] = mapped_column(String(16), primary_key=True)
    second: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    used: Mapped[int] = mapped_column(Integer, default=0)
