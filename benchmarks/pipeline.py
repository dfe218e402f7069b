"""Inbound throughput of the full pipeline: ``Envelope`` → ``Pipeline.handle`` → commit → outbox rows.

Run: ``make bench`` or ``.venv/bin/python -m benchmarks [--quick | --full]``.

100 simulated people (1,000 with ``--full``, ``make bench-full``) on the simulator channel each hold a
first-contact conversation of seven turns: ``halo`` → ``1`` (consent) → ``1``
(language) → a village name (``pasteur``, ``kebon jayanti``, ``rancanumpang``,
``bandarkedungmulyo`` or the misspelling ``pastur``) → ``1`` (pick) → ``3`` (a menu
entry, or a village of the kecamatan) → ``menu``. Turns are interleaved round by round
(everyone's first message, then everyone's second, ..., people shuffled with a fixed
seed within a round) on a fixed clock that advances 100 ms per message.

Measured: only the ``handle()`` calls, one ``time.perf_counter`` pair per message.
Throughput is messages / summed handle time; latency p50 and p99 are per message.
Peak memory is ``resource.getrusage(RUSAGE_SELF).ru_maxrss``: the peak RSS of the
whole process so far (migrations, the area list and the gazetteer included; no
tracemalloc, which would slow the timed calls down).

Runs on a fresh SQLite file in a temporary directory, then on PostgreSQL when
``KAWAL_BENCH_POSTGRES_URL`` is set (e.g. ``postgresql+psycopg://postgres@127.0.0.1:54331/kawal_test``;
ALL TABLES IN THAT DATABASE ARE DROPPED first). Afterwards every message must be
``processed`` with at least one reply, the outbox must hold exactly the replies the
pipeline reported, and every person must have a village; otherwise exit status 1.
A missed target is reported but does not fail the run.
"""

from __future__ import annotations

import os
import random
import resource
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select, text

from app.config import Settings, load_settings
from app.database_setup import upgrade_database
from app.db import Database
from app.models import Base, InboundMessage, OutboundMessage, Person
from app.people.phones import normalize_phone
from app.pipeline import Pipeline
from app.runtime import Runtime
from bot.envelope import Envelope
from bot.simulator import CHANNEL, parse_line

FULL_PEOPLE, PEOPLE, QUICK_PEOPLE = 1000, 100, 100  # --full, make bench, --quick
VILLAGES = ("pasteur", "kebon jayanti", "rancanumpang", "bandarkedungmulyo", "pastur")
TARGET_RATE, TARGET_P99_MS = 300.0, 30.0
SECRET_KEY = "bench-secret-key-123456"
START = datetime(2025, 3, 3, 8, 0, tzinfo=UTC)
TICK = timedelta(milliseconds=100)
SEED = 20250303
POSTGRES_ENV = "KAWAL_BENCH_POSTGRES_URL"


@dataclass(frozen=True)
class Run:
    """What the timed loop saw: seconds per ``handle()``, replies reported, and messages that went wrong."""

    latencies: list[float]
    replies: int
    problems: list[str]


def script(person: int) -> tuple[str, ...]:
    """One person's turns, first contact to the menu."""
    return ("halo", "1", "1", VILLAGES[person % len(VILLAGES)], "1", "3", "menu")


def phone(person: int) -> str:
    """``+62812`` and eight digits, checked to be a valid Indonesian mobile number."""
    number = normalize_phone(f"+62812{10_000_000 + person:08d}")
    if number is None:
        raise ValueError(f"person {person}: not a valid Indonesian mobile number")
    return number


def envelopes(people: int) -> list[Envelope]:
    """Everyone's messages, round by round; within a round the people come in a shuffled order."""
    rng = random.Random(SEED)
    phones = [phone(person) for person in range(people)]
    scripts = [script(person) for person in range(people)]
    result: list[Envelope] = []
    for turn in range(max(len(lines) for lines in scripts)):
        order = [person for person in range(people) if turn < len(scripts[person])]
        rng.shuffle(order)
        for person in order:
            line, number = scripts[person][turn], phones[person]
            external_id = f"bench-{person}-{turn}"
            result.append(Envelope(CHANNEL, external_id, number, parse_line(line), phone=number, payload={"line": line}))
    return result


