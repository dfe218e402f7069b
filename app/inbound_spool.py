"""WhatsApp messages kept on disk until the pipeline has them: Twilio does not deliver a webhook again.

Each signed Twilio form is written here (one private file, NIKs masked) before it is
handled and removed once the pipeline has recorded it. When the database is busy
longer than the webhook may wait, Twilio is still answered 200 in time: the message
is safe on disk, the request's own worker thread handles it when the lock is free,
and ``drain`` (run by ``kawal serve`` every few seconds, and at start) hands any file
left over — by a stalled database or a crash — to the pipeline again. A message the
pipeline has already recorded comes back as a duplicate and is not answered twice.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

from app.masking import masked_value

log = logging.getLogger(__name__)
FOLDER = "inbound-spool"


@dataclass(frozen=True)
class InboundSpool:
    root: Path

    @classmethod
    def under(cls, media_dir: Path) -> InboundSpool:
        return cls(Path(media_dir) / FOLDER)

    def keep(self, form: dict[str, str]) -> Path:
        """Write ``form`` durably (0600, fsynced) and return its file; ``OSError`` if it cannot be written."""
        self.root.mkdir(mode=0o700, parents=True, exist_ok=True)
        path = self.root / f"{secrets.token_hex(16)}.json"
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            json.dump(masked_value(form), handle, ensure_ascii=False)
            handle.flush()
            os.fsync(handle.fileno())
        return path

    def waiting(self, *, older_than: float, now: float) -> list[Path]:
        """Files kept more than ``older_than`` seconds ago (``now`` is ``time.time()``), oldest first."""
        if not self.root.is_dir():
            return []
        files = [(path.stat().st_mtime, path) for path in self.root.glob("*.json")]
        return [path for mtime, path in sorted(files) if now - mtime >= older_than]

    async def drain(self, handle: Callable[[dict[str, str]], Awaitable[object]], *, older_than: float, now: float) -> int:
        """Hand each waiting form to ``handle`` and remove it once handled; how many were. An error keeps the file."""
        handled = 0
        for path in self.waiting(older_than=older_than, now=now):
            try:
                form = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                log.error("unreadable spooled WhatsApp message %s: left for a person to look at", path.name)
                path.rename(path.with_suffix(".unreadable"))
                continue
            try:
                await handle(form)
            except Exception:
                log.warning("spooled WhatsApp message not handled yet; trying again later", exc_info=True)
                break
            path.unlink(missing_ok=True)
            handled += 1
        return handled
