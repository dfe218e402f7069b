"""Odd payloads a provider (or someone holding its secret) can send: each is answered without a 500.

Telegram redelivers every update that does not get a 2xx, so an update we cannot read is kept as
"unsupported" (when it names a private chat) or dropped, and acknowledged with 200. A body that is not a
Telegram update at all (not JSON, nested deeper than any update, larger than any update) gets a 4xx: Telegram
never sends one, so no redelivery loop can follow. Media links are fetched only from Twilio's hosts; a
photo that cannot be fetched is kept without it, and the sender is asked to send it again.
"""

from __future__ import annotations

import asyncio
import json
import logging
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from app.media import MediaStore
from app.media_links import MediaLinks
from app.models import InboundMessage, OutboundMessage
from bot import telegram as tg
from bot.whatsapp import media_url_refusal
from tests.conftest import FIXED_NOW
from tests.fakes._http import FakeHttpServer, HttpRequest, HttpResponse
from tests.fakes.twilio_api import FakeTwilioApi
from tests.integration.channel_setup import (
    PUBLIC_URL,
    TELEGRAM_SECRET,
    SteppingClock,
    channel_settings,
    outbox,
    web_client,
)
from tests.integration.test_telegram import fixture as tg_fixture
from tests.integration.test_whatsapp import fixture as wa_fixture
from tests.integration.test_whatsapp import signed

CHAT = 512345678
MEDIA_FAILED = "tidak bisa kami terima"
UNREADABLE = "jenis pesan ini belum bisa kami baca"


@pytest.fixture
def tg_settings(settings, fake_telegram):  # type: ignore[no-untyped-def]
    return channel_settings(settings, fake_telegram=fake_telegram)


@pytest.fixture
def wa_settings(settings, fake_twilio):  # type: ignore[no-untyped-def]
    return channel_settings(settings, fake_twilio=fake_twilio)


@pytest.fixture(autouse=True)
def no_retry_pauses(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tg, "FILE_RETRY_PAUSES", (0.0, 0.0))


def post_raw(client, body: bytes | str, secret: bytes | str = TELEGRAM_SECRET):  # type: ignore[no-untyped-def]
    headers = {"X-Telegram-Bot-Api-Secret-Token": secret, "Content-Type": "application/json"}
    return client.post("/webhooks/telegram", content=body, headers=headers)


def inbound_rows(database) -> list[InboundMessage]:  # type: ignore[no-untyped-def]
    with database.transaction() as db:
        return list(db.scalars(select(InboundMessage).order_by(InboundMessage.id)))


def texts(database) -> list[str]:  # type: ignore[no-untyped-def]
    return [row.body["text"] for row in outbox(database)]


# -- Telegram: odd updates ---------------------------------------------------------------------------


def _text_update(**message: Any) -> dict[str, Any]:
    update = tg_fixture("message_text")
    update["message"].update(message)
    return update


def _without(field: str) -> dict[str, Any]:
    update = tg_fixture("message_text")
    del update["message"][field]
    return update


def _photo(photo: Any) -> dict[str, Any]:
    update = tg_fixture("photo")
    update["message"]["photo"] = photo
    return update


def _location(latitude: Any) -> dict[str, Any]:
    update = tg_fixture("location")
    update["message"]["location"]["latitude"] = latitude
    return update


