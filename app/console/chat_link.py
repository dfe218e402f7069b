"""Answering "web" in chat: a sign-in link to the console, to the person who asked, in their language."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.config import Settings
from app.console.signin import create_link
from app.models import Person, RoleAssignment
from app.outbox import enqueue_once
from app.people.reach import best_identity
from conversations.types import Reply, Translate


def console_url(settings: Settings) -> str:
    """Where staff open the console: ``KAWAL_WEB_BASE_URL``, else the public URL, else this machine."""
    return settings.web_base_url or settings.public_base_url or "http://127.0.0.1:8000"


def send_sign_in_link(
    db: Session, *, person: Person, settings: Settings, translators: Mapping[str, Translate], now: datetime
) -> bool:
    """Queues the link (``True``); a person without a role is told the console is for staff only."""
    identity = best_identity(db, person.id)
    if identity is None:
        return False
    t = translators.get(person.locale) or translators["id"]
    has_role = db.scalar(select(RoleAssignment.id).where(RoleAssignment.person_id == person.id).limit(1)) is not None
    if has_role:
        link = console_url(settings) + "/console/masuk/" + create_link(db, person=person, now=now)
        text = t("Tautan masuk konsol web (berlaku 10 menit, sekali pakai, jangan diteruskan):\n{url}", url=link)
    else:
        text = t("Konsol web hanya untuk pendamping, operator dan admin.")
    enqueue_once(db, key=f"web-link:{person.id}:{now.isoformat()}", identity=identity, reply=Reply(text), now=now)
    return has_role
