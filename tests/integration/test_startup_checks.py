"""Issue 14: what ``kawal serve`` checks at start is cheap and right — the schema is up to date (read without
Alembic), and the health checks answer while another connection writes (the gazetteer read at start)."""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest
from alembic import command
from alembic.script import ScriptDirectory

from app.config import Settings
from app.database_setup import alembic_config, head_revisions, is_up_to_date
from app.db import Database
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
    for name, text in scripts.items():
        (tmp_path / name).write_text(textwrap.dedent(text))
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
