"""What a digest sends besides its figures: the text, the chart (PNG) and the workbook (XLSX).

Drawing is most of a Monday run's work (a regency's 306 villages: about 70 ms a village against 50 ms for its
figures), and it needs no database: with many digests to draw it goes to a small pool of worker processes while
the caller goes on building figures, so both cores work. The pool lives for one run only, is bounded, and is
shut down at its end (or at the first error, dropping what is still waiting). Its processes are spawned, not
forked: ``kawal serve`` has threads, and a forked copy of a lock held by one of them would never be released.
A worker translates with the compiled catalogs (``app.i18n``), as the service does.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from app.digest.chart import chart_png
from app.digest.render import digest_text
from app.digest.workbook import workbook_xlsx
from conversations.types import Translate

PROCESSES = 2  # at most; never more than the machine's cores
POOL_FROM = 16  # digests to draw; fewer are drawn in the calling thread (starting a worker takes about a second)

Draw = Callable[[dict[str, Any], str], "Future[Drawn]"]


@dataclass(frozen=True)
class Drawn:
    text: str
    chart: bytes  # PNG
    workbook: bytes  # XLSX


def draw(figures: dict[str, Any], t: Translate, locale: str) -> Drawn:
    return Drawn(digest_text(figures, t, locale), chart_png(figures, t, locale), workbook_xlsx(figures, t, locale))


@contextmanager
def drawing(count: int, translators: Mapping[str, Translate], *, processes: int = PROCESSES) -> Iterator[Draw]:
    """A function that draws a digest (``figures``, ``locale``) and returns its future: for ``count`` digests or
    more (``POOL_FROM``) in a pool of up to ``processes`` workers, otherwise here and now."""
    workers = min(processes, os.cpu_count() or 1)
    if count < POOL_FROM or workers < 1:
        yield lambda figures, locale: _now(figures, translators[locale], locale)
        return
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"))
    try:
        yield lambda figures, locale: pool.submit(_draw_in_worker, figures, locale)
    except BaseException:
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)


def _now(figures: dict[str, Any], t: Translate, locale: str) -> Future[Drawn]:
    future: Future[Drawn] = Future()
    try:
        future.set_result(draw(figures, t, locale))
    except Exception as error:  # noqa: BLE001 - handed to whoever asks for the result, as a pool would
        future.set_exception(error)
    return future


def _draw_in_worker(figures: dict[str, Any], locale: str) -> Drawn:
    from app.i18n import translator

    return draw(figures, translator(locale), locale)
