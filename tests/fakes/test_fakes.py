"""Contract tests: the real python-telegram-bot and twilio clients work against the fakes.

pytest-asyncio is not installed, so async client code runs inside ``asyncio.run`` in sync tests.
"""

from __future__ import annotations

import asyncio
import datetime as dtm
import json
import threading
import time
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest
import requests
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest, Conflict, Forbidden, InvalidToken, NetworkError, RetryAfter
from twilio.base.exceptions import TwilioRestException
from twilio.rest import Client

from tests.fakes._http import UploadedFile
from tests.fakes.fixtures import TWILIO_TEST_WHATSAPP_FROM
from tests.fakes.telegram_api import FakeTelegramApi
from tests.fakes.twilio_api import FakeTwilioApi

FIXTURES = Path("/work/shared/fixtures")
CHAT_ID = 512345678
WA_TO = "whatsapp:+6285712345678"

T = TypeVar("T")


def run_with_bot(fake: FakeTelegramApi, scenario: Callable[[Bot], Awaitable[T]], **bot_kwargs: Any) -> T:
    """Run ``scenario(bot)`` inside ``async with bot`` (initialize calls getMe; shutdown closes httpx)."""

    async def main() -> T:
        async with Bot(**{**fake.bot_kwargs(), **bot_kwargs}) as bot:
            return await scenario(bot)

    return asyncio.run(main())


def load_fixture(name: str) -> dict[str, Any]:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


# -- Telegram ------------------------------------------------------------------------------------


def test_get_me_and_send_message_with_inline_keyboard(fake_telegram: FakeTelegramApi) -> None:
    markup = InlineKeyboardMarkup(
        [[InlineKeyboardButton("Ya", callback_data="yes"), InlineKeyboardButton("Tidak", callback_data="no")]]
    )

    async def scenario(bot: Bot) -> Any:
        me = await bot.get_me()
        message = await bot.send_message(chat_id=CHAT_ID, text="Halo, Bu Siti", reply_markup=markup)
        return me, message

    me, message = run_with_bot(fake_telegram, scenario)

    assert me.is_bot and me.username == "kawal_bansos_test_bot"
    assert message.text == "Halo, Bu Siti"
    assert message.chat.id == CHAT_ID and message.chat.type == "private"
    assert message.reply_markup == markup
    [call] = fake_telegram.calls_to("sendMessage")
    assert call.chat_id == CHAT_ID
    assert call.params["text"] == "Halo, Bu Siti"
    assert call.params["reply_markup"] == markup.to_dict()
    assert [c.method for c in fake_telegram.calls] == ["getMe", "getMe", "sendMessage"]


def test_message_ids_increase_and_validation_errors(fake_telegram: FakeTelegramApi) -> None:
    too_long_data = InlineKeyboardMarkup([[InlineKeyboardButton("x", callback_data="x" * 65)]])

    async def scenario(bot: Bot) -> Any:
        first = await bot.send_message(CHAT_ID, "satu")
        second = await bot.send_message(CHAT_ID, "dua")
        errors = []
        for kwargs in ({"text": "x" * 4097}, {"text": "ok", "reply_markup": too_long_data}):
            try:
                await bot.send_message(CHAT_ID, **kwargs)
            except BadRequest as error:
                errors.append(error.message)
        return first, second, errors

    first, second, errors = run_with_bot(fake_telegram, scenario)

    assert second.message_id == first.message_id + 1
    assert errors == ["Message is too long", "Button_data_invalid"]  # PTB capitalizes descriptions


def test_answer_callback_query_edit_markup_and_chat_action(fake_telegram: FakeTelegramApi) -> None:
    async def scenario(bot: Bot) -> Any:
        keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("A", callback_data="a")]])
        sent = await bot.send_message(CHAT_ID, "Pilih", reply_markup=keyboard)
        answered = await bot.answer_callback_query("4382bfdwdsb323b2d9", text="Oke")
        edited = await bot.edit_message_reply_markup(chat_id=CHAT_ID, message_id=sent.message_id, reply_markup=None)
        typing = await bot.send_chat_action(CHAT_ID, "typing")
        return sent, answered, edited, typing

    sent, answered, edited, typing = run_with_bot(fake_telegram, scenario)

    assert answered is True and typing is True
    assert edited.message_id == sent.message_id and edited.reply_markup is None
    [answer] = fake_telegram.calls_to("answerCallbackQuery")
    assert answer.params == {"callback_query_id": "4382bfdwdsb323b2d9", "text": "Oke"}
    assert "reply_markup" not in fake_telegram.sent_message(CHAT_ID, sent.message_id)  # type: ignore[operator]


