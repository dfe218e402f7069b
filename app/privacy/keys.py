"""Separate keys derived from ``KAWAL_SECRET_KEY``: one hashes NIK and KK numbers, one signs media links.

Each key is an HMAC of a fixed label under the secret, so knowing one key tells nothing of the other or of
the secret. The identifier key can be pinned with ``KAWAL_IDENTIFIER_KEY`` (``kawal keys identifier`` prints
the current one): the secret can then be rotated — signed links change, stored hashes keep matching.
"""

from __future__ import annotations

import hashlib
import hmac

IDENTIFIER_HASH_LABEL = "kawal-bansos/identifier-hash/v1"
SIGNING_LABEL = "kawal-bansos/media-link-signing/v1"


def derived_key(secret_key: str, label: str) -> str:
    """``HMAC-SHA256(secret, label)`` as hex: a key for one purpose only."""
    return hmac.new(secret_key.encode(), label.encode(), hashlib.sha256).hexdigest()
