"""``python -m benchmarks [--quick | --full]``: run every benchmark module in this package, in name order.

The default sizes keep ``make bench`` under five minutes on a 2-core machine; ``--full`` (``make bench-full``)
runs the large sizes (a million reminders and cases, 1,000 people, ...); ``--quick`` is a smoke run.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys

import benchmarks


def benchmark_modules() -> list[str]:
    """The package's modules (not ``_private`` ones), sorted by name."""
    return sorted(info.name for info in pkgutil.iter_modules(benchmarks.__path__) if not info.name.startswith("_"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description="Run the Kawal Bansos benchmarks.")
    sizes = parser.add_mutually_exclusive_group()
    sizes.add_argument("--quick", action="store_true", help="a fast smoke run with fewer simulated people")
    sizes.add_argument("--full", action="store_true", help="the large sizes: a million rows where a module has them")
    parser.add_argument("only", nargs="*", help="run only these modules (e.g. end_to_end)")
    args = parser.parse_args(argv)
    failed = []
    for name in args.only or benchmark_modules():
        module = importlib.import_module(f"benchmarks.{name}")
        status = module.run(quick=args.quick, full=args.full)
        if status != 0:
            print(f"benchmark {name!r} failed (exit {status})", file=sys.stderr)
            failed.append(name)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
