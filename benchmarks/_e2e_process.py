"""A server under test in its own process: start it, wait until ready, kill it, and read its CPU time and memory.

CPU time and peak memory come from ``/proc`` (Linux): utime + stime of the process and of its live child
processes (plus children it waited for), and ``VmHWM`` (peak resident set) of the process.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import httpx

_TICKS = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _stat_fields(pid: int) -> list[str]:
    text = Path(f"/proc/{pid}/stat").read_text()
    return text[text.rindex(")") + 2 :].split()  # fields from the 3rd (state) on; the name may hold spaces


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int(_stat_fields(int(entry.name))[1]) == pid:
                    found.append(int(entry.name))
            except (OSError, ValueError, IndexError):
                continue
    return found


def cpu_seconds(pid: int) -> float:
    """User + system CPU of ``pid``, its waited-for children and (recursively) its live children."""
    try:
        fields = _stat_fields(pid)
    except OSError:
        return 0.0
    ticks = sum(int(value) for value in fields[11:15])  # utime, stime, cutime, cstime
    return ticks / _TICKS + sum(cpu_seconds(child) for child in _children(pid))


def machine_busy_seconds() -> float:
    """CPU time all the machine's cores spent busy since boot (``/proc/stat``: all but idle and iowait)."""
    with open("/proc/stat", encoding="ascii") as stat:
        ticks = [int(value) for value in stat.readline().split()[1:]]
    return (sum(ticks) - ticks[3] - ticks[4]) / _TICKS


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


class ServerProcess:
    """One server command; ``start()`` returns the seconds until ``is_ready(base_url)`` first holds."""

    def __init__(
        self, command: list[str], *, env: dict[str, str], cwd: Path, port: int, log: Path,
        is_ready: Callable[[httpx.Response], bool], ready_path: str = "/healthz", poll_seconds: float = 0.05,
    ) -> None:  # fmt: skip
        self.command, self.env, self.cwd, self.port, self.log = command, env, cwd, port, log
        self.is_ready, self.ready_path, self.poll_seconds = is_ready, ready_path, poll_seconds
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def start(self, timeout: float = 60.0) -> float:
        started = time.perf_counter()
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                self.command, env=self.env, cwd=self.cwd, stdout=log, stderr=subprocess.STDOUT
            )
        deadline = time.monotonic() + timeout
        with httpx.Client(timeout=2) as client:
            while time.monotonic() < deadline:
                if self.process.poll() is not None:
                    break
                try:
                    if self.is_ready(client.get(f"{self.base_url}{self.ready_path}")):
                        return time.perf_counter() - started
                except httpx.HTTPError:
                    pass
                time.sleep(self.poll_seconds)
        self.stop()
        tail = self.log.read_text(errors="replace")[-3000:]
        raise RuntimeError(f"{self.command[:3]} did not become ready; the end of its log:\n{tail}")

    def wait_until_warm(self, timeout: float = 60.0) -> float:
        """Seconds until ``/readyz`` no longer says ``"place_names": "reading"`` (0 for a server without it)."""
        started = time.perf_counter()
        deadline = time.monotonic() + timeout
        with httpx.Client(timeout=2) as client:
            while time.monotonic() < deadline:
                response = client.get(f"{self.base_url}/readyz")
                if response.status_code != 200 or response.json().get("place_names") != "reading":
                    return time.perf_counter() - started
                time.sleep(self.poll_seconds)
        raise RuntimeError("the place names were not read within a minute")

    def kill(self) -> None:
        """SIGKILL, as a crash: nothing is flushed or closed."""
        if self.process is not None and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def stop(self) -> None:
        """SIGTERM and wait (SIGKILL after 30 s)."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.kill()