def drive(pipeline: Pipeline, messages: list[Envelope]) -> Run:
    """Hand every message to the pipeline on an advancing clock, timing each ``handle()``."""
    latencies: list[float] = []
    replies, problems = 0, []
    now = START
    for envelope in messages:
        now += TICK
        started = time.perf_counter()
        outcome = pipeline.handle(envelope, now=now)
        latencies.append(time.perf_counter() - started)
        replies += outcome.replies
        if outcome.status != "processed" or outcome.replies < 1:
            problems.append(f"{envelope.external_id} ({envelope.inbound.text!r}): {outcome}")
    return Run(latencies, replies, problems)


def peak_rss_mb() -> float:
    """``ru_maxrss`` in MB (the kernel reports KiB on Linux, bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def report(backend: str, people: int, run: Run) -> None:
    total = sum(run.latencies)
    rate = len(run.latencies) / total
    cuts = statistics.quantiles(run.latencies, n=100, method="inclusive")
    p50, p99 = cuts[49] * 1000, cuts[98] * 1000
    met = rate >= TARGET_RATE and p99 <= TARGET_P99_MS
    print(
        f"pipeline {backend}: {len(run.latencies)} messages from {people} people in {total:.1f} s = {rate:.0f} messages/s; "
        f"latency p50 {p50:.1f} ms, p99 {p99:.1f} ms; peak RSS {peak_rss_mb():.0f} MB "
        f"(target: >= {TARGET_RATE:.0f} messages/s, p99 <= {TARGET_P99_MS:.0f} ms) {'met' if met else 'NOT MET'}",
        flush=True,
    )


def check(database: Database, people: int, sent: int, run: Run) -> list[str]:
    """Count what the run left in the database; a list of what is wrong (empty when all is well)."""
    with database.transaction() as db:
        processed = db.scalar(select(func.count(InboundMessage.id)).where(InboundMessage.status == "processed"))
        outbox = db.scalar(select(func.count(OutboundMessage.id)))
        placed = db.scalar(select(func.count(Person.id)).where(Person.area_code.is_not(None), Person.area_code != ""))
    print(
        f"  check: {sent - len(run.problems)}/{sent} outcomes processed, {processed} inbound rows processed, "
        f"{outbox} outbox rows for {run.replies} replies, {placed}/{people} people placed in a village",
        flush=True,
    )
    errors = [f"message {problem}" for problem in run.problems[:5]]
    if len(run.problems) > 5:
        errors.append(f"... and {len(run.problems) - 5} more messages not processed")
    if processed != sent:
        errors.append(f"{processed} inbound rows processed, expected {sent}")
    if outbox != run.replies or outbox < sent:
        errors.append(f"{outbox} outbox rows, expected {run.replies} (and at least one per message)")
    if placed != people:
        errors.append(f"{placed} people placed in a village, expected {people}")
    return errors


def bench(backend: str, settings: Settings, people: int) -> int:
    """Migrate and load areas, run the conversations, print the figures; 1 when the sanity check fails."""
    upgrade_database(settings)
    messages = envelopes(people)
    database = Database(settings)
    try:
        pipeline = Pipeline(database, Runtime.build(settings, database))
        run = drive(pipeline, messages)
        report(backend, people, run)
        errors = check(database, people, len(messages), run)
    finally:
        database.dispose()
    for error in errors:
        print(f"  FAILED ({backend}): {error}", file=sys.stderr)
    return 1 if errors else 0


def reset_postgres(settings: Settings) -> None:
    """Drop every table of the app and Alembic's version table, so the migrations start from nothing."""
    database = Database(settings)
    try:
        Base.metadata.drop_all(database.engine)
        with database.engine.begin() as connection:
            connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
    finally:
        database.dispose()


def run(*, quick: bool = False, full: bool = False) -> int:
    people = FULL_PEOPLE if full else QUICK_PEOPLE if quick else PEOPLE
    with tempfile.TemporaryDirectory(prefix="kawal-bench-") as directory:
        settings = load_settings(database_url=f"sqlite:///{directory}/bench.db", secret_key=SECRET_KEY)
        status = bench("sqlite", settings, people)
    if status != 0:
        return status
    postgres_url = os.environ.get(POSTGRES_ENV)
    if not postgres_url:
        print(f"pipeline postgresql: skipped ({POSTGRES_ENV} is not set)", flush=True)
        return 0
    settings = load_settings(database_url=postgres_url, secret_key=SECRET_KEY)
    reset_postgres(settings)
    return bench("postgresql", settings, people)
