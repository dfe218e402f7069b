"""A local fake of the Telegram Bot API, good enough for python-telegram-bot's real ``telegram.Bot``.

Point a bot at it with::

    with FakeTelegramApi(token="123:ABC") as fake:
        bot = Bot(**fake.bot_kwargs())   # token, base_url=f"{fake.url}/bot", base_file_url=f"{fake.url}/file/bot"

Implemented (``POST`` or ``GET /bot<token>/<method>``, method names case-insensitive as on Telegram):
getMe, sendMessage, sendPhoto, sendDocument, sendChatAction, answerCallbackQuery,
editMessageReplyMarkup, getFile, setWebhook, deleteWebhook, getWebhookInfo, getUpdates;
``GET /file/bot<token>/<file_path>`` for downloads. Bodies may be form-urlencoded (what PTB sends:
every non-string value JSON-encoded), multipart (uploads) or JSON; values are decoded to Python
types for the known parameters (``reply_markup`` → dict, ``chat_id`` → int, ...).

Behaviour kept from the real API: the ``{"ok": ..., "result" | "error_code", "description"}``
envelope; 401 for a wrong token; 404 for an unknown method; 400 for an empty or too long text
(4096) or caption (1024), a missing ``chat_id``, an unknown ``file_id`` and ``callback_data``
over 64 bytes (``BUTTON_DATA_INVALID``); only inline keyboards are echoed in ``Message.reply_markup``;
uploaded photos/documents become downloadable files; ``getUpdates`` offset confirmation and long
polling (capped at ``max_long_poll`` seconds); 409 from ``getUpdates`` while a webhook is set.

Left out: every other method, per-chat message ids, parse_mode/entity parsing (text is echoed
as sent), rate limits (program them with :meth:`FakeTelegramApi.fail_next`), "message is not
modified", the 409 between two concurrent getUpdates, ``allowed_updates`` filtering, and webhook
delivery (post updates to your webhook yourself).
"""

from __future__ import annotations

import itertools
import json
import re
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from tests.fakes._http import (
    DROP_CONNECTION,
    FakeHttpServer,
    HttpRequest,
    HttpResponse,
    UploadedFile,
    _DropConnection,
    json_response,
)

__all__ = ["Call", "FakeTelegramApi", "TelegramApiError", "UploadedFile", "Webhook"]

JsonDict = dict[str, Any]

_METHOD_ROUTE = re.compile(r"^/bot(?P<token>[^/]+)/(?P<method>[A-Za-z]+)$")
_FILE_ROUTE = re.compile(r"^/file/bot(?P<token>[^/]+)/(?P<path>.+)$")

# How PTB encodes parameters: strings raw, everything else JSON. Decode the ones we know.
_JSON_PARAMS = {
    "reply_markup", "entities", "caption_entities", "allowed_updates", "reply_parameters",
    "link_preview_options", "media", "commands", "scope", "results",
}
_INT_PARAMS = {
    "chat_id", "message_id", "offset", "limit", "timeout", "cache_time", "max_connections",
    "reply_to_message_id", "message_thread_id", "user_id", "from_chat_id",
}
_BOOL_PARAMS = {
    "disable_notification", "protect_content", "show_alert", "drop_pending_updates",
    "disable_web_page_preview", "allow_sending_without_reply", "has_spoiler",
    "disable_content_type_detection", "allow_paid_broadcast",
}

_DEFAULT_DESCRIPTIONS = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden: bot was blocked by the user",
    404: "Not Found",
    409: "Conflict",
    500: "Internal Server Error",
    502: "Bad Gateway",
}

_WEBHOOK_FIELDS = {"url", "secret_token", "allowed_updates", "max_connections"}

MAX_TEXT_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024
MAX_CALLBACK_DATA_BYTES = 64


