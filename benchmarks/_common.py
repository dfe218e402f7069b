"""Small pieces the benchmarks share: a Telegram update as a person would send it, and a copy of a SQLite file."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any


def private_text_update(*, update_id: int, user: int, person: int, message_id: int, date: int, text: str) -> dict[str, Any]:
    """A private text message, shaped like ``tests/fixtures/telegram/message_text.json``."""
    names = {"first_name": "Siti", "last_name": f"Bench {person}"}
    return {
        "update_id": update_id,
        "message": {
            "message_id": message_id,
            "from": {"id": user, "is_bot": False, **names, "language_code": "id"},
            "chat": {"id": user, **names, "type": "private"},
            "date": date,
            "text": text,
        },
    }


def copy_sqlite(source: Path, target: Path) -> None:
    """A consistent copy of a SQLite database (WAL included), through SQLite's backup API."""
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()
