"""Reaching a household about its case: its phone, as a number to read, a tap-to-call and a chat link.

Only the companion the case is assigned to and the operators of its area see the phone
(``access.may_see_contact``). Every time it is shown there is a line in the audit log
(``household_contact_viewed``, with where: ``new_case_notice`` or ``case_view``); the number
itself is never logged.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TypeVar

import phonenumbers
from sqlalchemy import select
from sqlalchemy.orm import Session

from app import audit
from app.models import Case, Household, Person
from app.people.phones import normalize_phone
from conversations.types import ContactView, Translate

AUDIT_ACTION = "household_contact_viewed"

_Row = TypeVar("_Row", Household, Person)


def household_phone(db: Session, case: Case) -> str | None:
    """The household's phone (E.164), or None for a case without a household to call (see ``household_phones``)."""
    return household_phones(db, [case]).get(case.id)


def household_phones(db: Session, cases: Sequence[Case]) -> dict[int, str]:
    """Case id → the household's phone (E.164): the reporter's own (the household that wrote), else the household
    list's, else the phone of the person the household is linked to, else the number a companion typed when filing
    for the household. A case a companion found has none."""
    households = _by_id(db, Household, {c.household_id for c in cases if c.household_id})
    people = _by_id(
        db, Person,
        {c.reporter_person_id for c in cases if c.reporter_person_id} | {h.person_id for h in households.values() if h.person_id},
    )  # fmt: skip
    phones = {}
    for case in cases:
        household = households.get(case.household_id or 0)
        reporter = people.get(case.reporter_person_id or 0)
        owner = people.get(household.person_id or 0) if household is not None else None
        candidates = (
            reporter.phone if reporter is not None else None,
            household.phone if household is not None else None,
            owner.phone if owner is not None else None,
            str((case.details or {}).get("filed_for") or ""),
        )
        phone = next((p for p in (normalize_phone(raw) for raw in candidates if raw) if p), None)
        if phone is not None:
            phones[case.id] = phone
    return phones


def _by_id(db: Session, model: type[_Row], ids: set[int]) -> dict[int, _Row]:
    return {row.id: row for row in db.scalars(select(model).where(model.id.in_(ids)))} if ids else {}


def contact_view(phone: str) -> ContactView:
    """``+6281200000004`` → ``+62 812-0000-0004``, ``tel:+6281200000004``, ``https://wa.me/6281200000004``."""
    number = phonenumbers.parse(phone, None)
    shown = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    return ContactView(shown, f"tel:{phone}", f"https://wa.me/{phone.removeprefix('+')}")


def contact_line(contact: ContactView, t: Translate) -> str:
    """``HP: +62 812-0000-0004 · tel:+6281200000004 · https://wa.me/6281200000004`` (the engine writes the same)."""
    return t("HP: {phone} · {call} · {chat}", phone=contact.phone, call=contact.call, chat=contact.chat)


def shown_contact(db: Session, case: Case, *, reader_id: int, now: datetime, via: str) -> ContactView | None:
    """The household's contact for a reader allowed to see it, with its audit line; None when there is no phone."""
    phone = household_phone(db, case)
    if phone is None:
        return None
    audit.record(db, actor_id=reader_id, action=AUDIT_ACTION, subject_type="case", subject_id=case.reference, now=now, via=via)
    return contact_view(phone)
