"""Telegram through python-telegram-bot: updates in, messages out.

``parse_update`` turns a PTB ``Update`` into what the shell should do with it:

- a private-chat message or button tap → ``Incoming`` (an ``Envelope``, plus the
  file to download and the callback query to answer, if any);
- the person blocked the bot (``my_chat_member`` → ``kicked``) → ``Unreachable``;
  unblocked → ``Reachable``;
- group chats, channel posts and other update kinds → ``Ignored`` (silence).

``read_update`` is the door for raw JSON: it cleans the text (``bot.cleaning``),
checks the shape of the fields we read, and never raises. An update that is
broken (a wrong type, a missing ``chat`` or ``date``) becomes an ``unreadable``
message when it names a private chat to answer, else ``Ignored``.

Edited messages are not processed again: the person is told to send a new one.
Stickers, videos and documents get a short "please send text or a photo".

``TelegramSender`` renders an outbox body: options become an inline keyboard,
media go as a photo or a document. The API root is configuration
(``KAWAL_TELEGRAM_API_URL``); PTB appends ``/bot<token>/…`` and ``/file/bot<token>/…``.
"""

from __future__ import annotations

import asyncio
import logging
import math
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest, Forbidden, InvalidToken, NetworkError, RetryAfter, TelegramError

from app.inbound_notices import UNREADABLE
from app.people.phones import normalize_phone
from bot.cleaning import clean_json
from bot.delivery import PermanentFailure, TransientFailure
from bot.envelope import Envelope
from bot.telegram_http import AiohttpRequest
from bot.text import split_text
from conversations.types import Inbound, InboundKind, MediaRef

log = logging.getLogger(__name__)
CHANNEL = "telegram"
TEXT_LIMIT = 4096
ALLOWED_UPDATES = ["message", "edited_message", "callback_query", "my_chat_member"]
MESSAGE_KINDS = ("message", "edited_message")
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


CONNECTIONS = 12
"""Keep-alive connections the bot (webhook side and delivery worker alike) shares with the Bot API. Enough: at
Telegram's 30 messages/s a request takes its connection for a few hundred ms. A send waits for a free one in
``TelegramSender`` (the message has not left meanwhile); a burst of a whole claimed batch queues there."""


def make_bot(token: str, api_url: str) -> Bot:
    """One ``Bot``, hence one pool of HTTP connections, for everything the service asks of Telegram."""
    # PTB reports RetryAfter.retry_after as a timedelta (not a deprecated int) with this switch
    os.environ.setdefault("PTB_TIMEDELTA", "true")
    request = AiohttpRequest(connections=CONNECTIONS, read_timeout=15, connect_timeout=10)
    return Bot(token, base_url=f"{api_url}/bot", base_file_url=f"{api_url}/file/bot", request=request)


def read_update(data: dict[str, Any], bot: Bot) -> Parsed:
    """A raw update (a JSON object with ``update_id``) → ``Parsed``; never raises, whatever the fields hold."""
    data = clean_json(data)
    kinds = [key for key in data if key != "update_id"]
    if not any(kind in ALLOWED_UPDATES for kind in kinds):
        log.info("telegram update kind not handled: %s", ",".join(kinds)[:200] or "none")
        return Ignored("update kind not handled")
    problem = shape_problem(data)
    if problem is None:
        try:
            return parse_update(Update.de_json(data, bot), payload=data)  # stored as received: not rebuilt
        except Exception as error:  # noqa: BLE001 - PTB met a shape the check let through
            problem = f"{type(error).__name__} while parsing"
    log.warning("unreadable telegram update %s: %s", data.get("update_id"), problem)
    return _unreadable(data)


def _unreadable(data: dict[str, Any]) -> Parsed:
    """One ``unreadable`` message to the private chat the update names, if any (the sender is told once)."""
    chat = _private_chat(data)
    if chat is None:
        return Ignored("unreadable update without a private chat")
    message: dict[str, Any] = next((data[k] for k in MESSAGE_KINDS if isinstance(data.get(k), dict)), {})
    text = message.get("text") if isinstance(message.get("text"), str) else message.get("caption")
    inbound = Inbound(kind=InboundKind.UNSUPPORTED, unsupported=UNREADABLE, text=text if isinstance(text, str) else "")
    return Incoming(Envelope(CHANNEL, str(data["update_id"]), str(chat), inbound, payload=data))


