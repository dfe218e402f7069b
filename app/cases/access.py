"""Who may see and change a case: its assignee, and companions and operators whose area contains it.
Who may see the household's phone: its assignee and the operators of its area only."""

from __future__ import annotations

from app.models import Case, Person


def area_contains(outer: str, inner: str) -> bool:
    """``"35.17.18"`` contains ``"35.17.18.2001"``; an area contains itself."""
    return inner == outer or inner.startswith(outer + ".")


def may_work_on(person: Person, case: Case) -> bool:
    if case.assignee_person_id == person.id:
        return True
    return any(area_contains(role.area_code, case.area_code) for role in person.roles)


CONTACT_ROLES = ("operator",)
"""Besides the assignee, who may see a household's phone: the operators of the case's area."""


def may_see_contact(person: Person, case: Case) -> bool:
    """The household's phone is for the companion the case is assigned to and the area's operators, nobody else."""
    if case.assignee_person_id is not None and case.assignee_person_id == person.id:
        return True
    return any(role.role in CONTACT_ROLES and area_contains(role.area_code, case.area_code) for role in person.roles)
