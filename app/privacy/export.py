"""A person's data, all of it, as one JSON document: ``kawal privacy export --phone N`` (UU 27/2022, the right of access).

NIK and KK numbers are given masked, as stored; their keyed hashes are left out: they identify nobody without the
key, and are the service's matching aid, not data about the person. The export itself is audited (when and by
whom), never its content.
"""

from __future__ import annotations

import json
import os
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import Session

from app import audit
from app.models import (
    AuditEntry,
    CaseEvent,
    ConversationSession,
    InboundMessage,
    Invitation,
    MeetingMember,
    OutboundMessage,
    Reminder,
    RoleAssignment,
)
from app.models.base import Base
from app.people.phones import mask_phone
from app.privacy.subject import Subject

LEFT_OUT = {"nik_hash", "kk_hash", "token_hash", "csrf_token"}
NOTE = (
    "NIK and KK numbers are kept only masked and as a keyed hash; the hashes are not given: they identify nobody "
    "without the service's key."
)


def export_subject(db: Session, subject: Subject, *, now: datetime, requested_by: str) -> dict[str, Any]:
    """Everything held about ``subject``; writes an audit row (who asked, when; not what was given)."""
    person = subject.person
    person_id = person.id if person is not None else None
    household_ids = [h.id for h in subject.households]
    case_ids = [c.id for c in subject.cases]
    events = _rows(db, select(CaseEvent).where(CaseEvent.case_id.in_(case_ids)).order_by(CaseEvent.at, CaseEvent.id))
    of_person = (lambda query: _rows(db, query)) if person_id is not None else (lambda query: [])  # no person: none of theirs
    session = db.get(ConversationSession, person_id) if person_id is not None else None
    document: dict[str, Any] = {
        "phone": subject.phone,
        "exported_at": now.isoformat(),
        "note": NOTE,
        "person": _row(person) if person is not None else None,
        "channel_identities": [_row(identity) for identity in subject.identities],
        "roles": of_person(select(RoleAssignment).where(RoleAssignment.person_id == person_id).order_by(RoleAssignment.id)),
        "households": [_row(household) for household in subject.households],
        "cases": [{**_row(case), "events": [e for e in events if e["case_id"] == case.id]} for case in subject.cases],
        "inbound_messages": of_person(select(InboundMessage).where(InboundMessage.person_id == person_id).order_by(InboundMessage.id)),
        "outbound_messages": _rows(db, select(OutboundMessage).where(outbound_to(subject)).order_by(OutboundMessage.id)),
        "reminders": of_person(select(Reminder).where(Reminder.person_id == person_id).order_by(Reminder.id)),
        "conversation_session": _row(session) if session is not None else None,
        "invitations": of_person(
            select(Invitation)
            .where(or_(Invitation.used_by_person_id == person_id, Invitation.created_by_person_id == person_id))
            .order_by(Invitation.id)
        ),
        "meeting_answers": _rows(db, select(MeetingMember).where(MeetingMember.household_id.in_(household_ids)).order_by(MeetingMember.id)),
        "audit_entries": _rows(db, _audit_about(subject).order_by(AuditEntry.at, AuditEntry.id)),
    }
    audit.record(
        db, actor_id=None, action="personal_data_exported", subject_type="person", subject_id=person_id or "-", now=now,
        requested_by=requested_by, phone=mask_phone(subject.phone),
    )  # fmt: skip
    return document


def write_private(path: Path, document: dict[str, Any]) -> None:
    """Write the JSON readable by its owner only (mode 0600), also when the file was already there."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(descriptor, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(as_json(document))


def as_json(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2, default=_plain) + "\n"


def outbound_to(subject: Subject) -> Any:
    """The outbox rows for the person, or addressed to their phone (WhatsApp, the simulator)."""
    condition = OutboundMessage.address == subject.phone
    return or_(condition, OutboundMessage.person_id == subject.person.id) if subject.person is not None else condition


def _audit_about(subject: Subject) -> Any:
    conditions: list[ColumnElement[bool]] = []
    if subject.cases:
        conditions.append((AuditEntry.subject_type == "case") & AuditEntry.subject_id.in_([c.reference for c in subject.cases]))
    if subject.households:
        conditions.append((AuditEntry.subject_type == "household") & AuditEntry.subject_id.in_([str(h.id) for h in subject.households]))
    if subject.person is not None:
        person_id = subject.person.id
        conditions.append((AuditEntry.subject_type == "person") & (AuditEntry.subject_id == str(person_id)))
        conditions.append(AuditEntry.actor_person_id == person_id)
    return select(AuditEntry).where(or_(*conditions) if conditions else AuditEntry.id.is_(None))


def _rows(db: Session, query: Any) -> list[dict[str, Any]]:
    return [_row(item) for item in db.scalars(query)]


def _row(item: Base) -> dict[str, Any]:
    """A row's columns, but the hashes."""
    return {column.key: getattr(item, column.key) for column in item.__mapper__.column_attrs if column.key not in LEFT_OUT}


def _plain(value: object) -> object:
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f"not JSON: {type(value).__name__}")
