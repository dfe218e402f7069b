"""Cases nobody handles yet are listed, each morning at 07:00 local, to whoever reads them up the chain
(the village's operator, else the closest admin) until someone takes one or hands it to a companion.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.cases.routing import route
from app.config import Settings
from app.db import insert_new
from app.models import Area, Case, Person, Reminder
from app.models.cases import OPEN_STATUSES
from app.reminders.planning import morning_of
from conversations.categories import BY_CODE
from conversations.types import Reply, Translate

LISTED = 10


def plan_unassigned_reminders(
    db: Session, *, settings: Settings, translators: Mapping[str, Translate], now: datetime
) -> int:
    """One list per reader and local morning of the household reports that have no assignee."""
    cases = db.scalars(
        select(Case).where(Case.assignee_person_id.is_(None), Case.kind == "kpm_report", Case.status.in_(OPEN_STATUSES))
        .order_by(Case.created_at, Case.id)
    ).all()  # fmt: skip
    if not cases:
        return 0
    by_reader: dict[int, list[Case]] = defaultdict(list)
    readers_of: dict[tuple[str, str], list[int]] = {}
    for case in cases:
        where = (case.routed_role, case.area_code)
        if where not in readers_of:
            routing = route(db, role=case.routed_role, area_code=case.area_code)
            readers_of[where] = [p.id for p in routing.fallback_readers]
        for person_id in readers_of[where]:
            by_reader[person_id].append(case)
    people = db.scalars(select(Person).options(selectinload(Person.roles)).where(Person.id.in_(by_reader))).all()
    places = dict(db.execute(select(Area.code, Area.name).where(Area.code.in_({c.area_code for c in cases}))).all())
    rows = []
    for person in people:
        morning = morning_of(person, now, settings)
        if morning is None:
            continue
        key = f"unassigned:{person.id}:{morning.today.isoformat()}"
        if db.scalar(select(Reminder.id).where(Reminder.key == key)) is not None:
            continue
        reply = unassigned_list(by_reader[person.id], places, translators[person.locale])
        rows.append(morning.reminder(key=key, person_id=person.id, kind="unassigned_cases", reply=reply, now=now))
    insert_new(db, Reminder, rows)
    return len(rows)


def unassigned_list(cases: list[Case], places: Mapping[str, str], t: Translate) -> Reply:
    lines = [t("Selamat pagi. Laporan warga yang belum ada yang menangani: {count}", count=len(cases))]
    for case in cases[:LISTED]:
        problem = t(BY_CODE[case.category].label) if case.category in BY_CODE else case.category
        lines.append(f"{case.reference} {case.household_name or '-'}, {places.get(case.area_code, case.area_code)}: {problem}")
    if len(cases) > LISTED:
        lines.append(t("… dan {count} lainnya.", count=len(cases) - LISTED))
    lines.append(t("Ketik kode laporan untuk membukanya: ambil sendiri, atau serahkan kepada pendamping di wilayah itu."))
    return Reply("\n".join(lines))
