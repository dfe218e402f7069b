"""Sensitive identifiers (NIK, KK number): stored as a keyed hash plus a masked form, never in clear."""

from __future__ import annotations

import hashlib
import hmac


def keyed_hash(value: str, key: str) -> str:
    """HMAC-SHA256 of the digits, so equal numbers match without the number being kept.

    ``key`` is ``settings.identifier_hash_key`` (never the secret itself, see ``app.privacy.keys``).
    """
    digits = "".join(ch for ch in value if ch.isdigit())
    return hmac.new(key.encode(), digits.encode(), hashlib.sha256).hexdigest()


def mask_identifier(value: str) -> str:
    """``3273074506800001`` → ``3273********0001``."""
    digits = "".join(ch for ch in value if ch.isdigit())
    if len(digits) < 8:
        return "*" * len(digits)
    return digits[:4] + "*" * (len(digits) - 8) + digits[-4:]
