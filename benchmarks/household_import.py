"""Household import: a 100,000-row KPM list (CSV) → ``import_households`` → SQLite, then the same file again.

Run: ``make bench``, ``.venv/bin/python -m benchmarks [--quick | --full]`` or, alone,
``.venv/bin/python -m benchmarks.household_import [--quick | --full]``.

A CSV like the field's lists is written to a temporary directory: UTF-8 with a BOM,
semicolon-separated, the columns in an odd order and letter case
(``NIK;nama;Kode Wilayah;No KK;…``). 100,000 valid households (10,000 with
``--quick`` and by default; 100,000 with ``--full``) live in the villages of Kota Bandung (32.73) and Kabupaten Jombang
(35.17), with realistic NIKs (the village's kecamatan, a birth date between 1940
and 2005, women's days + 40, a serial number) and KK numbers, phone numbers in
three spellings (one row in ten without), programmes in mixed spellings, RT/RW
unpadded. Four invalid rows are mixed in (an impossible birth date, an unknown
village, a kecamatan code as village, a bad phone), and two odd but valid ones (a
NIK from another kecamatan, imported with a warning; programmes the service does
not know, kept as given).

Measured: the whole ``import_households`` call (reading, checking, hashing,
writing the rejected rows, the bulk insert and commit) on a fresh migrated SQLite
file (``app.database_setup.upgrade_database``), then the same call again on the
same file: every household is then an update. Target: under 60 s for 100,000
rows (reported, met or NOT MET; the size is what the field sends in one go).

Checked (exit status 1 otherwise): the first run creates every valid household
and rejects exactly the four invalid rows; the second creates none and updates
every one; the database then holds exactly the valid households, once each.
"""

from __future__ import annotations

import csv
import random
import resource
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select

from app.areas.service import read_csv
from app.config import load_settings
from app.database_setup import upgrade_database
from app.db import Database
from app.households.importer import ImportResult, import_households
from app.households.nik import kecamatan_digits
from app.models import Household

FULL_ROWS, ROWS, QUICK_ROWS = 100_000, 10_000, 10_000  # --full, make bench, --quick
TARGET_SECONDS = 60.0
REGENCIES = ("32.73.", "35.17.")  # Kota Bandung, Kabupaten Jombang
SECRET_KEY = "bench-secret-key-123456"
NOW = datetime(2025, 3, 3, 8, 0, tzinfo=UTC)
SEED = 20250303
HEADER = ("NIK", "nama", "Kode Wilayah", "No KK", "ALAMAT", "rt", "RW", "No HP", "Program", "kelompok")
PROGRAMS = ("sembako", "PKH", "bpnt;pkh", "Sembako, PKH", "")


def villages() -> list[str]:
    """The village codes of the two regencies, from the shipped area list."""
    return [code for code, _ in read_csv() if code.startswith(REGENCIES) and code.count(".") == 3]


def numbered(prefix: str, ddmmyy: str, serials: Counter[str]) -> str:
    """``prefix`` + date + the next serial number for that pair, so every number is unique."""
    serials[prefix + ddmmyy] += 1
    return f"{prefix}{ddmmyy}{serials[prefix + ddmmyy]:04d}"


def ddmmyy(day: date, *, woman: bool = False) -> str:
    return f"{day.day + (40 if woman else 0):02d}{day.month:02d}{day.year % 100:02d}"


def phone(index: int) -> str:
    """Every tenth row has none; the others are spelt three ways."""
    digits = f"{20_000_000 + index:08d}"
    spellings = ("", f"0812-{digits[:4]}-{digits[4:]}", f"62812{digits}", f"+62 812 {digits[:4]} {digits[4:]}")
    return spellings[0] if index % 10 == 0 else spellings[1 + index % 3]


def valid_row(index: int, village: str, rng: random.Random, serials: Counter[str]) -> list[str]:
    kecamatan = kecamatan_digits(village)
    birth = date(1940, 1, 1) + timedelta(days=rng.randrange(65 * 365))
    issued = date(2000, 1, 1) + timedelta(days=rng.randrange(24 * 365))
    nik = numbered(kecamatan, ddmmyy(birth, woman=index % 2 == 1), serials)
    kk = numbered(kecamatan, ddmmyy(issued), serials)
    return [
        nik, f"Kepala Keluarga {index}", village, kk, f"Jl. Contoh No. {index % 200 + 1}",
        str(rng.randint(1, 20)), str(rng.randint(1, 12)), phone(index), PROGRAMS[index % len(PROGRAMS)],
        f"Kelompok {index % 30 + 1}",
    ]  # fmt: skip


