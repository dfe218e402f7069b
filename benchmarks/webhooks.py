"""Webhook throughput: signed provider posts → the real app under uvicorn → commit → outbox rows.

Run: ``make bench`` or ``.venv/bin/python -m benchmarks [--quick | --full]``.

The real service (``create_app(settings, background=False)``: no outbox worker, so
nothing is sent) runs under uvicorn in a background thread of this process, on
127.0.0.1 and a free port, configured for Telegram (webhook secret; the Bot API
is a local ``FakeTelegramApi``, which answers the ``getMe`` at start) and for
WhatsApp through Twilio (the REST API is a local ``FakeTwilioApi``).

100 simulated people (50 with ``--quick``, 500 with ``--full``), half on Telegram and half on
WhatsApp, each write four turns: ``halo`` → ``1`` (consent) → ``1`` (language) →
``pasteur`` (a village). Telegram turns are JSON updates shaped like
``tests/fixtures/telegram/message_text.json`` with the secret-token header and
unique ``update_id``s and user ids; WhatsApp turns are form posts shaped like
``tests/fixtures/twilio/inbound_text.json`` with unique ``MessageSid``s and
``From`` numbers (valid Indonesian mobiles, ``+62812…``), each signed with
Twilio's ``RequestValidator`` over ``public_base_url + "/webhooks/whatsapp"``.
Bodies and signatures are built before the clock starts.

The posts go round by round (everyone's first turn, then everyone's second, ...;
people shuffled with a fixed seed within a round; a round starts when the previous
one has been answered, so one person's turns never overlap) from the benchmark's
main thread through a pool of 8 concurrent clients (threads, each with its own
keep-alive ``httpx.Client``). The clients share the process, and so the GIL, with
the server: the figures are a floor for a server that has its CPU to itself.

The clock starts once ``/readyz`` says the place names are read (about a second after the start).
Measured: latency per post on the client (request sent → 200 received; a 200 means
the inbound is committed with its replies in the outbox) as p50 and p99, and
throughput = posts / wall time of all rounds.

Runs on a fresh SQLite file in a temporary directory, then on PostgreSQL when
``KAWAL_BENCH_POSTGRES_URL`` is set (ALL TABLES IN THAT DATABASE ARE DROPPED first).
Afterwards every post must have been answered 200, the database must hold exactly
one processed inbound row per post and exactly the outbox rows that the same turns
produce through ``Pipeline.handle`` directly (a reference run of one person per
channel on a copy of the freshly migrated SQLite file, times the number of people),
all still queued, and the fake providers must have received no message; otherwise
exit status 1. A missed target is reported but does not fail the run.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import httpx
import uvicorn
from sqlalchemy import func, select
from telegram import Update
from twilio.request_validator import RequestValidator

from app.clock import Clock
from app.config import Settings, load_settings
from app.database_setup import upgrade_database
from app.db import Database
from app.models import InboundMessage, OutboundMessage
from app.people.phones import normalize_phone
from app.pipeline import Pipeline
from app.runtime import Runtime
from app.web import create_app
from benchmarks._common import copy_sqlite, private_text_update
from benchmarks.pipeline import POSTGRES_ENV, reset_postgres
from bot import telegram as tg
from bot import whatsapp as wa
from tests.fakes.telegram_api import FakeTelegramApi
from tests.fakes.twilio_api import FakeTwilioApi

FULL_PEOPLE, PEOPLE, QUICK_PEOPLE = 500, 100, 50  # --full, make bench, --quick
TURNS = ("halo", "1", "1", "pasteur")
CONCURRENCY = 8
TARGET_RATE = 200.0
SEED = 20250303
SECRET_KEY = "bench-secret-key-123456"
PUBLIC_URL = "https://kawal.example.org"
WHATSAPP_PATH, TELEGRAM_PATH = "/webhooks/whatsapp", "/webhooks/telegram"
TELEGRAM_TOKEN = "123456789:AAF-kawal-bansos-bench-token_0123456"
TELEGRAM_SECRET = "telegram-bench-secret-0123456789"
TWILIO_SID = "AC" + "0123456789abcdef" * 2
TWILIO_TOKEN = "fedcba9876543210" * 2
TWILIO_FROM = "whatsapp:+14155238886"
TELEGRAM_USER_BASE = 700_000_000
UPDATE_ID_BASE = 900_000_000
DATE = 1_795_412_460  # the fixture's Unix time


@dataclass(frozen=True)
class Post:
    """One prepared webhook request."""

    channel: str
    person: int
    turn: int
    path: str
    content: bytes
    headers: dict[str, str]


@dataclass
class Run:
    latencies: list[float] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0


# -- the requests ------------------------------------------------------------------------------


def channel_of(person: int) -> str:
    return tg.CHANNEL if person % 2 == 0 else wa.CHANNEL


def phone(person: int) -> str:
    """``+62812`` and eight digits, checked to be a valid Indonesian mobile number."""
    number = normalize_phone(f"+62812{10_000_000 + person:08d}")
    if number is None:
        raise ValueError(f"person {person}: not a valid Indonesian mobile number")
    return number


def telegram_update(person: int, turn: int) -> dict:  # type: ignore[type-arg]
    """An Update like ``tests/fixtures/telegram/message_text.json``: a private text message."""
    return private_text_update(
        update_id=UPDATE_ID_BASE + person * len(TURNS) + turn, user=TELEGRAM_USER_BASE + person, person=person,
        message_id=turn + 1, date=DATE + turn, text=TURNS[turn],
    )


def whatsapp_form(person: int, turn: int) -> dict[str, str]:
    """Form fields like ``tests/fixtures/twilio/inbound_text.json``: a text from a WhatsApp user."""
    number = phone(person)
    wa_id = number.removeprefix("+")
    sid = f"SM{person:016x}{turn:016x}"
    profile = f"Bu Bench {person}"
    metadata = {"type": "whatsapp", "data": {"context": {"ProfileName": profile, "WaId": wa_id}}}
    return {
        "SmsMessageSid": sid,
        "NumMedia": "0",
        "ProfileName": profile,
        "MessageType": "text",
        "SmsSid": sid,
        "WaId": wa_id,
        "SmsStatus": "received",
        "Body": TURNS[turn],
        "To": TWILIO_FROM,
        "NumSegments": "1",
        "ReferralNumMedia": "0",
        "MessageSid": sid,
        "AccountSid": TWILIO_SID,
        "ChannelMetadata": json.dumps(metadata, separators=(",", ":")),
        "From": f"whatsapp:{number}",
        "ApiVersion": "2010-04-01",
    }


def prepare(person: int, turn: int, validator: RequestValidator) -> Post:
    if channel_of(person) == tg.CHANNEL:
        content = json.dumps(telegram_update(person, turn)).encode()
        headers = {"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": TELEGRAM_SECRET}
        return Post(tg.CHANNEL, person, turn, TELEGRAM_PATH, content, headers)
    form = whatsapp_form(person, turn)
    signature = validator.compute_signature(PUBLIC_URL + WHATSAPP_PATH, form)
    headers = {"Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": signature}
    return Post(wa.CHANNEL, person, turn, WHATSAPP_PATH, urlencode(form).encode(), headers)


def rounds(people: int) -> list[list[Post]]:
    """Everyone's first turn, then everyone's second, ...; shuffled within a round."""
    rng = random.Random(SEED)
    validator = RequestValidator(TWILIO_TOKEN)
    result = []
    for turn in range(len(TURNS)):
        order = list(range(people))
        rng.shuffle(order)
        result.append([prepare(person, turn, validator) for person in order])
    return result


# -- the service -------------------------------------------------------------------------------


def bench_settings(database_url: str, directory: Path, fake_telegram: FakeTelegramApi, fake_twilio: FakeTwilioApi) -> Settings:
    return load_settings(
        database_url=database_url,
        secret_key=SECRET_KEY,
        media_dir=directory / "media",
        public_base_url=PUBLIC_URL,
        telegram_bot_token=TELEGRAM_TOKEN,
        telegram_webhook_secret=TELEGRAM_SECRET,
        telegram_api_url=fake_telegram.url,
        twilio_account_sid=TWILIO_SID,
        twilio_auth_token=TWILIO_TOKEN,
        twilio_whatsapp_from=TWILIO_FROM,
        twilio_api_url=fake_twilio.url,
    )


class Service:
    """The app under uvicorn in a background thread, on 127.0.0.1 and a free port."""

    def __init__(self, settings: Settings) -> None:
        config = uvicorn.Config(
            create_app(settings, background=False),
            host="127.0.0.1",
            port=0,
            lifespan="on",
            log_level="warning",
            access_log=False,
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, name="uvicorn", daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                self.server.should_exit = True
                self.thread.join(timeout=10)
                raise RuntimeError("uvicorn did not start (see the log above)")
            time.sleep(0.01)
        port = self.server.servers[0].sockets[0].getsockname()[1]
        url = f"http://127.0.0.1:{port}"
        while httpx.get(f"{url}/readyz", timeout=5).json().get("place_names") == "reading":  # the service, not its start
            if time.monotonic() > deadline:
                raise RuntimeError("the place names were not read within 30 s")
            time.sleep(0.01)
        return url

    def __exit__(self, *_: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=30)
        if self.thread.is_alive():
            raise RuntimeError("uvicorn did not stop within 30 s")


# -- the timed part ----------------------------------------------------------------------------


def post_all(base_url: str, batches: list[list[Post]]) -> Run:
    """Post round by round through ``CONCURRENCY`` clients (threads, one keep-alive connection each), timing each request."""
    run = Run()
    local = threading.local()
    clients: list[httpx.Client] = []

    def client() -> httpx.Client:
        if not hasattr(local, "client"):
            local.client = httpx.Client(base_url=base_url, timeout=60)
            clients.append(local.client)
        return local.client  # type: ignore[no-any-return]

    def send(post: Post) -> None:
        name = f"{post.channel} person {post.person} turn {post.turn}"
        started = time.perf_counter()
        try:
            response = client().post(post.path, content=post.content, headers=post.headers)
        except httpx.HTTPError as error:
            run.problems.append(f"{name}: {error!r}")
            return
        run.latencies.append(time.perf_counter() - started)
        if response.status_code != 200:
            run.problems.append(f"{name}: HTTP {response.status_code} {response.text[:200]}")

    try:
        with ThreadPoolExecutor(CONCURRENCY, thread_name_prefix="bench-client") as pool:
            started = time.perf_counter()
            for batch in batches:
                list(pool.map(send, batch))  # the round ends when every post of it is answered
            run.seconds = time.perf_counter() - started
    finally:
        for each in clients:
            each.close()
    return run


def report(backend: str, posts: list[Post], run: Run) -> None:
    telegram = sum(1 for post in posts if post.channel == tg.CHANNEL)
    rate = len(posts) / run.seconds
    if len(run.latencies) >= 2:
        cuts = statistics.quantiles(run.latencies, n=100, method="inclusive")
        p50, p99 = cuts[49] * 1000, cuts[98] * 1000
    else:
        p50 = p99 = float("nan")
    met = rate >= TARGET_RATE and not run.problems
    print(
        f"webhooks {backend}: {len(posts)} signed posts ({telegram} telegram, {len(posts) - telegram} whatsapp) "
        f"in {run.seconds:.1f} s = {rate:.0f} messages/s from {CONCURRENCY} clients; "
        f"latency p50 {p50:.0f} ms, p99 {p99:.0f} ms (target: >= {TARGET_RATE:.0f} messages/s) {'met' if met else 'NOT MET'}",
        flush=True,
    )


# -- what to expect, and the check -------------------------------------------------------------


def replies_per_person(settings: Settings) -> dict[str, int]:
    """Outbox rows one person's four turns produce, per channel, through ``Pipeline.handle`` directly."""
    database = Database(settings)
    try:
        pipeline = Pipeline(database, Runtime.build(settings, database))
        clock, replies = Clock(), {}
        for person, channel in ((0, tg.CHANNEL), (1, wa.CHANNEL)):
            replies[channel] = 0
            for turn in range(len(TURNS)):
                if channel == tg.CHANNEL:
                    parsed = tg.parse_update(Update.de_json(telegram_update(person, turn), None))
                else:
                    parsed = wa.parse_form(whatsapp_form(person, turn))
                assert isinstance(parsed, tg.Incoming | wa.Incoming), parsed
                outcome = pipeline.handle(parsed.envelope, now=clock.now())
                if outcome.status != "processed":
                    raise RuntimeError(f"reference run: {channel} turn {turn} ({TURNS[turn]!r}): {outcome}")
                replies[channel] += outcome.replies
        return replies
    finally:
        database.dispose()


