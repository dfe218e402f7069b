"""The data subject: a phone number (any form) and everything the database holds that is about that person.

Export and erase both start here, so they always cover the same rows: the person with that phone, their channel
identities, the households registered with that phone or linked to the person, and the cases they reported or
that concern one of those households.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import Session

from app.models import Case, ChannelIdentity, Household, Person
from app.people.phones import normalize_phone


class UnknownPhone(ValueError):
    """The text is not a phone number."""


@dataclass(frozen=True)
class Subject:
    phone: str
    """E.164, e.g. ``+6281234567890``."""
    person: Person | None
    identities: tuple[ChannelIdentity, ...]
    households: tuple[Household, ...]
    cases: tuple[Case, ...]

    @property
    def is_known(self) -> bool:
        return self.person is not None or bool(self.households) or bool(self.identities)


def find_subject(db: Session, raw_phone: str) -> Subject:
    """What is held about the person with this phone (``0812…``, ``62812…``, ``+62812…``); ``UnknownPhone`` if it is none."""
    phone = normalize_phone(raw_phone)
    if phone is None:
        raise UnknownPhone(f"not a valid phone number: {raw_phone!r} (example: +6281234567890)")
    person = db.scalar(select(Person).where(Person.phone == phone))
    by_person = [ChannelIdentity.person_id == person.id] if person is not None else []
    identities = tuple(
        db.scalars(
            select(ChannelIdentity)
            .where(or_(ChannelIdentity.address == phone, *by_person))  # WhatsApp and the simulator write from the phone
            .order_by(ChannelIdentity.id)
        )
    )
    household_match = [Household.phone == phone] + ([Household.person_id == person.id] if person is not None else [])
    households = tuple(db.scalars(select(Household).where(or_(*household_match)).order_by(Household.id)))
    case_match: list[ColumnElement[bool]] = [Case.household_id.in_([h.id for h in households])] if households else []
    if person is not None:
        case_match.append(Case.reporter_person_id == person.id)
    cases = tuple(db.scalars(select(Case).where(or_(*case_match)).order_by(Case.id))) if case_match else ()
    return Subject(phone, person, identities, households, cases)
