"""Reading what people write: one normaliser for every answer, the meanings yes/no/skip/done/not-yet,
the problem a household describes, and the facts its message already gives.

Pure functions over text; the lexicons are data in ``lexicon.py``. Flows never
compare raw text themselves: they go through ``conversations.matching``, which
goes through here.
"""

from conversations.understand.meanings import Meaning, meanings_of
from conversations.understand.text import clean, looks_english, tokens

__all__ = ["Meaning", "clean", "looks_english", "meanings_of", "tokens"]
