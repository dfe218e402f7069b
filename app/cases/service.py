"""Opening, attaching to and moving cases; every change is an event on the case and a line in the audit log.

Services flush and never commit: the pipeline commits the message, the case,
the events, the audit rows and the notifications together.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, time

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import audit
from app.cases import notify
from app.cases.routing import route
from app.models import Case, CaseEvent, Household, Person
from app.models.cases import OPEN_STATUSES
from app.people.phones import normalize_phone
from app.refusals import CASE_OUTSIDE, HOUSEHOLD_OUTSIDE, Refused, covers
from conversations.categories import BY_CODE, route_of
from conversations.effects import AttachToCase, OpenCase, OpenCompanionCase
from conversations.types import Translate


def open_case(
    db: Session, *, effect: OpenCase, actor: Person, now: datetime, translators: Mapping[str, Translate]
) -> Case:
    """Insert the case under the effect's reference, route it, and tell the people responsible at once.

    A companion files for a household (assisted) only in their own area: the household found by the phone
    number typed, or else the area the report names, must lie in one of their roles' areas (``Refused``)."""
    assisted = bool(effect.filed_for)
    household = _household(db, effect, actor)
    category = BY_CODE[effect.category]
    area_code = household.area_code if household else effect.area_code
    if assisted and not covers(actor, area_code):
        raise Refused(HOUSEHOLD_OUTSIDE, attempted="assisted_report", area_code=area_code,
                      subject_type="household" if household else "area", subject_id=household.id if household else area_code)  # fmt: skip
    routing = route(db, role=route_of(category, effect.answers), area_code=area_code)
    case = Case(
        reference=effect.reference,
        kind="kpm_report",
        category=effect.category,
        status="new",
        area_code=area_code,
        household_id=household.id if household else None,
        household_name=household.head_name if household else effect.household_name,
        reporter_person_id=(household.person_id if household else None) if assisted else actor.id,
        filed_by_person_id=actor.id,
        assignee_person_id=routing.assignee.id if routing.assignee else None,
        routed_role=routing.role,
        details={"answers": dict(effect.answers), "media": list(effect.media), "filed_for": effect.filed_for},
        created_at=now,
        updated_at=now,
    )
    db.add(case)
    db.flush()
    _event(db, case, actor, "opened", now, assisted=assisted, media=list(effect.media))
    audit.record(db, actor_id=actor.id, action="case_opened", subject_type="case", subject_id=case.reference, now=now)
    notify.case_opened(db, case=case, routing=routing, now=now, translators=translators)
    if assisted and case.reporter_person_id:
        notify.opened_for_household(db, case=case, now=now, translators=translators)
    return case


def open_companion_case(db: Session, *, effect: OpenCompanionCase, actor: Person, now: datetime) -> Case:
    """A case a companion found and logged: assigned to them, with its next follow-up date; only in their area."""
    area_code = effect.area_code or actor.area_code or ""
    if not covers(actor, area_code):
        raise Refused(CASE_OUTSIDE, attempted="companion_case", area_code=area_code)
    follow_up = datetime.combine(date.fromisoformat(effect.follow_up), time(), tzinfo=UTC) if effect.follow_up else None
    details = {
        "source": effect.source, "rt_rw": effect.rt_rw, "ppks_type": effect.ppks_type, "story": effect.story,
        "media": list(effect.media), "planned_steps": effect.planned_steps, "partners": list(effect.partners),
    }  # fmt: skip
    case = Case(
        reference=effect.reference,
        kind="companion_case",
        category=f"ppks:{effect.ppks_type or 'unknown'}",
        status="new",
        area_code=area_code,
        household_name=effect.person_name,
        filed_by_person_id=actor.id,
        assignee_person_id=actor.id,
        routed_role=actor.roles[0].role if actor.roles else "",
        details=details,
        follow_up_at=follow_up,
        created_at=now,
        updated_at=now,
    )
    db.add(case)
    db.flush()
    _event(db, case, actor, "opened", now, media=list(effect.media))
    audit.record(db, actor_id=actor.id, action="case_opened", subject_type="case", subject_id=case.reference, now=now)
    return case


def attach_to_case(
    db: Session, *, effect: AttachToCase, actor: Person, now: datetime, translators: Mapping[str, Translate]
) -> Case | None:
    """A second report of the same problem: a note on the open case, and the assignee is told."""
    case = db.scalar(select(Case).where(Case.reference == effect.reference))
    if case is None or case.status not in OPEN_STATUSES:
        return None
    case.updated_at = now
    _event(db, case, actor, "report_attached", now, note=effect.note, media=list(effect.media))
    audit.record(db, actor_id=actor.id, action="report_attached", subject_type="case", subject_id=case.reference, now=now)
    notify.report_attached(db, case=case, note=effect.note, now=now, translators=translators)
    return case


def change_status(
    db: Session,
    *,
    case: Case,
    status: str,
    actor: Person,
    now: datetime,
    translators: Mapping[str, Translate],
    procedure_step: str | None = None,
    note: str = "",
) -> None:
    """Move a case (and its KKS procedure step); the household that reported is told in its own language."""
    changes: dict[str, tuple[str | None, str]] = {}
    if status == "resolved" and procedure_step is None and _tracks_steps(case) and case.procedure_step != "card_received":
        procedure_step = "card_received"  # a card case resolved means the card is in hand, unless said otherwise
    if status != case.status:
        changes["status"] = (case.status, status)
        case.status = status
        case.closed_at = now if status in ("resolved", "closed_unresolved") else None
    if procedure_step is not None and procedure_step != case.procedure_step:
        changes["procedure_step"] = (case.procedure_step, procedure_step)
        case.procedure_step = procedure_step
    if not changes:
        return
    case.updated_at = now
    event = _event(db, case, actor, "status_changed", now, note=note, **{k: list(v) for k, v in changes.items()})
    audit.record(db, actor_id=actor.id, action="case_status_changed", subject_type="case", subject_id=case.reference, now=now)
    notify.status_changed(db, case=case, event_id=event.id, now=now, translators=translators, note=note, actor=actor)


def _tracks_steps(case: Case) -> bool:
    category = BY_CODE.get(case.category)
    return bool(category and category.tracks_kks_steps)


def _household(db: Session, effect: OpenCase, actor: Person) -> Household | None:
    if effect.household_id is not None:
        household = db.get(Household, effect.household_id)
        if household is None:
            return None
        own = household.person_id == actor.id or household.phone == actor.phone
        named = bool(effect.filed_for) and covers(actor, household.area_code)  # a companion named it, in their area
        return household if own or named else None
    phone = normalize_phone(effect.filed_for) if effect.filed_for else None
    if phone is None:
        return None
    return db.scalar(select(Household).where(Household.phone == phone).order_by(Household.id).limit(1))


def _event(db: Session, case: Case, actor: Person, kind: str, now: datetime, *, note: str = "", **data: object) -> CaseEvent:
    event = CaseEvent(case_id=case.id, at=now, actor_person_id=actor.id, kind=kind, note=note, data=data)
    db.add(event)
    db.flush()
    return event
