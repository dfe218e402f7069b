"""Signed, expiring links to stored media, so Twilio can fetch a chart or a workbook to send on WhatsApp.

A link names the file and its expiry and carries an HMAC of both under the
secret key: ``/media/<sha256>.png?expires=1764500000&signature=…``. Anyone
with the link can fetch the file until it expires; nothing else is served.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlencode

from app.media import EXTENSIONS
from conversations.types import MediaRef

MIME_BY_EXTENSION = {extension: mime for mime, extension in EXTENSIONS.items()}


@dataclass(frozen=True)
class MediaLinks:
    base_url: str
    secret_key: str
    lifetime: timedelta

    def url(self, ref: MediaRef, *, now: datetime) -> str:
        name = ref.ref.removeprefix("sha256:") + _extension(ref.mime_type)
        expires = int((now + self.lifetime).timestamp())
        query = urlencode({"expires": expires, "signature": self._signature(name, expires)})
        return f"{self.base_url}/media/{name}?{query}"

    def verify(self, name: str, expires: int, signature: str, *, now: datetime) -> bool:
        return expires >= now.timestamp() and hmac.compare_digest(signature, self._signature(name, expires))

    def _signature(self, name: str, expires: int) -> str:
        message = f"{name}:{expires}".encode()
        return hmac.new(self.secret_key.encode(), message, hashlib.sha256).hexdigest()


def ref_of(name: str) -> MediaRef | None:
    """``"ab12….png"`` → the stored file's ref, or None for a name that is not one of ours."""
    digest, dot, extension = name.partition(".")
    if not dot or len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
        return None
    mime = MIME_BY_EXTENSION.get(f".{extension}")
    return MediaRef(f"sha256:{digest}", mime) if mime else None


def _extension(mime_type: str) -> str:
    return next((ext for ext, mime in MIME_BY_EXTENSION.items() if mime == mime_type), ".bin")
