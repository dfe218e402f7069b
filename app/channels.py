"""The channels as the running service holds them: provider clients, the media store, inbound handling.

Inbound, each channel does the same: parse the provider's payload (``bot/``),
fetch any photo or voice note into the media store at once (provider links
expire), then hand the ``Envelope`` to the pipeline in a worker thread.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import update
from telegram import Bot
from telegram.error import BadRequest, TelegramError

from app.clock import Clock
from app.config import Settings
from app.db import Database
from app.db_wait import DatabaseBusy, within
from app.delivery import RateLimiter, Sender
from app.inbound_notices import MEDIA_UNAVAILABLE
from app.inbound_spool import InboundSpool
from app.media import MediaStore, MediaTooLarge
from app.media_links import MediaLinks
from app.models import ChannelIdentity
from app.pipeline import Outcome, Pipeline
from app.twilio_media import MediaRefused, download_twilio_media
from bot import telegram as tg
from bot import whatsapp as wa
from bot.delivery import PermanentFailure
from bot.envelope import Envelope
from conversations.types import Inbound, InboundKind, MediaRef

log = logging.getLogger(__name__)


class MediaUnavailable(Exception):
    """A file could not be fetched from the provider right now (the provider should deliver again)."""


@dataclass
class Channels:
    settings: Settings
    database: Database
    pipeline: Pipeline
    media: MediaStore
    clock: Clock
    bot: Bot | None = None
    whatsapp: wa.WhatsAppSender | None = None
    media_links: MediaLinks | None = None
    """Signed links to stored media, when the service has a public address (WhatsApp attachments need one)."""

    @property
    def spool(self) -> InboundSpool:
        """WhatsApp messages kept on disk until the pipeline has them (under the media folder)."""
        return InboundSpool.under(self.settings.media_dir)

    @classmethod
    def build(cls, settings: Settings, database: Database, pipeline: Pipeline, clock: Clock) -> Channels:
        media = MediaStore(settings.media_dir, settings.media_max_bytes)
        bot = tg.make_bot(settings.telegram_bot_token, settings.telegram_api_url) if settings.telegram_enabled else None
        whatsapp = None
        if settings.whatsapp_enabled:
            callback = f"{settings.public_base_url}/webhooks/whatsapp/status" if settings.public_base_url else ""
            whatsapp = wa.WhatsAppSender(
                settings.twilio_account_sid, settings.twilio_auth_token, settings.twilio_whatsapp_from,
                settings.twilio_api_url, status_callback=callback,
            )  # fmt: skip
        links = None
        if settings.public_base_url:
            links = MediaLinks(settings.public_base_url, settings.signing_key, timedelta(hours=settings.media_link_hours))
        return cls(settings, database, pipeline, media, clock, bot, whatsapp, links)

    async def close(self) -> None:
        if self.bot is not None:
            await self.bot.shutdown()
        if self.whatsapp is not None:
            await self.whatsapp.close()

    def senders(self) -> dict[str, Sender]:
        senders: dict[str, Sender] = {}
        if self.bot is not None:
            telegram = tg.TelegramSender(self.bot, self.media.path_of)

            async def send_telegram(address: str, body: Any, template: str) -> str:
                return await telegram.send(address, body)

            senders[tg.CHANNEL] = send_telegram
        if self.whatsapp is not None:
            whatsapp = self.whatsapp

            async def send_whatsapp(address: str, body: Any, template: str) -> str:
                return await whatsapp.send(address, body, template=template, media_urls=self._media_urls(body))

            senders[wa.CHANNEL] = send_whatsapp
        return senders

    def _media_urls(self, body: Any) -> list[str]:
        attachments = [(MediaRef(m["ref"], m.get("mime_type", "")), m.get("filename", "")) for m in body.get("media", [])]
        if not attachments:
            return []
        if self.media_links is None:
            raise PermanentFailure("WhatsApp attachments need KAWAL_PUBLIC_BASE_URL, so Twilio can fetch them")
        now = self.clock.now()
        return [self.media_links.url(ref, now=now, filename=filename) for ref, filename in attachments]  # the name it saves as

    def limiters(self) -> dict[str, RateLimiter]:
        s = self.settings
        return {
            tg.CHANNEL: RateLimiter(s.telegram_messages_per_second, s.telegram_seconds_per_chat),
            wa.CHANNEL: RateLimiter(s.whatsapp_messages_per_second, 0.0),
        }

    async def handle_telegram(self, data: dict[str, Any]) -> Outcome | None:
        assert self.bot is not None
        parsed = tg.read_update(data, self.bot)
        match parsed:
            case tg.Ignored():
                return None
            case tg.Unreachable(address=address):
                await asyncio.to_thread(self._set_reachable, tg.CHANNEL, address, False)
                return None
            case tg.Reachable(address=address):
                await asyncio.to_thread(self._set_reachable, tg.CHANNEL, address, True)
                return None
        assert isinstance(parsed, tg.Incoming)
        envelope = parsed.envelope
        if parsed.file_id:
            envelope = await self._with_telegram_file(envelope, parsed.file_id, parsed.file_size)
        # a busy database: DatabaseBusy (503) after a bounded wait, and Telegram delivers the update again
        outcome = await within(self.settings.webhook_db_wait_seconds, self.pipeline.handle, envelope, now=self.clock.now())
        if parsed.callback_query_id:
            await self._answer_callback(parsed.callback_query_id)
        return outcome

    async def _with_telegram_file(self, envelope: Envelope, file_id: str, size: int | None) -> Envelope:
        assert self.bot is not None
        if size is not None and size > self.media.max_bytes:
            return _too_large(envelope)
        try:
            file = await self.bot.get_file(file_id)
            content = bytes(await file.download_as_bytearray())
        except BadRequest as error:  # "wrong file_id", "file not found": asking again gets the same answer
            log.warning("telegram file refused for good (%s); the sender is asked to send it again", error.message)
            return _media_unavailable(envelope)
        except TelegramError as error:
            raise MediaUnavailable(str(error)) from error  # a timeout or 5xx: Telegram delivers the update again
        mime = "audio/ogg" if envelope.inbound.kind is InboundKind.VOICE else "image/jpeg"
        return self._stored(envelope, content, mime)

    async def _answer_callback(self, callback_query_id: str) -> None:
        assert self.bot is not None
        try:
            await self.bot.answer_callback_query(callback_query_id)
        except TelegramError:
            log.warning("could not answer a callback query", exc_info=True)

    async def handle_whatsapp(self, form: dict[str, str]) -> Outcome | None:
        """Twilio does not deliver a message again: it is kept on disk first (``app.inbound_spool``), so Twilio is
        answered in time even when the database is busy (``None``: handled later); ``DatabaseBusy`` (503, Twilio
        tries its fallback URL) only if it could not be kept either."""
        incoming = wa.parse_form(form)
        if incoming is None:
            return None
        kept = self._keep(form)
        try:
            outcome = await asyncio.wait_for(self._handle_whatsapp(incoming), timeout=self.settings.webhook_db_wait_seconds)
        except TimeoutError:
            if kept is None:
                raise DatabaseBusy("WhatsApp message neither handled nor kept") from None
            log.warning("database busy: a WhatsApp message is kept on disk and handled once the database is free")
            return None
        if kept is not None:
            kept.unlink(missing_ok=True)
        return outcome

    async def handle_whatsapp_now(self, form: dict[str, str]) -> Outcome | None:
        """A Twilio form through media and the pipeline, however long the database takes."""
        incoming = wa.parse_form(form)
        return None if incoming is None else await self._handle_whatsapp(incoming)

    async def _handle_whatsapp(self, incoming: wa.Incoming) -> Outcome:
        envelope = incoming.envelope
        if incoming.media:
            envelope = await self._with_twilio_media(envelope, incoming.media[0])
        return await asyncio.to_thread(self.pipeline.handle, envelope, now=self.clock.now())

    def _keep(self, form: dict[str, str]) -> Path | None:
        try:
            return self.spool.keep(form)
        except OSError as error:
            log.error("cannot keep a WhatsApp message on disk (%s): handled without a copy", error.strerror)
            return None

    async def _with_twilio_media(self, envelope: Envelope, media: wa.IncomingMedia) -> Envelope:
        """Twilio does not deliver a webhook again: a file that cannot be had is told to the sender, the message kept."""
        settings = self.settings
        auth = (settings.twilio_account_sid, settings.twilio_auth_token)
        try:
            content = await download_twilio_media(media.url, auth=auth, api_url=settings.twilio_api_url, limit=self.media.max_bytes)
        except MediaTooLarge:
            return _too_large(envelope)
        except MediaRefused as error:
            log.warning("WhatsApp media link refused: %s", error)
            return _media_unavailable(envelope)
        except (httpx.HTTPError, httpx.InvalidURL, httpx.StreamError) as error:
            log.warning("could not fetch WhatsApp media (%s)", type(error).__name__)
            return _media_unavailable(envelope)
        return self._stored(envelope, content, media.content_type)

    def _stored(self, envelope: Envelope, content: bytes, mime: str) -> Envelope:
        try:
            ref: MediaRef = self.media.save(content, mime)
        except MediaTooLarge:
            return _too_large(envelope)
        return replace(envelope, inbound=replace(envelope.inbound, media=ref))

    def _set_reachable(self, channel: str, address: str, reachable: bool) -> None:
        with self.database.transaction() as db:
            db.execute(
                update(ChannelIdentity)
                .where(ChannelIdentity.channel == channel, ChannelIdentity.address == address)
                .values(unreachable_at=None if reachable else self.clock.now())
            )


def _media_unavailable(envelope: Envelope) -> Envelope:
    """The file cannot be had: the message (its caption too) is kept and the sender asked to send the file again."""
    inbound = Inbound(kind=InboundKind.UNSUPPORTED, unsupported=MEDIA_UNAVAILABLE, text=envelope.inbound.text)
    return replace(envelope, inbound=inbound)


def _too_large(envelope: Envelope) -> Envelope:
    return replace(envelope, inbound=Inbound(kind=InboundKind.UNSUPPORTED, unsupported="too_large"))
