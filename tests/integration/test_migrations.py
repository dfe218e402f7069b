"""Migrations build the schema the models describe, on SQLite and PostgreSQL; the area list loads."""

from __future__ import annotations

from alembic import command
from sqlalchemy import func, select, text

from app.areas.service import count_areas, load_areas
from app.database_setup import alembic_config
from app.db import Database
from app.models import Area, Base
from tests.conftest import POSTGRES_URL, make_settings

import pytest


def _fresh_urls(tmp_path) -> list[str]:  # type: ignore[no-untyped-def]
    urls = [f"sqlite:///{tmp_path / 'empty.db'}"]
    if POSTGRES_URL:
        urls.append(POSTGRES_URL)
    return urls


def test_upgrade_head_then_check_on_every_backend(tmp_path) -> None:  # type: ignore[no-untyped-def]
    for url in _fresh_urls(tmp_path):
        database = Database(make_settings(url))
        with database.engine.begin() as connection:
            Base.metadata.drop_all(connection)
            connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
        database.dispose()
        config = alembic_config(url)
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
