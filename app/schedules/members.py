"""Who a meeting concerns: the households of a P2K2 group, the food-aid households of a village, and the
people behind them who can be reached in chat (consented)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.db import insert_new
from app.models import Household, Meeting, MeetingMember, P2k2Group, Person


def group_households(db: Session, group: P2k2Group) -> list[Household]:
    return list(
        db.scalars(
            select(Household)
            .where(Household.area_code == group.area_code, Household.group_name == group.name)
            .order_by(Household.head_name, Household.id)
        )
    )


def meeting_people(db: Session, meeting: Meeting) -> list[Person]:
    """Everyone a meeting's news and reminders go to: consented people behind its households."""
    if meeting.kind == "p2k2":
        household_ids = select(MeetingMember.household_id).where(MeetingMember.meeting_id == meeting.id)
        where = Household.id.in_(household_ids)
    else:
        where = Household.area_code == meeting.area_code
        where = where & or_(Household.programs == "", Household.programs.contains("sembako"))
    person_ids = select(Household.person_id).where(where, Household.person_id.is_not(None))
    return list(
        db.scalars(
            select(Person).where(Person.id.in_(person_ids), Person.consent_given_at.is_not(None)).order_by(Person.id)
        )
    )


def sync_groups(db: Session, *, area_codes: Iterable[str] | None = None, now: datetime) -> None:
    """A P2K2 group row for every group name in the household list (``kelompok``), so facilitators can pick it."""
    query = select(Household.area_code, Household.group_name).where(Household.group_name != "").distinct()
    if area_codes is not None:
        query = query.where(Household.area_code.in_(list(area_codes)))
    rows = [{"area_code": area, "name": name, "created_at": now} for area, name in db.execute(query).all()]
    insert_new(db, P2k2Group, rows)
