"""A real threaded HTTP server on 127.0.0.1 for the fetching tests: feeds, pages and failures.

Each path answers with a `Reply`: a body with a status and headers, optionally an ETag (a matching
If-None-Match gets a 304), a delay before the answer, or a long body streamed without a length.
Every request is logged with its headers, and the most requests in flight at once is counted.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Reply:
    """How one path answers."""

    body: bytes | str = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    etag: str | None = None
    delay: float = 0.0
    stream_bytes: int = 0  # > 0: send this many bytes in chunks, with no Content-Length

    def payload(self) -> bytes:
        """The body as bytes."""
        return self.body.encode("utf-8") if isinstance(self.body, str) else self.body


@dataclass
class Request:
    """One request the server received."""

    path: str
    headers: dict[str, str]
    peer: int = 0  # the client's port: one per connection


class Server:
    """The server: set `routes[path] = Reply(...)`, fetch `url(path)`, read `requests`."""

    def __init__(self) -> None:
        self.routes: dict[str, Reply] = {}
        self.requests: list[Request] = []
        self.in_flight = 0
        self.most_in_flight = 0
        self._lock = threading.Lock()
        self._httpd = _QuietServer(("127.0.0.1", 0), _handler(self))
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def port(self) -> int:
        """The port it listens on."""
        return int(self._httpd.server_address[1])

    def url(self, path: str) -> str:
        """The full URL of a path on this server."""
        return f"http://127.0.0.1:{self.port}{path}"

    def hits(self, path: str) -> int:
        """How many requests asked for a path."""
        return sum(1 for r in self.requests if r.path == path)

    def start(self) -> None:
        """Start serving on a background thread."""
        self._thread.start()

    def stop(self) -> None:
        """Stop serving and close the socket."""
        self._httpd.shutdown()
        self._httpd.server_close()

    def enter(self) -> None:
        """Count a request in flight."""
        with self._lock:
            self.in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self.in_flight)

    def leave(self) -> None:
        """Count a request done."""
        with self._lock:
            self.in_flight -= 1


class _QuietServer(ThreadingHTTPServer):
    """Drops the traceback a client that hangs up early would print; tests check the client."""

    def handle_error(self, request: object, client_address: object) -> None:
        """Ignore connections the client closed or reset."""
        kind = sys.exc_info()[0]
        if kind is None or not issubclass(kind, ConnectionError | TimeoutError):
            super().handle_error(request, client_address)  # type: ignore[arg-type]


def _handler(server: Server) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            """Stay quiet."""

        def do_GET(self) -> None:
            """Answer from the routes."""
            headers = {k.lower(): v for k, v in self.headers.items()}
            server.requests.append(Request(self.path, headers, self.client_address[1]))
            server.enter()
            try:
                self._answer(server.routes.get(self.path, Reply(b"not found", 404)))
            except (BrokenPipeError, ConnectionResetError):
                pass
            finally:
                server.leave()

        def _answer(self, reply: Reply) -> None:
            if reply.delay:
                time.sleep(reply.delay)
            if reply.etag and self.headers.get("If-None-Match") == reply.etag:
                self.send_response(304)
                self.send_header("ETag", reply.etag)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(reply.status)
            for name, value in reply.headers.items():
                self.send_header(name, value)
            if reply.etag:
                self.send_header("ETag", reply.etag)
            if reply.stream_bytes:
                self.send_header("Connection", "close")
                self.end_headers()
                self._stream(reply.stream_bytes)
                return
            body = reply.payload()
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _stream(self, size: int) -> None:
            chunk = b"x" * 65536
            sent = 0
            while sent < size:
                self.wfile.write(chunk)
                sent += len(chunk)
            self.close_connection = True

    return Handler


@contextmanager
def serving() -> Iterator[Server]:
    """A started server, stopped afterwards."""
    server = Server()
    server.start()
    try:
        yield server
    finally:
        server.stop()
