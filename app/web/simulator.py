"""The web chat simulator (development only): pick a demo persona and chat through the real pipeline.

Every message goes through the same pipeline and database as Telegram and
WhatsApp; replies are read from the outbox rows of the simulator channel
(``take_simulator_messages``, which applies the outbox's BERHENTI rule as the
channel worker does: news and reminders never reach a person who opted out).

The page (``static/simulator.html``, ``.css``, ``.js``) resends a message whose
request failed with the same ``client_id`` and ``retry``: the pipeline handles
it once, and a duplicate resend gets the answer the lost response carried.
Files the bot sends are linked under a readable name, never a bare hash.

Whoever uses the simulator can act as anyone, read cases and move the clock: it is
served only when asked for (``KAWAL_SIMULATOR_ENABLED=true``, which ``make run``
sets) and then only to a browser on the same machine; anyone else gets 404.
"""

from __future__ import annotations

import ipaddress
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import FileResponse
from pydantic import BaseModel, Field
from sqlalchemy import select

from app.areas.timezones import WIB, WIT, WITA, ZONE_ABBREVIATIONS
from app.clock import parse_offset
from app.demo import PERSONAS
from app.media import EXTENSIONS
from app.media_links import ref_of
from app.models import OutboundMessage
from app.outbox import take_simulator_messages
from app.people.phones import normalize_phone
from app.schedules.local_time import local, local_day
from bot.envelope import Envelope
from bot.simulator import CHANNEL, parse_line
from conversations.types import Inbound

STATIC = Path(__file__).resolve().parent / "static"
FORWARDING_HEADERS = ("forwarded", "x-forwarded-for", "x-real-ip")
"""Headers a proxy adds: a request relayed for someone else is not from this machine, even if it comes from 127.0.0.1."""


def only_from_this_machine(request: Request) -> None:
    """404 (as if there were no simulator) unless the request comes straight from a loopback address."""
    if not is_loopback(request.client.host if request.client else "") or any(
        header in request.headers for header in FORWARDING_HEADERS
    ):
        raise HTTPException(status_code=404)


def is_loopback(host: str) -> bool:
    """``127.0.0.1``, ``::1`` (and ``::ffff:127.0.0.1``) are; a name, a LAN or public address is not."""
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_loopback


router = APIRouter(dependencies=[Depends(only_from_this_machine)])


class SimulatedMessage(BaseModel):
    phone: str
    client_id: str = Field(min_length=8, max_length=64, description="Unique per message; a retried send is not processed twice.")
    text: str = ""
    option: str = ""
    retry: bool = Field(False, description="A resend after a request whose answer was lost: a duplicate answers again.")


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
    replies = _take(request, phone)
    if outcome.status == "duplicate" and message.retry:
        replies = _answers_to(request, phone, message.client_id, besides=replies) + replies
    return {"status": outcome.status, "replies": replies}


@router.get("/simulator/messages")
def inbox(phone: str, request: Request) -> dict[str, object]:
    return {"replies": _take(request, _phone(phone))}


@router.get("/simulator/media/{name}")
def media(name: str, request: Request, filename: str = "") -> FileResponse:
    """A stored photo, chart or workbook the bot sent (the simulator is for development only: no signed link).

    ``?filename=`` is the readable name the reply gave it (see ``_linked``), so a saved workbook is
    ``ringkasan-….xlsx`` rather than a hash; images are shown inline, other files are downloads.
    """
    ref = ref_of(name)
    path = request.app.state.channels.media.path_of(ref) if ref else None
    if ref is None or path is None or not path.is_file():
        raise HTTPException(status_code=404)
    extension = EXTENSIONS.get(ref.mime_type, ".bin")
    shown = safe_filename(filename, extension) if filename else name
    disposition = "inline" if ref.mime_type.startswith("image/") else "attachment"
    return FileResponse(path, media_type=ref.mime_type, filename=shown, content_disposition_type=disposition)


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
        return [_shown(row) for row in rows]


def _answers_to(request: Request, phone: str, client_id: str, *, besides: list[dict[str, object]]) -> list[dict[str, object]]:
    """The bot's replies to message ``client_id``, already taken: when the page resends a message whose answer it
    never got (the connection dropped after the server handled it), it is shown the answer instead of nothing."""
    taken = {reply["id"] for reply in besides}
    key = f"in:{CHANNEL}:{client_id}:"
    with request.app.state.database.transaction() as db:
        rows = db.scalars(
            select(OutboundMessage)
            .where(OutboundMessage.address == phone, OutboundMessage.channel == CHANNEL, OutboundMessage.status == "delivered")
            .where(OutboundMessage.idempotency_key.startswith(key, autoescape=True))
            .order_by(OutboundMessage.id)
        ).all()
        return [_shown(row) for row in rows if row.id not in taken]


def _shown(row: OutboundMessage) -> dict[str, object]:
    return {"id": row.id, **row.body, "media": [_linked(m, row) for m in row.body.get("media", [])]}


KIND_OF_MEDIA = {"image/png": "grafik", "image/jpeg": "foto", "audio/ogg": "suara", "audio/mpeg": "suara"}
"""What a file the bot sends is, by type: the bot's PNGs are charts (the weekly digest); anything else is an attachment."""


def _linked(media: dict[str, Any], row: OutboundMessage) -> dict[str, Any]:
    """The media of a reply as the page shows it: a link with a readable file name, and a text for images.

    The name is the one the reply gives (``name`` or ``filename``), else the kind and the day the message
    was written, in WIB: ``lampiran-2026-12-01.xlsx``. The alt text of an image says what it is and what it
    belongs to: ``Grafik: Ringkasan mingguan Pasteur, …`` (the reply's first line).
    """
    mime = media.get("mime_type", "")
    extension = EXTENSIONS.get(mime, ".bin")
    kind = KIND_OF_MEDIA.get(mime, "lampiran")
    given = str(media.get("name") or media.get("filename") or "")
    fallback = f"{kind}-{local_day(row.created_at, WIB).isoformat()}{extension}"
    filename = safe_filename(given, extension) if given else fallback
    url = f"/simulator/media/{media['ref'].removeprefix('sha256:')}{extension}?{urlencode({'filename': filename})}"
    linked = {**media, "url": url, "filename": filename}
    if mime.startswith("image/"):
        first_line = str(row.body.get("text") or "").strip().split("\n", 1)[0][:160]
        linked["alt"] = str(media.get("alt") or f"{kind.capitalize()}: {first_line or filename}")
    return linked


def safe_filename(name: str, extension: str) -> str:
    """A name fit for a ``Content-Disposition`` header and a saved file: plain characters, no path, the right ending.

    ``"../ringkasan 32.73 W48.xlsx"`` → ``"ringkasan-32.73-W48.xlsx"``; the extension always matches the file's type.
    """
    stem = Path(name.replace("\\", "/")).name
    if stem.lower().endswith(extension):
        stem = stem[: -len(extension)]
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", stem).strip(".-_")[:100] or "lampiran"
    return stem + extension
