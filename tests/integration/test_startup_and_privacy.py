"""Issue 16 (part): the service starts without Telegram, the simulator stays on the developer's machine, a NIK typed
in chat is stored nowhere in clear, the import's rejected rows are private, and a webhook never waits long on a busy
database."""

from __future__ import annotations

import json
import socket
import sqlite3
import stat
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from fastapi.testclient import TestClient
from hypothesis import given, settings as hypothesis_settings, strategies as st
from sqlalchemy import create_engine, func, select
from sqlalchemy.engine import make_url

from app.config import ConfigError, Settings, load_settings
from app.demo import seed_demo
from app.households.importer import import_households
from app.masking import mask_nik_like, masked
from app.models import Base, Case, ConversationSession, InboundMessage
from app.pipeline import Pipeline
from app.web import create_app
from tests.conftest import FIXED_NOW, SECRET
from tests.fakes.fixtures import TELEGRAM_TEST_TOKEN
from tests.integration.channel_setup import TELEGRAM_SECRET, SteppingClock, channel_settings, outbox, web_client
from tests.integration.helpers import Chat
from tests.integration.test_telegram import fixture as telegram_fixture
from tests.integration.test_whatsapp import fixture as twilio_fixture
from tests.integration.test_whatsapp import post as post_twilio

NIK = "3273075203900002"  # made up, well-formed: Kec. Sukajadi, born 12 March 1990 (a woman), serial 0002
MASKED = "3273********0002"
WATI = "+6281200000004"  # demo household in Pasteur
RINA = "+6281300000002"  # demo TKSK


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])  # nothing listens here once the socket is closed


def _eventually(check, attempts: int = 200) -> bool:  # type: ignore[no-untyped-def]
    """Polls ``check`` (no assertion on how long it took: only that it came true)."""
    for _ in range(attempts):
        if check():
            return True
        threading.Event().wait(0.05)
    return False


# --- 1. start-up when Telegram cannot be reached ------------------------------------------------------------------


def test_the_service_starts_and_serves_whatsapp_while_telegram_is_unreachable(settings, fake_twilio, database) -> None:  # type: ignore[no-untyped-def]
    unreachable = channel_settings(
        settings, fake_twilio=fake_twilio, telegram_bot_token=TELEGRAM_TEST_TOKEN, telegram_webhook_secret=TELEGRAM_SECRET,
        telegram_api_url=f"http://127.0.0.1:{_closed_port()}",
    )  # fmt: skip
    app = create_app(unreachable, clock=SteppingClock(), background=True)
    with TestClient(app, base_url="http://testserver") as client:  # before: getMe's connection error ended the start
        assert client.get("/healthz").status_code == 200
        assert post_twilio(client, twilio_fixture("inbound_text")).status_code == 200
        assert _eventually(lambda: len(fake_twilio.messages) == 1)  # the outbox worker runs and sends the reply
        update = telegram_fixture("message_text")
        answer = client.post("/webhooks/telegram", json=update, headers={"X-Telegram-Bot-Api-Secret-Token": TELEGRAM_SECRET})
        assert answer.status_code == 200  # updates are taken in; the replies wait in the outbox for Telegram
    assert [row.channel for row in outbox(database)] == ["whatsapp", "telegram"]


