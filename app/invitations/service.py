"""Creating and redeeming invitations.

A TKSK works a whole kecamatan; a PSM, a PKH facilitator and an operator work a
village (kelurahan/desa); an admin works a province or a regency/city. A code
is single-use and expires; it is the only way to gain one of these roles.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import audit
from app.cases import notify
from app.models import Area, Invitation, Person
from app.models.people import ROLES
from app.people.service import grant_role
from app.refusals import INVITATION_NOT_YOURS, Refused, covers
from conversations.roles import ROLE_NAMES
from conversations.types import Inbound, InboundKind, Translate

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 8
LIFETIME = timedelta(days=7)
AREA_LEVELS = {"psm": (4,), "pkh": (4,), "operator": (4,), "tksk": (3,), "admin": (1, 2)}
LEVEL_NAMES = {1: "province", 2: "regency/city", 3: "kecamatan", 4: "village (kelurahan/desa)"}
GRANTED_BY = {"psm": ("operator", "admin"), "pkh": ("operator", "admin"), "operator": ("operator", "admin"), "tksk": ("admin",)}
"""Whose role (in an area containing the invitation's) lets them invite to each role; nobody invites an admin."""
_DAFTAR = re.compile(rf"^\s*(?:daftar|register)\s+([{ALPHABET}]{{{CODE_LENGTH}}})\s*$", re.IGNORECASE)
"""Only a word shaped like a real code (its alphabet, its length) is one: "daftar saya bu" is an answer."""


class InvitationError(ValueError):
    """An invitation that cannot be made (unknown role or area, wrong level); the message says why."""


@dataclass(frozen=True)
class Redeemed:
    ok: bool
    role: str = ""
    area_name: str = ""


def create_invitation(
    db: Session, *, role: str, area_code: str, now: datetime, created_by: Person | None = None, lifetime: timedelta = LIFETIME
) -> Invitation:
    if role not in ROLES:
        raise InvitationError(f"unknown role {role!r}: use one of {', '.join(ROLES)}")
    area = db.get(Area, area_code)
    if area is None:
        raise InvitationError(f"unknown area {area_code!r}: use an official code such as 35.17.18")
    if area.level not in AREA_LEVELS[role]:
        wanted = " or ".join(LEVEL_NAMES[level] for level in AREA_LEVELS[role])
        raise InvitationError(f"a {role} works a {wanted}; {area_code} ({area.name}) is a {LEVEL_NAMES[area.level]}")
    if created_by is not None and not may_grant(created_by, role, area_code):
        raise Refused(INVITATION_NOT_YOURS, attempted=f"invitation_{role}", area_code=area_code)
    invitation = Invitation(
        code="".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH)),
        role=role,
        area_code=area_code,
        created_by_person_id=created_by.id if created_by else None,
        created_at=now,
        expires_at=now + lifetime,
    )
    db.add(invitation)
    db.flush()
    audit.record(db, actor_id=invitation.created_by_person_id, action="invitation_created", subject_type="invitation",
                 subject_id=invitation.id, now=now, role=role, area_code=area_code)  # fmt: skip
    return invitation


def may_grant(inviter: Person, role: str, area_code: str) -> bool:
    """Who may invite whom: an operator or admin to a village role inside the area they run, an admin a TKSK of a
    kecamatan inside theirs; an admin only from the command line (``kawal invite``, no inviter)."""
    granting = GRANTED_BY.get(role, ())
    return covers(inviter, area_code, roles=granting) if granting else False


def invite_from_chat(
    db: Session, *, role: str, area_code: str, actor: Person, now: datetime, translators: Mapping[str, Translate]
) -> None:
    """An operator's invitation made in the chat: only for their own village; the code goes back to them."""
    if not any(r.role == "operator" and r.area_code == area_code for r in actor.roles):
        raise Refused(INVITATION_NOT_YOURS, attempted=f"invitation_{role}", area_code=area_code)
    invitation = create_invitation(db, role=role, area_code=area_code, now=now, created_by=actor)
    t = translators[actor.locale]
    text = t(
        "Kode undangan untuk {role}: {code}. Berikan kepada orangnya: ia mengirim DAFTAR {code} ke nomor atau bot ini. "
        "Hanya bisa dipakai sekali, berlaku 7 hari.",
        code=invitation.code, role=t(ROLE_NAMES[role]),
    )  # fmt: skip
    notify.tell(db, actor, key=f"invitation:{invitation.code}", text=text, now=now)


def revoke_invitation(db: Session, invitation: Invitation, *, by: Person, now: datetime) -> bool:
    """Withdraw an unused code (given to the wrong person, or no longer needed); ``False`` when already used or revoked."""
    if invitation.used_at is not None or invitation.revoked_at is not None:
        return False
    invitation.revoked_at = now
    audit.record(db, actor_id=by.id, action="invitation_revoked", subject_type="invitation", subject_id=invitation.id,
                 now=now, role=invitation.role, area_code=invitation.area_code)  # fmt: skip
    return True


def invitation_code(inbound: Inbound) -> str | None:
    """The code in a ``/start CODE`` deep link or a ``DAFTAR CODE`` message."""
    if inbound.referral:  # only our own deep links carry one (``t.me/…?start=CODE``): any is an attempt at a code
        return inbound.referral.strip().upper()
    if inbound.kind is InboundKind.TEXT:
        found = _DAFTAR.match(inbound.text)
        return found.group(1).upper() if found else None
    return None


def redeem(db: Session, *, person: Person, code: str, now: datetime) -> Redeemed:
    """Give the person the invitation's role, once; an unknown, used, expired or revoked code changes nothing."""
    invitation = db.scalar(select(Invitation).where(Invitation.code == code).with_for_update())
    if invitation is None or invitation.used_at is not None or invitation.revoked_at is not None or invitation.expires_at < now:
        audit.record(db, actor_id=person.id, action="invitation_refused", subject_type="person", subject_id=person.id, now=now)
        return Redeemed(False)
    invitation.used_at = now
    invitation.used_by_person_id = person.id
    grant_role(db, person=person, role=invitation.role, area_code=invitation.area_code, now=now)
    if not person.area_code:
        person.area_code = _a_village(db, invitation.area_code)
    audit.record(db, actor_id=person.id, action="invitation_redeemed", subject_type="invitation", subject_id=invitation.id,
                 now=now, role=invitation.role, area_code=invitation.area_code)  # fmt: skip
    area = db.get(Area, invitation.area_code)
    return Redeemed(True, invitation.role, area.name if area else invitation.area_code)


def _a_village(db: Session, area_code: str) -> str | None:
    """A companion's own place: the village itself, or the first village of their kecamatan."""
    area = db.get(Area, area_code)
    if area is None or area.level == 4:
        return area_code if area else None
    return db.scalar(select(Area.code).where(Area.code.like(f"{area_code}.%"), Area.level == 4).order_by(Area.code).limit(1))
