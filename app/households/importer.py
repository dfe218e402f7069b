"""Importing households (KPM) from the lists the field already keeps: ``kawal import households FILE``.

The file is a CSV (UTF-8 with or without BOM, or Windows-1252/Latin-1 as Excel on
Windows saves it: see ``app.households.encodings``; comma, semicolon or tab, read
from the header line) or an Excel workbook (``.xlsx``, first sheet, read with
python-calamine). The first non-blank
row names the columns, in any order and any letter case; spaces and dots count as
``_`` (``Kode Wilayah`` = ``kode_wilayah``, ``No. HP`` = ``no_hp``). Other columns
are ignored. Blank rows are skipped.

==============  ========  ==========================================================
Column          Required  What it holds
==============  ========  ==========================================================
``nama``        yes       Name of the head of household (up to 120 characters)
``nik``         yes       The head's NIK: 16 digits; digits 1–6 the kecamatan that
                          issued it, 7–12 the birth date DDMMYY (women: day + 40),
                          the last four not ``0000``. Identifies the household
``kode_wilayah`` yes      Village (desa/kelurahan) code, e.g. ``32.73.07.1001``
                          (``3273071001`` is accepted too)
``no_kk``       no        Family-card number: 16 digits; digits 1–6 a kecamatan,
                          7–12 the issue date DDMMYY
``alamat``      no        Address (up to 200 characters)
``rt``, ``rw``  no        Up to 3 digits, stored as ``003``
``no_hp``       no        Indonesian phone number (``0812…``, ``62812…``, ``+62812…``)
``program``     no        Every programme the household receives, separated by ``;``
                          ``,`` ``/`` or ``+``: PKH, BPNT/Sembako, PBI-JK/KIS, BLT,
                          PIP/KIP under one code each, other names kept as given
                          (``app.households.programs``); up to 200 characters
``kelompok``    no        Group name, e.g. a PKH group (up to 64 characters)
==============  ========  ==========================================================

In Excel, format the ``nik`` and ``no_kk`` columns as Text: Excel keeps only 15
digits of a number, so a NIK stored as a number is rejected.

A NIK or KK issued in another kecamatan than the village's is imported with a
warning, not rejected: people move, and their NIK keeps the kecamatan of its
issue. The summary counts the households of each programme, the programme names
not known (kept as given), and lists the rows imported with a warning.

Every row is checked; a rejected row is written, as given, to
``<file name>_rejected.csv`` beside the input, with its line (``baris``) and the
reasons (``alasan``, in Indonesian). Fix the rows there and import that file: the
two extra columns are ignored. The valid rows are imported in one transaction. The
NIK identifies the household: importing again updates it (name, KK, address,
RT/RW, village, phone, programmes, group), never duplicates it. When one NIK is on
several valid rows of a file, the last one is imported and the earlier ones are
rejected. NIK and KK are stored only as a keyed hash and a masked form
(``3273********0001``). A household is linked to the person with its phone number.

A file that cannot be used (unknown type, larger than ``MAX_FILE_BYTES``, not
text, required columns missing, no rows) raises ``ImportFileError`` and nothing
is imported.
"""

from __future__ import annotations

import csv
import io
import math
import os
import re
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import datetime
from pathlib import Path
from typing import Any, TextIO

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from app.audit import record
from app.cases.access import area_contains
from app.db import Database
from app.households import programs
from app.households.encodings import NotText, decode
from app.households.nik import check_kk, check_nik, kecamatan_digits
from app.identifiers import keyed_hash, mask_identifier
from app.models import Area, Household, Person
from app.people.phones import normalize_phone
from app.schedules.members import sync_groups

MAX_FILE_BYTES = 50 * 1024 * 1024
COLUMNS = ("nama", "nik", "no_kk", "alamat", "rt", "rw", "kode_wilayah", "no_hp", "program", "kelompok")
REQUIRED = ("nama", "nik", "kode_wilayah")
MAX_LENGTHS = {"nama": 120, "alamat": 200, "kelompok": 64, "program": 200}
VILLAGE_LEVEL = 4
REJECTED_COLUMNS = ("baris", "alasan")
DELIMITERS = (",", ";", "\t")
WRITE_BATCH = 5000
LOOKUP_BATCH = 900  # bound parameters per IN (...) lookup: well under SQLite's limit

