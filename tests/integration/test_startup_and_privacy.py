"""Issue 16: the service starts without Telegram, the simulator stays private, no NIK in clear, private rejected
rows, and webhooks that never wait on a busy database longer than their provider allows."""

from __future__ import annotations

import io
import json
import logging
import os
import socket
import sqlite3
import stat
import threading
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import psycopg
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, inspect, select, text
from twilio.request_validator import RequestValidator

from app import telegram_start
from app.config import Settings, load_settings
from app.db import Database
from app.demo import seed_demo
from app.households.importer import import_households
from app.identifiers import keyed_hash
from app.masking import MaskingFilter, mask_niks, masked_value
from app.models import Case, InboundMessage
from app.pipeline import Pipeline
from app.web import create_app
from tests.conftest import FIXED_NOW, LOOPBACK, SECRET
from tests.fakes.fixtures import TWILIO_TEST_AUTH_TOKEN
from tests.integration.channel_setup import (
    PUBLIC_URL,
    TELEGRAM_SECRET,
    channel_settings,
    outbox,
    web_client,
)
from tests.integration.helpers import Chat

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
NIK = "3273074506800001"
SARI = "+6281200000001"  # Bu Sari, a household of Kelurahan Pasteur (demo data)
TELEGRAM_CHAT = "512345678"


def telegram_fixture(name: str) -> dict[str, Any]:
    return json.loads((FIXTURES / "telegram" / f"{name}.json").read_text())  # type: ignore[no-any-return]


def twilio_fixture(name: str) -> dict[str, str]:
    return json.loads((FIXTURES / "twilio" / f"{name}.json").read_text())  # type: ignore[no-any-return]


def wait_until(condition: Callable[[], bool], *, tries: int = 600, pause: float = 0.05) -> None:
    """Poll ``condition`` a bounded number of times (what is asserted is the state, never the time it took)."""
    for _ in range(tries):
        if condition():
            return
        time.sleep(pause)
    raise AssertionError("the condition did not come true")


# --- Telegram unreachable at start ------------------------------------------------------------------------------


def _closed_port_url() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{s.getsockname()[1]}"  # nothing listens there once this is closed


def test_serve_starts_and_answers_while_telegram_is_unreachable(settings, fake_twilio, monkeypatch, database) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(telegram_start, "FIRST_PAUSE_SECONDS", 0.05)
    unreachable = channel_settings(settings, fake_twilio=fake_twilio).model_copy(update={
        "telegram_bot_token": "123456789:AAF-unreachable", "telegram_webhook_secret": TELEGRAM_SECRET,
        "telegram_api_url": _closed_port_url(),
    })  # fmt: skip
    with TestClient(create_app(unreachable, background=True), client=LOOPBACK) as client:  # used to raise here
        wait_until(lambda: client.app.state.telegram.attempts >= 2)  # retried, not given up
        health = client.get("/healthz")
        form = twilio_fixture("inbound_text")
        answer = client.post("/webhooks/whatsapp", data=form, headers=_twilio_signed("/webhooks/whatsapp", form))
    assert health.status_code == 200
    assert health.json() == {"status": "ok", "database": "reachable", "telegram": "starting"}
    assert answer.status_code == 200  # WhatsApp goes on
    assert len(outbox(database, channel="whatsapp")) == 1


