"""End to end: the real ``kawal serve`` under signed Telegram webhooks, against a bot written the common way.

Run: ``make bench`` (100 people), ``python -m benchmarks --quick`` (30), ``make bench-full`` (200), or alone
``.venv/bin/python -m benchmarks.end_to_end [--quick | --full]``.

Kawal Bansos runs as in production: ``kawal db upgrade`` and ``kawal seed-demo`` make a fresh SQLite database,
then ``kawal serve`` runs in its own process with the delivery worker and the scheduler, configured against a
local ``FakeTelegramApi`` (and a ``FakeTwilioApi``) running in this process. The fake has no rate limits, nor
has the common bot, so Kawal's own Telegram limits are lifted to match (``KAWAL_TELEGRAM_MESSAGES_PER_SECOND``
1000, ``KAWAL_TELEGRAM_SECONDS_PER_CHAT`` 0); with the production limits (30/s, 1 s per chat) the reply times
measure the limits instead of the service. The common bot (``benchmarks._ptb_bot``: python-telegram-bot
``Application`` + ``ConversationHandler`` + ``PicklePersistence``, reports in SQLite) runs the same way.

The workload (``benchmarks._e2e_load``): N people each write the eleven messages of a new person's lost-card
report over signed webhooks from 8 concurrent clients. Printed for each system: inbound messages accepted per
second, server CPU per inbound message (``/proc``, from ready until every reply was sent), webhook latency
p50/p99, inbound-to-reply-sent p50/p99 (to the first and to the last reply of the turn, stamped when the fake
received the ``sendMessage``), peak resident memory, time until ready; then the ratio Kawal / common bot.

Then the crash run, for each system: fewer people, the server killed with SIGKILL once half the posts were
answered, started again on the same port and database, the load finished (posts not answered are posted again,
as Telegram does); printed: replies missing and sent more often than expected (duplicates; for the common bot
also answers out of place, its conversation state lost), and reports stored. Kawal's rows held by the killed
process are taken again once their delivery lease (``app.delivery.LEASE``, 2 minutes) runs out, so while replies
are missing the run waits until then (plus 20 s) and prints the counts before and after.

Exit status 1 when, in the run without a crash, a reply is missing or duplicated or a post was never accepted.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import httpx

from benchmarks import _e2e_load as load_
from benchmarks._e2e_process import ServerProcess, cpu_seconds, free_port, peak_rss_mb
from benchmarks._ptb_bot import expected_replies as ptb_expected_replies
from tests.fakes import _http
from tests.fakes.telegram_api import FakeTelegramApi
from tests.fakes.twilio_api import FakeTwilioApi

PEOPLE, QUICK_PEOPLE, FULL_PEOPLE = 100, 30, 200
CRASH_PEOPLE, QUICK_CRASH_PEOPLE = 40, 20
TOKEN = "123456789:AAF-kawal-bansos-e2e-token_01234567"
SECRET = "telegram-e2e-secret-0123456789ab"
SECRET_KEY = "e2e-bench-secret-key-123456"
PUBLIC_URL = "https://kawal.example.org"
TWILIO_SID = "AC" + "0123456789abcdef" * 2
TWILIO_TOKEN = "fedcba9876543210" * 2
TWILIO_FROM = "whatsapp:+14155238886"
REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


@dataclass
class Figures:
    name: str
    people: int
    posts: int
    load: load_.Load
    delivery: load_.Delivery
    expected_replies: int
    sent_replies: int
    cpu_seconds: float
    peak_rss_mb: float
    ready_seconds: float
    restarted_ready_seconds: float = float("nan")
    early: load_.Delivery | None = None
    recovery_wait: float = 0.0
    reports: int = -1
    """Reports stored at the end (one per person expected)."""
    """After a crash: what was missing and duplicated before the killed process's leases ran out."""

    @property
    def rate(self) -> float:
        return self.posts / self.load.seconds if self.load.seconds else float("nan")

    @property
    def cpu_ms_per_message(self) -> float:
        return self.cpu_seconds * 1000 / self.posts

    @property
    def broken(self) -> bool:
        return bool(self.delivery.missing or self.delivery.duplicated or self.load.failed)


# -- the two systems -----------------------------------------------------------------------------


def _clean_env() -> dict[str, str]:
    return {name: value for name, value in os.environ.items() if not name.startswith("KAWAL_")}