class TelegramApiError(Exception):
    """Raised inside a method handler to answer ``{"ok": false, ...}``."""

    def __init__(self, status: int, description: str, parameters: JsonDict | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.parameters = parameters

    def response(self) -> HttpResponse:
        payload: JsonDict = {"ok": False, "error_code": self.status, "description": self.description}
        if self.parameters:
            payload["parameters"] = self.parameters
        return json_response(self.status, payload)


@dataclass
class Call:
    """One request to ``/bot<token>/<method>``, recorded when it arrives (``status`` set once answered)."""

    method: str
    params: JsonDict
    chat_id: int | str | None
    at: float
    """``time.monotonic()`` when the request arrived."""
    status: int | None = None
    """HTTP status answered (``None`` while pending, ``0`` if the connection was dropped)."""

    @property
    def ok(self) -> bool:
        return self.status == 200

    @property
    def files(self) -> dict[str, UploadedFile]:
        return {name: value for name, value in self.params.items() if isinstance(value, UploadedFile)}


@dataclass
class _Failure:
    method: str
    status: int
    description: str
    retry_after: int | None
    disconnect: bool
    remaining: int

    def matches(self, method: str) -> bool:
        return self.method in ("*", method)

    def response(self) -> HttpResponse | _DropConnection:
        if self.disconnect:
            return DROP_CONNECTION
        parameters = {"retry_after": self.retry_after} if self.retry_after is not None else None
        return TelegramApiError(self.status, self.description, parameters).response()


@dataclass
class _StoredFile:
    file_id: str
    file_unique_id: str
    file_path: str
    content: bytes

    def as_file(self) -> JsonDict:
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": len(self.content),
            "file_path": self.file_path,
        }


@dataclass
class Webhook:
    url: str = ""
    secret_token: str | None = None
    allowed_updates: list[str] | None = None
    max_connections: int | None = None
    extra: JsonDict = field(default_factory=dict)


