"""The database: engine, sessions, and the SQLite settings that make it a safe embedded default.

SQLite runs in WAL mode and every transaction starts with ``BEGIN IMMEDIATE``,
so writers are serialized from the first statement (one message at a time per
database) instead of failing halfway when a read lock cannot be upgraded.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from typing import Any, cast

from sqlalchemy import Connection, CursorResult, Engine, Executable, create_engine, event
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, sessionmaker

from app.config import Settings

READ_ONLY = "kawal_read_only"
"""Execution option of ``Database.reading()``: on SQLite its transaction reads a snapshot and takes no write lock."""


def make_engine(database_url: str) -> Engine:
    """``hide_parameters``: a database error names the statement, never its values (a typed NIK would reach the log)."""
    if database_url.startswith("sqlite"):
        engine = create_engine(database_url, connect_args={"check_same_thread": False, "timeout": 30}, hide_parameters=True)
        _tune_sqlite(engine)
        return engine
    return create_engine(database_url, pool_pre_ping=True, pool_size=10, max_overflow=10, hide_parameters=True)


def _tune_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:  # the driver's own connection (sqlite3)
        dbapi_connection.isolation_level = None  # let SQLAlchemy's "begin" event issue BEGIN
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA cache_size=-65536")  # 64 MB: big batches (reminders, imports) do not spill mid-transaction
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        # writers take the lock at BEGIN (no deadlock upgrading a read later); a reader never needs it
        connection.exec_driver_sql("BEGIN" if connection.get_execution_options().get(READ_ONLY) else "BEGIN IMMEDIATE")


class Database:
    """One engine and its session factory, built from settings and passed down."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.engine = make_engine(settings.database_url)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        # SQLite has one writer at a time; threads of this process queue here instead of
        # sleeping in SQLite's busy handler while the lock sits free
        self._writer: AbstractContextManager[object] = threading.RLock() if settings.is_sqlite else nullcontext()

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session whose work is committed at the end, or rolled back on any error."""
        with self._writer, self.sessions.begin() as db:
            yield db

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A session for reads only: it neither waits for nor blocks the writers (on SQLite, a plain ``BEGIN``
        instead of ``BEGIN IMMEDIATE``; WAL lets it read beside a writer)."""
        with self.engine.connect().execution_options(**{READ_ONLY: True}) as connection, Session(connection) as db:
            yield db

    def is_reachable(self) -> bool:
        """Asked on the driver's connection outside a transaction: on SQLite a transaction begins with
        ``BEGIN IMMEDIATE``, and a health check would wait behind every writer (the gazetteer read at start)."""
        try:
            connection = self.engine.raw_connection()
            try:
                cursor = connection.cursor()
                cursor.execute("SELECT 1")
                cursor.close()
            finally:
                connection.close()
            return True
        except Exception:  # noqa: BLE001 - any failure means "not reachable" for a health check
            return False

    def dispose(self) -> None:
        self.engine.dispose()


def changed_rows(db: Session, statement: Executable) -> int:
    """How many rows an UPDATE or DELETE changed. SQLAlchemy types every ``Session.execute`` result as a plain
    ``Result``; for these statements it is a ``CursorResult``, which carries the count."""
    return cast("CursorResult[Any]", db.execute(statement)).rowcount


def insert_new(db: Session, table: Any, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert ``rows`` into ``table``, silently skipping any that would break a unique constraint."""
    if not rows:
        return
    dialect = db.get_bind().dialect.name
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    core_table = getattr(table, "__table__", table)  # Core, not the ORM's bulk path: many times faster for big batches
    db.connection().execute(insert(core_table).on_conflict_do_nothing(), list(rows))