_MB = 1024 * 1024
_NOT_ALPHANUMERIC = re.compile(r"[^0-9a-z]+")
_VILLAGE_DIGITS = re.compile(r"[0-9]{10}")
_AREA_CODE = re.compile(r"[0-9]{2}(\.[0-9]{2}(\.[0-9]{2}(\.[0-9]{4})?)?)?")
_UP_TO_THREE_DIGITS = re.compile(r"[0-9]{1,3}")

Cells = Sequence[object]


class ImportFileError(Exception):
    """The file cannot be used at all; the message says why in one line. Nothing was imported."""


@dataclass(frozen=True)
class Table:
    """The file's header and its non-blank rows, each with its line (the header's line counts)."""

    header: list[str]
    rows: list[tuple[int, Cells]]
    delimiter: str = ","


@dataclass(frozen=True, slots=True)
class HouseholdRow:
    """A valid row, ready to store: identifiers already hashed and masked."""

    head_name: str
    nik_hash: str
    nik_masked: str
    kk_hash: str | None
    kk_masked: str | None
    address: str
    rt: str
    rw: str
    area_code: str
    phone: str | None
    programs: str
    group_name: str


_HOUSEHOLD_FIELDS = tuple(field.name for field in fields(HouseholdRow))


@dataclass(frozen=True)
class Rejection:
    line: int
    cells: Cells
    reasons: list[str]


@dataclass(frozen=True)
class RowWarning:
    """A row imported all the same, and why someone should look at it (``nik: dari kecamatan lain (327308)``)."""

    line: int
    reasons: list[str]


@dataclass(frozen=True)
class ListSummary:
    """What the imported households hold, for the people who sent the list.

    ``programmes``: households per known programme code (``app.households.programs.ORDER``); ``unknown_programmes``:
    households per name not known, as first written, most frequent first; ``warnings``: the rows imported with one.
    """

    programmes: dict[str, int] = field(default_factory=dict)
    unknown_programmes: dict[str, int] = field(default_factory=dict)
    warnings: list[RowWarning] = field(default_factory=list)


@dataclass(frozen=True)
class ImportResult:
    read: int
    created: int
    updated: int
    rejected: int
    rejected_path: Path | None
    summary: ListSummary = field(default_factory=ListSummary, compare=False)  # compared on its own where it matters

    @property
    def imported(self) -> int:
        return self.created + self.updated


def import_households(
    database: Database,
    path: Path,
    *,
    secret_key: str,
    now: datetime,
    max_bytes: int | None = None,
    allowed_areas: Collection[str] | None = None,
    actor_id: int | None = None,
) -> ImportResult:
    """Read, check and import ``path``; rejected rows go to ``<stem>_rejected.csv``. Raises ``ImportFileError``.
    ``secret_key`` hashes NIK and KK numbers: ``settings.identifier_hash_key``, never the secret itself.

    ``max_bytes`` defaults to ``MAX_FILE_BYTES``. With ``allowed_areas`` (area codes), a row whose village lies in
    none of them is rejected: an uploader imports only the households of the areas they run.
    """
    path = Path(path)
    checked = check_rows(database, path, secret_key=secret_key, max_bytes=max_bytes, allowed_areas=allowed_areas)
    with database.transaction() as db:
        return store_households(db, checked, now=now, actor_id=actor_id, subject_id=path.name[-64:])


def store_households(
    db: Session, checked: CheckedRows, *, now: datetime, actor_id: int | None, subject_id: str
) -> ImportResult:
    """Write checked rows in the caller's transaction (the CLI's own, or a web request's) and audit the import."""
    created, updated = upsert(db, checked.households, now=now)
    grouped = {household.area_code for household in checked.households if household.group_name}
    sync_groups(db, area_codes=grouped if len(grouped) <= 500 else None, now=now)
    counts = {"read": checked.read, "created": created, "updated": updated, "rejected": checked.rejected,
              "warned": len(checked.summary.warnings)}  # fmt: skip
    record(db, actor_id=actor_id, action="households_imported", subject_type="file", subject_id=subject_id, now=now,
           programmes=checked.summary.programmes, unknown_programmes=len(checked.summary.unknown_programmes),
           **counts)  # fmt: skip
    return ImportResult(checked.read, created, updated, checked.rejected, checked.rejected_path, checked.summary)


