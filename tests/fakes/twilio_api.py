"""A local fake of the part of Twilio's REST API that sends WhatsApp messages and serves inbound media.

Point the real ``twilio`` client at it with ``fake.make_client()``, or by hand::

    client = Client(fake.account_sid, fake.auth_token, environment={})
    client.api.base_url = fake.url        # Domain.absolute_url() joins base_url + "/2010-04-01/..."

(``environment={}`` keeps ``TWILIO_EDGE``/``TWILIO_REGION`` from rewriting the host name; close
``client.http_client.session`` afterwards, it is a pooled ``requests.Session``.)

Implemented:

- ``POST /2010-04-01/Accounts/{AccountSid}/Messages.json`` (form-encoded To, From, Body,
  ContentSid, ContentVariables, MediaUrl (repeatable), StatusCallback, MessagingServiceSid, ...),
  HTTP Basic auth (account sid, auth token) or 401 code 20003; validation with Twilio's codes
  (21604 no To, 21603 no From/MessagingServiceSid, 21619 no Body/ContentSid/MediaUrl, 21211 To not
  E.164, 21910 From/To on different channels, 21656 ContentVariables not a JSON object, 21617 Body
  over 1600 characters); 201 with a Message resource (status "queued", or "accepted" when only a
  MessagingServiceSid is given).
- ``GET /2010-04-01/Accounts/{AccountSid}/Messages/{Sid}.json`` returns a message sent before.
- ``GET <path>`` for media registered with :meth:`FakeTwilioApi.add_media`, Basic auth required;
  with ``media_redirect = True`` it answers 307 to an unauthenticated ``/cdn/...`` URL, as Twilio
  redirects media downloads to its CDN.
- Programmable failures (:meth:`FakeTwilioApi.fail_next`): any status/code/message, ``Retry-After``
  header, or a dropped connection; with ``accept=True`` the message is taken (it is in ``messages``, as
  Twilio would deliver it) and the error comes after, and ``hang`` seconds pass before answering — a
  provider that accepts then answers 500 or times out.

Errors use Twilio's legacy JSON shape ``{"code", "message", "more_info", "status"}``.

Left out: status callbacks (post them to your webhook yourself, see /work/shared/fixtures/twilio),
API-key auth, list/paging/update/delete, subaccounts, Content API, price and segment counting.
"""

from __future__ import annotations

import itertools
import json
import re
import threading
import time
import uuid
from base64 import b64decode
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from http import HTTPStatus
from typing import Any
from urllib.parse import unquote, urlsplit

from twilio.rest import Client

from tests.fakes._http import (
    DROP_CONNECTION,
    FakeHttpServer,
    FormFields,
    HttpRequest,
    HttpResponse,
    _DropConnection,
    json_response,
)

__all__ = ["FakeTwilioApi", "MediaRequest", "SentMessage", "TwilioCall", "TwilioApiError"]

JsonDict = dict[str, Any]

API_VERSION = "2010-04-01"
DEFAULT_ACCOUNT_SID = "AC" + "0123456789abcdef" * 2
DEFAULT_AUTH_TOKEN = "fedcba9876543210" * 2

_CREATE_ROUTE = re.compile(rf"^/{API_VERSION}/Accounts/(?P<account>[^/]+)/Messages\.json$")
_FETCH_ROUTE = re.compile(rf"^/{API_VERSION}/Accounts/(?P<account>[^/]+)/Messages/(?P<sid>[^/]+)\.json$")
_E164 = re.compile(r"^\+[1-9]\d{6,14}$")

MAX_BODY_LENGTH = 1600

_KNOWN_CODES: dict[int, tuple[int, str]] = {
    20003: (401, "Authenticate"),
    20404: (404, "The requested resource was not found"),
    20429: (429, "Too Many Requests"),
    20500: (500, "Internal Server Error"),
    20503: (503, "Service Unavailable"),
    21211: (400, "Invalid 'To' Phone Number"),
    21408: (400, "Permission to send an SMS has not been enabled for the region indicated by the 'To' number"),
    21610: (400, "Attempt to send to unsubscribed recipient"),
    21614: (400, "'To' number is not a valid mobile number"),
    63016: (
        400,
        "Failed to send freeform message because you are outside the allowed window. "
        "If you are using WhatsApp, please use a Message Template.",
    ),
}
_CODE_FOR_STATUS = {401: 20003, 404: 20404, 429: 20429, 500: 20500, 503: 20503}


