"""Digests and case exports in the console: whose digests a person reads, which weeks there are, and each week's
figures, chart and workbook, only ever for an area the person reads.

As in chat, operators read their village's digest and TKSK their kecamatan's; in the console an admin of Dinas
Sosial also reads their city's or regency's (chat sends no admin a weekly digest: too many villages to push to a
phone, but the figures are theirs to look at). Anyone who reads an area's digest may also open the digest of any
area inside it, and export its cases.

Which weeks: the week so far (built as it is asked for, never stored, like "ringkasan" in chat), the last complete
week (stored the first time it is asked for, like "ringkasan lalu"), and every week whose digest is stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.cases.access import area_contains
from app.digest.export import kecamatan_by_reference
from app.digest.figures import build_figures
from app.digest.file_names import month_end
from app.digest.service import DIGEST_ROLES, snapshot
from app.digest.weeks import Week
from app.digest.workbook import workbook_xlsx
from app.models import Area, Digest, Person
from app.schedules.local_time import local_day
from conversations.types import Translate

READER_ROLES = (*DIGEST_ROLES, "admin")
KECAMATAN_LEVEL = 3
LISTED_WEEKS = 26  # stored weeks listed per area: half a year (older ones stay reachable by their address)
LONGEST_EXPORT = timedelta(days=366)  # one export stays a file an old laptop opens


@dataclass(frozen=True)
class WeekEntry:
    week: Week
    so_far: bool = False
    """The week still going on."""
    last: bool = False
    """The last complete week (what Monday's digest reported)."""


@dataclass(frozen=True)
class AreaDigests:
    code: str
    name: str
    weeks: list[WeekEntry]


@dataclass(frozen=True)
class Choice:
    code: str
    name: str
    inner: bool
    """An area inside one of the person's own (shown indented under it)."""


def reader_areas(person: Person) -> list[str]:
    """The areas whose digest the person reads (by role), without one inside another."""
    codes = sorted({role.area_code for role in person.roles if role.role in READER_ROLES})
    return [c for c in codes if not any(o != c and area_contains(o, c) for o in codes)]


def reads(person: Person, area_code: str) -> bool:
    """May the person open this area's digest or export its cases?"""
    return any(area_contains(code, area_code) for code in reader_areas(person))


def area_name(area: Area) -> str:
    """As the digest names it: ``Kecamatan Sukajadi``, since a kecamatan and a village often share a name."""
    return f"Kecamatan {area.name}" if area.level == KECAMATAN_LEVEL else area.name


def digest_list(db: Session, person: Person, *, now: datetime, area_codes: list[str] | None = None) -> list[AreaDigests]:
    """For each of the person's areas (or the ones asked for, which must be theirs): the week so far, the last
    complete week, then the other stored weeks, newest first."""
    listed = []
    for code in area_codes if area_codes is not None else reader_areas(person):
        area = db.get(Area, code)
        if area is None or not reads(person, code):
            continue
        current = Week.containing(now, area.timezone)
        stored = set(db.scalars(
            select(Digest.week).where(Digest.area_code == code).order_by(Digest.week.desc()).limit(LISTED_WEEKS)
        ))  # fmt: skip
        weeks = [WeekEntry(current, so_far=True), WeekEntry(current.shifted(-1), last=True)]
        weeks += [WeekEntry(Week.parse(label)) for label in sorted(stored - {current.label, current.shifted(-1).label}, reverse=True)]
        listed.append(AreaDigests(code, area_name(area), weeks))
    return listed


def area_choices(db: Session, person: Person) -> list[Choice]:
    """The person's areas, each followed by the areas one level inside it (a city's kecamatan, a kecamatan's
    villages), by name: what the console offers to open or export."""
    choices = []
    for code in reader_areas(person):
        area = db.get(Area, code)
        if area is None:
            continue
        choices.append(Choice(code, area_name(area), inner=False))
        inside = db.scalars(select(Area).where(Area.parent_code == code).order_by(Area.name))
        choices += [Choice(child.code, area_name(child), inner=True) for child in inside]
    return choices


def week_figures(db: Session, *, area_code: str, week_label: str, now: datetime) -> dict[str, Any] | None:
    """The figures of an area's week: None when there is no such week to show (a week to come, an earlier week
    without a stored digest, an unknown area or a label that is not a week)."""
    area = db.get(Area, area_code)
    try:
        week = Week.parse(week_label)
    except ValueError:
        return None
    if area is None:
        return None
    current = Week.containing(now, area.timezone)
    if week == current:
        return build_figures(db, area_code=area_code, week=week, now=now)
    if week == current.shifted(-1):
        return snapshot(db, area_code=area_code, week=week, now=now)
    stored = db.scalar(select(Digest.figures).where(Digest.area_code == area_code, Digest.week == week.label))
    return stored if week.monday < current.monday else None


def digest_workbook(db: Session, figures: dict[str, Any], t: Translate, locale: str) -> bytes:
    """The week's workbook; a city's, regency's or province's names each case's kecamatan."""
    area = db.get(Area, figures["area"])
    wide = area is not None and area.level < KECAMATAN_LEVEL
    kecamatan_of = kecamatan_by_reference(db, [row[0] for row in figures["cases"]]) if wide else None
    return workbook_xlsx(figures, t, locale, kecamatan_of)


def text_blocks(text: str, t: Translate) -> list[tuple[str, list[str]]]:
    """The digest's chat text as page blocks: ``("p", [line])`` and ``("ul", [item, …])`` for its ``- `` lines.
    Its first line (the heading, shown as the page title) and the chat's own hints (files that follow, what to
    type) are left out: on this page the chart and the workbook are right there."""
    chat_only = {t("Grafik 8 minggu dan lembar kerja Excel (semua angka dan daftar kasus) menyusul."), t("Ketik RINGKASAN LALU untuk minggu lalu.")}
    blocks: list[tuple[str, list[str]]] = []
    for line in text.split("\n")[1:]:
        if not line.strip() or line in chat_only:
            continue
        if line.startswith("- "):
            if blocks and blocks[-1][0] == "ul":
                blocks[-1][1].append(line[2:])
            else:
                blocks.append(("ul", [line[2:]]))
        else:
            blocks.append(("p", [line]))
    return blocks


def chart_rows(figures: dict[str, Any]) -> list[tuple[date, int, int]]:
    """The chart's figures as a table: each week's Monday, cases opened, cases closed."""
    return [(Week.parse(w["week"]).monday, sum(w["opened"].values()), w["closed"]) for w in figures["weeks"]]


@dataclass(frozen=True)
class ExportForm:
    area: str
    first: str
    last: str


def default_export(db: Session, person: Person, now: datetime) -> ExportForm:
    """This month, in the first area's time, for the first of the person's areas."""
    codes = reader_areas(person)
    area = db.get(Area, codes[0]) if codes else None
    today = local_day(now, area.timezone if area else "Asia/Jakarta")
    return ExportForm(codes[0] if codes else "", today.replace(day=1).isoformat(), month_end(today).isoformat())


def export_period(form: ExportForm, t: Translate) -> tuple[date, date] | str:
    """The period asked for, or what is wrong with it (in the reader's language)."""
    try:
        first, last = date.fromisoformat(form.first), date.fromisoformat(form.last)
    except ValueError:
        return t("Isi tanggal mulai dan tanggal akhir.")
    if last < first:
        return t("Tanggal akhir tidak boleh sebelum tanggal mulai.")
    if last - first > LONGEST_EXPORT:
        return t("Paling lama satu tahun sekali ekspor.")
    return first, last
