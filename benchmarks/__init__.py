"""Benchmarks: ``make bench`` (or ``.venv/bin/python -m benchmarks [--quick]``).

Every module of this package that has a ``run(*, quick: bool) -> int`` function is a
benchmark; ``__main__`` runs them in name order and stops at the first non-zero result.
Each prints its figures and its target, and checks its own work so that a figure
cannot silently measure nothing.

- ``pipeline``: inbound messages per second through ``Pipeline.handle`` (SQLite, and
  PostgreSQL when ``KAWAL_BENCH_POSTGRES_URL`` is set), p50/p99 latency, peak RSS.
- ``xlsx_reading``: a 50,000-row household workbook read by openpyxl (before) and python-calamine (now).
"""
