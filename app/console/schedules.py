"""Meetings in the console: the coming and past P2K2 sessions and distributions of the viewer's areas, with the
members' answers, who was told and who attended; one meeting's member list; cancelling from the web.

The scope is the chat's: a meeting is seen by whoever's role area holds its village, and by its organizer
(as "Jadwal saya" in chat shows it). Names, answers and attendance come from the same tables the chat writes;
"who was told" is ``meeting_reach``, the count the organizer reads in chat when saving a meeting.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum
from typing import Any

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from app import audit
from app.config import Settings
from app.console.scope import covers, in_scope, runs_office
from app.models import Area, EwarongAgent, Household, Meeting, MeetingMember, P2k2Group, Person
from app.people.reach import best_identities
from app.refusals import Refused, record_refusal
from app.schedules.members import Reach, meeting_reach
from app.schedules.service import cancel_meeting, may_organize
from conversations.effects import CancelMeeting
from conversations.types import Translate

UNDER_WAY = timedelta(hours=3)
"""A meeting that began less than this ago is still listed as coming (it may be going on now)."""
PAGE = 30
MAX_REASON = 500


@dataclass(frozen=True)
class Tally:
    """A meeting in numbers: who is expected, their answers, their attendance, and who the chat reached."""

    invited: int
    coming: int = 0
    not_coming: int = 0
    no_answer: int = 0
    present: int = 0
    excused: int = 0
    absent: int = 0
    told: int = 0
    opted_out: int = 0
    without_chat: int = 0


@dataclass(frozen=True)
class MeetingItem:
    """One line of the list: the meeting, the names around it, and its tally."""

    meeting: Meeting
    village: str
    group: str
    agent: str
    organizer: str
    tally: Tally

    @property
    def attendance_recorded(self) -> bool:
        return self.meeting.status == "held"


@dataclass(frozen=True)
class Listing:
    items: list[MeetingItem]
    has_more: bool


@dataclass(frozen=True)
class MemberLine:
    """A household expected at a P2K2 session. ``chat``: "told", "opted_out" or "none" (counted, not messaged)."""

    household_id: int
    name: str
    answer: str
    answered_at: datetime | None
    attendance: str
    chat: str
    phone: str | None


@dataclass(frozen=True)
class MeetingPage:
    item: MeetingItem
    members: list[MemberLine]
    phones_shown: bool
    may_cancel: bool


class Cancelled(Enum):
    DONE = "done"
    NOT_FOUND = "not_found"
    NOT_ALLOWED = "not_allowed"
    TOO_LATE = "too_late"


def visible(person: Person) -> ColumnElement[bool]:
    """Meetings of the person's areas, and those they organized."""
    return or_(in_scope(Meeting.area_code, person), Meeting.organizer_person_id == person.id)


def meetings(
    db: Session, person: Person, *, now: datetime, past: bool = False, kind: str = "", village: str = "", page: int = 0
) -> Listing:
    """Coming meetings soonest first (cancelled ones too, marked), or past ones latest first."""
    query = select(Meeting).where(visible(person))
    if past:
        query = query.where(or_(Meeting.starts_at < now - UNDER_WAY, Meeting.status == "held"))
        query = query.order_by(Meeting.starts_at.desc(), Meeting.id.desc())
    else:
        query = query.where(Meeting.starts_at >= now - UNDER_WAY, Meeting.status != "held")
        query = query.order_by(Meeting.starts_at, Meeting.id)
    if kind:
        query = query.where(Meeting.kind == kind)
    if village:
        query = query.where(Meeting.area_code == village)
    found = list(db.scalars(query.offset(page * PAGE).limit(PAGE + 1)))
    return Listing(describe(db, found[:PAGE]), has_more=len(found) > PAGE)


def meeting_villages(db: Session, person: Person) -> list[tuple[str, str]]:
    """``(code, name)`` of the villages that have meetings the person sees (for the filter), by name."""
    codes = select(Meeting.area_code).where(visible(person)).distinct()
    return [(code, name) for code, name in db.execute(select(Area.code, Area.name).where(Area.code.in_(codes)).order_by(Area.name))]


def describe(db: Session, found: list[Meeting]) -> list[MeetingItem]:
    """Names and tallies for a page of meetings, with one query per kind of name."""
    if not found:
        return []
    villages = _names(db, Area.code, Area.name, {m.area_code for m in found})
    groups = _names(db, P2k2Group.id, P2k2Group.name, {m.group_id for m in found if m.group_id})
    agents = _names(db, EwarongAgent.id, EwarongAgent.name, {m.agent_id for m in found if m.agent_id})
    organizers = _names(db, Person.id, Person.display_name, {m.organizer_person_id for m in found if m.organizer_person_id})
    answers = _member_counts(db, [m.id for m in found])
    return [
        MeetingItem(
            meeting=m, village=villages.get(m.area_code, m.area_code), group=groups.get(m.group_id, ""),
            agent=agents.get(m.agent_id, ""), organizer=organizers.get(m.organizer_person_id, ""),
            tally=_tally(meeting_reach(db, m), answers.get(m.id, Counter())),
        )
        for m in found
    ]  # fmt: skip


def _names(db: Session, key: InstrumentedAttribute[Any], name: InstrumentedAttribute[str], wanted: set[Any]) -> dict[Any, str]:
    if not wanted:
        return {}
    return {found: text for found, text in db.execute(select(key, name).where(key.in_(wanted)))}


