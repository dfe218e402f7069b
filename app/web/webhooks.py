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

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse

from app.channels import Channels, MediaUnavailable
from app.outbox import record_provider_status
from bot import whatsapp as wa

log = logging.getLogger(__name__)
router = APIRouter(prefix="/webhooks")
FORBIDDEN = JSONResponse({"error": "forbidden"}, status_code=403)


@router.post("/telegram")
async def telegram_update(request: Request) -> Response:
    channels: Channels = request.app.state.channels
    settings = channels.settings
    secret = request.headers.get("X-Telegram-Bot-Api-Secret-Token", "")
    if channels.bot is None or not settings.telegram_webhook_secret:
        return JSONResponse({"error": "telegram is not configured"}, status_code=404)
    if not hmac.compare_digest(secret.encode(), settings.telegram_webhook_secret.encode()):
        return FORBIDDEN
    try:
        data = json.loads(await request.body())
        if not isinstance(data, dict) or "update_id" not in data:
            raise ValueError("not an Update")
    except ValueError:
        return JSONResponse({"error": "malformed update"}, status_code=400)
    try:
        await channels.handle_telegram(data)
    except MediaUnavailable:
        return JSONResponse({"error": "media not available yet"}, status_code=503)  # Telegram delivers again
    return JSONResponse({"ok": True})


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
