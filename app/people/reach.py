"""Where a person can be reached: the channel identity they last wrote from and that has not been marked unreachable."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import ChannelIdentity


def best_identities(db: Session, person_ids: Iterable[int]) -> dict[int, ChannelIdentity]:
    """For each person, the identity they last wrote from (else the newest), among those still reachable."""
    identities = db.scalars(
        select(ChannelIdentity).where(ChannelIdentity.person_id.in_(list(person_ids)), ChannelIdentity.unreachable_at.is_(None))
    )
    best: dict[int, ChannelIdentity] = {}
    for identity in identities:
        current = best.get(identity.person_id)
        if current is None or _rank(identity) > _rank(current):
            best[identity.person_id] = identity
    return best


def best_identity(db: Session, person_id: int) -> ChannelIdentity | None:
    return best_identities(db, [person_id]).get(person_id)


def _rank(identity: ChannelIdentity) -> tuple[bool, object, int]:
    return (identity.last_inbound_at is not None, identity.last_inbound_at or identity.created_at, identity.id)