POLL_ANSWER = {
    "update_id": 804512100,
    "poll_answer": {"poll_id": "5432", "user": {"id": CHAT, "is_bot": False, "first_name": "Siti"}, "option_ids": [0]},
}
KEPT_AS_UNREADABLE = {
    "text is a number": _text_update(text=42),
    "from is a list": _text_update(**{"from": [1, 2]}),
    "photo is not a list": _photo("AgACAgUAAxkBAAIBZ2V_large"),
    "photo sizes are not objects": _photo([1, 2, 3]),
    "photo file_size is text": _photo([{"file_id": "x", "file_unique_id": "y", "width": 1, "height": 1, "file_size": "big"}]),
    "message without date": _without("date"),
    "latitude is text": _location("north"),
    "latitude out of range": _location(1000.5),
    "caption is an object": {**tg_fixture("photo"), "message": {**tg_fixture("photo")["message"], "caption": {"a": 1}}},
}
IGNORED = {
    "message is a string": {"update_id": 804512101, "message": "hello"},
    "message without chat": _without("chat"),
    "chat id is text": _text_update(chat={"id": "abc", "type": "private"}),
    "chat id is huge": _text_update(chat={"id": 10**40, "type": "private"}),
    "poll_answer": POLL_ANSWER,
    "an update kind Telegram may add one day": {"update_id": 804512102, "guest_message": {"chat": {"id": CHAT}}},
}


@pytest.mark.parametrize("name", KEPT_AS_UNREADABLE)
def test_an_update_of_the_wrong_shape_from_a_private_chat_is_kept_as_unreadable(name, tg_settings, database) -> None:  # type: ignore[no-untyped-def]
    with web_client(tg_settings) as client:
        assert post_raw(client, json.dumps(KEPT_AS_UNREADABLE[name])).status_code == 200
    [row] = inbound_rows(database)
    assert (row.kind, row.status) == ("unsupported", "processed")
    [reply] = outbox(database)
    assert UNREADABLE in reply.body["text"] and reply.address == str(CHAT)


@pytest.mark.parametrize("name", IGNORED)
def test_an_update_that_names_no_private_chat_is_acknowledged_and_dropped(name, tg_settings, database) -> None:  # type: ignore[no-untyped-def]
    with web_client(tg_settings) as client:
        assert post_raw(client, json.dumps(IGNORED[name])).status_code == 200
    assert inbound_rows(database) == [] and outbox(database) == []


def test_unknown_fields_are_kept_in_the_payload_and_the_message_read_as_usual(tg_settings, database) -> None:  # type: ignore[no-untyped-def]
    update = _text_update(brand_new_field={"nested": [1, {"deeper": True}]})
    update["also_new"] = "at the top"
    with web_client(tg_settings) as client:
        assert post_raw(client, json.dumps(update)).status_code == 200
    [row] = inbound_rows(database)
    assert (row.kind, row.text) == ("text", "kartu kks saya ilang pak")
    assert row.payload["message"]["brand_new_field"] == {"nested": [1, {"deeper": True}]}


@pytest.mark.parametrize(
    ("sent", "kept"),
    [("halo \ud800 pak", "halo  pak"), ("saldo\x00 kosong", "saldo kosong"), ("\udfff\x00", ""), ("\ud83d\ude00 ok", "😀 ok")],
)
def test_lone_surrogates_and_nul_bytes_are_dropped_from_text(sent, kept, tg_settings, database) -> None:  # type: ignore[no-untyped-def]
    update = _text_update(text=sent)
    update["message"]["from"]["first_name"] = "Si\x00ti\ud800"
    with web_client(tg_settings) as client:
        assert post_raw(client, json.dumps(update)).status_code == 200
    [row] = inbound_rows(database)
    assert row.status == "processed" and row.text == kept and row.payload["message"]["text"] == kept
    assert row.payload["message"]["from"]["first_name"] == "Siti"


@pytest.mark.parametrize("depth", [50_000, 100_000])
def test_deeply_nested_json_is_refused_before_parsing(depth, tg_settings, database) -> None:  # type: ignore[no-untyped-def]
    body = '{"update_id": 804512200, "message": ' + "[" * depth + "]" * depth + "}"
    with web_client(tg_settings) as client:
        answer = post_raw(client, body)
    assert answer.status_code == 400 and "nested" in answer.json()["error"]
    assert inbound_rows(database) == []


def test_brackets_inside_strings_do_not_count_as_nesting(tg_settings, database) -> None:  # type: ignore[no-untyped-def]
    update = _text_update(text="[" * 5000 + '\\"{' * 100)
    with web_client(tg_settings) as client:
        assert post_raw(client, json.dumps(update)).status_code == 200
    assert inbound_rows(database)[0].text.startswith("[[[")


