"""Follow-up dates as companions type them, read against a fixed ``today`` (no clock)."""

from __future__ import annotations

from datetime import date

import pytest

from conversations.dates import format_day, parse_date, past_date

MONDAY = date(2026, 11, 23)  # the tests' usual day: Monday 23 November 2026


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("hari ini", date(2026, 11, 23)),
        ("besok", date(2026, 11, 24)),
        ("Besok!", date(2026, 11, 24)),
        ("bsk", date(2026, 11, 24)),
        ("besok sore", date(2026, 11, 24)),
        ("tomorrow", date(2026, 11, 24)),
        ("lusa", date(2026, 11, 25)),
        ("day after tomorrow", date(2026, 11, 25)),
    ],
)
def test_days_by_name(text: str, expected: date) -> None:
    assert parse_date(text, MONDAY) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("selasa", date(2026, 11, 24)),
        ("rabu", date(2026, 11, 25)),
        ("kamis", date(2026, 11, 26)),
        ("jumat", date(2026, 11, 27)),
        ("Jum'at", date(2026, 11, 27)),
        ("sabtu", date(2026, 11, 28)),
        ("minggu", date(2026, 11, 29)),
        ("hari minggu", date(2026, 11, 29)),
        ("ahad", date(2026, 11, 29)),
        ("senin", date(2026, 11, 30)),  # today is Monday: "senin" is next Monday, not today
        ("hari senin", date(2026, 11, 30)),
        ("senin depan", date(2026, 11, 30)),
        ("pada hari Rabu", date(2026, 11, 25)),
        ("friday", date(2026, 11, 27)),
        ("next friday", date(2026, 11, 27)),
        ("on Monday", date(2026, 11, 30)),
        ("sen", date(2026, 11, 30)),
    ],
)
def test_weekdays_are_the_next_such_day(text: str, expected: date) -> None:
    assert parse_date(text, MONDAY) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3 hari", date(2026, 11, 26)),
        ("3 hari lagi", date(2026, 11, 26)),
        ("dalam 3 hari", date(2026, 11, 26)),
        ("tiga hari", date(2026, 11, 26)),
        ("3 hr", date(2026, 11, 26)),
        ("sehari", date(2026, 11, 24)),
        ("in 3 days", date(2026, 11, 26)),
        ("3 days from now", date(2026, 11, 26)),
        ("seminggu", date(2026, 11, 30)),
        ("seminggu lagi", date(2026, 11, 30)),
        ("1 minggu", date(2026, 11, 30)),
        ("sepekan", date(2026, 11, 30)),
        ("minggu depan", date(2026, 11, 30)),
        ("next week", date(2026, 11, 30)),
        ("a week", date(2026, 11, 30)),
        ("2 minggu", date(2026, 12, 7)),
        ("2 mgg", date(2026, 12, 7)),
        ("dua minggu lagi", date(2026, 12, 7)),
        ("two weeks", date(2026, 12, 7)),
        ("bulan depan", date(2026, 12, 23)),
        ("sebulan", date(2026, 12, 23)),
        ("next month", date(2026, 12, 23)),
        ("2 bulan", date(2027, 1, 23)),
        ("akhir bulan", date(2026, 11, 30)),
    ],
)
def test_counted_from_today(text: str, expected: date) -> None:
    assert parse_date(text, MONDAY) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("5/12", date(2026, 12, 5)),
        ("5-12", date(2026, 12, 5)),
        ("5.12", date(2026, 12, 5)),
        ("05/12/2026", date(2026, 12, 5)),
        ("5-12-2026", date(2026, 12, 5)),
        ("5/12/26", date(2026, 12, 5)),
        ("tgl 5/12", date(2026, 12, 5)),
        ("5 desember", date(2026, 12, 5)),
        ("5 Des", date(2026, 12, 5)),
        ("5 des 2026", date(2026, 12, 5)),
        ("5 December 2026", date(2026, 12, 5)),
        ("december 5", date(2026, 12, 5)),
        ("Dec 5, 2026", date(2026, 12, 5)),
        ("2026-12-05", date(2026, 12, 5)),
        ("Sabtu, 5 Desember 2026", date(2026, 12, 5)),  # as the bot shows a date
        ("23/11", date(2026, 11, 23)),  # today itself
        ("tanggal 30", date(2026, 11, 30)),
        ("tgl 5", date(2026, 12, 5)),  # the 5th has passed this month
        ("5 jan", date(2027, 1, 5)),
        ("5/1", date(2027, 1, 5)),  # soon after the new year: next year's
        ("1/3", date(2027, 3, 1)),
        ("1 mei 2027", date(2027, 5, 1)),
    ],
)
def test_explicit_dates_are_day_then_month(text: str, expected: date) -> None:
    assert parse_date(text, MONDAY) == expected


