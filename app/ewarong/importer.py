"""Importing e-Warong agents from a list: ``kawal import agents FILE``.

The file is read like a household list (``app/households/importer.py``): a CSV
(UTF-8; comma, semicolon or tab) or an ``.xlsx`` workbook, the first non-blank row
naming the columns in any order and letter case (``Kode Wilayah`` = ``kode_wilayah``).

================  ========  =====================================================
Column            Required  What it holds
================  ========  =====================================================
``kode_wilayah``  yes       The agent's village (desa/kelurahan), e.g. ``35.17.18.2001``
``nama``          yes       The agent's name (up to 120 characters)
``alamat``        no        Its address (up to 200 characters)
================  ========  =====================================================

An agent is known by its village and name (any letter case and spacing): importing
the list again updates the address and never adds the agent twice. A row with an
unknown village (or a code that is not a village) or without a name is rejected
with its line and reason; the other rows are imported in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import select

from app.audit import record
from app.db import Database
from app.ewarong.agents import MAX_ADDRESS, MAX_NAME, clean_name, find_by_name
from app.households.importer import MAX_FILE_BYTES, cell_text, check_file, map_columns, read_table, village_code
from app.models import Area, EwarongAgent

COLUMNS = ("kode_wilayah", "nama", "alamat")
REQUIRED = ("kode_wilayah", "nama")


@dataclass(frozen=True)
class AgentImport:
    read: int
    created: int
    updated: int
    unchanged: int
    rejected: list[tuple[int, str]] = field(default_factory=list)
    """(line, reason) for each row not imported."""


def import_agents(database: Database, path: Path, *, now: datetime) -> AgentImport:
    """Read, check and import ``path``. Raises ``ImportFileError`` when the file cannot be used at all."""
    path = Path(path)
    check_file(path, MAX_FILE_BYTES)
    table = read_table(path)
    columns = map_columns(path, table, COLUMNS, REQUIRED)
    created = updated = unchanged = 0
    rejected: list[tuple[int, str]] = []
    with database.transaction() as db:
        areas: dict[str, int] = {code: level for code, level in db.execute(select(Area.code, Area.level))}
        for line, cells in table.rows:
            values = {name: cells[index] if index < len(cells) else None for name, index in columns.items()}
            reasons: list[str] = []
            area_code = village_code(values.get("kode_wilayah"), areas, reasons)
            name = clean_name(cell_text(values.get("nama")))
            address = " ".join(cell_text(values.get("alamat")).split())
            if not name:
                reasons.append("nama: kosong")
            elif len(" ".join(cell_text(values.get("nama")).split())) > MAX_NAME:
                reasons.append(f"nama: lebih dari {MAX_NAME} karakter")
            if len(address) > MAX_ADDRESS:
                reasons.append(f"alamat: lebih dari {MAX_ADDRESS} karakter")
            if reasons:
                rejected.append((line, "; ".join(reasons)))
                continue
            agent = find_by_name(db, area_code, name)
            if agent is None:
                db.add(EwarongAgent(area_code=area_code, name=name, address=address, created_at=now))
                db.flush()
                created += 1
            elif agent.address != address:
                agent.address = address
                db.flush()
                updated += 1
            else:
                unchanged += 1
        record(db, actor_id=None, action="ewarong_agents_imported", subject_type="file", subject_id=path.name[-64:],
               now=now, read=len(table.rows), created=created, updated=updated, unchanged=unchanged,
               rejected=len(rejected))  # fmt: skip
    return AgentImport(len(table.rows), created, updated, unchanged, rejected)


def summary_lines(result: AgentImport, path: Path) -> list[str]:
    """What ``kawal import agents`` prints: the counts, then one line per rejected row."""
    lines = [
        f"Read {_count(result.read, 'row')} from {path}.",
        f"Imported {_count(result.created + result.updated + result.unchanged, 'agent')} "
        f"({result.created} new, {result.updated} updated, {result.unchanged} unchanged); "
        f"rejected {_count(len(result.rejected), 'row')}" + (":" if result.rejected else "."),
    ]
    lines += [f"  line {line}: {reason}" for line, reason in result.rejected]
    return lines


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"
