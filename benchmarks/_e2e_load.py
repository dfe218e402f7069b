"""The end-to-end workload: people doing the lost-card report over signed webhooks, and what came back.

Two channels (``TelegramLoad``, ``WhatsAppLoad``): a Telegram update with the webhook's secret token, or a Twilio
WhatsApp form signed with the account's auth token (``X-Twilio-Signature``, over the public URL), as the providers
send them. Each person (a private Telegram chat, or a WhatsApp number) writes ``TURNS``, the eleven messages of a
new person's lost-card report (consent, village, report, KKS lost, household name, no letter yet, send, then
STATUS, the menu and its status entry). Posts go round by round (everyone's first turn, then everyone's
second, ...; people shuffled with a fixed seed within a round; a round starts when every post of the one before
was answered 200, so one person's turns never overlap) through ``CONCURRENCY`` clients, each with its own keep-alive connection per server (with two
servers, each person's posts go to one of them: the load is split by chat). Like Telegram, a post that is not
answered 200 (an error, a refused connection while the server restarts) is posted again.

Replies are read from the fake Bot API's record of ``sendMessage`` calls, or the fake Twilio API's messages (each
stamped on arrival) and compared, chat by chat, with the texts expected for each turn: a text expected but not
sent is *missing*, one sent more often than expected is *duplicated*; a chat that got exactly the texts expected,
in another order than expected, is *out of order*. Report numbers are masked (``KB-X``) before comparing.
"""

from __future__ import annotations

import json
import random
import re
import statistics
import threading
import time
from collections import Counter
from collections.abc import Callable, Hashable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar
from urllib.parse import urlencode

import httpx
from twilio.request_validator import RequestValidator

from benchmarks._common import private_text_update
from tests.fakes.telegram_api import FakeTelegramApi
from tests.fakes.twilio_api import FakeTwilioApi

TURNS = ("halo", "1", "pasteur", "lapor", "1", "Siti Aminah", "belum", "1", "status", "menu", "2")
VILLAGE, HOUSEHOLD = TURNS[2], TURNS[5]
CONCURRENCY = 8
SEED = 20261202
USER_BASE = 830_000_000
UPDATE_BASE = 930_000_000
DATE = 1_795_412_460
PATH = "/webhooks/telegram"
WHATSAPP_PATH = "/webhooks/whatsapp"
WHATSAPP_TO = "whatsapp:+14155238886"
_REFERENCE = re.compile(r"KB-[A-Z0-9]{5}")
Chat = Hashable
"""A Telegram chat id, or a WhatsApp number (``+62…``)."""
C = TypeVar("C", bound=Hashable)


def chat_id(person: int) -> int:
    return USER_BASE + person


def phone(person: int) -> str:
    """A WhatsApp number of its own for each person (not a demo persona's)."""
    return f"+628579{person:07d}"


def whatsapp_form(person: int, turn: int) -> dict[str, str]:
    """A Twilio WhatsApp text message, shaped like ``tests/fixtures/twilio/inbound_text.json``."""
    sid = f"SM{UPDATE_BASE + person * len(TURNS) + turn:032x}"
    number = phone(person)
    return {
        "SmsMessageSid": sid, "NumMedia": "0", "ProfileName": f"Siti Bench {person}", "MessageType": "text",
        "SmsSid": sid, "WaId": number[1:], "SmsStatus": "received", "Body": TURNS[turn], "To": WHATSAPP_TO,
        "NumSegments": "1", "ReferralNumMedia": "0", "MessageSid": sid, "AccountSid": "AC" + "0" * 32,
        "From": f"whatsapp:{number}", "ApiVersion": "2010-04-01",
    }  # fmt: skip


def update(person: int, turn: int) -> dict[str, Any]:
    """A private text message, shaped like ``tests/fixtures/telegram/message_text.json``."""
    return private_text_update(
        update_id=UPDATE_BASE + person * len(TURNS) + turn, user=chat_id(person), person=person, message_id=turn + 1,
        date=DATE + turn, text=TURNS[turn],
    )


@dataclass(frozen=True)
class Post:
    person: int
    turn: int
    content: bytes
    path: str = PATH
    headers: tuple[tuple[str, str], ...] = ()


class Channel(Protocol):
    @property
    def name(self) -> str: ...

    def post(self, person: int, turn: int) -> Post: ...

    def chat(self, person: int) -> Chat: ...

    def replies(self, telegram: FakeTelegramApi, twilio: FakeTwilioApi, chats: set[Chat]) -> dict[Chat, list[tuple[float, str]]]:
        """(arrival time, masked text) of each reply to the given chats, in arrival order."""
        ...


