"""Answers to a meeting reminder: taps, words, and a bare number only while the reminder is fresh."""

from __future__ import annotations

import pytest

from conversations.flows.meeting_answers import read_answer
from conversations.types import Inbound, PendingAnswer

PENDING = PendingAnswer(7, "P2K2 Sabtu")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("hadir", True),
        ("Insya Allah hadir", True),
        ("ya saya datang", True),
        ("izin", False),
        ("maaf bu saya izin", False),
        ("tidak bisa hadir", False),
        ("berhalangan", False),
        ("absen", False),
        ("I can't come", False),
        ("kartu saya tidak bisa dipakai", None),
        ("tidak hadir karena kartu hilang, bagaimana?", None),
        ("halo", None),
        ("1", None),
    ],
)
def test_words(text: str, expected: bool | None) -> None:
    assert read_answer(Inbound.text_(text), PENDING, by_number=False) is expected


def test_numbers_only_when_asked_for() -> None:
    assert read_answer(Inbound.text_("1"), PENDING, by_number=True) is True
    assert read_answer(Inbound.text_("dua"), PENDING, by_number=True) is False
    assert read_answer(Inbound.text_("3"), PENDING, by_number=True) is None


def test_taps_for_this_meeting_only() -> None:
    assert read_answer(Inbound.option_("answer:7:no"), PENDING, by_number=False) is False
    assert read_answer(Inbound.option_("answer:8:no"), PENDING, by_number=False) is None
