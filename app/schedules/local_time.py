"""Moments in a place's own time (WIB, WITA, WIT): from local day and clock time to UTC, and back."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo


def at_local(day: date, hhmm: str, timezone: str) -> datetime:
    """``2026-12-05``, ``"09:00"``, ``"Asia/Makassar"`` → ``2026-12-05 01:00 UTC``."""
    hour, minute = (int(part) for part in hhmm.split(":"))
    return datetime.combine(day, time(hour, minute), ZoneInfo(timezone)).astimezone(UTC)


def local(moment: datetime, timezone: str) -> datetime:
    return moment.astimezone(ZoneInfo(timezone))


def local_day(moment: datetime, timezone: str) -> date:
    return local(moment, timezone).date()


def clock_time(moment: datetime, timezone: str) -> str:
    """``"09:00"`` in the place's time."""
    return local(moment, timezone).strftime("%H:%M")


def day_before(day: date) -> date:
    return day - timedelta(days=1)
