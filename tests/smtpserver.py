"""A real SMTP server on 127.0.0.1 for the delivery tests, built on aiosmtpd, and a config for it.

It keeps every accepted message, can be slowed down, and can be told to fail: a 4xx or 5xx for a
given recipient (a number of times), or a dropped connection in the middle of a message.
"""

from __future__ import annotations

import asyncio
import shutil
import socket
import threading
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import yaml
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

ARTICLES = Path(__file__).resolve().parent / "data" / "articles"


@dataclass
class Received:
    """One message the server accepted."""

    mail_from: str
    rcpt_tos: list[str]
    data: bytes

    @property
    def message(self) -> EmailMessage:
        """The message parsed with the modern email policy."""
        return message_from_bytes(self.data, policy=policy.default)  # type: ignore[return-value]


@dataclass
class Failure:
    """A reply to give instead of accepting: `code` for `recipient`, `times` times (0: always)."""

    code: int
    times: int = 0
    text: str = "injected failure"


@dataclass
class Handler:
    """The aiosmtpd handler: records messages and applies delay and injected failures."""

    delay: float = 0.0
    answer_delay: float = 0.0  # after keeping a message, before saying so
    received: list[Received] = field(default_factory=list)
    failures: dict[str, Failure] = field(default_factory=dict)
    drops: dict[str, int] = field(default_factory=dict)
    connections: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def fail(self, recipient: str, code: int, times: int = 0) -> None:
        """Answer `code` to RCPT TO for `recipient`, `times` times (0 means every time)."""
        self.failures[recipient.lower()] = Failure(code, times)

    def drop(self, recipient: str, times: int = 1) -> None:
        """Close the connection instead of answering the DATA of a message to `recipient`."""
        self.drops[recipient.lower()] = times

    def recipients(self) -> list[str]:
        """Every envelope recipient of every accepted message, in order."""
        with self.lock:
            return [r.lower() for item in self.received for r in item.rcpt_tos]

    def for_recipient(self, address: str) -> list[Received]:
        """The accepted messages addressed to `address`."""
        with self.lock:
            return [r for r in self.received if address.lower() in map(str.lower, r.rcpt_tos)]

    async def handle_EHLO(self, server: Any, session: Any, envelope: Any, hostname: str,
                          responses: list[str]) -> list[str]:
        """Count connections (each client greets once per connection)."""
        self.connections += 1
        session.host_name = hostname
        return responses

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,
                          rcpt_options: list[str]) -> str:
        """Refuse a recipient with its injected failure, else accept it."""
        failure = self.failures.get(address.lower())
        if failure is not None:
            if failure.times == 1:
                del self.failures[address.lower()]
            elif failure.times > 1:
                failure.times -= 1
            return f"{failure.code} {failure.text}"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        """Wait `delay` seconds, then drop the connection or keep the message (and wait
        `answer_delay` seconds more before answering)."""
        await asyncio.sleep(self.delay)
        for address in envelope.rcpt_tos:
            if self.drops.get(address.lower(), 0) > 0:
                self.drops[address.lower()] -= 1
                server.transport.close()
                return "421 dropped"
        with self.lock:
            self.received.append(
                Received(envelope.mail_from, list(envelope.rcpt_tos), bytes(envelope.content))
            )
        await asyncio.sleep(self.answer_delay)
        return "250 Message accepted for delivery"


class _Authenticator:
    """Accepts exactly one user name and password."""

    def __init__(self, user: str, password: str) -> None:
        self.user, self.password = user.encode(), password.encode()

    def __call__(self, server: Any, session: Any, envelope: Any, mechanism: str,
                 auth_data: Any) -> AuthResult:
        ok = isinstance(auth_data, LoginPassword) and \
            (auth_data.login, auth_data.password) == (self.user, self.password)
        return AuthResult(success=ok, handled=False)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class SmtpServer:
    """An aiosmtpd server on 127.0.0.1 in a background thread; use it as a context manager."""

    def __init__(self, delay: float = 0.0, login: tuple[str, str] | None = None) -> None:
        self.handler = Handler(delay=delay)
        self.port = free_port()
        options: dict[str, Any] = {}
        if login is not None:  # plain-text AUTH without TLS is fine on loopback in tests
            options = {"authenticator": _Authenticator(*login), "auth_require_tls": False,
                       "auth_required": True}
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port,
                                     **options)

    def __enter__(self) -> SmtpServer:
        self.controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.controller.stop()


def write_config(folder: Path, port: int, readers: list[str], *, schedule: dict | None = None,
                 **delivery: Any) -> Path:
    """A config in `folder`: the test articles, state and archive beside it, SMTP on loopback."""
    shutil.copytree(ARTICLES, folder / "articles", dirs_exist_ok=True)
    data = {
        "newsletter": {
            "name": "Test Round-up",
            "from": "Test Round-up <roundup@example.org>",
            "base_url": "https://example.org/digest/",
            "unsubscribe_url": "https://example.org/unsubscribe?token={token}",
        },
        "sources": [{"name": "desk", "kind": "folder", "path": "articles"}],
        "output": {"dir": "out"},
        "state": {"path": "state/state.db"},
        "delivery": {
            "smtp": {"host": "127.0.0.1", "port": port, "security": "none", "timeout": 5},
            "recipients": readers,
            "retries": 2,
            **delivery,
        },
        "schedule": schedule or {},
    }
    path = folder / "config.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path
