"""Fetching a WhatsApp photo or voice note from Twilio, and from nowhere else.

A ``MediaUrl`` arrives in a (signed) webhook, but our account credentials go with
the request, so it is fetched only from Twilio's media hosts: ``https`` on
``api.twilio.com``, ``*.twilio.com`` or ``*.twiliocdn.com``, or the host of the
configured ``KAWAL_TWILIO_API_URL`` (a regional edge, or the local fake in tests).
Twilio answers with a redirect to its CDN; redirects are followed by hand, only to
those hosts, and without the credentials.
"""

from __future__ import annotations

from urllib.parse import SplitResult, urljoin, urlsplit

import httpx

from app.media import MediaTooLarge

TWILIO_HOST_SUFFIXES = (".twilio.com", ".twiliocdn.com")
MAX_REDIRECTS = 5


class MediaRefused(Exception):
    """The link is not a Twilio media link (or not a link at all): it is not fetched."""


def _origin(url: str) -> tuple[str, str, int | None]:
    """``("https", "api.twilio.com", 443)``; ``ValueError`` for what is not a URL (``http://[::1``)."""
    parts: SplitResult = urlsplit(url)
    host = (parts.hostname or "").lower()
    port = parts.port or {"https": 443, "http": 80}.get(parts.scheme.lower())
    if not host:
        raise ValueError("no host")
    return parts.scheme.lower(), host, port


def is_twilio_media_url(url: str, api_url: str) -> bool:
    """Whether ``url`` is on one of Twilio's media hosts or the configured API host (scheme and port included)."""
    try:
        scheme, host, port = _origin(url)
    except ValueError:
        return False
    if scheme == "https" and port == 443 and (host == "api.twilio.com" or host.endswith(TWILIO_HOST_SUFFIXES)):
        return True
    try:
        return (scheme, host, port) == _origin(api_url)
    except ValueError:
        return False


async def download_twilio_media(url: str, *, auth: tuple[str, str], api_url: str, limit: int) -> bytes:
    """The file's bytes. ``MediaRefused`` for a link off Twilio's hosts (first or after a redirect),
    ``MediaTooLarge`` over ``limit`` bytes, ``httpx.HTTPError`` when Twilio does not give it."""
    async with httpx.AsyncClient(follow_redirects=False, timeout=30) as client:
        credentials: tuple[str, str] | None = auth
        for _ in range(MAX_REDIRECTS + 1):
            if not is_twilio_media_url(url, api_url):
                raise MediaRefused("not a Twilio media link")
            async with client.stream("GET", url, auth=credentials) as response:
                if response.is_redirect:
                    try:
                        url = urljoin(url, response.headers.get("Location", ""))
                    except ValueError as error:
                        raise MediaRefused("a redirect that is not a link") from error
                    credentials = None  # the CDN link is signed by itself; the account secret stays with the API
                    continue
                response.raise_for_status()
                return await _read(response, limit)
        raise MediaRefused("too many redirects")


async def _read(response: httpx.Response, limit: int) -> bytes:
    chunks = []
    size = 0
    async for chunk in response.aiter_bytes():
        size += len(chunk)
        if size > limit:
            raise MediaTooLarge(f"more than {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)