def kawal_env(directory: Path, fake_telegram: FakeTelegramApi, fake_twilio: FakeTwilioApi) -> dict[str, str]:
    return {
        **_clean_env(),
        "KAWAL_DATABASE_URL": f"sqlite:///{directory}/kawal.db",
        "KAWAL_SECRET_KEY": SECRET_KEY,
        "KAWAL_MEDIA_DIR": str(directory / "media"),
        "KAWAL_PUBLIC_BASE_URL": PUBLIC_URL,
        "KAWAL_TELEGRAM_BOT_TOKEN": TOKEN,
        "KAWAL_TELEGRAM_WEBHOOK_SECRET": SECRET,
        "KAWAL_TELEGRAM_API_URL": fake_telegram.url,
        "KAWAL_TELEGRAM_MESSAGES_PER_SECOND": "1000",
        "KAWAL_TELEGRAM_SECONDS_PER_CHAT": "0",
        "KAWAL_TWILIO_ACCOUNT_SID": TWILIO_SID,
        "KAWAL_TWILIO_AUTH_TOKEN": TWILIO_TOKEN,
        "KAWAL_TWILIO_WHATSAPP_FROM": TWILIO_FROM,
        "KAWAL_TWILIO_API_URL": fake_twilio.url,
    }


def _kawal_ready(response: httpx.Response) -> bool:
    return response.status_code == 200 and response.json().get("telegram", "ready") == "ready"


def kawal_server(directory: Path, fake_telegram: FakeTelegramApi, fake_twilio: FakeTwilioApi) -> ServerProcess:
    port = free_port()
    return ServerProcess(
        [str(BIN / "kawal"), "serve", "--port", str(port)],
        env=kawal_env(directory, fake_telegram, fake_twilio), cwd=directory, port=port,
        log=directory / "server.log", is_ready=_kawal_ready,
    )  # fmt: skip


def ptb_server(directory: Path, fake_telegram: FakeTelegramApi, fake_twilio: FakeTwilioApi) -> ServerProcess:
    port = free_port()
    command = [
        sys.executable, "-m", "benchmarks._ptb_bot", "--port", str(port), "--api-url", fake_telegram.url,
        "--token", TOKEN, "--secret", SECRET, "--data-dir", str(directory),
    ]  # fmt: skip
    env = {**_clean_env(), "PYTHONPATH": str(REPO)}
    return ServerProcess(
        command, env=env, cwd=directory, port=port, log=directory / "server.log",
        is_ready=lambda response: response.status_code == 200,
    )  # fmt: skip


def seed_kawal(directory: Path) -> Path:
    """``kawal db upgrade`` and ``kawal seed-demo`` once; each run starts from a copy."""
    directory.mkdir()
    env = {**_clean_env(), "KAWAL_DATABASE_URL": f"sqlite:///{directory}/kawal.db", "KAWAL_SECRET_KEY": SECRET_KEY}
    for command in (["db", "upgrade"], ["seed-demo"]):
        subprocess.run([str(BIN / "kawal"), *command], env=env, cwd=directory, check=True, capture_output=True)
    return directory / "kawal.db"


def copy_sqlite(source: Path, target: Path) -> None:
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()


def kawal_expected(seeded: Path, directory: Path) -> list[list[str]]:
    """The texts Kawal sends one person for each turn, through ``Pipeline.handle`` on a copy of the seeded database."""
    from sqlalchemy import select
    from telegram import Update

    from app.clock import Clock
    from app.config import load_settings
    from app.db import Database
    from app.models import OutboundMessage
    from app.pipeline import Pipeline
    from app.runtime import Runtime
    from bot import telegram as tg

    directory.mkdir()
    copy_sqlite(seeded, directory / "kawal.db")
    settings = load_settings(
        database_url=f"sqlite:///{directory}/kawal.db", secret_key=SECRET_KEY, media_dir=directory / "media",
        public_base_url=PUBLIC_URL, telegram_bot_token=TOKEN, telegram_webhook_secret=SECRET,
    )  # fmt: skip
    database = Database(settings)
    try:
        pipeline, clock, seen, expected = Pipeline(database, Runtime.build(settings, database)), Clock(), 0, []
        for turn in range(len(load_.TURNS)):
            parsed = tg.parse_update(Update.de_json(load_.update(0, turn), None))
            assert isinstance(parsed, tg.Incoming), parsed
            outcome = pipeline.handle(parsed.envelope, now=clock.now())
            if outcome.status != "processed":
                raise RuntimeError(f"reference run: turn {turn} ({load_.TURNS[turn]!r}): {outcome}")
            with database.transaction() as session:
                rows = session.scalars(
                    select(OutboundMessage)
                    .where(OutboundMessage.address == str(load_.chat_id(0)))
                    .order_by(OutboundMessage.id)
                ).all()
                expected.append([str(row.body.get("text", "")) for row in rows[seen:]])
                seen = len(rows)
        return expected
    finally:
        database.dispose()