class FakeTelegramApi(FakeHttpServer):
    """The fake Bot API server. Thread-safe; every attribute below may be read from tests."""

    def __init__(
        self,
        token: str = "123456789:TEST-token",
        *,
        bot_username: str = "kawal_bansos_test_bot",
        bot_first_name: str = "Kawal Bansos (test)",
        max_long_poll: float = 2.0,
    ) -> None:
        super().__init__()
        self.token = token
        self.max_long_poll = max_long_poll
        """getUpdates waits at most this long, whatever ``timeout`` the client asks for."""
        bot_id = int(token.split(":")[0]) if token.split(":")[0].isdigit() else 123456789
        self.bot_user: JsonDict = {
            "id": bot_id,
            "is_bot": True,
            "first_name": bot_first_name,
            "username": bot_username,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }
        self.calls: list[Call] = []
        self.webhook = Webhook()
        self.downloads: list[str] = []
        """File paths served by ``/file/bot<token>/...``, in order."""
        self._lock = threading.RLock()
        self._updates_changed = threading.Condition(self._lock)
        self._updates: list[JsonDict] = []
        self._next_update_id = 1
        self._failures: list[_Failure] = []
        self._files: dict[str, _StoredFile] = {}
        self._files_by_path: dict[str, _StoredFile] = {}
        self._messages: dict[tuple[int | str, int], JsonDict] = {}
        self._message_ids = itertools.count(1001)
        self._file_numbers = itertools.count(1)
        self._methods: dict[str, tuple[str, Callable[[JsonDict], Any]]] = {
            name.lower(): (name, handler)
            for name, handler in {
                "getMe": self._get_me,
                "sendMessage": self._send_message,
                "sendPhoto": self._send_photo,
                "sendDocument": self._send_document,
                "sendChatAction": self._send_chat_action,
                "answerCallbackQuery": self._answer_callback_query,
                "editMessageReplyMarkup": self._edit_message_reply_markup,
                "getFile": self._get_file,
                "setWebhook": self._set_webhook,
                "deleteWebhook": self._delete_webhook,
                "getWebhookInfo": self._get_webhook_info,
                "getUpdates": self._get_updates,
            }.items()
        }

    # -- test-facing API -----------------------------------------------------------------------

    def bot_kwargs(self) -> JsonDict:
        """Keyword arguments for ``telegram.Bot(...)`` pointing at this fake."""
        return {"token": self.token, "base_url": f"{self.url}/bot", "base_file_url": f"{self.url}/file/bot"}

    def calls_to(self, method: str, *, ok: bool | None = None) -> list[Call]:
        """Calls of one method (failed attempts included unless ``ok=True``)."""
        with self._lock:
            return [c for c in self.calls if c.method == method and (ok is None or c.ok == ok)]

    def push_update(self, update: JsonDict) -> int:
        """Queue an Update for getUpdates (an ``update_id`` is assigned if missing); returns its id."""
        update = dict(update)
        with self._lock:
            update.setdefault("update_id", self._next_update_id)
            self._next_update_id = max(self._next_update_id, update["update_id"] + 1)
            self._updates.append(update)
            self._updates.sort(key=lambda u: u["update_id"])
            self._updates_changed.notify_all()
        return int(update["update_id"])

    def pending_updates(self) -> list[JsonDict]:
        """Updates not yet confirmed by a getUpdates offset."""
        with self._lock:
            return list(self._updates)

    def add_file(
        self,
        file_id: str,
        content: bytes,
        file_path: str | None = None,
        *,
        file_unique_id: str | None = None,
    ) -> str:
        """Make ``file_id`` known to getFile and its bytes downloadable; returns the file_path."""
        with self._lock:
            path = file_path or f"photos/file_{next(self._file_numbers)}.jpg"
            stored = _StoredFile(file_id, file_unique_id or _unique_id(), path, content)
            self._files[file_id] = stored
            self._files_by_path[path] = stored
        return path

    def sent_message(self, chat_id: int | str, message_id: int) -> JsonDict | None:
        """The current state of a message this bot sent (after any edits)."""
        with self._lock:
            return self._messages.get((chat_id, message_id))

    def fail_next(
        self,
        method: str = "*",
        status: int = 429,
        description: str | None = None,
        retry_after: int | None = None,
        times: int = 1,
        *,
        disconnect: bool = False,
    ) -> None:
        """Answer the next ``times`` calls of ``method`` (``"*"``: any) with an error.

        429 gets ``parameters.retry_after`` (default 2) and "Too Many Requests: retry after N";
        403 defaults to "Forbidden: bot was blocked by the user"; ``disconnect=True`` closes the
        connection without answering (the client sees a network error).
        """
        if status == 429 and retry_after is None:
            retry_after = 2
        if description is None:
            description = (
                f"Too Many Requests: retry after {retry_after}"
                if status == 429
                else _DEFAULT_DESCRIPTIONS.get(status, "Error")
            )
        with self._lock:
            self._failures.append(_Failure(method, status, description, retry_after, disconnect, times))

    # -- dispatch ------------------------------------------------------------------------------

    def handle(self, request: HttpRequest) -> HttpResponse | _DropConnection:
        path = unquote(request.path)
        if match := _FILE_ROUTE.match(path):
            return self._serve_file(match["token"], match["path"])
        if match := _METHOD_ROUTE.match(path):
            return self._call(match["token"], match["method"], request)
        return TelegramApiError(404, "Not Found").response()

    def wake_waiters(self) -> None:
        with self._lock:
            self._updates_changed.notify_all()

    def _call(self, token: str, method_name: str, request: HttpRequest) -> HttpResponse | _DropConnection:
        method, handler = self._methods.get(method_name.lower(), (method_name, None))
        params = _request_params(request)
        call = Call(method, params, params.get("chat_id"), at=time.monotonic())
        with self._lock:
            self.calls.append(call)
        response = self._answer(token, method, handler, params)
        call.status = 0 if isinstance(response, _DropConnection) else response.status
        return response

    def _answer(
        self, token: str, method: str, handler: Callable[[JsonDict], Any] | None, params: JsonDict
    ) -> HttpResponse | _DropConnection:
        if token != self.token:
            return TelegramApiError(401, "Unauthorized").response()
        if failure := self._take_failure(method):
            return failure.response()
        if handler is None:
            return TelegramApiError(404, "Not Found").response()
        try:
            result = handler(params)
        except TelegramApiError as error:
            return error.response()
        return json_response(200, {"ok": True, "result": result})

    def _take_failure(self, method: str) -> _Failure | None:
        with self._lock:
            for failure in self._failures:
                if failure.matches(method):
                    failure.remaining -= 1
                    if failure.remaining <= 0:
                        self._failures.remove(failure)
                    return failure
        return None

    def _serve_file(self, token: str, file_path: str) -> HttpResponse:
        if token != self.token:
            return TelegramApiError(401, "Unauthorized").response()
        with self._lock:
            stored = self._files_by_path.get(file_path)
            if stored is not None:
                self.downloads.append(file_path)
        if stored is None:
            return TelegramApiError(404, "Not Found").response()
        return HttpResponse(200, stored.content, {"Content-Type": "application/octet-stream"})

    # -- methods -------------------------------------------------------------------------------

    def _get_me(self, params: JsonDict) -> JsonDict:
        return dict(self.bot_user)

    def _send_message(self, params: JsonDict) -> JsonDict:
        chat_id = _require_chat_id(params)
        text = str(params.get("text") or "")
        if not text.strip():
            raise TelegramApiError(400, "Bad Request: message text is empty")
        if len(text) > MAX_TEXT_LENGTH:
            raise TelegramApiError(400, "Bad Request: message is too long")
        content: JsonDict = {"text": text}
        if params.get("entities"):
            content["entities"] = params["entities"]
        return self._new_message(chat_id, content, params.get("reply_markup"))

    def _send_photo(self, params: JsonDict) -> JsonDict:
        chat_id = _require_chat_id(params)
        content = self._caption(params)
        stored = self._file_param(params, "photo", "photos", ".jpg")
        thumbnail = self._register(stored.content, f"{stored.file_path}.thumb.jpg")
        content["photo"] = [
            {**_size_of(thumbnail), "width": 90, "height": 68},
            {**_size_of(stored), "width": 800, "height": 600},
        ]
        return self._new_message(chat_id, content, params.get("reply_markup"))

    def _send_document(self, params: JsonDict) -> JsonDict:
        chat_id = _require_chat_id(params)
        content = self._caption(params)
        upload = params.get("document")
        stored = self._file_param(params, "document", "documents", "")
        content["document"] = {
            **_size_of(stored),
            "file_name": (upload.filename if isinstance(upload, UploadedFile) else None)
            or stored.file_path.rsplit("/", 1)[-1],
            "mime_type": upload.content_type if isinstance(upload, UploadedFile) else "application/octet-stream",
        }
        return self._new_message(chat_id, content, params.get("reply_markup"))

    def _send_chat_action(self, params: JsonDict) -> bool:
        _require_chat_id(params)
        if not params.get("action"):
            raise TelegramApiError(400, "Bad Request: action is empty")
        return True

    def _answer_callback_query(self, params: JsonDict) -> bool:
        if not params.get("callback_query_id"):
            raise TelegramApiError(
                400, "Bad Request: query is too old and response timeout expired or query ID is invalid"
            )
        return True

    def _edit_message_reply_markup(self, params: JsonDict) -> JsonDict | bool:
        if params.get("inline_message_id"):
            return True
        chat_id = _require_chat_id(params)
        message_id = params.get("message_id")
        if not isinstance(message_id, int):
            raise TelegramApiError(400, "Bad Request: message identifier is not specified")
        markup = params.get("reply_markup")
        _check_inline_keyboard(markup)
        with self._lock:
            message = self._messages.setdefault(
                (chat_id, message_id),
                {"message_id": message_id, "from": self.bot_user, "chat": _chat(chat_id), "date": _now(), "text": ""},
            )
            message["edit_date"] = _now()
            if isinstance(markup, dict) and "inline_keyboard" in markup:
                message["reply_markup"] = markup
            else:
                message.pop("reply_markup", None)
            return dict(message)

    def _get_file(self, params: JsonDict) -> JsonDict:
        with self._lock:
            stored = self._files.get(str(params.get("file_id") or ""))
        if stored is None:
            raise TelegramApiError(400, "Bad Request: invalid file_id")
        return stored.as_file()

    def _set_webhook(self, params: JsonDict) -> bool:
        url = str(params.get("url") or "")
        with self._lock:
            self.webhook = Webhook(
                url=url,
                secret_token=params.get("secret_token"),
                allowed_updates=params.get("allowed_updates"),
                max_connections=params.get("max_connections"),
                extra={k: v for k, v in params.items() if k not in _WEBHOOK_FIELDS},
            )
            if params.get("drop_pending_updates"):
                self._updates.clear()
        return True

    def _delete_webhook(self, params: JsonDict) -> bool:
        with self._lock:
            self.webhook = Webhook()
            if params.get("drop_pending_updates"):
                self._updates.clear()
        return True

    def _get_webhook_info(self, params: JsonDict) -> JsonDict:
        with self._lock:
            info: JsonDict = {
                "url": self.webhook.url,
                "has_custom_certificate": False,
                "pending_update_count": len(self._updates),
            }
            if self.webhook.url and self.webhook.max_connections:
                info["max_connections"] = self.webhook.max_connections
            if self.webhook.url and self.webhook.allowed_updates is not None:
                info["allowed_updates"] = self.webhook.allowed_updates
        return info

    def _get_updates(self, params: JsonDict) -> list[JsonDict]:
        offset = int(params.get("offset") or 0)
        limit = min(max(int(params.get("limit") or 100), 1), 100)
        wait = min(max(float(params.get("timeout") or 0), 0.0), self.max_long_poll)
        with self._lock:
            if self.webhook.url:
                raise TelegramApiError(
                    409,
                    "Conflict: can't use getUpdates method while webhook is active; "
                    "use deleteWebhook to delete the webhook first",
                )
            self._confirm(offset)
            self._updates_changed.wait_for(lambda: bool(self._updates) or self.stopping, timeout=wait)
            self._confirm(offset)  # updates pushed while waiting may also be below the offset
            return [dict(update) for update in self._updates[:limit]]

    # -- helpers -------------------------------------------------------------------------------

    def _confirm(self, offset: int) -> None:
        """Telegram semantics: offset N forgets ids < N; offset -N keeps only the last N updates."""
        if offset > 0:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
        elif offset < 0:
            self._updates = self._updates[offset:]

    def _new_message(self, chat_id: int | str, content: JsonDict, reply_markup: Any) -> JsonDict:
        _check_inline_keyboard(reply_markup)
        with self._lock:
            message_id = next(self._message_ids)
            message: JsonDict = {
                "message_id": message_id,
                "from": self.bot_user,
                "chat": _chat(chat_id),
                "date": _now(),
                **content,
            }
            if isinstance(reply_markup, dict) and "inline_keyboard" in reply_markup:
                message["reply_markup"] = reply_markup  # Telegram echoes inline keyboards only
            self._messages[(chat_id, message_id)] = message
            return dict(message)

    def _caption(self, params: JsonDict) -> JsonDict:
        caption = params.get("caption")
        if caption is None:
            return {}
        if len(str(caption)) > MAX_CAPTION_LENGTH:
            raise TelegramApiError(400, "Bad Request: message caption is too long")
        return {"caption": str(caption)}

    def _file_param(self, params: JsonDict, name: str, folder: str, suffix: str) -> _StoredFile:
        """An uploaded file becomes a new stored file; a string is a known file_id or a URL."""
        value = params.get(name)
        if isinstance(value, UploadedFile):
            return self._register(value.content, f"{folder}/file_{next(self._file_numbers)}{suffix}")
        if isinstance(value, str) and value:
            with self._lock:
                known = self._files.get(value)
            return known or self._register(b"", f"{folder}/file_{next(self._file_numbers)}{suffix}")
        raise TelegramApiError(400, f"Bad Request: there is no {name} in the request")

    def _register(self, content: bytes, file_path: str) -> _StoredFile:
        file_id = f"FAKE{uuid.uuid4().hex}"
        self.add_file(file_id, content, file_path)
        with self._lock:
            return self._files[file_id]