def _private_chat(data: dict[str, Any]) -> int | None:
    messages = [data.get(kind) for kind in MESSAGE_KINDS]
    query = data.get("callback_query")
    if isinstance(query, dict):
        messages.append(query.get("message"))
    for message in messages:
        chat = message.get("chat") if isinstance(message, dict) else None
        if isinstance(chat, dict) and _is_int(chat.get("id")) and chat.get("type") == "private":
            return int(chat["id"])
    return None


def shape_problem(data: dict[str, Any]) -> str | None:
    """The first field of a known update kind whose type is not what Telegram documents (None: all fine).

    Only what this service reads is checked; PTB's own parser is the backstop for the rest."""
    if not _is_int(data.get("update_id")):
        return "update_id"
    for kind in MESSAGE_KINDS:
        if kind in data:
            problem = _message_problem(data[kind])
            if problem:
                return f"{kind}.{problem}"
    if "callback_query" in data:
        query = data["callback_query"]
        if not isinstance(query, dict):
            return "callback_query"
        problem = _fields_problem(query, {"id": _is_str, "from": _is_user, "data": _optional(_is_str)})
        if problem:
            return f"callback_query.{problem}"
        if query.get("message") is not None and (problem := _message_problem(query["message"])):
            return f"callback_query.message.{problem}"
    if "my_chat_member" in data:
        member = data["my_chat_member"]
        if not isinstance(member, dict):
            return "my_chat_member"
        status = member.get("new_chat_member")
        if not (isinstance(status, dict) and _is_str(status.get("status"))):
            return "my_chat_member.new_chat_member"
        problem = _fields_problem(member, {"chat": _is_chat, "from": _is_user, "date": _is_int})
        if problem:
            return f"my_chat_member.{problem}"
    return None


Check = Callable[[Any], bool]


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_str(value: Any) -> bool:
    return isinstance(value, str)


def _optional(check: Check) -> Check:
    return lambda value: value is None or check(value)


def _fields_problem(value: dict[str, Any], checks: dict[str, Check]) -> str | None:
    """The first key whose value fails its check (a missing key is ``None``)."""
    return next((key for key, check in checks.items() if not check(value.get(key))), None)


def _is_chat(value: Any) -> bool:
    return isinstance(value, dict) and _is_int(value.get("id")) and _is_str(value.get("type"))


def _is_user(value: Any) -> bool:
    return (
        isinstance(value, dict) and _is_int(value.get("id")) and _is_str(value.get("first_name"))
        and isinstance(value.get("is_bot", False), bool)
    )


def _is_file(value: Any) -> bool:
    return isinstance(value, dict) and _is_str(value.get("file_id")) and _optional(_is_int)(value.get("file_size"))


def _is_photo(value: Any) -> bool:
    if not isinstance(value, list) or not value:
        return False
    return all(_is_file(size) and _is_int(size.get("width")) and _is_int(size.get("height")) for size in value)


def _is_coordinate(limit: float) -> Check:
    return lambda value: isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value) and abs(value) <= limit


def _is_location(value: Any) -> bool:
    return isinstance(value, dict) and _is_coordinate(90)(value.get("latitude")) and _is_coordinate(180)(value.get("longitude"))


def _is_contact(value: Any) -> bool:
    return isinstance(value, dict) and _is_str(value.get("phone_number")) and _optional(_is_int)(value.get("user_id"))


MESSAGE_CHECKS: dict[str, Check] = {
    "message_id": _is_int, "date": _is_int, "chat": _is_chat, "from": _optional(_is_user),
    "text": _optional(_is_str), "caption": _optional(_is_str), "photo": _optional(_is_photo),
    "voice": _optional(_is_file), "location": _optional(_is_location), "contact": _optional(_is_contact),
}  # fmt: skip


def _message_problem(message: Any) -> str | None:
    if not isinstance(message, dict):
        return "(not an object)"
    return _fields_problem(message, MESSAGE_CHECKS)


