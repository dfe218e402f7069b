"""python-telegram-bot's HTTP transport on aiohttp instead of httpx.

PTB lets the transport be swapped (``telegram.request.BaseRequest``); the ``Bot`` and its methods, errors and
retry semantics stay PTB's. Measured with ``FakeTelegramApi`` (``benchmarks``): a ``sendMessage`` cost the
sending thread about 1.2 ms of CPU through httpx and 0.5 ms through aiohttp — under load, sending replies was a
quarter of the service's CPU. aiohttp is already installed (Twilio's async client depends on it).

Errors are PTB's, with the aiohttp error as their cause. A request that never left (connection refused,
unreachable, a connect timeout) raises ``NotSent``, so ``bot.delivery.may_have_arrived`` tells it from one that
may have reached Telegram. aiohttp itself (a tenth of a second to import) is loaded at the first request, not
while ``kawal serve`` starts.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

if TYPE_CHECKING:
    import aiohttp

DEFAULT_READ_SECONDS = 5.0
DEFAULT_CONNECT_SECONDS = 5.0
DEFAULT_WRITE_SECONDS = 5.0
MEDIA_WRITE_SECONDS = 20.0


class NotSent(NetworkError):
    """The request never reached Telegram: retrying it cannot make a duplicate."""


class AiohttpRequest(BaseRequest):
    """One pool of ``connections`` keep-alive connections to the Bot API, made in the event loop that first uses it."""

    def __init__(
        self, *, connections: int, read_timeout: float = DEFAULT_READ_SECONDS, connect_timeout: float = DEFAULT_CONNECT_SECONDS
    ) -> None:
        self._connections = connections
        self._read_timeout = read_timeout
        self._connect_timeout = connect_timeout
        self._session: aiohttp.ClientSession | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    @property
    def read_timeout(self) -> float | None:
        return self._read_timeout

    async def initialize(self) -> None:
        self._session_for_this_loop()

    async def shutdown(self) -> None:
        if self._session is not None and self._loop is asyncio.get_running_loop():
            await self._session.close()
        self._session, self._loop = None, None

    def _session_for_this_loop(self) -> aiohttp.ClientSession:
        """The session, made anew when used from another event loop (a session belongs to the loop it was made in)."""
        import aiohttp

        loop = asyncio.get_running_loop()
        if self._session is None or self._session.closed or self._loop is not loop:
            connector = aiohttp.TCPConnector(limit=self._connections, ttl_dns_cache=300)
            self._session = aiohttp.ClientSession(connector=connector, headers={"User-Agent": self.USER_AGENT})
            self._loop = loop
        return self._session

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = BaseRequest.DEFAULT_NONE,
        write_timeout: Any = BaseRequest.DEFAULT_NONE,
        connect_timeout: Any = BaseRequest.DEFAULT_NONE,
        pool_timeout: Any = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        import aiohttp

        files = request_data.multipart_data if request_data else None
        fields = request_data.json_parameters if request_data else None
        read = self._read_timeout if read_timeout is BaseRequest.DEFAULT_NONE else read_timeout
        connect = self._connect_timeout if connect_timeout is BaseRequest.DEFAULT_NONE else connect_timeout
        if write_timeout is BaseRequest.DEFAULT_NONE:
            write_timeout = MEDIA_WRITE_SECONDS if files else DEFAULT_WRITE_SECONDS
        # aiohttp has no write timeout of its own: the request as a whole may take the write and read time
        total = None if read is None or write_timeout is None else read + write_timeout + (connect or 0)  # None: no limit
        timeout = aiohttp.ClientTimeout(total=total, sock_connect=connect, sock_read=read)
        try:
            async with self._session_for_this_loop().request(
                method, url, data=_body(fields, files), timeout=timeout
            ) as response:
                return response.status, await response.read()
        except (aiohttp.ClientConnectorError, aiohttp.ConnectionTimeoutError) as error:
            raise NotSent(f"aiohttp.{type(error).__name__}: {error}") from error
        except (TimeoutError, aiohttp.ServerTimeoutError) as error:
            raise TimedOut from error
        except aiohttp.ClientError as error:
            raise NetworkError(f"aiohttp.{type(error).__name__}: {error}") from error


def _body(fields: dict[str, str] | None, files: dict[str, Any] | None) -> aiohttp.FormData | dict[str, str] | None:
    """Form fields, URL-encoded as PTB sends them; multipart when files go along (``(filename, content, mime)``)."""
    if not files:
        return fields
    import aiohttp

    form = aiohttp.FormData()
    for name, value in (fields or {}).items():
        form.add_field(name, value)
    for name, (filename, content, mime_type) in files.items():
        form.add_field(name, content, filename=filename or name, content_type=mime_type)
    return form
