"""``python -m benchmarks [--quick]``: run every benchmark module in this package, in name order."""

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
    parser.add_argument("--quick", action="store_true", help="a fast smoke run with fewer simulated people")
    args = parser.parse_args(argv)
    failed = []
    for name in benchmark_modules():
        module = importlib.import_module(f"benchmarks.{name}")
        status = module.run(quick=args.quick)
        if status != 0:
            print(f"benchmark {name!r} failed (exit {status})", file=sys.stderr)
            failed.append(name)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