def test_get_updates_long_polls_until_an_update_is_pushed(fake_telegram: FakeTelegramApi) -> None:
    payload = load_fixture("telegram/message_text.json")
    pusher = threading.Timer(0.3, fake_telegram.push_update, args=(payload,))

    async def scenario(bot: Bot) -> Any:
        started = time.monotonic()
        pusher.start()
        updates = await bot.get_updates(timeout=5)
        waited = time.monotonic() - started
        again = await bot.get_updates(offset=updates[-1].update_id + 1, timeout=0)
        return updates, waited, again

    try:
        updates, waited, again = run_with_bot(fake_telegram, scenario)
    finally:
        pusher.cancel()
        pusher.join()

    [update] = updates
    assert isinstance(update, Update)
    assert update.update_id == payload["update_id"]
    assert update.message is not None and update.message.text == "kartu kks saya ilang pak"
    assert 0.2 < waited < 3
    assert again == ()
    assert fake_telegram.pending_updates() == []  # confirmed by the offset
    assert fake_telegram.calls_to("getUpdates")[0].params["timeout"] == 5


def test_get_updates_offset_confirms_older_updates(fake_telegram: FakeTelegramApi) -> None:
    first = fake_telegram.push_update(load_fixture("telegram/message_text.json"))
    second = fake_telegram.push_update(load_fixture("telegram/callback_query.json"))
    third = fake_telegram.push_update({"message": load_fixture("telegram/photo.json")["message"]})  # id assigned

    async def scenario(bot: Bot) -> Any:
        return await bot.get_updates(offset=second)

    updates = run_with_bot(fake_telegram, scenario)

    assert first < second < third
    assert [u.update_id for u in updates] == [second, third]
    assert updates[0].callback_query is not None
    assert [u["update_id"] for u in fake_telegram.pending_updates()] == [second, third]


def test_get_updates_timeout_is_capped(fake_telegram: FakeTelegramApi) -> None:
    fake_telegram.max_long_poll = 0.2

    async def scenario(bot: Bot) -> Any:
        started = time.monotonic()
        updates = await bot.get_updates(timeout=30)
        return updates, time.monotonic() - started

    updates, waited = run_with_bot(fake_telegram, scenario)

    assert updates == () and 0.15 < waited < 2


def test_get_file_and_download(fake_telegram: FakeTelegramApi) -> None:
    content = b"\xff\xd8\xff\xe0 fake jpeg \r\n\x00 bytes"
    fake_telegram.add_file("AgACAgUAAxkBAAIBZ2V_large", content, "photos/file_7.jpg")

    async def scenario(bot: Bot) -> Any:
        file = await bot.get_file("AgACAgUAAxkBAAIBZ2V_large")
        return file, await file.download_as_bytearray()

    file, downloaded = run_with_bot(fake_telegram, scenario)

    assert file.file_size == len(content)
    assert file.file_path == f"{fake_telegram.url}/file/bot{fake_telegram.token}/photos/file_7.jpg"
    assert bytes(downloaded) == content
    assert fake_telegram.downloads == ["photos/file_7.jpg"]


def test_unknown_file_id_is_a_bad_request(fake_telegram: FakeTelegramApi) -> None:
    async def scenario(bot: Bot) -> Any:
        return await bot.get_file("nope")

    with pytest.raises(BadRequest, match="Invalid file_id"):
        run_with_bot(fake_telegram, scenario)


def test_send_photo_and_document_upload_as_multipart(fake_telegram: FakeTelegramApi) -> None:
    photo = b"\x89PNG\r\n\x1a\n" + bytes(range(256))

    async def scenario(bot: Bot) -> Any:
        sent_photo = await bot.send_photo(CHAT_ID, photo=photo, caption="bukti")
        sent_doc = await bot.send_document(CHAT_ID, document=b"%PDF-1.4 data", filename="surat.pdf")
        downloaded = await (await bot.get_file(sent_photo.photo[-1].file_id)).download_as_bytearray()
        return sent_photo, sent_doc, downloaded

    sent_photo, sent_doc, downloaded = run_with_bot(fake_telegram, scenario)

    upload = fake_telegram.calls_to("sendPhoto")[0].params["photo"]
    assert isinstance(upload, UploadedFile) and upload.content == photo
    assert fake_telegram.calls_to("sendPhoto")[0].params["caption"] == "bukti"
    assert fake_telegram.calls_to("sendPhoto")[0].chat_id == CHAT_ID
    assert sent_photo.caption == "bukti" and len(sent_photo.photo) == 2
    assert bytes(downloaded) == photo
    assert sent_doc.document.file_name == "surat.pdf"
    assert fake_telegram.calls_to("sendDocument")[0].files["document"].filename == "surat.pdf"


