"""Odd payloads a provider (or someone holding its secret) can send: each is answered without a 5xx.

One test per finding of issue 16: broken Telegram updates, text no database stores, deep JSON, odd headers,
a photo Telegram will never give, a WhatsApp media link that is not Twilio's, a media link signed with odd
characters, and SQL parameters kept out of error messages.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError
from twilio.request_validator import RequestValidator

from app.db import Database
from app.models import InboundMessage
from tests.fakes._http import FakeHttpServer, HttpRequest, HttpResponse
from tests.fakes.fixtures import TWILIO_TEST_ACCOUNT_SID, TWILIO_TEST_AUTH_TOKEN
from tests.integration.channel_setup import (
    PUBLIC_URL,
    TELEGRAM_SECRET,
    SteppingClock,
    channel_settings,
    outbox,
    web_client,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
CHAT = 512345678
UNREADABLE = "Maaf, pesan ini tidak bisa kami baca."
PHOTO_LOST = "Maaf, foto atau pesan suara Anda tidak bisa kami ambil."


def telegram_fixture(name: str) -> dict[str, Any]:
    return json.loads((FIXTURES / "telegram" / f"{name}.json").read_text())


def twilio_fixture(name: str) -> dict[str, str]:
    return json.loads((FIXTURES / "twilio" / f"{name}.json").read_text())


def post_update(client, update: Any, secret: str | bytes = TELEGRAM_SECRET):  # type: ignore[no-untyped-def]
    """As Telegram posts it: JSON with ``\\uXXXX`` escapes, so a lone surrogate travels as ``\\ud800``."""
    headers = {"X-Telegram-Bot-Api-Secret-Token": secret, "Content-Type": "application/json"}
    return client.post("/webhooks/telegram", content=json.dumps(update), headers=headers)


def post_form(client, form: dict[str, str]):  # type: ignore[no-untyped-def]
    path = "/webhooks/whatsapp"
    signature = RequestValidator(TWILIO_TEST_AUTH_TOKEN).compute_signature(PUBLIC_URL + path, form)
    return client.post(path, data=form, headers={"X-Twilio-Signature": signature})


def inbound_rows(database: Database) -> list[InboundMessage]:
    with database.transaction() as db:
        return list(db.scalars(select(InboundMessage).order_by(InboundMessage.id)))


@pytest.fixture
def tg_settings(settings, fake_telegram):  # type: ignore[no-untyped-def]
    return channel_settings(settings, fake_telegram=fake_telegram)


@pytest.fixture
def wa_settings(settings, fake_twilio):  # type: ignore[no-untyped-def]
    return channel_settings(settings, fake_twilio=fake_twilio)


def _message(**fields: Any) -> dict[str, Any]:
    base = telegram_fixture("message_text")
    base["message"].update(fields)
    return base


def _without(key: str) -> dict[str, Any]:
    update = telegram_fixture("message_text")
    del update["message"][key]
    return update


def _tap_with_data(data: Any) -> dict[str, Any]:
    tap = telegram_fixture("callback_query")
    tap["callback_query"]["data"] = data
    return tap


# (update, whether it names a private chat to answer)
BROKEN_UPDATES = {
    "text is a number": (_message(text=12345), True),
    "message is a string": ({"update_id": 9001, "message": "halo"}, False),
    "from is a list": (_message(**{"from": [CHAT, "Siti"]}), True),
    "photo is not a list": (_message(photo="AgACAgUAAxkBAAIBZ2V_large", text=None), True),
    "no chat": (_without("chat"), False),
    "no date": (_without("date"), True),
    "button data is a number": (_tap_with_data(7), True),
    "poll_answer": ({"update_id": 9002, "poll_answer": {"poll_id": "5", "user": {"id": CHAT}}}, False),
    "unknown kind": ({"update_id": 9003, "business_message": {"text": "halo"}}, False),
}


@pytest.mark.parametrize("name", list(BROKEN_UPDATES))
def test_a_broken_update_is_acknowledged_and_its_sender_told_once(tg_settings, database, name) -> None:  # type: ignore[no-untyped-def]
    update, answerable = BROKEN_UPDATES[name]
    with web_client(tg_settings) as client:
        assert post_update(client, update).status_code == 200
        assert post_update(client, update).status_code == 200  # Telegram's redelivery changes nothing
    replies = outbox(database)
    rows = inbound_rows(database)
    if answerable:
        assert [r.body["text"][: len(UNREADABLE)] for r in replies] == [UNREADABLE]
        assert replies[0].address == str(CHAT)
        assert [(r.kind, r.status) for r in rows] == [("unsupported", "processed")]
    else:
        assert replies == [] and rows == []


@pytest.mark.parametrize(
    ("sent", "stored"),
    [("kartu\x00 saya hilang", "kartu saya hilang"), ("saldo \ud800 kosong", "saldo \ufffd kosong"), ("\x00\udfff", "\ufffd")],
)
def test_nul_bytes_and_lone_surrogates_are_cleaned_before_storing(tg_settings, database, sent, stored) -> None:  # type: ignore[no-untyped-def]
    with web_client(tg_settings) as client:
        assert post_update(client, _message(text=sent)).status_code == 200
    [row] = inbound_rows(database)
    assert (row.kind, row.status, row.text) == ("text", "processed", stored)
    assert row.payload["message"]["text"] == stored
    assert len(outbox(database)) == 1


@pytest.mark.parametrize("depth", [50_000, 100_000])
def test_deeply_nested_json_is_refused_as_malformed(tg_settings, database, depth) -> None:  # type: ignore[no-untyped-def]
    body = '{"update_id": 1, "message": ' + "[" * depth + "]" * depth + "}"
    headers = {"X-Telegram-Bot-Api-Secret-Token": TELEGRAM_SECRET, "Content-Type": "application/json"}
    with web_client(tg_settings) as client:
        assert client.post("/webhooks/telegram", content=body, headers=headers).status_code == 400
        # brackets inside a string are text, not nesting
        deep_text = _message(text="[" * depth)
        assert post_update(client, deep_text).status_code == 200
    assert [row.kind for row in inbound_rows(database)] == ["text"]


@pytest.mark.parametrize("secret", [f"{TELEGRAM_SECRET}é".encode(), b"\xff\xfe", "rahasia-é".encode()])
def test_a_non_ascii_secret_header_is_forbidden(tg_settings, database, secret) -> None:  # type: ignore[no-untyped-def]
    headers = {"X-Telegram-Bot-Api-Secret-Token": secret}
    with web_client(tg_settings) as client:
        response = client.post("/webhooks/telegram", json=telegram_fixture("message_text"), headers=headers)
    assert response.status_code == 403
    assert inbound_rows(database) == []


def test_a_photo_telegram_refuses_for_good_keeps_the_caption_and_asks_again(tg_settings, database, fake_telegram) -> None:  # type: ignore[no-untyped-def]
    update = telegram_fixture("photo")  # its file_id is unknown to the fake: getFile answers 400 "invalid file_id"
    with web_client(tg_settings) as client:
        assert post_update(client, update).status_code == 200
    [row] = inbound_rows(database)
    assert (row.kind, row.status, row.text) == ("unsupported", "processed", "surat kehilangan dari desa")
    [reply] = outbox(database)
    assert reply.body["text"].startswith(PHOTO_LOST)
    assert len(fake_telegram.calls_to("getFile")) == 1


def test_a_photo_telegram_cannot_give_right_now_is_delivered_again(tg_settings, database, fake_telegram) -> None:  # type: ignore[no-untyped-def]
    update = telegram_fixture("photo")
    fake_telegram.fail_next("getFile", status=502)
    with web_client(tg_settings) as client:
        assert post_update(client, update).status_code == 503  # Telegram retries
    assert inbound_rows(database) == [] and outbox(database) == []


def test_polling_moves_past_a_photo_telegram_refuses_for_good(tg_settings, database, runtime, fake_telegram) -> None:  # type: ignore[no-untyped-def]
    from app.channels import Channels
    from app.pipeline import Pipeline
    from app.telegram_polling import poll_telegram

    polling = tg_settings.model_copy(update={"public_base_url": ""})
    fake_telegram.push_update(telegram_fixture("photo"))
    later = telegram_fixture("message_text")
    later["update_id"] = telegram_fixture("photo")["update_id"] + 1
    fake_telegram.push_update(later)

    async def scenario() -> None:
        channels = Channels.build(polling, database, Pipeline(database, runtime), SteppingClock())
        await channels.bot.initialize()
        stop = asyncio.Event()
        task = asyncio.create_task(poll_telegram(channels, stop))
        for _ in range(100):
            await asyncio.sleep(0.05)
            if len(inbound_rows(database)) == 2:
                break
        stop.set()
        await asyncio.wait_for(task, timeout=10)
        await channels.close()

    asyncio.run(scenario())
    assert [row.kind for row in inbound_rows(database)] == ["unsupported", "text"]
    assert fake_telegram.pending_updates() == []


class _Recorder(FakeHttpServer):
    """A host that is not Twilio's: records what reaches it; answers with ``redirect_to`` when set."""

    def __init__(self, redirect_to: str = "") -> None:
        super().__init__()
        self.redirect_to = redirect_to
        self.requests: list[HttpRequest] = []

    def handle(self, request: HttpRequest) -> HttpResponse:
        self.requests.append(request)
        if self.redirect_to:
            return HttpResponse(307, headers={"Location": self.redirect_to})
        return HttpResponse(200, b"\xff\xd8 not a twilio photo", {"Content-Type": "image/jpeg"})