def test_a_body_larger_than_any_update_is_refused(tg_settings, database) -> None:  # type: ignore[no-untyped-def]
    update = _text_update(text="a" * (2 * 1024 * 1024))
    with web_client(tg_settings) as client:
        assert post_raw(client, json.dumps(update)).status_code == 413
    assert inbound_rows(database) == []


@pytest.mark.parametrize(
    "body",
    [
        "not json",
        "[1, 2]",
        '{"update_id": "804512002", "message": {}}',
        '{"update_id": true}',
        '{"update_id": 1e3}',
        '{"update_id": -5}',
        '{"update_id": ' + "9" * 80 + "}",
        '{"update_id": ' + "9" * 5000 + "}",
        '{"update_id": 804512002, "message": {"location": {"latitude": NaN}}}',
        '{"update_id": 804512002, "x": Infinity}',
        b'{"update_id": 804512002, "message": {"text": "\xff\xfe"}}',
    ],
)
def test_a_body_that_is_not_a_telegram_update_is_a_400(body, tg_settings, database) -> None:  # type: ignore[no-untyped-def]
    with web_client(tg_settings) as client:
        assert post_raw(client, body).status_code == 400
    assert inbound_rows(database) == []


@pytest.mark.parametrize("secret", ["rahasia-é".encode(), b"\xff\xfe\x00", "ključ".encode(), b""])
def test_a_non_ascii_or_empty_secret_header_is_a_403(secret, tg_settings, database) -> None:  # type: ignore[no-untyped-def]
    with web_client(tg_settings) as client:
        assert post_raw(client, json.dumps(tg_fixture("message_text")), secret=secret).status_code == 403
    assert inbound_rows(database) == []


# -- Telegram: a photo whose file cannot be fetched ------------------------------------------------------


@pytest.mark.parametrize("description", ["Bad Request: file is too big", "Bad Request: wrong file_id or the file is temporarily unavailable"])
def test_a_photo_whose_file_fails_for_good_is_kept_without_it_and_the_sender_told(description, tg_settings, database, fake_telegram) -> None:  # type: ignore[no-untyped-def]
    fake_telegram.fail_next("getFile", status=400, description=description)
    update = tg_fixture("photo")
    with web_client(tg_settings) as client:
        assert post_raw(client, json.dumps(update)).status_code == 200
        assert post_raw(client, json.dumps(update)).status_code == 200  # a redelivery is a duplicate
    [row] = inbound_rows(database)
    assert (row.kind, row.status) == ("unsupported", "processed")
    assert row.payload["message"]["caption"] == "surat kehilangan dari desa"
    [reply] = texts(database)
    assert MEDIA_FAILED in reply
    assert len(fake_telegram.calls_to("getFile")) == 1  # a permanent failure is not retried
    assert not list(Path(tg_settings.media_dir).rglob("*.jpg"))


def test_an_unknown_file_id_is_a_permanent_failure(tg_settings, database, fake_telegram) -> None:  # type: ignore[no-untyped-def]
    with web_client(tg_settings) as client:
        assert post_raw(client, json.dumps(tg_fixture("photo"))).status_code == 200  # the fake knows no such file
    assert MEDIA_FAILED in texts(database)[0]


def test_a_passing_failure_is_retried_then_the_photo_is_kept(tg_settings, database, fake_telegram) -> None:  # type: ignore[no-untyped-def]
    update = tg_fixture("photo")
    largest = update["message"]["photo"][1]
    fake_telegram.add_file(largest["file_id"], b"\xff\xd8 photo", "photos/file_1.jpg")
    fake_telegram.fail_next("getFile", status=502)
    with web_client(tg_settings) as client:
        assert post_raw(client, json.dumps(update)).status_code == 200
    assert len(fake_telegram.calls_to("getFile")) == 2
    assert [p.read_bytes() for p in Path(tg_settings.media_dir).rglob("*.jpg")] == [b"\xff\xd8 photo"]
    assert inbound_rows(database)[0].kind == "photo"


