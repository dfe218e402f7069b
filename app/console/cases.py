"""The console's case list: the cases of the viewer's areas (and those assigned to them), filtered, searched and paged.

The scope is the chat's (``may_work_on``: the assignee, or a role whose area holds the case), as one SQL filter.
"Overdue" is what the chat calls TERLAMBAT (``app/cases/work.py``): an open case whose follow-up day is before
the viewer's today; "unassigned" is an open case nobody handles. A search by name reads personal data, so it
is in the audit log (how many cases it found, never what was typed).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session, aliased

from app import audit
from app.areas.scope import within
from app.console.scope import areas_of, in_scope, villages_in_scope
from app.models import Area, Case, Person, RoleAssignment
from app.models.cases import CASE_STATUSES, OPEN_STATUSES
from app.schedules.local_time import local_day
from conversations.categories import BY_CODE, CATEGORIES
from conversations.ppks import BY_CODE as PPKS_BY_CODE
from conversations.types import Translate

N_ = str
PAGE_SIZE = 50
OPEN = "terbuka"
ALL = "semua"
STATUS_CHOICES = (OPEN, ALL, *CASE_STATUSES)
OVERDUE = "terlambat"
UNASSIGNED = "belum-ditangani"
SHOW_CHOICES = ("", OVERDUE, UNASSIGNED)
NOBODY = "belum-ada"
"""The assignee filter's value for "no one handles it"."""
PPKS = "ppks"
"""The category filter's value for the cases companions found (filed as ``ppks:<type>``)."""
PPKS_LABEL = N_("Kasus temuan pendamping (PPKS)")
MAX_QUERY = 80
TICKET = re.compile(r"(?:KB[-\s]?)?([2-9A-HJ-NP-Z]{5})", re.IGNORECASE)


@dataclass(frozen=True)
class CaseFilters:
    """What the list form asks for, already checked: unknown values fall back to the defaults."""

    status: str = OPEN
    category: str = ""
    village: str = ""
    assignee: str = ""
    show: str = ""
    created_from: date | None = None
    created_to: date | None = None
    query: str = ""
    page: int = 1

    def link(self, **changes: object) -> str:
        """The list's URL with these filters (and ``changes``), leaving out what is at its default."""
        chosen = replace(self, **changes)  # type: ignore[arg-type]
        params = {
            "status": chosen.status if chosen.status != OPEN else "", "kategori": chosen.category, "desa": chosen.village,
            "petugas": chosen.assignee, "tampil": chosen.show, "dari": chosen.created_from.isoformat() if chosen.created_from else "",
            "sampai": chosen.created_to.isoformat() if chosen.created_to else "", "q": chosen.query,
            "halaman": str(chosen.page) if chosen.page > 1 else "",
        }  # fmt: skip
        query = urlencode({key: value for key, value in params.items() if value})
        return "/console/kasus" + (f"?{query}" if query else "")


def read_filters(params: Mapping[str, str]) -> tuple[CaseFilters, tuple[str, ...]]:
    """The filters from the list's query string, and the names of the fields that could not be read (dates)."""
    errors = []
    created_from, created_to = _date(params.get("dari", "")), _date(params.get("sampai", ""))
    for name, text, value in (("dari", params.get("dari", ""), created_from), ("sampai", params.get("sampai", ""), created_to)):
        if text.strip() and value is None:
            errors.append(name)
    if created_from and created_to and created_from > created_to:
        errors.append("urutan")
        created_from, created_to = created_to, created_from
    status = params.get("status", "") or OPEN
    category = params.get("kategori", "")
    assignee = params.get("petugas", "")
    page = params.get("halaman", "")
    filters = CaseFilters(
        status=status if status in STATUS_CHOICES else OPEN,
        category=category if category in BY_CODE or category == PPKS else "",
        village=params.get("desa", "")[:16],
        assignee=assignee if assignee == NOBODY or assignee.isdigit() else "",
        show=params.get("tampil", "") if params.get("tampil", "") in SHOW_CHOICES else "",
        created_from=created_from,
        created_to=created_to,
        query=" ".join(params.get("q", "").split())[:MAX_QUERY],
        page=int(page) if page.isdigit() and 0 < int(page) < 100_000 else 1,
    )
    return filters, tuple(errors)


