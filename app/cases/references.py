"""Ticket codes people can read aloud and type on an old phone: ``KB-7Q4K2``.

No 0/O, 1/I/L: they are mixed up when read or typed. 31^5 ≈ 28 million codes;
a collision fails the unique constraint and the message is processed again
with a new code.
"""

from __future__ import annotations

import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_reference() -> str:
    return "KB-" + "".join(secrets.choice(ALPHABET) for _ in range(5))