@dataclass(frozen=True)
class CheckedRows:
    read: int
    households: list[HouseholdRow]
    rejected: int
    rejected_path: Path | None
    summary: ListSummary = field(default_factory=ListSummary)


def check_rows(
    database: Database,
    path: Path,
    *,
    secret_key: str,
    max_bytes: int | None = None,
    allowed_areas: Collection[str] | None = None,
) -> CheckedRows:
    """Everything before writing to the database: read and check the file, write the rejected rows.

    The file's cells are let go on return, before the bulk write needs its own memory.
    """

    def levels() -> dict[str, int]:
        with database.transaction() as db:
            return area_levels(db)

    return check_file_rows(path, levels, secret_key=secret_key, max_bytes=max_bytes, allowed_areas=allowed_areas)


def check_file_rows(
    path: Path,
    levels: Callable[[], Mapping[str, int]],
    *,
    secret_key: str,
    max_bytes: int | None = None,
    allowed_areas: Collection[str] | None = None,
) -> CheckedRows:
    """``check_rows`` with the area levels from ``levels()`` (called once the file is known to be usable)."""
    check_file(path, MAX_FILE_BYTES if max_bytes is None else max_bytes)
    table = read_table(path)
    columns = map_columns(path, table)
    households, rejections, warnings = validate_rows(table, columns, levels(), secret_key, allowed_areas)
    rejected_path = write_rejections(path, table, rejections)
    return CheckedRows(len(table.rows), households, len(rejections), rejected_path, summarise(households, warnings))


def summarise(households: Iterable[HouseholdRow], warnings: list[RowWarning]) -> ListSummary:
    """Households per programme (known codes in their order; other names grouped regardless of letter case)."""
    known: Counter[str] = Counter()
    unknown: Counter[str] = Counter()
    spelling: dict[str, str] = {}
    for household in households:
        for name in programs.stored_names(household.programs):
            if name in programs.LABELS:
                known[name] += 1
            else:
                unknown[spelling.setdefault(name.casefold(), name)] += 1
    ordered = {code: known[code] for code in programs.ORDER if known[code]}
    return ListSummary(ordered, dict(unknown.most_common()), warnings)


def area_levels(db: Session) -> dict[str, int]:
    """Every area code and its level, to check the rows' villages without a query per row."""
    return {code: level for code, level in db.execute(select(Area.code, Area.level))}


def summary_lines(result: ImportResult, path: Path) -> list[str]:
    """What ``kawal import households`` prints."""
    line = (
        f"Imported {_count(result.imported, 'household')} ({result.created} new, {result.updated} updated); "
        f"rejected {_count(result.rejected, 'row')}"
    )
    lines = [f"Read {_count(result.read, 'row')} from {path}.", line + "."]
    if result.rejected_path is not None:
        lines[1] = f"{line}: see {result.rejected_path}"
        lines.append("That file repeats the rejected rows as given, NIK included: keep it as private as the input.")
    return lines + _summary_lines(result.summary)


SHOWN_WARNING_LINES = 30
WARNING_KINDS = (
    ("dari kecamatan lain", "NIK or KK issued in another kecamatan than the village's (people move; check them)"),
    ("angka panjang", "a long number in the program column, not stored (a NIK or phone in the wrong column?)"),
)
"""A warning's words (as ``validate_row`` writes them) → what the command line says of the rows that have one."""


