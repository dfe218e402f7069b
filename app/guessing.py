"""Slowing down whoever guesses codes: invitation codes (``DAFTAR AB23CD45``) and ticket codes (``KB-7Q4K2``).

Each wrong code is an audit row (``wrong_code_entered``). ``ALLOWED`` wrong ones within ``WINDOW`` start a
pause (``code_guessing_paused``) of ``PAUSE``, during which no code of that person is checked at all: they are
told once when they can try again, in the local time of their area (WIB when it is unknown), and the area's
operators (else the admins over the area, else every admin) are told once per pause. Counting reads the
audit log, so there is no table of its own; the clock is the pipeline's ``now``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app import audit
from app.areas.timezones import ZONE_ABBREVIATIONS, timezone_of
from app.cases.notify import tell
from app.cases.routing import holders
from app.models import AuditEntry, Person, RoleAssignment
from app.schedules.local_time import clock_time
from conversations.flows.status import paused_notice
from conversations.types import Translate

ALLOWED = 5
WINDOW = timedelta(hours=1)
PAUSE = timedelta(minutes=30)
WRONG = "wrong_code_entered"
PAUSED = "code_guessing_paused"


def paused_until(db: Session, person: Person, *, now: datetime) -> datetime | None:
    """The end of the person's current pause, or None when their codes may be checked."""
    started = _last_pause(db, person.id, now)
    return started + PAUSE if started is not None and started + PAUSE > now else None


def local_until(db: Session, person: Person, until: datetime) -> str:
    """``"10:30 WIB"``: the end of a pause in the clock of the person's area (WIB when it is unknown)."""
    zone = timezone_of(_area_of(db, person))
    return f"{clock_time(until, zone)} {ZONE_ABBREVIATIONS[zone]}"


def wrong_code(
    db: Session, *, person: Person, kind: str, code: str, now: datetime, translators: Mapping[str, Translate]
) -> datetime | None:
    """Count one wrong code (``kind``: invitation or ticket); returns the end of the pause it started, if it did."""
    audit.record(db, actor_id=person.id, action=WRONG, subject_type="person", subject_id=person.id, now=now,
                 kind=kind, code=code[:16])  # fmt: skip
    db.flush()
    since = now - WINDOW
    last = _last_pause(db, person.id, now)
    if last is not None:
        since = max(since, last + PAUSE)  # what came before the last pause was already paid for
    wrong = db.scalar(
        select(func.count()).select_from(AuditEntry).where(
            AuditEntry.actor_person_id == person.id, AuditEntry.action == WRONG, AuditEntry.at >= since, AuditEntry.at <= now
        )
    )
    if (wrong or 0) < ALLOWED:
        return None
    return _pause(db, person, wrong=wrong or 0, now=now, translators=translators)


def tell_paused(db: Session, person: Person, *, until: datetime, now: datetime, translators: Mapping[str, Translate]) -> None:
    """The person hears once per pause when they can try again."""
    text = paused_notice(translators[person.locale], local_until(db, person, until))
    tell(db, person, key=f"guessing:{person.id}:{int((until - PAUSE).timestamp())}:person", text=text, now=now, purpose="reply")


def _pause(db: Session, person: Person, *, wrong: int, now: datetime, translators: Mapping[str, Translate]) -> datetime:
    until = now + PAUSE
    audit.record(db, actor_id=person.id, action=PAUSED, subject_type="person", subject_id=person.id, now=now,
                 wrong=wrong, until=until.isoformat())  # fmt: skip
    tell_paused(db, person, until=until, now=now, translators=translators)
    for reader in _readers(db, person):
        t = translators[reader.locale]
        text = t(
            "Peringatan: {name} ({phone}) mengirim {count} kode salah (kode undangan atau nomor laporan) dalam 1 jam. "
            "Kode dari orang ini tidak kami periksa sampai pukul {time}. Jika Anda mengenalnya, tanyakan apa yang ia perlukan.",
            name=person.display_name or "-", phone=person.phone or "-", count=wrong, time=local_until(db, person, until),
        )  # fmt: skip
        tell(db, reader, key=f"guessing:{person.id}:{int(now.timestamp())}:reader:{reader.id}", text=text, now=now,
             purpose="case_informed")  # fmt: skip
    return until


def _readers(db: Session, person: Person) -> list[Person]:
    """Who hears of a pause: the operators of the person's area, else the admins over it, else every admin."""
    area = _area_of(db, person)
    for role in ("operator", "admin") if area else ():
        found = [p for p in holders(db, role=role, area_code=area) if p.id != person.id]
        if found:
            return found
    admins = db.scalars(
        select(Person).join(RoleAssignment, RoleAssignment.person_id == Person.id)
        .where(RoleAssignment.role == "admin", Person.id != person.id).order_by(Person.id)
    ).unique()  # fmt: skip
    return list(admins)


def _area_of(db: Session, person: Person) -> str:
    """The person's village, else the area of their first role (as ``person_area``, without loading roles)."""
    if person.area_code:
        return person.area_code
    first_role = select(RoleAssignment.area_code).where(RoleAssignment.person_id == person.id).order_by(RoleAssignment.id)
    return db.scalar(first_role.limit(1)) or ""


def _last_pause(db: Session, person_id: int, now: datetime) -> datetime | None:
    return db.scalar(
        select(AuditEntry.at)
        .where(AuditEntry.actor_person_id == person_id, AuditEntry.action == PAUSED, AuditEntry.at <= now)
        .order_by(AuditEntry.at.desc())
        .limit(1)
    )
