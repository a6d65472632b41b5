"""The sockets under the HTTP client: each request's deadline and its pinned addresses.

httpx's own timeouts bound each read, so a server that drips one byte a second never trips
them. Here every connect, TLS handshake, read and write of a request gets only the time left
before that request's deadline. And the connection goes to the addresses the fetcher resolved
and checked (`pin`), not to whatever a second lookup of the name would answer.
"""

from __future__ import annotations

import contextvars
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import httpcore
from httpcore._backends.sync import SyncBackend


@dataclass(frozen=True)
class Call:
    """One request: when it must be over (monotonic seconds) and host → addresses to use."""

    deadline: float
    pins: dict[str, tuple[str, ...]] = field(default_factory=dict)


_CALL: contextvars.ContextVar[Call | None] = contextvars.ContextVar("digest_call", default=None)


@contextmanager
def pinned(call: Call) -> Iterator[None]:
    """Make `call` the deadline and pins of the requests made inside the block."""
    token = _CALL.set(call)
    try:
        yield
    finally:
        _CALL.reset(token)


def _left(timeout: float | None, connecting: bool = False) -> float | None:
    call = _CALL.get()
    if call is None:
        return timeout
    left = call.deadline - time.monotonic()
    if left <= 0:
        raise httpcore.ConnectTimeout() if connecting else httpcore.ReadTimeout()
    return left if timeout is None else min(timeout, left)


class DeadlineStream(httpcore.NetworkStream):
    """A socket stream whose every operation ends by the request's deadline."""

    def __init__(self, stream: httpcore.NetworkStream) -> None:
        self._stream = stream

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, _left(timeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, _left(timeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(self, ssl_context: Any, server_hostname: str | None = None,
                  timeout: float | None = None) -> httpcore.NetworkStream:
        return DeadlineStream(
            self._stream.start_tls(ssl_context, server_hostname, _left(timeout, True))
        )

    def get_extra_info(self, info: str) -> Any:
        return self._stream.get_extra_info(info)


class PinnedBackend(httpcore.NetworkBackend):
    """Connects to the pinned addresses of a host, in order, within the request's deadline."""

    def __init__(self) -> None:
        self._sync = SyncBackend()

    def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                    local_address: str | None = None,
                    socket_options: Iterable[Any] | None = None) -> httpcore.NetworkStream:
        call = _CALL.get()
        addresses = call.pins.get(host, ()) if call else (host,)
        failure: Exception = httpcore.ConnectError(f"{host} is not a checked host")
        for address in addresses:
            try:
                stream = self._sync.connect_tcp(address, port, _left(timeout, True),
                                                local_address, socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                failure = exc
                continue
            return DeadlineStream(stream)
        raise failure

    def connect_unix_socket(self, path: str, timeout: float | None = None,
                            socket_options: Iterable[Any] | None = None
                            ) -> httpcore.NetworkStream:
        raise httpcore.ConnectError("unix sockets are not fetched")

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


def httpcore_pool(connections: int, backend: httpcore.NetworkBackend) -> httpcore.ConnectionPool:
    """A connection pool that opens its sockets through `backend` (a `PinnedBackend`),
    keeping connections alive and speaking HTTP/2 with servers that offer it."""
    return httpcore.ConnectionPool(max_connections=connections,
                                   max_keepalive_connections=connections, http2=_has_h2(),
                                   network_backend=backend)


def _has_h2() -> bool:
    """Whether the `h2` package that HTTP/2 needs is installed."""
    import importlib.util

    return importlib.util.find_spec("h2") is not None