class TwilioApiError(Exception):
    """Raised inside a handler to answer with Twilio's error JSON."""

    def __init__(self, status: int, code: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}

    def response(self) -> HttpResponse:
        payload = {
            "code": self.code,
            "message": self.message,
            "more_info": f"https://www.twilio.com/docs/errors/{self.code}",
            "status": self.status,
        }
        return json_response(self.status, payload, self.headers)


@dataclass
class TwilioCall:
    """Every request the fake received, recorded on arrival (``status`` set once answered, 0 = dropped)."""

    method: str
    path: str
    form: FormFields
    authorized: bool
    at: float
    status: int | None = None
    wall_at: float = field(default_factory=time.time)
    """``time.time()`` on arrival, to count requests per wall-clock second."""


@dataclass(frozen=True)
class SentMessage:
    """A message the fake accepted (201)."""

    sid: str
    form: FormFields
    """Every form field as sent, each name to all its values."""
    resource: JsonDict
    """The Message resource JSON that was returned."""
    at: float
    """``time.monotonic()`` when the request arrived."""

    def get(self, name: str) -> str | None:
        values = self.form.get(name)
        return values[0] if values else None

    @property
    def fields(self) -> dict[str, str]:
        """Form fields with their first value (MediaUrl: see ``media_urls``)."""
        return {name: values[0] for name, values in self.form.items() if values}

    @property
    def to(self) -> str | None:
        return self.get("To")

    @property
    def from_(self) -> str | None:
        return self.get("From")

    @property
    def body(self) -> str | None:
        return self.get("Body")

    @property
    def content_sid(self) -> str | None:
        return self.get("ContentSid")

    @property
    def content_variables(self) -> JsonDict | None:
        raw = self.get("ContentVariables")
        return json.loads(raw) if raw else None

    @property
    def media_urls(self) -> list[str]:
        return list(self.form.get("MediaUrl", []))

    @property
    def status_callback(self) -> str | None:
        return self.get("StatusCallback")


@dataclass(frozen=True)
class MediaRequest:
    path: str
    authorized: bool
    status: int
    at: float


@dataclass
class _Media:
    content: bytes
    content_type: str


@dataclass
class _Failure:
    status: int
    code: int
    message: str
    retry_after: int | None
    disconnect: bool
    endpoint: str
    remaining: int
    accept: bool = False
    hang: float = 0.0

    def response(self) -> HttpResponse | _DropConnection:
        if self.disconnect:
            return DROP_CONNECTION
        headers = {"Retry-After": str(self.retry_after)} if self.retry_after is not None else None
        return TwilioApiError(self.status, self.code, self.message, headers).response()


