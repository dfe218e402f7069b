"""Forgiving matching of what people type against what we offered.

People answer "1", "satu", "1.", "Kartu hilang", "kartu ilang" or "KARTU HILANG!!"
for the same option. All answers go through here, never through ``==`` on raw text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from rapidfuzz import fuzz

from conversations.types import Inbound, InboundKind, Option

NUMBER_WORDS = {
    "satu": 1, "dua": 2, "tiga": 3, "empat": 4, "lima": 5,
    "enam": 6, "tujuh": 7, "delapan": 8, "sembilan": 9, "sepuluh": 10,
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
}  # fmt: skip

FUZZY_CUTOFF = 80
FUZZY_MARGIN = 5

_SEPARATORS = re.compile(r"\s*(?:,|;|&|\+|\bdan\b|\band\b)\s*")
_NUMBER_RE = re.compile(r"^(?:no|nomor|nomer|pilih|pilihan|number)?\s*(\d{1,2})\s*[.)]?$")


def normalize(text: str) -> str:
    """Lower-case, strip accents, punctuation, emoji and extra spaces: ``" Kartu  ILANG!! "`` → ``"kartu ilang"``."""
    text = unicodedata.normalize("NFKD", text).casefold()
    kept = []
    for char in text:
        category = unicodedata.category(char)
        if category.startswith(("L", "N")):
            kept.append(char)
        elif category == "Mn":
            continue
        else:
            kept.append(" ")
    return " ".join("".join(kept).split())


def has_words(text: str) -> bool:
    """True when the text holds at least one letter or digit (not only emoji or punctuation)."""
    return bool(normalize(text))


def option_number(text: str) -> int | None:
    """``"2"``, ``"2."``, ``"no 2"``, ``"dua"`` → 2; anything else → None."""
    cleaned = text.strip().casefold()
    found = _NUMBER_RE.match(cleaned)
    if found:
        return int(found.group(1))
    return NUMBER_WORDS.get(normalize(text))


def choose(inbound: Inbound, options: Sequence[Option]) -> Option | None:
    """The option the person meant, or None when the answer fits none (or fits two equally well)."""
    if inbound.kind is InboundKind.OPTION:
        return next((o for o in options if o.key == inbound.option), None)
    if inbound.kind is not InboundKind.TEXT or not options:
        return None
    number = option_number(inbound.text)
    if number is not None:
        return options[number - 1] if 1 <= number <= len(options) else None
    answer = normalize(inbound.text)
    if not answer:
        return None
    for option in options:
        if answer == normalize(option.label) or answer in (normalize(a) for a in option.aliases):
            return option
    return _closest(answer, options)


def choose_several(inbound: Inbound, options: Sequence[Option]) -> tuple[Option, ...] | None:
    """The options an answer names, in list order: ``"1 3 5"``, ``"1,3"``, ``"rt, tksk"``, ``"2 dan 4"``;
    None when a part fits none of them (or nothing was named). A tapped option is that one alone."""
    if inbound.kind is not InboundKind.TEXT:
        picked = choose(inbound, options)
        return (picked,) if picked else None
    chosen: set[str] = set()
    for piece in _SEPARATORS.split(inbound.text.strip()):
        keys = _piece_options(piece, options)
        if keys is None:
            return None
        chosen.update(keys)
    picked_in_order = tuple(option for option in options if option.key in chosen)
    return picked_in_order or None


def _piece_options(piece: str, options: Sequence[Option]) -> list[str] | None:
    """One comma-separated part: a whole label ("satpol pp"), or each of its words ("1 3 5", "rt tksk")."""
    if not has_words(piece):
        return []
    whole = choose(Inbound.text_(piece), options)
    if whole is not None:
        return [whole.key]
    words = [choose(Inbound.text_(word), options) for word in piece.split()]
    if any(word is None for word in words):
        return None
    return [word.key for word in words if word is not None]


def _closest(answer: str, options: Sequence[Option]) -> Option | None:
    scored = []
    for option in options:
        candidates = (normalize(option.label), *(normalize(a) for a in option.aliases))
        score = max(fuzz.ratio(answer, candidate) for candidate in candidates)
        scored.append((score, option))
    scored.sort(key=lambda pair: pair[0], reverse=True)
    best_score, best = scored[0]
    if best_score < FUZZY_CUTOFF:
        return None
    if len(scored) > 1 and best_score - scored[1][0] < FUZZY_MARGIN:
        return None
    return best


def is_word(text: str, words: Sequence[str]) -> bool:
    """True when the whole message is one of ``words`` (after normalizing)."""
    return normalize(text) in words
