"""Carrying out the schedule effects: scheduling, moving and cancelling meetings, answers and attendance.

Every change tells the people it concerns (once: each message has its own
outbox key; the outbox keeps it from those who sent BERHENTI) and moves their
reminders; the organizer is told how many were reached, how many asked for no
news, and how many do not use the chat. Only a PKH facilitator of the group's village schedules its P2K2
sessions, only the TKSK of the kecamatan its distributions.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app import audit
from app.cases.access import area_contains
from app.cases.notify import tell
from app.config import QuietHours, Settings
from app.ewarong.agents import agent_for
from app.models import Area, EwarongAgent, Household, Meeting, MeetingMember, P2k2Group, Person, Reminder
from app.refusals import MEETING_OUTSIDE, Refused
from app.reminders.planning import cancel_pending, plan_meeting_reminders
from app.schedules import messages
from app.schedules.local_time import at_local, clock_time, local_day
from app.schedules.members import group_households, meeting_people, meeting_reach
from conversations.effects import AnswerMeeting, CancelMeeting, ChangeMeeting, RecordAttendance, ScheduleMeeting
from conversations.types import Reply, Translate

ORGANIZER_ROLE = {"p2k2": "pkh", "distribution": "tksk"}


class NotAllowed(Refused):
    """The person may not organize this meeting (the engine only offers what they may; this guards the rest)."""


def may_organize(person: Person, kind: str, area_code: str) -> bool:
    role = ORGANIZER_ROLE[kind]
    return any(r.role == role and area_contains(r.area_code, area_code) for r in person.roles)


def names_of(db: Session, meeting: Meeting) -> messages.MeetingNames:
    group = db.get(P2k2Group, meeting.group_id) if meeting.group_id else None
    agent = db.get(EwarongAgent, meeting.agent_id) if meeting.agent_id else None
    area = db.get(Area, meeting.area_code)
    return messages.MeetingNames(group=group.name if group else "", agent=agent.name if agent else "", village=area.name if area else "")


def schedule_meeting(
    db: Session, *, effect: ScheduleMeeting, actor: Person, now: datetime, settings: Settings,
    translators: Mapping[str, Translate],
) -> Meeting:
    if not may_organize(actor, effect.kind, effect.area_code):
        raise NotAllowed(MEETING_OUTSIDE, attempted=f"{effect.kind}_scheduled", area_code=effect.area_code)
    area = db.get(Area, effect.area_code)
    if area is None:
        raise ValueError(f"unknown area {effect.area_code!r}")
    group = db.get(P2k2Group, effect.group_id) if effect.group_id else None
    if effect.kind == "p2k2" and (group is None or group.area_code != area.code):
        raise ValueError(f"group {effect.group_id} is not a group of {area.code}")
    day = date.fromisoformat(effect.day)
    meeting = Meeting(
        kind=effect.kind, area_code=area.code, timezone=area.timezone, starts_at=at_local(day, effect.start, area.timezone),
        ends_at=at_local(day, effect.end, area.timezone) if effect.end else None, place=effect.place[:200],
        group_id=group.id if group else None, module=effect.module, session=effect.session,
        agent_id=_agent_id(db, effect, now), status="scheduled", organizer_person_id=actor.id, version=1,
        note="", details={}, created_at=now, updated_at=now,
    )  # fmt: skip
    db.add(meeting)
    db.flush()
    if group is not None:
        db.add_all(MeetingMember(meeting_id=meeting.id, household_id=h.id) for h in group_households(db, group))
        db.flush()
    audit.record(db, actor_id=actor.id, action="meeting_scheduled", subject_type="meeting", subject_id=meeting.id, now=now, kind=meeting.kind)
    _announce(db, meeting, actor, "scheduled", now=now, settings=settings, translators=translators)
    return meeting


def _agent_id(db: Session, effect: ScheduleMeeting, now: datetime) -> int | None:
    agent = agent_for(db, area_code=effect.area_code, agent_id=effect.agent_id, agent_name=effect.agent_name, now=now)
    return agent.id if agent else None


def change_meeting(
    db: Session, *, effect: ChangeMeeting, actor: Person, now: datetime, settings: Settings,
    translators: Mapping[str, Translate],
) -> None:
    meeting = _organized(db, effect.meeting_id, actor)
    if _already_over(db, meeting, actor, now, translators, allowed=("scheduled",)):
        return
    local_start = messages.local_parts(meeting)
    day = date.fromisoformat(effect.day) if effect.day else local_start.day
    start = effect.start or local_start.start
    end = effect.end or local_start.end
    meeting.starts_at = at_local(day, start, meeting.timezone)
    meeting.ends_at = at_local(day, end, meeting.timezone) if end else None
    if effect.place:
        meeting.place = effect.place[:200]
    meeting.version += 1
    meeting.updated_at = now
    cancel_pending(db, meeting_id=meeting.id, now=now)
    audit.record(db, actor_id=actor.id, action="meeting_moved", subject_type="meeting", subject_id=meeting.id, now=now, version=meeting.version)
    _announce(db, meeting, actor, "moved", now=now, settings=settings, translators=translators)


def after_quiet_hours(now: datetime, timezone: str, quiet: QuietHours) -> datetime | None:
    """When news may go out: now, or the end of the quiet hours (local) when it is night there."""
    if not quiet.contains(clock_time(now, timezone)):
        return None
    today = local_day(now, timezone)
    end = at_local(today, quiet.end, timezone)
    return end if end > now else at_local(today + timedelta(days=1), quiet.end, timezone)


def cancel_meeting(
    db: Session, *, effect: CancelMeeting, actor: Person, now: datetime, settings: Settings, translators: Mapping[str, Translate]
) -> None:
    meeting = _organized(db, effect.meeting_id, actor)
    if _already_over(db, meeting, actor, now, translators, allowed=("scheduled",)):
        return
    meeting.status = "cancelled"
    meeting.updated_at = now
    meeting.note = effect.reason[:500]
    cancel_pending(db, meeting_id=meeting.id, now=now)
    audit.record(db, actor_id=actor.id, action="meeting_cancelled", subject_type="meeting", subject_id=meeting.id, now=now)
    names = names_of(db, meeting)
    people = meeting_people(db, meeting)
    for person in people:
        reply = messages.cancelled(meeting, names, translators[person.locale], person.locale, effect.reason)
        tell(db, person, key=f"meeting:{meeting.id}:cancelled:{person.id}", text=reply.text, now=now, purpose="schedule_news",
             not_before=after_quiet_hours(now, meeting.timezone, settings.quiet_hours))


def record_attendance(
    db: Session, *, effect: RecordAttendance, actor: Person, now: datetime, settings: Settings,
    translators: Mapping[str, Translate],
) -> None:
    meeting = _organized(db, effect.meeting_id, actor)
    if _already_over(db, meeting, actor, now, translators, allowed=("scheduled", "held")):
        return
    absent, excused = set(effect.absent), set(effect.excused) - set(effect.absent)
    members = list(db.scalars(select(MeetingMember).where(MeetingMember.meeting_id == meeting.id)))
    for member in members:
        member.attendance = "absent" if member.household_id in absent else "excused" if member.household_id in excused else "present"
    meeting.status = "held"
    meeting.note = effect.note[:2000]
    meeting.details = {**meeting.details, "media": list(effect.media), "attendance_recorded_at": now.isoformat()}
    meeting.updated_at = now
    audit.record(db, actor_id=actor.id, action="attendance_recorded", subject_type="meeting", subject_id=meeting.id, now=now)
    names = names_of(db, meeting)
    missed = [m.household_id for m in members if m.attendance != "present"]
    people = db.scalars(
        select(Person).join(Household, Household.person_id == Person.id)
        .where(Household.id.in_(missed), Person.consent_given_at.is_not(None))
    ).unique()  # fmt: skip
    for person in people:
        reply = messages.missed_summary(meeting, names, translators[person.locale], person.locale)
        tell(db, person, key=f"meeting:{meeting.id}:missed:{person.id}", text=reply.text, now=now, purpose="schedule_news",
             not_before=after_quiet_hours(now, meeting.timezone, settings.quiet_hours))


def answer_meeting(db: Session, *, effect: AnswerMeeting, actor: Person, now: datetime) -> None:
    """The member's answer to a reminder, kept for the facilitator (the latest answer counts)."""
    households = select(Household.id).where(Household.person_id == actor.id)
    db.execute(
        update(MeetingMember)
        .where(MeetingMember.meeting_id == effect.meeting_id, MeetingMember.household_id.in_(households))
        .values(answer="yes" if effect.coming else "no", answered_at=now)
    )
    if not effect.coming:  # no more "can you come?" for someone who said they cannot
        db.execute(
            update(Reminder)
            .where(Reminder.meeting_id == effect.meeting_id, Reminder.person_id == actor.id, Reminder.status == "pending")
            .values(status="cancelled", note="excused", processed_at=now)
        )
    audit.record(db, actor_id=actor.id, action="meeting_answered", subject_type="meeting", subject_id=effect.meeting_id, now=now, coming=effect.coming)


