"""Small writes from many concurrent tasks, committed together (group commit).

The delivery worker writes two small steps for every message it sends (mark it
``sending`` and book its place in the shared rate; record the result). Written one
transaction each, under load they queued for SQLite's single writer and cost more in
transactions than in statements. Here a step waits only while the transaction before
it is being written; then every step that came meanwhile goes into one transaction,
in the order they came, and each caller gets its own step's result. Alone, a step is
written at once: there is no timer.

A database error (a held lock, a lost connection) fails every step of the group with
that error, so each caller can wait and hand its step in again. Any other error fails
only the step that raised it: the group is rolled back and its steps written one by one.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from app.db import Database

T = TypeVar("T")
Step = Callable[[Session], Any]


class GroupCommit:
    """Runs ``await group.write(step)`` (``step(db)`` inside a transaction) for one event loop."""

    def __init__(self, database: Database, database_errors: tuple[type[BaseException], ...]) -> None:
        self.database = database
        self.database_errors = database_errors
        self._waiting: list[tuple[Step, asyncio.Future[Any]]] = []
        self._writer: asyncio.Task[None] | None = None

    async def write(self, step: Callable[[Session], T]) -> T:
        """``step``'s result once its transaction is committed; its error if it raised, or if the database failed."""
        future: asyncio.Future[T] = asyncio.get_running_loop().create_future()
        self._waiting.append((step, future))
        if self._writer is None:
            self._writer = asyncio.create_task(self._write_while_waiting())
        return await future

    async def _write_while_waiting(self) -> None:
        group: list[tuple[Step, asyncio.Future[Any]]] = []
        try:
            while self._waiting:
                group, self._waiting = self._waiting, []
                outcomes = await asyncio.to_thread(self._commit, [step for step, _ in group])
                for (_, future), (value, error) in zip(group, outcomes, strict=True):
                    if future.done():  # its caller was cancelled
                        continue
                    if error is None:
                        future.set_result(value)
                    else:
                        future.set_exception(error)
                group = []
        finally:
            self._writer = None
            for _, future in group + self._waiting:  # cancelled mid-write (shutdown): nobody is left waiting
                if not future.done():
                    future.cancel()
            self._waiting = []

    def _commit(self, steps: list[Step]) -> list[tuple[Any, BaseException | None]]:
        try:
            with self.database.transaction() as db:
                return [(step(db), None) for step in steps]
        except self.database_errors as error:
            return [(None, error)] * len(steps)
        except Exception as error:  # noqa: BLE001 - handed to the caller of the step that raised it
            if len(steps) == 1:
                return [(None, error)]
            return [outcome for step in steps for outcome in self._commit([step])]
