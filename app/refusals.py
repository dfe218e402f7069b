"""A write refused by the service layer: nothing of it stored, one audit row, a clear answer for the person.

The chat and the console offer a person only what the areas of their roles allow, but the services check again
themselves (a stale menu, the phone number of a household in another city typed into "Lapor untuk warga", a
forged form) and raise ``Refused`` before writing anything. The pipeline then rolls the message's writes back,
keeps the refusal's ``*_refused`` audit row (who, and the area they tried to write in) and answers with the
refusal's sentence in the person's language instead of the flow's "saved".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from app import audit
from app.cases.access import area_contains
from app.models import Area, Person
from conversations.types import Translate

KECAMATAN_LEVEL = 3
VILLAGE_LEVEL = 4


class Refused(Exception):
    """A write the actor may not make. ``answer`` is an Indonesian message id (marked with ``N_``) with
    ``values`` for its placeholders; the audit row is ``action`` on the subject, with the target ``area_code``."""

    def __init__(
        self, answer: str, values: Mapping[str, object] | None = None, *, actor: Person, action: str,
        subject_type: str, subject_id: str | int, area_code: str, now: datetime, **details: object,
    ) -> None:  # fmt: skip
        super().__init__(f"{action}: person {actor.id} on {subject_type} {subject_id} (area {area_code or '-'})")
        self.answer = answer
        self.values = dict(values or {})
        self.actor_id = actor.id
        self.action = action
        self.subject_type = subject_type
        self.subject_id = str(subject_id)[:64]
        self.area_code = area_code
        self.now = now
        self.details = details

    def answer_in(self, t: Translate) -> str:
        return t(self.answer, **self.values)

    def record(self, db: Session) -> None:
        """The audit row; written again by the pipeline after it rolled the message's writes back."""
        audit.record(db, actor_id=self.actor_id, action=self.action, subject_type=self.subject_type,
                     subject_id=self.subject_id, now=self.now, area_code=self.area_code, **self.details)  # fmt: skip


def refuse(
    db: Session, answer: str, values: Mapping[str, object] | None = None, *, refusal: type[Refused] = Refused, **audited: Any
) -> Refused:
    """A ``Refused`` (or the service's own kind of it) already in the audit log, to be raised:
    ``raise refuse(db, N_("…"), {…}, actor=…, action=…, …)``."""
    refused = refusal(answer, values, **audited)
    refused.record(db)
    return refused


def roles_cover(person: Person, area_code: str, roles: Iterable[str] | None = None) -> bool:
    """Whether one of the person's roles (of ``roles``, when given) is for ``area_code`` or an area holding it."""
    wanted = set(roles) if roles is not None else None
    return bool(area_code) and any(
        (wanted is None or role.role in wanted) and area_contains(role.area_code, area_code) for role in person.roles
    )


def place_name(db: Session, area_code: str) -> str:
    """How people name a place: "Kecamatan Bandarkedungmulyo", "Kelurahan Pasteur", "Desa …", "Kota Bandung"."""
    area = db.get(Area, area_code) if area_code else None
    if area is None:
        return area_code or "-"
    if area.level == KECAMATAN_LEVEL:
        return f"Kecamatan {area.name}"
    if area.level == VILLAGE_LEVEL:
        return f"{'Kelurahan' if area.code.rsplit('.', 1)[-1].startswith('1') else 'Desa'} {area.name}"
    return area.name


def areas_of(db: Session, person: Person) -> str:
    """The places of the person's roles, each once and without one inside another: "Kecamatan Bandarkedungmulyo"."""
    codes = sorted({role.area_code for role in person.roles})
    outer = [code for code in codes if not any(other != code and area_contains(other, code) for other in codes)]
    return ", ".join(place_name(db, code) for code in outer) or "-"
