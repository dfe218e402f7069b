"""Alembic environment: batch mode (so migrations run on SQLite) and the models' metadata."""

from __future__ import annotations

import os
from logging.config import fileConfig

from alembic import context

from app.config import Settings
from app.db import make_engine
from app.models import Base

config = context.config
if config.config_file_name is not None and config.attributes.get("configure_logger", True):
    fileConfig(config.config_file_name, disable_existing_loggers=False)


def database_url() -> str:
    url = config.get_main_option("sqlalchemy.url") or os.environ.get("KAWAL_DATABASE_URL", "sqlite:///./kawal.db")
    return Settings._known_database(url)  # same normalization as the app (postgres:// → psycopg)


def run_migrations_offline() -> None:
    context.configure(url=database_url(), target_metadata=Base.metadata, render_as_batch=True, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    engine = make_engine(database_url())
    try:
        with engine.connect() as connection:
            context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
            with context.begin_transaction():
                context.run_migrations()
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