def parse_update(update: Update, *, payload: dict[str, Any] | None = None) -> Parsed:
    """``payload``: the update's JSON as received, stored with the message (else rebuilt from ``update``)."""
    if update.my_chat_member is not None:
        member = update.my_chat_member
        address = str(member.chat.id)
        if member.new_chat_member.status == "kicked":
            return Unreachable(address)
        return Reachable(address) if member.chat.type == "private" else Ignored("group membership")
    if update.callback_query is not None:
        return _callback(update, payload)
    if update.edited_message is not None:
        message = update.edited_message
        if message.chat.type != "private":
            return Ignored("group")
        return Incoming(_envelope(update, message, Inbound(kind=InboundKind.UNSUPPORTED, unsupported="edited"), payload))
    if update.message is None:
        return Ignored("update kind not handled")
    message = update.message
    if message.chat.type != "private":
        return Ignored("group")
    return _message(update, message, payload)


def _callback(update: Update, payload: dict[str, Any] | None) -> Parsed:
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
        payload=payload if payload is not None else update.to_dict(),
    )
    return Incoming(envelope, callback_query_id=query.id)


def _message(update: Update, message: Message, payload: dict[str, Any] | None) -> Incoming:
    if message.photo:
        largest = max(message.photo, key=lambda size: (size.file_size or 0, size.width * size.height))
        inbound = Inbound(kind=InboundKind.PHOTO, text=message.caption or "")
        return Incoming(_envelope(update, message, inbound, payload), largest.file_id, largest.file_size)
    if message.voice is not None:
        inbound = Inbound(kind=InboundKind.VOICE, text=message.caption or "")
        return Incoming(_envelope(update, message, inbound, payload), message.voice.file_id, message.voice.file_size)
    if message.location is not None:
        location = message.location
        inbound = Inbound(kind=InboundKind.LOCATION, latitude=location.latitude, longitude=location.longitude)
        return Incoming(_envelope(update, message, inbound, payload))
    if message.contact is not None:
        return Incoming(_contact(update, message, payload))
    if message.text is not None:
        return Incoming(_envelope(update, message, _text(message.text), payload))
    kind = next((k for k in UNSUPPORTED_KINDS if getattr(message, k, None)), "other")
    return Incoming(_envelope(update, message, Inbound(kind=InboundKind.UNSUPPORTED, unsupported=kind), payload))


def _text(text: str) -> Inbound:
    """``/start CODE`` (a deep link) keeps the code as the referral."""
    command, _, argument = text.strip().partition(" ")
    if command.lower() == "/start" and argument.strip():
        return Inbound(kind=InboundKind.TEXT, text="/start", referral=argument.strip())
    return Inbound.text_(text)


def _contact(update: Update, message: Message, payload: dict[str, Any] | None) -> Envelope:
    contact = message.contact
    assert contact is not None
    own = message.from_user is not None and contact.user_id == message.from_user.id
    inbound = Inbound(kind=InboundKind.CONTACT, contact_phone=contact.phone_number)
    envelope = _envelope(update, message, inbound, payload)
    if not own:
        return envelope  # someone else's contact card: kept, but it says nothing about the sender
    return Envelope(**{**envelope.__dict__, "phone": normalize_phone(contact.phone_number)})


def _envelope(update: Update, message: Message, inbound: Inbound, payload: dict[str, Any] | None) -> Envelope:
    sender = message.from_user
    return Envelope(
        CHANNEL,
        str(update.update_id),
        str(message.chat.id),
        inbound,
        display_name=sender.full_name if sender else "",
        payload=payload if payload is not None else update.to_dict(),
    )


class TelegramSender:
    """Sends one outbox body to a chat; raises ``TransientFailure`` or ``PermanentFailure``."""

    def __init__(self, bot: Bot, media_path: Any) -> None:
        self.bot = bot
        self.media_path = media_path  # MediaRef → Path
        # sends wait here rather than in httpx's pool, which looks at every connection for every waiting request
        self._in_flight = asyncio.Semaphore(CONNECTIONS)

    async def send(self, address: str, body: dict[str, Any]) -> str:
        try:
            async with self._in_flight:
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