@dataclass(frozen=True)
class TelegramLoad:
    secret: str
    name: str = "Telegram"

    def post(self, person: int, turn: int) -> Post:
        headers = (("Content-Type", "application/json"), ("X-Telegram-Bot-Api-Secret-Token", self.secret))
        return Post(person, turn, json.dumps(update(person, turn)).encode(), PATH, headers)

    def chat(self, person: int) -> Chat:
        return chat_id(person)

    def replies(self, telegram: FakeTelegramApi, twilio: FakeTwilioApi, chats: set[Chat]) -> dict[Chat, list[tuple[float, str]]]:
        return sent_by_chat(telegram, chats)


@dataclass(frozen=True)
class WhatsAppLoad:
    public_url: str
    auth_token: str
    name: str = "WhatsApp"

    def post(self, person: int, turn: int) -> Post:
        form = whatsapp_form(person, turn)
        signature = RequestValidator(self.auth_token).compute_signature(self.public_url + WHATSAPP_PATH, form)
        headers = (("Content-Type", "application/x-www-form-urlencoded"), ("X-Twilio-Signature", signature))
        return Post(person, turn, urlencode(form).encode(), WHATSAPP_PATH, headers)

    def chat(self, person: int) -> Chat:
        return phone(person)

    def replies(self, telegram: FakeTelegramApi, twilio: FakeTwilioApi, chats: set[Chat]) -> dict[Chat, list[tuple[float, str]]]:
        result: dict[Chat, list[tuple[float, str]]] = {chat: [] for chat in chats}
        for message in list(twilio.messages):
            number = (message.to or "").removeprefix("whatsapp:")
            if number in result:
                result[number].append((message.at, mask(message.body or "")))
        return result


def rounds(people: int, channel: Channel | None = None, *, staggered: bool = False) -> list[list[Post]]:
    """Everyone's first turn, then everyone's second, ...; Telegram unless another channel is given.

    ``staggered``: people start one round apart in turn (person ``p`` after ``p % len(TURNS)`` rounds), so each
    round mixes every step of the report, as when people write at their own pace; a person's turns still come one
    round after the other."""
    chosen: Channel = channel or TelegramLoad("")
    rng = random.Random(SEED)
    start = [person % len(TURNS) if staggered else 0 for person in range(people)]
    result = []
    for index in range(len(TURNS) + max(start)):
        order = [person for person in range(people) if 0 <= index - start[person] < len(TURNS)]
        rng.shuffle(order)
        result.append([chosen.post(person, index - start[person]) for person in order])
    return result


@dataclass
class Load:
    """What the clients saw: per post the time of its first attempt, latencies of 200 answers, retries."""

    first_sent: dict[tuple[int, int], float] = field(default_factory=dict)
    latencies: list[float] = field(default_factory=list)
    by_turn: dict[int, list[float]] = field(default_factory=dict)
    """The same latencies, by turn (``TURNS``)."""
    retries: int = 0
    failed: list[str] = field(default_factory=list)
    seconds: float = 0.0
    done: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    last_slot: float = float("-inf")
    """Paced runs: when the latest post was let go."""

    def wait_for_slot(self, rate: float) -> None:
        """Paced at ``rate`` posts a second, all clients together; a round that waited for the last does not
        catch up in a burst."""
        with self.lock:
            self.last_slot = max(self.last_slot + 1.0 / rate, time.monotonic())
            slot = self.last_slot
        time.sleep(max(0.0, slot - time.monotonic()))


