"""``kawal export cases``: the cases of an area opened in a period, as XLSX or CSV, identifiers masked."""

from __future__ import annotations

import csv
from datetime import date, datetime, timedelta
from pathlib import Path

from openpyxl import Workbook
from sqlalchemy import and_
from sqlalchemy.orm import Session

from app.areas.scope import within
from app.digest.figures import CASE_COLUMNS, case_rows
from app.digest.workbook import CASE_HEADINGS, readable_cell
from app.models import Area, Case
from app.schedules.local_time import at_local
from conversations.types import Translate


def export_cases(
    db: Session, *, area_code: str, first: date, last: date, path: Path, file_format: str, t: Translate, now: datetime
) -> int:
    """Write the cases opened from ``first`` to ``last`` (local days, both included); returns how many."""
    area = db.get(Area, area_code)
    if area is None:
        raise ValueError(f"unknown area {area_code!r}")
    start, end = at_local(first, "00:00", area.timezone), at_local(last + timedelta(days=1), "00:00", area.timezone)
    rows = case_rows(
        db, and_(within(Case.area_code, area_code), Case.created_at >= start, Case.created_at < end), overdue_at=now, timezone=area.timezone
    )
    headings = [t(CASE_HEADINGS[column]) for column in CASE_COLUMNS]
    readable = [[readable_cell(column, value, t) for column, value in zip(CASE_COLUMNS, row, strict=True)] for row in rows]
    if file_format == "csv":
        with path.open("w", newline="", encoding="utf-8-sig") as handle:  # the BOM makes Excel read UTF-8
            writer = csv.writer(handle)
            writer.writerow(headings)
            writer.writerows([[value.isoformat() if isinstance(value, date) else value for value in row] for row in readable])
    else:
        book = Workbook(write_only=True)
        sheet = book.create_sheet(t("Daftar kasus")[:31])
        sheet.append(headings)
        for row in readable:
            sheet.append(row)
        book.save(path)
    return len(rows)
