"""Telegram end to end: webhooks with real payload shapes, PTB's real client against a fake Bot API."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.models import ChannelIdentity, InboundMessage, Person
from tests.integration.channel_setup import (
    TELEGRAM_SECRET,
    SteppingClock,
    channel_settings,
    outbox,
    run_worker,
    web_client,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "telegram"
CHAT = "512345678"


def fixture(name: str) -> dict:  # type: ignore[type-arg]
    return json.loads((FIXTURES / f"{name}.json").read_text())


@pytest.fixture
def tg_settings(settings, fake_telegram):  # type: ignore[no-untyped-def]
    return channel_settings(settings, fake_telegram=fake_telegram)


def post(client, update: dict, secret: str | None = TELEGRAM_SECRET):  # type: ignore[no-untyped-def,type-arg]
    headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret is not None else {}
    return client.post("/webhooks/telegram", json=update, headers=headers)


def test_wrong_or_missing_secret_is_refused(tg_settings, database) -> None:  # type: ignore[no-untyped-def]
    with web_client(tg_settings) as client:
        assert post(client, fixture("message_text"), secret="guess").status_code == 403
        assert post(client, fixture("message_text"), secret=None).status_code == 403
        assert post(client, {"not": "an update"}).status_code == 400
    with database.transaction() as db:
        assert db.scalar(select(func.count()).select_from(InboundMessage)) == 0


def test_text_is_answered_once_even_when_delivered_twice(tg_settings, database) -> None:  # type: ignore[no-untyped-def]
    update = fixture("message_text")
    with web_client(tg_settings) as client:
        assert post(client, update).status_code == 200
        assert post(client, update).status_code == 200
    replies = outbox(database, channel="telegram", address=CHAT)
    assert len(replies) == 1 and replies[0].body["text"].startswith("Kawal Bansos membantu Anda melapor masalah kartu KKS")
    with database.transaction() as db:
        person = db.scalar(select(Person))
        assert person is not None and person.display_name == "Siti Aminah"


def test_button_tap_is_an_option_and_its_spinner_is_stopped(tg_settings, database, fake_telegram) -> None:  # type: ignore[no-untyped-def]
    tap = fixture("callback_query")
    tap["callback_query"]["data"] = "consent:yes"
    with web_client(tg_settings) as client:
        post(client, fixture("message_text"))
        assert post(client, tap).status_code == 200
    assert outbox(database)[-1].body["text"].startswith("Di desa atau kelurahan mana Anda tinggal?")  # consent given
    answered = fake_telegram.calls_to("answerCallbackQuery")
    assert [c.params["callback_query_id"] for c in answered] == [tap["callback_query"]["id"]]


def test_photo_largest_size_is_downloaded_into_the_media_store(tg_settings, database, fake_telegram) -> None:  # type: ignore[no-untyped-def]
    update = fixture("photo")
    largest = max(update["message"]["photo"], key=lambda p: p.get("file_size", 0))
    fake_telegram.add_file(largest["file_id"], b"\xff\xd8 a real photo", "photos/file_9.jpg")
    with web_client(tg_settings) as client:
        assert post(client, update).status_code == 200
    stored = list(Path(tg_settings.media_dir).rglob("*.jpg"))
    assert len(stored) == 1 and stored[0].read_bytes() == b"\xff\xd8 a real photo"
    assert [c.params["file_id"] for c in fake_telegram.calls_to("getFile")] == [largest["file_id"]]


def test_photo_over_the_size_limit_gets_a_clear_answer(settings, database, fake_telegram) -> None:  # type: ignore[no-untyped-def]
    small = channel_settings(settings, fake_telegram=fake_telegram, media_max_bytes=1024)
    update = fixture("photo")
    for size in update["message"]["photo"]:
        size["file_size"] = 5000
    with web_client(small) as client:
        assert post(client, update).status_code == 200
    assert "terlalu besar" in outbox(database)[-1].body["text"]
    assert fake_telegram.calls_to("getFile") == []


def test_voice_location_and_contact(tg_settings, database, fake_telegram) -> None:  # type: ignore[no-untyped-def]
    voice = fixture("voice")
    fake_telegram.add_file(voice["message"]["voice"]["file_id"], b"OggS voice", "voice/file_3.oga")
    with web_client(tg_settings) as client:
        for name in ("message_text",):
            post(client, fixture(name))
        assert post(client, voice).status_code == 200
        assert post(client, fixture("location")).status_code == 200
        assert post(client, fixture("contact_shared")).status_code == 200
    assert list(Path(tg_settings.media_dir).rglob("*.ogg"))
    with database.transaction() as db:
        person = db.scalar(select(Person))
        assert person is not None and person.phone == "+6281234567890"  # learned from the shared contact
        kinds = list(db.scalars(select(InboundMessage.kind).order_by(InboundMessage.id)))
    assert kinds == ["text", "voice", "location", "contact"]


def test_sticker_and_edited_message_get_a_short_answer_group_gets_silence(tg_settings, database) -> None:  # type: ignore[no-untyped-def]
    with web_client(tg_settings) as client:
        post(client, fixture("sticker"))
        post(client, fixture("edited_message"))
        post(client, fixture("group_message"))
    texts = [m.body["text"] for m in outbox(database)]
    assert any("jenis pesan ini belum bisa kami baca" in t for t in texts)
    assert any("Pesan yang diubah" in t for t in texts)
    assert all(m.address == CHAT for m in outbox(database))  # nothing to the group


def test_start_deep_link_with_an_unknown_code_is_told_then_welcomed(tg_settings, database) -> None:  # type: ignore[no-untyped-def]
    with web_client(tg_settings) as client:
        assert post(client, fixture("message_start_deeplink")).status_code == 200
    with database.transaction() as db:
        message = db.scalar(select(InboundMessage))
        assert message is not None and message.text == "/start"
    texts = [row.body["text"] for row in outbox(database)]
    assert texts[0].startswith("Kode undangan itu tidak berlaku") and texts[1].startswith("Kawal Bansos membantu Anda melapor masalah kartu KKS")


def test_blocking_the_bot_marks_the_identity_unreachable(tg_settings, database) -> None:  # type: ignore[no-untyped-def]
    with web_client(tg_settings) as client:
        post(client, fixture("message_text"))
        post(client, fixture("my_chat_member_blocked"))
    with database.transaction() as db:
        identity = db.scalar(select(ChannelIdentity))
        assert identity is not None and identity.unreachable_at is not None


def _queue_reply(tg_settings, database, fake_telegram) -> None:  # type: ignore[no-untyped-def]
    with web_client(tg_settings) as client:
        post(client, fixture("message_text"))


def test_worker_sends_with_an_inline_keyboard(tg_settings, database, runtime, fake_telegram) -> None:  # type: ignore[no-untyped-def]
    _queue_reply(tg_settings, database, fake_telegram)
    clock = SteppingClock()
    assert run_worker(tg_settings, database, runtime, clock, lambda w: w.deliver_batch()) == 1
    [sent] = fake_telegram.calls_to("sendMessage")
    assert sent.chat_id == int(CHAT) and sent.params["text"].startswith("Kawal Bansos membantu Anda melapor masalah kartu KKS")
    buttons = [row[0] for row in sent.params["reply_markup"]["inline_keyboard"]]
    assert [(b["text"], b["callback_data"]) for b in buttons] == [("1. Ya, setuju", "consent:yes"), ("2. Tidak", "consent:no")]
    [row] = outbox(database, channel="telegram")
    assert row.status == "sent" and row.provider_message_id


def test_429_then_success_honours_retry_after(tg_settings, database, runtime, fake_telegram) -> None:  # type: ignore[no-untyped-def]
    _queue_reply(tg_settings, database, fake_telegram)
    fake_telegram.fail_next("sendMessage", status=429, retry_after=7)
    clock = SteppingClock()
    run_worker(tg_settings, database, runtime, clock, lambda w: w.deliver_batch())
    [row] = outbox(database, channel="telegram")
    assert row.status == "queued" and "429" in row.error
    assert row.next_attempt_at == clock.now() + __import__("datetime").timedelta(seconds=7)
    clock.advance(seconds=7)
    run_worker(tg_settings, database, runtime, clock, lambda w: w.deliver_batch())
    assert outbox(database, channel="telegram")[0].status == "sent"
    assert len(fake_telegram.calls_to("sendMessage", ok=True)) == 1


def test_500_and_network_errors_are_retried_with_backoff(tg_settings, database, runtime, fake_telegram) -> None:  # type: ignore[no-untyped-def]
    # both failures may have reached Telegram (ambiguous): allow two such retries (the default is one)
    tg_settings = tg_settings.model_copy(update={"outbox_ambiguous_retries": 2})
    _queue_reply(tg_settings, database, fake_telegram)
    fake_telegram.fail_next("sendMessage", status=500)
    clock = SteppingClock()
    run_worker(tg_settings, database, runtime, clock, lambda w: w.deliver_batch())
    assert outbox(database, channel="telegram")[0].status == "queued"
    fake_telegram.fail_next("sendMessage", disconnect=True)
    clock.advance(seconds=2)
    run_worker(tg_settings, database, runtime, clock, lambda w: w.deliver_batch())
    [row] = outbox(database, channel="telegram")
    assert (row.status, row.attempts) == ("queued", 2)
    clock.advance(seconds=4)
    run_worker(tg_settings, database, runtime, clock, lambda w: w.deliver_batch())
    assert outbox(database, channel="telegram")[0].status == "sent"


def test_403_blocked_fails_and_marks_unreachable_until_they_write(tg_settings, database, runtime, fake_telegram) -> None:  # type: ignore[no-untyped-def]
    _queue_reply(tg_settings, database, fake_telegram)
    fake_telegram.fail_next("sendMessage", status=403)
    run_worker(tg_settings, database, runtime, SteppingClock(), lambda w: w.deliver_batch())
    [row] = outbox(database, channel="telegram")
    assert row.status == "failed" and "blocked" in row.error
    with database.transaction() as db:
        assert db.scalar(select(ChannelIdentity.unreachable_at)) is not None
    again = fixture("message_text")
    again["update_id"] += 100
    with web_client(tg_settings) as client:
        post(client, again)
    with database.transaction() as db:
        assert db.scalar(select(ChannelIdentity.unreachable_at)) is None


def test_a_crash_between_claiming_and_sending_sends_once_after_restart(tg_settings, database, runtime, fake_telegram) -> None:  # type: ignore[no-untyped-def]
    _queue_reply(tg_settings, database, fake_telegram)
    clock = SteppingClock()

    async def claim_then_die(worker):  # type: ignore[no-untyped-def]
        return worker.claim(10)

    assert len(run_worker(tg_settings, database, runtime, clock, claim_then_die)) == 1
    assert outbox(database, channel="telegram")[0].status == "claimed"

    async def restart(worker):  # type: ignore[no-untyped-def]
        return await worker.deliver_batch()

    assert run_worker(tg_settings, database, runtime, clock, restart) == 0  # still leased to the dead worker
    clock.advance(minutes=11)  # the dead worker's lease runs out
    assert run_worker(tg_settings, database, runtime, clock, restart) == 1
    assert run_worker(tg_settings, database, runtime, clock, restart) == 0
    assert len(fake_telegram.calls_to("sendMessage", ok=True)) == 1
    assert outbox(database, channel="telegram")[0].status == "sent"


def test_a_crash_during_sending_is_sent_again_and_counted(tg_settings, database, runtime, fake_telegram) -> None:  # type: ignore[no-untyped-def]
    """Cut off during its request, a reply is sent again (a rare duplicate beats a question never asked), and says so."""
    _queue_reply(tg_settings, database, fake_telegram)
    clock = SteppingClock()

    async def die_mid_send(worker):  # type: ignore[no-untyped-def]
        [row] = worker.claim(10)
        with database.transaction() as db:
            assert worker._mark_sending(row, db)

    run_worker(tg_settings, database, runtime, clock, die_mid_send)
    clock.advance(minutes=11)
    run_worker(tg_settings, database, runtime, clock, lambda w: w.deliver_batch())
    [row] = outbox(database, channel="telegram")
    assert (row.status, row.error, row.ambiguous_failures) == ("sent", "resent after an interruption", 1)
    assert len(fake_telegram.calls_to("sendMessage", ok=True)) == 1


def test_rate_limit_spaces_one_chat_a_second(tg_settings, database, runtime, fake_telegram) -> None:  # type: ignore[no-untyped-def]
    with web_client(tg_settings) as client:
        post(client, fixture("message_text"))
        for offset in (1, 2):
            update = fixture("message_text")
            update["update_id"] += offset
            update["message"]["text"] = "bantuan"
            post(client, update)
    run_worker(tg_settings, database, runtime, SteppingClock(), lambda w: w.deliver_batch())
    times = [c.at for c in fake_telegram.calls_to("sendMessage", ok=True)]
    assert len(times) == 5
    gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
    assert min(gaps) >= 0.95  # 1 message per second per chat, in order


def test_long_polling_processes_updates_and_confirms_them(tg_settings, database, runtime, fake_telegram) -> None:  # type: ignore[no-untyped-def]
    from app.channels import Channels
    from app.pipeline import Pipeline
    from app.telegram_polling import poll_telegram

    polling = tg_settings.model_copy(update={"public_base_url": ""})
    fake_telegram.push_update(fixture("message_text"))

    async def scenario() -> None:
        channels = Channels.build(polling, database, Pipeline(database, runtime), SteppingClock())
        await channels.bot.initialize()
        stop = asyncio.Event()
        task = asyncio.create_task(poll_telegram(channels, stop))
        for _ in range(100):
            await asyncio.sleep(0.05)
            if outbox(database):
                break
        stop.set()
        await asyncio.wait_for(task, timeout=10)
        await channels.close()

    asyncio.run(scenario())
    assert outbox(database)[0].body["text"].startswith("Kawal Bansos membantu Anda melapor masalah kartu KKS")
    assert fake_telegram.calls_to("deleteWebhook")
    assert fake_telegram.pending_updates() == []


def test_set_webhook_registers_the_public_url_with_the_secret(tg_settings, fake_telegram, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from click.testing import CliRunner

    from app.cli import main

    for name, value in {
        "KAWAL_TELEGRAM_BOT_TOKEN": tg_settings.telegram_bot_token,
        "KAWAL_TELEGRAM_API_URL": fake_telegram.url,
        "KAWAL_PUBLIC_BASE_URL": "https://kawal.example.org",
        "KAWAL_TELEGRAM_WEBHOOK_SECRET": TELEGRAM_SECRET,
        "KAWAL_SECRET_KEY": "x" * 20,
        "KAWAL_DATABASE_URL": tg_settings.database_url,
    }.items():
        monkeypatch.setenv(name, value)
    result = CliRunner().invoke(main, ["telegram", "set-webhook"])
    assert result.exit_code == 0, result.output
    assert fake_telegram.webhook.url == "https://kawal.example.org/webhooks/telegram"
    assert fake_telegram.webhook.secret_token == TELEGRAM_SECRET
