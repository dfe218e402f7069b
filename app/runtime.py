"""What the shell builds once at start and shares: settings, the gazetteer, the catalogs."""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable, Mapping
from concurrent.futures import Future

from app.areas.service import build_gazetteer
from app.config import Settings
from app.db import Database
from app.i18n import translators
from conversations.areas import Gazetteer
from conversations.types import Translate
from conversations.understand.classify import prepare as prepare_understanding


class Runtime:
    def __init__(
        self,
        *,
        settings: Settings,
        gazetteer: Gazetteer | Future[Gazetteer],
        translators: Mapping[str, Translate],
        read: Callable[[], Gazetteer] | None = None,
        freeze_when_read: bool = False,
    ) -> None:
        self.settings = settings
        self.translators = translators
        self._gazetteer = gazetteer
        self._read = read
        self._freeze_when_read = freeze_when_read
        self._reading: threading.Thread | None = None
        self._start_lock = threading.Lock()

    @property
    def gazetteer(self) -> Gazetteer:
        """The place names; a message that comes while they are still being read waits for them."""
        current = self._gazetteer  # read once: another thread may replace the future with its result meanwhile
        if isinstance(current, Future):
            self.start_reading()
            current = self._gazetteer = current.result()
        return current

    @property
    def place_names_read(self) -> bool:
        """Whether a message would be answered without waiting for the place names (``/readyz`` says so)."""
        return not isinstance(self._gazetteer, Future) or self._gazetteer.done()

    def wait_for_gazetteer(self) -> None:
        """Called before a message's transaction opens: a message just after start waits here, holding no lock."""
        _ = self.gazetteer

    @classmethod
    def build(
        cls, settings: Settings, database: Database, *, in_background: bool = False, freeze_when_read: bool = False
    ) -> Runtime:
        """``in_background``: the gazetteer (every village of Indonesia, about a second to read) and the
        understanding rules are prepared in a thread started by ``start_reading``, so ``kawal serve`` answers
        health checks and webhooks at once instead of after them.

        ``freeze_when_read`` (``kawal serve``): once read, everything alive is moved out of the garbage collector's
        sight (``gc.freeze``). The place names are a quarter of a million objects that live as long as the process;
        each full collection walked them all, a pause of 75-90 ms for every thread, several times a minute under load.
        """
        if not in_background:
            prepare_understanding()
            return cls(settings=settings, gazetteer=_read_gazetteer(database), translators=translators())
        return cls(
            settings=settings, gazetteer=Future(), translators=translators(), read=lambda: _read_gazetteer(database),
            freeze_when_read=freeze_when_read,
        )  # fmt: skip

    def start_reading(self) -> None:
        """Start the background preparation (once). ``kawal serve`` calls it when everything else is up: started
        earlier, it would share the one interpreter with the start and delay it; a first message starts it too."""
        with self._start_lock:
            if self._reading is not None or not isinstance(self._gazetteer, Future) or self._read is None:
                return
            self._reading = threading.Thread(
                target=self._prepare, args=(self._gazetteer, self._read, self._freeze_when_read), name="gazetteer", daemon=True
            )
            self._reading.start()

    @staticmethod
    def _prepare(future: Future[Gazetteer], read: Callable[[], Gazetteer], freeze: bool) -> None:
        try:
            prepare_understanding()
            gazetteer = read()
        except BaseException as error:  # noqa: BLE001 - handed to whoever waits for the place names
            future.set_exception(error)
            return
        if freeze:
            gc.collect()  # what is garbage already goes now, not frozen with the rest
            gc.freeze()
        future.set_result(gazetteer)

    def close(self) -> None:
        """Wait for a background read still going (before its database is closed)."""
        if self._reading is not None:
            self._reading.join()


def _read_gazetteer(database: Database) -> Gazetteer:
    with database.reading() as db:  # a writer waiting for the place names must not be waited for in turn
        return build_gazetteer(db)
