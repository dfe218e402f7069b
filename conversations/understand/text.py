"""One normaliser for every answer: ``clean("Iyaaa pak, sdh 🙏")`` → ``"iya sudah"``.

Steps, each from the field notes on how people write (``docs/LANGUAGE.md``):
lower-case without accents, punctuation or emoji; elongation and reduplication
undone ("iyaaa" → "iya", "tolong2" → "tolong"); SMS shorthand and regional
spellings expanded ("sy" → "saya", "gak" → "tidak", "sampun" → "sudah");
greetings at the start, thanks and closings anywhere, terms of address
("pak", "bu", "mbak", "teteh" …) and particles ("deh", "dong") dropped.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from conversations.understand import lexicon

_ELONGATED = re.compile(r"([a-z])\1{2,}")
_DOUBLED_END_VOWEL = re.compile(r"(?<=[a-z])([aiueo])\1$")
_REDUPLICATED = re.compile(r"^([a-z]{2,})2$")
_KEEP_DOUBLE = frozenset({"maaf", "saat", "taat", "jumaat", "ma", "soo", "too", "see", "free", "zoo", "yaa"})


def normalize(text: str) -> str:
    """Lower-case, strip accents, punctuation, emoji and extra spaces: ``" Kartu  ILANG!! "`` → ``"kartu ilang"``."""
    for emoji, word in lexicon.EMOJI_WORDS.items():
        if emoji in text:
            text = text.replace(emoji, word)
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


def _word(word: str) -> str:
    """One word in its standard form: "iyaaa" → "iya", "blm2" → "belum", "sy" → "saya"."""
    if word in lexicon.SHORTHAND:
        return lexicon.SHORTHAND[word]
    plain = _ELONGATED.sub(r"\1", word)
    reduplicated = _REDUPLICATED.match(plain)
    if reduplicated:
        plain = reduplicated.group(1)
    if plain not in _KEEP_DOUBLE and plain not in lexicon.SHORTHAND:
        plain = _DOUBLED_END_VOWEL.sub(r"\1", plain)
    return lexicon.SHORTHAND.get(plain, plain)


def _phrases(entries: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    """Phrases as word tuples, longest first, each written in standard form."""
    split = {tuple(_word(w) for w in normalize(entry).split()) for entry in entries}
    return tuple(sorted(split, key=len, reverse=True))


_GREETINGS = _phrases(lexicon.GREETINGS)
_CLOSINGS = _phrases(lexicon.CLOSINGS)


def _starts_with(words: list[str], at: int, phrase: tuple[str, ...]) -> bool:
    return tuple(words[at : at + len(phrase)]) == phrase


@lru_cache(maxsize=4096)
def _clean_words(text: str, keep_address: bool) -> tuple[str, ...]:
    words = [_word(w) for w in normalize(text).split()]
    start = 0
    while start < len(words):  # greetings, address and courtesies before the content
        greeting = next((g for g in _GREETINGS if _starts_with(words, start, g)), None)
        if greeting is not None:
            start += len(greeting)
        elif not keep_address and words[start] in lexicon.ADDRESS_TERMS:
            start += 1
        else:
            break
    kept: list[str] = []
    at = start
    while at < len(words):
        closing = next((c for c in _CLOSINGS if _starts_with(words, at, c)), None)
        if closing is not None:
            at += len(closing)
            continue
        word = words[at]
        if word not in lexicon.PARTICLES and (keep_address or word not in lexicon.ADDRESS_TERMS):
            kept.append(word)
        at += 1
    return tuple(kept)


def tokens(text: str, *, keep_address: bool = False) -> tuple[str, ...]:
    """The words that carry the message, in standard form (see the module docstring)."""
    return _clean_words(text, keep_address)


def clean(text: str, *, keep_address: bool = False) -> str:
    """``tokens`` joined by spaces: ``"Assalamualaikum pak, kartu sy ilang 🙏"`` → ``"kartu saya hilang"``.

    Terms of address are kept with ``keep_address=True`` (where "ibu" is the mother, not the reader)."""
    return " ".join(_clean_words(text, keep_address))


def looks_english(text: str) -> bool:
    """Whether a message is written in English ("my kks card is lost") rather than Indonesian."""
    words = normalize(text).split()
    english = sum(1 for w in words if w in lexicon.ENGLISH_MARKERS)
    indonesian = sum(1 for w in words if _word(w) in lexicon.INDONESIAN_MARKERS or w in lexicon.SHORTHAND)
    return english >= 2 and english > 2 * indonesian