class FakeTwilioApi(FakeHttpServer):
    """The fake Twilio server. Thread-safe; read ``messages``, ``calls`` and ``media_requests`` from tests."""

    def __init__(self, account_sid: str = DEFAULT_ACCOUNT_SID, auth_token: str = DEFAULT_AUTH_TOKEN) -> None:
        super().__init__()
        self.account_sid = account_sid
        self.auth_token = auth_token
        self.media_redirect = False
        """When true, an authorized media GET answers 307 to an unauthenticated ``/cdn/<id>`` URL."""
        self.calls: list[TwilioCall] = []
        self.messages: list[SentMessage] = []
        self.media_requests: list[MediaRequest] = []
        self._lock = threading.RLock()
        self._failures: list[_Failure] = []
        self._media: dict[str, _Media] = {}
        self._cdn: dict[str, _Media] = {}
        self._media_numbers = itertools.count(1)

    # -- test-facing API -----------------------------------------------------------------------

    def make_client(self) -> Client:
        """A real ``twilio.rest.Client`` aimed at this fake. Close ``client.http_client.session`` when done."""
        client = Client(self.account_sid, self.auth_token, environment={})
        client.api.base_url = self.url
        return client

    def add_media(self, path: str, content: bytes, content_type: str = "image/jpeg") -> str:
        """Serve ``content`` at ``path`` (a path, or a full URL whose path is used); returns the full URL."""
        path = urlsplit(path).path if "://" in path else path
        with self._lock:
            self._media[path] = _Media(content, content_type)
        return f"{self.url}{path}"

    def media_path(self, message_sid: str | None = None, media_sid: str | None = None) -> str:
        """A media path shaped like Twilio's: ``/2010-04-01/Accounts/AC…/Messages/MM…/Media/ME…``."""
        message_sid = message_sid or _sid("MM")
        media_sid = media_sid or _sid("ME")
        return f"/{API_VERSION}/Accounts/{self.account_sid}/Messages/{message_sid}/Media/{media_sid}"

    def fail_next(
        self,
        status: int | None = None,
        code: int | None = None,
        message: str | None = None,
        retry_after: int | None = None,
        times: int = 1,
        *,
        disconnect: bool = False,
        endpoint: str = "messages",
        accept: bool = False,
        hang: float = 0.0,
    ) -> None:
        """Answer the next ``times`` authorized requests to ``endpoint`` ("messages", "media" or "any") with an error.

        ``accept=True``: a valid new message is taken first (Twilio will deliver it), then the error answers —
        the ambiguous case. ``hang``: wait that many seconds before answering (past a client's timeout).

        Missing values are filled in from each other: ``fail_next(429)`` → code 20429 "Too Many
        Requests" with ``Retry-After: 1``; ``fail_next(code=63016)`` → 400 with Twilio's
        outside-the-window message; ``fail_next(500)`` → 20500; no arguments → 500.
        """
        if status is None:
            status = _KNOWN_CODES[code][0] if code in _KNOWN_CODES else (400 if code else 500)
        if code is None:
            code = _CODE_FOR_STATUS.get(status, status)
        if message is None:
            message = _KNOWN_CODES[code][1] if code in _KNOWN_CODES else HTTPStatus(status).phrase
        if status == 429 and retry_after is None:
            retry_after = 1
        with self._lock:
            self._failures.append(_Failure(status, code, message, retry_after, disconnect, endpoint, times, accept, hang))

    def messages_to(self, to: str) -> list[SentMessage]:
        with self._lock:
            return [m for m in self.messages if m.to == to]

    # -- dispatch ------------------------------------------------------------------------------

    def handle(self, request: HttpRequest) -> HttpResponse | _DropConnection:
        path = unquote(request.path)
        if path.startswith("/cdn/"):
            return self._serve_cdn(path)
        form, _ = request.form() if request.method == "POST" else (request.query, {})
        authorized = self._authorized(request)
        call = TwilioCall(request.method, path, form, authorized, at=time.monotonic())
        with self._lock:
            self.calls.append(call)
        response = self._route(request.method, path, form, authorized, call.at)
        call.status = 0 if isinstance(response, _DropConnection) else response.status
        return response

    def _route(
        self, method: str, path: str, form: FormFields, authorized: bool, at: float
    ) -> HttpResponse | _DropConnection:
        with self._lock:
            is_media = path in self._media
        if is_media and method == "GET":
            return self._serve_media(path, authorized, at)
        create = _CREATE_ROUTE.match(path) if method == "POST" else None
        fetch = _FETCH_ROUTE.match(path) if method == "GET" else None
        match = create or fetch
        if match is None:
            return _not_found(path).response()
        if not authorized:
            return _unauthorized().response()
        if match["account"] != self.account_sid:
            return _not_found(path).response()
        if failure := self._take_failure("messages"):
            if failure.accept and create:
                try:
                    self._create_message(form, at)
                except TwilioApiError as error:
                    return error.response()
            self._sleep(failure.hang)
            return failure.response()
        try:
            if create:
                return json_response(201, self._create_message(form, at))
            return json_response(200, self._fetch_message(match["sid"], path))
        except TwilioApiError as error:
            return error.response()

    def _authorized(self, request: HttpRequest) -> bool:
        header = request.headers.get("Authorization") or ""
        scheme, _, encoded = header.partition(" ")
        if scheme.lower() != "basic":
            return False
        try:
            user, _, password = b64decode(encoded).decode("utf-8").partition(":")
        except ValueError:
            return False
        return (user, password) == (self.account_sid, self.auth_token)

    def _take_failure(self, endpoint: str) -> _Failure | None:
        with self._lock:
            for failure in self._failures:
                if failure.endpoint in ("any", endpoint):
                    failure.remaining -= 1
                    if failure.remaining <= 0:
                        self._failures.remove(failure)
                    return failure
        return None

    # -- messages ------------------------------------------------------------------------------

    def _create_message(self, form: FormFields, at: float) -> JsonDict:
        fields = {name: values[0] for name, values in form.items() if values}
        _validate(fields, form.get("MediaUrl", []))
        sid = _sid("SM")
        resource = self._resource(sid, fields, len(form.get("MediaUrl", [])))
        with self._lock:
            self.messages.append(SentMessage(sid, {k: list(v) for k, v in form.items()}, resource, at))
        return resource

    def _fetch_message(self, sid: str, path: str) -> JsonDict:
        with self._lock:
            found = next((m for m in self.messages if m.sid == sid), None)
        if found is None:
            raise _not_found(path)
        return found.resource

    def _resource(self, sid: str, fields: dict[str, str], num_media: int) -> JsonDict:
        now = format_datetime(datetime.now(UTC))
        base = f"/{API_VERSION}/Accounts/{self.account_sid}/Messages/{sid}"
        from_ = fields.get("From")
        return {
            "account_sid": self.account_sid,
            "api_version": API_VERSION,
            "body": fields.get("Body", ""),
            "date_created": now,
            "date_sent": None,
            "date_updated": now,
            "direction": "outbound-api",
            "error_code": None,
            "error_message": None,
            "from": from_,
            "messaging_service_sid": fields.get("MessagingServiceSid"),
            "num_media": str(num_media),
            "num_segments": "1",
            "price": None,
            "price_unit": "USD",
            "sid": sid,
            "status": "queued" if from_ else "accepted",
            "subresource_uris": {"media": f"{base}/Media.json", "feedback": f"{base}/Feedback.json"},
            "to": fields.get("To"),
            "uri": f"{base}.json",
        }

    # -- media ---------------------------------------------------------------------------------

    def _serve_media(self, path: str, authorized: bool, at: float) -> HttpResponse | _DropConnection:
        response = self._media_response(path, authorized)
        status = 0 if isinstance(response, _DropConnection) else response.status
        with self._lock:
            self.media_requests.append(MediaRequest(path, authorized, status, at))
        return response

    def _media_response(self, path: str, authorized: bool) -> HttpResponse | _DropConnection:
        if not authorized:
            return _unauthorized().response()
        if failure := self._take_failure("media"):
            return failure.response()
        with self._lock:
            media = self._media[path]
            if self.media_redirect:
                token = f"{next(self._media_numbers)}-{uuid.uuid4().hex}"
                self._cdn[token] = media
                return HttpResponse(307, b"", {"Location": f"{self.url}/cdn/{token}"})
        return HttpResponse(200, media.content, {"Content-Type": media.content_type})

    def _serve_cdn(self, path: str) -> HttpResponse:
        with self._lock:
            media = self._cdn.get(path.removeprefix("/cdn/"))
        if media is None:
            return HttpResponse(404, b"Not Found", {"Content-Type": "text/plain"})
        return HttpResponse(200, media.content, {"Content-Type": media.content_type})


