"""Weekly digests: built once per area and week (a snapshot), written for each reader, sent with a chart and a workbook.

Operators get their village's digest, TKSK their kecamatan's, every Monday at
``KAWAL_DIGEST_TIME`` (07:00) in the area's time zone: the scheduler job plans
them as reminder rows (``digest:<area>:<week>:person:<id>``), so each is sent
once. "ringkasan" in the chat sends this week so far (built, never stored: the
week is not over); "ringkasan lalu" and ``kawal digest`` send the last complete
week's snapshot again.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Mapping
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.config import Settings
from app.db import Database, insert_new
from app.digest.drawing import PROCESSES, Drawn, draw, drawing
from app.digest.figures import build_figures, is_partial
from app.digest.file_names import digest_file_name
from app.digest.render import digest_text
from app.digest.weeks import Week
from app.digest.workbook import XLSX_MIME
from app.media import EXTENSIONS, MediaStore
from app.models import Area, Digest, Person, Reminder, RoleAssignment
from app.outbox import DIRECT_REPLY, enqueue_once
from app.people.reach import best_identity
from app.reminders.planning import reminder_row
from app.schedules.local_time import at_local
from conversations.types import MediaRef, Reply, Translate

DIGEST_ROLES = ("operator", "tksk")
AHEAD = 8  # digests being drawn while the next figures are built: enough to keep the pool busy, few in memory


def snapshot(db: Session, *, area_code: str, week: Week, now: datetime) -> dict[str, Any]:
    """The stored figures of ``area_code``'s ``week``, built and stored the first time they are asked for once
    the week is over; a week still going on is built (so far) and not stored."""
    stored = db.scalar(select(Digest.figures).where(Digest.area_code == area_code, Digest.week == week.label))
    if stored is not None:
        return stored
    figures = build_figures(db, area_code=area_code, week=week, now=now)
    if is_partial(figures):
        return figures
    insert_new(db, Digest, [{"area_code": area_code, "week": week.label, "figures": figures, "created_at": now}])
    return db.scalar(select(Digest.figures).where(Digest.area_code == area_code, Digest.week == week.label)) or figures


def digest_reply(figures: dict[str, Any], t: Translate, locale: str, media: MediaStore) -> Reply:
    """The text with the chart (a photo) and the workbook (a document) attached."""
    return drawn_reply(draw(figures, t, locale), media)


def drawn_reply(drawn: Drawn, media: MediaStore) -> Reply:
    chart = media.save(drawn.chart, "image/png")
    workbook = media.save(drawn.workbook, XLSX_MIME)
    return Reply(drawn.text, media=(MediaRef(chart.ref, chart.mime_type), MediaRef(workbook.ref, workbook.mime_type)))


def digest_body(reply: Reply, figures: dict[str, Any]) -> dict[str, Any]:
    """An outbox body; the chart and the workbook get file names that say what they are."""
    return {
        "text": reply.text,
        "options": [],
        "media": [
            {"ref": m.ref, "mime_type": m.mime_type, "filename": digest_file_name(figures, EXTENSIONS.get(m.mime_type, ".bin"))}
            for m in reply.media
        ],
    }


def readers_of(db: Session, area_code: str) -> list[Person]:
    """Who receives an area's digest: its operators (a village) or its TKSK (a kecamatan)."""
    return list(
        db.scalars(
            select(Person)
            .join(RoleAssignment, RoleAssignment.person_id == Person.id)
            .where(RoleAssignment.area_code == area_code, RoleAssignment.role.in_(DIGEST_ROLES))
            .order_by(Person.id)
        ).unique()
    )


def digest_areas(person: Person) -> list[str]:
    return [role.area_code for role in person.roles if role.role in DIGEST_ROLES]


@dataclass(frozen=True)
class DueDigest:
    key: str
    person_id: int
    locale: str
    area_code: str
    week: Week
    timezone: str
    send_at: datetime


def plan_weekly_digests(
    database: Database, *, settings: Settings, translators: Mapping[str, Translate], media: MediaStore, now: datetime,
    processes: int = PROCESSES,
) -> int:
    """On Monday from 07:00 (local), each reader's digest of the week before, once; returns how many were planned.

    Each area's figures are built in their own short transaction, and each digest is drawn (text, chart, workbook)
    once for all its readers in a language, outside any transaction and, on a Monday with many, in a pool of
    ``processes`` (``app.digest.drawing``) while the next figures are built; so a Monday with hundreds of villages
    never holds the database's write lock for long.
    """
    with database.transaction() as db:
        due = _due_digests(db, settings, now)
    readers: dict[tuple[str, str, str], list[DueDigest]] = defaultdict(list)
    for item in due:
        readers[(item.area_code, item.week.label, item.locale)].append(item)
    in_flight: deque[tuple[list[DueDigest], dict[str, Any], Future[Drawn]]] = deque()
    with drawing(len(readers), translators, processes=processes) as draw_later:
        for items in readers.values():
            with database.transaction() as db:
                figures = snapshot(db, area_code=items[0].area_code, week=items[0].week, now=now)
            in_flight.append((items, figures, draw_later(figures, items[0].locale)))
            while len(in_flight) > AHEAD or (in_flight and in_flight[0][2].done()):
                _plan(database, settings, media, now, *in_flight.popleft())
        while in_flight:
            _plan(database, settings, media, now, *in_flight.popleft())
    return len(due)


