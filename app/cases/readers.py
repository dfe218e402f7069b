"""Who would read a household's report, by name, role and place, for the receipt the household gets.

The household is told who really reads it ("Yang membaca: Bu Yuni, operator Desa
Bandarkedungmulyo"), never a role that nobody holds in its area.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.cases.routing import ancestors, route
from app.models import Area, RoleAssignment
from conversations.types import ReaderView

ROUTES = ("tksk", "pkh", "operator")


def readers_for(db: Session, area_codes: Iterable[str]) -> tuple[ReaderView, ...]:
    """For each area and each route a report can take, who reads it there."""
    views = []
    for area_code in dict.fromkeys(code for code in area_codes if code):
        for kind in ROUTES:
            routing = route(db, role=kind, area_code=area_code)
            if routing.reader is not None:
                place = place_of_role(db, routing.reader.id, routing.reader_role, area_code)
                views.append(ReaderView(area_code, kind, routing.reader.display_name or "-", routing.reader_role, place))
    return tuple(views)


def place_of_role(db: Session, person_id: int, role: str, area_code: str) -> str:
    """Where the reader holds the role, as people say it: "Kecamatan Sukajadi", "Desa Bandarkedungmulyo",
    "Kota Bandung", "Provinsi Jawa Timur"."""
    levels = ancestors(area_code)
    held = db.scalars(
        select(RoleAssignment.area_code).where(
            RoleAssignment.person_id == person_id, RoleAssignment.role == role, RoleAssignment.area_code.in_(levels)
        )
    ).all()
    code = min(held, key=levels.index) if held else area_code
    area = db.get(Area, code)
    name = area.name if area else code
    match code.count("."):
        case 0:
            return f"Provinsi {name}"
        case 2:
            return f"Kecamatan {name}"
        case 3:
            return f"{'Kelurahan' if code.rsplit('.', 1)[1].startswith('1') else 'Desa'} {name}"
        case _:
            return name