def _date(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        return None


@dataclass(frozen=True)
class CaseRow:
    """One line of the list."""

    reference: str
    category: str
    status: str
    procedure_step: str
    household_name: str
    place: str
    assignee: str
    follow_up: date | None
    overdue: bool
    unassigned: bool
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class CaseList:
    rows: tuple[CaseRow, ...]
    total: int
    page: int
    pages: int
    filters: CaseFilters = field(default_factory=CaseFilters)

    @property
    def previous_link(self) -> str:
        return self.filters.link(page=self.page - 1) if self.page > 1 else ""

    @property
    def next_link(self) -> str:
        return self.filters.link(page=self.page + 1) if self.page < self.pages else ""


def overdue_before(now: datetime, timezone: str) -> datetime:
    """A follow-up stored before this moment is overdue: its day (kept as midnight UTC) is before the local today."""
    return datetime.combine(local_day(now, timezone), time(), tzinfo=UTC)


def visible_to(person: Person) -> ColumnElement[bool]:
    """The cases a person may see and work on, as in chat: those in their areas, and those assigned to them."""
    return or_(in_scope(Case.area_code, person), Case.assignee_person_id == person.id)


def list_cases(db: Session, person: Person, filters: CaseFilters, *, now: datetime, timezone: str) -> CaseList:
    """A page of the cases the person may see, most recently active first."""
    conditions = [visible_to(person), *_conditions(filters, now=now, timezone=timezone)]
    total = db.scalar(select(func.count()).select_from(Case).where(*conditions)) or 0
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(filters.page, pages)
    assignee = aliased(Person)
    rows = db.execute(
        select(Case, Area.name, assignee.display_name)
        .outerjoin(Area, Area.code == Case.area_code)
        .outerjoin(assignee, assignee.id == Case.assignee_person_id)
        .where(*conditions)
        .order_by(Case.updated_at.desc(), Case.id.desc())
        .offset((page - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE)
    ).all()
    cutoff = overdue_before(now, timezone)
    listed = tuple(_row(case, place, name, cutoff) for case, place, name in rows)
    if filters.query:
        audit.record(db, actor_id=person.id, action="case_list_searched", subject_type="case", subject_id="-", now=now, found=total)
    return CaseList(listed, total, page, pages, replace(filters, page=page))


def _row(case: Case, place: str | None, assignee: str | None, cutoff: datetime) -> CaseRow:
    is_open = case.status in OPEN_STATUSES
    return CaseRow(
        reference=case.reference, category=case.category, status=case.status, procedure_step=case.procedure_step or "",
        household_name=case.household_name, place=place or case.area_code,
        assignee=(assignee or "-") if case.assignee_person_id else "",
        follow_up=case.follow_up_at.astimezone(UTC).date() if case.follow_up_at else None,
        overdue=bool(is_open and case.follow_up_at and case.follow_up_at < cutoff),
        unassigned=is_open and case.assignee_person_id is None,
        created_at=case.created_at, updated_at=case.updated_at,
    )  # fmt: skip


def _conditions(filters: CaseFilters, *, now: datetime, timezone: str) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if filters.status == OPEN:
        conditions.append(Case.status.in_(OPEN_STATUSES))
    elif filters.status != ALL:
        conditions.append(Case.status == filters.status)
    if filters.category == PPKS:
        conditions.append(Case.category.startswith(PPKS + ":"))
    elif filters.category:
        conditions.append(Case.category == filters.category)
    if filters.village:
        conditions.append(within(Case.area_code, filters.village))
    if filters.assignee == NOBODY:
        conditions.append(Case.assignee_person_id.is_(None))
    elif filters.assignee:
        conditions.append(Case.assignee_person_id == int(filters.assignee))
    if filters.show == OVERDUE:
        conditions += [Case.status.in_(OPEN_STATUSES), Case.follow_up_at < overdue_before(now, timezone)]
    elif filters.show == UNASSIGNED:
        conditions += [Case.status.in_(OPEN_STATUSES), Case.assignee_person_id.is_(None)]
    zone = ZoneInfo(timezone)
    if filters.created_from:
        conditions.append(Case.created_at >= datetime.combine(filters.created_from, time(), zone).astimezone(UTC))
    if filters.created_to:
        conditions.append(Case.created_at < datetime.combine(filters.created_to + timedelta(days=1), time(), zone).astimezone(UTC))
    if filters.query:
        conditions.append(_matching(filters.query))
    return conditions


def _matching(query: str) -> ColumnElement[bool]:
    """A ticket code (``KB-7Q4K2``, ``kb7q4k2``, ``7q4k2``) or a part of the household's name, in any case."""
    by_name = func.lower(Case.household_name).contains(query.lower(), autoescape=True)
    ticket = TICKET.fullmatch(query)
    if ticket is None:
        return by_name
    return or_(Case.reference == f"KB-{ticket.group(1).upper()}", by_name)


# --- the choices the filter form offers ---------------------------------------------------------------------------


def category_label(code: str, t: Translate) -> str:
    """A household report's problem, or a companion's case by its PPKS type (``ppks:08``)."""
    if code in BY_CODE:
        return t(BY_CODE[code].label)
    kind = PPKS_BY_CODE.get(code.removeprefix(PPKS + ":"))
    return t(kind.label) if kind else code


def category_choices(t: Translate) -> list[tuple[str, str]]:
    return [(c.code, t(c.label)) for c in CATEGORIES] + [(PPKS, t(PPKS_LABEL))]


def village_choices(db: Session, person: Person) -> list[tuple[str, str]]:
    return villages_in_scope(db, person)


def ancestors(area_code: str) -> list[str]:
    """``"32.73.07.1001"`` → ``["32", "32.73", "32.73.07", "32.73.07.1001"]``: the areas holding it, itself included."""
    parts = area_code.split(".")
    return [".".join(parts[: i + 1]) for i in range(len(parts))]


def assignee_choices(db: Session, person: Person) -> list[tuple[int, str]]:
    """Who may be handling the viewer's cases: people with a role inside the viewer's areas, or holding them
    (a kecamatan's TKSK for a kelurahan operator), by name."""
    holding = sorted({code for area in areas_of(person) for code in ancestors(area)})
    rows = db.execute(
        select(Person.id, Person.display_name)
        .join(RoleAssignment, RoleAssignment.person_id == Person.id)
        .where(or_(in_scope(RoleAssignment.area_code, person), RoleAssignment.area_code.in_(holding)))
        .distinct()
        .order_by(Person.display_name, Person.id)
    )
    return [(pid, name or "-") for pid, name in rows]

