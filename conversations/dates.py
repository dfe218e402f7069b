"""Dates people type for a follow-up, read relative to a given day (the engine has no clock).

Used by the companion flows (a new case's next follow-up, a case's next visit).
Indonesian and English, as typed on a phone: ``besok``, ``lusa``, ``senin``,
``hari jumat``, ``3 hari lagi``, ``seminggu``, ``2 minggu``, ``bulan depan``,
``5/12``, ``5-12-2026``, ``5 des``, ``5 desember 2026``, ``tgl 5``;
``tomorrow``, ``in 3 days``, ``next week``, ``friday``, ``december 5``.

Only dates from ``today`` on are answers: a date in the past reads as None, so
the caller asks again (``past_date`` tells it why). Numbers are day/month, as in
Indonesia (``5/12`` is 5 December). A day and month without a year is this
year's, or next year's when that is within six months (``5/1`` typed in
December); ``20/11`` typed on 23 November is a slip, not next November.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

from babel.dates import format_date

from conversations.matching import NUMBER_WORDS, normalize

MAX_AHEAD = timedelta(days=366)
"""A follow-up further away than a year is a typing slip (``5/12/2062``)."""
ROLL_OVER = timedelta(days=183)

WEEKDAYS = {
    "senin": 0, "selasa": 1, "rabu": 2, "kamis": 3, "jumat": 4, "jum at": 4, "sabtu": 5, "minggu": 6, "ahad": 6,
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6,
    "mon": 0, "tue": 1, "tues": 1, "wed": 2, "thu": 3, "thur": 3, "thurs": 3, "fri": 4, "sat": 5, "sun": 6,
    "sen": 0, "sel": 1, "rab": 2, "kam": 3, "jum": 4, "sab": 5, "min": 6,
}  # fmt: skip
MONTHS = {
    "januari": 1, "februari": 2, "pebruari": 2, "maret": 3, "april": 4, "mei": 5, "juni": 6, "juli": 7,
    "agustus": 8, "september": 9, "oktober": 10, "november": 11, "desember": 12, "nopember": 11,
    "jan": 1, "feb": 2, "peb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "agu": 8, "agt": 8, "agus": 8,
    "ags": 8, "sep": 9, "sept": 9, "okt": 10, "nov": 11, "nop": 11, "des": 12,
    "january": 1, "february": 2, "march": 3, "may": 5, "june": 6, "july": 7, "august": 8, "october": 10,
    "december": 12, "aug": 8, "oct": 10, "dec": 12,
}  # fmt: skip
DAYS_FROM_TODAY = {
    "kemarin": -1, "yesterday": -1, "hari ini": 0, "today": 0, "sekarang": 0, "now": 0,
    "besok": 1, "besuk": 1, "bsk": 1, "esok": 1, "tomorrow": 1, "tmrw": 1,
    "lusa": 2, "besok lusa": 2, "day after tomorrow": 2,
    "minggu depan": 7, "pekan depan": 7, "next week": 7,
}  # fmt: skip
UNITS = {
    "hari": "day", "hr": "day", "day": "day", "days": "day",
    "minggu": "week", "mgg": "week", "mg": "week", "pekan": "week", "week": "week", "weeks": "week", "wk": "week",
    "bulan": "month", "bln": "month", "month": "month", "months": "month",
}  # fmt: skip
ONE = {"se": 1, "a": 1, "an": 1}
LEADING = ("dalam", "in", "after", "setelah", "sesudah", "on", "pada", "next", "this", "hari", "tanggal", "tgl", "the")
TRAILING = (
    "lagi", "kedepan", "ke depan", "from now", "later", "depan", "ini", "pagi", "siang", "sore", "malam",
    "morning", "afternoon", "evening",
)  # fmt: skip
NEXT_MONTH = ("bulan depan", "next month")
END_OF_MONTH = ("akhir bulan", "akhir bulan ini", "end of month", "end of the month")

_COUNT = re.compile(r"^(\d{1,3}|[a-z]+) (\w+)$")
_SE_UNIT = re.compile(r"^se(hari|minggu|pekan|bulan)$")
_NUMERIC = re.compile(r"^(\d{1,2}) (\d{1,2})(?: (\d{2}|\d{4}))?$")
_ISO = re.compile(r"^(\d{4}) (\d{1,2}) (\d{1,2})$")
_DAY_MONTH = re.compile(r"^(\d{1,2}) ([a-z]+)(?: (\d{2}|\d{4}))?$")
_MONTH_DAY = re.compile(r"^([a-z]+) (\d{1,2})(?: (\d{4}))?$")
_DAY_OF_MONTH = re.compile(r"^(?:tanggal|tgl|tg) (\d{1,2})$")


def parse_date(text: str, today: date) -> date | None:
    """The day ``text`` names, from ``today`` on and within a year; otherwise None.

    ``parse_date("besok", date(2026, 12, 31))`` → ``date(2027, 1, 1)``;
    ``parse_date("20/11/2026", date(2026, 11, 23))`` → None (already past).
    """
    day = _read(text, today)
    if day is None or day < today or day - today > MAX_AHEAD:
        return None
    return day


def past_date(text: str, today: date) -> date | None:
    """The day ``text`` names when it is before ``today`` (so the question can say why), else None."""
    day = _read(text, today)
    return day if day is not None and day < today else None


def format_day(day: date, locale: str) -> str:
    """A day as a reader says it: ``Selasa, 24 November 2026`` (id), ``Tuesday, 24 November 2026`` (en)."""
    return format_date(day, "EEEE, d MMMM y", locale=locale)


def _read(text: str, today: date) -> date | None:
    plain = normalize(text)
    if found := _DAY_OF_MONTH.match(plain):
        return _day_of_month(int(found.group(1)), today)
    words = _trimmed(plain)
    if not words:
        return None
    if words in DAYS_FROM_TODAY:
        return today + timedelta(days=DAYS_FROM_TODAY[words])
    if words in NEXT_MONTH:
        return _add_months(today, 1)
    if words in END_OF_MONTH:
        return today.replace(day=calendar.monthrange(today.year, today.month)[1])
    for reader in (_weekday, _count, _explicit):
        day = reader(words, today)
        if day is not None:
            return day
    return None


def _trimmed(words: str) -> str:
    """Without filler around the date: ``"hari senin"`` → ``"senin"``, ``"3 hari lagi"`` → ``"3 hari"``."""
    if words in DAYS_FROM_TODAY or words in NEXT_MONTH or words in END_OF_MONTH:
        return words
    changed = True
    while changed:
        changed = False
        for lead in LEADING:
            rest = words.removeprefix(lead + " ")
            if rest != words and (lead != "hari" or rest in WEEKDAYS):
                words, changed = rest, True
        for trail in TRAILING:
            rest = words.removesuffix(" " + trail)
            if rest != words and rest not in ("bulan", "minggu", "pekan"):
                words, changed = rest, True
    return words


def _weekday(words: str, today: date) -> date | None:
    """The next such weekday after today (``senin`` on a Monday is a week on)."""
    if words not in WEEKDAYS:
        return None
    ahead = (WEEKDAYS[words] - today.weekday() - 1) % 7 + 1
    return today + timedelta(days=ahead)


def _count(words: str, today: date) -> date | None:
    """``3 hari``, ``tiga hari``, ``2 minggu``, ``seminggu``, ``1 bulan``, ``in 3 days``."""
    se_unit = _SE_UNIT.match(words)
    if se_unit:
        number, unit = 1, UNITS[se_unit.group(1)]
    else:
        found = _COUNT.match(words)
        if found is None or found.group(2) not in UNITS:
            return None
        raw = found.group(1)
        number = int(raw) if raw.isdigit() else NUMBER_WORDS.get(raw, ONE.get(raw, -1))
        if number < 0:
            return None
        unit = UNITS[found.group(2)]
    if unit == "month":
        return _add_months(today, number)
    return today + timedelta(days=number * (7 if unit == "week" else 1))


def _explicit(words: str, today: date) -> date | None:
    """A day and month, with or without a year: ``5 12``, ``5 12 2026``, ``5 des``, ``december 5``, ``2026 12 05``."""
    words = _without_weekday(words)
    if found := _ISO.match(words):
        return _valid(int(found.group(1)), int(found.group(2)), int(found.group(3)))
    if found := _NUMERIC.match(words):
        return _dated(int(found.group(1)), int(found.group(2)), found.group(3), today)
    if (found := _DAY_MONTH.match(words)) and found.group(2) in MONTHS:
        return _dated(int(found.group(1)), MONTHS[found.group(2)], found.group(3), today)
    if (found := _MONTH_DAY.match(words)) and found.group(1) in MONTHS:
        return _dated(int(found.group(2)), MONTHS[found.group(1)], found.group(3), today)
    return None


def _without_weekday(words: str) -> str:
    """``"selasa 24 november 2026"`` (as we show dates) → ``"24 november 2026"``."""
    first, _, rest = words.partition(" ")
    return rest if first in WEEKDAYS and rest[:1].isdigit() else words


def _dated(day: int, month: int, year: str | None, today: date) -> date | None:
    if year is not None:
        return _valid(int(year) + (2000 if len(year) == 2 else 0), month, day)
    this_year = _valid(today.year, month, day)
    if this_year is not None and this_year >= today:
        return this_year
    next_year = _valid(today.year + 1, month, day)
    if next_year is not None and next_year - today <= ROLL_OVER:
        return next_year
    return this_year


def _day_of_month(day: int, today: date) -> date | None:
    """``tgl 5``: the 5th of this month, or of next month when it has passed."""
    this_month = _valid(today.year, today.month, day)
    if this_month is not None and this_month >= today:
        return this_month
    following = _add_months(today.replace(day=1), 1)
    return _valid(following.year, following.month, day)


def _valid(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _add_months(day: date, months: int) -> date:
    """Same day ``months`` later, or that month's last day (31 January + 1 month → 28/29 February)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
