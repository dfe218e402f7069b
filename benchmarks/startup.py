"""Start-up: ``kawal serve`` from process start until ``/readyz`` answers 200, on a seeded SQLite database.

Run: ``make bench`` (5 starts), ``python -m benchmarks --quick`` (3), ``make bench-full`` (15), or alone
``.venv/bin/python -m benchmarks.startup [--quick | --full]``.

``kawal db upgrade`` and ``kawal seed-demo`` make the database once; then ``kawal serve`` is started N times on it
(a new port each time), configured as in production with WhatsApp (Twilio credentials, no request is made at
start), so ``/readyz`` waits for the database, the delivery worker and the scheduler; the gazetteer is still being
read in the background when it answers. ``/readyz`` is asked every 10 ms from the moment the process is spawned.
Printed: min and median seconds to ready, the server's CPU seconds at that moment (user + system, less
sensitive to other load on the machine than the wall time), the load average, and the target (< 2 s).
Exit status 1 only when the server never became ready.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import httpx

from benchmarks._e2e_process import ServerProcess, cpu_seconds, free_port

STARTS, QUICK_STARTS, FULL_STARTS = 5, 3, 15
TARGET_SECONDS = 2.0
SECRET_KEY = "startup-bench-secret-key-123456"
BIN = Path(sys.executable).parent


def server_env(directory: Path) -> dict[str, str]:
    clean = {name: value for name, value in os.environ.items() if not name.startswith("KAWAL_")}
    return {
        **clean,
        "KAWAL_DATABASE_URL": f"sqlite:///{directory}/kawal.db",
        "KAWAL_SECRET_KEY": SECRET_KEY,
        "KAWAL_MEDIA_DIR": str(directory / "media"),
        "KAWAL_PUBLIC_BASE_URL": "https://kawal.example.org",
        "KAWAL_TWILIO_ACCOUNT_SID": "AC" + "0123456789abcdef" * 2,
        "KAWAL_TWILIO_AUTH_TOKEN": "fedcba9876543210" * 2,
        "KAWAL_TWILIO_WHATSAPP_FROM": "whatsapp:+14155238886",
        "KAWAL_TWILIO_API_URL": f"http://127.0.0.1:{free_port()}",  # never called: nothing is sent at start
    }


def seed(directory: Path) -> None:
    env = server_env(directory)
    for command in (["db", "upgrade"], ["seed-demo"]):
        subprocess.run([str(BIN / "kawal"), *command], env=env, cwd=directory, check=True, capture_output=True)


def _ready(response: httpx.Response) -> bool:
    return response.status_code == 200


def start_once(directory: Path) -> tuple[float, float]:
    """(seconds from spawn to /readyz 200, the server's CPU seconds then)."""
    port = free_port()
    server = ServerProcess(
        [str(BIN / "kawal"), "serve", "--port", str(port)], env=server_env(directory), cwd=directory, port=port,
        log=directory / "server.log", is_ready=_ready, ready_path="/readyz", poll_seconds=0.01,
    )  # fmt: skip
    try:
        seconds = server.start()
        return seconds, cpu_seconds(server.pid)
    finally:
        server.stop()


def run(*, quick: bool = False, full: bool = False) -> int:
    starts = FULL_STARTS if full else QUICK_STARTS if quick else STARTS
    with tempfile.TemporaryDirectory(prefix="kawal-startup-") as name:
        directory = Path(name)
        seed(directory)
        load_before = os.getloadavg()[0]
        try:
            runs = [start_once(directory) for _ in range(starts)]
        except RuntimeError as error:
            print(f"startup: kawal serve did not become ready: {error}", file=sys.stderr)
            return 1
    walls, cpus = [wall for wall, _ in runs], [cpu for _, cpu in runs]
    median = statistics.median(walls)
    print(
        f"startup: kawal serve to /readyz 200 on a seeded SQLite database, {starts} starts: "
        f"min {min(walls):.2f} s, median {median:.2f} s, max {max(walls):.2f} s; server CPU at ready min "
        f"{min(cpus):.2f} s, median {statistics.median(cpus):.2f} s; load average {load_before:.2f} before, "
        f"{os.getloadavg()[0]:.2f} after ({os.cpu_count()} CPUs); target median < {TARGET_SECONDS:.0f} s: "
        f"{'met' if median < TARGET_SECONDS else 'NOT met'}",
        flush=True,
    )
    return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="python -m benchmarks.startup")
    sizes = parser.add_mutually_exclusive_group()
    sizes.add_argument("--quick", action="store_true")
    sizes.add_argument("--full", action="store_true")
    arguments = parser.parse_args()
    sys.exit(run(quick=arguments.quick, full=arguments.full))