def _summary_lines(summary: ListSummary) -> list[str]:
    """Programme counts, programme names not known, and the lines imported with each kind of warning."""
    lines = []
    if summary.programmes:
        counts = ", ".join(f"{programs.label(code)} {number}" for code, number in summary.programmes.items())
        lines.append(f"Households per programme: {counts}.")
    if summary.unknown_programmes:
        names = ", ".join(f"{name!r} {number}" for name, number in summary.unknown_programmes.items())
        lines.append(f"Programmes not known, kept as written: {names}.")
    for words, meaning in WARNING_KINDS:
        found = [warning.line for warning in summary.warnings if any(words in reason for reason in warning.reasons)]
        if found:
            shown = ", ".join(str(line) for line in found[:SHOWN_WARNING_LINES])
            more = f" and {len(found) - SHOWN_WARNING_LINES} more" if len(found) > SHOWN_WARNING_LINES else ""
            lines.append(f"Imported with a warning, {_count(len(found), 'row')}: {meaning}: line {shown}{more}.")
    return lines


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


# --- the file --------------------------------------------------------------------------------------


def check_file(path: Path, max_bytes: int) -> None:
    """Refuse a missing file, an unknown type or a file over ``max_bytes``, before reading a byte of it."""
    if not path.is_file():
        raise ImportFileError(f"{path}: no such file.")
    suffix = path.suffix.lower()
    if suffix == ".xls":
        raise ImportFileError(f"{path}: the old .xls format is not read: save it as .xlsx or as CSV UTF-8.")
    if suffix not in (".csv", ".xlsx"):
        raise ImportFileError(f"{path}: unknown file type {suffix or '(none)'!r}: use a .csv or .xlsx file.")
    size = path.stat().st_size
    if size > max_bytes:
        raise ImportFileError(
            f"{path} is {_size(size)}; the limit is {_size(max_bytes)}: split the file and import each part."
        )


def _size(size: int) -> str:
    """``54525952`` → ``52 MB``; rounded up, so a file over the limit never shows as equal to it."""
    if size >= _MB:
        return f"{math.ceil(size / _MB)} MB"
    return f"{math.ceil(size / 1024)} KB" if size >= 10 * 1024 else f"{size} bytes"


def read_table(path: Path) -> Table:
    """The header and the non-blank rows of a CSV or XLSX file."""
    rows: Sequence[Cells]
    if path.suffix.lower() == ".xlsx":
        rows, delimiter = _read_xlsx(path), ","
    else:
        rows, delimiter = _read_csv(path)
    numbered = [(line, cells) for line, cells in enumerate(rows, start=1) if any(cell_text(c) for c in cells)]
    if not numbered:
        raise ImportFileError(f"{path} is empty: nothing imported.")
    (_, header), *body = numbered
    names = [cell_text(name) for name in header]
    while names and not names[-1]:  # an Excel sheet often reports empty columns after the last one
        names.pop()
    return Table(names, body, delimiter)


def _read_csv(path: Path) -> tuple[list[list[str]], str]:
    try:
        text, _ = decode(path.read_bytes())
    except NotText as error:
        raise ImportFileError(f"{path} is not a text file (line {error.line}): save it as CSV UTF-8.") from None
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max(DELIMITERS, key=first_line.count)
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)), delimiter
    except csv.Error as error:
        raise ImportFileError(f"{path} is not a readable CSV file: {error}.") from None


def _read_xlsx(path: Path) -> list[Cells]:
    """The first sheet's rows from A1 (so line numbers are the sheet's), with python-calamine (Rust).

    It reads a 50,000-row list over ten times faster than openpyxl did (``benchmarks/xlsx_reading.py``). Cells
    come as ``str``, ``float`` (``3.0`` for 3), ``bool`` or dates; an empty cell is ``""``. Formulas give the value
    Excel last computed, as openpyxl's ``data_only`` did.
    """
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        with CalamineWorkbook.from_path(str(path)) as workbook:
            return list(workbook.get_sheet_by_index(0).to_python(skip_empty_area=False))
    except (CalamineError, IndexError, ValueError) as error:
        raise ImportFileError(f"{path} is not a readable .xlsx workbook ({type(error).__name__}).") from None


def normalize_header(name: object) -> str:
    """``" Kode Wilayah "`` → ``kode_wilayah``, ``"No. HP"`` → ``no_hp``."""
    return _NOT_ALPHANUMERIC.sub("_", cell_text(name).lower()).strip("_")


