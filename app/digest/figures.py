"""The figures of an area's week, as a JSON-compatible dict: what the digest text, chart and workbook show.

A week is counted up to its end, or up to now while it is still going on ("this week so far": ``until`` says
when). Cases are counted as they stood at that moment: a case opened later is not in it, a case closed later
was still open in it, with the status it had then. Every count comes with the same count of the ISO week
just before, taken from that week's stored digest (what its readers were sent) or, when there is none (or
it lacks the figure), computed the same way. The area is a village (an operator's digest) or a kecamatan (a
TKSK's); everything inside it counts.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from app.areas.scope import within
from app.digest.weeks import Week
from app.models import (
    Area,
    Case,
    CaseEvent,
    Digest,
    EwarongAgent,
    EwarongVisit,
    Household,
    Meeting,
    MeetingMember,
    P2k2Group,
    Person,
    RoleAssignment,
)
from app.models.cases import OPEN_STATUSES
from app.schedules.local_time import clock_time, local, local_day
from conversations.flows.report_questions import UNKNOWN_ANSWER

CHART_WEEKS = 8
KECAMATAN = 3  # area level: a TKSK's digest names it, since a kecamatan and a village often share a name
LISTED = 5
AGE_BUCKETS = (("under_7", 7), ("7_to_30", 30), ("over_30", None))
COMING_DAYS = 7
CLOSED_WITHOUT_HISTORY = "in_progress"
"""The status a case closed after the moment counted is given when no recorded change says what it was
(only cases written straight into the database: the service records every change)."""

# What the week before is compared on: for each ``previous_…`` figure, the same measure of that week.
PREVIOUS: dict[str, Any] = {
    "previous_new_by_category": lambda f: f["new_by_category"],
    "previous_closed": lambda f: f["closed"],
    "previous_open_total": lambda f: f["open_total"],
    "previous_unassigned": lambda f: f["unassigned"],
    "previous_overdue": lambda f: f["overdue"],
    "previous_zero_balance": lambda f: f["zero_balance"],
    "previous_ewarong_total": lambda f: sum(f["ewarong_by_t"].values()),
    "previous_p2k2": lambda f: f["p2k2"],
    "previous_companion_actions": lambda f: sum(c["actions"] for c in f["companions"]),
}
COMPARED = {"new_by_category", "closed", "open_total", "unassigned", "overdue", "zero_balance", "ewarong_by_t", "p2k2", "companions"}


def build_figures(db: Session, *, area_code: str, week: Week, now: datetime) -> dict[str, Any]:
    """The figures of ``week``: the whole week once it is over, otherwise the week so far (up to ``now``)."""
    area = db.get(Area, area_code)
    if area is None:
        raise ValueError(f"unknown area {area_code!r}")
    db.flush()  # the biggest queries below go straight to the connection (plain rows: several times cheaper)
    start, end = week.bounds(area.timezone)
    cutoff = max(start, min(end, now))
    figures: dict[str, Any] = {
        "area": area_code, "area_name": f"Kecamatan {area.name}" if area.level == KECAMATAN else area.name, "timezone": area.timezone, "week": week.label,
        "from": week.monday.isoformat(), "to": week.sunday.isoformat(), "built_at": now.isoformat(),
        "until": local(cutoff, area.timezone).isoformat(timespec="minutes") if cutoff < end else None,
        **_measures(db, area_code, start, cutoff, area.timezone),
        "coming": _coming(db, area_code, cutoff, cutoff + timedelta(days=COMING_DAYS)),
        "weeks": _weeks(db, within(Case.area_code, area_code), week, area.timezone, cutoff),
        "cases": _case_list(db, within(Case.area_code, area_code), start, cutoff, area.timezone),
    }  # fmt: skip
    figures.update(previous_figures(db, area=area, week=week))
    return figures


def is_partial(figures: dict[str, Any]) -> bool:
    """The week was not over yet: its figures are the week so far."""
    return bool(figures.get("until"))


def previous_figures(db: Session, *, area: Area, week: Week) -> dict[str, Any]:
    """The ``previous_…`` figures: the ISO week just before ``week``, as its stored digest has them (what its readers
    were sent) or, for what none has (nothing stored, or stored before that figure was counted), computed."""
    before = week.shifted(-1)
    stored = db.scalar(select(Digest.figures).where(Digest.area_code == area.code, Digest.week == before.label)) or {}
    if not COMPARED <= stored.keys():
        stored = {**_measures(db, area.code, *before.bounds(area.timezone), area.timezone), **stored}
    return {key: measure(stored) for key, measure in PREVIOUS.items()}


def _measures(db: Session, area_code: str, start: datetime, cutoff: datetime, timezone: str) -> dict[str, Any]:
    """What is counted of [start, cutoff): the same for the week reported and the week before it."""
    in_area = within(Case.area_code, area_code)
    opened = _opened(db, in_area, start, cutoff)
    return {
        "new_by_category": _by_category(opened),
        "closed": _closed(db, in_area, start, cutoff),
        **_open_cases(db, in_area, cutoff, timezone),
        "zero_balance": _zero_balance(opened),
        **_ewarong(opened),
        "ewarong_visits": _visits(db, area_code, start, cutoff),
        "p2k2": _p2k2(db, area_code, start, cutoff),
        "companions": _companions(db, in_area, start, cutoff),
    }


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
        db.connection().execute(
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


def _statuses_then(db: Session, in_area: Any, moment: datetime) -> dict[int, str]:
    """The status each case of the area had at ``moment``, for the cases whose status changed since:
    what the first change after it changed from."""
    rows = db.connection().execute(
        select(CaseEvent.case_id, CaseEvent.data)
        .join(Case, Case.id == CaseEvent.case_id)
        .where(in_area, Case.created_at < moment, CaseEvent.kind == "status_changed", CaseEvent.at >= moment)
        .order_by(CaseEvent.at, CaseEvent.id)
    ).all()
    then: dict[int, str] = {}
    for case_id, data in rows:
        change = (data or {}).get("status")
        if case_id not in then and isinstance(change, list) and len(change) == 2:
            then[case_id] = change[0]
    return then


def _status_at(case_id: int, status: str, closed_at: datetime | None, moment: datetime, then: dict[int, str]) -> str:
    if case_id in then:
        return then[case_id]
    if status not in OPEN_STATUSES and closed_at is not None and closed_at >= moment:
        return CLOSED_WITHOUT_HISTORY
    return status


def _open_cases(db: Session, in_area: Any, moment: datetime, timezone: str) -> dict[str, Any]:
    """The cases open at ``moment`` (opened before it, not closed by then): by status then, by age then, those
    without a companion, follow-ups overdue by then."""
    then = _statuses_then(db, in_area, moment)
    candidates = db.connection().execute(
        select(Case.id, Case.reference, Case.status, Case.closed_at, Case.created_at, Case.follow_up_at,
               Case.household_name, Case.category, Case.assignee_person_id)
        .where(or_(and_(in_area, Case.status.in_(OPEN_STATUSES)), and_(in_area, Case.closed_at >= moment)))  # each on an index
        .order_by(Case.created_at, Case.id)
    ).all()  # fmt: skip
    rows = []
    for row in candidates:
        status = _status_at(row.id, row.status, row.closed_at, moment, then)
        if row.created_at < moment and status in OPEN_STATUSES:
            rows.append((status, row))
    by_status: Counter[str] = Counter(status for status, _row in rows)
    by_age: Counter[str] = Counter()
    for _status, row in rows:
        age = (moment - row.created_at).days
        by_age[next(name for name, limit in AGE_BUCKETS if limit is None or age < limit)] += 1
    overdue = sorted((row for _s, row in rows if row.follow_up_at and row.follow_up_at < moment), key=lambda row: row.follow_up_at)
    unassigned = [row for _s, row in rows if row.assignee_person_id is None]
    return {
        "open_total": len(rows),
        "open_by_status": {status: by_status[status] for status in OPEN_STATUSES if by_status[status]},
        "open_by_age": {name: by_age[name] for name, _limit in AGE_BUCKETS},
        "unassigned": len(unassigned),
        "unassigned_top": [
            [row.reference, row.household_name, row.category, local_day(row.created_at, timezone).isoformat()] for row in unassigned[:LISTED]
        ],
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


def agent_named(answer: str) -> str:
    """The agent as the household named it, one spelling; "-" when they did not know or did not say."""
    return "-" if answer == UNKNOWN_ANSWER else " ".join(answer.split()).title() or "-"


def _ewarong(opened: list[Any]) -> dict[str, dict[str, int]]:
    """e-Warong complaints by agent (as the households named it) and by "T"."""
    answers = [(row.details or {}).get("answers", {}) for row in opened if row.category == "ewarong"]
    by_agent = Counter(agent_named(a.get("ewarong_agent", "")) for a in answers)
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
        if person_id is None:  # left out by the query already; this tells the type checker
            continue
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


def _weeks(db: Session, in_area: Any, week: Week, timezone: str, cutoff: datetime) -> list[dict[str, Any]]:
    """Cases opened (by category) and closed in each of the eight weeks up to ``week`` (so far), oldest first."""
    first = week.shifted(-(CHART_WEEKS - 1))
    start, _ = first.bounds(timezone)
    labels = [first.shifted(n).label for n in range(CHART_WEEKS)]
    opened: dict[str, Counter[str]] = {label: Counter() for label in labels}
    closed: Counter[str] = Counter()
    for category, created in db.connection().execute(select(Case.category, Case.created_at).where(in_area, Case.created_at >= start, Case.created_at < cutoff)):
        opened[Week.containing(created, timezone).label][category] += 1
    for (closed_at,) in db.connection().execute(select(Case.closed_at).where(in_area, Case.closed_at >= start, Case.closed_at < cutoff)):
        if closed_at is not None:  # always so (the bounds exclude NULL); this tells the type checker
            closed[Week.containing(closed_at, timezone).label] += 1
    return [{"week": label, "opened": dict(opened[label]), "closed": closed[label]} for label in labels]


CASE_COLUMNS = ("reference", "created", "category", "status", "village", "household", "nik", "rt", "rw", "follow_up", "overdue", "assignee")


def _case_list(db: Session, in_area: Any, start: datetime, cutoff: datetime, timezone: str) -> list[list[Any]]:
    """Every case open at the end of the week (so far) or opened or closed during it, as it stood then: the ones
    open without a companion first, then the others, oldest first."""
    then = _statuses_then(db, in_area, cutoff)
    relevant = or_(*(and_(in_area, term) for term in (Case.status.in_(OPEN_STATUSES), Case.created_at >= start, Case.closed_at >= start)))
    listed = []
    for case in _case_query(db, relevant):  # each term on an index; the rest is sorted out here
        if case.created_at >= cutoff:
            continue
        status = _status_at(case.id, case.status, case.closed_at, cutoff, then)
        closed_during = case.closed_at is not None and start <= case.closed_at < cutoff
        if status in OPEN_STATUSES or case.created_at >= start or closed_during:
            listed.append((status in OPEN_STATUSES and case.assignee_person_id is None, _row(case, status, cutoff, timezone)))
    return [row for unassigned, row in listed if unassigned] + [row for unassigned, row in listed if not unassigned]


def case_rows(db: Session, condition: Any, *, overdue_at: datetime, timezone: str) -> list[list[Any]]:
    """Cases as rows of ``CASE_COLUMNS`` as they are now, oldest first, NIK masked, dates local to ``timezone``."""
    return [_row(case, case.status, overdue_at, timezone) for case in _case_query(db, condition)]


def _case_query(db: Session, condition: Any) -> Iterable[Any]:
    """What a case list shows of each case, with its household's NIK, RT and RW, its village and its assignee: only
    those columns (the answers are JSON, slow to read for thousands), as plain rows (ORM objects cost more)."""
    return db.connection().execute(
        select(Case.id, Case.reference, Case.created_at, Case.category, Case.status, Case.closed_at, Case.household_name,
               Case.follow_up_at, Case.assignee_person_id, Household.nik_masked.label("nik"), Household.rt, Household.rw,
               Area.name.label("village"), Person.display_name.label("assignee"))  # fmt: skip
        .outerjoin(Household, Household.id == Case.household_id)
        .outerjoin(Person, Person.id == Case.assignee_person_id)
        .join(Area, Area.code == Case.area_code)
        .where(condition)
        .order_by(Case.created_at, Case.id)
    ).all()


def _row(case: Any, status: str, overdue_at: datetime, timezone: str) -> list[Any]:
    return [
        case.reference, local_day(case.created_at, timezone).isoformat(), case.category, status, case.village,
        case.household_name, case.nik or "", case.rt or "", case.rw or "", case.follow_up_at.date().isoformat() if case.follow_up_at else "",
        bool(case.follow_up_at and case.follow_up_at < overdue_at and status in OPEN_STATUSES), case.assignee or "",
    ]  # fmt: skip
