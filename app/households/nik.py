"""Checking NIK and KK numbers (Indonesian civil-registry identifiers) without keeping them.

Both numbers have 16 digits laid out the same way::

    32 73 07 | 45 06 80 | 0001
    kecamatan| date     | serial

* digits 1–6: the kecamatan code (``32.73.07`` → ``327307``);
* digits 7–12: a date ``DDMMYY``. For a NIK it is the holder's birth date, with 40
  added to the day for women (day ``41``–``71``); for a KK it is the issue date (no
  +40 rule). Either must be a real calendar date. With a two-digit year, 29 February
  is accepted when 19YY or 20YY is a leap year;
* digits 13–16: a serial number, never ``0000``.

The reasons returned are short Indonesian phrases prefixed with the column name
(``nik: tanggal lahir tidak valid (310299)``). They may show the date part of a
number, never the whole number.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable

LENGTH = 16
WOMAN_DAY_OFFSET = 40
_DIGITS = re.compile(r"[0-9]+")


def kecamatan_digits(area_code: str) -> str:
    """``"32.73.07.1001"`` (a village) or ``"32.73.07"`` → ``"327307"``."""
    return "".join(area_code.split(".")[:3])


def is_calendar_date(day: int, month: int, two_digit_year: int) -> bool:
    """Whether ``day``/``month`` exists in 19YY or in 20YY (so 29 Feb needs one of them to be a leap year)."""
    if not 1 <= month <= 12 or day < 1:
        return False
    return any(day <= calendar.monthrange(century + two_digit_year, month)[1] for century in (1900, 2000))


def is_birth_date(day: int, month: int, two_digit_year: int) -> bool:
    """A NIK's date: a calendar date, where women's days are shifted by 40 (41–71)."""
    if day > WOMAN_DAY_OFFSET:
        day -= WOMAN_DAY_OFFSET
    return day <= 31 and is_calendar_date(day, month, two_digit_year)


def check_nik(nik: str, kecamatan: str | None = None) -> list[str]:
    """Why ``nik`` is not a valid NIK (empty when it is); ``kecamatan`` (6 digits) is checked when given."""
    return _check(nik, kecamatan, column="nik", date_name="tanggal lahir", date_ok=is_birth_date)


def check_kk(kk: str, kecamatan: str | None = None) -> list[str]:
    """Why ``kk`` is not a valid family-card (KK) number (empty when it is)."""
    return _check(kk, kecamatan, column="no_kk", date_name="tanggal terbit", date_ok=is_calendar_date)


def _check(
    number: str,
    kecamatan: str | None,
    *,
    column: str,
    date_name: str,
    date_ok: Callable[[int, int, int], bool],
) -> list[str]:
    if not _DIGITS.fullmatch(number):
        return [f"{column}: hanya boleh angka"]
    if len(number) != LENGTH:
        return [f"{column}: harus {LENGTH} angka, bukan {len(number)}"]
    reasons = []
    if kecamatan is not None and number[:6] != kecamatan:
        reasons.append(f"{column}: 6 angka pertama tidak sama dengan kode kecamatan {kecamatan}")
    date = number[6:12]
    if not date_ok(int(date[:2]), int(date[2:4]), int(date[4:])):
        reasons.append(f"{column}: {date_name} tidak valid ({date})")
    if number[12:] == "0000":
        reasons.append(f"{column}: 4 angka terakhir tidak boleh 0000")
    return reasons
