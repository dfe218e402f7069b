"""WhatsApp through Twilio: webhook forms in, messages out by the REST API (the ``twilio`` package).

Inbound: Twilio POSTs form fields (``From=whatsapp:+62…``, ``Body``, ``MessageSid``,
``ButtonPayload``, ``MediaUrl0``/``MediaContentType0``, ``Latitude``/``Longitude``).
Each request carries ``X-Twilio-Signature``, checked against the public URL the
service is known by (``KAWAL_PUBLIC_BASE_URL`` + path), never against the URL a
reverse proxy hands us.

Outbound: options become a numbered list the person answers with a number.
Outside the 24-hour window only an approved content template may be sent
(``ContentSid`` + ``ContentVariables``). The REST root is configuration
(``KAWAL_TWILIO_API_URL``) so tests run the real client against a local fake.
"""

from __future__ import annotations

import base64
import json
import logging
from collections.abc import Mapping, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

import aiohttp
from multidict import CIMultiDictProxy
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.http import AsyncHttpClient
from twilio.http.response import Response
from twilio.request_validator import RequestValidator
from twilio.rest import Client

from app.people.phones import normalize_phone
from bot.cleaning import clean_text
from bot.delivery import PermanentFailure, TransientFailure
from bot.envelope import Envelope
from bot.text import split_text
from conversations.types import Inbound, InboundKind

CHANNEL = "whatsapp"
BODY_LIMIT = 1600  # Twilio's limit for one WhatsApp body
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'
# Twilio error codes that mean the number cannot get WhatsApp messages from us at all
UNREACHABLE_CODES = {21211, 21614, 63003, 63024}
TIMEOUT_SECONDS, CONNECT_SECONDS = 15.0, 5.0  # a whole request; of it, connecting
_RESPONSE_HEADERS: ContextVar[CIMultiDictProxy[str] | None] = ContextVar("twilio_response_headers", default=None)


@dataclass(frozen=True)
class IncomingMedia:
    url: str
    content_type: str


@dataclass(frozen=True)
class Incoming:
    envelope: Envelope
    media: tuple[IncomingMedia, ...] = ()


def signature_is_valid(auth_token: str, url: str, params: Mapping[str, str], signature: str) -> bool:
    if not signature or not auth_token:
        return False
    return bool(RequestValidator(auth_token).validate(url, dict(params), signature))


def parse_form(form: Mapping[str, str]) -> Incoming | None:
    """A webhook's form fields → ``Incoming``; None when it is not a WhatsApp message from a person.

    Values are cleaned first (``bot.cleaning``): a NUL byte in ``Body`` would not reach the database."""
    form = {clean_text(key): clean_text(value) for key, value in form.items()}
    sender = normalize_phone(form.get("From", ""))
    message_sid = form.get("MessageSid", "")
    if sender is None or not message_sid:
        return None
    media = tuple(
        IncomingMedia(form[f"MediaUrl{i}"], form.get(f"MediaContentType{i}", ""))
        for i in range(_int(form.get("NumMedia")))
        if form.get(f"MediaUrl{i}")
    )
    envelope = Envelope(
        CHANNEL, message_sid, sender, _inbound(form, media), phone=sender, display_name=form.get("ProfileName", ""),
        payload=dict(form),
    )
    return Incoming(envelope, media)


def _inbound(form: Mapping[str, str], media: tuple[IncomingMedia, ...]) -> Inbound:
    body = form.get("Body", "")
    if form.get("ButtonPayload"):
        return Inbound.option_(form["ButtonPayload"])
    if media:
        kind = media[0].content_type
        if kind.startswith("image/"):
            return Inbound(kind=InboundKind.PHOTO, text=body)
        if kind.startswith("audio/"):
            return Inbound(kind=InboundKind.VOICE, text=body)
        return Inbound(kind=InboundKind.UNSUPPORTED, unsupported=kind.split("/")[0] or "media")
    if form.get("Latitude") and form.get("Longitude"):
        try:
            return Inbound(kind=InboundKind.LOCATION, latitude=float(form["Latitude"]), longitude=float(form["Longitude"]))
        except ValueError:
            return Inbound(kind=InboundKind.UNSUPPORTED, unsupported="location")
    return Inbound.text_(body)  # "DAFTAR <code>" is read by the pipeline, only when shaped like a real code


def _int(value: str | None) -> int:
    try:
        return max(0, min(int(value or 0), 10))
    except ValueError:
        return 0


def render_text(body: Mapping[str, Any]) -> str:
    """The text with its options as a numbered list: WhatsApp has no free-form buttons."""
    lines = [body.get("text", "")]
    options = body.get("options", [])
    if options:
        lines.append("")
        lines += [f"{number}. {option['label']}" for number, option in enumerate(options, start=1)]
    return "\n".join(lines).strip()