def test_429_raises_retry_after_then_the_retry_succeeds(
    fake_telegram: FakeTelegramApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "true")  # RetryAfter.retry_after as timedelta, without a deprecation warning
    fake_telegram.fail_next("sendMessage", status=429, retry_after=2)

    async def scenario(bot: Bot) -> Any:
        with pytest.raises(RetryAfter) as raised:
            await bot.send_message(CHAT_ID, "halo")
        return raised.value, await bot.send_message(CHAT_ID, "halo")

    error, message = run_with_bot(fake_telegram, scenario)

    assert error.retry_after == dtm.timedelta(seconds=2)
    assert message.text == "halo"
    assert [c.status for c in fake_telegram.calls_to("sendMessage")] == [429, 200]
    assert len(fake_telegram.calls_to("sendMessage", ok=True)) == 1


def test_403_raises_forbidden_and_500_a_network_error(fake_telegram: FakeTelegramApi) -> None:
    fake_telegram.fail_next("sendMessage", status=403)
    fake_telegram.fail_next("sendChatAction", status=500)

    async def scenario(bot: Bot) -> Any:
        with pytest.raises(Forbidden, match="bot was blocked by the user"):
            await bot.send_message(CHAT_ID, "halo")
        with pytest.raises(NetworkError, match="Internal Server Error"):
            await bot.send_chat_action(CHAT_ID, "typing")

    run_with_bot(fake_telegram, scenario)


def test_dropped_connection_is_a_network_error(fake_telegram: FakeTelegramApi) -> None:
    fake_telegram.fail_next("sendMessage", disconnect=True)

    async def scenario(bot: Bot) -> Any:
        with pytest.raises(NetworkError, match="RemoteProtocolError|ReadError"):
            await bot.send_message(CHAT_ID, "halo")
        return await bot.send_message(CHAT_ID, "lagi")

    assert run_with_bot(fake_telegram, scenario).text == "lagi"
    assert [c.status for c in fake_telegram.calls_to("sendMessage")] == [0, 200]


def test_wrong_token_is_rejected(fake_telegram: FakeTelegramApi) -> None:
    async def scenario(bot: Bot) -> Any:
        return None

    with pytest.raises(InvalidToken):
        run_with_bot(fake_telegram, scenario, token="999:WRONG")
    assert fake_telegram.calls[0].status == 401


def test_webhook_set_info_conflict_and_delete(fake_telegram: FakeTelegramApi) -> None:
    fake_telegram.push_update(load_fixture("telegram/message_text.json"))

    async def scenario(bot: Bot) -> Any:
        await bot.set_webhook("https://example.test/telegram", secret_token="s3cret", allowed_updates=["message"])
        info = await bot.get_webhook_info()
        with pytest.raises(Conflict):
            await bot.get_updates()
        await bot.delete_webhook(drop_pending_updates=True)
        return info, await bot.get_webhook_info()

    info, after = run_with_bot(fake_telegram, scenario)

    assert info.url == "https://example.test/telegram" and info.pending_update_count == 1
    assert info.allowed_updates == ("message",)
    assert fake_telegram.calls_to("setWebhook")[0].params["secret_token"] == "s3cret"
    assert after.url == "" and after.pending_update_count == 0
    assert fake_telegram.webhook.url == ""


def test_delay_applies_to_every_request(fake_telegram: FakeTelegramApi) -> None:
    fake_telegram.delay = 0.2

    async def scenario(bot: Bot) -> float:
        started = time.monotonic()
        await bot.send_message(CHAT_ID, "pelan")
        return time.monotonic() - started

    assert run_with_bot(fake_telegram, scenario) >= 0.2


def test_concurrent_requests_are_served_while_a_long_poll_waits(fake_telegram: FakeTelegramApi) -> None:
    async def scenario(bot: Bot) -> Any:
        poll = asyncio.create_task(bot.get_updates(timeout=2))
        await asyncio.sleep(0.1)
        message = await bot.send_message(CHAT_ID, "sementara")
        fake_telegram.push_update(load_fixture("telegram/message_text.json"))
        return message, await poll

    message, updates = run_with_bot(fake_telegram, scenario)

    assert message.text == "sementara" and len(updates) == 1


