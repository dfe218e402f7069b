"""What a short answer means, whatever words it is said in: yes, no, skip, done, not yet, don't know.

``meanings_of("iya pak")`` → ``(YES,)``; ``meanings_of("gak usah foto")`` → ``(SKIP, NO)``;
``meanings_of("sampun")`` → ``(DONE, YES, SKIP)``. The first meaning is the
plainest reading; the others are what the same words answer to a question
that offers no option with the first meaning ("sudah" answers "any photo?"
as a skip, "got the letter?" as a yes).
"""

from __future__ import annotations

from enum import StrEnum
from functools import lru_cache

from conversations.understand import lexicon
from conversations.understand.text import _phrases, tokens


class Meaning(StrEnum):
    YES = "yes"
    NO = "no"
    SKIP = "skip"
    DONE = "done"
    NOT_YET = "not_yet"
    UNKNOWN = "unknown"


# Tried in this order; within a kind, longer phrases first. A phrase must open the answer.
_READINGS: tuple[tuple[tuple[str, ...], tuple[Meaning, ...]], ...] = tuple(
    (phrase, readings)
    for entries, readings in (
        (lexicon.UNKNOWN, (Meaning.UNKNOWN,)),
        (lexicon.SKIP, (Meaning.SKIP, Meaning.NO, Meaning.DONE)),
        (lexicon.NOT_YET, (Meaning.NOT_YET, Meaning.NO, Meaning.SKIP)),
        (lexicon.DONE, (Meaning.DONE, Meaning.YES, Meaning.SKIP)),
        (lexicon.NO, (Meaning.NO, Meaning.SKIP)),
        (lexicon.YES, (Meaning.YES,)),
    )
    for phrase in _phrases(entries)
)
_BY_LENGTH = tuple(sorted(_READINGS, key=lambda reading: len(reading[0]), reverse=True))


@lru_cache(maxsize=4096)
def meanings_of(text: str) -> tuple[Meaning, ...]:
    """The meanings a short answer can have, plainest first; ``()`` when it is not such an answer.

    Only answers of up to six words count: a longer message is content, not a yes."""
    words = tokens(text)
    if not words or len(words) > 6:
        return ()
    for phrase, readings in _BY_LENGTH:
        if words[: len(phrase)] == phrase:
            return readings
    return ()