def check(
    database: Database, posts: list[Post], run: Run, expected: dict[str, int],
    fake_telegram: FakeTelegramApi, fake_twilio: FakeTwilioApi,
) -> list[str]:  # fmt: skip
    """Count what the run left in the database and at the fakes; a list of what is wrong."""
    people = {channel: len({p.person for p in posts if p.channel == channel}) for channel in expected}
    sent = {channel: sum(1 for p in posts if p.channel == channel) for channel in expected}
    with database.transaction() as db:
        inbound = dict(
            db.execute(
                select(InboundMessage.channel, func.count(InboundMessage.id))
                .where(InboundMessage.status == "processed")
                .group_by(InboundMessage.channel)
            ).all()
        )
        inbound_total = db.scalar(select(func.count(InboundMessage.id)))
        outbox = dict(
            db.execute(select(OutboundMessage.channel, func.count(OutboundMessage.id)).group_by(OutboundMessage.channel)).all()
        )
        not_queued = db.scalar(select(func.count(OutboundMessage.id)).where(OutboundMessage.status != "queued"))
    want_out = {channel: expected[channel] * people[channel] for channel in expected}
    delivered = len(fake_telegram.calls_to("sendMessage")) + len(fake_twilio.messages)
    print(
        f"  check: {len(run.latencies) - sum('HTTP' in p for p in run.problems)}/{len(posts)} answered 200; "
        f"inbound rows processed {inbound.get(tg.CHANNEL, 0)}+{inbound.get(wa.CHANNEL, 0)} of {inbound_total} "
        f"(expected {sent[tg.CHANNEL]}+{sent[wa.CHANNEL]}); "
        f"outbox rows {outbox.get(tg.CHANNEL, 0)}+{outbox.get(wa.CHANNEL, 0)} "
        f"(expected {want_out[tg.CHANNEL]}+{want_out[wa.CHANNEL]}: {expected[tg.CHANNEL]} and {expected[wa.CHANNEL]} "
        f"per telegram and whatsapp person), {not_queued} not queued; {delivered} sent to the fake providers",
        flush=True,
    )
    errors = list(run.problems[:5])
    if len(run.problems) > 5:
        errors.append(f"... and {len(run.problems) - 5} more posts not answered 200")
    for channel in expected:
        if inbound.get(channel, 0) != sent[channel]:
            errors.append(f"{inbound.get(channel, 0)} processed {channel} inbound rows, expected {sent[channel]}")
        if outbox.get(channel, 0) != want_out[channel]:
            errors.append(f"{outbox.get(channel, 0)} {channel} outbox rows, expected {want_out[channel]}")
    if inbound_total != len(posts):
        errors.append(f"{inbound_total} inbound rows in all, expected {len(posts)}")
    if set(outbox) - set(expected):
        errors.append(f"outbox rows for other channels: {sorted(set(outbox) - set(expected))}")
    if not_queued or delivered:
        errors.append(
            f"{not_queued} outbox rows left the queue and {delivered} messages reached a provider; nothing should be sent"
        )
    return errors