def _plan(
    database: Database, settings: Settings, media: MediaStore, now: datetime, items: list[DueDigest],
    figures: dict[str, Any], drawn: Future[Drawn],
) -> None:
    """The reminder rows of one drawn digest, one per reader, in a transaction of their own."""
    reply = drawn_reply(drawn.result(), media)
    body = digest_body(reply, figures)
    rows = []
    for item in items:
        row = reminder_row(
            key=item.key, person_id=item.person_id, kind="digest", due_at=item.send_at, timezone=item.timezone,
            reply=reply, now=now, not_after=at_local(item.week.shifted(1).monday, settings.quiet_hours_start, item.timezone),
        )  # fmt: skip
        rows.append({**row, "body": {**body, "variables": row["body"]["variables"]}})
    with database.transaction() as db:
        insert_new(db, Reminder, rows)


def _due_digests(db: Session, settings: Settings, now: datetime) -> list[DueDigest]:
    """The readers whose digest is due now (Monday, from 07:00 local until the quiet hours) and not yet planned.
    A reader who wrote BERHENTI would not be sent it (``app.outbox.refusal``), so it is not drawn for them."""
    roles = db.execute(
        select(RoleAssignment.person_id, Person.locale, RoleAssignment.area_code, Area.timezone)
        .join(Area, Area.code == RoleAssignment.area_code)
        .join(Person, Person.id == RoleAssignment.person_id)
        .where(RoleAssignment.role.in_(DIGEST_ROLES), Person.opted_out_at.is_(None))
    ).all()
    due = []
    for person_id, locale, area_code, timezone in roles:
        week = Week.last_complete(now, timezone)
        monday = week.shifted(1).monday
        send_at = at_local(monday, settings.digest_time, timezone)
        if send_at <= now < at_local(monday, settings.quiet_hours_start, timezone):
            key = f"digest:{area_code}:{week.label}:person:{person_id}"
            due.append(DueDigest(key, person_id, locale, area_code, week, timezone, send_at))
    if not due:
        return []
    planned = set(db.scalars(select(Reminder.key).where(Reminder.key.in_([item.key for item in due]))))
    return [item for item in due if item.key not in planned]


def send_digest_now(
    db: Session, *, person: Person, settings: Settings, translators: Mapping[str, Translate], media: MediaStore,
    now: datetime, key: str, last_week: bool = False,
) -> int:
    """"ringkasan": this week so far (in each area's own time) for each of the person's areas, to them, now;
    with ``last_week`` ("ringkasan lalu"), the last complete week, the same snapshot Monday's digest sent."""
    sent = 0
    for area_code in digest_areas(person):
        area = db.get(Area, area_code)
        assert area is not None
        if last_week:
            figures = snapshot(db, area_code=area_code, week=Week.last_complete(now, area.timezone), now=now)
        else:
            figures = build_figures(db, area_code=area_code, week=Week.containing(now, area.timezone), now=now)
        # asked for: an answer to what they wrote, which BERHENTI does not stop (it stops Monday's digest)
        sent += queue_digest(db, person=person, figures=figures, key=f"{key}:{area_code}", translators=translators,
                             media=media, now=now, purpose=DIRECT_REPLY)  # fmt: skip
    return sent


def queue_digest(
    db: Session, *, person: Person, figures: dict[str, Any], key: str, translators: Mapping[str, Translate],
    media: MediaStore, now: datetime, purpose: str = "digest",
) -> int:
    """One digest into the outbox for ``person``, in their language, once per ``key``; 1 when queued."""
    identity = best_identity(db, person.id)
    if identity is None:
        return 0
    reply = digest_reply(figures, translators[person.locale], person.locale, media)
    message = enqueue_once(db, key=key, identity=identity, reply=reply, now=now, purpose=purpose)
    if message is None:
        return 0
    message.body = digest_body(reply, figures)
    return 1


def digest_text_for(
    db: Session, *, area_code: str, week: Week | None, now: datetime, t: Translate, locale: str, store: bool
) -> tuple[str, dict[str, Any]]:
    """``kawal digest``: the text of an area's digest (the stored snapshot when there is one)."""
    area = db.get(Area, area_code)
    if area is None:
        raise ValueError(f"unknown area {area_code!r}")
    chosen = week or Week.last_complete(now, area.timezone)
    if store:
        figures = snapshot(db, area_code=area_code, week=chosen, now=now)
    else:
        stored = db.scalar(select(Digest.figures).where(Digest.area_code == area_code, Digest.week == chosen.label))
        figures = stored or build_figures(db, area_code=area_code, week=chosen, now=now)
    return digest_text(figures, t, locale), figures


def send_to_readers(
    db: Session, *, figures: dict[str, Any], settings: Settings, translators: Mapping[str, Translate], now: datetime
) -> int:
    """Queue a stored digest for every reader of its area, each in their language; returns how many were queued."""
    media = MediaStore(settings.media_dir, settings.media_max_bytes)
    return sum(
        queue_digest(db, person=person, figures=figures, translators=translators, media=media, now=now,
                     key=f"digest:{figures['area']}:{figures['week']}:sent:{person.id}:{now.isoformat()}")  # fmt: skip
        for person in readers_of(db, figures["area"])
    )
