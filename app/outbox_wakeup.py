"""Waking the delivery worker when messages are queued, so it need not poll hot.

``announce(db)`` marks the transaction that writes outbox rows. When it commits,
every worker of this process delivering from the same engine is woken
(``subscribe``): a reply goes out at once. On PostgreSQL the transaction also
sends ``NOTIFY kawal_outbox``, which PostgreSQL delivers at commit to every
process that LISTENs (``listen``), so rows written by another process wake this
one too. A worker still polls slowly (``KAWAL_OUTBOX_POLL_SECONDS``) for
scheduled retries and rows nobody announced.

The in-process wake-up is keyed by engine, not by process: a second
``Database`` in the same process (a test standing for another process) is woken
only through PostgreSQL, as a real second process would be.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable

from sqlalchemy import Engine, event, text
from sqlalchemy.orm import Session

log = logging.getLogger(__name__)

CHANNEL = "kawal_outbox"
NOTIFY = text(f"NOTIFY {CHANNEL}")
LISTEN_CHECK_SECONDS = 1.0  # how often the listener looks at ``stop`` while no notification comes
RECONNECT_PAUSE_SECONDS = 1.0
RECONNECT_PAUSE_CAP_SECONDS = 30.0
_ANNOUNCED = "kawal_outbox_announced"  # Session.info key: the engine whose workers to wake after commit

_lock = threading.Lock()
_wakers: dict[Engine, set[Callable[[], None]]] = {}


def announce(db: Session) -> None:
    """This transaction queues outbox rows: wake the workers once it commits (one NOTIFY per transaction)."""
    if _ANNOUNCED in db.info:
        return
    engine = db.get_bind().engine
    db.info[_ANNOUNCED] = engine
    if engine.dialect.name == "postgresql":
        db.execute(NOTIFY)  # delivered by PostgreSQL at commit, dropped on rollback


def subscribe(engine: Engine, wake: Callable[[], None]) -> Callable[[], None]:
    """Call ``wake`` (from any thread) after each commit on ``engine`` that queued rows; returns the unsubscribe."""
    with _lock:
        _wakers.setdefault(engine, set()).add(wake)

    def unsubscribe() -> None:
        with _lock:
            callbacks = _wakers.get(engine, set())
            callbacks.discard(wake)
            if not callbacks:
                _wakers.pop(engine, None)

    return unsubscribe


def waker_for(loop: asyncio.AbstractEventLoop, woken: asyncio.Event) -> Callable[[], None]:
    """A wake callback safe from any thread (transactions commit in worker threads): sets ``woken`` in ``loop``."""

    def wake() -> None:
        try:
            loop.call_soon_threadsafe(woken.set)
        except RuntimeError:  # the loop has closed: that worker has stopped
            pass

    return wake


@event.listens_for(Session, "after_commit")
def _wake_after_commit(session: Session) -> None:
    engine = session.info.pop(_ANNOUNCED, None)
    if engine is None:
        return
    with _lock:
        callbacks = list(_wakers.get(engine, ()))
    for wake in callbacks:
        wake()


@event.listens_for(Session, "after_rollback")
def _forget_after_rollback(session: Session) -> None:
    session.info.pop(_ANNOUNCED, None)


async def listen(engine: Engine, wake: Callable[[], None], listening: asyncio.Event, stop: asyncio.Event) -> None:
    """On PostgreSQL: ``wake`` on every NOTIFY from any process, on a dedicated connection, until ``stop``.

    ``listening`` is set once LISTEN is in place; after a lost connection it reconnects with a growing pause
    and wakes once (rows queued while it was not listening). The slow poll covers the time in between.
    """
    import psycopg  # only PostgreSQL needs it

    dsn = engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
    pause = RECONNECT_PAUSE_SECONDS
    while not stop.is_set():
        try:
            async with await psycopg.AsyncConnection.connect(dsn, autocommit=True) as connection:
                await connection.execute(f"LISTEN {CHANNEL}")
                listening.set()
                wake()
                pause = RECONNECT_PAUSE_SECONDS
                while not stop.is_set():
                    async for _ in connection.notifies(timeout=LISTEN_CHECK_SECONDS):
                        wake()
                        if stop.is_set():
                            break
        except psycopg.Error as error:
            log.warning("listening for new outbox rows failed; trying again in %.0f s: %s", pause, type(error).__name__)
        if stop.is_set():
            return
        try:
            await asyncio.wait_for(stop.wait(), timeout=pause)
        except TimeoutError:
            pause = min(pause * 2, RECONNECT_PAUSE_CAP_SECONDS)
