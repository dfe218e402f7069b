"""Migrating (Alembic, programmatically) and loading reference data: what ``kawal db upgrade`` does.

Whether the schema is up to date is asked at every start (``kawal serve`` and the other commands), so that check
does not import Alembic nor load the migration scripts: the head revision ids are read from the scripts' text
(``revision = ...`` and ``down_revision = ...``) and compared with the table ``alembic_version``.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import inspect, text

from app.bundled_files import MIGRATIONS_DIR
from app.config import Settings
from app.db import Database

if TYPE_CHECKING:
    from alembic.config import Config

_REVISION_LINE = re.compile(r"^(revision|down_revision)\s*(?::[^=]*)?=\s*(.+?)\s*$", re.MULTILINE)


def alembic_config(database_url: str) -> Config:
    from alembic.config import Config

    config = Config()  # no alembic.ini: an installed package has none, and logging is the app's
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    config.attributes["configure_logger"] = False
    return config


def head_revisions(versions: Path = MIGRATIONS_DIR / "versions") -> set[str]:
    """The revisions no other migration revises, read from the scripts' text (Alembic's own heads, without it)."""
    revisions: set[str] = set()
    revised: set[str] = set()
    for script in versions.glob("*.py"):
        found = {name: ast.literal_eval(value) for name, value in _REVISION_LINE.findall(script.read_text("utf-8"))}
        if "revision" not in found:
            raise ValueError(f"{script.name}: no `revision = ...` line")
        revisions.add(found["revision"])
        parents = found.get("down_revision")
        revised.update([parents] if isinstance(parents, str) else parents or ())
    return revisions - revised


def current_revisions(database: Database) -> set[str]:
    """The revisions the database is at; none when it was never migrated."""
    with database.engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return set()
        return set(connection.execute(text("SELECT version_num FROM alembic_version")).scalars())


def is_up_to_date(settings: Settings) -> bool:
    """Whether the database's schema is at the newest migration."""
    database = Database(settings)
    try:
        return current_revisions(database) == head_revisions()
    finally:
        database.dispose()


def upgrade_database(settings: Settings) -> int:
    """Migrate to head, then load the area list; returns how many area rows changed."""
    from alembic import command

    from app.areas.service import load_areas

    command.upgrade(alembic_config(settings.database_url), "head")
    database = Database(settings)
    try:
        with database.transaction() as db:
            return load_areas(db)
    finally:
        database.dispose()