class _AsyncHttp(AsyncHttpClient):
    """Twilio's asynchronous HTTP client on one pooled aiohttp session (made in the event loop, at the first
    request), with a real time limit; each response's headers are kept for the task that asked (``Retry-After``
    after a 429)."""

    def __init__(self) -> None:
        super().__init__(logging.getLogger("twilio.http_client"), is_async=True, timeout=TIMEOUT_SECONDS)
        self.session: aiohttp.ClientSession | None = None

    async def request(  # Twilio's own signature: all the keywords it passes
        self, method: str, url: str, params: Mapping[str, Any] | None = None, data: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None, auth: tuple[str, str] | None = None, timeout: float | None = None,
        allow_redirects: bool = False,
    ) -> Response:  # fmt: skip
        if self.session is None:
            self.session = aiohttp.ClientSession()
        limit = aiohttp.ClientTimeout(total=timeout or self.timeout, sock_connect=CONNECT_SECONDS)
        fields = [(key, item) for key, value in (data or {}).items() for item in (value if isinstance(value, list) else [value])]
        headers = dict(headers or {})
        if auth:
            headers["Authorization"] = "Basic " + base64.b64encode(":".join(auth).encode()).decode()
        async with self.session.request(
            method.upper(), url, params=params, data=fields or None, headers=headers, allow_redirects=allow_redirects,
            timeout=limit,
        ) as response:
            text = await response.text()
            _RESPONSE_HEADERS.set(response.headers)
            return Response(response.status, text, response.headers)

    async def close(self) -> None:
        if self.session is not None:
            await self.session.close()


class WhatsAppSender:
    """Sends one outbox body through Twilio's client, asynchronously: no thread per send."""

    def __init__(self, account_sid: str, auth_token: str, sender: str, api_url: str, status_callback: str = "") -> None:
        self.http = _AsyncHttp()
        self._credentials = (account_sid, auth_token, api_url)
        self._client: Client | None = None
        self.sender = sender
        self.status_callback = status_callback

    @property
    def client(self) -> Client:
        """Twilio's client, made at the first send: it loads Twilio's whole API module, a tenth of a second that
        ``kawal serve`` need not spend before it is ready."""
        if self._client is None:
            account_sid, auth_token, api_url = self._credentials
            # environment={}: TWILIO_EDGE / TWILIO_REGION must not rewrite the configured API root
            client = Client(account_sid, auth_token, http_client=self.http, environment={})
            client.api.base_url = api_url
            self._client = client
        return self._client

    async def close(self) -> None:
        await self.http.close()

    async def send(self, address: str, body: Mapping[str, Any], *, template: str = "", media_urls: Sequence[str] = ()) -> str:
        """The text (split at Twilio's limit), then each attachment as its own message from a public ``media_urls`` link.
        Outside the 24-hour window only the ``template`` goes."""
        try:
            if template:
                return await self._create(address, content_sid=template, content_variables=json.dumps(body.get("variables", {})))
            sid = ""
            for chunk in split_text(render_text(body), BODY_LIMIT) or [""]:
                sid = await self._create(address, body=chunk or "…")
            for url in media_urls:
                sid = await self._create(address, media_url=[url])
            return sid
        except TwilioRestException as error:
            raise self._classify(error) from error
        except (aiohttp.ClientConnectorError, aiohttp.ConnectionTimeoutError) as error:  # the request never left
            raise TransientFailure(f"Twilio network error, not reached: {type(error).__name__}: {error}", ambiguous=False) from error
        except (TwilioException, aiohttp.ClientError, TimeoutError) as error:
            raise TransientFailure(f"Twilio network error: {type(error).__name__}: {error}") from error

    async def _create(self, address: str, **fields: Any) -> str:
        if self.status_callback:
            fields["status_callback"] = self.status_callback
        message = await self.client.messages.create_async(to=f"whatsapp:{address}", from_=self.sender, **fields)
        return str(message.sid)

    def _classify(self, error: TwilioRestException) -> TransientFailure | PermanentFailure:
        reason = f"Twilio {error.status} ({error.code}): {error.msg}"
        if error.status == 429:
            headers = _RESPONSE_HEADERS.get()
            retry = headers.get("Retry-After") if headers is not None else None  # the headers are case-insensitive
            return TransientFailure(reason, retry_after=float(retry) if retry and retry.isdigit() else None)
        if error.status >= 500:
            return TransientFailure(reason)
        return PermanentFailure(reason, unreachable=error.code in UNREACHABLE_CODES)