def map_columns(
    path: Path, table: Table, columns: Sequence[str] = COLUMNS, required: Sequence[str] = REQUIRED
) -> dict[str, int]:
    """Known column → its index in the rows. The header is not echoed: without one, it would be a data row.

    ``columns`` and ``required`` default to the household list's; other lists (e-Warong agents) pass theirs.
    """
    found: dict[str, int] = {}
    for index, name in enumerate(table.header):
        key = normalize_header(name)
        if key in columns and key in found:
            raise ImportFileError(f"{path} has the column {key} twice: keep one. Nothing imported.")
        if key in columns:
            found[key] = index
    missing = [column for column in required if column not in found]
    if missing:
        raise ImportFileError(
            f"{path} lacks the required column(s) {', '.join(missing)} in its first row "
            f"(columns: {', '.join(columns)}): nothing imported."
        )
    if not table.rows:
        raise ImportFileError(f"{path} has a header but no rows: nothing imported.")
    return found


def cell_text(value: object) -> str:
    """A cell as text: ``None`` → ``""``, Excel's ``3.0`` → ``"3"``, surrounding spaces removed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


# --- the rows --------------------------------------------------------------------------------------


def validate_rows(
    table: Table,
    columns: Mapping[str, int],
    areas: Mapping[str, int],
    secret_key: str,
    allowed_areas: Collection[str] | None = None,
) -> tuple[list[HouseholdRow], list[Rejection], list[RowWarning]]:
    """Valid households (one per NIK: the last valid row wins), rejected rows and the warnings of the rows kept.

    Rejections and warnings are in file order.
    """
    valid: dict[str, tuple[int, Cells, HouseholdRow, list[str]]] = {}
    rejections: list[Rejection] = []
    for line, cells in table.rows:
        values = {name: cells[index] if index < len(cells) else None for name, index in columns.items()}
        notes: list[str] = []
        household, reasons = validate_row(values, areas, secret_key, allowed_areas, notes)
        if household is None:
            rejections.append(Rejection(line, cells, reasons))
            continue
        earlier = valid.pop(household.nik_hash, None)
        if earlier is not None:
            rejections.append(Rejection(earlier[0], earlier[1], [f"nik: sama dengan baris {line}, yang diimpor"]))
        valid[household.nik_hash] = (line, cells, household, notes)
    rejections.sort(key=lambda rejection: rejection.line)
    kept = sorted(valid.values(), key=lambda entry: entry[0])
    warnings = [RowWarning(line, notes) for line, _, _, notes in kept if notes]
    return [household for _, _, household, _ in valid.values()], rejections, warnings


def validate_row(
    values: Mapping[str, object],
    areas: Mapping[str, int],
    secret_key: str,
    allowed_areas: Collection[str] | None = None,
    warnings: list[str] | None = None,
) -> tuple[HouseholdRow | None, list[str]]:
    """The household a row describes, or None and the reasons it is rejected.

    What is worth a look but no reason to refuse the row (a NIK or KK of another kecamatan) goes to ``warnings``.
    """
    reasons: list[str] = []
    notes = [] if warnings is None else warnings
    name = _limited_text(values, "nama", reasons, required=True)
    area_code = village_code(values.get("kode_wilayah"), areas, reasons, allowed_areas)
    kecamatan = kecamatan_digits(area_code) if area_code else None
    nik = _identifier(values.get("nik"), "nik", reasons, required=True)
    if nik:
        reasons.extend(check_nik(nik))
        notes.extend(_other_kecamatan(nik, kecamatan, "nik"))
    kk = _identifier(values.get("no_kk"), "no_kk", reasons)
    if kk:
        reasons.extend(check_kk(kk))
        notes.extend(_other_kecamatan(kk, kecamatan, "no_kk"))
    household = HouseholdRow(
        head_name=name,
        nik_hash=keyed_hash(nik, secret_key),
        nik_masked=mask_identifier(nik),
        kk_hash=keyed_hash(kk, secret_key) if kk else None,
        kk_masked=mask_identifier(kk) if kk else None,
        address=_limited_text(values, "alamat", reasons),
        rt=_rt_rw(values.get("rt"), "rt", reasons),
        rw=_rt_rw(values.get("rw"), "rw", reasons),
        area_code=area_code,
        phone=_phone(values.get("no_hp"), reasons),
        programs=_programmes(values, reasons, notes),
        group_name=_limited_text(values, "kelompok", reasons),
    )
    if reasons:
        notes.clear()
        return None, reasons
    return household, []


def _programmes(values: Mapping[str, object], reasons: list[str], notes: list[str]) -> str:
    """The stored programmes; a long number in the cell (an identifier in the wrong column) is left out, noted."""
    named = programs.read_programmes(_limited_text(values, "program", reasons))
    if named.withheld:
        notes.append("program: angka panjang tidak disimpan")
    return named.stored


def _other_kecamatan(number: str, kecamatan: str | None, column: str) -> list[str]:
    """``["nik: dari kecamatan lain (327308)"]`` when a well-formed number's first six digits are not the village's."""
    if kecamatan is None or len(number) != 16 or not number.isdigit() or number[:6] == kecamatan:
        return []
    return [f"{column}: dari kecamatan lain ({number[:6]})"]


def _limited_text(values: Mapping[str, object], column: str, reasons: list[str], *, required: bool = False) -> str:
    text = " ".join(cell_text(values.get(column)).split())
    if required and not text:
        reasons.append(f"{column}: kosong")
    elif len(text) > MAX_LENGTHS[column]:
        reasons.append(f"{column}: lebih dari {MAX_LENGTHS[column]} karakter")
    return text


def village_code(
    value: object, areas: Mapping[str, int], reasons: list[str], allowed_areas: Collection[str] | None = None
) -> str:
    """The village code (``3273071001`` is read as ``32.73.07.1001``), or ``""`` with a reason.

    With ``allowed_areas``, a village outside all of them is refused too ("di luar wilayah Anda").
    """
    code = cell_text(value).replace(" ", "")
    if _VILLAGE_DIGITS.fullmatch(code):
        code = f"{code[:2]}.{code[2:4]}.{code[4:6]}.{code[6:]}"
    level = areas.get(code)
    if not code:
        reasons.append("kode_wilayah: kosong")
    elif level is None:
        shown = f" ({code})" if _AREA_CODE.fullmatch(code) else ""  # never echo what may be a NIK
        reasons.append(f"kode_wilayah: tidak dikenal{shown}")
    elif level != VILLAGE_LEVEL:
        reasons.append(f"kode_wilayah: {code} bukan desa/kelurahan")
    elif allowed_areas is not None and not any(area_contains(area, code) for area in allowed_areas):
        reasons.append(f"kode_wilayah: {code} di luar wilayah Anda")
    else:
        return code
    return ""


def _identifier(value: object, column: str, reasons: list[str], *, required: bool = False) -> str:
    """A NIK or KK number's digits (spaces and a leading ``'`` tolerated); checked by ``app.households.nik``."""
    if isinstance(value, int | float):
        reasons.append(f"{column}: tersimpan sebagai angka di Excel (hanya 15 digit); format kolom sebagai Teks")
        return ""
    digits = "".join(cell_text(value).removeprefix("'").split())
    if required and not digits:
        reasons.append(f"{column}: kosong")
    return digits


def _rt_rw(value: object, column: str, reasons: list[str]) -> str:
    text = cell_text(value)
    if not text:
        return ""
    if not _UP_TO_THREE_DIGITS.fullmatch(text) or int(text) == 0:
        reasons.append(f"{column}: harus angka 1 sampai 999")
        return ""
    return text.zfill(3)


def _phone(value: object, reasons: list[str]) -> str | None:
    text = cell_text(value)
    if not text:
        return None
    phone = normalize_phone(text)
    if phone is None or not phone.startswith("+62"):
        reasons.append("no_hp: bukan nomor HP Indonesia yang valid")
        return None
    return phone


# --- the rejected rows -----------------------------------------------------------------------------


def rejected_path_for(path: Path) -> Path:
    return path.with_name(f"{path.stem}_rejected.csv")


def write_rejections(path: Path, table: Table, rejections: list[Rejection]) -> Path | None:
    """Write ``<stem>_rejected.csv`` (original columns + ``baris``, ``alasan``), or remove a stale one."""
    target = rejected_path_for(path)
    if not rejections:
        target.unlink(missing_ok=True)  # a list left from an earlier run would mislead
        return None
    keep = [index for index, name in enumerate(table.header) if normalize_header(name) not in REJECTED_COLUMNS]
    try:
        with _private_text_file(target) as handle:
            writer = csv.writer(handle, delimiter=table.delimiter)
            writer.writerow([table.header[index] for index in keep] + list(REJECTED_COLUMNS))
            for rejection in rejections:
                cells = [cell_text(rejection.cells[i]) if i < len(rejection.cells) else "" for i in keep]
                writer.writerow(cells + [rejection.line, "; ".join(rejection.reasons)])
    except OSError as error:
        raise ImportFileError(f"cannot write {target}: {error.strerror}: nothing imported.") from None
    return target


def _private_text_file(target: Path) -> TextIO:
    """``target`` opened for writing, readable by its owner only (0600): the rows repeat full NIKs.

    Created 0600 from the start (no window where another user could read it); an older file is tightened too.
    """
    descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.fchmod(descriptor, 0o600)
    except BaseException:
        os.close(descriptor)
        raise
    return os.fdopen(descriptor, "w", encoding="utf-8-sig", newline="")  # the BOM lets Excel see UTF-8


# --- the database ----------------------------------------------------------------------------------


def upsert(db: Session, households: Sequence[HouseholdRow], *, now: datetime) -> tuple[int, int]:
    """Insert new households and update known ones (by NIK hash), in bulk; returns (created, updated)."""
    existing = _existing(db, [household.nik_hash for household in households])
    people = _people_by_phone(db, {household.phone for household in households if household.phone})
    created = updated = 0
    for batch in _batches(households, WRITE_BATCH):  # the row dicts are built a batch at a time, to spare memory
        new, changed = _statement_rows(batch, existing, people, now)
        if new:
            db.execute(insert(Household), new)
        if changed:
            db.execute(update(Household), changed)
        created, updated = created + len(new), updated + len(changed)
    return created, updated


def _statement_rows(
    households: Iterable[HouseholdRow],
    existing: Mapping[str, tuple[int, int | None]],
    people: Mapping[str, int],
    now: datetime,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Parameters for the bulk INSERT (new households) and the bulk UPDATE by id (known ones)."""
    new: list[dict[str, Any]] = []
    changed: list[dict[str, Any]] = []
    for household in households:
        values = {name: getattr(household, name) for name in _HOUSEHOLD_FIELDS}
        known = existing.get(household.nik_hash)
        linked = people.get(household.phone) if household.phone else None
        if known is None:
            new.append(values | {"person_id": linked, "created_at": now, "updated_at": now})
        else:
            del values["nik_hash"], values["nik_masked"]  # unchanged: the NIK is what matched
            household_id, person_id = known
            changed.append(values | {"id": household_id, "person_id": linked or person_id, "updated_at": now})
    return new, changed


def _existing(db: Session, nik_hashes: Sequence[str]) -> dict[str, tuple[int, int | None]]:
    """NIK hash → (household id, person id) for the households already stored."""
    found: dict[str, tuple[int, int | None]] = {}
    for batch in _batches(nik_hashes, LOOKUP_BATCH):
        query = select(Household.nik_hash, Household.id, Household.person_id).where(Household.nik_hash.in_(batch))
        for nik_hash, household_id, person_id in db.execute(query):
            found[nik_hash] = (household_id, person_id)
    return found


def _people_by_phone(db: Session, phones: Iterable[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for batch in _batches(sorted(phones), LOOKUP_BATCH):
        for phone, person_id in db.execute(select(Person.phone, Person.id).where(Person.phone.in_(batch))):
            if phone is not None:  # never, given the IN: it tells the type checker
                found[phone] = person_id
    return found


def _batches(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
