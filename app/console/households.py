"""The household list of an office (kelurahan operator, Dinas Sosial admin): search by name or phone, paged.

Only people who run an area's office see it, and only for the areas they run: a companion finds a household
through its cases, not through the whole list. Every page of results is an audited read of personal data.
NIK and KK appear only in their stored masked form.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, false, func, or_, select
from sqlalchemy.orm import Session

from app import audit
from app.areas.scope import within
from app.cases.access import area_contains
from app.console.scope import OPERATOR_ROLES
from app.models import Area, Case, Household, Person
from app.models.cases import OPEN_STATUSES
from app.people.phones import mask_phone, normalize_phone
from app.people.reach import best_identities

PAGE_SIZE = 25
MAX_QUERY = 80
_PHONE_LIKE = re.compile(r"\+?[0-9][0-9 .\-]{6,}")


def office_areas(person: Person) -> list[str]:
    """The areas whose office the person runs (operator or admin), without one inside another."""
    codes = sorted({role.area_code for role in person.roles if role.role in OPERATOR_ROLES})
    return [c for c in codes if not any(o != c and area_contains(o, c) for o in codes)]


def in_office_scope(column: Any, person: Person) -> ColumnElement[bool]:
    """A filter keeping rows whose area lies in an area the person runs."""
    codes = office_areas(person)
    return or_(*(within(column, code) for code in codes)) if codes else false()


@dataclass(frozen=True)
class Search:
    """What was asked: a phone number (E.164) when the text reads as one, else part of a name."""

    text: str
    phone: str | None

    @property
    def kind(self) -> str:
        return "phone" if self.phone else ("name" if self.text else "all")


def read_search(raw: str) -> Search:
    """``0812-3456-7890``, ``62812…`` and ``+62812…`` are one phone number; anything else is part of a name."""
    text = " ".join(raw.split())[:MAX_QUERY]
    phone = normalize_phone(text) if _PHONE_LIKE.fullmatch(text) else None
    return Search(text, phone)


@dataclass(frozen=True)
class HouseholdRow:
    id: int
    head_name: str
    village: str
    rt: str
    rw: str
    nik_masked: str
    programs: tuple[str, ...]
    group_name: str
    uses_chat: bool
    open_cases: int


@dataclass(frozen=True)
class HouseholdPage:
    search: Search
    rows: list[HouseholdRow]
    total: int
    page: int
    pages: int


def search_households(db: Session, person: Person, raw_query: str, *, page: int, now: datetime) -> HouseholdPage:
    """One page of the households in the person's office areas matching the query, audited.

    The audit row keeps the kind of search, the count and the households shown; a phone searched is kept masked.
    """
    search = read_search(raw_query)
    condition = in_office_scope(Household.area_code, person)
    if search.phone:
        condition = condition & (Household.phone == search.phone)
    elif search.text:
        condition = condition & func.lower(Household.head_name).contains(search.text.lower(), autoescape=True)
    total = db.scalar(select(func.count()).select_from(Household).where(condition)) or 0
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(page, 1), pages)
    found = db.execute(
        select(Household, Area.name)
        .join(Area, Area.code == Household.area_code)
        .where(condition)
        .order_by(func.lower(Household.head_name), Household.id)
        .offset((page - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE)
    ).all()
    households = [household for household, _ in found]
    chatting = _chat_users(db, households)
    open_cases = _open_cases(db, [h.id for h in households])
    rows = [
        HouseholdRow(
            h.id, h.head_name, village, h.rt, h.rw, h.nik_masked, tuple(p for p in h.programs.split(";") if p),
            h.group_name, h.id in chatting, open_cases.get(h.id, 0),
        )  # fmt: skip
        for h, village in found
    ]
    shown = {"query": mask_phone(search.phone)} if search.phone else ({"query": search.text} if search.text else {})
    audit.record(db, actor_id=person.id, action="households_searched", subject_type="household_list",
                 subject_id=",".join(office_areas(person))[:64], now=now, kind=search.kind, found=total, page=page,
                 shown=[row.id for row in rows], **shown)  # fmt: skip
    return HouseholdPage(search, rows, total, page, pages)


def _chat_users(db: Session, households: list[Household]) -> set[int]:
    """The households whose person (linked, or with the household's phone) can be reached in chat now."""
    by_phone: dict[str, int] = {}
    phones = [h.phone for h in households if h.person_id is None and h.phone]
    if phones:
        found = db.execute(select(Person.phone, Person.id).where(Person.phone.in_(phones)))
        by_phone = {phone: person_id for phone, person_id in found if phone is not None}
    person_of = {h.id: h.person_id or by_phone.get(h.phone or "") for h in households}
    ids = {pid for pid in person_of.values() if pid}
    if not ids:
        return set()
    opted_out = set(db.scalars(select(Person.id).where(Person.id.in_(ids), Person.opted_out_at.is_not(None))))
    reachable = set(best_identities(db, ids)) - opted_out
    return {hid for hid, pid in person_of.items() if pid in reachable}


def _open_cases(db: Session, household_ids: list[int]) -> dict[int, int]:
    if not household_ids:
        return {}
    rows = db.execute(
        select(Case.household_id, func.count())
        .where(Case.household_id.in_(household_ids), Case.status.in_(OPEN_STATUSES))
        .group_by(Case.household_id)
    )
    return {household_id: count for household_id, count in rows if household_id is not None}
