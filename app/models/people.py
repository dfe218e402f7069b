"""People, the channel identities they write from, and the roles they hold in areas."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, UTCDateTime

ROLES = ("psm", "tksk", "pkh", "operator", "admin")
CHANNELS = ("telegram", "whatsapp", "simulator")


class Person(Base):
    __tablename__ = "people"

    id: Mapped[int] = mapped_column(primary_key=True)
    display_name: Mapped[str] = mapped_column(String(120), default="")
    phone: Mapped[str | None] = mapped_column(String(20), unique=True)
    locale: Mapped[str] = mapped_column(String(8), default="id")
    area_code: Mapped[str | None] = mapped_column(String(16), ForeignKey("areas.code"))
    consent_given_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    consent_declined_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    opted_out_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    identities: Mapped[list[ChannelIdentity]] = relationship(back_populates="person", lazy="raise")
    roles: Mapped[list[RoleAssignment]] = relationship(back_populates="person", lazy="raise")


class ChannelIdentity(Base):
    """Where a person writes from: a Telegram user id, a WhatsApp E.164 number, a simulator phone."""

    __tablename__ = "channel_identities"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    channel: Mapped[str] = mapped_column(String(16))
    address: Mapped[str] = mapped_column(String(64))
    last_inbound_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    unreachable_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    person: Mapped[Person] = relationship(back_populates="identities", lazy="raise")

    __table_args__ = (UniqueConstraint("channel", "address"),)


class RoleAssignment(Base):
    """A role held in an area: a TKSK for a kecamatan, a PSM or PKH facilitator for a village."""

    __tablename__ = "role_assignments"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    role: Mapped[str] = mapped_column(String(16))
    area_code: Mapped[str] = mapped_column(String(16), ForeignKey("areas.code"), index=True)
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime)

    person: Mapped[Person] = relationship(back_populates="roles", lazy="raise")

    __table_args__ = (UniqueConstraint("person_id", "role", "area_code"),)