def count_rows(database: Path, table: str) -> int:
    connection = sqlite3.connect(database)
    try:
        return int(connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    finally:
        connection.close()


def lease_seconds() -> float:
    from app.delivery import LEASE

    return LEASE.total_seconds()


# -- one run -------------------------------------------------------------------------------------

ServerFactory = Callable[[Path, FakeTelegramApi, FakeTwilioApi], ServerProcess]


def answer_without_nagle() -> None:
    """Answer from the fakes without Nagle's delay: a fake writes headers and body separately, and with Nagle on,
    the client's delayed ACK holds the body ~40 ms, which a bot sending one message at a time (PTB) pays per message."""
    _http._Handler.disable_nagle_algorithm = True


def run_system(
    name: str, make_server: ServerFactory, directory: Path, people: int, expected: list[list[str]],
    *, crash: bool = False, recovery_wait: float = 0.0, reports: Callable[[], int] = lambda: -1,
) -> Figures:  # fmt: skip
    """Start the server, drive the load (killing and restarting it half-way when ``crash``), wait for the replies.

    After a crash, replies still missing once none came for 10 s are waited for until ``recovery_wait`` seconds
    after the kill (for Kawal: until the delivery leases the killed process held have run out, when another worker
    takes those rows again). Both counts are kept (``early`` and the final one)."""
    batches = load_.rounds(people)
    posts = sum(len(batch) for batch in batches)
    chats = {load_.chat_id(person): person for person in range(people)}
    want = people * sum(len(turn) for turn in expected)
    with (
        FakeTelegramApi(token=TOKEN) as fake_telegram,
        FakeTwilioApi(account_sid=TWILIO_SID, auth_token=TWILIO_TOKEN) as fake_twilio,
    ):
        server = make_server(directory, fake_telegram, fake_twilio)
        ready = server.start()
        restart: dict[str, float] = {}
        restarter: list[threading.Thread] = []

        def kill_and_restart() -> None:
            server.kill()
            restart["killed_at"] = time.monotonic()
            restart["ready"] = server.start()

        def on_answered(done: int) -> None:
            if crash and done == posts // 2:
                restarter.append(threading.Thread(target=kill_and_restart, name="e2e-restart"))
                restarter[0].start()

        try:
            cpu_before = cpu_seconds(server.pid)
            load = load_.drive(server.base_url, SECRET, batches, on_answered=on_answered)
            for thread in restarter:
                thread.join()
            load_.wait_for_replies(fake_telegram, set(chats), want, idle=10.0, cap=180.0)
            early = load_.compare(load_.sent_by_chat(fake_telegram, set(chats)), expected, load, chats)
            waited = crash and bool(early.missing) and recovery_wait > 0
            if waited:
                until = restart.get("killed_at", time.monotonic()) + recovery_wait
                load_.wait_for_replies(
                    fake_telegram, set(chats), want, idle=until - time.monotonic(), cap=until - time.monotonic()
                )
            cpu, rss = cpu_seconds(server.pid) - cpu_before, peak_rss_mb(server.pid)
        finally:
            server.stop()
        sent = load_.sent_by_chat(fake_telegram, set(chats))
        errors = [*fake_telegram.errors, *fake_twilio.errors]
    if errors:
        print(f"  {name}: the fake providers raised {errors[:3]!r}", file=sys.stderr)
    delivery = load_.compare(sent, expected, load, chats)
    return Figures(
        name, people, posts, load, delivery, want, sum(len(v) for v in sent.values()), cpu, rss, ready,
        restart.get("ready", float("nan")), early if waited else None, recovery_wait if waited else 0.0, reports(),
    )  # fmt: skip


# -- printing ------------------------------------------------------------------------------------


def _replies_line(figures: Figures, d: load_.Delivery | None = None) -> str:
    d = d or figures.delivery
    line = (
        f"replies {figures.sent_replies} sent of {figures.expected_replies} expected: "
        f"{sum(d.missing.values())} missing (in {d.chats_missing} chats), "
        f"{sum(d.duplicated.values())} sent more often than expected (in {d.chats_duplicated} chats: duplicates, "
        f"or answers from a conversation that lost its place); reports stored {figures.reports} of {figures.people}"
    )
    for label, counter in (("missing", d.missing), ("extra", d.duplicated)):
        for text, count in counter.most_common(3):
            line += f"\n    {label} {count}x: {text[:70]!r}"
    if figures.load.failed:
        line += f"\n    {len(figures.load.failed)} posts never answered 200, e.g. {figures.load.failed[0]}"
    return line


def report(figures: Figures) -> None:
    web50, web99 = load_.p50_p99_ms(figures.load.latencies)
    first50, first99 = load_.p50_p99_ms(figures.delivery.first_reply)
    last50, last99 = load_.p50_p99_ms(figures.delivery.last_reply)
    print(
        f"end_to_end {figures.name}: {figures.people} people x {len(load_.TURNS)} turns = {figures.posts} signed "
        f"Telegram webhooks from {load_.CONCURRENCY} clients in {figures.load.seconds:.1f} s = {figures.rate:.0f} "
        f"messages/s accepted ({figures.load.retries} posts retried)\n"
        f"  server CPU {figures.cpu_seconds:.1f} s = {figures.cpu_ms_per_message:.1f} ms per inbound message; "
        f"webhook p50 {web50:.0f} ms, p99 {web99:.0f} ms; inbound to first reply sent p50 {first50:.0f} ms, "
        f"p99 {first99:.0f} ms; to last reply of the turn p50 {last50:.0f} ms, p99 {last99:.0f} ms; "
        f"peak RSS {figures.peak_rss_mb:.0f} MB; ready {figures.ready_seconds:.1f} s after start\n"
        f"  {_replies_line(figures)}",
        flush=True,
    )


def report_ratio(kawal: Figures, ptb: Figures) -> None:
    def ratio(a: float, b: float) -> str:
        return f"{a / b:.2f}x" if b else "n/a"

    kw, pw = load_.p50_p99_ms(kawal.load.latencies), load_.p50_p99_ms(ptb.load.latencies)
    kf, pf = load_.p50_p99_ms(kawal.delivery.first_reply), load_.p50_p99_ms(ptb.delivery.first_reply)
    print(
        f"end_to_end kawal / common PTB bot: CPU per message {ratio(kawal.cpu_ms_per_message, ptb.cpu_ms_per_message)}; "
        f"webhook p50 {ratio(kw[0], pw[0])}, p99 {ratio(kw[1], pw[1])}; first reply p50 {ratio(kf[0], pf[0])}, "
        f"p99 {ratio(kf[1], pf[1])}; messages/s accepted {ratio(kawal.rate, ptb.rate)}; "
        f"peak RSS {ratio(kawal.peak_rss_mb, ptb.peak_rss_mb)}; ready after start {ratio(kawal.ready_seconds, ptb.ready_seconds)}",
        flush=True,
    )


def report_crash(figures: Figures) -> None:
    print(
        f"end_to_end crash {figures.name}: {figures.people} people, {figures.posts} posts; SIGKILL once "
        f"{figures.posts // 2} were answered, ready again {figures.restarted_ready_seconds:.1f} s later, "
        f"{figures.load.retries} posts retried",
        flush=True,
    )
    if figures.early is not None:
        early = figures.early
        print(
            f"  before the killed process's delivery leases ran out: {sum(early.missing.values())} replies missing "
            f"(in {early.chats_missing} chats), {sum(early.duplicated.values())} sent more often than expected",
            flush=True,
        )
    print(
        f"  {'after ' + format(figures.recovery_wait, '.0f') + ' s from the kill: ' if figures.recovery_wait else ''}"
        f"{_replies_line(figures)}",
        flush=True,
    )


def run(*, quick: bool = False, full: bool = False) -> int:
    people = FULL_PEOPLE if full else QUICK_PEOPLE if quick else PEOPLE
    crash_people = QUICK_CRASH_PEOPLE if quick else CRASH_PEOPLE
    answer_without_nagle()
    with tempfile.TemporaryDirectory(prefix="kawal-e2e-") as name:
        root = Path(name)
        seeded = seed_kawal(root / "seed")
        kawal_texts = kawal_expected(seeded, root / "reference")
        ptb_texts = ptb_expected_replies(load_.VILLAGE, load_.HOUSEHOLD)

        def kawal_run(directory: Path, count: int, crash: bool) -> Figures:
            directory.mkdir()
            copy_sqlite(seeded, directory / "kawal.db")
            wait = lease_seconds() + 20.0 if crash else 0.0
            demo_cases = count_rows(seeded, "cases")
            return run_system(
                "kawal", kawal_server, directory, count, kawal_texts, crash=crash, recovery_wait=wait,
                reports=lambda: count_rows(directory / "kawal.db", "cases") - demo_cases,
            )  # fmt: skip

        def ptb_run(directory: Path, count: int, crash: bool) -> Figures:
            directory.mkdir()
            return run_system(
                "common PTB bot", ptb_server, directory, count, ptb_texts, crash=crash,
                reports=lambda: count_rows(directory / "reports.db", "reports"),
            )  # fmt: skip

        kawal = kawal_run(root / "kawal", people, False)
        report(kawal)
        ptb = ptb_run(root / "ptb", people, False)
        report(ptb)
        report_ratio(kawal, ptb)
        report_crash(kawal_run(root / "kawal-crash", crash_people, True))
        report_crash(ptb_run(root / "ptb-crash", crash_people, True))
    failed = [figures.name for figures in (kawal, ptb) if figures.broken]
    for name in failed:
        print(
            f"  FAILED: {name}: replies missing or duplicated, or posts not accepted, without a crash", file=sys.stderr
        )
    return 1 if failed else 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="python -m benchmarks.end_to_end")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--full", action="store_true")
    arguments = parser.parse_args()
    sys.exit(run(quick=arguments.quick, full=arguments.full))
