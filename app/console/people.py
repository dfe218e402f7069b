"""People and invitations in the console: who works the viewer's areas, and inviting new companions and operators.

The rules for inviting are the chat's ("undang", ``conversations.flows.invite``) widened to the office: an operator
invites a PSM, a PKH facilitator or another operator for the village they run; an admin of a city/regency (or
province) does the same for any village of their area, and invites the TKSK of one of its kecamatan. Nobody invites
an admin from the console (that stays ``kawal invite``). The code itself is made by ``app.invitations.service``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote

import segno
from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session, aliased

from app import audit
from app.cases.access import area_contains
from app.config import Settings
from app.console.households import in_office_scope
from app.console.scope import in_scope, runs_office
from app.invitations.service import AREA_LEVELS, create_invitation
from app.models import Area, Invitation, Person, RoleAssignment
from app.people.reach import best_identities
from conversations.flows.invite import INVITABLE

N_ = str

PAGE_SIZE = 50
KECAMATAN_LEVEL, VILLAGE_LEVEL = 3, 4
MAX_VILLAGES_AT_ONCE = 300
"""An admin of a province has thousands of villages: past this many, a kecamatan is chosen first."""


# --- who works here ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RoleHolder:
    person_id: int
    name: str
    role: str
    area_code: str
    area_name: str
    reachable: bool
    joined: datetime
    phone: str | None  # only for a viewer who runs an office


@dataclass(frozen=True)
class PeoplePage:
    rows: list[RoleHolder]
    total: int
    page: int
    pages: int
    phones_shown: bool


def _ancestors(code: str) -> list[str]:
    """``32.73.07.1001`` → ``32``, ``32.73``, ``32.73.07``: the larger areas whose people work here too."""
    parts = code.split(".")
    return [".".join(parts[:n]) for n in range(1, len(parts))]


def _working_here(person: Person) -> ColumnElement[bool]:
    """Roles inside the person's areas, or over them (the TKSK of their kecamatan, the admin of their city)."""
    above = sorted({a for role in person.roles for a in _ancestors(role.area_code)})
    return or_(in_scope(RoleAssignment.area_code, person), RoleAssignment.area_code.in_(above))


