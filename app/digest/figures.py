"""The figures of an area's week, as a JSON-compatible dict: what the digest text, chart and workbook show.

Counts of the week come with the same counts for the week before; figures that
describe a state (open cases, overdue follow-ups) are compared with the digest
stored for the week before, when there is one. The area is a village (an
operator's digest) or a kecamatan (a TKSK's); everything inside it counts.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from app.areas.scope import within
from app.models import Area, Case, CaseEvent, Digest, EwarongAgent, EwarongVisit, Household, Meeting, MeetingMember, P2k2Group, Person, RoleAssignment
from app.models.cases import OPEN_STATUSES
from app.digest.weeks import Week
from app.schedules.local_time import clock_time, local_day

CHART_WEEKS = 8
KECAMATAN = 3  # area level: a TKSK's digest names it, since a kecamatan and a village often share a name
LISTED = 5
AGE_BUCKETS = (("under_7", 7), ("7_to_30", 30), ("over_30", None))


def build_figures(db: Session, *, area_code: str, week: Week, now: datetime) -> dict[str, Any]:
    area = db.get(Area, area_code)
    if area is None:
        raise ValueError(f"unknown area {area_code!r}")
    start, end = week.bounds(area.timezone)
    before = week.shifted(-1).bounds(area.timezone)
    in_area = within(Case.area_code, area_code)
    this_week, week_before = _opened(db, in_area, start, end), _opened(db, in_area, *before)
    figures: dict[str, Any] = {
        "area": area_code, "area_name": f"Kecamatan {area.name}" if area.level == KECAMATAN else area.name, "timezone": area.timezone, "week": week.label,
        "from": week.monday.isoformat(), "to": week.sunday.isoformat(), "built_at": now.isoformat(),
        "new_by_category": _by_category(this_week),
        "previous_new_by_category": _by_category(week_before),
        "closed": _closed(db, in_area, start, end),
        "previous_closed": _closed(db, in_area, *before),
        **_open_cases(db, in_area, end),
        "zero_balance": _zero_balance(this_week),
        "previous_zero_balance": _zero_balance(week_before),
        **_ewarong(this_week),
        "previous_ewarong_total": sum(_ewarong(week_before)["ewarong_by_t"].values()),
        "ewarong_visits": _visits(db, area_code, start, end),
        "p2k2": _p2k2(db, area_code, start, end),
        "previous_p2k2": _p2k2(db, area_code, *before),
        "coming": _coming(db, area_code, end, end + timedelta(days=7)),
        "companions": _companions(db, in_area, start, end),
        "previous_companion_actions": sum(c["actions"] for c in _companions(db, in_area, *before)),
        "weeks": _weeks(db, in_area, week, area.timezone),
        "cases": _case_list(db, in_area, start, end, area.timezone),
    }  # fmt: skip
    previous = db.scalar(select(Digest.figures).where(Digest.area_code == area_code, Digest.week == week.shifted(-1).label))
    figures["previous_open_total"] = previous.get("open_total") if previous else None
    figures["previous_overdue"] = previous.get("overdue") if previous else None
    return figures


def is_quiet(figures: dict[str, Any]) -> bool:
    """Nothing happened and nothing is waiting: the digest says so in a line."""
    return not (
        figures["new_by_category"] or figures["closed"] or figures["open_total"] or figures["p2k2"]["held"]
        or figures.get("ewarong_visits", {}).get("visits")
        or figures["coming"] or figures["companions"]
    )  # fmt: skip


def _opened(db: Session, in_area: Any, start: datetime, end: datetime) -> list[Any]:
    """The cases opened in [start, end): category, answers, and the household's programmes (None: not on the list)."""
    return list(
        db.execute(
            select(Case.category, Case.details, Household.programs)
            .select_from(Case)
            .outerjoin(Household, Household.id == Case.household_id)
            .where(in_area, Case.created_at >= start, Case.created_at < end)
        ).all()
    )


def _by_category(opened: list[Any]) -> dict[str, int]:
    counts = Counter(row.category for row in opened)
    return {category: count for category, count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))}


def _closed(db: Session, in_area: Any, start: datetime, end: datetime) -> int:
    return db.scalar(select(func.count()).select_from(Case).where(in_area, Case.closed_at >= start, Case.closed_at < end)) or 0