# -- module helpers ------------------------------------------------------------------------------


def _validate(fields: dict[str, str], media_urls: list[str]) -> None:
    """Twilio's checks on a create-message request, in its order."""
    to, from_ = fields.get("To", ""), fields.get("From", "")
    if not to:
        raise TwilioApiError(400, 21604, "A 'To' phone number is required.")
    if not from_ and not fields.get("MessagingServiceSid"):
        raise TwilioApiError(400, 21603, "A 'From' phone number is required.")
    if not fields.get("Body") and not fields.get("ContentSid") and not media_urls:
        raise TwilioApiError(400, 21619, "A text message body or media urls must be specified.")
    if not _E164.match(to.removeprefix("whatsapp:")):
        raise TwilioApiError(400, 21211, f"Invalid 'To' Phone Number: {to}")
    if from_ and to.startswith("whatsapp:") != from_.startswith("whatsapp:"):
        raise TwilioApiError(400, 21910, "Invalid From and To pair. From and To should be of the same channel")
    if "ContentVariables" in fields and not _is_json_object(fields["ContentVariables"]):
        raise TwilioApiError(400, 21656, "The ContentVariables Parameter is invalid.")
    if len(fields.get("Body", "")) > MAX_BODY_LENGTH:
        raise TwilioApiError(400, 21617, "The concatenated message body exceeds the 1600 character limit.")


def _is_json_object(raw: str) -> bool:
    try:
        return isinstance(json.loads(raw), dict)
    except ValueError:
        return False


def _unauthorized() -> TwilioApiError:
    return TwilioApiError(401, 20003, "Authenticate", {"WWW-Authenticate": 'Basic realm="Twilio API"'})


def _not_found(path: str) -> TwilioApiError:
    return TwilioApiError(404, 20404, f"The requested resource {path} was not found")


def _sid(prefix: str) -> str:
    return prefix + uuid.uuid4().hex
