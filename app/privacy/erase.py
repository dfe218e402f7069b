"""Erasing a person: ``kawal privacy erase --phone N`` (UU 27/2022, the right to erasure).

Personal data is removed or anonymised; what the statistics count is kept:

- the person: name and phone blanked, roles, web sessions and sign-in links removed; the row stays (cases and
  audit entries point to it) but is nobody any more;
- channel identities removed, so a new message from that phone or Telegram account starts fresh, as a new person;
- households with that phone or linked to the person: head name replaced by ``(dihapus)``; phone, address, RT/RW,
  NIK and KK (hash and mask) blanked. Area, programmes and P2K2 group stay: they are counted;
- their conversation session deleted; their inbound texts and payloads, outbox bodies and addresses, and reminder
  bodies blanked (an outbox row still queued is cancelled; one being sent right now is left to finish);
- cases they reported or that concern their households: household name replaced, free-text answers, stories,
  notes and attached media removed; category, coded answers (programme, e-Warong problem …), status, area and
  dates kept. The photos and voice notes of those cases are deleted from the media folder;
- stored weekly digests keep every count; only the household names (and masked NIKs) in their case lists of
  those cases are replaced.

One audit row records the erasure, with counts and the person's id, never the phone.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from app import audit
from app.db import changed_rows
from app.models import (
    CaseEvent,
    ConversationSession,
    Digest,
    InboundMessage,
    OutboundMessage,
    Reminder,
    RoleAssignment,
    WebSession,
    WebSignInLink,
)
from app.privacy.export import outbound_to
from app.privacy.markers import ERASURE_MARKER
from app.privacy.subject import Subject
from conversations.flows.report_questions import QUESTIONS

ERASED_NAME = "(dihapus)"
CODED_ANSWERS = frozenset(key for key, question in QUESTIONS.items() if question.options) | {"ewarong_problems", "ewarong_agent"}
"""Answers that are codes (a choice, not words), and the e-Warong's name (a shop, not the person): kept, they are
counted (``app.digest.figures``). Every other answer is the person's own words, and goes."""
KEPT_COMPANION_DETAILS = ("source", "ppks_type", "planned_steps", "partners")
CODED_NOTES = frozenset({"consent_recorded"})
"""Events whose note is a code, not words."""
DIGEST_NAME_COLUMNS = {"cases": (5, 6), "unassigned_top": (1,), "overdue_top": (1,)}
"""Where a case's household name (and masked NIK) sits in the rows of a stored digest's case lists (``reference`` first)."""


@dataclass(frozen=True)
class Erased:
    person_id: int | None
    identities: int
    households: int
    cases: int
    inbound: int
    outbound: int
    digests: int
    media_files: int


