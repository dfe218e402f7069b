"""Loading the shipped area list into the database, and reading it back for the engine."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from app.areas.timezones import timezone_of
from app.models import Area
from conversations.areas import Gazetteer

WILAYAH_CSV = Path(__file__).resolve().parent.parent / "data" / "wilayah.csv"
BATCH = 5000


def read_csv(path: Path = WILAYAH_CSV) -> Iterator[tuple[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            yield row["kode"].strip(), row["nama"].strip()


def load_areas(db: Session, path: Path = WILAYAH_CSV) -> int:
    """Insert missing areas and rename changed ones; returns how many rows changed. Idempotent."""
    rows = list(read_csv(path))
    existing = dict(db.execute(select(Area.code, Area.name)).all())
    if len(existing) == len(rows) and all(existing.get(code) == name for code, name in rows):
        return 0
    new = [
        {
            "code": code,
            "name": name,
            "level": code.count(".") + 1,
            "parent_code": code.rpartition(".")[0] or None,
            "timezone": timezone_of(code),
        }
        for code, name in rows
        if code not in existing
    ]
    for start in range(0, len(new), BATCH):
        db.execute(insert(Area), new[start : start + BATCH])
    renamed = [(code, name) for code, name in rows if code in existing and existing[code] != name]
    for code, name in renamed:
        db.execute(update(Area).where(Area.code == code).values(name=name))
    return len(new) + len(renamed)


def count_areas(db: Session) -> int:
    return db.scalar(select(func.count()).select_from(Area)) or 0


def build_gazetteer(db: Session) -> Gazetteer:
    return Gazetteer(db.execute(select(Area.code, Area.name).order_by(Area.code)))
