"""End to end: the real ``kawal serve`` under signed Telegram and WhatsApp webhooks, against a bot written the
common way; and two ``kawal serve`` processes on one PostgreSQL database against one.

Run: ``make bench`` (100 people), ``python -m benchmarks --quick`` (30), ``make bench-full`` (200), or alone
``.venv/bin/python -m benchmarks.end_to_end [--quick | --full] [--postgres URL]``.

Kawal Bansos runs as in production: ``kawal db upgrade`` and ``kawal seed-demo`` make a fresh SQLite database,
then ``kawal serve`` runs in its own process with the delivery worker and the scheduler, configured against a
local ``FakeTelegramApi`` and ``FakeTwilioApi`` running in this process. The fakes have no rate limits, nor
has the common bot, so Kawal's own limits are lifted to match (``KAWAL_TELEGRAM_MESSAGES_PER_SECOND`` 1000,
``KAWAL_TELEGRAM_SECONDS_PER_CHAT`` 0, ``KAWAL_WHATSAPP_MESSAGES_PER_SECOND`` 1000); with the production limits
(28/s and 1 s per chat on Telegram, 80/s on WhatsApp) the reply times measure the limits instead of the service. The common bot (``benchmarks._ptb_bot``: python-telegram-bot
``Application`` + ``ConversationHandler`` + ``PicklePersistence``, reports in SQLite) runs the same way.

The workload (``benchmarks._e2e_load``): N people each write the eleven messages of a new person's lost-card
report over signed webhooks from 8 concurrent clients: Telegram updates with the webhook secret, and for Kawal
also Twilio WhatsApp forms signed with the auth token (replies read from the fake Twilio REST API). Printed for
each system and channel: inbound messages accepted per
second, server CPU per inbound message (``/proc``, from the start of the load until every reply was sent; the load
starts once ``/readyz`` says the place names are read, about a second after ready), webhook latency
p50/p99, inbound-to-reply-sent p50/p99 (to the first and to the last reply of the turn, stamped when the fake
received the ``sendMessage``), peak resident memory, time until ready; then the ratio Kawal / common bot.

Then Kawal again on Telegram, paced: the same posts let go at 100 a second at most (all clients together), the
rate at which the webhook latency goal is stated (p99 <= 50 ms), twice: with everyone at the same step (round by
round, as above: the hundred reports are sent, and their cases opened, within one second), and with people at
different steps (person ``p`` starts ``p % 11`` rounds late: every round mixes all eleven steps, as when people
write at their own pace). Printed for these also the webhook p50/p99 of each step.

Then the crash run, for each system: fewer people, the server killed with SIGKILL once half the posts were
answered, started again on the same port and database, the load finished (posts not answered are posted again,
as Telegram does); printed: replies missing and sent more often than expected (duplicates; for the common bot
also answers out of place, its conversation state lost), and reports stored. Kawal on SQLite takes the rows the
killed process held back as it starts again (``DeliveryWorker.take_back_left_over``); were any still missing, they
would be taken once their delivery lease runs out (``KAWAL_OUTBOX_LEASE_SECONDS``: 120 s by default, 30 s here, so
that ``make bench`` stays under five minutes), so while replies are missing the run waits until then (plus 20 s)
and prints the counts before and after.

Two processes (when ``KAWAL_BENCH_POSTGRES_URL`` or ``--postgres`` names a PostgreSQL database; ALL TABLES IN IT
ARE DROPPED, then it is migrated and seeded for each run): the Telegram load against one ``kawal serve``, then
against two on the same database (a port each, each person's posts to one of them: the load split by chat).
Printed: messages/s accepted, and messages/s handled end to end (posts / time from the first post until the last
reply was sent), for each and the ratio two / one; replies missing, duplicated or out of order per chat; and the
processes running the scheduler (``/readyz``: one ``active``, the other ``standby``, ``app.leadership``). The
load generator and the fakes run on the same machine and take CPU from the servers.

Exit status 1 when, in a run without a crash, a reply is missing, duplicated or out of order, or a post was never
accepted, or two processes both ran the scheduler.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import httpx

from benchmarks import _e2e_load as load_
from benchmarks._common import copy_sqlite
from benchmarks._e2e_process import ServerProcess, cpu_seconds, free_port, machine_busy_seconds, peak_rss_mb
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
POSTGRES_ENV = "KAWAL_BENCH_POSTGRES_URL"
TWO_PROCESS_TARGET = 1.7
PACED_RATE = 100.0  # the rate at which the webhook p99 goal (<= 50 ms) is stated
REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
TELEGRAM = load_.TelegramLoad(SECRET)
WHATSAPP = load_.WhatsAppLoad(PUBLIC_URL, TWILIO_TOKEN)


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
    warm_seconds: float
    """After ready, until the place names were read (``/readyz`` ``place_names``): the load starts then."""
    restarted_ready_seconds: float = float("nan")
    early: load_.Delivery | None = None
    """After a crash: what was missing and duplicated before the killed process's leases ran out."""
    recovery_wait: float = 0.0
    reports: int = -1
    """Reports stored at the end (one per person expected)."""
    channel: str = "Telegram"
    processes: int = 1
    last_reply_seconds: float = float("nan")
    """From the first post until the last reply reached the fake provider."""
    schedulers: list[str] = field(default_factory=list)
    """Each process's scheduler state from ``/readyz`` ("active" or "standby")."""
    client_cpu_seconds: float = float("nan")
    """CPU of this process (the clients and the fake providers) during the load: on the same machine as the servers."""
    cores_busy: float = float("nan")
    """The machine's cores busy on average during the load (servers, database, clients and fakes together)."""

    @property
    def rate(self) -> float:
        return self.posts / self.load.seconds if self.load.seconds else float("nan")

    @property
    def handled_rate(self) -> float:
        """Messages handled end to end per second: accepted, and every reply sent."""
        return self.posts / self.last_reply_seconds if self.last_reply_seconds > 0 else float("nan")

    @property
    def cpu_ms_per_message(self) -> float:
        return self.cpu_seconds * 1000 / self.posts

    @property
    def broken(self) -> bool:
        d = self.delivery
        return bool(d.missing or d.duplicated or d.chats_out_of_order or self.load.failed or self.schedulers.count("active") > 1)