def _open_cases(db: Session, in_area: Any, end: datetime) -> dict[str, Any]:
    """Cases open now, by status and by age at the end of the week; follow-ups overdue by then."""
    rows = db.execute(
        select(Case.reference, Case.status, Case.created_at, Case.follow_up_at, Case.household_name, Case.category)
        .where(in_area, Case.status.in_(OPEN_STATUSES))
        .order_by(Case.created_at)
    ).all()
    by_status: Counter[str] = Counter(row.status for row in rows)
    by_age: Counter[str] = Counter()
    for row in rows:
        age = (end - row.created_at).days
        by_age[next(name for name, limit in AGE_BUCKETS if limit is None or age < limit)] += 1
    overdue = sorted((row for row in rows if row.follow_up_at and row.follow_up_at < end), key=lambda row: row.follow_up_at)
    return {
        "open_total": len(rows),
        "open_by_status": {status: by_status[status] for status in OPEN_STATUSES if by_status[status]},
        "open_by_age": {name: by_age[name] for name, _limit in AGE_BUCKETS},
        "overdue": len(overdue),
        "overdue_top": [
            [row.reference, row.household_name, row.category, row.follow_up_at.date().isoformat()] for row in overdue[:LISTED]
        ],
    }


def _zero_balance(opened: list[Any]) -> dict[str, int]:
    """Zero-balance reports, split by whether the household is on the imported payment list (with a programme)
    or not (never listed, or cleansed from it)."""
    programmes = [row.programs for row in opened if row.category == "zero_balance"]
    on_list = sum(1 for programs in programmes if programs)
    return {"on_list": on_list, "not_on_list": len(programmes) - on_list}


def _ewarong(opened: list[Any]) -> dict[str, dict[str, int]]:
    """e-Warong complaints by agent (as the households named it) and by "T"."""
    answers = [(row.details or {}).get("answers", {}) for row in opened if row.category == "ewarong"]
    by_agent = Counter(" ".join(a.get("ewarong_agent", "").split()).title() or "-" for a in answers)
    by_t = Counter(t for a in answers for t in _complaints(a))
    return {"ewarong_by_agent": dict(by_agent.most_common()), "ewarong_by_t": dict(by_t.most_common())}


def _complaints(answers: dict[str, str]) -> list[str]:
    """Every "T" a report names ("beras apek dan telur mahal" is quality and price); "records" when none."""
    named = answers.get("ewarong_problems", "").split() or [answers.get("ewarong_problem", "")]
    return [t for t in named if t] or ["records"]


def _visits(db: Session, area_code: str, start: datetime, end: datetime) -> dict[str, Any]:
    """The TKSK's e-Warong monitoring visits: how many, which of the 6 T failed how often, transactions."""
    visits = list(
        db.scalars(
            select(EwarongVisit).where(within(EwarongVisit.area_code, area_code), EwarongVisit.visited_at >= start, EwarongVisit.visited_at < end)
        )
    )
    failed: Counter[str] = Counter()
    for visit in visits:
        failed.update(t for t, ok in (("price", visit.prices_ok), ("quality", visit.quality_ok), ("timing", visit.on_time), ("recipient", visit.on_target)) if not ok)
    return {
        "visits": len(visits), "failed_t": dict(failed.most_common()),
        "transactions_ok": sum(v.transactions_ok for v in visits), "transactions_failed": sum(v.transactions_failed for v in visits),
    }  # fmt: skip


def _p2k2(db: Session, area_code: str, start: datetime, end: datetime) -> dict[str, int]:
    held = list(
        db.scalars(
            select(Meeting.id).where(
                within(Meeting.area_code, area_code), Meeting.kind == "p2k2", Meeting.status == "held",
                Meeting.starts_at >= start, Meeting.starts_at < end,
            )  # fmt: skip
        )
    )
    if not held:
        return {"held": 0, "present": 0, "expected": 0}
    rows = db.execute(
        select(MeetingMember.attendance, func.count()).where(MeetingMember.meeting_id.in_(held)).group_by(MeetingMember.attendance)
    ).all()
    counts = dict(rows)
    return {"held": len(held), "present": counts.get("present", 0), "expected": sum(counts.values())}


def _coming(db: Session, area_code: str, start: datetime, end: datetime) -> list[dict[str, str]]:
    rows = db.execute(
        select(Meeting, P2k2Group.name, EwarongAgent.name, Area.name)
        .outerjoin(P2k2Group, P2k2Group.id == Meeting.group_id)
        .outerjoin(EwarongAgent, EwarongAgent.id == Meeting.agent_id)
        .join(Area, Area.code == Meeting.area_code)
        .where(within(Meeting.area_code, area_code), Meeting.status == "scheduled", Meeting.starts_at >= start, Meeting.starts_at < end)
        .order_by(Meeting.starts_at)
    ).all()
    return [
        {
            "kind": meeting.kind, "day": local_day(meeting.starts_at, meeting.timezone).isoformat(),
            "start": clock_time(meeting.starts_at, meeting.timezone),
            "end": clock_time(meeting.ends_at, meeting.timezone) if meeting.ends_at else "",
            "name": group or agent or "", "village": village, "place": meeting.place,
        }  # fmt: skip
        for meeting, group, agent, village in rows
    ]