def test_a_failure_that_keeps_passing_is_retried_a_bounded_number_of_times(tg_settings, database, fake_telegram) -> None:  # type: ignore[no-untyped-def]
    fake_telegram.fail_next("getFile", status=502, times=100)
    with web_client(tg_settings) as client:
        assert post_raw(client, json.dumps(tg_fixture("photo"))).status_code == 200
    assert len(fake_telegram.calls_to("getFile")) == tg.FILE_ATTEMPTS
    assert MEDIA_FAILED in texts(database)[0]


def test_polling_goes_on_past_a_photo_whose_file_fails_for_good(tg_settings, database, runtime, fake_telegram) -> None:  # type: ignore[no-untyped-def]
    from app.channels import Channels
    from app.pipeline import Pipeline
    from app.telegram_polling import poll_telegram

    polling = tg_settings.model_copy(update={"public_base_url": ""})
    fake_telegram.fail_next("getFile", status=400, description="Bad Request: file is too big", times=100)
    fake_telegram.push_update(tg_fixture("photo"))
    fake_telegram.push_update(tg_fixture("message_text"))

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


# -- WhatsApp: media links -------------------------------------------------------------------------------


def _image_form(url: str) -> dict[str, str]:
    form = wa_fixture("inbound_image")
    form["MediaUrl0"] = url
    return form


def _post_form(client, form: dict[str, str], path: str = "/webhooks/whatsapp"):  # type: ignore[no-untyped-def]
    return client.post(path, data=form, headers=signed(path, form))


@pytest.mark.parametrize("url", ["http://[::1", "http://[::1]:99999/x", "https://", "ftp://api.twilio.com/x", "not a url", " "])
def test_a_media_url_that_is_not_a_valid_url_is_refused_and_the_sender_told(url, wa_settings, database) -> None:  # type: ignore[no-untyped-def]
    with web_client(wa_settings) as client:
        assert _post_form(client, _image_form(url)).status_code == 200
    [row] = inbound_rows(database)
    assert (row.kind, row.status) == ("unsupported", "processed") and row.payload["MediaUrl0"] == url
    assert MEDIA_FAILED in texts(database)[0]


def test_media_on_another_host_is_never_fetched(wa_settings, database) -> None:  # type: ignore[no-untyped-def]
    with FakeTwilioApi() as elsewhere:
        url = elsewhere.add_media(elsewhere.media_path(), b"\xff\xd8 not twilio's")
        with web_client(wa_settings) as client:
            assert _post_form(client, _image_form(url)).status_code == 200
        assert elsewhere.media_requests == [] and elsewhere.calls == []
    assert MEDIA_FAILED in texts(database)[0]


class _Redirector(FakeHttpServer):
    """The configured Twilio API, answering every media GET with a redirect to ``target``."""

    def __init__(self, target: str) -> None:
        super().__init__()
        self.target = target
        self.requests: list[HttpRequest] = []

    def handle(self, request: HttpRequest) -> HttpResponse:
        self.requests.append(request)
        return HttpResponse(307, b"", {"Location": self.target})


class _Recorder(FakeHttpServer):
    def __init__(self) -> None:
        super().__init__()
        self.requests: list[HttpRequest] = []

    def handle(self, request: HttpRequest) -> HttpResponse:
        self.requests.append(request)
        return HttpResponse(200, b"\xff\xd8 from elsewhere", {"Content-Type": "image/jpeg"})


def test_a_redirect_to_another_host_is_not_followed(settings, database, fake_twilio) -> None:  # type: ignore[no-untyped-def]
    with _Recorder() as elsewhere, _Redirector(f"{elsewhere.url}/cdn/photo.jpg") as twilio:
        configured = channel_settings(settings, fake_twilio=fake_twilio, twilio_api_url=twilio.url)
        with web_client(configured) as client:
            assert _post_form(client, _image_form(f"{twilio.url}/2010-04-01/Media/ME1")).status_code == 200
        assert len(twilio.requests) == 1 and twilio.requests[0].headers.get("Authorization", "").startswith("Basic ")
        assert elsewhere.requests == []
    assert MEDIA_FAILED in texts(database)[0]


