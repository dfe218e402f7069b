"""What the shell builds once at start and shares: settings, the gazetteer, the catalogs."""

from __future__ import annotations

from collections.abc import Mapping
from concurrent.futures import Future, ThreadPoolExecutor

from app.areas.service import build_gazetteer
from app.config import Settings
from app.db import Database
from app.i18n import translators
from conversations.areas import Gazetteer
from conversations.types import Translate


class Runtime:
    def __init__(self, *, settings: Settings, gazetteer: Gazetteer | Future[Gazetteer], translators: Mapping[str, Translate]) -> None:
        self.settings = settings
        self.translators = translators
        self._gazetteer = gazetteer

    @property
    def gazetteer(self) -> Gazetteer:
        """The place names; a message that comes while they are still being read waits for them."""
        if isinstance(self._gazetteer, Future):
            self._gazetteer = self._gazetteer.result()
        return self._gazetteer

    @classmethod
    def build(cls, settings: Settings, database: Database, *, in_background: bool = False) -> Runtime:
        """``in_background``: the gazetteer (every village of Indonesia, about a second to read) is read in a
        thread, so ``kawal serve`` answers health checks and webhooks at once instead of after it."""
        if not in_background:
            return cls(settings=settings, gazetteer=_read_gazetteer(database), translators=translators())
        pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="gazetteer")
        future = pool.submit(_read_gazetteer, database)
        pool.shutdown(wait=False)  # the thread ends with the read
        return cls(settings=settings, gazetteer=future, translators=translators())

    def wait_for_gazetteer(self) -> None:
        """Called before a message's transaction opens: a message just after start waits here, holding no lock."""
        _ = self.gazetteer

    def close(self) -> None:
        """Wait for a background read still going (before its database is closed)."""
        if isinstance(self._gazetteer, Future):
            self._gazetteer.exception()


def _read_gazetteer(database: Database) -> Gazetteer:
    with database.reading() as db:  # a writer waiting for the place names must not be waited for in turn
        return build_gazetteer(db)
