"""Shared fixtures: settings, a migrated database on SQLite (and PostgreSQL when configured), the gazetteer.

Set ``KAWAL_TEST_POSTGRES_URL`` (e.g. ``postgresql+psycopg://postgres@127.0.0.1:54329/kawal_test``)
to run every database test on PostgreSQL as well; ``.ci/run`` does.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from app.areas.service import read_csv
from app.config import Settings, load_settings
from app.database_setup import upgrade_database
from app.db import Database
from app.i18n import translators
from app.models import Base
from app.runtime import Runtime
from conversations.areas import Gazetteer

pytest_plugins = ["tests.fakes.fixtures"]

POSTGRES_URL = os.environ.get("KAWAL_TEST_POSTGRES_URL", "")
SECRET = "test-secret-key-0123456789"
FIXED_NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # Monday 09:00 WIB
LOOPBACK = ("127.0.0.1", 50000)
"""The client address a ``TestClient`` that uses the simulator gives: the simulator answers only this machine."""


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-transcripts", action="store_true", help="rewrite transcript files from the engine")


@pytest.fixture(scope="session")
def gazetteer() -> Gazetteer:
    return Gazetteer(read_csv())


@pytest.fixture(scope="session")
def catalog_translators():  # type: ignore[no-untyped-def]
    return translators()


def make_settings(database_url: str, **overrides: object) -> Settings:
    """Test settings; the reminder scheduler is off unless a test turns it on (it would run on the real clock).

    The simulator is on: many tests drive the service through it (it is off by default).
    """
    defaults: dict[str, object] = {"scheduler_enabled": False, "simulator_enabled": True}
    return load_settings(database_url=database_url, secret_key=SECRET, **{**defaults, **overrides})


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file with the area list, copied for each test (migrating once is the slow part)."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    upgrade_database(make_settings(f"sqlite:///{path}"))
    return path


@pytest.fixture(scope="session")
def postgres_migrated() -> str:
    if not POSTGRES_URL:
        pytest.skip("KAWAL_TEST_POSTGRES_URL not set")
    settings = make_settings(POSTGRES_URL)
    database = Database(settings)
    with database.engine.begin() as connection:
        Base.metadata.drop_all(connection)
        connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
    database.dispose()
    upgrade_database(settings)
    return POSTGRES_URL


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    """Settings for a freshly migrated database: SQLite always, PostgreSQL when configured."""
    if request.param == "sqlite":
        path = tmp_path / "kawal.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        return make_settings(f"sqlite:///{path}", media_dir=tmp_path / "media")
    url = request.getfixturevalue("postgres_migrated")
    _empty_postgres(url)
    return make_settings(url, media_dir=tmp_path / "media")


def _empty_postgres(url: str) -> None:
    database = Database(make_settings(url))
    tables = [t.name for t in Base.metadata.sorted_tables if t.name != "areas"]
    with database.engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
    database.dispose()


@pytest.fixture
def database(settings: Settings) -> Iterator[Database]:
    db = Database(settings)
    yield db
    db.dispose()


@pytest.fixture
def runtime(settings: Settings, gazetteer: Gazetteer, catalog_translators) -> Runtime:  # type: ignore[no-untyped-def]
    return Runtime(settings=settings, gazetteer=gazetteer, translators=catalog_translators)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Browser tests run last: they are the slowest, and a quick failure elsewhere should show first."""
    items.sort(key=lambda item: "tests/browser/" in str(item.path).replace("\\", "/"))
