"""Issue 15: several ``kawal serve`` processes on one PostgreSQL database run the scheduled jobs in one of them at a
time; when it stops or its connection dies another takes over. On SQLite each process runs them, as before."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator

import pytest
from sqlalchemy import text

from app.config import Settings
from app.db import Database
from app.leadership import SchedulerLeadership
from app.scheduler import start_scheduler
from tests.conftest import make_settings


@pytest.fixture
def two_databases(settings: Settings) -> Iterator[tuple[Database, Database]]:
    """Two engines on the same database, as two processes would have."""
    first, second = Database(settings), Database(settings)
    yield first, second
    first.dispose()
    second.dispose()


def test_one_process_leads_and_another_takes_over_when_it_stops(settings, two_databases) -> None:  # type: ignore[no-untyped-def]
    first, second = (SchedulerLeadership(database) for database in two_databases)
    try:
        assert first.holds()
        if settings.is_sqlite:
            assert second.holds() and second.state == "active"  # SQLite: every process runs the jobs
            return
        assert not second.holds() and second.state == "standby"
        assert first.holds() and first.state == "active"  # it keeps the lead round after round

        first.release()

        assert second.holds() and second.state == "active"
        assert not first.holds() and first.state == "standby"
    finally:
        first.release()
        second.release()


@pytest.mark.postgres
def test_the_lead_passes_on_when_the_leaders_connection_dies(settings, two_databases) -> None:  # type: ignore[no-untyped-def]
    if settings.is_sqlite:
        pytest.skip("the lock is PostgreSQL's")
    first, second = (SchedulerLeadership(database) for database in two_databases)
    try:
        assert first.holds() and not second.holds()
        with two_databases[1].engine.connect() as admin:  # the leader's connection is cut, as when its process dies
            admin.execute(text(
                "SELECT pg_terminate_backend(pid, 10000) FROM pg_locks WHERE locktype = 'advisory' AND pid <> pg_backend_pid()"
            ))  # fmt: skip  (waits until the backend has gone, and its lock with it)

        assert second.holds()
        assert not first.holds()  # it notices, asks again, and stands by
    finally:
        first.release()
        second.release()


class _CountingJob:
    def __init__(self) -> None:
        self.runs = 0
        self.beats = 0
        self.done = threading.Event()

    def run(self) -> None:
        self.runs += 1
        self.done.set()

    def beat(self) -> None:
        self.beats += 1
        self.done.set()


@pytest.mark.parametrize("leads", [True, False])
def test_a_process_standing_by_runs_no_job_but_still_beats(leads: bool) -> None:
    job = _CountingJob()
    scheduler = start_scheduler(job, 3600, leads=lambda: leads)  # type: ignore[arg-type]
    try:
        assert job.done.wait(timeout=30)  # the first round runs at once
    finally:
        scheduler.shutdown(wait=True)
    assert (job.runs, job.beats) == ((1, 0) if leads else (0, 1))


def test_a_database_that_does_not_answer_means_standing_by_not_failing() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # nothing listens there once this is closed
    database = Database(make_settings(f"postgresql+psycopg://kawal@127.0.0.1:{port}/kawal"))
    try:
        leadership = SchedulerLeadership(database)
        assert not leadership.holds()
        assert leadership.state == "standby"
        leadership.release()
    finally:
        database.dispose()
