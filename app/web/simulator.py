"""The web chat simulator (development only): pick a demo persona and chat through the real pipeline.

Every message goes through the same pipeline and database as Telegram and
WhatsApp; replies are read from the outbox rows of the simulator channel
(``take_simulator_messages``, which applies the outbox's BERHENTI rule as the
channel worker does: news and reminders never reach a person who opted out).
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import FileResponse
from pydantic import BaseModel, Field

from app.areas.timezones import WIB, WIT, WITA, ZONE_ABBREVIATIONS
from app.clock import parse_offset
from app.demo import PERSONAS
from app.media import EXTENSIONS
from app.media_links import ref_of
from app.schedules.local_time import local
from app.outbox import take_simulator_messages
from app.people.phones import normalize_phone
from bot.envelope import Envelope
from bot.simulator import CHANNEL, parse_line
from conversations.types import Inbound

STATIC = Path(__file__).resolve().parent / "static"
router = APIRouter()


class SimulatedMessage(BaseModel):
    phone: str
    client_id: str = Field(min_length=8, max_length=64, description="Unique per message; a retried send is not processed twice.")
    text: str = ""
    option: str = ""


@router.get("/", include_in_schema=False)
def page() -> FileResponse:
    return FileResponse(STATIC / "simulator.html", media_type="text/html")


@router.get("/simulator/personas")
def personas() -> list[dict[str, str]]:
    return [{"name": p.name, "phone": p.phone, "description": p.description} for p in PERSONAS]


@router.post("/simulator/messages")
def send(message: SimulatedMessage, request: Request) -> dict[str, object]:
    phone = _phone(message.phone)
    inbound = Inbound.option_(message.option) if message.option else parse_line(message.text)
    envelope = Envelope(CHANNEL, message.client_id, phone, inbound, phone=phone, payload={"text": message.text, "option": message.option})
    outcome = request.app.state.pipeline.handle(envelope, now=request.app.state.clock.now())
    return {"status": outcome.status, "replies": _take(request, phone)}


@router.get("/simulator/messages")
def inbox(phone: str, request: Request) -> dict[str, object]:
    return {"replies": _take(request, _phone(phone))}


@router.get("/simulator/media/{name}")
def media(name: str, request: Request) -> FileResponse:
    """A stored photo, chart or workbook the bot sent (the simulator is for development only: no signed link)."""
    ref = ref_of(name)
    path = request.app.state.channels.media.path_of(ref) if ref else None
    if ref is None or path is None or not path.is_file():
        raise HTTPException(status_code=404)
    return FileResponse(path, media_type=ref.mime_type, filename=name)


class ClockChange(BaseModel):
    advance: str = Field(description="How far to move the clock: '1h', '1d', '-30m'.")


@router.get("/simulator/clock")
def clock(request: Request) -> dict[str, object]:
    return _clock_state(request)


@router.post("/simulator/clock")
def move_clock(change: ClockChange, request: Request) -> dict[str, object]:
    """Move the service clock on and run the reminder job at once, as the scheduler would at that time."""
    try:
        delta = parse_offset(change.advance)
    except ValueError as error:
        raise HTTPException(status_code=422, detail=str(error)) from None
    request.app.state.clock.advance(delta)
    dispatched = request.app.state.reminder_job.run()
    return {**_clock_state(request), "reminders_queued": dispatched.queued}


def _clock_state(request: Request) -> dict[str, object]:
    now = request.app.state.clock.now()
    return {
        "now": now.isoformat(),
        "local": {ZONE_ABBREVIATIONS[zone]: local(now, zone).strftime("%a %d %b %Y %H:%M") for zone in (WIB, WITA, WIT)},
    }


def _phone(raw: str) -> str:
    phone = normalize_phone(raw)
    if phone is None:
        raise HTTPException(status_code=422, detail="not a valid phone number, e.g. +6281234567890")
    return phone


def _take(request: Request, phone: str) -> list[dict[str, object]]:
    with request.app.state.database.transaction() as db:
        rows = take_simulator_messages(db, address=phone, now=request.app.state.clock.now())
        return [{"id": row.id, **row.body, "media": [_linked(m) for m in row.body.get("media", [])]} for row in rows]


def _linked(media: dict[str, str]) -> dict[str, str]:
    extension = EXTENSIONS.get(media.get("mime_type", ""), ".bin")
    return {**media, "url": f"/simulator/media/{media['ref'].removeprefix('sha256:')}{extension}"}
