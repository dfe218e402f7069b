"""Settings, read once from the environment (prefix ``KAWAL_``) and an optional ``.env``.

A missing or malformed setting stops the start with one line that names it
(see ``load_settings``). Build ``Settings`` at the edge (CLI, tests) and pass it
down; nothing reads the environment at import time.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from app.privacy.keys import IDENTIFIER_HASH_LABEL, SIGNING_LABEL, derived_key

DEV_SECRET_PREFIX = "dev-"


@dataclass(frozen=True)
class QuietHours:
    """Local hours when no reminder is sent, e.g. ``QuietHours("21:00", "06:00")`` (may span midnight)."""

    start: str
    end: str

    def contains(self, hhmm: str) -> bool:
        if self.start <= self.end:
            return self.start <= hhmm < self.end
        return hhmm >= self.start or hhmm < self.end


class ConfigError(Exception):
    """A setting is missing or malformed; the message names it in one line."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="KAWAL_", env_file=".env", extra="ignore")

    env: Literal["development", "production"] = "development"
    database_url: str = "sqlite:///./kawal.db"
    secret_key: str = Field(min_length=16)
    # the key NIK and KK numbers are hashed with; empty: derived from the secret. Pin it (`kawal keys identifier`)
    # before rotating the secret, or every stored hash stops matching
    identifier_key: str = Field(default="", repr=False)
    default_locale: Literal["id", "en"] = "id"
    log_format: Literal["text", "json"] = "text"  # json: one object per line, for a log collector
    session_timeout_minutes: int = Field(default=30, ge=1, le=7 * 24 * 60)
    max_text_length: int = Field(default=5000, ge=100)
    # the web simulator lets its user act as anyone: off unless asked for (`make run` does), and loopback-only
    simulator_enabled: bool = False
    media_dir: Path = Path("./media")
    media_max_bytes: int = Field(default=16 * 1024 * 1024, ge=1024)

    # where providers reach this service, e.g. https://kawal.example.org (no trailing slash);
    # Twilio signatures are checked against it, never against the proxied request URL
    public_base_url: str = ""
    # where staff open the web console, when not the public URL (e.g. an intranet name); links sent for "web"
    web_base_url: str = ""

    telegram_bot_token: str = ""
    telegram_bot_username: str = ""  # for invitation links, e.g. kawal_bansos_bot
    telegram_webhook_secret: str = ""
    telegram_api_url: str = "https://api.telegram.org"
    # Telegram allows about 30 a second; 28 leaves room for the jitter between a request and its arrival (spaced
    # for 30, a busiest second of 31-33 arrived at the fake Bot API: benchmarks/delivery.py)
    telegram_messages_per_second: float = Field(default=28.0, gt=0)
    telegram_seconds_per_chat: float = Field(default=1.0, ge=0)

    twilio_account_sid: str = ""
    twilio_auth_token: str = ""
    twilio_whatsapp_from: str = ""
    twilio_api_url: str = "https://api.twilio.com"
    whatsapp_messages_per_second: float = Field(default=80.0, gt=0)
    # approved content templates per message type, e.g. {"reminder": "HXabc…", "status_update": "HXdef…"}
    whatsapp_templates: dict[str, str] = Field(default_factory=dict)

    # reminders (local time of the place they concern) and the scheduler that moves them into the outbox
    scheduler_enabled: bool = True
    scheduler_interval_seconds: float = Field(default=30.0, gt=0)
    reminder_evening_time: str = "16:00"  # the day before a meeting
    reminder_morning_time: str = "06:30"  # the day of a meeting
    companion_reminder_time: str = "07:00"  # overdue cases, each morning
    digest_time: str = "07:00"  # the weekly digest, on Mondays
    media_link_hours: int = Field(default=48, ge=1)  # how long a signed link to a chart or workbook works (WhatsApp)
    quiet_hours_start: str = "21:00"
    quiet_hours_end: str = "06:00"
    # a reminder missed while the service was down is still sent up to this late; later it is dropped (0: always dropped)
    reminder_grace_minutes: int = Field(default=120, ge=0)

    # new replies wake the delivery worker at once (app.outbox_wakeup); this slow poll only picks up scheduled retries
    outbox_poll_seconds: float = Field(default=5.0, gt=0)
    # how long a webhook waits for a busy database before answering (Telegram: 503, delivered again; WhatsApp:
    # 200, the message kept on disk until the database is free); Twilio allows 15 s, so at most 10
    webhook_db_wait_seconds: float = Field(default=8.0, gt=0, le=10)
    # a failed send is tried again, with growing pauses, for this long after the message was written (an outage
    # of hours loses nothing); the attempt cap is only a backstop
    outbox_retry_hours: float = Field(default=24.0, gt=0)
    outbox_max_attempts: int = Field(default=1000, ge=1)
    # a send that may have reached the provider (timeout after sending, 5xx) is tried again at most this often,
    # then left "unconfirmed" for an operator: each retry risks a duplicate
    outbox_ambiguous_retries: int = Field(default=1, ge=0)
    # a row a worker claimed is taken by another worker once this runs out (the first one died): the longest a
    # reply can wait after a crash; it must be longer than a worker takes to send a batch (60 rows) at the limits
    outbox_lease_seconds: float = Field(default=120.0, ge=10)

    # message texts (inbound, and outbound once sent) older than this are blanked, daily (app/privacy/retention.py)
    retention_days: int = Field(default=180, ge=1)

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

    @field_validator("public_base_url", "web_base_url", "telegram_api_url", "twilio_api_url")
    @classmethod
    def _no_trailing_slash(cls, value: str) -> str:
        if value and not value.startswith(("http://", "https://")):
            raise ValueError("must be an http:// or https:// URL")
        return value.rstrip("/")

    @field_validator(
        "reminder_evening_time", "reminder_morning_time", "companion_reminder_time", "digest_time", "quiet_hours_start",
        "quiet_hours_end",
    )
    @classmethod
    def _clock_time(cls, value: str) -> str:
        try:
            hour, minute = (int(part) for part in value.split(":"))
        except ValueError:
            raise ValueError("must be a time of day like 07:00") from None
        if not (0 <= hour < 24 and 0 <= minute < 60):
            raise ValueError("must be a time of day like 07:00")
        return f"{hour:02d}:{minute:02d}"

    @field_validator("identifier_key")
    @classmethod
    def _long_enough(cls, value: str) -> str:
        if value and len(value) < 16:
            raise ValueError("must be at least 16 characters (or unset: derived from the secret)")
        return value

    @field_validator("twilio_whatsapp_from")
    @classmethod
    def _whatsapp_address(cls, value: str) -> str:
        if value and not value.startswith("whatsapp:"):
            value = f"whatsapp:{value}"
        return value

    @model_validator(mode="after")
    def _production_is_locked_down(self) -> Settings:
        if self.env == "production" and self.secret_key.startswith(DEV_SECRET_PREFIX):
            raise ValueError("KAWAL_SECRET_KEY: a development key cannot be used with KAWAL_ENV=production")
        if self.telegram_enabled and self.public_base_url and len(self.telegram_webhook_secret) < 16:
            raise ValueError("KAWAL_TELEGRAM_WEBHOOK_SECRET: set at least 16 characters to receive Telegram webhooks")
        quiet = QuietHours(self.quiet_hours_start, self.quiet_hours_end)
        for name in ("reminder_evening_time", "reminder_morning_time", "companion_reminder_time", "digest_time"):
            if quiet.contains(getattr(self, name)):
                raise ValueError(f"KAWAL_{name.upper()}: falls in the quiet hours ({quiet.start}-{quiet.end})")
        if self.env == "production" and self.simulator_enabled:
            raise ValueError("KAWAL_SIMULATOR_ENABLED: the simulator lets anyone act as anyone; turn it off in production")
        return self

    @property
    def quiet_hours(self) -> QuietHours:
        return QuietHours(self.quiet_hours_start, self.quiet_hours_end)

    @property
    def identifier_hash_key(self) -> str:
        """Hashes NIK and KK numbers (``app.identifiers``): ``KAWAL_IDENTIFIER_KEY``, else derived from the secret."""
        return self.identifier_key or derived_key(self.secret_key, IDENTIFIER_HASH_LABEL)

    @property
    def signing_key(self) -> str:
        """Signs media links (``app.media_links``); changes with the secret, which is harmless: links expire."""
        return derived_key(self.secret_key, SIGNING_LABEL)

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def telegram_enabled(self) -> bool:
        return bool(self.telegram_bot_token)

    @property
    def telegram_polling(self) -> bool:
        """Long polling when there is a token but no public URL: the fastest way to try the bot from a laptop."""
        return self.telegram_enabled and not self.public_base_url

    @property
    def whatsapp_enabled(self) -> bool:
        return bool(self.twilio_account_sid and self.twilio_auth_token and self.twilio_whatsapp_from)


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
