"""ISO weeks in an area's own time: ``2026-W48`` runs from Monday 00:00 to the next Monday 00:00 local."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from app.schedules.local_time import at_local, local_day


@dataclass(frozen=True)
class Week:
    monday: date

    @classmethod
    def parse(cls, text: str) -> Week:
        """``"2026-W48"`` → the week starting Monday 23 November 2026; ``ValueError`` otherwise."""
        try:
            year, number = text.upper().split("-W")
            return cls(date.fromisocalendar(int(year), int(number), 1))
        except ValueError:
            raise ValueError(f"{text!r}: use an ISO week like 2026-W48") from None

    @classmethod
    def containing(cls, moment: datetime, timezone: str) -> Week:
        day = local_day(moment, timezone)
        return cls(day - timedelta(days=day.weekday()))

    @classmethod
    def last_complete(cls, moment: datetime, timezone: str) -> Week:
        """The week before the one ``moment`` falls in: what Monday's digest reports."""
        return cls.containing(moment, timezone).shifted(-1)

    def shifted(self, weeks: int) -> Week:
        return Week(self.monday + timedelta(weeks=weeks))

    @property
    def label(self) -> str:
        year, number, _ = self.monday.isocalendar()
        return f"{year}-W{number:02d}"

    @property
    def sunday(self) -> date:
        return self.monday + timedelta(days=6)

    def bounds(self, timezone: str) -> tuple[datetime, datetime]:
        """[start, end) in UTC."""
        return at_local(self.monday, "00:00", timezone), at_local(self.monday + timedelta(days=7), "00:00", timezone)
