"""Forgiving matching of what people type against what we offered.

People answer "1", "satu", "1.", "Kartu hilang", "kartu ilang", "KARTU HILANG!!",
"iya pak" or "nggih" for the same option. Every answer to every option list goes
through ``choose`` (or ``choose_several``, ``means``, ``is_word``), never through
``==`` on raw text; the words themselves are read by ``conversations.understand``.

The order, for a typed answer:
1. a number wins ("2", "no 2", "dua", "2 pak");
2. a label or alias, after cleaning greetings, address, shorthand and elongation;
3. a plain meaning (yes / no / skip / done / not yet) an option is marked with;
4. the option whose content words the answer holds, or that holds the answer's
   ("surat keterangan desa" → "surat dari desa"), each word spelled closely enough;
5. the closest spelling, when it is clearly closest.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence

from rapidfuzz import fuzz

from conversations.types import Inbound, InboundKind, Option
from conversations.understand import lexicon
from conversations.understand.meanings import Meaning, meanings_of
from conversations.understand.text import clean, normalize

__all__ = [
    "NUMBER_WORDS", "choose", "choose_exactly", "choose_several", "clean", "has_words", "is_word", "means", "names",
    "normalize", "option_number", "says", "text_meanings",
]  # fmt: skip

PLAIN_WORDS = 3
"""A plain answer ("gak ada", "udah itu aja") is this short; longer words at a free-text question are content."""

NUMBER_WORDS = {
    "satu": 1, "dua": 2, "tiga": 3, "empat": 4, "lima": 5,
    "enam": 6, "tujuh": 7, "delapan": 8, "sembilan": 9, "sepuluh": 10,
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "siji": 1, "loro": 2, "telu": 3, "papat": 4, "hiji": 1, "tilu": 3, "opat": 4,
}  # fmt: skip

FUZZY_CUTOFF = 80
FUZZY_MARGIN = 5
WORD_CUTOFF = 84
"""How close one word must be spelled to another to count as the same word ("keterangn" ≈ "keterangan")."""

# Small words that do not tell options apart ("surat dari desa": "dari" says nothing).
_FILLER_WORDS = frozenset(
    "di ke dari dan atau yang untuk dengan saya itu ini ada pada the of to a an and or my is in on for sama "
    "mau minta tolong".split()
)
_SEPARATORS = re.compile(r"\s*(?:,|;|&|\+|/|\bdan\b|\band\b|\bsama\b|\bsm\b|\bama\b|\bserta\b|\bterus\b|\btrus\b)\s*")
_NUMBER_RE = re.compile(r"^(?:no|nomor|nomer|nmr|pilih|pilihan|number|yang|yg)?\s*(\d{1,2})\s*[.)]?$")


def has_words(text: str) -> bool:
    """True when the text holds at least one letter or digit (not only emoji or punctuation)."""
    return bool(normalize(text))


def option_number(text: str) -> int | None:
    """``"2"``, ``"2."``, ``"no 2"``, ``"dua"``, ``"2 pak"`` → 2; anything else → None."""
    for candidate in (text.strip().casefold(), clean(text)):
        found = _NUMBER_RE.match(candidate)
        if found:
            return int(found.group(1))
        if candidate in NUMBER_WORDS:
            return NUMBER_WORDS[candidate]
    return None


def text_meanings(inbound: Inbound) -> tuple[Meaning, ...]:
    """The plain meanings of a typed answer (see ``conversations.understand.meanings``)."""
    return meanings_of(inbound.text) if inbound.kind is InboundKind.TEXT else ()


def means(inbound: Inbound, *wanted: Meaning | str) -> bool:
    """Whether a typed answer plainly says one of ``wanted``: ``means(inbound, Meaning.SKIP)`` for "gak ada"."""
    readings = text_meanings(inbound)
    return bool(readings) and readings[0] in wanted


def is_word(text: str, words: Collection[str]) -> bool:
    """True when the whole message, cleaned of greetings, address and shorthand, is one of ``words``."""
    return normalize(text) in words or clean(text) in words


def choose(inbound: Inbound, options: Sequence[Option]) -> Option | None:
    """The option the person meant, or None when the answer fits none (or fits two equally well)."""
    if inbound.kind is InboundKind.OPTION:
        return next((o for o in options if o.key == inbound.option), None)
    if inbound.kind is not InboundKind.TEXT or not options:
        return None
    number = option_number(inbound.text)
    if number is not None:
        return options[number - 1] if 1 <= number <= len(options) else None
    raw, answer = normalize(inbound.text), clean(inbound.text)
    if not raw:
        return None
    for option in options:
        forms = names(option)
        if raw in forms or (answer and answer in forms):
            return option
    for meaning in text_meanings(inbound):
        meant = [option for option in options if meaning in option.means]
        if len(meant) == 1:
            return meant[0]
        if meant:
            break
    if not answer:
        return None
    return _by_words(answer, options) or _closest(answer, options)


def choose_exactly(inbound: Inbound, options: Sequence[Option], *, plain_words: int | None = PLAIN_WORDS) -> Option | None:
    """For a question that also takes free text (a name, a note, a day): the option only when the answer is a
    tap, its number, its label or a word for it, or a plain answer it means of at most ``plain_words`` words
    (None: any length); never a near spelling or a word it holds, so "Lewi" stays a name and "sabtu" a day."""
    if inbound.kind is not InboundKind.TEXT:
        return choose(inbound, options)
    named = next((option for option in options if says_name(inbound.text, option)), None)
    if named is not None:  # before numbers: "0" may be an option's word ("Balas 0 jika selesai")
        return named
    if option_number(inbound.text) is not None:
        return choose(inbound, options)
    if plain_words is not None and len(clean(inbound.text).split()) > plain_words:
        return None
    for meaning in text_meanings(inbound):
        meant = [option for option in options if meaning in option.means]
        if meant:
            return meant[0] if len(meant) == 1 else None
    return None


def says(inbound: Inbound, option: Option) -> bool:
    """Whether a typed answer is ``option``'s label or a word for it, or plainly means what it stands for."""
    if inbound.kind is not InboundKind.TEXT:
        return False
    return says_name(inbound.text, option) or any(meaning in option.means for meaning in text_meanings(inbound))