def test_redirects_within_twilio_are_followed_a_bounded_number_of_times(settings, database, fake_twilio) -> None:  # type: ignore[no-untyped-def]
    with _Redirector("/again") as twilio:
        configured = channel_settings(settings, fake_twilio=fake_twilio, twilio_api_url=twilio.url)
        with web_client(configured) as client:
            assert _post_form(client, _image_form(f"{twilio.url}/2010-04-01/Media/ME1")).status_code == 200
        assert 1 < len(twilio.requests) <= 5
    assert MEDIA_FAILED in texts(database)[0]


def test_a_media_fetch_that_fails_is_told_too(wa_settings, database, fake_twilio) -> None:  # type: ignore[no-untyped-def]
    url = fake_twilio.add_media(fake_twilio.media_path(), b"\xff\xd8")
    fake_twilio.fail_next(404, endpoint="media")
    with web_client(wa_settings) as client:
        assert _post_form(client, _image_form(url)).status_code == 200
    assert MEDIA_FAILED in texts(database)[0]


API = "https://api.twilio.com"


@pytest.mark.parametrize(
    "url",
    [
        "https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1",
        "https://mms.twiliocdn.com/AC1/abc?Expires=1",
        "https://media.us1.twilio.com/x",
        "https://API.Twilio.com/x",
    ],
)
def test_twilio_media_hosts_are_allowed(url: str) -> None:
    assert media_url_refusal(url, API) is None


@pytest.mark.parametrize(
    "url",
    [
        "http://[::1",
        "http://api.twilio.com/x",  # credentials in clear
        "https://twilio.com.evil.example/x",
        "https://evil-twilio.com/x",
        "https://evil.example/?next=api.twilio.com",
        "https://api.twilio.com@evil.example/x",
        "https://user:pass@api.twilio.com/x",
        "https://evil.example\\@api.twilio.com/x",
        "https://127.0.0.1/x",
        "https://169.254.169.254/latest/meta-data/",
        "file:///etc/passwd",
        "https://api.twilio.com:8443/x",
        "",
    ],
)
def test_other_urls_are_refused_with_a_reason(url: str) -> None:
    reason = media_url_refusal(url, API)
    assert reason and isinstance(reason, str)


def test_the_configured_api_root_is_allowed_for_tests_and_regions() -> None:
    assert media_url_refusal("http://127.0.0.1:8123/2010-04-01/x", "http://127.0.0.1:8123") is None
    assert media_url_refusal("http://127.0.0.1:8124/2010-04-01/x", "http://127.0.0.1:8123")


# -- WhatsApp: other odd forms ---------------------------------------------------------------------------


def test_odd_text_in_a_form_is_cleaned(wa_settings, database) -> None:  # type: ignore[no-untyped-def]
    form = {**wa_fixture("inbound_text"), "Body": "saldo\x00 kosong", "ProfileName": "Bu\x00 Ngat"}
    with web_client(wa_settings) as client:
        assert _post_form(client, form).status_code == 200
    [row] = inbound_rows(database)
    assert row.text == "saldo kosong" and row.payload["Body"] == "saldo kosong"


@pytest.mark.parametrize(("latitude", "longitude"), [("nan", "110.4"), ("-7.2", "inf"), ("95", "110"), ("-7.2", "1e400")])
def test_a_location_that_is_not_on_earth_is_unsupported(latitude, longitude, wa_settings, database) -> None:  # type: ignore[no-untyped-def]
    form = {**wa_fixture("inbound_location"), "Latitude": latitude, "Longitude": longitude}
    with web_client(wa_settings) as client:
        assert _post_form(client, form).status_code == 200
    [row] = inbound_rows(database)
    assert (row.kind, row.status) == ("unsupported", "processed")