def test_telegram_start_is_retried_until_the_bot_api_answers(settings, fake_telegram, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(telegram_start, "FIRST_PAUSE_SECONDS", 0.05)
    fake_telegram.fail_next("getMe", status=502, times=2)
    fake_telegram.fail_next("getMe", disconnect=True)
    fake_telegram.fail_next("setWebhook", status=500)
    tg_settings = channel_settings(settings, fake_telegram=fake_telegram)
    with TestClient(create_app(tg_settings, background=False), client=LOOPBACK) as client:
        wait_until(lambda: client.get("/healthz").json()["telegram"] == "ready")
        state = client.app.state.telegram
    assert len(fake_telegram.calls_to("getMe")) == 4 and len(fake_telegram.calls_to("getMe", ok=True)) == 1
    assert len(fake_telegram.calls_to("setWebhook")) == 2
    assert fake_telegram.webhook.url == f"{PUBLIC_URL}/webhooks/telegram"
    assert fake_telegram.webhook.secret_token == TELEGRAM_SECRET
    assert (state.attempts, state.last_error) == (5, "")


def test_long_polling_begins_once_telegram_answers(settings, fake_telegram, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(telegram_start, "FIRST_PAUSE_SECONDS", 0.05)
    fake_telegram.fail_next("getMe", status=502, times=2)
    polling = channel_settings(settings, fake_telegram=fake_telegram).model_copy(update={"public_base_url": ""})
    with TestClient(create_app(polling, background=True), client=LOOPBACK) as client:
        wait_until(lambda: bool(fake_telegram.calls_to("getUpdates")))
        assert client.get("/healthz").json()["telegram"] == "ready"
    assert fake_telegram.calls_to("deleteWebhook") and not fake_telegram.calls_to("setWebhook")


# --- the simulator ----------------------------------------------------------------------------------------------


def test_the_simulator_is_off_unless_asked_for(settings) -> None:  # type: ignore[no-untyped-def]
    default = load_settings(database_url=settings.database_url, secret_key=SECRET, scheduler_enabled=False)
    assert not default.simulator_enabled
    with TestClient(create_app(default, background=False), client=LOOPBACK) as client:
        assert client.get("/").status_code == 404
        assert client.get("/simulator/personas").status_code == 404
        assert client.post("/simulator/clock", json={"advance": "1d"}).status_code == 404


@pytest.mark.parametrize("host", ["127.0.0.1", "::1"])
def test_the_simulator_answers_this_machine(settings, host: str) -> None:  # type: ignore[no-untyped-def]
    with TestClient(create_app(settings, background=False), client=(host, 50000)) as client:
        assert client.get("/").status_code == 200
        assert client.get("/simulator/personas").status_code == 200


@pytest.mark.parametrize(
    ("host", "headers"),
    [
        ("203.0.113.7", {}),  # from the internet
        ("192.168.1.20", {}),  # from the office network
        ("testclient", {}),  # not an address at all
        ("127.0.0.1", {"X-Forwarded-For": "203.0.113.7"}),  # through a proxy on this machine
        ("127.0.0.1", {"Forwarded": "for=203.0.113.7"}),
    ],
)
def test_the_simulator_is_404_to_anyone_else(settings, database, host: str, headers: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    with TestClient(create_app(settings, background=False), client=(host, 50000)) as client:
        assert client.get("/", headers=headers).status_code == 404
        assert client.get("/simulator/personas", headers=headers).status_code == 404
        message = {"phone": SARI, "client_id": "outsider-0001", "text": "halo"}
        assert client.post("/simulator/messages", json=message, headers=headers).status_code == 404
        assert client.post("/simulator/clock", json={"advance": "7d"}, headers=headers).status_code == 404
        assert client.get("/simulator/messages", params={"phone": SARI}, headers=headers).status_code == 404
        assert client.get("/healthz", headers=headers).status_code == 200  # the rest is served as before
    with database.transaction() as db:
        assert db.scalar(select(func.count()).select_from(InboundMessage)) == 0


# --- no NIK in clear --------------------------------------------------------------------------------------------


def tables_holding(database: Database, digits: str) -> set[str]:
    """Every table with a value whose text contains ``digits`` (all columns of all tables, cast to text)."""
    found = set()
    with database.engine.connect() as connection:
        for table in inspect(connection).get_table_names():
            for row in connection.execute(text(f'SELECT * FROM "{table}"')):
                if any(digits in str(value) for value in row if value is not None):
                    found.add(table)
    return found


def test_a_nik_typed_in_a_report_is_stored_masked_everywhere(settings, database, runtime) -> None:  # type: ignore[no-untyped-def]
    with database.transaction() as db:
        seed_demo(db, secret_key=SECRET, now=FIXED_NOW)
    chat = Chat(Pipeline(database, runtime), SARI)
    assert chat.send("halo").status == "processed"
    assert chat.send(f"bantuan saya belum cair, NIK saya {NIK}, KK 3273 0745 0680 0002").status == "processed"
    assert tables_holding(database, NIK) == set()  # mid-report: the message, its payload and the session
    assert tables_holding(database, "3273 0745 0680 0002") == set()
    for answer in ("1", "1"):  # the programme, then send
        assert chat.send(answer).status == "processed"
    assert tables_holding(database, NIK) == set()  # the case, and the notice to the companion
    assert tables_holding(database, "3273074506800002") == set()
    with database.transaction() as db:
        [case] = db.scalars(select(Case)).all()
        stored = db.scalars(select(InboundMessage).order_by(InboundMessage.id)).all()[1]
        assert "NIK saya 3273********0001, KK 3273********0002" in case.details["answers"]["message"]
        assert stored.text == "bantuan saya belum cair, NIK saya 3273********0001, KK 3273********0002"
        assert stored.payload == {"line": stored.text}
        assert keyed_hash(NIK, settings.identifier_hash_key) not in str(stored.payload)  # nor a hash to export


def test_only_nik_looking_numbers_are_masked() -> None:
    assert mask_niks(f"nik:{NIK}.") == "nik:3273********0001."
    assert mask_niks("3273-0745-0680-0001") == "3273********0001"
    assert mask_niks("HP 081234567890, +6281234567890") == "HP 081234567890, +6281234567890"  # phone numbers
    assert mask_niks("32730745068000011") == "32730745068000011"  # 17 digits: not a NIK
    assert mask_niks("KB-3HR55 tanggal 2026-11-23") == "KB-3HR55 tanggal 2026-11-23"
    payload = {"Body": NIK, "MediaUrl0": f"https://api.twilio.com/Media/{NIK}", "message": {"file_id": f"AgAD{NIK}"}}
    assert masked_value(payload) == {**payload, "Body": "3273********0001"}  # provider ids and links stay usable


def test_log_lines_carry_no_nik() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(MaskingFilter())
    logger = logging.getLogger("tests.masking")
    logger.addHandler(handler)
    try:
        logger.warning("message %s failed", f"NIK {NIK}")
        try:
            raise ValueError(f"bad value {NIK}")
        except ValueError:
            logger.exception("handling failed")
    finally:
        logger.removeHandler(handler)
    assert NIK not in stream.getvalue()
    assert "message NIK 3273********0001 failed" in stream.getvalue()
    assert "ValueError: bad value 3273********0001" in stream.getvalue()


# --- the rejected rows of an import -----------------------------------------------------------------------------


def test_the_rejected_rows_file_is_readable_by_its_owner_only(settings, database, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "kpm.csv"
    path.write_text(f"nama,nik,kode_wilayah\nSari,{NIK},32.73.07.1001\nSalah,3273073102990003,32.73.07.1001\n")
    stale = tmp_path / "kpm_rejected.csv"
    stale.write_text("left from an earlier run\n")
    stale.chmod(0o644)
    previous = os.umask(0o022)  # the usual umask: files are world-readable unless made otherwise
    try:
        result = import_households(database, path, secret_key=SECRET, now=FIXED_NOW)
        assert result.rejected == 1 and result.rejected_path == stale
        assert stat.S_IMODE(stale.stat().st_mode) == 0o600
        stale.unlink()
        import_households(database, path, secret_key=SECRET, now=FIXED_NOW)
        assert stat.S_IMODE(stale.stat().st_mode) == 0o600  # created 0600 from the start
        assert "3273073102990003" in stale.read_text(encoding="utf-8-sig")  # it does repeat the NIK
    finally:
        os.umask(previous)


# --- bounded waits on a busy database ---------------------------------------------------------------------------


class WriteLock:
    """Another connection holding the database's write lock (a backup, a long import) until ``release()``.

    SQLite: ``BEGIN IMMEDIATE``; PostgreSQL: ``LOCK TABLE inbound_messages`` (no message can be recorded).
    It lets go by itself after ``longest`` seconds, so code that waits for it cannot hang the test.
    """

    def __init__(self, settings: Settings, longest: float = 20.0) -> None:
        self.settings, self.longest = settings, longest
        self.taken, self.released = threading.Event(), threading.Event()
        self.thread = threading.Thread(target=self._hold, daemon=True)

    def __enter__(self) -> WriteLock:  # noqa: PYI034 - only ever used as itself
        self.thread.start()
        assert self.taken.wait(10)
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()

    @property
    def held(self) -> bool:
        return self.taken.is_set() and not self.released.is_set()

    def release(self) -> None:
        self.released.set()
        self.thread.join(10)

    def _hold(self) -> None:
        url = self.settings.database_url
        if self.settings.is_sqlite:
            connection: Any = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None)
            connection.execute("BEGIN IMMEDIATE")
        else:
            connection = psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"))
            connection.execute("LOCK TABLE inbound_messages IN ACCESS EXCLUSIVE MODE")
        self.taken.set()
        self.released.wait(self.longest)
        connection.rollback()
        connection.close()
        self.released.set()


def _twilio_signed(path: str, form: dict[str, str]) -> dict[str, str]:
    return {"X-Twilio-Signature": RequestValidator(TWILIO_TEST_AUTH_TOKEN).compute_signature(PUBLIC_URL + path, form)}


def _processed(database: Database) -> list[str]:
    with database.transaction() as db:
        return list(db.scalars(select(InboundMessage.status)))


@pytest.fixture
def busy_settings(settings, fake_telegram, fake_twilio) -> Settings:  # type: ignore[no-untyped-def]
    return channel_settings(settings, fake_telegram=fake_telegram, fake_twilio=fake_twilio, webhook_db_wait_seconds=1)


def test_telegram_gets_503_while_the_database_is_locked_and_the_update_is_handled_once(busy_settings, database) -> None:  # type: ignore[no-untyped-def]
    update = telegram_fixture("message_text")
    headers = {"X-Telegram-Bot-Api-Secret-Token": TELEGRAM_SECRET}
    with web_client(busy_settings) as client:
        with WriteLock(busy_settings) as lock:
            first = client.post("/webhooks/telegram", json=update, headers=headers)
            answered_while_locked = lock.held
        assert first.status_code == 503 and answered_while_locked
        assert first.headers["Retry-After"] == "5"
        wait_until(lambda: _processed(database) == ["processed"])  # the request's work went on once the lock was free
        again = client.post("/webhooks/telegram", json=update, headers=headers)  # Telegram delivers it again
        assert again.status_code == 200
    assert _processed(database) == ["processed"]
    assert len(outbox(database, channel="telegram", address=TELEGRAM_CHAT)) == 1  # one reply, not two


def test_twilio_is_answered_in_time_and_the_message_kept_until_the_database_is_free(busy_settings, database) -> None:  # type: ignore[no-untyped-def]
    form = twilio_fixture("inbound_text")
    spool = Path(busy_settings.media_dir) / "inbound-spool"
    with web_client(busy_settings) as client:
        with WriteLock(busy_settings) as lock:
            first = client.post("/webhooks/whatsapp", data=form, headers=_twilio_signed("/webhooks/whatsapp", form))
            answered_while_locked = lock.held
            kept = list(spool.glob("*.json"))
        assert first.status_code == 200 and answered_while_locked  # Twilio does not deliver it again: 200 in time
        assert len(kept) == 1 and stat.S_IMODE(kept[0].stat().st_mode) == 0o600
        wait_until(lambda: _processed(database) == ["processed"])
        fallback = client.post("/webhooks/whatsapp", data=form, headers=_twilio_signed("/webhooks/whatsapp", form))
        assert fallback.status_code == 200  # e.g. a second process behind Twilio's fallback URL: a duplicate
        channels = client.app.state.channels
        drained = client.portal.call(partial(channels.spool.drain, channels.handle_whatsapp_now, older_than=0, now=time.time()))
    assert drained == 1 and list(spool.glob("*.json")) == []
    assert _processed(database) == ["processed"]
    assert len(outbox(database, channel="whatsapp")) == 1


def test_a_kept_whatsapp_message_is_handled_after_a_crash(busy_settings, database) -> None:  # type: ignore[no-untyped-def]
    form = twilio_fixture("inbound_text")
    with web_client(busy_settings) as client:
        channels = client.app.state.channels
        channels.spool.keep(form)  # kept, then the process died before the pipeline had it
        assert _processed(database) == []
        drain = partial(channels.spool.drain, channels.handle_whatsapp_now, older_than=0, now=time.time())
        assert client.portal.call(drain) == 1
        assert client.portal.call(drain) == 0
    assert _processed(database) == ["processed"]
    assert len(outbox(database, channel="whatsapp")) == 1
