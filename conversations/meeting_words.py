"""A meeting told in one message, as a busy facilitator types it: ``"sabtu depan jam 9 pagi di rumah bu ani"``.

``split_meeting`` cuts it into the words that name the day (``"sabtu depan"``), the time or hours
(``"jam 9 pagi"``, ``"8-12"``) and the place (``"rumah bu ani"``, as written), for the readers in
``conversations.dates`` and ``conversations.times``. A message with neither a time nor a place is
no such message: the caller reads it as a day alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_PLACE = re.compile(r"[\s,]+(?:bertempat di|tempatnya di|tempat di|lokasi di|di|at)\s+(?P<place>\S.*)$", re.IGNORECASE)
_HOUR = r"\d{1,2}(?:\s*[.:]\s*\d{2})?"
_UNTIL = r"\s*(?:-|–|s\s*/\s*d|s\.d\.?|sd|sampai|smp|hingga|to|until)\s*"
_PERIOD = r"(?:\s*(?:pagi|siang|sore|malam|am|pm))?(?:\s*(?:wib|wita|wit))?"
_TIME = re.compile(
    rf"(?:\b(?:jam|jm|pukul|pkl|at)\s*{_HOUR}|\b\d{{1,2}}\s*[.:]\s*\d{{2}}){_PERIOD}"
    rf"(?:{_UNTIL}(?:jam\s*)?{_HOUR}{_PERIOD})?",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class MeetingWords:
    day: str
    time: str = ""
    place: str = ""


def split_meeting(text: str) -> MeetingWords | None:
    """``"sabtu depan jam 9 pagi di rumah Bu Ani"`` → ``MeetingWords("sabtu depan", "jam 9 pagi", "rumah Bu Ani")``;
    ``"senin, 8-12 di balai desa"`` has no time word, so its hours stay with the day; ``"sabtu"`` → None."""
    rest = " ".join(text.split())
    place = ""
    if found := _PLACE.search(rest):
        place, rest = found.group("place").strip(" .,"), rest[: found.start()]
    time = ""
    if found := _TIME.search(rest):
        time, rest = found.group(0).strip(), rest[: found.start()] + " " + rest[found.end() :]
    day = " ".join(rest.replace(",", " ").split())
    if not (time or place) or not day:
        return None
    return MeetingWords(day, time, place)