@pytest.mark.parametrize("text", ["20/11", "20/11/2026", "22 november", "1/6", "kemarin", "1/1/2020"])
def test_a_past_date_is_no_answer_and_says_why(text: str) -> None:
    assert parse_date(text, MONDAY) is None
    assert past_date(text, MONDAY) is not None
    assert past_date("besok", MONDAY) is None


def test_past_date_is_the_day_meant() -> None:
    assert past_date("20/11", MONDAY) == date(2026, 11, 20)


@pytest.mark.parametrize(
    "text",
    [
        "", "???", "x", "3", "nanti", "minggu ini", "12/25", "31/4", "32/1", "5/13", "0/5", "5/12/2062", "3 jam",
        "besok atau lusa",
    ],  # fmt: skip
)
def test_not_a_date(text: str) -> None:
    assert parse_date(text, MONDAY) is None


def test_month_and_year_ends() -> None:
    new_years_eve = date(2026, 12, 31)
    assert parse_date("besok", new_years_eve) == date(2027, 1, 1)
    assert parse_date("lusa", new_years_eve) == date(2027, 1, 2)
    assert parse_date("seminggu", new_years_eve) == date(2027, 1, 7)
    assert parse_date("jumat", new_years_eve) == date(2027, 1, 1)  # 31 December 2026 is a Thursday
    assert parse_date("bulan depan", new_years_eve) == date(2027, 1, 31)
    assert parse_date("2/1", new_years_eve) == date(2027, 1, 2)
    assert parse_date("31/12", new_years_eve) == new_years_eve
    assert parse_date("tgl 1", new_years_eve) == date(2027, 1, 1)
    assert parse_date("akhir bulan", new_years_eve) == new_years_eve
    end_of_january = date(2027, 1, 31)
    assert parse_date("bulan depan", end_of_january) == date(2027, 2, 28)
    assert parse_date("besok", end_of_january) == date(2027, 2, 1)
    assert parse_date("tgl 31", MONDAY) == date(2026, 12, 31)  # November has no 31st


def test_february_29() -> None:
    leap_january = date(2028, 1, 31)
    assert parse_date("bulan depan", leap_january) == date(2028, 2, 29)
    assert parse_date("29/2", leap_january) == date(2028, 2, 29)
    assert parse_date("29/2/2028", date(2027, 12, 1)) == date(2028, 2, 29)
    assert parse_date("29/2", date(2027, 12, 1)) == date(2028, 2, 29)  # next year's, within six months
    assert parse_date("29/2/2027", date(2027, 1, 1)) is None  # 2027 has no 29 February
    assert parse_date("29/2", date(2026, 11, 23)) is None  # neither 2026 nor 2027 has one
    assert parse_date("besok", date(2028, 2, 28)) == date(2028, 2, 29)
    assert parse_date("besok", date(2028, 2, 29)) == date(2028, 3, 1)
    assert parse_date("besok", date(2027, 2, 28)) == date(2027, 3, 1)
    assert parse_date("sebulan", date(2028, 2, 29)) == date(2028, 3, 29)


def test_no_further_than_a_year() -> None:
    assert parse_date("23/11/2027", MONDAY) == date(2027, 11, 23)
    assert parse_date("1/12/2027", MONDAY) is None
    assert parse_date("12 bulan", MONDAY) == date(2027, 11, 23)


def test_format_day_in_the_readers_language() -> None:
    assert format_day(date(2026, 11, 24), "id") == "Selasa, 24 November 2026"
    assert format_day(date(2026, 11, 24), "en") == "Tuesday, 24 November 2026"
