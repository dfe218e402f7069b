"""A companion's view of cases (for the engine) and the changes they make to them.

Every read of a case by a companion and every change is in the audit log; a
companion of another area gets nothing back and changes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app import audit
from app.areas.timezones import person_area, timezone_of
from app.cases.access import may_work_on
from app.cases import notify
from app.cases.service import change_status
from app.people.phones import normalize_phone
from app.models import Area, Case, CaseEvent, Person
from app.models.cases import OPEN_STATUSES
from app.schedules.local_time import local_day
from conversations.categories import BY_CODE
from conversations.effects import UpdateCase
from conversations.types import Translate, WorkCaseView

LISTED = 50


def work_cases_of(db: Session, person: Person, *, now: datetime, reference: str | None = None) -> tuple[WorkCaseView, ...]:
    """Open cases assigned to the person, plus the case asked for by its code when the person may see it."""
    cases = list(
        db.scalars(
            select(Case)
            .where(Case.assignee_person_id == person.id, Case.status.in_(OPEN_STATUSES))
            .order_by(Case.follow_up_at.is_(None), Case.follow_up_at, Case.id)
            .limit(LISTED)
        )
    )
    if reference:
        asked = next((c for c in cases if c.reference == reference), None) or db.scalar(
            select(Case).where(Case.reference == reference)
        )
        allowed = asked is not None and may_work_on(person, asked)
        if asked is not None and allowed and asked not in cases:
            cases.append(asked)
        action = "case_viewed" if allowed else "case_access_denied"
        audit.record(db, actor_id=person.id, action=action, subject_type="case", subject_id=reference, now=now)
    places = dict(db.execute(select(Area.code, Area.name).where(Area.code.in_({c.area_code for c in cases}))).all())
    today = local_day(now, timezone_of(person_area(person)))
    return tuple(_view(c, places.get(c.area_code, c.area_code), today) for c in cases)


def _view(case: Case, place: str, today: date) -> WorkCaseView:
    follow_up = case.follow_up_at.date() if case.follow_up_at else None
    category = BY_CODE.get(case.category)
    return WorkCaseView(
        reference=case.reference,
        category=case.category,
        status=case.status,
        household_name=case.household_name,
        place=place,
        procedure_step=case.procedure_step or "",
        follow_up=follow_up.isoformat() if follow_up else "",
        overdue=bool(follow_up and follow_up < today and case.status in OPEN_STATUSES),
        answers=dict(case.details.get("answers", {})),
        tracks_steps=bool(category and category.tracks_kks_steps),
    )


def update_case(
    db: Session, *, effect: UpdateCase, actor: Person, now: datetime, translators: Mapping[str, Translate]
) -> bool:
    """Apply a companion's change if they may work on the case; False (and an audit line) otherwise."""
    case = db.scalar(select(Case).where(Case.reference == effect.reference))
    if case is None or not may_work_on(actor, case):
        audit.record(db, actor_id=actor.id, action="case_change_refused", subject_type="case", subject_id=effect.reference, now=now)
        return False
    match effect.action:
        case "status":
            if effect.consent:
                _event(db, case, actor, "consent_recorded", now, note=effect.consent, consented_at=now.isoformat())
            change_status(db, case=case, status=effect.value, actor=actor, now=now, translators=translators, note=effect.note)
        case "cost":
            costs = int(case.details.get("personal_costs", 0)) + int(effect.value)
            case.details = {**case.details, "personal_costs": costs}
            _event(db, case, actor, "cost_recorded", now, note=effect.note, amount=int(effect.value))
        case "handover":
            if not _hand_over(db, case, actor, effect.value, now, translators):
                return False
        case "step":
            status = "in_progress" if case.status == "new" else case.status
            change_status(db, case=case, status=status, procedure_step=effect.value, actor=actor, now=now, translators=translators)
        case "follow_up":
            case.follow_up_at = datetime.combine(date.fromisoformat(effect.value), datetime.min.time(), tzinfo=now.tzinfo)
            _event(db, case, actor, "follow_up_set", now, follow_up=effect.value)
        case _:
            _event(db, case, actor, "note_added", now, note=effect.note, media=list(effect.media))
    case.updated_at = now
    audit.record(db, actor_id=actor.id, action=f"case_{effect.action}_recorded", subject_type="case", subject_id=case.reference, now=now)
    return True


def _hand_over(
    db: Session, case: Case, actor: Person, phone_text: str, now: datetime, translators: Mapping[str, Translate]
) -> bool:
    """Give the case to another companion who may work on it; both are told."""
    phone = normalize_phone(phone_text)
    taker = (
        db.scalars(select(Person).options(selectinload(Person.roles)).where(Person.phone == phone)).one_or_none()
        if phone
        else None
    )
    if taker is None or taker.id == actor.id or not taker.roles or not may_work_on(taker, case):
        t = translators[actor.locale]
        notify.tell(db, actor, key=f"case:{case.reference}:handover-refused:{now.isoformat()}", now=now,
                    text=t("Kasus {reference} tidak bisa diserahkan: nomor itu bukan pendamping di wilayah kasus ini.", reference=case.reference))  # fmt: skip
        return False
    case.assignee_person_id = taker.id
    _event(db, case, actor, "handed_over", now, to_person_id=taker.id)
    t = translators[taker.locale]
    notify.tell(db, taker, key=f"case:{case.reference}:handed-to:{taker.id}:{now.isoformat()}", now=now,
                text=t("{name} menyerahkan kasus {reference} kepada Anda. Ketik {reference} untuk membukanya.", name=actor.display_name or "-", reference=case.reference))  # fmt: skip
    return True


def _event(db: Session, case: Case, actor: Person, kind: str, now: datetime, *, note: str = "", **data: object) -> None:
    db.add(CaseEvent(case_id=case.id, at=now, actor_person_id=actor.id, kind=kind, note=note, data=data))
