"""Meeting times and opening hours as facilitators and TKSK type them."""

from __future__ import annotations

import pytest

from conversations.meeting_words import MeetingWords, split_meeting
from conversations.times import format_hours, format_time, outside_hours, parse_hours, parse_time


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("9", "09:00"),
        ("09.00", "09:00"),
        ("9:30", "09:30"),
        ("9 30", "09:30"),
        ("jam 9", "09:00"),
        ("pukul 09.00 WIB", "09:00"),
        ("jam 2 siang", "14:00"),
        ("jam 2", "14:00"),
        ("jam 11 siang", "11:00"),
        ("jam 12 siang", "12:00"),
        ("4 sore", "16:00"),
        ("7 malam", "19:00"),
        ("9am", "09:00"),
        ("2 pm", "14:00"),
        ("23.00", "23:00"),
        ("25", None),
        ("9.75", None),
        ("besok", None),
    ],
)
def test_start_times(text: str, expected: str | None) -> None:
    assert parse_time(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("08.00-12.00", ("08:00", "12:00")),
        ("8-12", ("08:00", "12:00")),
        ("08.00 – 12.00", ("08:00", "12:00")),
        ("jam 8 sampai 12", ("08:00", "12:00")),
        ("pukul 08.00 s.d. 12.00 WIB", ("08:00", "12:00")),
        ("8 s/d 2 siang", ("08:00", "14:00")),
        ("8 to 12", ("08:00", "12:00")),
        ("9-6", ("09:00", "18:00")),
        ("13.00-11.00", ("13:00", "11:00")),
        ("jam 8", None),
        ("pagi sampai siang", None),
    ],
)
def test_opening_hours(text: str, expected: tuple[str, str] | None) -> None:
    assert parse_hours(text) == expected


def test_meeting_hours_and_how_they_read() -> None:
    assert outside_hours("05:30") and outside_hours("21:30")
    assert not outside_hours("06:00") and not outside_hours("21:00")
    assert format_time("09:00", "id") == "09.00"
    assert format_time("09:00", "en") == "09:00"
    assert format_hours("08:00", "12:00", "id") == "08.00–12.00"
    assert format_hours("08:00", "", "en") == "08:00"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("sabtu depan jam 9 pagi di rumah Bu Ani", MeetingWords("sabtu depan", "jam 9 pagi", "rumah Bu Ani")),
        ("senin jam 8-12 di balai desa", MeetingWords("senin", "jam 8-12", "balai desa")),
        ("5/12 pukul 09.00 WIB di balai RW 05", MeetingWords("5/12", "pukul 09.00 WIB", "balai RW 05")),
        ("besok jam 2 siang", MeetingWords("besok", "jam 2 siang")),
        ("sabtu di rumah bu ani", MeetingWords("sabtu", "", "rumah bu ani")),
        ("sabtu", None),  # a day alone
        ("jam 9", None),  # no day
    ],
)
def test_a_meeting_told_in_one_message(text: str, words: MeetingWords | None) -> None:
    assert split_meeting(text) == words
