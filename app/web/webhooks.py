"""Provider webhooks: Telegram updates, WhatsApp (Twilio) messages and delivery statuses.

Each request is authenticated first (403 otherwise), then processed once: a
duplicate delivery is acknowledged without being processed again. Replies go
out through the outbox, never in the response.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse

from app.channels import Channels, MediaUnavailable
from app.outbox import record_provider_status
from bot import whatsapp as wa
from bot.cleaning import nesting_depth

log = logging.getLogger(__name__)
router = APIRouter(prefix="/webhooks")
FORBIDDEN = JSONResponse({"error": "forbidden"}, status_code=403)
MAX_UPDATE_BYTES = 1024 * 1024  # a Telegram update is a few kilobytes
MAX_UPDATE_DEPTH = 64  # real updates nest about ten deep (a reply's keyboard inside a message inside a callback)


@router.post("/telegram")
async def telegram_update(request: Request) -> Response:
    channels: Channels = request.app.state.channels
    settings = channels.settings
    # headers arrive as latin-1 text: back to their bytes, so any byte sequence compares (and fails) safely
    secret = request.headers.get("X-Telegram-Bot-Api-Secret-Token", "").encode("latin-1", "replace")
    if channels.bot is None or not settings.telegram_webhook_secret:
        return JSONResponse({"error": "telegram is not configured"}, status_code=404)
    if not hmac.compare_digest(secret, settings.telegram_webhook_secret.encode()):
        return FORBIDDEN
    data = _update_of(await request.body())
    if data is None:
        return JSONResponse({"error": "malformed update"}, status_code=400)
    try:
        await channels.handle_telegram(data)
    except MediaUnavailable:
        return JSONResponse({"error": "media not available yet"}, status_code=503)  # Telegram delivers again
    return JSONResponse({"ok": True})


def _update_of(body: bytes) -> dict[str, Any] | None:
    """The JSON object of an update, or None for a body that is too big, too deep, not JSON or not an Update.

    Size and depth are checked before parsing: ``json.loads`` recurses, so 100,000 nested ``[`` would crash it."""
    if len(body) > MAX_UPDATE_BYTES or nesting_depth(body) > MAX_UPDATE_DEPTH:
        return None
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        return None
    if not isinstance(data, dict) or type(data.get("update_id")) is not int:
        return None
    return data


def _public_url(request: Request, channels: Channels) -> str:
    """The URL Twilio signed: our public base URL and the path, never the (proxied) request URL."""
    query = f"?{request.url.query}" if request.url.query else ""
    return f"{channels.settings.public_base_url}{request.url.path}{query}"


async def _signed_form(request: Request, channels: Channels) -> dict[str, str] | Response:
    """The form of a genuine Twilio request, or the response to give instead (404 unconfigured, 403 unsigned)."""
    if channels.whatsapp is None or not channels.settings.public_base_url:
        return JSONResponse({"error": "whatsapp is not configured"}, status_code=404)
    form = {key: str(value) for key, value in (await request.form()).items()}
    signature = request.headers.get("X-Twilio-Signature", "")
    if not wa.signature_is_valid(channels.settings.twilio_auth_token, _public_url(request, channels), form, signature):
        return FORBIDDEN
    return form


@router.post("/whatsapp")
async def whatsapp_message(request: Request) -> Response:
    channels: Channels = request.app.state.channels
    form = await _signed_form(request, channels)
    if isinstance(form, Response):
        return form
    await channels.handle_whatsapp(form)
    return Response(wa.EMPTY_TWIML, media_type="text/xml")


@router.post("/whatsapp/status")
async def whatsapp_status(request: Request) -> Response:
    channels: Channels = request.app.state.channels
    form = await _signed_form(request, channels)
    if isinstance(form, Response):
        return form
    await asyncio.to_thread(_record_status, channels, form)
    return Response(status_code=204)


def _record_status(channels: Channels, form: dict[str, str]) -> None:
    with channels.database.transaction() as db:
        record_provider_status(
            db,
            provider_message_id=form.get("MessageSid", ""),
            status=form.get("MessageStatus", ""),
            error_code=form.get("ErrorCode", ""),
        )
