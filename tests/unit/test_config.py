"""A missing or malformed setting stops the start with one clear line that names it."""

from __future__ import annotations

import subprocess
import sys

import pytest

from app.config import ConfigError, load_settings


@pytest.fixture(autouse=True)
def no_env_file(monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)  # no .env here
    for name in ("KAWAL_SECRET_KEY", "KAWAL_DATABASE_URL", "KAWAL_ENV"):
        monkeypatch.delenv(name, raising=False)


def test_missing_secret_key_is_named() -> None:
    with pytest.raises(ConfigError, match="^Configuration error: KAWAL_SECRET_KEY is required but not set$"):
        load_settings()


def test_malformed_database_url_is_named(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("KAWAL_SECRET_KEY", "x" * 20)
    monkeypatch.setenv("KAWAL_DATABASE_URL", "mysql://nope")
    with pytest.raises(ConfigError, match="KAWAL_DATABASE_URL must start with sqlite:/// or postgresql://"):
        load_settings()


def test_bad_locale_and_number_are_named(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("KAWAL_SECRET_KEY", "x" * 20)
    monkeypatch.setenv("KAWAL_DEFAULT_LOCALE", "fr")
    with pytest.raises(ConfigError, match="KAWAL_DEFAULT_LOCALE"):
        load_settings()
    monkeypatch.setenv("KAWAL_DEFAULT_LOCALE", "id")
    monkeypatch.setenv("KAWAL_SESSION_TIMEOUT_MINUTES", "soon")
    with pytest.raises(ConfigError, match="KAWAL_SESSION_TIMEOUT_MINUTES"):
        load_settings()


def test_postgres_urls_are_normalized(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    settings = load_settings(secret_key="x" * 20, database_url="postgresql://u@h/db")
    assert settings.database_url == "postgresql+psycopg://u@h/db"


def test_production_refuses_development_secrets_and_the_simulator() -> None:
    with pytest.raises(ConfigError, match="KAWAL_SECRET_KEY"):
        load_settings(secret_key="dev-" + "x" * 20, env="production", simulator_enabled=False)
    with pytest.raises(ConfigError, match="KAWAL_SIMULATOR_ENABLED"):
        load_settings(secret_key="y" * 20, env="production", simulator_enabled=True)
    assert not load_settings(secret_key="y" * 20, env="production").simulator_enabled  # off unless asked for


def test_the_command_line_prints_one_line_and_exits_2(tmp_path) -> None:  # type: ignore[no-untyped-def]
    env = {"PATH": "/usr/bin:/bin", "KAWAL_DATABASE_URL": "oracle://x"}
    result = subprocess.run(
        [sys.executable, "-m", "app.cli", "db", "upgrade"], capture_output=True, text=True, env=env, cwd=tmp_path
    )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == ["Configuration error: KAWAL_DATABASE_URL must start with sqlite:/// or postgresql://"]
