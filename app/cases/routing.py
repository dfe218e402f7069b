"""Who handles a case, by area and category, and who reads it when nobody holds that role.

KKS and e-Warong problems go to the TKSK of the kecamatan, PKH matters to the
PKH facilitator of the village, data problems to the kelurahan operator; the
PSM of the village is informed. Where nobody holds the role, the case stays
unassigned and goes up: the village's operator reads it, else an admin of the
kabupaten/kota, else of the province. The household is told who, by name.
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
    reader: Person | None = None
    """Who reads the case: the assignee, or where there is none the first of the fallback chain (None: nobody)."""
    reader_role: str = ""
    fallback_readers: tuple[Person, ...] = ()
    """When unassigned: everyone up the chain who reads it (the village's operators, or the closest admins)."""


FALLBACK_ROLES = ("operator", "admin")
"""Up the chain when the responsible role is empty: the village's operator, then the closest admin."""


def ancestors(area_code: str) -> list[str]:
    """``32.73.07.1001`` → ``["32.73.07.1001", "32.73.07", "32.73", "32"]``."""
    parts = area_code.split(".")
    return [".".join(parts[:n]) for n in range(len(parts), 0, -1)]


@dataclass(frozen=True)
class Holding:
    person: Person
    role: str
    area_code: str


def holdings(db: Session, area_code: str) -> list[Holding]:
    """Every role held over this area, at any level (village, kecamatan, …), in one query; by person."""
    rows = db.execute(
        select(Person, RoleAssignment.role, RoleAssignment.area_code)
        .join(RoleAssignment, RoleAssignment.person_id == Person.id)
        .where(RoleAssignment.area_code.in_(ancestors(area_code)))
        .order_by(Person.id)
    ).all()
    return [Holding(person, role, code) for person, role, code in rows]


def holders(db: Session, *, role: str, area_code: str, held: list[Holding] | None = None) -> list[Person]:
    """People with ``role`` for this area: the closest level first (village, then kecamatan, …). ``held``: the
    area's ``holdings`` when already read."""
    levels = ancestors(area_code)
    rows = sorted((h for h in (held if held is not None else holdings(db, area_code)) if h.role == role),
                  key=lambda h: levels.index(h.area_code))  # fmt: skip
    seen: dict[int, Person] = {}
    for holding in rows:
        seen.setdefault(holding.person.id, holding.person)
    return list(seen.values())


def route(db: Session, *, role: str, area_code: str, held: list[Holding] | None = None) -> Routing:
    held = held if held is not None else holdings(db, area_code)
    responsible = holders(db, role=role, area_code=area_code, held=held)
    psm = holders(db, role="psm", area_code=area_code, held=held)
    informed = [p for p in psm if not responsible or p.id != responsible[0].id]
    if responsible:
        return Routing(responsible[0], tuple(informed), role, responsible[0], role)
    for fallback in FALLBACK_ROLES:
        readers = holders(db, role=fallback, area_code=area_code, held=held)
        if readers:
            readers = _closest_level(readers, [h for h in held if h.role == fallback], area_code)
            informed_too = tuple(readers + [p for p in informed if p not in readers])
            return Routing(None, informed_too, role, readers[0], fallback, tuple(readers))
    return Routing(None, tuple(informed), role)


def reader_of(db: Session, *, role: str, area_code: str) -> tuple[Person, str] | None:
    """Who would read a case of ``role`` here, and in which role; None when nobody would."""
    routing = route(db, role=role, area_code=area_code)
    return (routing.reader, routing.reader_role) if routing.reader is not None else None


def _closest_level(people: list[Person], held: list[Holding], area_code: str) -> list[Person]:
    """Of the holders of a role (closest level first, ``held`` their holdings), those at the closest level: a
    regency's admins before the province's."""
    levels = ancestors(area_code)
    best = min(levels.index(h.area_code) for h in held)
    closest = {h.person.id for h in held if levels.index(h.area_code) == best}
    return [p for p in people if p.id in closest]
