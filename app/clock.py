"""The shell's clock: aware UTC time, optionally shifted (``kawal serve --clock-offset``) to try time-driven features."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta


@dataclass(frozen=True)
class Clock:
    offset: timedelta = timedelta()

    def now(self) -> datetime:
        return datetime.now(UTC) + self.offset
