"""Picking a village by a typed name, and members by numbers or names."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from conversations import Context, Inbound, PersonView, Reply
from conversations.areas import Gazetteer
from conversations.flows.attendance import read_members
from conversations.flows.village_agent import find_villages
from conversations.types import MeetingView, MemberView

VILLAGES = [
    ("35.17.18.2001", "Bandarkedungmulyo"), ("35.17.18.2008", "Banjarsari"), ("35.17.18.2006", "Brodot"),
    ("35.17.18.2004", "Kayen"), ("35.17.18.2002", "Mojokambang"),
]  # fmt: skip
MEETING = MeetingView(
    6, "p2k2", "32.73.16.1002", "Kebon Jayanti", "2026-11-21", "09:00",
    members=(MemberView(11, "Bu Ani"), MemberView(12, "Pak Dedi"), MemberView(13, "Bu Rina")),
)  # fmt: skip


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Brodot", ["Brodot"]),
        ("desa kayen", ["Kayen"]),
        ("brodto", ["Brodot"]),
        ("ban", ["Bandarkedungmulyo", "Banjarsari"]),
        ("kambang", ["Mojokambang"]),
        ("surabaya", []),
    ],
)
def test_villages_by_name(text: str, expected: list[str]) -> None:
    assert [name for _code, name in find_villages(text, VILLAGES)] == expected


@pytest.fixture
def ctx(catalog_translators):  # type: ignore[no-untyped-def]
    person = PersonView(consented=True, roles=())
    return Context(now=datetime(2026, 11, 23, tzinfo=UTC), person=person, gazetteer=Gazetteer(()), translators=catalog_translators)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3 1", [11, 13]),
        ("1, 3", [11, 13]),
        ("2 dan 3", [12, 13]),
        ("Bu Rina dan pak dedi", [12, 13]),
        ("dedi", [12]),
        ("0", []),
        ("tidak ada", []),
    ],
)
def test_members(ctx, text: str, expected: list[int]) -> None:  # type: ignore[no-untyped-def]
    assert read_members(Inbound.text_(text), MEETING, ctx) == expected


def test_members_out_of_range_or_unknown(ctx) -> None:  # type: ignore[no-untyped-def]
    assert isinstance(read_members(Inbound.text_("4"), MEETING, ctx), Reply)
    assert isinstance(read_members(Inbound.text_("Bu Tini"), MEETING, ctx), Reply)