# -- the two systems -----------------------------------------------------------------------------


def _clean_env() -> dict[str, str]:
    return {name: value for name, value in os.environ.items() if not name.startswith("KAWAL_")}


def sqlite_url(directory: Path) -> str:
    return f"sqlite:///{directory}/kawal.db"


def kawal_env(directory: Path, fake_telegram: FakeTelegramApi, fake_twilio: FakeTwilioApi, database_url: str = "") -> dict[str, str]:
    return {
        **_clean_env(),
        "KAWAL_DATABASE_URL": database_url or sqlite_url(directory),
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
        "KAWAL_WHATSAPP_MESSAGES_PER_SECOND": "1000",
        "KAWAL_OUTBOX_LEASE_SECONDS": str(LEASE_SECONDS),
    }


def _kawal_ready(response: httpx.Response) -> bool:
    return response.status_code == 200 and response.json().get("telegram", "ready") == "ready"


def kawal_server(directory: Path, fake_telegram: FakeTelegramApi, fake_twilio: FakeTwilioApi, database_url: str = "") -> ServerProcess:
    port = free_port()
    return ServerProcess(
        [str(BIN / "kawal"), "serve", "--port", str(port)],
        env=kawal_env(directory, fake_telegram, fake_twilio, database_url), cwd=directory, port=port,
        log=directory / f"server-{port}.log", is_ready=_kawal_ready,
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


def seed_kawal(directory: Path, database_url: str = "") -> Path:
    """``kawal db upgrade`` and ``kawal seed-demo`` once; each SQLite run starts from a copy."""
    directory.mkdir(exist_ok=True)
    env = {**_clean_env(), "KAWAL_DATABASE_URL": database_url or sqlite_url(directory), "KAWAL_SECRET_KEY": SECRET_KEY}
    for command in (["db", "upgrade"], ["seed-demo"]):
        subprocess.run([str(BIN / "kawal"), *command], env=env, cwd=directory, check=True, capture_output=True)
    return directory / "kawal.db"


def kawal_expected(seeded: Path, directory: Path, channel: load_.Channel) -> list[list[str]]:
    """The texts Kawal sends one person for each turn, through ``Pipeline.handle`` on a copy of the seeded database
    (on WhatsApp as the fake Twilio API receives them: options numbered in the text)."""
    from sqlalchemy import select
    from telegram import Update

    from app.clock import Clock
    from app.config import load_settings
    from app.db import Database
    from app.models import OutboundMessage
    from app.pipeline import Pipeline
    from app.runtime import Runtime
    from bot import telegram as tg
    from bot import whatsapp as wa
    from bot.text import split_text

    directory.mkdir()
    copy_sqlite(seeded, directory / "kawal.db")
    settings = load_settings(
        database_url=sqlite_url(directory), secret_key=SECRET_KEY, media_dir=directory / "media",
        public_base_url=PUBLIC_URL, telegram_bot_token=TOKEN, telegram_webhook_secret=SECRET,
    )  # fmt: skip
    whatsapp = isinstance(channel, load_.WhatsAppLoad)
    address = load_.phone(0) if whatsapp else str(load_.chat_id(0))
    database = Database(settings)
    try:
        pipeline, clock, seen, expected = Pipeline(database, Runtime.build(settings, database)), Clock(), 0, []
        for turn in range(len(load_.TURNS)):
            parsed = (
                wa.parse_form(load_.whatsapp_form(0, turn)) if whatsapp
                else tg.parse_update(Update.de_json(load_.update(0, turn), None))
            )  # fmt: skip
            assert isinstance(parsed, (tg.Incoming, wa.Incoming)), parsed
            outcome = pipeline.handle(parsed.envelope, now=clock.now())
            if outcome.status != "processed":
                raise RuntimeError(f"reference run: turn {turn} ({load_.TURNS[turn]!r}): {outcome}")
            with database.transaction() as session:
                rows = session.scalars(
                    select(OutboundMessage).where(OutboundMessage.address == address).order_by(OutboundMessage.id)
                ).all()
                texts = [
                    text for row in rows[seen:]
                    for text in (split_text(wa.render_text(row.body), wa.BODY_LIMIT) if whatsapp else [str(row.body.get("text", ""))])
                ]  # fmt: skip
                expected.append(texts)
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


LEASE_SECONDS = 30.0


def lease_seconds() -> float:
    return LEASE_SECONDS


# -- PostgreSQL ----------------------------------------------------------------------------------


def reset_postgres(url: str, directory: Path) -> None:
    """Every table dropped, then ``kawal db upgrade`` and ``kawal seed-demo``: the same start for each run."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
    finally:
        engine.dispose()
    seed_kawal(directory, url)


def count_postgres_cases(url: str) -> int:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return int(connection.execute(text("SELECT count(*) FROM cases")).scalar_one())
    finally:
        engine.dispose()


# -- one run -------------------------------------------------------------------------------------

ServerFactory = Callable[[Path, FakeTelegramApi, FakeTwilioApi], ServerProcess]


def answer_without_nagle() -> None:
    """Answer from the fakes without Nagle's delay: a fake writes headers and body separately, and with Nagle on,
    the client's delayed ACK holds the body ~40 ms, which a bot sending one message at a time (PTB) pays per message."""
    _http._Handler.disable_nagle_algorithm = True


def scheduler_states(servers: list[ServerProcess]) -> list[str]:
    """Each server's scheduler state once every one has asked for the lead (a standby answers after its first round)."""
    states: list[str] = []
    with httpx.Client(timeout=5) as client:
        for _ in range(50):
            states = [str(client.get(f"{server.base_url}/readyz").json().get("scheduler", "")) for server in servers]
            if "active" in states:
                break
            time.sleep(0.1)
    return states


def run_system(
    name: str, make_server: ServerFactory, directory: Path, people: int, expected: list[list[str]],
    *, channel: load_.Channel = TELEGRAM, processes: int = 1, crash: bool = False, recovery_wait: float = 0.0,
    reports: Callable[[], int] = lambda: -1, rate: float | None = None, staggered: bool = False,
) -> Figures:  # fmt: skip
    """Start the server(s), drive the load (killing and restarting the first half-way when ``crash``), wait for the
    replies.

    After a crash, replies still missing once none came for 10 s are waited for until ``recovery_wait`` seconds
    after the kill (for Kawal: until the delivery leases the killed process held have run out, when another worker
    takes those rows again). Both counts are kept (``early`` and the final one)."""
    batches = load_.rounds(people, channel, staggered=staggered)
    posts = sum(len(batch) for batch in batches)
    chats = {channel.chat(person): person for person in range(people)}
    want = people * sum(len(turn) for turn in expected)
    with (
        FakeTelegramApi(token=TOKEN) as fake_telegram,
        FakeTwilioApi(account_sid=TWILIO_SID, auth_token=TWILIO_TOKEN) as fake_twilio,
    ):
        servers = [make_server(directory, fake_telegram, fake_twilio) for _ in range(processes)]
        readies = [server.start() for server in servers]
        warm = [server.wait_until_warm() for server in servers]  # the load measures the service, not its start
        server = servers[0]
        restart: dict[str, float] = {}
        restarter: list[threading.Thread] = []

        def sent() -> dict[load_.Chat, list[tuple[float, str]]]:
            return channel.replies(fake_telegram, fake_twilio, set(chats))

        def kill_and_restart() -> None:
            server.kill()
            restart["killed_at"] = time.monotonic()
            restart["ready"] = server.start()

        def on_answered(done: int) -> None:
            if crash and done == posts // 2:
                restarter.append(threading.Thread(target=kill_and_restart, name="e2e-restart"))
                restarter[0].start()

        try:
            schedulers = scheduler_states(servers) if processes > 1 else []
            cpu_before = sum(cpu_seconds(each.pid) for each in servers)
            client_cpu_before = time.process_time()
            machine_before = machine_busy_seconds()
            started = time.monotonic()
            load = load_.drive([each.base_url for each in servers], batches, on_answered=on_answered, rate=rate)
            for thread in restarter:
                thread.join()
            load_.wait_for_replies(sent, want, idle=10.0, cap=180.0)
            replies_now = sent()
            last_reply = max((at for chat in replies_now.values() for at, _ in chat), default=started) - started
            early = load_.compare(replies_now, expected, load, chats)
            waited = crash and bool(early.missing) and recovery_wait > 0
            if waited:
                until = restart.get("killed_at", time.monotonic()) + recovery_wait
                load_.wait_for_replies(sent, want, idle=until - time.monotonic(), cap=until - time.monotonic())
            cpu = sum(cpu_seconds(each.pid) for each in servers) - cpu_before
            client_cpu = time.process_time() - client_cpu_before
            cores_busy = (machine_busy_seconds() - machine_before) / (time.monotonic() - started)
            rss = max(peak_rss_mb(each.pid) for each in servers)
        finally:
            for each in servers:
                each.stop()
        replies = sent()
        errors = [*fake_telegram.errors, *fake_twilio.errors]
    if errors:
        print(f"  {name}: the fake providers raised {errors[:3]!r}", file=sys.stderr)
    delivery = load_.compare(replies, expected, load, chats)
    return Figures(
        name, people, posts, load, delivery, want, sum(len(v) for v in replies.values()), cpu, rss,
        statistics.median(readies), statistics.median(warm), restart.get("ready", float("nan")), early if waited else None,
        recovery_wait if waited else 0.0, reports(), channel.name, processes, last_reply, schedulers, client_cpu,
        cores_busy,
    )  # fmt: skip


# -- printing ------------------------------------------------------------------------------------


def _replies_line(figures: Figures, d: load_.Delivery | None = None) -> str:
    d = d or figures.delivery
    line = (
        f"replies {figures.sent_replies} sent of {figures.expected_replies} expected: "
        f"{sum(d.missing.values())} missing (in {d.chats_missing} chats), "
        f"{sum(d.duplicated.values())} sent more often than expected (in {d.chats_duplicated} chats: duplicates, "
        f"or answers from a conversation that lost its place), {d.chats_out_of_order} chats out of order; "
        f"reports stored {figures.reports} of {figures.people}"
    )
    for label, counter in (("missing", d.missing), ("extra", d.duplicated)):
        for text, count in counter.most_common(3):
            line += f"\n    {label} {count}x: {text[:70]!r}"
    if figures.load.failed:
        line += f"\n    {len(figures.load.failed)} posts never answered 200, e.g. {figures.load.failed[0]}"
    return line


def report(figures: Figures, *, by_turn: bool = False) -> None:
    web50, web99 = load_.p50_p99_ms(figures.load.latencies)
    first50, first99 = load_.p50_p99_ms(figures.delivery.first_reply)
    last50, last99 = load_.p50_p99_ms(figures.delivery.last_reply)
    print(
        f"end_to_end {figures.name}: {figures.people} people x {len(load_.TURNS)} turns = {figures.posts} signed "
        f"{figures.channel} webhooks from {load_.CONCURRENCY} clients in {figures.load.seconds:.1f} s = "
        f"{figures.rate:.0f} messages/s accepted ({figures.load.retries} posts retried)\n"
        f"  server CPU {figures.cpu_seconds:.1f} s = {figures.cpu_ms_per_message:.1f} ms per inbound message; "
        f"webhook p50 {web50:.0f} ms, p99 {web99:.0f} ms; inbound to first reply sent p50 {first50:.0f} ms, "
        f"p99 {first99:.0f} ms; to last reply of the turn p50 {last50:.0f} ms, p99 {last99:.0f} ms; "
        f"peak RSS {figures.peak_rss_mb:.0f} MB; ready {figures.ready_seconds:.1f} s after start "
        f"(place names read {figures.warm_seconds:.1f} s later; the load began then)\n"
        f"  {_replies_line(figures)}",
        flush=True,
    )
    if by_turn:
        turns = ", ".join(
            f"{turn} {load_.TURNS[turn]!r} {'/'.join(format(ms, '.0f') for ms in load_.p50_p99_ms(figures.load.by_turn[turn]))}"
            for turn in sorted(figures.load.by_turn)
        )
        print(f"  webhook p50/p99 ms by turn (7: the report is sent, its case opened): {turns}", flush=True)


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


def report_processes(one: Figures, two: Figures) -> None:
    for figures in (one, two):
        print(
            f"end_to_end postgresql, {figures.processes} kawal serve process{'es' if figures.processes > 1 else ''}: "
            f"{figures.posts} {figures.channel} webhooks from {load_.CONCURRENCY} clients; {figures.rate:.0f} messages/s "
            f"accepted, {figures.handled_rate:.0f} messages/s handled end to end (last reply {figures.last_reply_seconds:.1f} s "
            f"after the first post); server CPU {figures.cpu_ms_per_message:.1f} ms per message, clients and fakes "
            f"{figures.client_cpu_seconds * 1000 / figures.posts:.1f} ms per message; the machine's cores busy "
            f"{figures.cores_busy:.2f} of {os.cpu_count()} on average"
            + (f"; scheduler {' / '.join(figures.schedulers)}" if figures.schedulers else "")
            + f"\n  {_replies_line(figures)}",
            flush=True,
        )
    accepted = two.rate / one.rate if one.rate else float("nan")
    handled = two.handled_rate / one.handled_rate if one.handled_rate else float("nan")
    print(
        f"end_to_end postgresql two processes / one: messages/s accepted {accepted:.2f}x, handled end to end "
        f"{handled:.2f}x (target >= {TWO_PROCESS_TARGET}x: {'met' if handled >= TWO_PROCESS_TARGET else 'NOT met'}); "
        f"processes running the scheduler: {two.schedulers.count('active')} of {two.processes}",
        flush=True,
    )


def run_processes(url: str, root: Path, people: int, expected: list[list[str]]) -> tuple[Figures, Figures]:
    """The Telegram load against one ``kawal serve``, then two, on a freshly seeded PostgreSQL database each."""
    results = []
    for processes in (1, 2):
        directory = root / f"postgres-{processes}"
        reset_postgres(url, directory)
        demo_cases = count_postgres_cases(url)

        def server(path: Path, telegram: FakeTelegramApi, twilio: FakeTwilioApi) -> ServerProcess:
            return kawal_server(path, telegram, twilio, url)

        def reports(demo_cases: int = demo_cases) -> int:
            return count_postgres_cases(url) - demo_cases

        results.append(run_system("kawal", server, directory, people, expected, processes=processes, reports=reports))
    return results[0], results[1]


def run(*, quick: bool = False, full: bool = False, postgres_url: str = "") -> int:
    people = FULL_PEOPLE if full else QUICK_PEOPLE if quick else PEOPLE
    crash_people = QUICK_CRASH_PEOPLE if quick else CRASH_PEOPLE
    postgres_url = postgres_url or os.environ.get(POSTGRES_ENV, "")
    answer_without_nagle()
    with tempfile.TemporaryDirectory(prefix="kawal-e2e-") as name:
        root = Path(name)
        seeded = seed_kawal(root / "seed")
        kawal_texts = {channel.name: kawal_expected(seeded, root / f"reference-{channel.name}", channel) for channel in (TELEGRAM, WHATSAPP)}
        ptb_texts = ptb_expected_replies(load_.VILLAGE, load_.HOUSEHOLD)

        def kawal_run(
            directory: Path, count: int, crash: bool, channel: load_.Channel = TELEGRAM, rate: float | None = None,
            staggered: bool = False,
        ) -> Figures:
            directory.mkdir()
            copy_sqlite(seeded, directory / "kawal.db")
            wait = lease_seconds() + 20.0 if crash else 0.0
            demo_cases = count_rows(seeded, "cases")
            return run_system(
                "kawal", kawal_server, directory, count, kawal_texts[channel.name], channel=channel, crash=crash,
                recovery_wait=wait, reports=lambda: count_rows(directory / "kawal.db", "cases") - demo_cases, rate=rate,
                staggered=staggered,
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
        kawal_whatsapp = kawal_run(root / "kawal-whatsapp", people, False, WHATSAPP)
        report(kawal_whatsapp)
        paced = kawal_run(root / "kawal-paced", people, False, rate=PACED_RATE)
        report(replace(paced, name=f"kawal paced at {PACED_RATE:.0f} messages/s, everyone at the same step"), by_turn=True)
        mixed = kawal_run(root / "kawal-paced-mixed", people, False, rate=PACED_RATE, staggered=True)
        report(replace(mixed, name=f"kawal paced at {PACED_RATE:.0f} messages/s, people at different steps"), by_turn=True)
        report_crash(kawal_run(root / "kawal-crash", crash_people, True))
        report_crash(ptb_run(root / "ptb-crash", crash_people, True))
        checked = [kawal, ptb, kawal_whatsapp, paced, mixed]
        if postgres_url:
            one, two = run_processes(postgres_url, root, people, kawal_texts[TELEGRAM.name])
            report_processes(one, two)
            checked += [one, two]
        else:
            print(f"end_to_end postgresql two processes: skipped ({POSTGRES_ENV} is not set)", flush=True)
    failed = [f"{figures.name} {figures.channel} ({figures.processes} process(es))" for figures in checked if figures.broken]
    for name in failed:
        print(
            f"  FAILED: {name}: replies missing, duplicated or out of order, posts not accepted, or two schedulers "
            "active, without a crash",
            file=sys.stderr,
        )
    return 1 if failed else 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="python -m benchmarks.end_to_end")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--full", action="store_true")
    parser.add_argument("--postgres", default="", help=f"a PostgreSQL URL for the two-process run (or {POSTGRES_ENV})")
    arguments = parser.parse_args()
    sys.exit(run(quick=arguments.quick, full=arguments.full, postgres_url=arguments.postgres))
