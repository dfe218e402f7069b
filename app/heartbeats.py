"""Whether the background workers are alive, for ``/readyz``.

Each worker beats once per round (the delivery worker per loop, the scheduler per run). A worker is alive
when its task has not ended and its last beat is recent: three of its intervals, never less than
``MIN_SILENCE`` seconds, so one slow round (a long digest, a stalled database) is not taken for a death.
Monotonic time, not the service clock: the clock can be moved (simulator, tests), the silence cannot.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

MIN_SILENCE = 10.0


@dataclass
class _Worker:
    interval: float
    alive: Callable[[], bool]
    last_beat: float


class Heartbeats:
    def __init__(self, monotonic: Callable[[], float] = time.monotonic) -> None:
        self._monotonic = monotonic
        self._workers: dict[str, _Worker] = {}
        self._lock = threading.Lock()  # the scheduler beats from its own thread

    def expect(self, name: str, *, interval: float, alive: Callable[[], bool] = lambda: True) -> None:
        """Start watching a worker that beats about every ``interval`` seconds; counted alive from now."""
        with self._lock:
            self._workers[name] = _Worker(interval, alive, self._monotonic())

    def beat(self, name: str) -> None:
        with self._lock:
            if name in self._workers:
                self._workers[name].last_beat = self._monotonic()

    def report(self) -> dict[str, str]:
        """Each watched worker: "alive", "stopped" (its task ended) or "silent" (no beat for too long)."""
        now = self._monotonic()
        with self._lock:
            workers = dict(self._workers)
        states = {}
        for name, worker in sorted(workers.items()):
            if not worker.alive():
                states[name] = "stopped"
            elif now - worker.last_beat > max(3 * worker.interval, MIN_SILENCE):
                states[name] = "silent"
            else:
                states[name] = "alive"
        return states
