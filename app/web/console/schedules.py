"""Console pages: P2K2 sessions and distributions ("Jadwal"), one meeting with its members, e-Warong agents and
monitoring visits. Read-only but for cancelling a meeting that has not begun, as its organizer could in chat.

Meetings are shown in their village's own time (WIB, WITA or WIT), as the members read them in chat.
"""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime
from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from app.areas.timezones import ZONE_ABBREVIATIONS
from app.console import ewarong, schedules
from app.models import Meeting
from app.schedules.messages import local_parts
from app.web.console.deps import Viewer, current_viewer, database, now, posting_viewer
from app.web.console.pages import not_found, render
from conversations.p2k2 import session_label
from conversations.times import format_hours

router = APIRouter()

KINDS = {"p2k2": "p2k2", "penyaluran": "distribution"}
"""The ``jenis`` filter's words in the address, and the meeting kinds they stand for."""
CANCEL_REFUSALS = {schedules.Cancelled.NOT_ALLOWED: "tidak-boleh", schedules.Cancelled.TOO_LATE: "sudah-lewat"}


@router.get("/console/jadwal")
def meeting_list(
    request: Request, waktu: str = "", jenis: str = "", desa: str = "", halaman: str = "",
    viewer: Viewer = Depends(current_viewer), db: Session = Depends(database),
) -> Response:  # fmt: skip
    past = waktu == "lewat"
    page = int(halaman) if halaman.isdigit() else 0
    listing = schedules.meetings(db, viewer.person, now=now(request), past=past, kind=KINDS.get(jenis, ""), village=desa, page=page)
    filters = {"waktu": "lewat" if past else "", "jenis": jenis if jenis in KINDS else "", "desa": desa}
    return render(
        request, "console/schedules/list.html", viewer=viewer, listing=listing, past=past, filters=filters, page=page,
        villages=schedules.meeting_villages(db, viewer.person), page_link=lambda number: _link(filters, halaman=number),
        meeting_time=lambda meeting: meeting_time(meeting, viewer.locale),
    )  # fmt: skip


@router.get("/console/jadwal/ewarong")
def ewarong_page(
    request: Request, agen: str = "", viewer: Viewer = Depends(current_viewer), db: Session = Depends(database)
) -> Response:
    agent = None
    if agen:
        agent = ewarong.find_agent(db, viewer.person, int(agen), now=now(request)) if agen.isdigit() else None
        if agent is None:
            return not_found(request, viewer)
    return render(
        request, "console/schedules/ewarong.html", viewer=viewer, agent=agent,
        agents=[] if agent else ewarong.agents(db, viewer.person),
        visits=ewarong.visits(db, viewer.person, viewer.t, agent_id=agent.id if agent else None),
        problem_labels=ewarong.PROBLEM_LABELS, local=lambda moment, zone: zoned(moment, zone, viewer.locale),
    )  # fmt: skip


@router.get("/console/jadwal/{meeting_id:int}")
def meeting_page(
    meeting_id: int, request: Request, ok: str = "", gagal: str = "",
    viewer: Viewer = Depends(current_viewer), db: Session = Depends(database),
) -> Response:  # fmt: skip
    found = schedules.open_meeting(db, viewer.person, meeting_id, now=now(request))
    if found is None:
        return not_found(request, viewer)
    return render(
        request, "console/schedules/meeting.html", viewer=viewer, page=found, ok=ok, failed=gagal,
        meeting_time=lambda meeting: meeting_time(meeting, viewer.locale), topic=topic,
        local=lambda moment: zoned(moment, found.item.meeting.timezone, viewer.locale),
    )  # fmt: skip


@router.post("/console/jadwal/{meeting_id:int}/batalkan")
def cancel_meeting(
    meeting_id: int, request: Request, alasan: str = Form(""),
    viewer: Viewer = Depends(posting_viewer), db: Session = Depends(database),
) -> Response:  # fmt: skip
    state = request.app.state
    outcome = schedules.cancel(
        db, viewer.person, meeting_id, reason=alasan, now=now(request), settings=state.settings,
        translators=state.pipeline.runtime.translators,
    )  # fmt: skip
    if outcome is schedules.Cancelled.NOT_FOUND:
        return not_found(request, viewer)
    notice = "ok=dibatalkan" if outcome is schedules.Cancelled.DONE else f"gagal={CANCEL_REFUSALS[outcome]}"
    return RedirectResponse(f"/console/jadwal/{meeting_id}?{notice}", status_code=303)


def meeting_time(meeting: Meeting, locale: str) -> str:
    """``Sab, 28 Nov 2026, 08.00–12.00 WITA``: the day and hours where the meeting happens."""
    parts = local_parts(meeting)
    day = format_date(parts.day, "EEE, d MMM y", locale=locale)
    return f"{day}, {format_hours(parts.start, parts.end, locale)} {ZONE_ABBREVIATIONS.get(meeting.timezone, meeting.timezone)}"


def zoned(moment: datetime | None, timezone: str, locale: str) -> str:
    """``23 Nov 2026 10.00 WIB``: a moment in a place's own time."""
    if moment is None:
        return ""
    shown = format_datetime(moment.astimezone(ZoneInfo(timezone)), "d MMM y HH.mm" if locale == "id" else "d MMM y HH:mm", locale=locale)
    return f"{shown} {ZONE_ABBREVIATIONS.get(timezone, timezone)}"


def topic(meeting: Meeting) -> str:
    """The P2K2 session's label (untranslated), else its module's, else ``""``."""
    if not meeting.module:
        return ""
    module, session = session_label(meeting.module, meeting.session)
    return session if meeting.session else module


def _link(filters: dict[str, str], **changes: object) -> str:
    query = {key: value for key, value in {**filters, **changes}.items() if value not in ("", None, 0)}
    return "/console/jadwal" + (f"?{urlencode(query)}" if query else "")