def erase_subject(db: Session, subject: Subject, *, now: datetime, media_dir: Path) -> Erased:
    """Remove or anonymise everything held about ``subject`` (one transaction); the caller commits."""
    person = subject.person
    person_id = person.id if person is not None else None
    inbound = outbound = 0
    if person is not None:
        person.display_name, person.phone = "", None
        for table in (RoleAssignment, WebSession, WebSignInLink):
            db.execute(delete(table).where(table.person_id == person.id))
        db.execute(delete(ConversationSession).where(ConversationSession.person_id == person.id))
        theirs = InboundMessage.person_id == person.id
        inbound = _changed(db, update(InboundMessage).where(theirs).values(text="", payload=ERASURE_MARKER))
        pending = (Reminder.person_id == person.id) & (Reminder.status == "pending")
        db.execute(update(Reminder).where(pending).values(status="cancelled", note="erased"))
        db.execute(update(Reminder).where(Reminder.person_id == person.id).values(body=ERASURE_MARKER))
    outbound = _changed(
        db,
        update(OutboundMessage)
        .where(outbound_to(subject), OutboundMessage.status.not_in(("claimed", "sending")))
        .values(body=ERASURE_MARKER, address=""),
    )
    db.execute(
        update(OutboundMessage)
        .where(OutboundMessage.body == ERASURE_MARKER, OutboundMessage.status == "queued", OutboundMessage.address == "")
        .values(status="failed", error="erased")
    )
    for identity in subject.identities:
        db.delete(identity)
    for household in subject.households:
        household.head_name, household.phone, household.address, household.rt, household.rw = ERASED_NAME, None, "", "", ""
        household.nik_hash, household.nik_masked = f"erased:{household.id}", ""  # unique and matching no NIK
        household.kk_hash = household.kk_masked = None
        household.person_id = None
        household.updated_at = now
    media: set[str] = set()
    for case in subject.cases:
        case.household_name = ERASED_NAME
        media.update(str(ref) for ref in case.details.get("media", []))
        case.details = _scrubbed_details(case.details)
    case_ids = [case.id for case in subject.cases]
    for event in db.scalars(select(CaseEvent).where(CaseEvent.case_id.in_(case_ids))) if case_ids else ():
        media.update(str(ref) for ref in (event.data or {}).get("media", []))
        if event.kind not in CODED_NOTES:
            event.note = ""
        if "media" in (event.data or {}):
            event.data = {**event.data, "media": []}
    first_case = min((case.created_at for case in subject.cases), default=now)  # no digest before it lists them
    digests = _rename_in_digests(db, {case.reference for case in subject.cases}, since=first_case)
    db.flush()
    erased = Erased(
        person_id, len(subject.identities), len(subject.households), len(subject.cases), inbound, outbound, digests,
        _delete_media(media_dir, media),
    )
    audit.record(
        db, actor_id=None, action="personal_data_erased", subject_type="person", subject_id=person_id or "-", now=now,
        identities=erased.identities, households=erased.households, cases=erased.cases, inbound=inbound,
        outbound=outbound, digests=digests, media_files=erased.media_files,
    )  # fmt: skip
    return erased


def _scrubbed_details(details: dict[str, Any]) -> dict[str, Any]:
    """A case's details without the person's words: coded answers and the companion's plan stay."""
    answers = details.get("answers") or {}
    scrubbed: dict[str, Any] = {key: details[key] for key in KEPT_COMPANION_DETAILS if key in details}
    if "answers" in details:
        scrubbed["answers"] = {key: value for key, value in answers.items() if key in CODED_ANSWERS}
    scrubbed["media"] = []
    scrubbed["erased"] = True
    return scrubbed


def _rename_in_digests(db: Session, references: set[str], *, since: datetime) -> int:
    """Replace the household name (and masked NIK) of these cases in stored digests; every count stays as it was."""
    if not references:
        return 0
    changed = 0
    for digest in db.scalars(select(Digest).where(Digest.created_at >= since)):
        figures = copy.deepcopy(digest.figures)
        touched = False
        for key, columns in DIGEST_NAME_COLUMNS.items():
            rows = figures.get(key) or []
            for row in rows:
                if row and row[0] in references:
                    for column in columns:
                        if column < len(row):
                            row[column] = ERASED_NAME if column == columns[0] else ""
                    touched = True
        if touched:
            digest.figures = figures
            flag_modified(digest, "figures")
            changed += 1
    return changed


def _delete_media(media_dir: Path, refs: set[str]) -> int:
    """Delete the stored files of these refs (``sha256:…``, named by their content's hash in the media folder)."""
    deleted = 0
    for ref in refs:
        digest = ref.removeprefix("sha256:")
        if len(digest) != 64 or any(ch not in "0123456789abcdef" for ch in digest):
            continue
        for path in (media_dir / digest[:2]).glob(f"{digest}.*"):
            path.unlink(missing_ok=True)
            deleted += 1
    return deleted


def _changed(db: Session, statement: Any) -> int:
    return changed_rows(db, statement.execution_options(synchronize_session=False))
