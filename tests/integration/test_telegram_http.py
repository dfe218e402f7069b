"""``bot.telegram_http``: python-telegram-bot's transport on aiohttp, against the fake Bot API and broken servers.

What the delivery worker relies on: replies, keyboards and uploads arrive as PTB sends them; a request that never
left (connection refused) is told apart from one that may have reached Telegram (no answer); one ``Bot`` serves
successive event loops (each test, each ``asyncio.run``)."""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Iterator
from io import BytesIO

import pytest
from telegram import Bot

from bot.delivery import TransientFailure, may_have_arrived
from bot.telegram import TelegramSender, make_bot
from bot.telegram_http import AiohttpRequest
from tests.fakes.fixtures import TELEGRAM_TEST_TOKEN
from tests.fakes.telegram_api import FakeTelegramApi


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def silent_server() -> Iterator[str]:
    """Accepts connections and reads the request, never answers: a request that may have reached Telegram."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.1)
        while not stop.is_set():
            try:
                connection, _ = server.accept()
            except TimeoutError:
                continue
            held.append(connection)

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}"
    stop.set()
    thread.join()
    for connection in held:
        connection.close()
    server.close()


def send(bot: Bot, text: str, options: list[dict[str, str]] | None = None) -> str:
    async def go() -> str:
        async with bot:
            return await TelegramSender(bot, None).send("4242", {"text": text, "options": options or []})

    return asyncio.run(go())


def test_a_reply_with_its_keyboard_arrives_as_ptb_sends_it(fake_telegram: FakeTelegramApi) -> None:
    bot = make_bot(TELEGRAM_TEST_TOKEN, fake_telegram.url)
    message_id = send(bot, "Apa masalahnya?", [{"key": "cat:kks_lost", "label": "Kartu hilang"}])

    [call] = fake_telegram.calls_to("sendMessage")
    assert call.ok and message_id
    assert (call.chat_id, call.params["text"]) == (4242, "Apa masalahnya?")
    assert call.params["reply_markup"] == {"inline_keyboard": [[{"text": "1. Kartu hilang", "callback_data": "cat:kks_lost"}]]}


def test_one_bot_serves_one_event_loop_after_another(fake_telegram: FakeTelegramApi) -> None:
    bot = make_bot(TELEGRAM_TEST_TOKEN, fake_telegram.url)
    send(bot, "Satu.")
    send(bot, "Dua.")  # a new loop: the first loop's connections are not used from it

    assert [call.params["text"] for call in fake_telegram.calls_to("sendMessage", ok=True)] == ["Satu.", "Dua."]


def test_a_file_goes_up_as_multipart(fake_telegram: FakeTelegramApi) -> None:
    bot = make_bot(TELEGRAM_TEST_TOKEN, fake_telegram.url)

    async def go() -> None:
        async with bot:
            await bot.send_document(4242, BytesIO(b"kasus;status\n"), filename="kasus-32.73-2026-12.csv")

    asyncio.run(go())
    [call] = fake_telegram.calls_to("sendDocument", ok=True)
    [upload] = call.files.values()
    assert (upload.filename, upload.content) == ("kasus-32.73-2026-12.csv", b"kasus;status\n")


def send_uninitialized(bot: Bot, text: str) -> None:
    """A send without ``initialize`` (whose ``getMe`` would fail first), the transport closed after it."""

    async def go() -> None:
        try:
            await TelegramSender(bot, None).send("4242", {"text": text})
        finally:
            await bot.request.shutdown()

    asyncio.run(go())


def test_a_refused_connection_never_reached_telegram() -> None:
    bot = make_bot(TELEGRAM_TEST_TOKEN, f"http://127.0.0.1:{_closed_port()}")
    with pytest.raises(TransientFailure) as failed:
        send_uninitialized(bot, "Halo.")

    assert not may_have_arrived(failed.value)  # retried for the whole retry window


def test_no_answer_after_the_request_went_out_may_have_reached_telegram(silent_server: str) -> None:
    request = AiohttpRequest(connections=2, read_timeout=0.3, connect_timeout=2)
    bot = Bot(TELEGRAM_TEST_TOKEN, base_url=f"{silent_server}/bot", request=request)

    with pytest.raises(TransientFailure) as failed:
        send_uninitialized(bot, "Halo.")

    assert may_have_arrived(failed.value)  # retried only KAWAL_OUTBOX_AMBIGUOUS_RETRIES times


def test_no_time_limit_asked_for_is_none_given(fake_telegram: FakeTelegramApi) -> None:
    bot = make_bot(TELEGRAM_TEST_TOKEN, fake_telegram.url)

    async def go() -> None:
        async with bot:
            await bot.send_message(4242, "Tanpa batas waktu.", read_timeout=5, write_timeout=None, connect_timeout=None)

    asyncio.run(go())
    assert [call.params["text"] for call in fake_telegram.calls_to("sendMessage", ok=True)] == ["Tanpa batas waktu."]
