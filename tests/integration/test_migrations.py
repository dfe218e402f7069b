"""Migrations build the schema the models describe, on SQLite and PostgreSQL; the area list loads."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from alembic import command
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from app.areas.service import count_areas, load_areas
from app.database_setup import alembic_config
from app.models import Area
from tests.conftest import POSTGRES_URL


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def empty_database_url(request, tmp_path) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """An empty database of its own (on PostgreSQL a new database beside the test one, dropped after)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    if not POSTGRES_URL:
        pytest.skip("KAWAL_TEST_POSTGRES_URL not set")
    server = create_engine(make_url(POSTGRES_URL).set(database="postgres"), isolation_level="AUTOCOMMIT")
    name = "kawal_migration_check"
    with server.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {name}"))
        connection.execute(text(f"CREATE DATABASE {name}"))
    yield make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    with server.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    server.dispose()


def test_upgrade_head_on_an_empty_database_then_check(empty_database_url: str) -> None:
    config = alembic_config(empty_database_url)
    command.upgrade(config, "head")
    command.check(config)  # raises when models and migrations disagree
    command.downgrade(config, "base")
    command.upgrade(config, "head")


def test_area_list_is_complete_with_time_zones(database) -> None:  # type: ignore[no-untyped-def]
    with database.transaction() as db:
        assert count_areas(db) == 91_599
        zones = dict(db.execute(select(Area.code, Area.timezone).where(Area.code.in_(["32", "51", "94", "61.71"]))).all())
        assert zones == {"32": "Asia/Jakarta", "51": "Asia/Makassar", "94": "Asia/Jayapura", "61.71": "Asia/Jakarta"}
        pasteur = db.get(Area, "32.73.07.1001")
        assert pasteur is not None and (pasteur.name, pasteur.level, pasteur.parent_code) == ("Pasteur", 4, "32.73.07")
        villages = db.scalar(select(func.count()).select_from(Area).where(Area.level == 4))
        assert villages == 83_762


def test_loading_the_area_list_again_changes_nothing(database) -> None:  # type: ignore[no-untyped-def]
    with database.transaction() as db:
        assert load_areas(db) == 0
        assert count_areas(db) == 91_599


@pytest.mark.parametrize("code", ["11", "32.73", "35.17.18", "91.71.01.1001"])
def test_every_level_has_a_parent_except_provinces(database, code) -> None:  # type: ignore[no-untyped-def]
    with database.transaction() as db:
        area = db.get(Area, code)
        if area is None:
            pytest.skip(f"{code} not in this list")
        assert (area.parent_code is None) == (area.level == 1)
