"""A companion's view of cases (for the engine) and the changes they make to them.

Every read of a case by a companion and every change is in the audit log; a
companion of another area gets nothing back and changes nothing. Cases come
whole (who filed them and how, the household's words, story, plan, partners,
media, costs, the notes timeline); the household's phone only in the cases of
which the reader is the assignee or an operator of the area. The engine shows
the phone only when a case is opened, and says so with
``UpdateCase(reference, "contact_viewed")``: that is when the audit log gets its
``household_contact_viewed`` line.
"""

from __future__ import annotations

import mimetypes
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import UTC, date, datetime

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session, selectinload

from app import audit
from app.areas.scope import within
from app.areas.timezones import person_area, timezone_of
from app.cases import notify
from app.cases.access import may_see_contact, may_work_on
from app.cases.contact import AUDIT_ACTION, contact_view, household_phone, household_phones
from app.cases.service import change_status
from app.media import EXTENSIONS, MediaStore
from app.models import Area, Case, CaseEvent, Household, Person
from app.models.cases import OPEN_STATUSES
from app.people.phones import normalize_phone
from app.refusals import CASE_OUTSIDE, Refused
from app.schedules.local_time import local, local_day
from conversations.categories import BY_CODE
from conversations.effects import UpdateCase
from conversations.types import CaseNoteView, MediaRef, Translate, WorkCaseView

LISTED = 50
TIMELINE = 50
"""The most recent events a case view shows (older ones stay on the case)."""
SENDABLE = tuple(mime for mime in EXTENSIONS if mime.startswith(("image/", "audio/")))
"""The types a photo or voice note is stored as."""
TIMELINE_KINDS = (
    "report_attached", "note_added", "status_changed", "consent_recorded", "cost_recorded", "follow_up_set", "handed_over",
)  # fmt: skip


def work_cases_of(
    db: Session, person: Person, *, now: datetime, reference: str | None = None, media: MediaStore | None = None,
    listed: bool = True,
) -> tuple[WorkCaseView, ...]:
    """Open cases assigned to the person and the open cases of their areas nobody has taken (where no TKSK
    serves, ``app.cases.routing`` tells the area's PSM and those up the chain to take or hand them over); plus
    the case asked for by its code when the person may see it (with ``listed=False``, that case only); each
    whole (``WorkCaseView.detailed``). Given the media store, photos and voice notes carry their file type, so
    they can be sent back; without it they are only counted."""
    mine = Case.assignee_person_id == person.id
    areas = {role.area_code for role in person.roles}
    if areas:
        mine = or_(mine, and_(Case.assignee_person_id.is_(None), or_(*(within(Case.area_code, code) for code in sorted(areas)))))
    listing = select(Case).where(mine, Case.status.in_(OPEN_STATUSES))
    ordered = listing.order_by(Case.follow_up_at.is_(None), Case.follow_up_at, Case.id).limit(LISTED)
    cases = list(db.scalars(ordered)) if listed else []
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
    timezone = timezone_of(person_area(person))
    today = local_day(now, timezone)
    views = [_view(c, places.get(c.area_code, c.area_code), today) for c in cases]
    return _whole(db, cases, views, person, timezone=timezone, media=media)


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
        kind=case.kind,
        unassigned=case.assignee_person_id is None,
    )


def _whole(
    db: Session, cases: Sequence[Case], views: Sequence[WorkCaseView], reader: Person, *, timezone: str,
    media: MediaStore | None,
) -> tuple[WorkCaseView, ...]:
    """Everything of each case, read in a few queries; the phone only where the reader may see it."""
    households = {
        h.id: h for h in db.scalars(select(Household).where(Household.id.in_({c.household_id for c in cases if c.household_id})))
    }
    filers = {c.filed_by_person_id for c in cases if c.filed_by_person_id}
    names = _names(db, filers)
    phones = household_phones(db, [c for c in cases if may_see_contact(reader, c)])
    timelines = _timelines(db, cases, timezone, media)
    whole = []
    for case, view in zip(cases, views, strict=True):
        details = case.details or {}
        household = households.get(case.household_id or 0)
        rt, rw = (household.rt, household.rw) if household is not None else _rt_rw(str(details.get("rt_rw") or ""))
        if case.kind == "companion_case":
            filed_as = "companion"
        else:
            filed_as = "assisted" if details.get("filed_for") else "household"
        phone = phones.get(case.id)
        whole.append(replace(
            view,
            detailed=True,
            contact=contact_view(phone) if phone else None,
            rt=rt or "",
            rw=rw or "",
            filed_as=filed_as,
            filed_by=names.get(case.filed_by_person_id or 0, "-") if filed_as != "household" else "",
            opened_at=_local(case.created_at, timezone),
            source=str(details.get("source") or ""),
            story=str(details.get("story") or ""),
            planned_steps=str(details.get("planned_steps") or ""),
            partners=tuple(str(code) for code in details.get("partners") or ()),
            media=media_refs(details.get("media") or (), media),
            notes=timelines.get(case.id, ()),
            personal_costs=int(details.get("personal_costs") or 0),
        ))  # fmt: skip
    return tuple(whole)


def _names(db: Session, ids: Iterable[int]) -> dict[int, str]:
    wanted = set(ids)
    if not wanted:
        return {}
    return {pid: name or "-" for pid, name in db.execute(select(Person.id, Person.display_name).where(Person.id.in_(wanted)))}


def _rt_rw(text: str) -> tuple[str, str]:
    """A companion's case keeps RT/RW as ``"003/005"``."""
    rt, _, rw = text.partition("/")
    return rt, rw