def invalid_rows(village: str) -> list[list[str]]:
    """One row per kind of mistake, each valid but for that mistake."""
    kecamatan = kecamatan_digits(village)
    kecamatan_code = village.rsplit(".", 1)[0]
    rows = [
        [f"{kecamatan}3102809001", "Tanggal Mustahil", village, "", "", "", "", "", "", ""],
        [f"{kecamatan}1203809003", "Desa Tak Dikenal", "32.73.99.9999", "", "", "", "", "", "", ""],
        [f"{kecamatan}1203809004", "Kode Kecamatan", kecamatan_code, "", "", "", "", "", "", ""],
        [f"{kecamatan}1203809005", "Telepon Salah", village, "", "", "", "", "12345", "", ""],
    ]
    return rows


def odd_valid_rows(village: str) -> list[list[str]]:
    """Rows a real list holds that are imported all the same (they were rejected before issue 14)."""
    kecamatan = kecamatan_digits(village)
    other = "350101" if kecamatan != "350101" else "327307"
    return [
        [f"{other}1203809002", "Kecamatan Lain", village, "", "", "", "", "", "PKH;Sembako;PBI", ""],
        [f"{kecamatan}1203809006", "Program Lain", village, "", "", "", "", "", "raskin / Rutilahu", ""],
    ]


def write_list(path: Path, rows: int) -> int:
    """Write the CSV; returns how many invalid rows it holds."""
    rng = random.Random(SEED)
    places, serials = villages(), Counter[str]()
    body = [valid_row(index, places[index % len(places)], rng, serials) for index in range(rows)]
    mixed_in = invalid_rows(places[0]) + odd_valid_rows(places[0])
    for offset, row in enumerate(mixed_in):
        body.insert((offset + 1) * len(body) // (len(mixed_in) + 1), row)
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(HEADER)
        writer.writerows(body)
    return len(invalid_rows(places[0]))


def peak_rss_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def timed_import(label: str, database: Database, path: Path) -> ImportResult:
    started = time.perf_counter()
    result = import_households(database, path, secret_key=SECRET_KEY, now=NOW)
    seconds = time.perf_counter() - started
    met = "met" if seconds < TARGET_SECONDS else "NOT MET"
    print(
        f"{label}: {result.read} rows ({result.created} new, {result.updated} updated, {result.rejected} rejected) "
        f"in {seconds:.1f} s = {result.read / seconds:.0f} rows/s; peak RSS {peak_rss_mb():.0f} MB "
        f"(target: < {TARGET_SECONDS:.0f} s) {met}",
        flush=True,
    )
    return result


def check(database: Database, first: ImportResult, second: ImportResult, valid: int, invalid: int) -> list[str]:
    with database.transaction() as db:
        stored = db.scalar(select(func.count(Household.id))) or 0
        distinct = db.scalar(select(func.count(func.distinct(Household.nik_hash)))) or 0
    print(f"  check: {stored} households in the database ({distinct} distinct NIKs), expected {valid}", flush=True)
    expected = [
        ("first run", first, ImportResult(valid + invalid, valid, 0, invalid, first.rejected_path)),
        ("second run", second, ImportResult(valid + invalid, 0, valid, invalid, second.rejected_path)),
    ]
    errors = [f"{label}: {got}, expected {want}" for label, got, want in expected if got != want]
    if stored != valid or distinct != valid:
        errors.append(f"{stored} households ({distinct} distinct), expected {valid}")
    return errors


def run(*, quick: bool = False, full: bool = False) -> int:
    rows = FULL_ROWS if full else QUICK_ROWS if quick else ROWS
    with tempfile.TemporaryDirectory(prefix="kawal-bench-") as directory:
        path = Path(directory) / "kpm.csv"
        invalid = write_list(path, rows)
        settings = load_settings(database_url=f"sqlite:///{directory}/bench.db", secret_key=SECRET_KEY)
        upgrade_database(settings)
        database = Database(settings)
        try:
            first = timed_import("household import sqlite", database, path)
            second = timed_import("household re-import sqlite", database, path)
            errors = check(database, first, second, rows + len(odd_valid_rows(villages()[0])), invalid)
        finally:
            database.dispose()
    for error in errors:
        print(f"  FAILED (household import): {error}", file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(run(quick="--quick" in sys.argv[1:], full="--full" in sys.argv[1:]))