def _already_over(
    db: Session, meeting: Meeting, actor: Person, now: datetime, translators: Mapping[str, Translate], *, allowed: tuple[str, ...]
) -> bool:
    """A change to a meeting cancelled or held meanwhile (from another phone) is refused with a clear answer."""
    if meeting.status in allowed:
        return False
    t = translators[actor.locale]
    text = t("Jadwal itu sudah dibatalkan atau sudah terlaksana, jadi tidak kami ubah.")
    tell(db, actor, key=f"meeting:{meeting.id}:refused:{actor.id}:{now.isoformat()}", text=text, now=now, purpose="reply")
    return True


def _organized(db: Session, meeting_id: int, actor: Person) -> Meeting:
    meeting = db.get(Meeting, meeting_id)
    if meeting is None:
        raise ValueError(f"unknown meeting {meeting_id}")
    if not may_organize(actor, meeting.kind, meeting.area_code):  # its organizer too, once the area is no longer theirs
        raise NotAllowed(MEETING_OUTSIDE, attempted=f"{meeting.kind}_changed", area_code=meeting.area_code,
                         subject_type="meeting", subject_id=meeting.id)  # fmt: skip
    return meeting


def _announce(
    db: Session, meeting: Meeting, actor: Person, change: str, *, now: datetime, settings: Settings,
    translators: Mapping[str, Translate],
) -> None:
    """Tell the members of a new or moved meeting, plan their reminders, and tell the organizer how many."""
    names = names_of(db, meeting)
    people = meeting_people(db, meeting)
    render = messages.scheduled if change == "scheduled" else messages.moved
    for person in people:
        reply: Reply = render(meeting, names, translators[person.locale], person.locale)
        tell(db, person, key=f"meeting:{meeting.id}:v{meeting.version}:told:{person.id}", text=reply.text, now=now, purpose="schedule_news",
             not_before=after_quiet_hours(now, meeting.timezone, settings.quiet_hours))
    plan_meeting_reminders(db, meeting=meeting, names=names, recipients=people, settings=settings, translators=translators, now=now)
    t = translators[actor.locale]
    summary = ", ".join(messages.details(meeting, names, t, actor.locale)[:2])
    text = messages.organizer_told(meeting.kind, summary, meeting_reach(db, meeting), t)
    tell(db, actor, key=f"meeting:{meeting.id}:v{meeting.version}:{change}:organizer", text=text, now=now, purpose="reply")