def _member_counts(db: Session, meeting_ids: list[int]) -> dict[int, Counter[str]]:
    """Per meeting, how many members gave each answer ("answer:yes") and had each attendance ("attendance:absent")."""
    rows = db.execute(
        select(MeetingMember.meeting_id, MeetingMember.answer, MeetingMember.attendance, func.count())
        .where(MeetingMember.meeting_id.in_(meeting_ids))
        .group_by(MeetingMember.meeting_id, MeetingMember.answer, MeetingMember.attendance)
    ).all()
    counts: dict[int, Counter[str]] = {}
    for meeting_id, answer, attendance, count in rows:
        tally = counts.setdefault(meeting_id, Counter())
        tally[f"answer:{answer or 'none'}"] += count
        tally[f"attendance:{attendance or 'none'}"] += count
    return counts


def _tally(reach: Reach, counts: Counter[str]) -> Tally:
    return Tally(
        invited=reach.total, coming=counts["answer:yes"], not_coming=counts["answer:no"], no_answer=counts["answer:none"],
        present=counts["attendance:present"], excused=counts["attendance:excused"], absent=counts["attendance:absent"],
        told=reach.told, opted_out=reach.opted_out, without_chat=reach.without_chat,
    )  # fmt: skip


def open_meeting(db: Session, person: Person, meeting_id: int, *, now: datetime) -> MeetingPage | None:
    """One meeting with its members, or None (audited) when it does not exist or lies outside the person's areas.

    Seeing the member list is audited; the households' phones are shown to the area's operators and admins only.
    """
    meeting = _reachable(db, person, meeting_id, now=now)
    if meeting is None:
        return None
    phones_shown = runs_office(person, meeting.area_code)
    members = _members(db, meeting, with_phones=phones_shown)
    audit.record(db, actor_id=person.id, action="meeting_members_viewed", subject_type="meeting", subject_id=meeting.id,
                 now=now, members=len(members), phones_shown=phones_shown)  # fmt: skip
    [item] = describe(db, [meeting])
    return MeetingPage(item, members, phones_shown, may_cancel(person, meeting, now=now))


def _reachable(db: Session, person: Person, meeting_id: int, *, now: datetime) -> Meeting | None:
    meeting = db.get(Meeting, meeting_id)
    if meeting is None or not (covers(person, meeting.area_code) or meeting.organizer_person_id == person.id):
        audit.record(db, actor_id=person.id, action="meeting_access_denied", subject_type="meeting", subject_id=meeting_id, now=now)
        return None
    return meeting


def _members(db: Session, meeting: Meeting, *, with_phones: bool) -> list[MemberLine]:
    rows = db.execute(
        select(Household.id, Household.head_name, Household.phone, MeetingMember.answer, MeetingMember.answered_at,
               MeetingMember.attendance, Person.id, Person.consent_given_at, Person.opted_out_at)
        .join(Household, Household.id == MeetingMember.household_id)
        .outerjoin(Person, Person.id == Household.person_id)
        .where(MeetingMember.meeting_id == meeting.id)
        .order_by(Household.head_name, Household.id)
    ).all()  # fmt: skip
    reachable = best_identities(db, {row[6] for row in rows if row[6] is not None})
    lines = []
    for household_id, name, phone, answer, answered_at, attendance, person_id, consented_at, opted_out_at in rows:
        if person_id is None or consented_at is None:
            chat = "none"
        elif opted_out_at is not None:
            chat = "opted_out"
        else:
            chat = "told" if person_id in reachable else "none"
        lines.append(MemberLine(household_id, name, answer, answered_at, attendance, chat, phone if with_phones else None))
    return lines


def may_cancel(person: Person, meeting: Meeting, *, now: datetime) -> bool:
    """As in chat: its organizer, or whoever may organize such a meeting there; and only before it begins."""
    allowed = meeting.organizer_person_id == person.id or may_organize(person, meeting.kind, meeting.area_code)
    return allowed and meeting.status == "scheduled" and meeting.starts_at > now


def cancel(
    db: Session, person: Person, meeting_id: int, *, reason: str, now: datetime, settings: Settings,
    translators: Mapping[str, Translate],
) -> Cancelled:
    """Cancels through the chat's own service: the members are told in chat, reminders dropped, the change audited."""
    meeting = _reachable(db, person, meeting_id, now=now)
    if meeting is None:
        return Cancelled.NOT_FOUND
    if not (meeting.organizer_person_id == person.id or may_organize(person, meeting.kind, meeting.area_code)):
        audit.record(db, actor_id=person.id, action="meeting_cancel_refused", subject_type="meeting", subject_id=meeting.id, now=now)
        return Cancelled.NOT_ALLOWED
    if not may_cancel(person, meeting, now=now):
        return Cancelled.TOO_LATE
    effect = CancelMeeting(meeting_id=meeting.id, reason=" ".join(reason.split())[:MAX_REASON])
    try:
        cancel_meeting(db, effect=effect, actor=person, now=now, settings=settings, translators=translators)
    except Refused as refused:  # its organizer, once the area is no longer theirs
        record_refusal(db, actor=person, refused=refused, now=now)
        return Cancelled.NOT_ALLOWED
    return Cancelled.DONE

