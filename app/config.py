"""Settings, read once from the environment (prefix ``KAWAL_``) and an optional ``.env``.

A missing or malformed setting stops the start with one line that names it
(see ``load_settings``). Build ``Settings`` at the edge (CLI, tests) and pass it
down; nothing reads the environment at import time.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEV_SECRET_PREFIX = "dev-"


class ConfigError(Exception):
    """A setting is missing or malformed; the message names it in one line."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="KAWAL_", env_file=".env", extra="ignore")

    env: Literal["development", "production"] = "development"
    database_url: str = "sqlite:///./kawal.db"
    secret_key: str = Field(min_length=16)
    default_locale: Literal["id", "en"] = "id"
    session_timeout_minutes: int = Field(default=30, ge=1, le=7 * 24 * 60)
    max_text_length: int = Field(default=5000, ge=100)
    simulator_enabled: bool = True
    media_dir: Path = Path("./media")

    @field_validator("database_url")
    @classmethod
    def _known_database(cls, value: str) -> str:
        if value.startswith("postgres://"):
            value = "postgresql+psycopg://" + value.removeprefix("postgres://")
        elif value.startswith("postgresql://"):
            value = "postgresql+psycopg://" + value.removeprefix("postgresql://")
        if not value.startswith(("sqlite:///", "postgresql+psycopg://")):
            raise ValueError("must start with sqlite:/// or postgresql://")
        return value

    @model_validator(mode="after")
    def _production_is_locked_down(self) -> Settings:
        if self.env == "production" and self.secret_key.startswith(DEV_SECRET_PREFIX):
            raise ValueError("KAWAL_SECRET_KEY: a development key cannot be used with KAWAL_ENV=production")
        if self.env == "production" and self.simulator_enabled:
            raise ValueError("KAWAL_SIMULATOR_ENABLED: the simulator lets anyone act as anyone; turn it off in production")
        return self

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


def load_settings(**overrides: object) -> Settings:
    """Settings from the environment, or ``ConfigError`` with one line naming the bad setting."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as error:
        first = error.errors()[0]
        field = "_".join(str(part) for part in first["loc"]).upper()
        name = f"KAWAL_{field}" if field else ""
        message = first["msg"].removeprefix("Value error, ")
        if first["type"] == "missing":
            message = "is required but not set"
        raise ConfigError(f"Configuration error: {name} {message}".replace("  ", " ").strip()) from None
