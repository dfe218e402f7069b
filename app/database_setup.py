"""Migrating (Alembic, programmatically) and loading reference data: what ``kawal db upgrade`` does."""

from __future__ import annotations

from alembic import command
from alembic.config import Config

from app.areas.service import load_areas
from app.bundled_files import MIGRATIONS_DIR
from app.config import Settings
from app.db import Database


def alembic_config(database_url: str) -> Config:
    config = Config()  # no alembic.ini: an installed package has none, and logging is the app's
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    config.attributes["configure_logger"] = False
    return config


def is_up_to_date(settings: Settings) -> bool:
    """Whether the database's schema is at the newest migration."""
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    heads = set(ScriptDirectory.from_config(alembic_config(settings.database_url)).get_heads())
    database = Database(settings)
    try:
        with database.engine.connect() as connection:
            current = set(MigrationContext.configure(connection).get_current_heads())
    finally:
        database.dispose()
    return current == heads


def upgrade_database(settings: Settings) -> int:
    """Migrate to head, then load the area list; returns how many area rows changed."""
    command.upgrade(alembic_config(settings.database_url), "head")
    database = Database(settings)
    try:
        with database.transaction() as db:
            return load_areas(db)
    finally:
        database.dispose()
