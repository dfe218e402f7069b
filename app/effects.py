"""Applying the engine's effects to the database: one ``match`` arm per effect.

Services flush and never commit; the pipeline commits the message, the session,
these changes, the audit rows and the replies together. A service that finds the
target outside the actor's area raises ``app.refusals.Refused`` before writing;
the pipeline applies a step's effects in one savepoint, so a refusal undoes the
effects before it too, and answers with the refusal.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import assert_never

from sqlalchemy.orm import Session

from app import audit, guessing
from app.cases import service as cases
from app.cases import work
from app.config import Settings
from app.console.chat_link import send_sign_in_link
from app.digest import service as digests
from app.ewarong import service as ewarong
from app.invitations import service as invitations
from app.media import MediaStore
from app.models import Area, Person
from app.schedules import groups as group_members
from app.schedules import service as schedules
from conversations.effects import (
    AddGroupMember,
    AnswerMeeting,
    AttachToCase,
    CancelMeeting,
    ChangeMeeting,
    CountWrongCode,
    CreateInvitation,
    DeclineConsent,
    Effect,
    GiveConsent,
    OpenCase,
    OpenCompanionCase,
    OptIn,
    OptOut,
    RecordAttendance,
    RecordEwarongVisit,
    ScheduleMeeting,
    SendDigest,
    SendWebLink,
    SetArea,
    SetLanguage,
    UpdateCase,
)
from conversations.types import Translate


def apply_effect(
    db: Session, *, person: Person, effect: Effect, now: datetime, settings: Settings, translators: Mapping[str, Translate]
) -> None:
    def log(action: str, **details: object) -> None:
        audit.record(db, actor_id=person.id, action=action, subject_type="person", subject_id=person.id, now=now, **details)

    match effect:
        case GiveConsent():
            person.consent_given_at = now
            person.consent_declined_at = None
            log("consent_given")
        case DeclineConsent():
            person.consent_declined_at = now
            person.consent_given_at = None
            log("consent_declined")
        case SetLanguage(locale=locale):
            person.locale = locale
            log("language_set", locale=locale)
        case SetArea(area_code=code):
            if db.get(Area, code) is None:
                raise ValueError(f"unknown area {code!r}")
            person.area_code = code
            log("area_set", area_code=code)
        case OptOut():
            person.opted_out_at = now
            log("broadcasts_stopped")
        case OptIn():
            person.opted_out_at = None
            log("broadcasts_resumed")
        case OpenCase():
            cases.open_case(db, effect=effect, actor=person, now=now, translators=translators)
        case AttachToCase():
            cases.attach_to_case(db, effect=effect, actor=person, now=now, translators=translators)
        case OpenCompanionCase():
            cases.open_companion_case(db, effect=effect, actor=person, now=now)
        case CreateInvitation(role=role, area_code=area_code):
            invitations.invite_from_chat(db, role=role, area_code=area_code, actor=person, now=now, translators=translators)
        case UpdateCase():
            work.update_case(db, effect=effect, actor=person, now=now, translators=translators)
        case ScheduleMeeting():
            schedules.schedule_meeting(db, effect=effect, actor=person, now=now, settings=settings, translators=translators)
        case ChangeMeeting():
            schedules.change_meeting(db, effect=effect, actor=person, now=now, settings=settings, translators=translators)
        case CancelMeeting():
            schedules.cancel_meeting(db, effect=effect, actor=person, now=now, settings=settings, translators=translators)
        case RecordAttendance():
            schedules.record_attendance(db, effect=effect, actor=person, now=now, settings=settings, translators=translators)
        case AnswerMeeting():
            schedules.answer_meeting(db, effect=effect, actor=person, now=now)
        case RecordEwarongVisit():
            ewarong.record_visit(db, effect=effect, actor=person, now=now, translators=translators)
        case AddGroupMember():
            group_members.add_group_member(db, effect=effect, actor=person, now=now, translators=translators)
        case SendDigest(last_week=last_week):  # "ringkasan": this week so far; "ringkasan lalu": last week
            media = MediaStore(settings.media_dir, settings.media_max_bytes)
            digests.send_digest_now(db, person=person, settings=settings, translators=translators, media=media, now=now,
                                    key=f"digest:asked:{person.id}:{now.isoformat()}", last_week=last_week)  # fmt: skip
        case SendWebLink():
            send_sign_in_link(db, person=person, settings=settings, translators=translators, now=now)
        case CountWrongCode(code=code):
            guessing.wrong_code(db, person=person, kind="ticket", code=code, now=now, translators=translators)
        case _:
            assert_never(effect)
