"""Weekly digests for every village of a regency: Kabupaten Jombang (35.17, 306 villages) with 1,000,000 cases.

Run: ``make bench``, ``.venv/bin/python -m benchmarks [--quick | --full]`` or, alone,
``.venv/bin/python -m benchmarks.digests [--quick | --full]``.

Set up (not measured) on a fresh migrated SQLite file: 1,000,000 cases
(30,000 by default, 10,000 with ``--quick``; the million with ``--full``, ``make bench-full``) spread over the regency's villages and the last two
years, in the household-report categories; nine in ten are closed, the rest
open with a follow-up date (some overdue); and an operator in every village.
Measured, at ``NOW`` (Monday 07:30 WIB), the whole Monday run as the scheduler
does it (``app.digest.service.plan_weekly_digests``): for every village the
figures of the week before, built and stored as a snapshot, the text, the chart
(PNG) and the workbook (XLSX) drawn (in a pool of worker processes) and saved,
and the operator's digest planned — target under 30 s for all 306 villages at
every size; then, apart, the digests moved into the outbox (``dispatch_due``).
When ``KAWAL_BENCH_POSTGRES_URL`` is set the same runs on PostgreSQL.

Checked (exit status 1 otherwise): one snapshot per village; the new reports in
the snapshots add up to the cases created that week; one digest with its chart
and workbook per operator, each in the outbox once.
"""

from __future__ import annotations

import os
import random
import resource
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from app.areas.service import read_csv
from app.config import Settings, load_settings
from app.database_setup import upgrade_database
from app.db import Database
from app.digest.drawing import PROCESSES
from app.digest.service import plan_weekly_digests
from app.digest.weeks import Week
from app.digest.workbook import XLSX_MIME
from app.i18n import translators
from app.media import MediaStore
from app.models import Case, ChannelIdentity, Digest, OutboundMessage, Person, Reminder, RoleAssignment
from app.reminders.dispatch import dispatch_due
from benchmarks.pipeline import POSTGRES_ENV, reset_postgres
from conversations.types import MediaRef

FULL_CASES, CASES, QUICK_CASES = 1_000_000, 30_000, 10_000  # --full, make bench, --quick
REGENCY = "35.17."
TARGET_SECONDS = 30.0
SECRET_KEY = "bench-secret-key-123456"
NOW = datetime(2026, 11, 30, 0, 30, tzinfo=UTC)  # Monday 07:30 WIB
WEEK = Week.parse("2026-W48")
CATEGORIES = ("kks_lost", "kks_damaged", "pin_blocked", "zero_balance", "aid_not_received", "not_listed", "ewarong", "other")
SEED = 20261130
CHUNK = 50_000


def villages() -> list[str]:
    return [code for code, _name in read_csv() if code.startswith(REGENCY) and code.count(".") == 3]


def populate(database: Database, count: int, places: list[str]) -> int:
    """The cases; returns how many were created in ``WEEK``."""
    rng = random.Random(SEED)
    start, end = WEEK.bounds("Asia/Jakarta")
    in_week = 0
    for first in range(0, count, CHUNK):
        rows = []
        for n in range(first, min(first + CHUNK, count)):
            created = NOW - timedelta(seconds=rng.randrange(2 * 365 * 86400))
            is_open = rng.random() < 0.1
            in_week += start <= created < end
            category = CATEGORIES[n % len(CATEGORIES)]
            answers = {"ewarong_agent": f"Agen {n % 5}", "ewarong_problem": ("price", "quantity", "quality")[n % 3]} if category == "ewarong" else {}
            rows.append({
                "reference": f"KB-{n:08d}", "kind": "kpm_report", "category": category,
                "status": rng.choice(("new", "in_progress", "referred")) if is_open else rng.choice(("resolved", "closed_unresolved")),
                "area_code": places[n % len(places)], "household_name": f"KPM {n}", "routed_role": "tksk",
                "details": {"answers": answers}, "created_at": created, "updated_at": created,
                "closed_at": None if is_open else created + timedelta(days=rng.randrange(1, 60)),
                "follow_up_at": created + timedelta(days=rng.randrange(1, 30)) if is_open else None,
            })  # fmt: skip
        with database.transaction() as db:
            db.execute(insert(Case), rows)
    return in_week


def add_operators(db: Session, places: list[str]) -> None:
    """An operator in every village, reachable on the simulator: each one's digest is drawn and planned."""
    people = [{"id": n, "display_name": f"Operator {code}", "phone": f"+62813{n:08d}", "locale": "id", "area_code": code,
               "consent_given_at": NOW, "created_at": NOW} for n, code in enumerate(places, start=1)]  # fmt: skip
    db.execute(insert(Person), people)
    db.execute(insert(RoleAssignment), [{"person_id": p["id"], "role": "operator", "area_code": p["area_code"], "granted_at": NOW} for p in people])
    db.execute(insert(ChannelIdentity), [
        {"person_id": p["id"], "channel": "simulator", "address": p["phone"], "created_at": NOW, "last_inbound_at": NOW} for p in people
    ])  # fmt: skip


