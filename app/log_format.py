"""Log lines for people and for machines: ``KAWAL_LOG_FORMAT=text`` (default) or ``json``.

JSON lines carry the time, level, logger, message, the id of the message or request being handled (set by the
pipeline and the web middleware through ``current_message_id``) and every field the code passes in ``extra``.
Phone numbers and NIK/KK numbers are masked in both formats, whatever part of the line they are in: a log is
read by more people than the database is.
"""

from __future__ import annotations

import json
import logging
import logging.config
import re
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

from app.masking import MaskingFilter

current_message_id: ContextVar[str] = ContextVar("current_message_id", default="")

# any run of 10 or more digits (NIK, KK, phone numbers, chat ids), and Indonesian mobile numbers written with
# spaces or dashes (+62 812-3456-7890, 0812 3456 7890) — but not dates and times ("2026-12-02 07:31")
_LONG_NUMBER = re.compile(r"(?<![\w+])(\+?\d{10,}|(?:\+62|62|0)[ -]?8\d{1,3}(?:[ -]?\d{2,5}){2,4})(?![\w])")
_STANDARD = set(logging.LogRecord("", 0, "", 0, "", (), None).__dict__) | {"message", "asctime", "taskName"}


def mask_numbers(text: str) -> str:
    """Keep the first 4 and last 2 digits of any run of 10 or more digits: enough to tell lines apart."""

    def masked(match: re.Match[str]) -> str:
        digits = re.sub(r"\D", "", match.group(1))
        if len(digits) < 10:
            return match.group(1)
        prefix = "+" if match.group(1).startswith("+") else ""
        return f"{prefix}{digits[:4]}{'*' * (len(digits) - 6)}{digits[-2:]}"

    return _LONG_NUMBER.sub(masked, text)


def _masked_value(value: Any) -> Any:
    if isinstance(value, str):
        return mask_numbers(value)
    if isinstance(value, bool) or value is None or isinstance(value, float):
        return value
    if isinstance(value, int):  # a phone number or NIK passed as a number
        return mask_numbers(str(value)) if abs(value) >= 10**9 else value
    if isinstance(value, dict):
        return {str(key): _masked_value(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_masked_value(item) for item in value]
    return mask_numbers(str(value))


def extra_fields(record: logging.LogRecord) -> dict[str, Any]:
    return {key: value for key, value in record.__dict__.items() if key not in _STANDARD and not key.startswith("_")}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": mask_numbers(record.getMessage()),
        }
        if message_id := current_message_id.get():
            line["message_id"] = message_id
        line.update({key: _masked_value(value) for key, value in extra_fields(record).items()})
        if record.exc_info:
            line["error"] = mask_numbers(self.formatException(record.exc_info))
        return json.dumps(line, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """The usual one-line format, with the ``extra`` fields appended as key=value and numbers masked."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        fields = extra_fields(record)
        if message_id := current_message_id.get():
            fields = {"message_id": message_id, **fields}
        if fields:
            text += " " + " ".join(f"{key}={value}" for key, value in fields.items())
        return mask_numbers(text)


def configure_logging(log_format: str) -> dict[str, Any]:
    """Set up the root logger, and return the same setup for uvicorn (``log_config``), so its lines match."""
    formatter = "kawal_json" if log_format == "json" else "kawal_text"
    config: dict[str, Any] = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"kawal_json": {"()": JsonFormatter}, "kawal_text": {"()": TextFormatter}},
        "filters": {"mask_niks": {"()": MaskingFilter}},
        "handlers": {
            "default": {"class": "logging.StreamHandler", "formatter": formatter, "filters": ["mask_niks"], "stream": "ext://sys.stderr"},
        },
        "root": {"level": "WARNING", "handlers": ["default"]},
        "loggers": {
            "app": {"level": "INFO"},
            "bot": {"level": "INFO"},
            "httpx": {"level": "WARNING"},  # request lines would carry bot tokens
            "uvicorn": {"level": "INFO", "handlers": ["default"], "propagate": False},
            "uvicorn.error": {"level": "INFO"},
            "uvicorn.access": {"level": "INFO", "handlers": ["default"], "propagate": False},
        },
    }
    logging.config.dictConfig(config)
    return config

