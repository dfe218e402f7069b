"""Issue 14: what ``kawal serve`` checks at start is cheap and right — the schema is up to date (read without
Alembic), the health checks answer while another connection writes, and the gazetteer read in the background
at start neither waits for a message nor makes one wait with a lock held."""

from __future__ import annotations

import sys
import textwrap
import threading
from concurrent.futures import Future
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import func, select, text

from app.config import Settings
from app.database_setup import alembic_config, head_revisions, is_up_to_date
from app.db import Database
from app.models import Area
from app.pipeline import Pipeline
from app.runtime import Runtime
from bot.envelope import Envelope
from conversations.areas import Gazetteer
from conversations.types import Inbound
from tests.conftest import make_settings


def test_the_head_read_from_the_scripts_is_alembics_head() -> None:
    alembic_heads = set(ScriptDirectory.from_config(alembic_config("sqlite://")).get_heads())

    assert head_revisions() == alembic_heads


def test_heads_of_a_branch_and_of_its_merge(tmp_path: Path) -> None:
    scripts = {
        "a.py": "revision = 'a'\ndown_revision = None\n",
        "b.py": "revision: str = 'b'\ndown_revision: str | None = 'a'\n",
        "c.py": 'revision = "c"\ndown_revision = "a"\n',
    }
    for name, script in scripts.items():
        (tmp_path / name).write_text(textwrap.dedent(script))
    assert head_revisions(tmp_path) == {"b", "c"}

    (tmp_path / "d.py").write_text("revision = 'd'\ndown_revision = ('b', 'c')\n")
    assert head_revisions(tmp_path) == {"d"}


def test_up_to_date_only_at_the_head(settings: Settings, tmp_path: Path) -> None:
    assert is_up_to_date(settings)
    assert not is_up_to_date(make_settings(f"sqlite:///{tmp_path / 'never-migrated.db'}"))
    if not settings.is_sqlite:
        return  # stamping PostgreSQL back would leave the shared test database behind
    config = alembic_config(settings.database_url)
    scripts = ScriptDirectory.from_config(config)
    head = scripts.get_revision("head")
    assert head is not None
    previous = head.down_revision
    command.stamp(config, str(previous), purge=True)
    assert not is_up_to_date(settings)


def test_the_check_does_not_import_alembic(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in [module for module in sys.modules if module == "alembic" or module.startswith("alembic.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "alembic", None)  # importing it now raises ImportError

    assert is_up_to_date(settings)


def test_the_database_answers_a_health_check_while_another_connection_writes(settings: Settings) -> None:
    database = Database(settings)
    try:
        with database.transaction() as writing:  # on SQLite: BEGIN IMMEDIATE, the write lock held
            writing.connection()
            assert database.is_reachable()
    finally:
        database.dispose()


def test_a_read_goes_on_while_another_connection_writes(settings: Settings) -> None:
    """The gazetteer is read this way at start: a plain read must not wait for the write lock (on SQLite it
    waited up to 30 s, and a message that came in the first second held the lock while waiting for it)."""
    database = Database(settings)
    try:
        with database.transaction() as writing:
            writing.connection()
            with database.reading() as reading:
                assert reading.scalar(select(func.count()).select_from(Area)) > 0
    finally:
        database.dispose()


def test_a_message_just_after_start_waits_for_the_place_names_holding_no_lock(settings: Settings) -> None:
    """Once deadlocked on SQLite: the pipeline held the write lock while waiting for the gazetteer, whose read
    waited for that lock. The future here can only finish if nobody holds the write lock while waiting for it."""
    database = Database(settings)
    runtime = Runtime.build(settings, database)
    gazetteer = runtime.gazetteer
    pending: Future[Gazetteer] = Future()
    waiting = threading.Event()

    class Awaited(Future[Gazetteer]):  # what a message sees while the place names are still being read
        def result(self, timeout: float | None = None) -> Gazetteer:
            waiting.set()
            return pending.result(timeout)

    def read_when_asked() -> None:
        waiting.wait()
        try:
            with database.engine.begin() as connection:  # a writer: on SQLite it needs the write lock
                connection.execute(text("UPDATE areas SET name = name WHERE code = '32'"))
        except Exception as error:  # noqa: BLE001 - on SQLite, "database is locked" after its busy timeout
            pending.set_exception(error)
        else:
            pending.set_result(gazetteer)

    runtime._gazetteer = Awaited()
    reader = threading.Thread(target=read_when_asked)
    reader.start()
    try:
        outcome = Pipeline(database, runtime).handle(
            Envelope("telegram", "first-1", "tg:1", Inbound.text_("halo")), now=datetime(2026, 12, 2, 1, tzinfo=UTC)
        )
        reader.join()
        assert outcome.status == "processed"
    finally:
        database.dispose()


def test_the_place_names_are_read_in_the_background_once_asked_for(settings: Settings) -> None:
    """``kawal serve`` starts the read when the rest is up (``start_reading``); a first message would start it too."""
    database = Database(settings)
    runtime = Runtime.build(settings, database, in_background=True)
    try:
        assert runtime._reading is None  # nothing shares the interpreter with the start
        assert not runtime.place_names_read  # /readyz: "place_names": "reading"
        runtime.start_reading()
        first = runtime._reading
        runtime.start_reading()
        assert runtime._reading is first is not None  # one read, however often asked
        gazetteer = runtime.gazetteer
        assert gazetteer.get("32.73.07.1001") is not None
        assert runtime.place_names_read
    finally:
        runtime.close()
        database.dispose()


def test_a_first_message_starts_the_read_itself(settings: Settings) -> None:
    database = Database(settings)
    runtime = Runtime.build(settings, database, in_background=True)
    try:
        assert runtime.gazetteer.get("32.73.07.1001") is not None
    finally:
        runtime.close()
        database.dispose()


def test_a_failed_read_of_the_place_names_fails_the_message_on_record_not_the_webhook(settings: Settings) -> None:
    database = Database(settings)
    runtime = Runtime.build(settings, database)
    failed: Future[Gazetteer] = Future()
    failed.set_exception(RuntimeError("the areas table could not be read"))
    runtime._gazetteer = failed
    try:
        outcome = Pipeline(database, runtime).handle(
            Envelope("telegram", "first-2", "tg:2", Inbound.text_("halo")), now=datetime(2026, 12, 2, 1, tzinfo=UTC)
        )
        assert outcome.status == "failed"  # recorded, to be handled again; never an exception out of the webhook
    finally:
        database.dispose()
