"""A small threaded HTTP server that the provider fakes build on.

It implements just what the fakes need and nothing more:

- a ``ThreadingHTTPServer`` on 127.0.0.1 with a free port, serving HTTP/1.1 with
  keep-alive from a background thread (one thread per connection, so a long poll
  does not block other requests);
- request parsing: query string, ``application/x-www-form-urlencoded``,
  ``multipart/form-data`` (file parts become :class:`UploadedFile`) and JSON bodies,
  plus ``Transfer-Encoding: chunked`` request bodies;
- an optional delay before every response (``delay`` seconds) and dropping a
  connection without answering (return :data:`DROP_CONNECTION` from ``handle``);
- clean shutdown: ``stop()`` wakes waiting handlers, closes idle keep-alive
  connections, joins every handler thread and closes every socket, so nothing
  leaks a ``ResourceWarning``.

Left out: TLS, HTTP/2, ``Expect: 100-continue``, request size limits.
"""

from __future__ import annotations

import json
import socket
import sys
import threading
from dataclasses import dataclass, field
from email.message import Message
from http.client import HTTPMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Final, Self
from urllib.parse import parse_qs, urlsplit

FormFields = dict[str, list[str]]


@dataclass(frozen=True)
class UploadedFile:
    """One file part of a multipart body."""

    filename: str | None
    content_type: str
    content: bytes

    @property
    def size(self) -> int:
        return len(self.content)


