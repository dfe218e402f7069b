"""Who a meeting concerns: the households of a P2K2 group, the food-aid households of a village, and the
people behind them who can be reached in chat (consented)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import Session

from app.db import insert_new
from app.models import Household, Meeting, MeetingMember, P2k2Group, Person
from app.people.reach import best_identities


def group_households(db: Session, group: P2k2Group) -> list[Household]:
    return list(
        db.scalars(
            select(Household)
            .where(Household.area_code == group.area_code, Household.group_name == group.name)
            .order_by(Household.head_name, Household.id)
        )
    )


def _concerned(meeting: Meeting) -> ColumnElement[bool]:
    """The households a meeting concerns: its P2K2 members, or the village's food-aid (sembako) households."""
    if meeting.kind == "p2k2":
        return Household.id.in_(select(MeetingMember.household_id).where(MeetingMember.meeting_id == meeting.id))
    return (Household.area_code == meeting.area_code) & or_(Household.programs == "", Household.programs.contains("sembako"))


def meeting_people(db: Session, meeting: Meeting) -> list[Person]:
    """Everyone a meeting's news and reminders are written for: consented people behind its households.

    Those who opted out (BERHENTI) are among them: the outbox refuses their news and the reminder job skips
    their reminders, so that after MULAI the reminders of a meeting still reach them.
    """
    person_ids = select(Household.person_id).where(_concerned(meeting), Household.person_id.is_not(None))
    return list(
        db.scalars(
            select(Person).where(Person.id.in_(person_ids), Person.consent_given_at.is_not(None)).order_by(Person.id)
        )
    )


@dataclass(frozen=True)
class Reach:
    """How a meeting's households stand for its news: ``Reach(total=5, told=2, opted_out=1, without_chat=2)``.

    ``told``: reached in the chat; ``opted_out``: use the chat but asked for no news (BERHENTI);
    ``without_chat``: do not use the chat (yet), or cannot be reached there: counted, not messaged.
    """

    total: int
    told: int
    opted_out: int
    without_chat: int


def meeting_reach(db: Session, meeting: Meeting) -> Reach:
    rows = db.execute(
        select(Household.id, Person.id, Person.consent_given_at, Person.opted_out_at)
        .outerjoin(Person, Person.id == Household.person_id)
        .where(_concerned(meeting))
    ).all()
    reachable = best_identities(db, {person_id for _h, person_id, _c, _o in rows if person_id is not None})
    told = opted_out = 0
    for _household, person_id, consented_at, opted_out_at in rows:
        if person_id is None or consented_at is None:
            continue
        if opted_out_at is not None:
            opted_out += 1
        elif person_id in reachable:
            told += 1
    return Reach(total=len(rows), told=told, opted_out=opted_out, without_chat=len(rows) - told - opted_out)


def sync_groups(db: Session, *, area_codes: Iterable[str] | None = None, now: datetime) -> None:
    """A P2K2 group row for every group name in the household list (``kelompok``), so facilitators can pick it."""
    query = select(Household.area_code, Household.group_name).where(Household.group_name != "").distinct()
    if area_codes is not None:
        query = query.where(Household.area_code.in_(list(area_codes)))
    rows = [{"area_code": area, "name": name, "created_at": now} for area, name in db.execute(query).all()]
    insert_new(db, P2k2Group, rows)