def _assert_told_photo_lost(database: Database) -> None:
    [row] = inbound_rows(database)
    assert (row.kind, row.status) == ("unsupported", "processed")
    [reply] = outbox(database)
    assert reply.body["text"].startswith(PHOTO_LOST)


@pytest.mark.parametrize("url", ["http://[::1", "not a link", "ftp://api.twilio.com/x", "https://api.twilio.com:8443/x"])
def test_a_media_url_that_is_not_a_twilio_link_is_refused_and_the_sender_told(wa_settings, database, url) -> None:  # type: ignore[no-untyped-def]
    form = {**twilio_fixture("inbound_image"), "MediaUrl0": url}
    with web_client(wa_settings) as client:
        assert post_form(client, form).status_code == 200
    _assert_told_photo_lost(database)


def test_media_on_another_host_is_not_fetched_with_the_twilio_credentials(wa_settings, database) -> None:  # type: ignore[no-untyped-def]
    with _Recorder() as thief:
        form = {**twilio_fixture("inbound_image"), "MediaUrl0": f"{thief.url}/2010-04-01/Media/ME1"}
        with web_client(wa_settings) as client:
            assert post_form(client, form).status_code == 200
    assert thief.requests == []
    _assert_told_photo_lost(database)


def test_a_redirect_off_twilios_hosts_is_not_followed(settings, database) -> None:  # type: ignore[no-untyped-def]
    with _Recorder() as thief, _Recorder(redirect_to="") as twilio_host:
        twilio_host.redirect_to = f"{thief.url}/cdn/photo.jpg"
        configured = channel_settings(
            settings, twilio_account_sid=TWILIO_TEST_ACCOUNT_SID, twilio_auth_token=TWILIO_TEST_AUTH_TOKEN,
            twilio_whatsapp_from="whatsapp:+14155238886", twilio_api_url=twilio_host.url,
        )  # fmt: skip
        form = {**twilio_fixture("inbound_image"), "MediaUrl0": f"{twilio_host.url}/2010-04-01/Media/ME1"}
        with web_client(configured) as client:
            assert post_form(client, form).status_code == 200
    assert len(twilio_host.requests) == 1 and twilio_host.requests[0].headers.get("Authorization")
    assert thief.requests == []
    _assert_told_photo_lost(database)


def test_media_links_with_odd_characters_are_not_found(settings, database) -> None:  # type: ignore[no-untyped-def]
    name = "a" * 64 + ".png"
    with web_client(channel_settings(settings)) as client:
        for query in ("expires=9999999999&signature=%C3%A9%C3%A9", "expires=soon&signature=abc", "expires=-1&signature=ab"):
            assert client.get(f"/media/{name}?{query}").status_code == 404, query
            assert client.get(f"/media/{name}/laporan.png?{query}").status_code == 404, query


def test_sql_parameters_stay_out_of_database_errors(database) -> None:  # type: ignore[no-untyped-def]
    nik = "3517091234567890"
    with pytest.raises(DBAPIError) as raised, database.transaction() as db:
        db.execute(text("INSERT INTO no_such_table (nik) VALUES (:nik)"), {"nik": nik})
    assert nik not in str(raised.value)
    with database.transaction() as db:
        assert db.scalar(select(func.count()).select_from(InboundMessage)) == 0