def _companions(db: Session, in_area: Any, start: datetime, end: datetime) -> list[dict[str, Any]]:
    """What each companion did on the area's cases: changes recorded, and cases they opened."""
    rows = db.execute(
        select(CaseEvent.actor_person_id, CaseEvent.kind, func.count())
        .join(Case, Case.id == CaseEvent.case_id)
        .where(in_area, CaseEvent.at >= start, CaseEvent.at < end, CaseEvent.actor_person_id.is_not(None))
        .group_by(CaseEvent.actor_person_id, CaseEvent.kind)
    ).all()
    actions: dict[int, int] = defaultdict(int)
    opened: dict[int, int] = defaultdict(int)
    for person_id, kind, count in rows:
        actions[person_id] += count
        if kind == "opened":
            opened[person_id] += count
    if not actions:
        return []
    companion_ids = set(db.scalars(select(RoleAssignment.person_id).where(RoleAssignment.person_id.in_(actions))))
    people = {p.id: p for p in db.scalars(select(Person).where(Person.id.in_(companion_ids)))}
    companions = [
        {"name": people[pid].display_name or f"#{pid}", "actions": count, "opened": opened[pid]}
        for pid, count in actions.items()
        if pid in people
    ]
    return sorted(companions, key=lambda c: (-c["actions"], c["name"]))


def _weeks(db: Session, in_area: Any, week: Week, timezone: str) -> list[dict[str, Any]]:
    """Cases opened (by category) and closed in each of the last eight weeks, oldest first."""
    first = week.shifted(-(CHART_WEEKS - 1))
    start, _ = first.bounds(timezone)
    _, end = week.bounds(timezone)
    labels = [first.shifted(n).label for n in range(CHART_WEEKS)]
    opened: dict[str, Counter[str]] = {label: Counter() for label in labels}
    closed: Counter[str] = Counter()
    for category, created in db.execute(select(Case.category, Case.created_at).where(in_area, Case.created_at >= start, Case.created_at < end)):
        opened[Week.containing(created, timezone).label][category] += 1
    for (closed_at,) in db.execute(select(Case.closed_at).where(in_area, Case.closed_at >= start, Case.closed_at < end)):
        closed[Week.containing(closed_at, timezone).label] += 1
    return [{"week": label, "opened": dict(opened[label]), "closed": closed[label]} for label in labels]


CASE_COLUMNS = ("reference", "created", "category", "status", "village", "household", "nik", "rt", "rw", "follow_up", "overdue", "assignee")


def _case_list(db: Session, in_area: Any, start: datetime, end: datetime, timezone: str) -> list[list[Any]]:
    """Every case open at the end of the week or opened or closed during it."""
    during = lambda column: and_(column >= start, column < end)  # noqa: E731
    relevant = or_(Case.status.in_(OPEN_STATUSES), during(Case.created_at), during(Case.closed_at))
    return case_rows(db, and_(in_area, Case.created_at < end, relevant), overdue_at=end, timezone=timezone)


def case_rows(db: Session, condition: Any, *, overdue_at: datetime, timezone: str) -> list[list[Any]]:
    """Cases as rows of ``CASE_COLUMNS``, oldest first, NIK masked, dates local to ``timezone``."""
    rows = db.execute(
        select(Case, Household.nik_masked, Household.rt, Household.rw, Area.name, Person.display_name)
        .outerjoin(Household, Household.id == Case.household_id)
        .outerjoin(Person, Person.id == Case.assignee_person_id)
        .join(Area, Area.code == Case.area_code)
        .where(condition)
        .order_by(Case.created_at, Case.id)
    ).all()
    return [
        [
            case.reference, local_day(case.created_at, timezone).isoformat(), case.category, case.status, village,
            case.household_name, nik or "", rt or "", rw or "", case.follow_up_at.date().isoformat() if case.follow_up_at else "",
            bool(case.follow_up_at and case.follow_up_at < overdue_at and case.status in OPEN_STATUSES), assignee or "",
        ]  # fmt: skip
        for case, nik, rt, rw, village, assignee in rows
    ]
