"""WhatsApp through Twilio end to end: signed webhooks with real field shapes, the real twilio client against a fake."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, update
from twilio.request_validator import RequestValidator

from app.models import ChannelIdentity, InboundMessage, OutboundMessage
from tests.fakes.fixtures import TWILIO_TEST_AUTH_TOKEN
from tests.integration.channel_setup import PUBLIC_URL, SteppingClock, channel_settings, outbox, run_worker, web_client

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "twilio"
PHONE = "+6285712345678"


def fixture(name: str) -> dict[str, str]:
    return json.loads((FIXTURES / f"{name}.json").read_text())


def signed(path: str, form: dict[str, str], url_base: str = PUBLIC_URL) -> dict[str, str]:
    return {"X-Twilio-Signature": RequestValidator(TWILIO_TEST_AUTH_TOKEN).compute_signature(url_base + path, form)}


def post(client, form: dict[str, str], path: str = "/webhooks/whatsapp", headers: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return client.post(path, data=form, headers=signed(path, form) if headers is None else headers)


@pytest.fixture
def wa_settings(settings, fake_twilio):  # type: ignore[no-untyped-def]
    return channel_settings(settings, fake_twilio=fake_twilio)


def test_forged_or_missing_signature_is_refused(wa_settings, database) -> None:  # type: ignore[no-untyped-def]
    form = fixture("inbound_text")
    with web_client(wa_settings) as client:
        assert post(client, form, headers={}).status_code == 403
        assert post(client, form, headers={"X-Twilio-Signature": "Zm9yZ2Vk"}).status_code == 403
        tampered = signed("/webhooks/whatsapp", form)
        assert post(client, {**form, "Body": "ganti isi"}, headers=tampered).status_code == 403
        # signed over the URL the proxy forwarded to, not the public one: refused
        internal = signed("/webhooks/whatsapp", form, url_base="http://testserver")
        assert post(client, form, headers=internal).status_code == 403
    with database.transaction() as db:
        assert db.scalar(select(func.count()).select_from(InboundMessage)) == 0


def test_text_gets_empty_twiml_and_one_reply_even_when_delivered_twice(wa_settings, database) -> None:  # type: ignore[no-untyped-def]
    form = fixture("inbound_text")
    with web_client(wa_settings) as client:
        first = post(client, form)
        assert first.status_code == 200 and first.headers["content-type"].startswith("text/xml")
        assert first.text == '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'
        assert post(client, form).status_code == 200
    replies = outbox(database, channel="whatsapp")
    assert len(replies) == 1 and replies[0].address == PHONE
    with database.transaction() as db:
        identity = db.scalar(select(ChannelIdentity))
        assert identity is not None and identity.last_inbound_at is not None


def test_image_is_downloaded_with_the_account_credentials(wa_settings, database, fake_twilio) -> None:  # type: ignore[no-untyped-def]
    form = fixture("inbound_image")
    fake_twilio.media_redirect = True  # real Twilio redirects media to a CDN
    form["MediaUrl0"] = fake_twilio.add_media(form["MediaUrl0"], b"\xff\xd8 jpeg bytes", "image/jpeg")
    with web_client(wa_settings) as client:
        assert post(client, form).status_code == 200
    stored = list(Path(wa_settings.media_dir).rglob("*.jpg"))
    assert len(stored) == 1 and stored[0].read_bytes() == b"\xff\xd8 jpeg bytes"
    assert fake_twilio.media_requests[0].authorized


def test_voice_location_and_quick_reply_button(wa_settings, database, fake_twilio) -> None:  # type: ignore[no-untyped-def]
    voice = fixture("inbound_voice")
    voice["MediaUrl0"] = fake_twilio.add_media(voice["MediaUrl0"], b"OggS", voice["MediaContentType0"])
    button = fixture("inbound_button")
    with web_client(wa_settings) as client:
        post(client, fixture("inbound_text"))
        for form in (voice, fixture("inbound_location"), button):
            assert post(client, form).status_code == 200
    with database.transaction() as db:
        kinds = list(db.scalars(select(InboundMessage.kind).order_by(InboundMessage.id)))
    assert kinds == ["text", "voice", "location", "option"]
    assert list(Path(wa_settings.media_dir).rglob("*.ogg"))


def test_worker_sends_options_as_a_numbered_list(wa_settings, database, runtime, fake_twilio) -> None:  # type: ignore[no-untyped-def]
    with web_client(wa_settings) as client:
        post(client, fixture("inbound_text"))
    clock = SteppingClock()
    run_worker(wa_settings, database, runtime, clock, lambda w: w.deliver_batch())
    [message] = fake_twilio.messages
    assert message.to == f"whatsapp:{PHONE}" and message.from_ == "whatsapp:+14155238886"
    assert message.body.endswith("Setuju? (Type ENGLISH for English.)\n\n1. Ya, setuju\n2. Tidak")
    assert message.status_callback == f"{PUBLIC_URL}/webhooks/whatsapp/status"
    [row] = outbox(database, channel="whatsapp")
    assert row.status == "sent" and row.provider_message_id == message.sid


def test_429_then_500_then_success(wa_settings, database, runtime, fake_twilio) -> None:  # type: ignore[no-untyped-def]
    with web_client(wa_settings) as client:
        post(client, fixture("inbound_text"))
    clock = SteppingClock()
    fake_twilio.fail_next(429, retry_after=5)
    run_worker(wa_settings, database, runtime, clock, lambda w: w.deliver_batch())
    [row] = outbox(database, channel="whatsapp")
    assert row.status == "queued" and row.next_attempt_at == clock.now() + timedelta(seconds=5)
    clock.advance(seconds=5)
    fake_twilio.fail_next(500)
    run_worker(wa_settings, database, runtime, clock, lambda w: w.deliver_batch())
    assert outbox(database, channel="whatsapp")[0].status == "queued"
    clock.advance(seconds=4)
    run_worker(wa_settings, database, runtime, clock, lambda w: w.deliver_batch())
    assert outbox(database, channel="whatsapp")[0].status == "sent"
    assert len(fake_twilio.messages) == 1


def test_invalid_number_fails_with_the_reason_and_marks_unreachable(wa_settings, database, runtime, fake_twilio) -> None:  # type: ignore[no-untyped-def]
    with web_client(wa_settings) as client:
        post(client, fixture("inbound_text"))
    fake_twilio.fail_next(code=21211)
    run_worker(wa_settings, database, runtime, SteppingClock(), lambda w: w.deliver_batch())
    [row] = outbox(database, channel="whatsapp")
    assert row.status == "failed" and "21211" in row.error
    with database.transaction() as db:
        assert db.scalar(select(ChannelIdentity.unreachable_at)) is not None


def _business_message(database, purpose: str, hours_since_last_message: float, clock) -> None:  # type: ignore[no-untyped-def]
    with database.transaction() as db:
        identity = db.scalar(select(ChannelIdentity))
        identity.last_inbound_at = clock.now() - timedelta(hours=hours_since_last_message)
        db.execute(update(OutboundMessage).values(status="sent"))
        db.add(
            OutboundMessage(
                idempotency_key=f"test:{purpose}", person_id=identity.person_id, channel="whatsapp", address=identity.address,
                purpose=purpose, body={"text": "Besok pertemuan P2K2", "options": [], "media": [], "variables": {"1": "Senin"}},
                status="queued", attempts=0, next_attempt_at=clock.now(), created_at=clock.now(),
            )
        )  # fmt: skip


def test_outside_the_24_hour_window_a_template_is_used(settings, database, runtime, fake_twilio) -> None:  # type: ignore[no-untyped-def]
    templated = channel_settings(settings, fake_twilio=fake_twilio, whatsapp_templates={"reminder": "HX0123456789abcdef"})
    with web_client(templated) as client:
        post(client, fixture("inbound_text"))
    clock = SteppingClock()
    _business_message(database, "reminder", 25, clock)
    run_worker(templated, database, runtime, clock, lambda w: w.deliver_batch())
    [message] = fake_twilio.messages
    assert message.content_sid == "HX0123456789abcdef" and message.content_variables == {"1": "Senin"}
    assert not message.body


def test_inside_the_window_free_text_is_used(settings, database, runtime, fake_twilio) -> None:  # type: ignore[no-untyped-def]
    templated = channel_settings(settings, fake_twilio=fake_twilio, whatsapp_templates={"reminder": "HX0123456789abcdef"})
    with web_client(templated) as client:
        post(client, fixture("inbound_text"))
    clock = SteppingClock()
    _business_message(database, "reminder", 23, clock)
    run_worker(templated, database, runtime, clock, lambda w: w.deliver_batch())
    assert [m.body for m in fake_twilio.messages] == ["Besok pertemuan P2K2"]


def test_outside_the_window_without_a_template_fails_visibly(wa_settings, database, runtime, fake_twilio) -> None:  # type: ignore[no-untyped-def]
    with web_client(wa_settings) as client:
        post(client, fixture("inbound_text"))
    clock = SteppingClock()
    _business_message(database, "status_update", 30, clock)
    run_worker(wa_settings, database, runtime, clock, lambda w: w.deliver_batch())
    [row] = outbox(database, purpose="status_update")
    assert row.status == "failed"
    assert "no template configured for 'status_update'" in row.error and "KAWAL_WHATSAPP_TEMPLATES" in row.error
    assert fake_twilio.messages == []


def test_opted_out_people_get_no_broadcasts_but_still_get_replies(wa_settings, database, runtime, fake_twilio) -> None:  # type: ignore[no-untyped-def]
    text = fixture("inbound_text")
    with web_client(wa_settings) as client:
        post(client, text)
        post(client, {**text, "MessageSid": "SM" + "9" * 32, "Body": "berhenti"})
    clock = SteppingClock()
    _business_message(database, "reminder", 1, clock)
    with database.transaction() as db:
        db.execute(update(OutboundMessage).where(OutboundMessage.purpose == "reply").values(status="queued"))
    run_worker(wa_settings, database, runtime, clock, lambda w: w.deliver_batch())
    [reminder] = outbox(database, purpose="reminder")
    assert reminder.status == "failed" and "opted out" in reminder.error
    assert all(row.status == "sent" for row in outbox(database, purpose="reply"))


def test_status_callbacks_only_move_forward(wa_settings, database, runtime, fake_twilio) -> None:  # type: ignore[no-untyped-def]
    with web_client(wa_settings) as client:
        post(client, fixture("inbound_text"))
    run_worker(wa_settings, database, runtime, SteppingClock(), lambda w: w.deliver_batch())
    sid = fake_twilio.messages[0].sid
    base = fixture("status_delivered")
    path = "/webhooks/whatsapp/status"
    with web_client(wa_settings) as client:
        for status in ("read", "delivered", "sent"):  # out of order: read arrives first
            form = {**base, "MessageSid": sid, "SmsSid": sid, "MessageStatus": status, "SmsStatus": status}
            assert post(client, form, path=path).status_code == 204
        failed = {**fixture("status_failed_outside_window"), "MessageSid": sid}
        assert post(client, failed, path=path).status_code == 204
        assert post(client, {**failed, "MessageStatus": "sent"}, path=path, headers={}).status_code == 403
    [row] = outbox(database, channel="whatsapp")
    assert (row.status, row.provider_status) == ("read", "read")


def test_a_failed_status_records_the_error_code(wa_settings, database, runtime, fake_twilio) -> None:  # type: ignore[no-untyped-def]
    with web_client(wa_settings) as client:
        post(client, fixture("inbound_text"))
    run_worker(wa_settings, database, runtime, SteppingClock(), lambda w: w.deliver_batch())
    sid = fake_twilio.messages[0].sid
    with web_client(wa_settings) as client:
        form = {**fixture("status_failed_outside_window"), "MessageSid": sid}
        post(client, form, path="/webhooks/whatsapp/status")
    [row] = outbox(database, channel="whatsapp")
    assert row.status == "failed" and "63016" in row.error
