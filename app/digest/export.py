"""Case exports (``kawal export cases`` and the console): the cases of an area opened in a period, as XLSX or CSV,
identifiers masked. An export of a city, regency or province names each case's kecamatan, since village names
repeat across kecamatan and Dinas Sosial sorts and forwards by kecamatan."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from app.areas.scope import within
from app.digest.figures import case_rows
from app.digest.workbook import add_table, case_cells, case_headings, new_workbook, workbook_bytes
from app.models import Area, Case
from app.schedules.local_time import at_local
from conversations.types import Translate

KECAMATAN_LEVEL = 3  # province 1, regency/city 2, kecamatan 3, village 4
KECAMATAN_DOTS = 2  # 32.73.07
CHUNK = 500  # references per query when looking up kecamatan (well under every database's parameter limit)


@dataclass(frozen=True)
class CaseTable:
    headings: list[str]
    rows: list[list[Any]]
    title: str


def export_cases(
    db: Session, *, area_code: str, first: date, last: date, path: Path, file_format: str, t: Translate, now: datetime
) -> int:
    """Write the cases opened from ``first`` to ``last`` (local days, both included); returns how many."""
    table = case_table(db, area_code=area_code, first=first, last=last, t=t, now=now)
    if file_format == "csv":
        with path.open("w", newline="", encoding="utf-8-sig") as handle:  # the BOM makes Excel read UTF-8
            writer = csv.writer(handle)
            writer.writerow(table.headings)
            writer.writerows([[value.isoformat() if isinstance(value, date) else value for value in row] for row in table.rows])
    else:
        path.write_bytes(table_xlsx(table, _locale(t)))
    return len(table.rows)


def cases_xlsx(db: Session, *, area_code: str, first: date, last: date, t: Translate, now: datetime) -> tuple[bytes, int]:
    """The export as the bytes of a workbook, and how many cases it lists."""
    table = case_table(db, area_code=area_code, first=first, last=last, t=t, now=now)
    return table_xlsx(table, _locale(t)), len(table.rows)


def case_table(db: Session, *, area_code: str, first: date, last: date, t: Translate, now: datetime) -> CaseTable:
    """The cases opened from ``first`` to ``last`` (local days of the area, both included), as the sheet shows them."""
    area = db.get(Area, area_code)
    if area is None:
        raise ValueError(f"unknown area {area_code!r}")
    start, end = at_local(first, "00:00", area.timezone), at_local(last + timedelta(days=1), "00:00", area.timezone)
    condition = and_(within(Case.area_code, area_code), Case.created_at >= start, Case.created_at < end)
    rows = case_rows(db, condition, overdue_at=now, timezone=area.timezone)
    kecamatan_of = kecamatan_by_reference(db, [row[0] for row in rows]) if area.level < KECAMATAN_LEVEL else None
    return CaseTable(case_headings(t, with_kecamatan=kecamatan_of is not None), case_cells(rows, t, kecamatan_of), t("Daftar kasus"))


def table_xlsx(table: CaseTable, locale: str) -> bytes:
    book = new_workbook()
    add_table(book, table.title, table.headings, table.rows, locale)
    return workbook_bytes(book)


def kecamatan_by_reference(db: Session, references: Iterable[str]) -> dict[str, str]:
    """Case reference → the name of the kecamatan its area lies in (nothing for a case filed above kecamatan level)."""
    listed = list(dict.fromkeys(references))
    area_of: dict[str, str] = {}
    for offset in range(0, len(listed), CHUNK):
        chunk = listed[offset : offset + CHUNK]
        area_of.update(db.execute(select(Case.reference, Case.area_code).where(Case.reference.in_(chunk))).all())
    kecamatan_code = {reference: _kecamatan_code(code) for reference, code in area_of.items()}
    codes = sorted({code for code in kecamatan_code.values() if code})
    names: dict[str, str] = {}
    for offset in range(0, len(codes), CHUNK):
        names.update(db.execute(select(Area.code, Area.name).where(Area.code.in_(codes[offset : offset + CHUNK]))).all())
    return {reference: names.get(code, "") for reference, code in kecamatan_code.items() if code}


def _kecamatan_code(area_code: str) -> str:
    """``32.73.07.1001`` and ``32.73.07`` → ``32.73.07``; ``32.73`` → ``""``."""
    parts = area_code.split(".")
    return ".".join(parts[: KECAMATAN_DOTS + 1]) if len(parts) > KECAMATAN_DOTS else ""


def _locale(t: Translate) -> str:
    return str(getattr(t, "locale", "id"))