def bench(backend: str, settings: Settings, batches: list[list[Post]], expected: dict[str, int],
          fake_telegram: FakeTelegramApi, fake_twilio: FakeTwilioApi) -> int:  # fmt: skip
    """Run the service, post every round, print the figures; 1 when the sanity check fails."""
    posts = [post for batch in batches for post in batch]
    with Service(settings) as base_url:
        run = post_all(base_url, batches)
    report(backend, posts, run)
    database = Database(settings)
    try:
        errors = check(database, posts, run, expected, fake_telegram, fake_twilio)
    finally:
        database.dispose()
    errors += [f"fake provider raised: {error!r}" for error in (*fake_telegram.errors, *fake_twilio.errors)]
    for error in errors:
        print(f"  FAILED ({backend}): {error}", file=sys.stderr)
    return 1 if errors else 0


def run(*, quick: bool = False, full: bool = False) -> int:
    people = FULL_PEOPLE if full else QUICK_PEOPLE if quick else PEOPLE
    batches = rounds(people)
    postgres_url = os.environ.get(POSTGRES_ENV)
    with (
        tempfile.TemporaryDirectory(prefix="kawal-bench-") as name,
        FakeTelegramApi(token=TELEGRAM_TOKEN) as fake_telegram,
        FakeTwilioApi(account_sid=TWILIO_SID, auth_token=TWILIO_TOKEN) as fake_twilio,
    ):
        directory = Path(name)
        settings = bench_settings(f"sqlite:///{directory}/bench.db", directory, fake_telegram, fake_twilio)
        upgrade_database(settings)
        copy_sqlite(directory / "bench.db", directory / "reference.db")
        reference = bench_settings(f"sqlite:///{directory}/reference.db", directory, fake_telegram, fake_twilio)
        expected = replies_per_person(reference)
        status = bench("sqlite", settings, batches, expected, fake_telegram, fake_twilio)
        if status != 0:
            return status
        if not postgres_url:
            print(f"webhooks postgresql: skipped ({POSTGRES_ENV} is not set)", flush=True)
            return 0
        settings = bench_settings(postgres_url, directory, fake_telegram, fake_twilio)
        reset_postgres(settings)
        upgrade_database(settings)
        return bench("postgresql", settings, batches, expected, fake_telegram, fake_twilio)