def test_telegram_start_is_retried_until_the_api_answers(settings, fake_telegram, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr("app.telegram_start.FIRST_DELAY_SECONDS", 0.01)
    fake_telegram.fail_next("getMe", disconnect=True, times=3)
    app = create_app(channel_settings(settings, fake_telegram=fake_telegram), clock=SteppingClock(), background=False)
    with TestClient(app) as client:
        assert client.get("/healthz").status_code == 200
        assert _eventually(lambda: bool(fake_telegram.calls_to("getMe", ok=True)))
        assert _eventually(lambda: app.state.telegram_ready.is_set())
    assert len(fake_telegram.calls_to("getMe")) == 4


# --- 2. the simulator: only when asked for, only on this machine ------------------------------------------------


def _client(settings: Settings, host: str = "testclient") -> TestClient:
    return TestClient(create_app(settings, clock=SteppingClock(), background=False), client=(host, 50000))


@pytest.mark.parametrize("host", ["127.0.0.1", "::1", "testclient"])
def test_the_simulator_answers_this_machine(settings, host) -> None:  # type: ignore[no-untyped-def]
    with _client(settings, host) as client:
        assert client.get("/simulator/personas").status_code == 200
        assert client.get("/").status_code == 200


@pytest.mark.parametrize("host", ["203.0.113.7", "10.0.0.2", "2001:db8::1", "localhost.example.org"])
def test_the_simulator_is_not_found_from_another_address(settings, database, host) -> None:  # type: ignore[no-untyped-def]
    with _client(settings, host) as client:
        assert client.get("/").status_code == 404
        assert client.get("/simulator/personas").status_code == 404
        assert client.post("/simulator/clock", json={"advance": "1d"}).status_code == 404
        message = {"phone": "+6281300000005", "client_id": "outsider-0001", "text": "web"}  # the demo admin
        assert client.post("/simulator/messages", json=message).status_code == 404
        assert client.get("/healthz").status_code == 200
    with database.transaction() as db:
        assert db.scalar(select(func.count()).select_from(InboundMessage)) == 0


def test_with_webhooks_configured_the_simulator_is_off_unless_asked_for(settings) -> None:  # type: ignore[no-untyped-def]
    public = settings.model_copy(update={"public_base_url": "https://kawal.example.org"})
    with _client(public, "127.0.0.1") as client:
        assert client.get("/simulator/personas").status_code == 404
        assert client.post("/simulator/clock", json={"advance": "1d"}).status_code == 404
    asked = public.model_copy(update={"simulator_enabled": True})
    with _client(asked, "127.0.0.1") as client:
        assert client.get("/simulator/personas").status_code == 200
    with _client(asked, "203.0.113.7") as client:
        assert client.get("/simulator/personas").status_code == 404


def test_the_simulator_setting() -> None:
    development = load_settings(secret_key=SECRET)
    assert development.simulator_served
    assert not load_settings(secret_key=SECRET, public_base_url="https://kawal.example.org").simulator_served
    assert load_settings(secret_key=SECRET, public_base_url="https://kawal.example.org", simulator_enabled=True).simulator_served
    assert not load_settings(secret_key=SECRET, simulator_enabled=False).simulator_served
    assert not load_settings(secret_key=SECRET, env="production").simulator_served
    with pytest.raises(ConfigError, match="KAWAL_SIMULATOR_ENABLED"):
        load_settings(secret_key=SECRET, env="production", simulator_enabled=True)


# --- 3. a NIK typed in chat is stored nowhere in clear -------------------------------------------------------------


def stored_text(settings: Settings) -> str:
    """Every value of every table, as text (JSON columns as JSON), to search for what must not be there."""
    engine = create_engine(settings.database_url)
    parts = []
    with engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            for row in connection.execute(table.select()):
                parts.extend(json.dumps(value, default=str) if isinstance(value, dict | list) else str(value) for value in row)
    engine.dispose()
    return "\n".join(parts)


def digits_only(value: str) -> str:
    return "".join(ch for ch in value if ch.isdigit())


@pytest.fixture
def pipeline(database, runtime) -> Pipeline:  # type: ignore[no-untyped-def]
    with database.transaction() as db:
        seed_demo(db, secret_key=SECRET, now=FIXED_NOW)
    return Pipeline(database, runtime)


@pytest.mark.parametrize("typed", [NIK, "3273 0752 0390 0002", "3273.0752.0390.0002", f"nik{NIK}"])
def test_a_nik_in_a_report_is_stored_masked_everywhere(settings, database, pipeline, typed) -> None:  # type: ignore[no-untyped-def]
    chat = Chat(pipeline, WATI)
    for line in ("beras busuk", "Agen Makmur", f"beras berkutu, NIK saya {typed} tolong dicek", "1"):
        assert chat.send(line).status == "processed"
    everything = stored_text(settings)
    assert NIK not in everything and typed not in everything
    assert MASKED in everything
    with database.transaction() as db:
        [case] = db.scalars(select(Case)).all()
        assert MASKED in json.dumps(case.details)
        texts = list(db.scalars(select(InboundMessage.text)))
        assert any(MASKED in t for t in texts)
        assert all(NIK not in json.dumps(s.data) for s in db.scalars(select(ConversationSession)))
    told = [row.body["text"] for row in outbox(database, address=RINA)]
    assert any(MASKED in t for t in told)  # the TKSK reads the story with the number masked


def test_a_nik_in_a_message_that_fails_is_stored_masked(settings, database, pipeline, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def broken_step(*_args, **_kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError(f"cannot handle {NIK}")

    monkeypatch.setattr("app.pipeline.step", broken_step)
    assert Chat(pipeline, WATI).send(f"NIK {NIK}").status == "failed"
    everything = stored_text(settings)
    assert NIK not in everything and MASKED in everything


def test_a_nik_in_a_companion_story_and_in_a_whatsapp_payload_is_masked(settings, database, fake_twilio) -> None:  # type: ignore[no-untyped-def]
    wa = channel_settings(settings, fake_twilio=fake_twilio)
    form = {**twilio_fixture("inbound_text"), "Body": f"tolong, NIK {NIK} tidak terdaftar"}
    with web_client(wa) as client:
        assert post_twilio(client, form).status_code == 200
    everything = stored_text(settings)
    assert NIK not in everything and MASKED in everything


# the masking itself, for any text (bounded and seeded: Hypothesis derandomized)

_sixteen = st.text(alphabet="0123456789", min_size=16, max_size=16)
_filler = st.text(alphabet=st.characters(blacklist_categories=("Nd", "Cs"), blacklist_characters="abcdefABCDEF"), max_size=20)
_separator = st.sampled_from(["", " ", ".", "-"])


@hypothesis_settings(max_examples=150, derandomize=True, deadline=None)
@given(before=_filler, number=_sixteen, after=_filler, separator=_separator)
def test_any_sixteen_digits_in_text_are_masked(before: str, number: str, after: str, separator: str) -> None:
    written = separator.join(number[i : i + 4] for i in range(0, 16, 4))
    result = mask_nik_like(f"{before}{written}{after}")
    assert number not in digits_only(result)
    assert f"{number[:4]}********{number[-4:]}" in result
    assert mask_nik_like(result) == result  # masking twice changes nothing


@hypothesis_settings(max_examples=150, derandomize=True, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60).filter(lambda s: sum(c.isdigit() for c in s) < 16))
def test_text_with_fewer_than_sixteen_digits_is_unchanged(value: str) -> None:
    assert mask_nik_like(value) == value


@hypothesis_settings(max_examples=100, derandomize=True, deadline=None)
@given(st.binary(min_size=32, max_size=32))
def test_hexadecimal_identifiers_are_not_numbers(raw: bytes) -> None:
    digest = raw.hex()  # a media hash, a Twilio SID: 64 hex characters, sometimes with 16 digits in a row
    assert mask_nik_like(f"sha256:{digest}") == f"sha256:{digest}"
    assert mask_nik_like(f"SM{digest[:32]}") == f"SM{digest[:32]}"


def test_numbers_next_to_words_are_masked_too() -> None:
    assert mask_nik_like(f"nik{NIK}, ID{NIK}x") == f"nik{MASKED}, ID{MASKED}x"
    assert mask_nik_like(f"{NIK}1") == f"{NIK}1"  # 17 digits: not a NIK
    assert mask_nik_like(f"+62 812 3456 7890 dan {NIK}") == f"+62 812 3456 7890 dan {MASKED}"


def test_masked_goes_through_dicts_lists_and_dataclasses() -> None:
    from conversations.effects import AttachToCase

    effect = AttachToCase(reference="KB-ABC123", note=f"nik {NIK}", media=())
    assert masked(effect) == AttachToCase(reference="KB-ABC123", note=f"nik {MASKED}", media=())
    assert masked({"a": [f"{NIK}", 16, None], "b": (NIK,)}) == {"a": [MASKED, 16, None], "b": (MASKED,)}
    assert masked(effect := AttachToCase(reference="KB-ABC123", note="beras", media=())) is effect


# --- 4. the rejected rows of an import are for the importer only ---------------------------------------------------


def test_the_rejected_rows_file_is_readable_by_its_owner_only(database, tmp_path) -> None:  # type: ignore[no-untyped-def]
    source = tmp_path / "kpm.csv"
    source.write_text(f"nama,nik,kode_wilayah\nBu Ani,{NIK},32.73.07.1001\nBu Salah,123,32.73.07.1001\n", encoding="utf-8")
    stale = tmp_path / "kpm_rejected.csv"
    stale.write_text("left from an earlier run")
    stale.chmod(0o644)
    result = import_households(database, source, secret_key=SECRET, now=FIXED_NOW)
    assert result.rejected_path == stale and "Bu Salah" in stale.read_text(encoding="utf-8-sig")
    assert stat.S_IMODE(stale.stat().st_mode) == 0o600
    stale.unlink()
    import_households(database, source, secret_key=SECRET, now=FIXED_NOW)
    assert stat.S_IMODE(stale.stat().st_mode) == 0o600  # a new file too, whatever the umask


# --- 5. a webhook never waits long on a busy database ---------------------------------------------------------------


@contextmanager
def database_held(settings: Settings, *, at_most: float = 10.0) -> Iterator[threading.Event]:
    """Another connection holds the write lock (SQLite) or the message tables (PostgreSQL), as a backup or a long
    import would, until the block ends — or ``at_most`` seconds pass, so a webhook that waits for it ends too."""
    release = threading.Event()
    held = threading.Event()

    def hold() -> None:
        if settings.is_sqlite:
            connection = sqlite3.connect(make_url(settings.database_url).database, isolation_level=None)
            connection.execute("BEGIN IMMEDIATE")
        else:
            import psycopg

            url = make_url(settings.database_url).set(drivername="postgresql")
            connection = psycopg.connect(url.render_as_string(hide_password=False))
            connection.execute("LOCK TABLE inbound_messages, channel_identities, people IN ACCESS EXCLUSIVE MODE")
        held.set()
        release.wait(at_most)
        connection.rollback() if not settings.is_sqlite else connection.execute("ROLLBACK")
        connection.close()

    holder = threading.Thread(target=hold, daemon=True)
    holder.start()
    assert held.wait(10)
    try:
        yield release
    finally:
        release.set()
        holder.join(15)


def test_the_telegram_webhook_answers_503_when_the_database_stays_busy(settings, database, fake_telegram) -> None:  # type: ignore[no-untyped-def]
    tg = channel_settings(settings, fake_telegram=fake_telegram, webhook_db_wait_seconds=0.3)
    update = telegram_fixture("message_text")
    headers = {"X-Telegram-Bot-Api-Secret-Token": TELEGRAM_SECRET}
    with web_client(tg) as client:
        with database_held(tg):
            busy = client.post("/webhooks/telegram", json=update, headers=headers)
        assert busy.status_code == 503  # Telegram delivers it again
        with database.transaction() as db:  # nothing half-stored, no apology for a message not taken in
            assert db.scalar(select(func.count()).select_from(InboundMessage)) == 0
        assert outbox(database) == []
        assert client.post("/webhooks/telegram", json=update, headers=headers).status_code == 200  # the redelivery
    [reply] = outbox(database)
    assert reply.body["text"].startswith("Kawal Bansos membantu Anda")


def test_the_whatsapp_webhook_answers_503_when_the_database_stays_busy(settings, database, fake_twilio) -> None:  # type: ignore[no-untyped-def]
    wa = channel_settings(settings, fake_twilio=fake_twilio, webhook_db_wait_seconds=0.3)
    form = twilio_fixture("inbound_text")
    with web_client(wa) as client:
        with database_held(wa):
            busy = post_twilio(client, form)
        assert busy.status_code == 503  # Twilio then calls the Fallback URL, if one is set
        with database.transaction() as db:
            assert db.scalar(select(func.count()).select_from(InboundMessage)) == 0
        assert post_twilio(client, form).status_code == 200  # e.g. the fallback: a second process, same database
    assert len(outbox(database, channel="whatsapp")) == 1


def test_a_short_wait_that_ends_in_time_is_processed(settings, database, fake_telegram) -> None:  # type: ignore[no-untyped-def]
    """The wait is a bound, not a refusal: a lock released within it costs only the wait."""
    tg = channel_settings(settings, fake_telegram=fake_telegram, webhook_db_wait_seconds=8)
    headers = {"X-Telegram-Bot-Api-Secret-Token": TELEGRAM_SECRET}
    with web_client(tg) as client, database_held(tg, at_most=0.2):
        assert client.post("/webhooks/telegram", json=telegram_fixture("message_text"), headers=headers).status_code == 200
    assert len(outbox(database)) == 1


def test_the_wait_setting_is_bounded_by_twilios_timeout() -> None:
    assert load_settings(secret_key=SECRET).webhook_db_wait_seconds == 8
    with pytest.raises(ConfigError, match="KAWAL_WEBHOOK_DB_WAIT_SECONDS"):
        load_settings(secret_key=SECRET, webhook_db_wait_seconds=30)

