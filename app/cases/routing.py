"""Who handles a case, by area and category.

KKS and e-Warong problems go to the TKSK of the kecamatan, PKH matters to the
PKH facilitator of the village, data problems to the kelurahan operator; the
PSM of the village is informed. Where nobody holds the role, the case is
unassigned and the kelurahan operator is told.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Person, RoleAssignment


@dataclass(frozen=True)
class Routing:
    assignee: Person | None
    informed: tuple[Person, ...]
    role: str


def ancestors(area_code: str) -> list[str]:
    """``32.73.07.1001`` → ``["32.73.07.1001", "32.73.07", "32.73", "32"]``."""
    parts = area_code.split(".")
    return [".".join(parts[:n]) for n in range(len(parts), 0, -1)]


def holders(db: Session, *, role: str, area_code: str) -> list[Person]:
    """People with ``role`` for this area: the closest level first (village, then kecamatan, …)."""
    levels = ancestors(area_code)
    rows = db.execute(
        select(Person, RoleAssignment.area_code)
        .join(RoleAssignment, RoleAssignment.person_id == Person.id)
        .where(RoleAssignment.role == role, RoleAssignment.area_code.in_(levels))
        .order_by(Person.id)
    ).all()
    rows.sort(key=lambda row: levels.index(row[1]))
    seen: dict[int, Person] = {}
    for person, _area in rows:
        seen.setdefault(person.id, person)
    return list(seen.values())


def route(db: Session, *, role: str, area_code: str) -> Routing:
    responsible = holders(db, role=role, area_code=area_code)
    informed = [p for p in holders(db, role="psm", area_code=area_code) if not responsible or p.id != responsible[0].id]
    if responsible:
        return Routing(responsible[0], tuple(informed), role)
    operators = holders(db, role="operator", area_code=area_code)
    return Routing(None, tuple(operators + informed), role)
