"""Writing the audit log: facts in the past tense, never a NIK or a story in clear."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from app.models import AuditEntry


def record(
    db: Session,
    *,
    actor_id: int | None,
    action: str,
    subject_type: str,
    subject_id: str | int,
    now: datetime,
    **details: Any,
) -> None:
    db.add(
        AuditEntry(
            at=now,
            actor_person_id=actor_id,
            action=action,
            subject_type=subject_type,
            subject_id=str(subject_id),
            details=details,
        )
    )