def bench(backend: str, settings: Settings, count: int) -> int:
    upgrade_database(settings)
    database = Database(settings)
    places = villages()
    try:
        started = time.perf_counter()
        in_week = populate(database, count, places)
        with database.transaction() as db:
            add_operators(db, places)
        print(f"digests {backend}: {count:,} cases in {len(places)} villages, an operator in each, set up in {time.perf_counter() - started:.1f} s", flush=True)
        with tempfile.TemporaryDirectory(prefix="kawal-bench-media-") as directory:
            media = MediaStore(settings.media_dir.__class__(directory), 50_000_000)
            started, cpu = time.perf_counter(), _cpu_seconds()
            planned = plan_weekly_digests(database, settings=settings, translators=translators(), media=media, now=NOW)
            seconds, (here, workers) = time.perf_counter() - started, (a - b for a, b in zip(_cpu_seconds(), cpu, strict=True))
            verdict = "met" if seconds < TARGET_SECONDS else "NOT MET"
            print(f"digests {backend}: the Monday run for all {len(places)} villages (figures built and stored, text, chart and "
                  f"workbook drawn in up to {PROCESSES} worker processes, {planned} digests planned) in {seconds:.1f} s "
                  f"({seconds / len(places) * 1000:.0f} ms a village; CPU {here:.1f} s here, {workers:.1f} s in the workers, "
                  f"the machine's load {os.getloadavg()[0]:.1f}); target < {TARGET_SECONDS:.0f} s: {verdict}", flush=True)  # fmt: skip
            started = time.perf_counter()
            dispatched = dispatch_due(database, settings=settings, now=NOW)
            print(f"digests {backend}: {dispatched.queued} digests moved into the outbox in {time.perf_counter() - started:.2f} s", flush=True)
            errors = check(database, places, in_week, media)
    finally:
        database.dispose()
    for error in errors:
        print(f"  FAILED ({backend}): {error}", file=sys.stderr)
    return 1 if errors else 0


def _cpu_seconds() -> tuple[float, float]:
    """CPU time of this process and of its ended children (the pool's workers), user and system."""
    here, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return here.ru_utime + here.ru_stime, children.ru_utime + children.ru_stime


def check(database: Database, places: list[str], in_week: int, media: MediaStore) -> list[str]:
    errors = []
    with database.transaction() as db:
        figures = list(db.scalars(select(Digest.figures)))
        reminders = list(db.scalars(select(Reminder).where(Reminder.kind == "digest")))
        outbox = db.scalar(select(func.count()).select_from(OutboundMessage).where(OutboundMessage.purpose == "digest"))
    if len(figures) != len(places):
        errors.append(f"{len(figures)} snapshots for {len(places)} villages")
    counted = sum(sum(f["new_by_category"].values()) for f in figures)
    if counted != in_week:
        errors.append(f"the snapshots count {counted} new reports, the week had {in_week}")
    if len(reminders) != len(places) or outbox != len(places):
        errors.append(f"{len(reminders)} digests planned and {outbox} in the outbox for {len(places)} operators")
    files = [m for r in reminders for m in r.body["media"]]
    if [m["mime_type"] for m in files] != ["image/png", XLSX_MIME] * len(reminders):
        errors.append("a digest without its chart and workbook")
    elif not all(media.path_of(MediaRef(m["ref"], m["mime_type"])).stat().st_size for m in files):
        errors.append("an empty chart or workbook")
    return errors


def run(*, quick: bool = False, full: bool = False) -> int:
    count = FULL_CASES if full else QUICK_CASES if quick else CASES
    with tempfile.TemporaryDirectory(prefix="kawal-bench-") as directory:
        settings = load_settings(database_url=f"sqlite:///{directory}/bench.db", secret_key=SECRET_KEY)
        status = bench("sqlite", settings, count)
    if status != 0:
        return status
    postgres_url = os.environ.get(POSTGRES_ENV)
    if not postgres_url:
        print(f"digests postgresql: skipped ({POSTGRES_ENV} is not set)", flush=True)
        return 0
    settings = load_settings(database_url=postgres_url, secret_key=SECRET_KEY)
    reset_postgres(settings)
    return bench("postgresql", settings, count)


if __name__ == "__main__":
    sys.exit(run(quick="--quick" in sys.argv[1:], full="--full" in sys.argv[1:]))
