"""What the engine may read of schedules: ``ScheduleView`` for "Jadwal", ``PendingAnswer`` for a reminder's reply."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import and_, bindparam, or_, select
from sqlalchemy.orm import Session

from app.areas.scope import within
from app.models import Area, EwarongAgent, Household, Meeting, MeetingMember, P2k2Group, Person, Reminder
from app.schedules import messages
from app.schedules.service import names_of
from conversations.dates import format_day
from conversations.types import AgentView, GroupView, MeetingView, MemberView, PendingAnswer, ScheduleView

LOOK_BACK = timedelta(days=7)
LOOK_AHEAD = timedelta(days=62)
LISTED = 20
ANSWERABLE_KINDS = ("p2k2_eve", "p2k2_morning")


def schedule_view(db: Session, person: Person, *, now: datetime) -> ScheduleView:
    if not person.roles:
        return ScheduleView(meetings=_household_meetings(db, person, now))
    pkh = [r.area_code for r in person.roles if r.role == "pkh"]
    tksk = [r.area_code for r in person.roles if r.role == "tksk"]
    villages = tuple(
        (area.code, area.name)
        for area in db.scalars(select(Area).where(or_(*(Area.parent_code == code for code in tksk))).order_by(Area.name))
    ) if tksk else ()  # fmt: skip
    agents = tuple(
        AgentView(a.id, a.name, a.area_code, a.address)
        for a in db.scalars(select(EwarongAgent).where(EwarongAgent.area_code.in_([code for code, _name in villages])).order_by(EwarongAgent.name))
    ) if villages else ()  # fmt: skip
    return ScheduleView(
        meetings=_companion_meetings(db, person, now),
        groups=_groups(db, pkh),
        villages=villages,
        agents=agents,
    )


def _groups(db: Session, areas: list[str]) -> tuple[GroupView, ...]:
    if not areas:
        return ()
    groups = list(db.scalars(select(P2k2Group).where(or_(*(within(P2k2Group.area_code, code) for code in areas))).order_by(P2k2Group.name)))
    views = []
    for group in groups:
        households = db.scalars(
            select(Household).where(Household.area_code == group.area_code, Household.group_name == group.name).order_by(Household.head_name, Household.id)
        )
        views.append(GroupView(group.id, group.name, group.area_code, tuple(MemberView(h.id, h.head_name) for h in households)))
    return tuple(views)


def _companion_meetings(db: Session, person: Person, now: datetime) -> tuple[MeetingView, ...]:
    """Meetings the person organizes, and upcoming ones in their areas."""
    in_areas = or_(*(within(Meeting.area_code, r.area_code) for r in person.roles))
    meetings = db.scalars(
        select(Meeting)
        .where(
            Meeting.starts_at >= now - LOOK_BACK, Meeting.starts_at <= now + LOOK_AHEAD,
            or_(Meeting.organizer_person_id == person.id, and_(in_areas, Meeting.status == "scheduled", Meeting.starts_at >= now)),
        )
        .order_by(Meeting.starts_at, Meeting.id)
        .limit(LISTED)
    )  # fmt: skip
    return tuple(_view(db, m, organized_by_me=m.organizer_person_id == person.id, with_members=True) for m in meetings)


def _household_meetings(db: Session, person: Person, now: datetime) -> tuple[MeetingView, ...]:
    households = list(db.scalars(select(Household).where(Household.person_id == person.id)))
    villages = {h.area_code for h in households} | ({person.area_code} if person.area_code else set())
    in_groups = [and_(P2k2Group.area_code == h.area_code, P2k2Group.name == h.group_name) for h in households if h.group_name]
    group_ids = list(db.scalars(select(P2k2Group.id).where(or_(*in_groups)))) if in_groups else []
    concerning = [and_(Meeting.kind == "distribution", Meeting.area_code.in_(villages))]
    if group_ids:
        concerning.append(and_(Meeting.kind == "p2k2", Meeting.group_id.in_(group_ids)))
    meetings = db.scalars(
        select(Meeting)
        .where(or_(*concerning), Meeting.status == "scheduled", Meeting.starts_at >= now - timedelta(hours=3), Meeting.starts_at <= now + LOOK_AHEAD)
        .order_by(Meeting.starts_at)
        .limit(LISTED)
    )
    led = {g for (g,) in db.execute(select(P2k2Group.id).where(P2k2Group.leader_household_id.in_([h.id for h in households])))} if households else set()
    return tuple(_view(db, m, organized_by_me=False, with_members=m.group_id in led) for m in meetings)


def _view(db: Session, meeting: Meeting, *, organized_by_me: bool, with_members: bool) -> MeetingView:
    names = names_of(db, meeting)
    parts = messages.local_parts(meeting)
    members: tuple[MemberView, ...] = ()
    if with_members and meeting.kind == "p2k2":
        rows = db.execute(
            select(MeetingMember.household_id, Household.head_name, MeetingMember.answer)
            .join(Household, Household.id == MeetingMember.household_id)
            .where(MeetingMember.meeting_id == meeting.id)
            .order_by(Household.head_name, Household.id)
        ).all()
        members = tuple(MemberView(household_id, name, answer) for household_id, name, answer in rows)
    return MeetingView(
        id=meeting.id, kind=meeting.kind, area_code=meeting.area_code, place_name=names.village,
        day=parts.day.isoformat(), start=parts.start, end=parts.end, place=meeting.place, status=meeting.status,
        group_name=names.group, module=meeting.module, session=meeting.session, agent_name=names.agent,
        members=members, organized_by_me=organized_by_me,
    )  # fmt: skip


_PENDING_ANSWER = (  # built once: asked for every message
    select(Reminder.meeting_id, Reminder.processed_at)
    .join(Meeting, Meeting.id == Reminder.meeting_id)
    .where(
        Reminder.person_id == bindparam("person_id"), Reminder.status == "queued", Reminder.kind.in_(ANSWERABLE_KINDS),
        Meeting.status == "scheduled", Meeting.starts_at > bindparam("now"),
    )
    .order_by(Reminder.processed_at.desc(), Reminder.id.desc())
    .limit(1)
)  # fmt: skip


def pending_answer(db: Session, person: Person, *, last_step_at: datetime | None, now: datetime) -> PendingAnswer | None:
    """The latest reminder asking this person "1 hadir / 2 berhalangan" for a meeting that has not begun."""
    row = db.execute(_PENDING_ANSWER, {"person_id": person.id, "now": now}).first()
    if row is None:
        return None
    meeting = db.get(Meeting, row.meeting_id)
    assert meeting is not None
    names = names_of(db, meeting)
    label = f"P2K2 {names.group}, {format_day(messages.local_parts(meeting).day, person.locale)}"
    fresh = last_step_at is None or (row.processed_at is not None and last_step_at < row.processed_at)
    return PendingAnswer(meeting.id, label, fresh)
