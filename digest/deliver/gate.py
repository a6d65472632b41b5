"""The moment a message becomes the server's: the final dot of DATA and the server's reply.

Until the server has the dot, a message is not delivered (a connection that ends before it
leaves no message); once the server answered 250 it is. Between the two, nobody can know. A
`Gated` connection sends a message's body freely but the dot only while holding the round's
`gate`, which it keeps until `accepted` (the caller's "sent" record) has returned. However many
connections send at once, at most one message is ever in that unknown state, so a crash leaves
at most one reader who may get the issue twice.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

DOT = b"\r\n.\r\n"


class Gated:
    """An SMTP connection mixin: the dot that ends DATA goes out under `gate`, and `accepted`
    runs, still under it, once the server took the message."""

    gate: threading.Lock | None = None  # shared by every connection of one round
    accepted: Callable[[], None] | None = None
    _dot_next = False
    _holding = False

    def data(self, msg: Any) -> tuple[int, bytes]:
        self._dot_next = True
        try:
            code, reply = super().data(msg)  # type: ignore[misc]
            if code == 250 and self.accepted is not None:
                self.accepted()
            return code, reply
        finally:
            self._dot_next = False
            if self._holding:
                self._holding = False
                if self.gate is not None:
                    self.gate.release()

    def send(self, s: Any) -> None:
        if self._dot_next and isinstance(s, bytes) and s.endswith(DOT):
            self._dot_next = False
            super().send(s[:-3])  # type: ignore[misc]  # the body, ending in CRLF
            if self.gate is not None:
                self.gate.acquire()
                self._holding = True
            s = s[-3:]
        super().send(s)  # type: ignore[misc]
