"""Who would read a household's report, by name, role and place, for the receipt the household gets.

The household is told who really reads it ("Yang membaca: Bu Yuni, operator Desa
Bandarkedungmulyo"), never a role that nobody holds in its area.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.orm import Session

from app.cases.routing import Holding, ancestors, holdings, route
from app.models import Area
from conversations.types import ReaderView

ROUTES = ("tksk", "pkh", "operator")


def readers_for(db: Session, area_codes: Iterable[str]) -> tuple[ReaderView, ...]:
    """For each area and each route a report can take, who reads it there."""
    views = []
    for area_code in dict.fromkeys(code for code in area_codes if code):
        held = holdings(db, area_code)
        for kind in ROUTES:
            routing = route(db, role=kind, area_code=area_code, held=held)
            if routing.reader is not None:
                place = place_of_role(db, routing.reader.id, routing.reader_role, area_code, held)
                views.append(ReaderView(area_code, kind, routing.reader.display_name or "-", routing.reader_role, place))
    return tuple(views)


def place_of_role(db: Session, person_id: int, role: str, area_code: str, held: list[Holding] | None = None) -> str:
    """Where the reader holds the role, as people say it: "Kecamatan Sukajadi", "Desa Bandarkedungmulyo",
    "Kota Bandung", "Provinsi Jawa Timur". ``held``: the area's ``holdings`` when already read."""
    levels = ancestors(area_code)
    held = held if held is not None else holdings(db, area_code)
    codes = [h.area_code for h in held if h.person.id == person_id and h.role == role]
    code = min(codes, key=levels.index) if codes else area_code
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