def drive(
    base_urls: str | list[str], batches: list[list[Post]], *, give_up_after: float = 90.0,
    on_answered: Callable[[int], None] | None = None, rate: float | None = None,
) -> Load:  # fmt: skip
    """Post every round, each person's posts to ``base_urls[person % len(base_urls)]``; ``on_answered(n)`` is called
    after each post answered 200 with how many are done. ``rate``: at most that many posts a second (else as fast as
    the clients go)."""
    servers = [base_urls] if isinstance(base_urls, str) else base_urls
    load = Load()
    local = threading.local()
    clients: list[httpx.Client] = []

    def client(person: int) -> httpx.Client:
        if not hasattr(local, "clients"):
            local.clients = {}
        server = servers[person % len(servers)]
        if server not in local.clients:
            local.clients[server] = httpx.Client(base_url=server, timeout=30)
            with load.lock:
                clients.append(local.clients[server])
        client: httpx.Client = local.clients[server]
        return client

    def send(post: Post) -> None:
        if rate:
            load.wait_for_slot(rate)
        deadline = time.monotonic() + give_up_after
        load.first_sent[(post.person, post.turn)] = time.monotonic()
        while True:
            started = time.monotonic()
            try:
                status = client(post.person).post(post.path, content=post.content, headers=dict(post.headers)).status_code
            except httpx.HTTPError as error:
                status, problem = 0, repr(error)
            else:
                problem = f"HTTP {status}"
            if status == 200:
                with load.lock:
                    load.latencies.append(time.monotonic() - started)
                    load.by_turn.setdefault(post.turn, []).append(load.latencies[-1])
                    load.done += 1
                    done = load.done
                if on_answered is not None:
                    on_answered(done)
                return
            if time.monotonic() > deadline:
                load.failed.append(f"person {post.person} turn {post.turn}: {problem}")
                return
            with load.lock:
                load.retries += 1
            time.sleep(0.1)

    try:
        with ThreadPoolExecutor(CONCURRENCY, thread_name_prefix="e2e-client") as pool:
            started = time.monotonic()
            for batch in batches:
                list(pool.map(send, batch))
            load.seconds = time.monotonic() - started
    finally:
        for each in clients:
            each.close()
    return load


def mask(text: str) -> str:
    return _REFERENCE.sub("KB-X", text)


def sent_by_chat(fake: FakeTelegramApi, chats: set[Chat]) -> dict[Chat, list[tuple[float, str]]]:
    """(arrival time, masked text) of each sendMessage to the given chats, in arrival order."""
    result: dict[Chat, list[tuple[float, str]]] = {chat: [] for chat in chats}
    for call in fake.calls_to("sendMessage"):
        if call.chat_id in result:
            result[call.chat_id].append((call.at, mask(str(call.params.get("text", "")))))
    return result


def wait_for_replies(sent: Callable[[], dict[Chat, list[tuple[float, str]]]], expected: int, *, idle: float, cap: float) -> float:
    """Wait until ``expected`` replies were ``sent()`` (then 1 s more, for late duplicates) or none came for ``idle`` s."""
    started = last_change = time.monotonic()
    count = -1
    while time.monotonic() - started < cap:
        now_count = sum(len(v) for v in sent().values())
        if now_count != count:
            count, last_change = now_count, time.monotonic()
        if count >= expected:
            time.sleep(1.0)
            break
        if time.monotonic() - last_change > idle:
            break
        time.sleep(0.2)
    return time.monotonic() - started


@dataclass
class Delivery:
    missing: Counter[str] = field(default_factory=Counter)
    duplicated: Counter[str] = field(default_factory=Counter)
    chats_missing: int = 0
    chats_duplicated: int = 0
    chats_out_of_order: int = 0
    first_reply: list[float] = field(default_factory=list)
    last_reply: list[float] = field(default_factory=list)


def compare(
    sent: Mapping[C, list[tuple[float, str]]], expected: list[list[str]], load: Load, person_of: Mapping[C, int]
) -> Delivery:
    """Missing and duplicated texts per chat, and chats that got them all in another order; for chats that got
    exactly what was expected, the time from each post to the first and to the last reply of its turn (replies in
    a chat are taken in order, turn by turn)."""
    sequence = [mask(text) for turn in expected for text in turn]
    want = Counter(sequence)
    result = Delivery()
    for chat, replies in sent.items():
        got = Counter(text for _, text in replies)
        missing, duplicated = want - got, got - want
        result.missing.update(missing)
        result.duplicated.update(duplicated)
        result.chats_missing += bool(missing)
        result.chats_duplicated += bool(duplicated)
        if missing or duplicated:
            continue
        result.chats_out_of_order += [text for _, text in replies] != sequence
        position = 0
        for turn, texts in enumerate(expected):
            if not texts:
                continue
            sent_at = load.first_sent.get((person_of[chat], turn))
            if sent_at is not None:
                result.first_reply.append(replies[position][0] - sent_at)
                result.last_reply.append(replies[position + len(texts) - 1][0] - sent_at)
            position += len(texts)
    return result


def p50_p99_ms(values: list[float]) -> tuple[float, float]:
    if len(values) < 2:
        return float("nan"), float("nan")
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return cuts[49] * 1000, cuts[98] * 1000
