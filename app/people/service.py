"""Finding (or creating) the person behind a channel identity, and what the engine may know of them."""

from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import Row, bindparam, func, or_, select
from sqlalchemy.orm import Session

from app import audit
from app.areas.scope import within
from app.models import Case, ChannelIdentity, Household, Person, RoleAssignment
from app.models.cases import OPEN_STATUSES
from app.people.phones import normalize_phone
from app.refusals import covers
from conversations.matching import ELDERS
from conversations.types import CaseView, HouseholdView, PersonView, RoleView, WorkCaseView
from conversations.understand.lexicon import ADDRESS_TERMS

_IDENTITY = select(ChannelIdentity).where(  # built once: this runs for every message
    ChannelIdentity.channel == bindparam("channel"), ChannelIdentity.address == bindparam("address")
)


def resolve_identity(
    db: Session,
    *,
    channel: str,
    address: str,
    phone: str | None,
    display_name: str,
    default_locale: str,
    now: datetime,
) -> ChannelIdentity:
    """The identity for ``(channel, address)``; a new one joins the person with that phone, or a new person."""
    with db.no_autoflush:
        identity = db.scalar(_IDENTITY, {"channel": channel, "address": address})
        if identity is not None:
            return identity
        person = db.scalar(select(Person).where(Person.phone == phone)) if phone else None
    if person is None:
        person = Person(display_name=display_name[:120], phone=phone, locale=default_locale, created_at=now)
        db.add(person)
        db.flush()
    identity = ChannelIdentity(person_id=person.id, channel=channel, address=address, created_at=now)
    db.add(identity)
    return identity


def link_phone(db: Session, *, identity: ChannelIdentity, phone: str, now: datetime) -> None:
    """Learn a phone number for the person behind ``identity`` (e.g. a contact shared on Telegram).

    When another person already has that number (say, a household imported with it
    or someone who wrote on WhatsApp), this identity joins that person.
    """
    person = db.get(Person, identity.person_id)
    if person is None or person.phone == phone:
        return
    other = db.scalar(select(Person).where(Person.phone == phone))
    if other is None:
        person.phone = phone
        audit.record(db, actor_id=person.id, action="phone_learned", subject_type="person", subject_id=person.id, now=now)
        return
    identity.person_id = other.id
    audit.record(
        db, actor_id=other.id, action="identity_linked", subject_type="person", subject_id=other.id, now=now,
        channel=identity.channel, previous_person_id=person.id,
    )  # fmt: skip


def households_of(db: Session, person: Person) -> tuple[HouseholdView, ...]:
    """The households this person speaks for: linked to them, or registered with their phone."""
    condition = Household.person_id == person.id
    if person.phone:
        condition = or_(condition, Household.phone == person.phone)
    rows = db.execute(  # the columns the view needs, not whole rows with their NIK hashes
        select(Household.id, Household.head_name, Household.area_code, Household.rt, Household.rw, Household.programs)
        .where(condition).order_by(Household.id).limit(10)
    )  # fmt: skip
    return tuple(
        HouseholdView(h.id, h.head_name, h.area_code, h.rt, h.rw, tuple(p for p in h.programs.split(";") if p)) for h in rows
    )


def household_named(db: Session, companion: Person, typed: str) -> HouseholdView | None:
    """The household on the list a companion filing for one named, in one of their areas: by its phone number, or
    by its head's name when exactly one household of their areas has it ("bu sari" for "Bu Sari"); ``None``
    otherwise (the report then keeps what was typed). The household a report filed so goes to
    (``app.cases.service``)."""
    phone = normalize_phone(typed)
    columns = (Household.id, Household.head_name, Household.area_code, Household.rt, Household.rw, Household.programs)
    if phone is not None:
        row = db.execute(select(*columns).where(Household.phone == phone).order_by(Household.id).limit(1)).first()
        return _household_view(row) if row is not None and covers(companion, row.area_code) else None
    name = name_core(typed)
    areas = sorted({role.area_code for role in companion.roles})
    if len(name) < MIN_NAME or not areas:
        return None
    rows = db.execute(
        select(*columns)
        .where(or_(*(within(Household.area_code, code) for code in areas)), func.lower(Household.head_name).contains(name))
        .limit(NAME_MATCHES)
    ).all()  # fmt: skip
    named = [row for row in rows if name_core(row.head_name) == name]
    return _household_view(named[0]) if len(named) == 1 else None


MIN_NAME = 3
NAME_MATCHES = 50
"""Households of the companion's areas whose head's name holds the typed name, read to find the one it is."""


def name_core(name: str) -> str:
    """A head's name as people type it, for comparing: "Bu  Sari." and "bu sari" → "sari"; "SITI AMINAH" →
    "siti aminah"."""
    words = re.sub(r"[^\w\s]", " ", name.casefold()).split()
    while len(words) > 1 and (words[0] in ADDRESS_TERMS or words[0] in ELDERS):
        words = words[1:]
    return " ".join(words)


def _household_view(row: Row[int, str, str, str, str, str]) -> HouseholdView:
    return HouseholdView(row.id, row.head_name, row.area_code, row.rt, row.rw, tuple(p for p in row.programs.split(";") if p))


def cases_of(db: Session, person: Person, limit: int = 20) -> tuple[CaseView, ...]:
    """The reports this person made, newest first."""
    rows = db.execute(
        select(Case.reference, Case.category, Case.status, Case.procedure_step, Case.household_id)
        .where(Case.reporter_person_id == person.id).order_by(Case.created_at.desc()).limit(limit)
    )  # fmt: skip
    return tuple(
        CaseView(c.reference, c.category, c.status, c.procedure_step or "", c.household_id, c.status in OPEN_STATUSES)
        for c in rows
    )


def person_view(
    person: Person,
    *,
    households: tuple[HouseholdView, ...] = (),
    cases: tuple[CaseView, ...] = (),
    work: tuple[WorkCaseView, ...] = (),
) -> PersonView:
    return PersonView(
        households=households,
        cases=cases,
        work=work,
        locale=person.locale,
        consented=person.consent_given_at is not None,
        declined=person.consent_declined_at is not None,
        area_code=person.area_code or "",
        opted_out=person.opted_out_at is not None,
        roles=tuple(RoleView(r.role, r.area_code) for r in person.roles),
        display_name=person.display_name,
    )


def grant_role(db: Session, *, person: Person, role: str, area_code: str, now: datetime) -> RoleAssignment:
    """Give ``person`` a role in an area (idempotent)."""
    existing = db.scalar(
        select(RoleAssignment).where(
            RoleAssignment.person_id == person.id, RoleAssignment.role == role, RoleAssignment.area_code == area_code
        )
    )
    if existing is not None:
        return existing
    assignment = RoleAssignment(person_id=person.id, role=role, area_code=area_code, granted_at=now)
    db.add(assignment)
    db.flush()
    return assignment
