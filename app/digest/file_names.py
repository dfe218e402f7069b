"""File names that say what a file is, the same in the console, on Telegram and on the signed WhatsApp links:
``ringkasan-32.73.07.1001-2026-W48.xlsx``, ``kasus-32.73-2026-11.xlsx``."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from app.digest.figures import is_partial


def digest_file_name(figures: dict[str, Any], extension: str) -> str:
    """``ringkasan-<area>-<week>.xlsx``; the week so far adds the day it was counted (``…-2026-W48-2026-11-28.png``),
    so two downloads of an unfinished week are not mistaken for the same file."""
    so_far = f"-{figures['until'][:10]}" if is_partial(figures) else ""
    return f"ringkasan-{figures['area']}-{figures['week']}{so_far}{extension}"


def cases_file_name(area_code: str, first: date, last: date, extension: str = ".xlsx") -> str:
    """``kasus-<area>-<YYYY-MM>.xlsx`` for one whole calendar month, ``kasus-<area>-<from>-<to>.xlsx`` otherwise."""
    if is_whole_month(first, last):
        return f"kasus-{area_code}-{first:%Y-%m}{extension}"
    return f"kasus-{area_code}-{first.isoformat()}-{last.isoformat()}{extension}"


def is_whole_month(first: date, last: date) -> bool:
    return first.day == 1 and last == month_end(first)


def month_end(day: date) -> date:
    following = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    return following - timedelta(days=1)
