"""The media store: received photos and voice notes, kept at once (provider links expire).

Files live under ``KAWAL_MEDIA_DIR``, named by the SHA-256 of their content, so
the same photo sent twice is stored once. A size limit protects the disk; the
sender of a larger file is told so.
"""

from __future__ import annotations

import hashlib
import mimetypes
from pathlib import Path

from conversations.types import MediaRef

EXTENSIONS = {
    "image/jpeg": ".jpg", "audio/ogg": ".ogg", "audio/mpeg": ".mp3", "image/png": ".png",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
}  # fmt: skip


class MediaTooLarge(Exception):
    """The file is over ``KAWAL_MEDIA_MAX_BYTES``."""


class MediaStore:
    def __init__(self, root: Path, max_bytes: int) -> None:
        self.root = root
        self.max_bytes = max_bytes

    def save(self, content: bytes, mime_type: str) -> MediaRef:
        if len(content) > self.max_bytes:
            raise MediaTooLarge(f"{len(content)} bytes > {self.max_bytes}")
        digest = hashlib.sha256(content).hexdigest()
        path = self._path(digest, mime_type)
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary = path.with_suffix(path.suffix + ".part")
            temporary.write_bytes(content)
            temporary.replace(path)
        return MediaRef(f"sha256:{digest}", mime_type)

    def path_of(self, ref: MediaRef) -> Path:
        return self._path(ref.ref.removeprefix("sha256:"), ref.mime_type)

    def _path(self, digest: str, mime_type: str) -> Path:
        extension = EXTENSIONS.get(mime_type) or mimetypes.guess_extension(mime_type or "") or ".bin"
        return self.root / digest[:2] / f"{digest}{extension}"
