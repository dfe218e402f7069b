"""Who may see and change a case: its assignee, and companions and operators whose area contains it."""

from __future__ import annotations

from app.models import Case, Person


def area_contains(outer: str, inner: str) -> bool:
    """``"35.17.18"`` contains ``"35.17.18.2001"``; an area contains itself."""
    return inner == outer or inner.startswith(outer + ".")


def may_work_on(person: Person, case: Case) -> bool:
    if case.assignee_person_id == person.id:
        return True
    return any(area_contains(role.area_code, case.area_code) for role in person.roles)
