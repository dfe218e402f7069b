"""One case in the console: the chat's own whole view of it, who handles it, who could take it over, and its
photos and voice notes as files the console serves.

The view is ``work_cases_of`` (the chat's "open a case"), so the same rules and the same audit lines apply:
``case_viewed``, or ``case_access_denied`` for a case that does not exist or lies outside the viewer's areas.
When the view carries the household's phone (its assignee, the area's operators), showing it is recorded as the
chat records it: ``UpdateCase(reference, "contact_viewed")`` through ``update_case``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from babel.dates import format_date
from sqlalchemy import select
from sqlalchemy.orm import Session

from app import audit
from app.cases.access import may_work_on
from app.cases.work import update_case, work_cases_of
from app.console.cases import ancestors
from app.media import EXTENSIONS, MediaStore
from app.media_links import ref_of
from app.models import Case, CaseEvent, Person, RoleAssignment
from app.models.cases import OPEN_STATUSES
from conversations.effects import UpdateCase
from conversations.flows.report_questions import STATUS_LABELS, STEP_LABELS, VOICE_ANSWER, shown_answer
from conversations.flows.status import REFERENCE
from conversations.types import CaseNoteView, MediaRef, Translate, WorkCaseView

MAX_REFERENCE = 20
"""A typed reference is cut to this before it is written in the audit log."""


@dataclass(frozen=True)
class MediaFile:
    """A photo or voice note the console can serve: ``name`` is ``<sha256><extension>``, the URL's last part."""

    name: str
    kind: str  # "photo" or "voice"
    mime_type: str


@dataclass(frozen=True)
class Taker:
    """Someone the case may be handed to: a role whose area holds the case's."""

    id: int
    name: str
    roles: tuple[str, ...]


@dataclass(frozen=True)
class CasePage:
    view: WorkCaseView
    assignee_id: int | None
    assignee: str
    is_open: bool
    takers: tuple[Taker, ...]
    report_media: tuple[MediaFile, ...]
    note_media: tuple[tuple[MediaFile, ...], ...]
    """The media of each entry of ``view.notes``, in the same order."""
    unplayable: int
    """Photos or voice notes whose file is not in the store (only counted, as in chat)."""


def normalized(reference: str) -> str:
    """``kb-7q4k2`` → ``KB-7Q4K2``; anything else as typed (cut), so a wrong code is audited as asked."""
    found = REFERENCE.fullmatch(reference.strip())
    return f"KB-{found.group(1).upper()}" if found else reference.strip()[:MAX_REFERENCE]


def case_page(
    db: Session, person: Person, reference: str, *, now: datetime, media: MediaStore,
    translators: Mapping[str, Translate],
) -> CasePage | None:
    """The case as the person may see it (audited), or None when it does not exist or is not theirs to see."""
    views = work_cases_of(db, person, now=now, reference=reference, media=media, listed=False)
    view = next((v for v in views if v.reference == reference), None)
    case = db.scalar(select(Case).where(Case.reference == reference)) if view is not None else None
    if view is None or case is None:
        return None
    if view.contact is not None:  # shown on the page: the audit log says so, as when the chat shows it
        update_case(db, effect=UpdateCase(reference, "contact_viewed"), actor=person, now=now, translators=translators)
    assignee = db.get(Person, case.assignee_person_id) if case.assignee_person_id else None
    note_media = tuple(tuple(_files(note.media)) for note in view.notes)
    report_media = tuple(_files(view.media))
    served = len(report_media) + sum(len(files) for files in note_media)
    return CasePage(
        view=view,
        assignee_id=case.assignee_person_id,
        assignee=(assignee.display_name or "-") if assignee is not None else "",
        is_open=case.status in OPEN_STATUSES,
        takers=takers(db, case, person),
        report_media=report_media,
        note_media=note_media,
        unplayable=len(view.media) + sum(len(note.media) for note in view.notes) - served,
    )


def _files(refs: tuple[MediaRef, ...]) -> list[MediaFile]:
    files = []
    for ref in refs:
        kind = "photo" if ref.mime_type.startswith("image/") else "voice" if ref.mime_type.startswith("audio/") else ""
        if kind and ref.ref.startswith("sha256:") and ref.mime_type in EXTENSIONS:
            files.append(MediaFile(ref.ref.removeprefix("sha256:") + EXTENSIONS[ref.mime_type], kind, ref.mime_type))
    return files


