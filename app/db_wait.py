"""Bounded waits for the database, so a webhook never holds a provider longer than it allows.

A backup or a long import can hold the database's write lock for a minute. A webhook
that waited for it would answer too late: Telegram gives up on the request and
Twilio, after 15 s, never delivers the message again. So the work is run in a
thread and waited for at most ``KAWAL_WEBHOOK_DB_WAIT_SECONDS`` (default 8);
then ``DatabaseBusy`` is raised and the webhook answers 503 (``app.web``'s handler).

The thread is not stopped: it finishes once the lock is free. That is safe because
a message is processed once by its provider id — when the provider delivers it
again, whichever of the two comes second is a duplicate and gets no second reply.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")
RETRY_AFTER_SECONDS = 5


class DatabaseBusy(Exception):
    """The database did not answer within the bounded wait (its write lock is held); the work goes on meanwhile."""


async def within(seconds: float, work: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
    """``work(*args, **kwargs)`` in a worker thread, waited for at most ``seconds``, else ``DatabaseBusy``."""
    task = asyncio.ensure_future(asyncio.to_thread(work, *args, **kwargs))
    done, _ = await asyncio.wait({task}, timeout=seconds)
    if task not in done:
        _going_on.add(task)
        task.add_done_callback(_forget)  # its outcome is the pipeline's to record, not this request's
        raise DatabaseBusy(f"the database did not answer within {seconds:g} s")
    return task.result()


async def settle(seconds: float) -> None:
    """At shutdown: let the work still going on after a 503 finish (at most ``seconds``) before the database is
    closed under it, so a message it was recording is not cut off half-way."""
    loop = asyncio.get_running_loop()
    mine = [task for task in _going_on if task.get_loop() is loop]
    if mine:
        await asyncio.wait(mine, timeout=seconds)


_going_on: set[asyncio.Future[Any]] = set()


def _forget(task: asyncio.Future[Any]) -> None:
    _going_on.discard(task)
    if not task.cancelled():
        task.exception()  # retrieved, so asyncio does not report "exception was never retrieved"