def people_of(db: Session, viewer: Person, *, page: int, role: str = "", now: datetime) -> PeoplePage:
    """The roles held in (or over) the viewer's areas, a page at a time; phones only for office staff. Audited."""
    condition = _working_here(viewer)
    if role:
        condition = condition & (RoleAssignment.role == role)
    total = db.scalar(select(func.count()).select_from(RoleAssignment).where(condition)) or 0
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(page, 1), pages)
    found = db.execute(
        select(RoleAssignment, Person, Area.name)
        .join(Person, Person.id == RoleAssignment.person_id)
        .join(Area, Area.code == RoleAssignment.area_code)
        .where(condition)
        .order_by(RoleAssignment.area_code, RoleAssignment.role, func.lower(Person.display_name), RoleAssignment.id)
        .offset((page - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE)
    ).all()
    reachable = set(best_identities(db, {person.id for _, person, _ in found}))
    phones = runs_office(viewer)
    rows = [
        RoleHolder(
            person.id, person.display_name, assignment.role, assignment.area_code, area_name,
            person.id in reachable and person.opted_out_at is None, assignment.granted_at,
            person.phone if phones else None,
        )  # fmt: skip
        for assignment, person, area_name in found
    ]
    audit.record(db, actor_id=viewer.id, action="people_listed", subject_type="person_list", subject_id=viewer.id,
                 now=now, found=total, page=page, phones_shown=phones and any(r.phone for r in rows))  # fmt: skip
    return PeoplePage(rows, total, page, pages, phones)


# --- what may be invited, and where ---------------------------------------------------------------------------


def invitable_roles(person: Person) -> list[str]:
    """The roles this person may invite to: none for a companion."""
    if any(role.role == "admin" for role in person.roles):
        return [*INVITABLE, "tksk"]
    return list(INVITABLE) if runs_office(person) else []


def may_invite(person: Person, role: str, area: Area) -> bool:
    """Whether the person may invite someone to ``role`` in ``area`` (right level, inside an area they run)."""
    if role not in invitable_roles(person) or area.level not in AREA_LEVELS[role]:
        return False
    if role == "tksk":
        return may_invite_tksk(person, area.code)
    return runs_office(person, area.code)


@dataclass(frozen=True)
class Kecamatan:
    code: str
    name: str
    invitable: bool  # a TKSK may be invited here (the viewer is its admin)
    villages: list[tuple[str, str]]


@dataclass(frozen=True)
class Places:
    """Where the viewer may invite: kecamatan with their villages (all, or those of the chosen kecamatan)."""

    kecamatans: list[Kecamatan]
    all_kecamatans: list[tuple[str, str]]  # to choose one first, when there are too many villages at once
    narrowed: bool


def invitation_places(db: Session, person: Person, *, kecamatan: str = "") -> Places:
    village_count = db.scalar(
        select(func.count()).select_from(Area).where(Area.level == VILLAGE_LEVEL, in_office_scope(Area.code, person))
    ) or 0
    tksk = "tksk" in invitable_roles(person)
    parent = aliased(Area)
    kecamatan_rows = db.execute(
        select(parent.code, parent.name)
        .where(parent.level == KECAMATAN_LEVEL, or_(in_office_scope(parent.code, person), parent.code.in_(
            select(Area.parent_code).where(Area.level == VILLAGE_LEVEL, in_office_scope(Area.code, person))
        )))
        .order_by(parent.name)
    ).all()  # fmt: skip
    narrowed = village_count > MAX_VILLAGES_AT_ONCE
    if narrowed and kecamatan not in {code for code, _ in kecamatan_rows}:
        return Places([], [(code, name) for code, name in kecamatan_rows], narrowed=True)
    villages_query = select(Area.code, Area.name, Area.parent_code).where(
        Area.level == VILLAGE_LEVEL, in_office_scope(Area.code, person)
    )
    if narrowed:
        villages_query = villages_query.where(Area.parent_code == kecamatan)
    by_kecamatan: dict[str, list[tuple[str, str]]] = {}
    for code, name, parent_code in db.execute(villages_query.order_by(Area.name)):
        by_kecamatan.setdefault(parent_code or "", []).append((code, name))
    kecamatans = [
        Kecamatan(code, name, tksk and may_invite_tksk(person, code), by_kecamatan.get(code, []))
        for code, name in kecamatan_rows
        if (not narrowed or code == kecamatan) and (by_kecamatan.get(code) or (tksk and may_invite_tksk(person, code)))
    ]
    return Places(kecamatans, [(code, name) for code, name in kecamatan_rows], narrowed)


def may_invite_tksk(person: Person, kecamatan_code: str) -> bool:
    return any(r.role == "admin" and area_contains(r.area_code, kecamatan_code) for r in person.roles)


REFUSALS = {
    "peran": N_("Pilih peran dari daftar: Anda tidak bisa mengundang peran itu."),
    "tksk": N_("TKSK bekerja untuk satu kecamatan: pilih kecamatannya, bukan desa/kelurahan."),
    "desa": N_("Peran ini bekerja untuk satu desa/kelurahan: pilih desa/kelurahannya, bukan kecamatan."),
}
"""Why an invitation form was refused, by the short key the page's address carries after the redirect."""


class InvitationRefused(Exception):
    """The role and place do not go together (``key`` in ``REFUSALS``); or, with ``outside``, not the viewer's place."""

    def __init__(self, key: str = "", *, outside: bool = False) -> None:
        super().__init__(key)
        self.key = key
        self.outside = outside


def invite(db: Session, person: Person, *, role: str, area_code: str, now: datetime) -> Invitation:
    """A new invitation made in the console, by the chat's rules widened to the office (see the module).

    A place outside the areas the person runs (a forged form, or a companion) is an audited refusal.
    """
    area = db.get(Area, area_code) if area_code else None
    if area is None or not runs_office(person, area.code):
        audit.record(db, actor_id=person.id, action="invitation_access_denied", subject_type="area",
                     subject_id=area_code[:64] or "-", now=now, role=role[:16])  # fmt: skip
        raise InvitationRefused(outside=True)
    if role not in invitable_roles(person):
        raise InvitationRefused("peran")
    if area.level not in AREA_LEVELS[role]:
        raise InvitationRefused("tksk" if role == "tksk" else "desa")
    if not may_invite(person, role, area):
        raise InvitationRefused("peran")
    return create_invitation(db, role=role, area_code=area.code, now=now, created_by=person)


def area_name(db: Session, code: str) -> str:
    area = db.get(Area, code)
    return area.name if area else code


# --- invitations of the viewer's areas ------------------------------------------------------------------------


@dataclass(frozen=True)
class OpenInvitation:
    id: int
    code: str
    role: str
    area_name: str
    expires_at: datetime
    created_by: str


def open_invitations(db: Session, person: Person, *, now: datetime) -> list[OpenInvitation]:
    """Unused, unrevoked, unexpired invitations to the areas the person runs, soonest to expire first."""
    creator = aliased(Person)
    rows = db.execute(
        select(Invitation, Area.name, creator.display_name)
        .join(Area, Area.code == Invitation.area_code)
        .outerjoin(creator, creator.id == Invitation.created_by_person_id)
        .where(
            in_office_scope(Invitation.area_code, person), Invitation.used_at.is_(None),
            Invitation.revoked_at.is_(None), Invitation.expires_at > now,
        )  # fmt: skip
        .order_by(Invitation.expires_at, Invitation.id)
        .limit(200)
    ).all()
    return [OpenInvitation(i.id, i.code, i.role, area, i.expires_at, by or "") for i, area, by in rows]


def invitation_of(db: Session, person: Person, invitation_id: int, *, now: datetime) -> Invitation | None:
    """The invitation, when it is to an area the person runs; else ``None`` (and an audited refusal if it exists)."""
    invitation = db.get(Invitation, invitation_id)
    if invitation is None:
        return None
    if not runs_office(person, invitation.area_code):
        audit.record(db, actor_id=person.id, action="invitation_access_denied", subject_type="invitation",
                     subject_id=invitation.id, now=now)  # fmt: skip
        return None
    return invitation


def status_of(invitation: Invitation, now: datetime) -> str:
    if invitation.revoked_at is not None:
        return "revoked"
    if invitation.used_at is not None:
        return "used"
    return "expired" if invitation.expires_at <= now else "open"


# --- how the new person uses the code ----------------------------------------------------------------------------


@dataclass(frozen=True)
class JoinLinks:
    telegram: str  # the bot's deep link, when its username is set
    whatsapp: str  # a wa.me link with "DAFTAR <code>" typed in, when a WhatsApp number is set
    typed: str  # what to send in any chat: DAFTAR <code>
    qr_data_uri: str  # a QR code of the best link (or of the words to type when there is no link)
    qr_target: str


def join_links(settings: Settings, code: str) -> JoinLinks:
    typed = f"DAFTAR {code}"
    telegram = f"https://t.me/{settings.telegram_bot_username.lstrip('@')}?start={code}" if settings.telegram_bot_username else ""
    number = settings.twilio_whatsapp_from.removeprefix("whatsapp:").lstrip("+")
    whatsapp = f"https://wa.me/{number}?text={quote(typed)}" if number else ""
    target = telegram or whatsapp or typed
    qr = segno.make(target, error="m")
    return JoinLinks(telegram, whatsapp, typed, qr.svg_data_uri(scale=6, border=2, dark="#1b1f24"), target)
