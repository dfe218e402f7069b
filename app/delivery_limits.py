"""A send rate shared by every process that delivers, kept in the database.

A provider's limit (WhatsApp through Twilio: 80 messages a second per sender)
is per account, not per process: two processes each keeping 80/s sent 118/s.
So each send books a place in a wall-clock second with one atomic upsert on
``delivery_slots`` (channel, second) — ``used + 1`` only while ``used`` is
below the limit, on SQLite and PostgreSQL alike. A full second moves the
booking to the next one. The place in the second fixes the moment to send:
place ``k`` of ``n`` goes at ``second + k/n``, so bookings are spread over the
second instead of bursting at its start.

The in-process ``RateLimiter`` stays in front as the fast path: one process
never asks for more than the limit, so the database is asked about once per
send, and rarely told "full".
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import cast

from sqlalchemy import Table, bindparam, delete
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from app.models import DeliverySlot

KEEP_SECONDS = 60  # booked seconds older than this are deleted
LOOK_AHEAD_SECONDS = 600  # never book further ahead than this (a limit so low it would need more is a setting error)


class SharedRateLimit:
    """Books send moments for one channel, at most ``per_second`` in any wall-clock second, across processes."""

    def __init__(self, channel: str, per_second: float, wall_clock: Callable[[], float] = time.time) -> None:
        self.channel = channel
        self.capacity = max(1, math.floor(per_second))
        self.wall_clock = wall_clock

    def book(self, db: Session) -> float:
        """The wall-clock moment (Unix time) at which this process may make its next request, booked in ``db``'s
        transaction (the delivery worker commits it together with its other bookkeeping: ``app.group_commit``)."""
        now = self.wall_clock()
        first = math.floor(now)
        statement = _BOOK[db.get_bind().dialect.name]
        for second in range(first, first + LOOK_AHEAD_SECONDS):
            place = db.execute(statement, {"channel": self.channel, "second": second, "capacity": self.capacity}).scalar()
            if place is None:
                continue  # that second is full
            if place == 1:  # the first booking of a second tidies up old ones
                db.execute(_TIDY, {"channel": self.channel, "before": second - KEEP_SECONDS})
            return max(now, second + (place - 1) / self.capacity)
        raise RuntimeError(f"no free send slot for {self.channel} in the next {LOOK_AHEAD_SECONDS} seconds")


_SLOTS = cast(Table, DeliverySlot.__table__)
_BOOK = {  # built once, for every send: building it anew cost more than running it
    name: dialect_insert(_SLOTS)
    .values(channel=bindparam("channel"), second=bindparam("second"), used=1)
    .on_conflict_do_update(
        index_elements=["channel", "second"], set_={"used": _SLOTS.c.used + 1}, where=_SLOTS.c.used < bindparam("capacity")
    )
    .returning(_SLOTS.c.used)
    for name, dialect_insert in (("postgresql", postgresql_insert), ("sqlite", sqlite_insert))
}
_TIDY = delete(_SLOTS).where(_SLOTS.c.channel == bindparam("channel"), _SLOTS.c.second < bindparam("before"))
