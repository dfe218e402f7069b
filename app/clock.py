"""The shell's clock: aware UTC time, optionally shifted to try time-driven features.

``kawal serve --clock-offset 2d`` starts it shifted; the simulator can move it on
while the service runs (reminders then fall due as they would in real time).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

_OFFSET_PART = re.compile(r"(\d+(?:\.\d+)?)([dhms])")


class Clock:
    def __init__(self, offset: timedelta = timedelta()) -> None:
        self.offset = offset

    def now(self) -> datetime:
        return datetime.now(UTC) + self.offset

    def advance(self, delta: timedelta) -> None:
        """Move the clock on (or back, with a negative ``delta``)."""
        self.offset += delta


def parse_offset(text: str) -> timedelta:
    """``"2d"`` → 2 days; ``"-3h"``, ``"90m"``, ``"1d6h30m"``, ``"0"``; ``ValueError`` for anything else."""
    text = text.strip().replace(" ", "")
    if text in ("", "0"):
        return timedelta()
    sign = -1 if text.startswith("-") else 1
    parts = _OFFSET_PART.findall(text.lstrip("+-"))
    if not parts or "".join(number + unit for number, unit in parts) != text.lstrip("+-"):
        raise ValueError(f"{text!r}: use numbers with d, h, m or s, e.g. 1d6h")
    units = {"d": "days", "h": "hours", "m": "minutes", "s": "seconds"}
    return sign * sum((timedelta(**{units[unit]: float(number)}) for number, unit in parts), timedelta())
