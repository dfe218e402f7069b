"""Each province's IANA time zone (WIB, WITA, WIT). Province codes are the first segment of a kode wilayah."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.models import Person

WIB, WITA, WIT = "Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"

_WITA = {"51", "52", "53", "63", "64", "65", "71", "72", "73", "74", "75", "76"}
_WIT = {"81", "82", "91", "92", "93", "94", "95", "96"}

ZONE_ABBREVIATIONS = {WIB: "WIB", WITA: "WITA", WIT: "WIT"}


def timezone_of(area_code: str) -> str:
    """``"32.73.07.1001"`` → ``"Asia/Jakarta"``; ``"51.71"`` (Denpasar) → ``"Asia/Makassar"``."""
    province = area_code.split(".", 1)[0]
    if province in _WITA:
        return WITA
    if province in _WIT:
        return WIT
    return WIB


def person_area(person: Person) -> str:
    """The area whose clock a person lives by: their village, else the area of their first role."""
    if person.area_code:
        return person.area_code
    return person.roles[0].area_code if person.roles else ""