def says_name(text: str, option: Option) -> bool:
    """Whether ``text`` is exactly ``option``'s label or one of its aliases (after cleaning)."""
    return is_word(text, names(option))


def choose_several(inbound: Inbound, options: Sequence[Option]) -> tuple[Option, ...] | None:
    """The options an answer names, in list order: ``"1 3 5"``, ``"1,3"``, ``"rt, tksk"``, ``"2 dan 4"``,
    ``"bu ani sama bu yati"``; None when a part fits none of them (or nothing was named).
    A tapped option is that one alone."""
    if inbound.kind is not InboundKind.TEXT:
        picked = choose(inbound, options)
        return (picked,) if picked else None
    whole = choose(inbound, options)
    if whole is not None and option_number(inbound.text) is None and not _SEPARATORS.search(inbound.text.strip()):
        return (whole,)
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
    if not clean(piece) and not option_number(piece):
        return []
    whole = choose(Inbound.text_(piece), options)
    if whole is not None:
        return [whole.key]
    words = [choose(Inbound.text_(word), options) for word in clean(piece).split()]
    if not words or any(word is None for word in words):
        return None
    return [word.key for word in words if word is not None]


def names(option: Option) -> set[str]:
    """The forms of an option's label and aliases an answer is compared with, as written and cleaned."""
    names = {normalize(option.label), clean(option.label)}
    for alias in option.aliases:
        names.update((normalize(alias), clean(alias)))
    names.discard("")
    return names


def _content(text: str) -> list[str]:
    return [word for word in text.split() if word not in _FILLER_WORDS]


def _word_in(word: str, words: Sequence[str]) -> bool:
    return any(word == other or (len(word) >= 4 and fuzz.ratio(word, other) >= WORD_CUTOFF) for other in words)


def _by_words(answer: str, options: Sequence[Option]) -> Option | None:
    """The option whose content words all appear in the answer, or that holds all of the answer's; when
    several do, the one named by the most of the answer's words ("cek laporan" is the status, not "laporan")."""
    said = _content(answer)
    if not said:
        return None
    fits: list[tuple[int, Option]] = []
    for option in options:
        scores = [_fit(said, _content(name)) for name in names(option)]
        best = max((score for score in scores if score is not None), default=None)
        if best is not None:
            fits.append((best, option))
    if not fits:
        return None
    fits.sort(key=lambda fit: fit[0], reverse=True)
    if len(fits) > 1 and fits[1][0] == fits[0][0]:
        return None
    return fits[0][1]


def _fit(said: Sequence[str], named: Sequence[str]) -> int | None:
    """How well a name fits an answer: the number of its words when the answer holds them all, 0 when the
    answer is a part of the name, None when neither."""
    if not named:
        return None
    if all(_word_in(w, said) for w in named):
        return len(named)
    if all(_word_in(w, named) for w in said):
        return 0
    return None


def _closest(answer: str, options: Sequence[Option]) -> Option | None:
    scored = []
    for option in options:
        score = max(fuzz.ratio(answer, candidate) for candidate in names(option))
        scored.append((score, option))
    scored.sort(key=lambda pair: pair[0], reverse=True)
    best_score, best = scored[0]
    if best_score < FUZZY_CUTOFF:
        return None
    if len(scored) > 1 and best_score - scored[1][0] < FUZZY_MARGIN:
        return None
    return best


PLAIN_ANSWERS = frozenset(lexicon.YES + lexicon.NO + lexicon.SKIP + lexicon.DONE + lexicon.NOT_YET + lexicon.UNKNOWN)


def is_plain_answer(text: str) -> bool:
    """The whole answer is a yes, no, skip, done, not-yet or don't-know ("iya pak", "nggih", "gak tau"): where a
    name or a story is asked, it is not one."""
    return clean(text) in PLAIN_ANSWERS


ELDERS = frozenset(("mbah", "nenek", "kakek", "nek", "kek", "eyang", "uyut", "aki", "nini"))


def is_addressed(text: str) -> bool:
    """The answer opens with a term of address ("Pak Yatim", "mbah Miskin"): a person's name, whatever its words."""
    words = normalize(text).split()
    return bool(words) and (words[0] in lexicon.ADDRESS_TERMS or words[0] in ELDERS)
