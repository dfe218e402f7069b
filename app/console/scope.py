"""What a signed-in person may see in the console: the areas of their roles, exactly as in chat."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, false, or_, select
from sqlalchemy.orm import Session

from app.areas.scope import within
from app.cases.access import area_contains
from app.models import Area, Person

VILLAGE_LEVEL = 4  # province 1, regency/city 2, kecamatan 3, village 4
OPERATOR_ROLES = ("operator", "admin")
"""Roles that run an area's office: they see its people and households, upload lists and invite."""


def areas_of(person: Person) -> list[str]:
    """The person's role areas, without one inside another (an admin of 32.73 needs no 32.73.07 beside it)."""
    codes = sorted({role.area_code for role in person.roles})
    return [c for c in codes if not any(o != c and area_contains(o, c) for o in codes)]


def covers(person: Person, area_code: str) -> bool:
    return any(area_contains(role.area_code, area_code) for role in person.roles)


def runs_office(person: Person, area_code: str | None = None) -> bool:
    """An operator or admin (of ``area_code`` when given)."""
    return any(
        role.role in OPERATOR_ROLES and (area_code is None or area_contains(role.area_code, area_code))
        for role in person.roles
    )


def in_scope(column: Any, person: Person) -> ColumnElement[bool]:
    """A filter keeping rows whose area ``column`` lies in one of the person's areas."""
    codes = areas_of(person)
    if not codes:
        return false()
    return or_(*(within(column, code) for code in codes))


def villages_in_scope(db: Session, person: Person) -> list[tuple[str, str]]:
    """``(code, name)`` of every village in the person's areas, by name (for filters and forms)."""
    rows = db.execute(
        select(Area.code, Area.name).where(Area.level == VILLAGE_LEVEL, in_scope(Area.code, person)).order_by(Area.name)
    )
    return [(code, name) for code, name in rows]
