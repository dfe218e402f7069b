"""Clock times people type for a meeting, read as ``"HH:MM"`` (the engine has no clock).

A start time: ``9``, ``09.00``, ``9:30``, ``jam 9``, ``pukul 09.00 WIB``,
``jam 2 siang`` (14:00), ``4 sore`` (16:00), ``7 malam`` (19:00), ``2 pm``.
A bare 1 to 5 is the afternoon: nobody meets at 2 at night, so ``jam 2`` is
14:00. Opening hours: ``08.00-12.00``, ``8-12``, ``jam 8 sampai 12``,
``8 s/d 2 siang``, ``8 to 12``; a bare end hour that reads before the start is
the afternoon (``9-6`` is 09:00 to 18:00), a written clock time is not (``13.00-11.00`` is refused).

Meetings are held between ``EARLIEST`` and ``LATEST`` so members can come;
``outside_hours`` tells the caller when a time is not.
"""

from __future__ import annotations

import re

EARLIEST = "06:00"
LATEST = "21:00"

_PREFIXES = r"(?:jam|jm|pukul|pkl|pk|at|around|sekitar|mulai|from|dari)"
_TIME = re.compile(
    rf"^(?:{_PREFIXES}\s*)*(\d{{1,2}})(?:\s*[.:]\s*(\d{{2}})|\s+(\d{{2}}))?\s*"
    r"(pagi|siang|sore|malam|am|pm|a\.m\.|p\.m\.)?\s*(?:wib|wita|wit)?$"
)
_RANGE = re.compile(r"\s*(?:-|–|—|\bs\s*/\s*d\b|\bs\.d\.?|\bsd\b|\bsampai\b|\bsmp\b|\bhingga\b|\bto\b|\buntil\b|\btill\b)\s*")
_EVENING = ("sore", "malam", "pm", "p.m.")
_CLOCK = re.compile(r"\d\s*[.:]\s*\d")


def parse_time(text: str) -> str | None:
    """``"jam 2 siang"`` → ``"14:00"``, ``"09.30"`` → ``"09:30"``; anything else → None. Hours are not checked."""
    found = _TIME.match(" ".join(text.casefold().replace(",", " ").split()))
    if found is None:
        return None
    hour, minute = int(found.group(1)), int(found.group(2) or found.group(3) or 0)
    period = found.group(4) or ""
    if period in _EVENING and hour < 12 or period == "siang" and 1 <= hour <= 5 or not period and 1 <= hour <= 5:
        hour += 12
    elif period in ("malam", "am", "a.m.") and hour == 12:
        hour = 0
    if hour > 23 or minute > 59:
        return None
    return f"{hour:02d}:{minute:02d}"


def parse_hours(text: str) -> tuple[str, str] | None:
    """``"8-12"`` → ``("08:00", "12:00")``; ``"jam 8 sampai 2 siang"`` → ``("08:00", "14:00")``; else None."""
    parts = [part for part in _RANGE.split(text.casefold().strip(), maxsplit=1) if part.strip()]
    if len(parts) != 2:
        return None
    start, end = parse_time(parts[0]), parse_time(parts[1])
    if start is None or end is None:
        return None
    if end <= start and int(end[:2]) < 12 and not _CLOCK.search(parts[1]):
        end = f"{int(end[:2]) + 12:02d}{end[2:]}"
    return start, end


def outside_hours(time: str) -> bool:
    return not EARLIEST <= time <= LATEST


def format_time(time: str, locale: str) -> str:
    """``"09:00"`` as the reader writes it: ``09.00`` (id), ``09:00`` (en)."""
    return time.replace(":", ".") if locale == "id" else time


def format_hours(start: str, end: str, locale: str) -> str:
    """``08.00–12.00``; just the start when there is no end."""
    shown = format_time(start, locale)
    return f"{shown}–{format_time(end, locale)}" if end else shown