# -- Twilio --------------------------------------------------------------------------------------


@pytest.fixture
def twilio_client(fake_twilio: FakeTwilioApi) -> Iterator[Client]:
    client = fake_twilio.make_client()
    yield client
    client.http_client.session.close()  # type: ignore[attr-defined]


def test_base_url_override_is_how_the_client_finds_the_fake(fake_twilio: FakeTwilioApi) -> None:
    client = Client(fake_twilio.account_sid, fake_twilio.auth_token, environment={})
    assert client.api.base_url == "https://api.twilio.com"
    client.api.base_url = fake_twilio.url
    try:
        message = client.messages.create(to=WA_TO, from_=TWILIO_TEST_WHATSAPP_FROM, body="hi")
    finally:
        client.http_client.session.close()  # type: ignore[attr-defined]
    assert message.sid.startswith("SM")


def test_create_message_with_body(fake_twilio: FakeTwilioApi, twilio_client: Client) -> None:
    message = twilio_client.messages.create(to=WA_TO, from_=TWILIO_TEST_WHATSAPP_FROM, body="hi")

    assert message.sid.startswith("SM") and len(message.sid) == 34
    assert message.status == "queued"
    assert message.to == WA_TO and message.from_ == TWILIO_TEST_WHATSAPP_FROM and message.body == "hi"
    assert message.account_sid == fake_twilio.account_sid
    assert message.date_created is not None and message.date_created.tzinfo is not None
    [sent] = fake_twilio.messages
    assert sent.sid == message.sid
    assert sent.fields == {"To": WA_TO, "From": TWILIO_TEST_WHATSAPP_FROM, "Body": "hi"}
    assert fake_twilio.calls[0].authorized and fake_twilio.calls[0].status == 201


def test_create_message_with_content_template_and_media(fake_twilio: FakeTwilioApi, twilio_client: Client) -> None:
    variables = json.dumps({"1": "Siti", "2": "Senin"})
    template = twilio_client.messages.create(
        to=WA_TO,
        from_=TWILIO_TEST_WHATSAPP_FROM,
        content_sid="HX" + "a" * 32,
        content_variables=variables,
        status_callback="https://example.test/twilio/status",
    )
    media = twilio_client.messages.create(
        to=WA_TO,
        from_=TWILIO_TEST_WHATSAPP_FROM,
        media_url=["https://example.test/a.jpg", "https://example.test/b.jpg"],
    )

    first, second = fake_twilio.messages
    assert template.sid == first.sid
    assert first.content_sid == "HX" + "a" * 32
    assert first.content_variables == {"1": "Siti", "2": "Senin"}
    assert first.status_callback == "https://example.test/twilio/status"
    assert first.body is None
    assert second.media_urls == ["https://example.test/a.jpg", "https://example.test/b.jpg"]
    assert media.num_media == "2"


def test_wrong_auth_token_is_a_401(fake_twilio: FakeTwilioApi) -> None:
    client = Client(fake_twilio.account_sid, "wrong-token", environment={})
    client.api.base_url = fake_twilio.url
    try:
        with pytest.raises(TwilioRestException) as raised:
            client.messages.create(to=WA_TO, from_=TWILIO_TEST_WHATSAPP_FROM, body="hi")
    finally:
        client.http_client.session.close()  # type: ignore[attr-defined]
    assert raised.value.status == 401 and raised.value.code == 20003
    assert fake_twilio.messages == [] and not fake_twilio.calls[0].authorized


def test_missing_body_is_21619_and_bad_number_21211(fake_twilio: FakeTwilioApi, twilio_client: Client) -> None:
    with pytest.raises(TwilioRestException) as no_body:
        twilio_client.messages.create(to=WA_TO, from_=TWILIO_TEST_WHATSAPP_FROM)
    with pytest.raises(TwilioRestException) as bad_to:
        twilio_client.messages.create(to="whatsapp:0857", from_=TWILIO_TEST_WHATSAPP_FROM, body="hi")

    assert (no_body.value.status, no_body.value.code) == (400, 21619)
    assert (bad_to.value.status, bad_to.value.code) == (400, 21211)
    assert fake_twilio.messages == []


