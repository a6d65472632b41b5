"""The pace and the deadline of sending: at most `delivery.rate_limit` messages a second, and
SMTP connections that never wait past `delivery.deadline` (before each command and each reply,
the socket's timeout is cut to the time left)."""

from __future__ import annotations

import contextlib
import smtplib
import socket
import ssl
import threading
import time
from typing import Any, cast

from digest.deliver.gate import Gated
from digest.errors import DigestError


class OutOfTime(DigestError):
    """The sending deadline passed: no new message may start."""


class Deadline:
    """The moment sending must end, `seconds` from now; without `seconds`, never."""

    def __init__(self, seconds: float | None = None) -> None:
        self.seconds = seconds
        self.ends = None if seconds is None else time.monotonic() + seconds

    def left(self) -> float | None:
        """Seconds until the deadline (0 or less once it passed); None without one."""
        return None if self.ends is None else self.ends - time.monotonic()

    def passed(self) -> bool:
        """Whether the deadline has passed."""
        left = self.left()
        return left is not None and left <= 0

    def reached(self) -> str:
        """What to say once it passed."""
        return f"delivery.deadline of {self.seconds:g} s reached"

    def timeout(self, timeout: float) -> float:
        """`timeout`, or the time left when that is less; TimeoutError when none is left."""
        left = self.left()
        if left is None:
            return timeout
        if left <= 0:
            raise TimeoutError(self.reached())
        return min(timeout, left)


def _bound(conn: smtplib.SMTP, deadline: Deadline) -> None:
    """Before each command and each reply: the socket waits no longer than the time left."""
    if conn.sock is not None:
        conn.sock.settimeout(deadline.timeout(conn.timeout))


class _Bounded:
    """Every command and reply of an SMTP connection ends by `self.deadline`: the socket's
    timeout is cut to the time left, and at the deadline a timer shuts the socket, so a reply
    dripped a byte at a time (each byte inside the timeout) cannot outlast it either."""

    deadline: Deadline
    _watch: threading.Timer | None = None

    def send(self, s: Any) -> None:
        self._arm()
        _bound(cast(smtplib.SMTP, self), self.deadline)
        super().send(s)  # type: ignore[misc]

    def getreply(self) -> tuple[int, bytes]:
        self._arm()
        _bound(cast(smtplib.SMTP, self), self.deadline)
        return super().getreply()  # type: ignore[misc,no-any-return]

    def close(self) -> None:
        if self._watch is not None:
            self._watch.cancel()
            self._watch = None
        super().close()  # type: ignore[misc]

    def _arm(self) -> None:
        sock = cast(smtplib.SMTP, self).sock
        left = self.deadline.left()
        if self._watch is None and sock is not None and left is not None:
            self._watch = threading.Timer(max(0.0, left), _shut, (sock,))
            self._watch.daemon = True
            self._watch.start()


def _shut(sock: socket.socket) -> None:
    """End a connection's socket from another thread: a read waiting on it returns at once."""
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)


class SMTP(Gated, _Bounded, smtplib.SMTP):
    """An SMTP connection whose every command and reply ends by the deadline."""

    def __init__(self, host: str, port: int, *, timeout: float, deadline: Deadline) -> None:
        self.deadline = deadline
        super().__init__(host, port, timeout=deadline.timeout(timeout))


class SMTP_SSL(Gated, _Bounded, smtplib.SMTP_SSL):
    """`SMTP` over TLS from the start."""

    def __init__(self, host: str, port: int, *, timeout: float, deadline: Deadline,
                 context: ssl.SSLContext) -> None:
        self.deadline = deadline
        super().__init__(host, port, timeout=deadline.timeout(timeout), context=context)


class Pacer:
    """At most `rate` messages a second, over however many connections share it."""

    def __init__(self, rate: float | None) -> None:
        self.interval = 1.0 / rate if rate else 0.0
        self._next = 0.0
        self._lock = threading.Lock()

    def wait(self) -> None:
        """Sleep until the next message may go."""
        if not self.interval:
            return
        with self._lock:
            now = time.monotonic()
            slot = max(now, self._next)
            self._next = slot + self.interval
        if slot > now:
            time.sleep(slot - now)