@dataclass
class HttpRequest:
    """A parsed request as the fakes see it."""

    method: str
    path: str
    query: FormFields
    headers: HTTPMessage
    body: bytes

    @property
    def content_type(self) -> str:
        return (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()

    def json(self) -> Any:
        return json.loads(self.body or b"null")

    def form(self) -> tuple[FormFields, dict[str, UploadedFile]]:
        """Fields (each name to all its values) and file parts of a form body, merged over the query."""
        fields: FormFields = {name: list(values) for name, values in self.query.items()}
        files: dict[str, UploadedFile] = {}
        if self.content_type == "application/x-www-form-urlencoded":
            _merge(fields, parse_qs(self.body.decode("utf-8"), keep_blank_values=True))
        elif self.content_type == "multipart/form-data":
            part_fields, files = parse_multipart(self.headers.get("Content-Type") or "", self.body)
            _merge(fields, part_fields)
        return fields, files


@dataclass
class HttpResponse:
    """What a fake answers; ``json_response`` builds the usual case."""

    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


class _DropConnection:
    def __repr__(self) -> str:
        return "DROP_CONNECTION"


DROP_CONNECTION: Final = _DropConnection()
"""Return this from ``FakeHttpServer.handle`` to close the socket without any response."""


def json_response(status: int, payload: Any, headers: dict[str, str] | None = None) -> HttpResponse:
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    return HttpResponse(status, body, {"Content-Type": "application/json", **(headers or {})})


def _merge(into: FormFields, extra: FormFields) -> None:
    for name, values in extra.items():
        into.setdefault(name, []).extend(values)


def parse_multipart(content_type: str, body: bytes) -> tuple[FormFields, dict[str, UploadedFile]]:
    """Split a ``multipart/form-data`` body into text fields and file parts (exact bytes, no re-encoding)."""
    boundary = _header_param("Content-Type", content_type, "boundary")
    if not boundary:
        return {}, {}
    fields: FormFields = {}
    files: dict[str, UploadedFile] = {}
    for chunk in body.split(b"--" + boundary.encode("latin-1"))[1:]:
        if chunk.startswith(b"--"):
            break
        head, _, content = chunk.removeprefix(b"\r\n").partition(b"\r\n\r\n")
        content = content.removesuffix(b"\r\n")
        headers = _part_headers(head)
        disposition = headers.get("content-disposition", "")
        name = _header_param("Content-Disposition", disposition, "name")
        if name is None:
            continue
        filename = _header_param("Content-Disposition", disposition, "filename")
        if filename is None:
            fields.setdefault(name, []).append(content.decode("utf-8"))
        else:
            part_type = headers.get("content-type", "application/octet-stream")
            files[name] = UploadedFile(filename, part_type, content)
    return fields, files


def _part_headers(head: bytes) -> dict[str, str]:
    headers: dict[str, str] = {}
    for line in head.decode("utf-8").split("\r\n"):
        name, sep, value = line.partition(":")
        if sep:
            headers[name.strip().lower()] = value.strip()
    return headers


def _header_param(header: str, value: str, param: str) -> str | None:
    message = Message()
    message[header] = value
    result = message.get_param(param, header=header)
    if result is None or isinstance(result, str):
        return result
    return str(result[2])  # RFC 2231 triple (charset, language, value)


class FakeHttpServer:
    """Base class: subclasses implement :meth:`handle`; use as a context manager or start()/stop()."""

    #: idle keep-alive connections are closed after this many seconds (a backstop; stop() closes them anyway)
    idle_timeout: float = 15.0

    def __init__(self) -> None:
        self.delay: float = 0.0
        """Seconds to wait before answering every request (interrupted by stop())."""
        self.errors: list[BaseException] = []
        """Exceptions raised inside ``handle`` (each was answered with a 500)."""
        self._stopping = threading.Event()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ---------------------------------------------------------------------------

    @property
    def url(self) -> str:
        """``http://127.0.0.1:<port>``, without a trailing slash."""
        if self._server is None:
            raise RuntimeError(f"{type(self).__name__} is not running; use start() or a with block")
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> Self:
        if self._server is not None:
            return self
        self._stopping.clear()
        self._server = _Server(self)
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"{type(self).__name__}-server",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        server, thread = self._server, self._thread
        if server is None or thread is None:
            return
        self._stopping.set()
        self.wake_waiters()
        server.shutdown()
        server.close_open_connections()
        server.server_close()  # joins the handler threads
        thread.join()
        self._server = self._thread = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def stopping(self) -> bool:
        return self._stopping.is_set()

    # -- for subclasses ----------------------------------------------------------------------

    def handle(self, request: HttpRequest) -> HttpResponse | _DropConnection:
        raise NotImplementedError

    def wake_waiters(self) -> None:
        """Called by stop() before closing connections: release any request waiting (long polls)."""

    def _sleep(self, seconds: float) -> None:
        if seconds > 0:
            self._stopping.wait(seconds)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = True

    def __init__(self, fake: FakeHttpServer) -> None:
        self.fake = fake
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        super().__init__(("127.0.0.1", 0), _Handler)

    def track(self, connection: socket.socket, *, open_: bool) -> None:
        with self._connections_lock:
            if open_:
                self._connections.add(connection)
            else:
                self._connections.discard(connection)

    def close_open_connections(self) -> None:
        with self._connections_lock:
            connections = list(self._connections)
        for connection in connections:
            _shutdown_quietly(connection)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # Clients hanging up (reset, broken pipe) are normal here; anything else is a bug in a fake.
        error = sys.exc_info()[1]
        if error is not None and not isinstance(error, OSError):
            self.fake.errors.append(error)


def _shutdown_quietly(connection: socket.socket) -> None:
    try:
        connection.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def setup(self) -> None:
        self.timeout = self.server.fake.idle_timeout
        super().setup()
        self.server.track(self.connection, open_=True)

    def finish(self) -> None:
        self.server.track(self.connection, open_=False)
        try:
            super().finish()
        except OSError:
            pass

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - signature from the base class
        pass

    def do_GET(self) -> None:
        self._dispatch()

    def do_POST(self) -> None:
        self._dispatch()

    def do_PUT(self) -> None:
        self._dispatch()

    def do_DELETE(self) -> None:
        self._dispatch()

    def _dispatch(self) -> None:
        fake = self.server.fake
        request = self._read_request()
        fake._sleep(fake.delay)
        try:
            result = fake.handle(request)
        except Exception as exc:  # a bug in a fake: answer 500 and keep it for the test to see
            fake.errors.append(exc)
            result = json_response(500, {"ok": False, "error_code": 500, "description": f"fake server error: {exc!r}"})
        if isinstance(result, _DropConnection):
            self.close_connection = True
            _shutdown_quietly(self.connection)
            return
        self._write(result)

    def _read_request(self) -> HttpRequest:
        split = urlsplit(self.path)
        return HttpRequest(
            method=self.command,
            path=split.path,
            query=parse_qs(split.query, keep_blank_values=True),
            headers=self.headers,
            body=self._read_body(),
        )

    def _read_body(self) -> bytes:
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            return self._read_chunked()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _read_chunked(self) -> bytes:
        chunks: list[bytes] = []
        while True:
            size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
            if size == 0:
                while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                    pass  # trailers
                return b"".join(chunks)
            chunks.append(self.rfile.read(size))
            self.rfile.readline()

    def _write(self, response: HttpResponse) -> None:
        try:
            self.send_response(response.status)
            for name, value in response.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(response.body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(response.body)
        except OSError:
            self.close_connection = True  # the client went away (e.g. it timed out a long poll)
