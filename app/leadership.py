"""Which ``kawal serve`` process runs the scheduled jobs when several share one database.

On PostgreSQL the active scheduler is the process holding a session-level advisory lock, on a connection it keeps
for as long as it leads. The others stand by: they ask for the lock at each of their rounds, and the first to ask
after the leader stops (or dies: PostgreSQL drops the lock with its connection) takes over. On SQLite every
process runs them, as before: the jobs keep their state in the database and are safe to run twice, and SQLite
serves one machine, where several processes are rare.
"""

from __future__ import annotations

import logging
import threading

from sqlalchemy import Connection, text
from sqlalchemy.exc import DBAPIError

from app.db import Database

log = logging.getLogger(__name__)

SCHEDULER_LOCK = 0x6B6177616C5F7363  # "kawal_sc": the advisory lock key of the scheduler


class SchedulerLeadership:
    def __init__(self, database: Database, key: int = SCHEDULER_LOCK) -> None:
        self._database = database
        self._key = key
        self._connection: Connection | None = None
        self._lock = threading.Lock()
        self.state = "active" if database.settings.is_sqlite else "standby"

    def holds(self) -> bool:
        """Whether this process should run the jobs now: it led already and still does, or it just took the lead."""
        if self._database.settings.is_sqlite:
            return True
        with self._lock:
            if self._connection is not None and not self._still_connected(self._connection):
                log.warning("scheduler lock lost with its database connection; asking for it again")
                self._forget()
            if self._connection is None:
                self._connection = self._try_lock()
                if self._connection is not None:
                    log.info("this process runs the scheduler (it holds the scheduler lock)")
            self.state = "active" if self._connection is not None else "standby"
            return self._connection is not None

    def release(self) -> None:
        """Give the lead up (at shutdown), so a standing-by process takes it at its next round."""
        with self._lock:
            if self._connection is not None:
                try:
                    self._connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": self._key})
                    self._connection.commit()
                except DBAPIError:
                    pass  # the connection is gone, and the lock with it
                self._forget()
            self.state = "standby"

    def _try_lock(self) -> Connection | None:
        """A connection holding the lock, or None (another process holds it, or the database does not answer)."""
        try:
            connection = self._database.engine.connect()
        except DBAPIError:
            log.warning("could not ask for the scheduler lock (no database connection); standing by")
            return None
        try:
            taken = bool(connection.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": self._key}).scalar())
            connection.commit()  # a session lock outlives the transaction; the connection must not sit in one
        except DBAPIError:
            connection.invalidate()
            connection.close()
            log.warning("could not ask for the scheduler lock; standing by", exc_info=True)
            return None
        if not taken:
            connection.close()
            return None
        return connection

    @staticmethod
    def _still_connected(connection: Connection) -> bool:
        try:
            connection.execute(text("SELECT 1"))
            connection.commit()
            return True
        except DBAPIError:
            return False

    def _forget(self) -> None:
        if self._connection is not None:
            try:
                self._connection.invalidate()  # never back to the pool: it may still hold the lock
                self._connection.close()
            except DBAPIError:
                pass
            self._connection = None