def test_429_then_success(fake_twilio: FakeTwilioApi, twilio_client: Client) -> None:
    fake_twilio.fail_next(status=429, retry_after=1)

    with pytest.raises(TwilioRestException) as raised:
        twilio_client.messages.create(to=WA_TO, from_=TWILIO_TEST_WHATSAPP_FROM, body="hi")
    # The exception has no headers; the last raw response does (a private attribute of the http client).
    last_response = twilio_client.http_client._test_only_last_response
    message = twilio_client.messages.create(to=WA_TO, from_=TWILIO_TEST_WHATSAPP_FROM, body="hi")

    assert (raised.value.status, raised.value.code) == (429, 20429)
    assert "Too Many Requests" in raised.value.msg
    assert last_response is not None and last_response.headers["Retry-After"] == "1"
    assert message.sid == fake_twilio.messages[0].sid
    assert [c.status for c in fake_twilio.calls] == [429, 201]


def test_programmed_63016_and_500(fake_twilio: FakeTwilioApi, twilio_client: Client) -> None:
    fake_twilio.fail_next(code=63016)
    fake_twilio.fail_next(500)

    with pytest.raises(TwilioRestException) as outside_window:
        twilio_client.messages.create(to=WA_TO, from_=TWILIO_TEST_WHATSAPP_FROM, body="hi")
    with pytest.raises(TwilioRestException) as server_error:
        twilio_client.messages.create(to=WA_TO, from_=TWILIO_TEST_WHATSAPP_FROM, body="hi")

    assert (outside_window.value.status, outside_window.value.code) == (400, 63016)
    assert "outside the allowed window" in outside_window.value.msg
    assert (server_error.value.status, server_error.value.code) == (500, 20500)


def test_dropped_connection_raises_requests_connection_error(fake_twilio: FakeTwilioApi, twilio_client: Client) -> None:
    fake_twilio.fail_next(disconnect=True)

    with pytest.raises(requests.exceptions.ConnectionError):
        twilio_client.messages.create(to=WA_TO, from_=TWILIO_TEST_WHATSAPP_FROM, body="hi")
    assert twilio_client.messages.create(to=WA_TO, from_=TWILIO_TEST_WHATSAPP_FROM, body="hi").sid


def test_fetch_message(fake_twilio: FakeTwilioApi, twilio_client: Client) -> None:
    sid = twilio_client.messages.create(to=WA_TO, from_=TWILIO_TEST_WHATSAPP_FROM, body="hi").sid
    assert twilio_client.messages(sid).fetch().body == "hi"


def test_media_requires_the_account_credentials(fake_twilio: FakeTwilioApi) -> None:
    url = fake_twilio.add_media(fake_twilio.media_path(), b"\xff\xd8jpeg", "image/jpeg")

    with httpx.Client() as http:
        anonymous = http.get(url)
        wrong = http.get(url, auth=(fake_twilio.account_sid, "wrong"))
        authed = http.get(url, auth=(fake_twilio.account_sid, fake_twilio.auth_token))

    assert anonymous.status_code == 401 and anonymous.json()["code"] == 20003
    assert wrong.status_code == 401
    assert authed.status_code == 200
    assert authed.content == b"\xff\xd8jpeg" and authed.headers["content-type"] == "image/jpeg"
    assert [r.authorized for r in fake_twilio.media_requests] == [False, False, True]
    assert "/Messages/MM" in url and "/Media/ME" in url


def test_media_redirect_to_cdn(fake_twilio: FakeTwilioApi) -> None:
    fake_twilio.media_redirect = True
    url = fake_twilio.add_media("https://api.twilio.com" + fake_twilio.media_path(), b"ogg", "audio/ogg")
    auth = (fake_twilio.account_sid, fake_twilio.auth_token)

    with httpx.Client(auth=auth) as http:
        not_followed = http.get(url)
        followed = http.get(url, follow_redirects=True)

    assert url.startswith(fake_twilio.url)
    assert not_followed.status_code == 307  # httpx does not follow redirects unless asked
    assert followed.status_code == 200 and followed.content == b"ogg"


def test_media_failures_can_be_programmed(fake_twilio: FakeTwilioApi) -> None:
    url = fake_twilio.add_media(fake_twilio.media_path(), b"x", "image/jpeg")
    fake_twilio.fail_next(500, endpoint="media")

    with httpx.Client(auth=(fake_twilio.account_sid, fake_twilio.auth_token)) as http:
        statuses = [http.get(url).status_code, http.get(url).status_code]

    assert statuses == [500, 200]
    assert [r.status for r in fake_twilio.media_requests] == [500, 200]
