"""Signed, expiring links to stored media, so Twilio can fetch a chart or a workbook to send on WhatsApp.

A link names the file and its expiry and carries an HMAC of both under the
signing key (``settings.signing_key``): ``/media/<sha256>.png?expires=1764500000&signature=…``. Anyone
with the link can fetch the file until it expires; nothing else is served.

A file with a name people should see (a digest's workbook) gets it as the last
path segment, so the recipient's phone saves it under that name:
``/media/<sha256>.xlsx/ringkasan-32.73.07.1001-2026-W48.xlsx?expires=…&signature=…``.
The name is part of what is signed: changing it breaks the link.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlencode

from app.media import EXTENSIONS
from conversations.types import MediaRef

MIME_BY_EXTENSION = {extension: mime for mime, extension in EXTENSIONS.items()}
SHOWN_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,150}")
"""A name shown to the recipient: plain ASCII, nothing a path, a header or a shell could misread."""


@dataclass(frozen=True)
class MediaLinks:
    base_url: str
    signing_key: str
    """``settings.signing_key``: a key of its own, not the one NIK hashes use."""
    lifetime: timedelta

    def url(self, ref: MediaRef, *, now: datetime, filename: str = "") -> str:
        """The link; ``filename`` (when it is a plain name with the file's own extension) is what it downloads as."""
        name = ref.ref.removeprefix("sha256:") + _extension(ref.mime_type)
        shown = filename if is_shown_name(filename, name) else ""
        expires = int((now + self.lifetime).timestamp())
        query = urlencode({"expires": expires, "signature": self._signature(name, expires, shown)})
        return f"{self.base_url}/media/{name}{'/' + shown if shown else ''}?{query}"

    def verify(self, name: str, expires: int, signature: str, *, now: datetime, filename: str = "") -> bool:
        if filename and not is_shown_name(filename, name):
            return False
        return expires >= now.timestamp() and hmac.compare_digest(signature, self._signature(name, expires, filename))

    def _signature(self, name: str, expires: int, filename: str = "") -> str:
        message = f"{name}:{expires}{':' + filename if filename else ''}".encode()  # links without a name keep their signature
        return hmac.new(self.signing_key.encode(), message, hashlib.sha256).hexdigest()


def is_shown_name(filename: str, name: str) -> bool:
    """A safe name to show for the stored file ``name``, ending in the same extension (a PNG stays a ``.png``)."""
    extension = "." + name.partition(".")[2]
    return bool(SHOWN_NAME.fullmatch(filename)) and filename.endswith(extension) and len(filename) > len(extension)


def ref_of(name: str) -> MediaRef | None:
    """``"ab12….png"`` → the stored file's ref, or None for a name that is not one of ours."""
    digest, dot, extension = name.partition(".")
    if not dot or len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
        return None
    mime = MIME_BY_EXTENSION.get(f".{extension}")
    return MediaRef(f"sha256:{digest}", mime) if mime else None


def _extension(mime_type: str) -> str:
    return next((ext for ext, mime in MIME_BY_EXTENSION.items() if mime == mime_type), ".bin")
