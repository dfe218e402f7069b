"""Telegram through python-telegram-bot: updates in, messages out.

``parse_update`` turns a PTB ``Update`` into what the shell should do with it:

- a private-chat message or button tap → ``Incoming`` (an ``Envelope``, plus the
  file to download and the callback query to answer, if any);
- the person blocked the bot (``my_chat_member`` → ``kicked``) → ``Unreachable``;
  unblocked → ``Reachable``;
- group chats, channel posts and other update kinds → ``Ignored`` (silence).

Edited messages are not processed again: the person is told to send a new one.
Stickers, videos and documents get a short "please send text or a photo".

``TelegramSender`` renders an outbox body: options become an inline keyboard,
media go as a photo or a document. The API root is configuration
(``KAWAL_TELEGRAM_API_URL``); PTB appends ``/bot<token>/…`` and ``/file/bot<token>/…``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest, Forbidden, InvalidToken, NetworkError, RetryAfter, TelegramError
from telegram.request import HTTPXRequest

from app.people.phones import normalize_phone
from bot.delivery import PermanentFailure, TransientFailure
from bot.envelope import Envelope
from bot.text import split_text
from conversations.types import Inbound, InboundKind, MediaRef

CHANNEL = "telegram"
TEXT_LIMIT = 4096
ALLOWED_UPDATES = ["message", "edited_message", "callback_query", "my_chat_member"]
UNSUPPORTED_KINDS = ("sticker", "animation", "video", "video_note", "document", "audio", "poll", "dice", "game")


@dataclass(frozen=True)
class Incoming:
    envelope: Envelope
    file_id: str = ""
    file_size: int | None = None
    callback_query_id: str = ""


@dataclass(frozen=True)
class Unreachable:
    address: str


@dataclass(frozen=True)
class Reachable:
    address: str


@dataclass(frozen=True)
class Ignored:
    reason: str


Parsed = Incoming | Unreachable | Reachable | Ignored


def make_bot(token: str, api_url: str) -> Bot:
    # PTB reports RetryAfter.retry_after as a timedelta (not a deprecated int) with this switch
    os.environ.setdefault("PTB_TIMEDELTA", "true")
    request = HTTPXRequest(connection_pool_size=64, read_timeout=15, connect_timeout=10)
    return Bot(token, base_url=f"{api_url}/bot", base_file_url=f"{api_url}/file/bot", request=request)


def parse_update(update: Update) -> Parsed:
    if update.my_chat_member is not None:
        member = update.my_chat_member
        address = str(member.chat.id)
        if member.new_chat_member.status == "kicked":
            return Unreachable(address)
        return Reachable(address) if member.chat.type == "private" else Ignored("group membership")
    if update.callback_query is not None:
        return _callback(update)
    if update.edited_message is not None:
        message = update.edited_message
        if message.chat.type != "private":
            return Ignored("group")
        return Incoming(_envelope(update, message, Inbound(kind=InboundKind.UNSUPPORTED, unsupported="edited")))
    if update.message is None:
        return Ignored("update kind not handled")
    message = update.message
    if message.chat.type != "private":
        return Ignored("group")
    return _message(update, message)


def _callback(update: Update) -> Parsed:
    query = update.callback_query
    assert query is not None
    chat = query.message.chat if query.message is not None else None
    if chat is not None and chat.type != "private":
        return Ignored("group")
    envelope = Envelope(
        CHANNEL,
        str(update.update_id),
        str(chat.id if chat else query.from_user.id),
        Inbound.option_(query.data or ""),
        display_name=query.from_user.full_name,
        payload=update.to_dict(),
    )
    return Incoming(envelope, callback_query_id=query.id)


def _message(update: Update, message: Message) -> Incoming:
    if message.photo:
        largest = max(message.photo, key=lambda size: (size.file_size or 0, size.width * size.height))
        inbound = Inbound(kind=InboundKind.PHOTO, text=message.caption or "")
        return Incoming(_envelope(update, message, inbound), largest.file_id, largest.file_size)
    if message.voice is not None:
        inbound = Inbound(kind=InboundKind.VOICE, text=message.caption or "")
        return Incoming(_envelope(update, message, inbound), message.voice.file_id, message.voice.file_size)
    if message.location is not None:
        location = message.location
        inbound = Inbound(kind=InboundKind.LOCATION, latitude=location.latitude, longitude=location.longitude)
        return Incoming(_envelope(update, message, inbound))
    if message.contact is not None:
        return Incoming(_contact(update, message))
    if message.text is not None:
        return Incoming(_envelope(update, message, _text(message.text)))
    kind = next((k for k in UNSUPPORTED_KINDS if getattr(message, k, None)), "other")
    return Incoming(_envelope(update, message, Inbound(kind=InboundKind.UNSUPPORTED, unsupported=kind)))


def _text(text: str) -> Inbound:
    """``/start CODE`` (a deep link) keeps the code as the referral."""
    command, _, argument = text.strip().partition(" ")
    if command.lower() == "/start" and argument.strip():
        return Inbound(kind=InboundKind.TEXT, text="/start", referral=argument.strip())
    return Inbound.text_(text)


def _contact(update: Update, message: Message) -> Envelope:
    contact = message.contact
    assert contact is not None
    own = message.from_user is not None and contact.user_id == message.from_user.id
    inbound = Inbound(kind=InboundKind.CONTACT, contact_phone=contact.phone_number)
    envelope = _envelope(update, message, inbound)
    if not own:
        return envelope  # someone else's contact card: kept, but it says nothing about the sender
    return Envelope(**{**envelope.__dict__, "phone": normalize_phone(contact.phone_number)})


def _envelope(update: Update, message: Message, inbound: Inbound) -> Envelope:
    sender = message.from_user
    return Envelope(
        CHANNEL,
        str(update.update_id),
        str(message.chat.id),
        inbound,
        display_name=sender.full_name if sender else "",
        payload=update.to_dict(),
    )


class TelegramSender:
    """Sends one outbox body to a chat; raises ``TransientFailure`` or ``PermanentFailure``."""

    def __init__(self, bot: Bot, media_path: Any) -> None:
        self.bot = bot
        self.media_path = media_path  # MediaRef → Path

    async def send(self, address: str, body: dict[str, Any]) -> str:
        try:
            return await self._send(address, body)
        except RetryAfter as error:
            retry = error.retry_after
            seconds = retry.total_seconds() if hasattr(retry, "total_seconds") else float(retry)
            raise TransientFailure(f"Telegram 429: {error.message}", retry_after=seconds) from error
        except Forbidden as error:
            raise PermanentFailure(f"Telegram 403: {error.message}", unreachable=True) from error
        except (BadRequest, InvalidToken) as error:
            raise PermanentFailure(f"Telegram: {error.message}") from error
        except NetworkError as error:  # timeouts, connection errors and 5xx
            raise TransientFailure(f"Telegram network error: {error.message}") from error
        except TelegramError as error:
            raise TransientFailure(f"Telegram: {error.message}") from error

    async def _send(self, address: str, body: dict[str, Any]) -> str:
        chat_id = int(address)
        last: Message | None = None
        for media in body.get("media", []):
            last = await self._send_media(chat_id, media)
        chunks = split_text(body.get("text", ""), TEXT_LIMIT) or ([""] if body.get("options") else [])
        for index, chunk in enumerate(chunks):
            markup = keyboard(body.get("options", [])) if index == len(chunks) - 1 else None
            last = await self.bot.send_message(chat_id, chunk or "…", reply_markup=markup)
        return str(last.message_id) if last else ""

    async def _send_media(self, chat_id: int, media: dict[str, str]) -> Message:
        path: Path = self.media_path(MediaRef(media["ref"], media.get("mime_type", "")))
        with path.open("rb") as handle:
            if media.get("mime_type", "").startswith("image/"):
                return await self.bot.send_photo(chat_id, handle, caption=media.get("caption"))
            return await self.bot.send_document(chat_id, handle, filename=media.get("filename") or path.name)

    async def answer_callback(self, callback_query_id: str) -> None:
        await self.bot.answer_callback_query(callback_query_id)


def keyboard(options: list[dict[str, str]]) -> InlineKeyboardMarkup | None:
    if not options:
        return None
    rows = [[InlineKeyboardButton(f"{n}. {o['label']}"[:64], callback_data=o["key"][:64])] for n, o in enumerate(options, 1)]
    return InlineKeyboardMarkup(rows)