def test_a_message_id_longer_than_any_twilio_sid_is_dropped(wa_settings, database) -> None:  # type: ignore[no-untyped-def]
    form = {**wa_fixture("inbound_text"), "MessageSid": "SM" + "a" * 100}
    with web_client(wa_settings) as client:
        assert _post_form(client, form).status_code == 200
    assert inbound_rows(database) == [] and outbox(database) == []


def test_a_status_callback_with_a_nul_byte_is_accepted(wa_settings, database) -> None:  # type: ignore[no-untyped-def]
    form = {**wa_fixture("status_delivered"), "MessageSid": "SM\x00x", "ErrorCode": "\x00"}
    with web_client(wa_settings) as client:
        assert _post_form(client, form, path="/webhooks/whatsapp/status").status_code == 204


# -- /media/ links ---------------------------------------------------------------------------------------


@pytest.fixture
def media_link(tg_settings) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    """A stored PNG and a valid signed link to it: (path, query)."""
    ref = MediaStore(tg_settings.media_dir, tg_settings.media_max_bytes).save(b"\x89PNG chart", "image/png")
    links = MediaLinks(PUBLIC_URL, tg_settings.secret_key, timedelta(hours=48))
    url = links.url(ref, now=FIXED_NOW).removeprefix(PUBLIC_URL)
    path, _, query = url.partition("?")
    return path, query


def test_a_valid_media_link_still_serves_the_file(tg_settings, media_link) -> None:  # type: ignore[no-untyped-def]
    path, query = media_link
    with web_client(tg_settings) as client:
        assert client.get(f"{path}?{query}").content == b"\x89PNG chart"


@pytest.mark.parametrize(
    "query",
    ["expires={expires}&signature=é", "expires={expires}&signature=%C3%A9%00", "expires=soon&signature={signature}",
     "expires=" + "9" * 5000 + "&signature={signature}", "expires={expires}&signature=\u0661"],
)  # fmt: skip
def test_odd_signatures_and_expiries_are_404(query, tg_settings, media_link) -> None:  # type: ignore[no-untyped-def]
    path, valid = media_link
    fields = dict(part.split("=", 1) for part in valid.split("&"))
    with web_client(tg_settings) as client:
        assert client.get(f"{path}?{query.format(**fields)}").status_code == 404


@pytest.mark.parametrize("suffix", ["/é.png", "/%C3%A9.png", "/ok.png%00", ".png/x"])
def test_odd_names_are_404(suffix, tg_settings, media_link) -> None:  # type: ignore[no-untyped-def]
    path, query = media_link
    with web_client(tg_settings) as client:
        assert client.get(f"{path}{suffix}?{query}").status_code == 404
        assert client.get(f"/media/%C3%A9{'a' * 63}.png?{query}").status_code == 404


# -- the database never logs parameters ------------------------------------------------------------------


def test_a_failing_statement_logs_no_parameter_values(database, caplog: pytest.LogCaptureFixture) -> None:  # type: ignore[no-untyped-def]
    nik = "3273011208900002"
    caplog.set_level(logging.INFO)
    with pytest.raises(DBAPIError) as caught:
        with database.transaction() as db:
            db.execute(text("SELECT * FROM no_such_table WHERE nik = :nik"), {"nik": nik})
    logging.getLogger("app.pipeline").error("inbound message failed", exc_info=caught.value)
    assert "no_such_table" in caplog.text  # the statement is there to debug with, its values are not
    assert nik not in caplog.text and nik not in str(caught.value)


def test_nothing_is_stored_half_way_for_a_nul_byte(tg_settings, database) -> None:  # type: ignore[no-untyped-def]
    with web_client(tg_settings) as client:
        assert post_raw(client, json.dumps(_text_update(text="NIK saya 3273011208900002\x00"))).status_code == 200
    with database.transaction() as db:
        assert db.scalar(select(func.count()).select_from(InboundMessage).where(InboundMessage.status == "processed")) == 1
        assert db.scalar(select(func.count()).select_from(OutboundMessage)) == 1
