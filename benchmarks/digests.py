"""Weekly digests for every village of a regency: Kabupaten Jombang (35.17, 306 villages) with 1,000,000 cases.

Run: ``make bench``, ``.venv/bin/python -m benchmarks [--quick | --full]`` or, alone,
``.venv/bin/python -m benchmarks.digests [--quick | --full]``.

Set up (not measured) on a fresh migrated SQLite file: 1,000,000 cases
(30,000 by default, 10,000 with ``--quick``; the million with ``--full``, ``make bench-full``) spread over the regency's villages and the last two
years, in the household-report categories; nine in ten are closed, the rest
open with a follow-up date (some overdue). Measured, for the week before
``NOW``: (1) the figures of every village, built and stored as snapshots
(``app.digest.service.snapshot``) — target under 30 s; (2) the same plus what
is sent — the text, the chart (matplotlib PNG) and the workbook (XLSX) for
each village (for the first 60 only, except with ``--full``: the time for all is then estimated). When ``KAWAL_BENCH_POSTGRES_URL`` is set the same runs on
PostgreSQL.

Checked (exit status 1 otherwise): one snapshot per village; the new reports in
the snapshots add up to the cases created that week.
"""

from __future__ import annotations

import os
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, insert, select

from app.areas.service import read_csv
from app.config import Settings, load_settings
from app.database_setup import upgrade_database
from app.db import Database
from app.digest.service import digest_reply, snapshot
from app.digest.weeks import Week
from app.i18n import translators
from app.media import MediaStore
from app.models import Case, Digest
from benchmarks.pipeline import POSTGRES_ENV, reset_postgres

FULL_CASES, CASES, QUICK_CASES = 1_000_000, 30_000, 10_000  # --full, make bench, --quick
RENDERED = 60  # villages whose text, chart and workbook are made, except with --full (all 306)
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


def bench(backend: str, settings: Settings, count: int, rendered: int | None = None) -> int:
    upgrade_database(settings)
    database = Database(settings)
    places = villages()
    t = translators()["id"]
    try:
        started = time.perf_counter()
        in_week = populate(database, count, places)
        print(f"digests {backend}: {count:,} cases in {len(places)} villages set up in {time.perf_counter() - started:.1f} s", flush=True)
        started = time.perf_counter()
        with database.transaction() as db:
            figures = [snapshot(db, area_code=code, week=WEEK, now=NOW) for code in places]
        built = time.perf_counter() - started
        verdict = "met" if built < TARGET_SECONDS else "NOT MET"
        print(f"digests {backend}: figures of {len(places)} village digests built and stored in {built:.1f} s "
              f"({built / len(places) * 1000:.0f} ms each); target < {TARGET_SECONDS:.0f} s: {verdict}", flush=True)  # fmt: skip
        with tempfile.TemporaryDirectory(prefix="kawal-bench-media-") as directory:
            media = MediaStore(settings.media_dir.__class__(directory), 50_000_000)
            started = time.perf_counter()
            chosen = figures[:rendered] if rendered else figures
            for item in chosen:
                digest_reply(item, t, "id", media)
            seconds = time.perf_counter() - started
        each = seconds / len(chosen)
        print(f"digests {backend}: text, chart and workbook of {len(chosen)} villages in {seconds:.1f} s "
              f"({each * 1000:.0f} ms each); with the figures, for all {len(places)}: "
              f"{built + each * len(places):.1f} s{'' if len(chosen) == len(places) else ' (estimated)'}", flush=True)  # fmt: skip
        errors = check(database, places, figures, in_week)
    finally:
        database.dispose()
    for error in errors:
        print(f"  FAILED ({backend}): {error}", file=sys.stderr)
    return 1 if errors else 0


def check(database: Database, places: list[str], figures: list[dict], in_week: int) -> list[str]:  # type: ignore[type-arg]
    errors = []
    with database.transaction() as db:
        stored = db.scalar(select(func.count()).select_from(Digest))
    if stored != len(places):
        errors.append(f"{stored} snapshots for {len(places)} villages")
    counted = sum(sum(f["new_by_category"].values()) for f in figures)
    if counted != in_week:
        errors.append(f"the snapshots count {counted} new reports, the week had {in_week}")
    return errors


def run(*, quick: bool = False, full: bool = False) -> int:
    count = FULL_CASES if full else QUICK_CASES if quick else CASES
    with tempfile.TemporaryDirectory(prefix="kawal-bench-") as directory:
        settings = load_settings(database_url=f"sqlite:///{directory}/bench.db", secret_key=SECRET_KEY)
        status = bench("sqlite", settings, count, None if full else RENDERED)
    if status != 0:
        return status
    postgres_url = os.environ.get(POSTGRES_ENV)
    if not postgres_url:
        print(f"digests postgresql: skipped ({POSTGRES_ENV} is not set)", flush=True)
        return 0
    settings = load_settings(database_url=postgres_url, secret_key=SECRET_KEY)
    reset_postgres(settings)
    return bench("postgresql", settings, count, None if full else RENDERED)


if __name__ == "__main__":
    sys.exit(run(quick="--quick" in sys.argv[1:], full="--full" in sys.argv[1:]))
