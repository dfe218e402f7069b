"""Reminders: moving 1,000,000 due reminders into the outbox (``app.reminders.dispatch.dispatch_due``).

Run: ``make bench``, ``.venv/bin/python -m benchmarks [--quick | --full]`` or, alone,
``.venv/bin/python -m benchmarks.reminders [--quick | --full]``.

Set up (not measured) on a fresh migrated SQLite file: 100,000 people, each
with a simulator identity (1 in 100 has opted out), and 1,000,000 reminder rows
(50,000 by default, 20,000 with ``--quick``; the million with ``--full``, ``make bench-full``) for them in WIB, WITA and WIT villages, all due in
the hour before ``NOW`` (midday everywhere, so no quiet hours), each with a
rendered body. Measured: one ``dispatch_due`` call, which moves them in batches
of 10,000 — deciding each, inserting the outbox rows and marking the reminders —
until none is due. Target: at least 5,000 reminders/s on SQLite. When
``KAWAL_BENCH_POSTGRES_URL`` is set the same runs on PostgreSQL (its tables are
dropped and migrated first).

Checked (exit status 1 otherwise): every reminder is decided once; the outbox
holds exactly one row per queued reminder; opted-out people got none.
"""

from __future__ import annotations

import os
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, insert, select

from app.config import Settings, load_settings
from app.database_setup import upgrade_database
from app.db import Database
from app.models import ChannelIdentity, OutboundMessage, Person, Reminder
from app.reminders.dispatch import dispatch_due
from benchmarks.pipeline import POSTGRES_ENV, reset_postgres

FULL_REMINDERS, REMINDERS, QUICK_REMINDERS = 1_000_000, 50_000, 20_000  # --full, make bench, --quick
PEOPLE = 100_000
TARGET_PER_SECOND = 5_000
SECRET_KEY = "bench-secret-key-123456"
NOW = datetime(2026, 11, 30, 5, 0, tzinfo=UTC)  # 12:00 WIB, 13:00 WITA, 14:00 WIT
ZONES = ("Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura")
SEED = 20261130
CHUNK = 50_000


def populate(database: Database, reminders: int) -> int:
    """The people, their identities and the due reminders; returns how many people opted out."""
    rng = random.Random(SEED)
    body = {
        "text": "Pengingat untuk besok:\nPertemuan P2K2 kelompok Mawar\nSelasa, 1 Desember 2026, 09.00 WIB\nTempat: Balai RW",
        "options": [{"key": "answer:1:yes", "label": "Hadir"}, {"key": "answer:1:no", "label": "Berhalangan"}],
        "media": [], "variables": {"1": "Pengingat untuk besok"},
    }  # fmt: skip
    opted_out = 0
    with database.transaction() as db:
        people = []
        for n in range(1, PEOPLE + 1):
            out = n % 100 == 0
            opted_out += out
            people.append({"id": n, "display_name": f"KPM {n}", "phone": f"+62812{n:08d}", "locale": "id",
                           "consent_given_at": NOW, "opted_out_at": NOW if out else None, "created_at": NOW})  # fmt: skip
        db.execute(insert(Person), people)
        db.execute(insert(ChannelIdentity), [
            {"person_id": n, "channel": "simulator", "address": f"+62812{n:08d}", "created_at": NOW, "last_inbound_at": NOW}
            for n in range(1, PEOPLE + 1)
        ])  # fmt: skip
    for start in range(0, reminders, CHUNK):
        rows = [
            {"key": f"bench:{n}", "person_id": 1 + n % PEOPLE, "kind": "p2k2_eve", "due_at": NOW - timedelta(seconds=rng.randrange(3600)),
             "not_after": NOW + timedelta(days=1), "timezone": ZONES[n % 3], "body": body, "status": "pending", "note": "", "created_at": NOW}
            for n in range(start, min(start + CHUNK, reminders))
        ]  # fmt: skip
        with database.transaction() as db:
            db.execute(insert(Reminder), rows)
    return opted_out


def bench(backend: str, settings: Settings, reminders: int) -> int:
    upgrade_database(settings)
    database = Database(settings)
    try:
        started = time.perf_counter()
        populate(database, reminders)
        print(f"reminders {backend}: {reminders:,} due reminders set up in {time.perf_counter() - started:.1f} s", flush=True)
        started = time.perf_counter()
        result = dispatch_due(database, settings=settings, now=NOW)
        elapsed = time.perf_counter() - started
        rate = result.total / elapsed
        verdict = "met" if rate >= TARGET_PER_SECOND else "NOT MET"
        print(
            f"reminders {backend}: {result.total:,} due reminders moved into the outbox in {elapsed:.1f} s = {rate:,.0f} reminders/s "
            f"({result.queued:,} queued, {result.skipped:,} skipped as opted out); target ≥ {TARGET_PER_SECOND:,}/s: {verdict}",
            flush=True,
        )
        errors = check(database, reminders, result.queued)
    finally:
        database.dispose()
    for error in errors:
        print(f"  FAILED ({backend}): {error}", file=sys.stderr)
    return 1 if errors else 0


def check(database: Database, reminders: int, queued: int) -> list[str]:
    errors = []
    with database.transaction() as db:
        pending = db.scalar(select(func.count()).select_from(Reminder).where(Reminder.status == "pending"))
        outbox = db.scalar(select(func.count()).select_from(OutboundMessage))
        to_opted_out = db.scalar(
            select(func.count()).select_from(OutboundMessage).join(Person, Person.id == OutboundMessage.person_id).where(Person.opted_out_at.is_not(None))
        )
    if pending:
        errors.append(f"{pending} reminders still pending")
    if outbox != queued:
        errors.append(f"{outbox} outbox rows for {queued} queued reminders")
    if to_opted_out:
        errors.append(f"{to_opted_out} messages to people who opted out")
    if queued != reminders - reminders // 100:
        errors.append(f"{queued} queued, expected {reminders - reminders // 100}")
    return errors


def run(*, quick: bool = False, full: bool = False) -> int:
    reminders = FULL_REMINDERS if full else QUICK_REMINDERS if quick else REMINDERS
    with tempfile.TemporaryDirectory(prefix="kawal-bench-") as directory:
        settings = load_settings(database_url=f"sqlite:///{directory}/bench.db", secret_key=SECRET_KEY)
        status = bench("sqlite", settings, reminders)
    if status != 0:
        return status
    postgres_url = os.environ.get(POSTGRES_ENV)
    if not postgres_url:
        print(f"reminders postgresql: skipped ({POSTGRES_ENV} is not set)", flush=True)
        return 0
    settings = load_settings(database_url=postgres_url, secret_key=SECRET_KEY)
    reset_postgres(settings)
    return bench("postgresql", settings, reminders)


if __name__ == "__main__":
    sys.exit(run(quick="--quick" in sys.argv[1:], full="--full" in sys.argv[1:]))