def _local(moment: datetime | None, timezone: str) -> str:
    return local(moment, timezone).strftime("%Y-%m-%dT%H:%M") if moment else ""


def _timelines(
    db: Session, cases: Sequence[Case], timezone: str, media: MediaStore | None
) -> dict[int, tuple[CaseNoteView, ...]]:
    """Each case's notes and changes, oldest first (its latest ``TIMELINE``), in the reader's local time."""
    if not cases:
        return {}
    events = db.scalars(
        select(CaseEvent)
        .where(CaseEvent.case_id.in_([c.id for c in cases]), CaseEvent.kind.in_(TIMELINE_KINDS))
        .order_by(CaseEvent.case_id, CaseEvent.at, CaseEvent.id)
    ).all()
    by_case: dict[int, list[CaseEvent]] = defaultdict(list)
    for event in events:
        by_case[event.case_id].append(event)
    people = {e.actor_person_id for e in events if e.actor_person_id}
    people |= {int(e.data["to_person_id"]) for e in events if (e.data or {}).get("to_person_id")}
    names = _names(db, people)
    return {
        case_id: tuple(_note(event, names, timezone, media) for event in listed[-TIMELINE:])
        for case_id, listed in by_case.items()
    }


def _note(event: CaseEvent, names: Mapping[int, str], timezone: str, media: MediaStore | None) -> CaseNoteView:
    data = event.data or {}
    value = ""
    match event.kind:
        case "cost_recorded":
            value = str(data.get("amount", ""))
        case "follow_up_set":
            value = str(data.get("follow_up", ""))
        case "handed_over":
            value = names.get(int(data.get("to_person_id") or 0), "-")
    changed = event.kind == "status_changed"
    return CaseNoteView(
        at=_local(event.at, timezone),
        who=names.get(event.actor_person_id or 0, "-"),
        kind=event.kind,
        text=event.note or "",
        value=value,
        status=str(data["status"][-1]) if changed and data.get("status") else "",
        step=str(data["procedure_step"][-1] or "") if changed and data.get("procedure_step") else "",
        media=media_refs(data.get("media") or (), media),
    )


def media_refs(refs: Iterable[str], store: MediaStore | None) -> tuple[MediaRef, ...]:
    """Stored refs with their file type, so a channel can send them: found in the media store (``sha256:…``) or
    read from the name the terminal simulator gives (``simulator:mbah.jpg``); an unknown type stays empty."""
    found = []
    for ref in refs:
        mime = ""
        if ref.startswith("simulator:"):
            mime = mimetypes.guess_type(ref.removeprefix("simulator:"))[0] or ""
        elif store is not None and ref.startswith("sha256:"):
            mime = next((m for m in SENDABLE if store.path_of(MediaRef(ref, m)).is_file()), "")
        found.append(MediaRef(ref, mime))
    return tuple(found)


def update_case(
    db: Session, *, effect: UpdateCase, actor: Person, now: datetime, translators: Mapping[str, Translate]
) -> bool:
    """Apply a companion's change if they may work on the case (``Refused`` otherwise: not theirs, another area's);
    False when it cannot be done (taken meanwhile, a hand-over to someone who may not work on it)."""
    case = db.scalar(select(Case).where(Case.reference == effect.reference))
    if effect.action == "contact_viewed":
        return _contact_viewed(db, case, actor, now)
    if case is None or not may_work_on(actor, case):
        raise Refused(CASE_OUTSIDE, attempted=f"case_{effect.action}", area_code=case.area_code if case else "",
                      subject_type="case", subject_id=effect.reference)  # fmt: skip
    match effect.action:
        case "status":
            if effect.consent:
                _event(db, case, actor, "consent_recorded", now, note=effect.consent, consented_at=now.isoformat())
            change_status(db, case=case, status=effect.value, actor=actor, now=now, translators=translators, note=effect.note)
        case "cost":
            costs = int(case.details.get("personal_costs", 0)) + int(effect.value)
            case.details = {**case.details, "personal_costs": costs}
            _event(db, case, actor, "cost_recorded", now, note=effect.note, amount=int(effect.value))
        case "take":  # nobody handled it: the operator or admin who read it takes it on
            if case.assignee_person_id is not None:
                return False
            case.assignee_person_id = actor.id
            _event(db, case, actor, "taken", now)
            change_status(db, case=case, status="in_progress", actor=actor, now=now, translators=translators)
        case "handover":
            if not _hand_over(db, case, actor, effect.value, now, translators):
                return False
        case "step":
            status = "in_progress" if case.status == "new" else case.status
            change_status(db, case=case, status=status, procedure_step=effect.value, actor=actor, now=now, translators=translators)
        case "follow_up":
            case.follow_up_at = datetime.combine(date.fromisoformat(effect.value), datetime.min.time(), tzinfo=UTC)
            _event(db, case, actor, "follow_up_set", now, follow_up=effect.value)
        case _:
            _event(db, case, actor, "note_added", now, note=effect.note, media=list(effect.media))
    case.updated_at = now
    audit.record(db, actor_id=actor.id, action=f"case_{effect.action}_recorded", subject_type="case", subject_id=case.reference, now=now)
    return True


def _contact_viewed(db: Session, case: Case | None, actor: Person, now: datetime) -> bool:
    """The engine showed the household's phone to ``actor``: the audit log says so (never the number)."""
    if case is None or not may_see_contact(actor, case) or household_phone(db, case) is None:
        return False
    audit.record(db, actor_id=actor.id, action=AUDIT_ACTION, subject_type="case", subject_id=case.reference, now=now, via="case_view")
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