def takers(db: Session, case: Case, actor: Person) -> tuple[Taker, ...]:
    """Whom the actor may hand the case to (``update_case`` checks the same): people other than the actor and
    the assignee, with a phone and a role whose area holds the case's, by name."""
    rows = db.execute(
        select(Person.id, Person.display_name, RoleAssignment.role)
        .join(RoleAssignment, RoleAssignment.person_id == Person.id)
        .where(RoleAssignment.area_code.in_(ancestors(case.area_code)), Person.id != actor.id, Person.phone.is_not(None))
        .order_by(Person.display_name, Person.id, RoleAssignment.role)
    ).all()
    found: dict[int, Taker] = {}
    for pid, name, role in rows:
        if pid == case.assignee_person_id:
            continue
        known = found.get(pid)
        found[pid] = Taker(pid, name or "-", (*known.roles, role) if known else (role,))
    return tuple(found.values())


def media_file(
    db: Session, person: Person, reference: str, name: str, *, store: MediaStore, now: datetime
) -> tuple[Path, str] | None:
    """The stored photo or voice note ``name`` of the case, for a person who may see the case and only when the
    case (its report or one of its notes) holds it; None otherwise. Every file served is in the audit log."""
    ref = ref_of(name)
    if ref is None or not ref.mime_type.startswith(("image/", "audio/")):
        return None
    case = db.scalar(select(Case).where(Case.reference == reference))
    if case is None or not may_work_on(person, case):
        audit.record(db, actor_id=person.id, action="case_access_denied", subject_type="case", subject_id=reference,
                     now=now, via="media")  # fmt: skip
        return None
    held = {str(r) for r in (case.details or {}).get("media") or ()}
    for data in db.scalars(select(CaseEvent.data).where(CaseEvent.case_id == case.id)):
        held |= {str(r) for r in (data or {}).get("media") or ()}
    path = store.path_of(ref)
    if ref.ref not in held or not path.is_file():
        return None
    audit.record(db, actor_id=person.id, action="case_media_viewed", subject_type="case", subject_id=case.reference, now=now)
    return path, ref.mime_type


# --- how the page words a case's facts (as the chat's case view words them) ---------------------------------------


def local_when(moment: str, locale: str) -> str:
    """``2026-11-23T09:05`` (the reader's local time, as the case view gives it) → ``23 Nov 2026 09.05``."""
    if not moment:
        return "-"
    at = datetime.fromisoformat(moment)
    return f"{format_date(at.date(), 'd MMM y', locale=locale)} {at.strftime('%H.%M' if locale == 'id' else '%H:%M')}"


def shown(words: str, t: Translate) -> str:
    """What someone wrote; a voice note says so."""
    return t("(pesan suara)") if words == VOICE_ANSWER else words


def note_text(note: CaseNoteView, t: Translate, locale: str) -> str:
    """What happened, in a line, as the chat's timeline says it (the time and who are shown beside it)."""
    match note.kind:
        case "status_changed":
            changes = [t(STATUS_LABELS.get(note.status, note.status))] if note.status else []
            if note.step:
                changes.append(t("langkah: {step}", step=t(STEP_LABELS.get(note.step, note.step))))
            return ", ".join(changes) + (f": {shown(note.text, t)}" if note.text else "")
        case "consent_recorded":
            return t("Keluarga setuju: {who}", who=shown(note.text, t))
        case "cost_recorded":
            amount = t("Biaya sendiri: {amount}", amount=shown_answer("amount", note.value, t))
            return amount + (f" ({shown(note.text, t)})" if note.text else "")
        case "follow_up_set":
            day = format_date(date.fromisoformat(note.value), "EEEE, d MMMM y", locale=locale) if note.value else "-"
            return t("Tindak lanjut: {date}", date=day)
        case "handed_over":
            return t("Diserahkan kepada {name}", name=note.value or "-")
        case "report_attached":
            return t("Keluarga melapor lagi: {note}", note=shown(note.text, t))
    return shown(note.text, t) if note.text else ""