# -- module helpers ------------------------------------------------------------------------------


def _request_params(request: HttpRequest) -> JsonDict:
    """Parameters from the query and a JSON, form-urlencoded or multipart body, decoded to Python types."""
    if request.content_type == "application/json":
        body = request.json()
        query = {name: _coerce(name, values[-1]) for name, values in request.query.items()}
        return {**query, **(body if isinstance(body, dict) else {})}
    fields, files = request.form()
    params: JsonDict = {name: _coerce(name, values[-1]) for name, values in fields.items()}
    params.update(files)
    return params


def _coerce(name: str, value: str) -> Any:
    try:
        if name in _JSON_PARAMS:
            return json.loads(value)
        if name in _INT_PARAMS:
            return int(value)
    except ValueError:
        return value  # e.g. chat_id "@channelname"
    if name in _BOOL_PARAMS:
        return value.lower() == "true"
    return value


def _require_chat_id(params: JsonDict) -> int | str:
    chat_id = params.get("chat_id")
    if chat_id in (None, ""):
        raise TelegramApiError(400, "Bad Request: chat_id is empty")
    return chat_id  # type: ignore[no-any-return]


def _check_inline_keyboard(markup: Any) -> None:
    if not isinstance(markup, dict):
        return
    for row in markup.get("inline_keyboard") or []:
        for button in row:
            data = button.get("callback_data")
            if data is not None and len(str(data).encode("utf-8")) > MAX_CALLBACK_DATA_BYTES:
                raise TelegramApiError(400, "Bad Request: BUTTON_DATA_INVALID")


def _chat(chat_id: int | str) -> JsonDict:
    if isinstance(chat_id, int) and chat_id > 0:
        return {"id": chat_id, "type": "private", "first_name": "Test"}
    if isinstance(chat_id, int):
        return {"id": chat_id, "type": "supergroup", "title": "Test group"}
    return {"id": -1001234567890, "type": "channel", "title": "Test channel", "username": str(chat_id).lstrip("@")}


def _size_of(stored: _StoredFile) -> JsonDict:
    return {"file_id": stored.file_id, "file_unique_id": stored.file_unique_id, "file_size": len(stored.content)}


def _unique_id() -> str:
    return f"AQAD{uuid.uuid4().hex[:12]}"


def _now() -> int:
    return int(time.time())
