"""The shell's clock: aware UTC time, optionally shifted to try time-driven features.

``kawal serve --clock-offset 2d`` starts it shifted; the simulator can move it on
while the service runs (reminders then fall due as they would in real time).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


class Clock:
    def __init__(self, offset: timedelta = timedelta()) -> None:
        self.offset = offset

    def now(self) -> datetime:
        return datetime.now(UTC) + self.offset

    def advance(self, delta: timedelta) -> None:
        """Move the clock on (or back, with a negative ``delta``)."""
        self.offset += delta


def parse_offset(text: str) -> timedelta:
    """``"2d"`` → 2 days, ``"-3h"``, ``"90m"``, ``"0"``; ``ValueError`` for anything else."""
    text = text.strip()
    if text in ("", "0"):
        return timedelta()
    units = {"d": "days", "h": "hours", "m": "minutes", "s": "seconds"}
    unit = units.get(text[-1])
    try:
        if unit is None:
            raise ValueError
        return timedelta(**{unit: float(text[:-1])})
    except ValueError:
        raise ValueError(f"{text!r}: use a number with d, h, m or s") from None
