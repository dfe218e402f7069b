"""Password-free sign-in: "web" in chat gives a single-use link for 10 minutes; using it opens a browser session.

Tokens are random (``secrets.token_urlsafe``); the database keeps only their SHA-256 digests. A session lasts
12 hours from its last use and at most 7 days, can be listed and revoked, and carries its own CSRF token.
Every sign-in, refusal, sign-out and revocation is in the audit log.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session, selectinload

from app import audit
from app.db import changed_rows
from app.models import Person, WebSession, WebSignInLink

LINK_LIFETIME = timedelta(minutes=10)
IDLE_LIFETIME = timedelta(hours=12)
MAX_LIFETIME = timedelta(days=7)
SEEN_EVERY = timedelta(minutes=5)
"""A session's ``last_seen_at`` is written at most this often, so reading pages costs no write each time."""


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def may_sign_in(person: Person) -> bool:
    """Companions, operators and admins: anyone holding a role. Households have no console."""
    return bool(person.roles)


def create_link(db: Session, *, person: Person, now: datetime) -> str:
    """A new single-use token for ``person``; earlier unused links of theirs stop working."""
    db.execute(
        update(WebSignInLink)
        .where(WebSignInLink.person_id == person.id, WebSignInLink.used_at.is_(None))
        .values(used_at=now)
    )
    token = secrets.token_urlsafe(24)
    db.add(WebSignInLink(token_hash=digest(token), person_id=person.id, created_at=now, expires_at=now + LINK_LIFETIME))
    audit.record(db, actor_id=person.id, action="web_link_sent", subject_type="person", subject_id=person.id, now=now)
    return token


def link_holder(db: Session, token: str, *, now: datetime) -> Person | None:
    """Whose link this is, while it is unused and fresh (for the confirmation page; nothing is consumed)."""
    link = db.scalar(select(WebSignInLink).where(WebSignInLink.token_hash == digest(token)))
    if link is None or link.used_at is not None or link.expires_at <= now:
        return None
    return db.get(Person, link.person_id)


@dataclass(frozen=True)
class Opened:
    session_token: str
    session: WebSession


def redeem_link(db: Session, token: str, *, now: datetime, user_agent: str = "") -> Opened | None:
    """Uses the link once and opens a session; ``None`` (audited) for an unknown, used or expired link."""
    link = db.scalar(select(WebSignInLink).where(WebSignInLink.token_hash == digest(token)))
    fresh = link is not None and link.used_at is None and link.expires_at > now
    if link is None or not fresh:
        reason = "unknown" if link is None else ("used" if link.used_at is not None else "expired")
        audit.record(db, actor_id=link.person_id if link else None, action="web_sign_in_refused",
                     subject_type="web_link", subject_id=link.id if link else "-", now=now, reason=reason)  # fmt: skip
        return None
    claimed = changed_rows(
        db, update(WebSignInLink).where(WebSignInLink.id == link.id, WebSignInLink.used_at.is_(None)).values(used_at=now)
    )
    if claimed != 1:  # used by a concurrent request a moment ago
        return None
    session_token = secrets.token_urlsafe(32)
    session = WebSession(
        token_hash=digest(session_token), csrf_token=secrets.token_urlsafe(24), person_id=link.person_id,
        user_agent=user_agent[:200], created_at=now, last_seen_at=now, expires_at=now + MAX_LIFETIME,
    )  # fmt: skip
    db.add(session)
    db.flush()
    audit.record(db, actor_id=link.person_id, action="web_signed_in", subject_type="web_session", subject_id=session.id, now=now)
    return Opened(session_token, session)


@dataclass(frozen=True)
class SignedIn:
    session: WebSession
    person: Person


def signed_in(db: Session, session_token: str, *, now: datetime) -> SignedIn | None:
    """The open session behind a cookie, with its person and roles; ``None`` when revoked, idle or too old."""
    if not session_token:
        return None
    session = db.scalar(select(WebSession).where(WebSession.token_hash == digest(session_token)))
    if session is None or session.revoked_at is not None or session.expires_at <= now:
        return None
    if session.last_seen_at + IDLE_LIFETIME <= now:
        return None
    person = db.scalar(select(Person).where(Person.id == session.person_id).options(selectinload(Person.roles)))
    if person is None or not may_sign_in(person):
        return None
    if now - session.last_seen_at >= SEEN_EVERY:
        session.last_seen_at = now
    return SignedIn(session, person)


def csrf_matches(session: WebSession, given: str) -> bool:
    return bool(given) and hmac.compare_digest(session.csrf_token.encode(), given.encode("utf-8", "surrogatepass"))


def sessions_of(db: Session, person: Person, *, now: datetime) -> list[WebSession]:
    """The person's sessions that still work, newest first."""
    rows = db.scalars(
        select(WebSession)
        .where(WebSession.person_id == person.id, WebSession.revoked_at.is_(None), WebSession.expires_at > now)
        .order_by(WebSession.created_at.desc())
    )
    return [s for s in rows if s.last_seen_at + IDLE_LIFETIME > now]


def revoke(db: Session, *, person: Person, session_id: int, now: datetime, reason: str = "revoked") -> bool:
    """Ends one of the person's own sessions; ``False`` for someone else's or an unknown one."""
    session = db.get(WebSession, session_id)
    if session is None or session.person_id != person.id or session.revoked_at is not None:
        return False
    session.revoked_at = now
    action = "web_signed_out" if reason == "signed_out" else "web_session_revoked"
    audit.record(db, actor_id=person.id, action=action, subject_type="web_session", subject_id=session.id, now=now)
    return True
