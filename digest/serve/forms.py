"""Reading what a visitor posts, safely: bounded form bodies, checked addresses, rate limits.

A body larger than `MAX_BODY` is refused before it is parsed (by its Content-Length, or while it
streams in); forms may be URL-encoded or multipart (RFC 8058 allows both for one-click
unsubscribes) and never carry files.
"""

from __future__ import annotations

import re
import threading
import time
from collections import OrderedDict, deque
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from starlette.requests import Request

MAX_BODY = 16 * 1024
MAX_FIELDS = 20
MAX_ADDRESS = 254
LOCAL = re.compile(r'[^@\s<>()\[\],;:"\\]{1,64}')
LABEL = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?")


class BadForm(Exception):
    """The posted body cannot be read as a form; `status` is the HTTP status to answer."""

    def __init__(self, status: int, problem: str) -> None:
        super().__init__(problem)
        self.status = status
        self.problem = problem


async def read_form(request: Request, limit: int = MAX_BODY) -> dict[str, str]:
    """The posted form's text fields; BadForm for a body over `limit` bytes or a broken one."""
    from starlette.requests import Request

    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > limit:
        raise BadForm(413, f"The form is too large (more than {limit // 1024} KB).")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise BadForm(413, f"The form is too large (more than {limit // 1024} KB).")
        chunks.append(chunk)
    body = b"".join(chunks)

    async def replay() -> dict[str, object]:
        return {"type": "http.request", "body": body, "more_body": False}

    try:
        form = await Request(request.scope, replay).form(max_files=0, max_fields=MAX_FIELDS)
    except Exception as exc:  # starlette raises its own parser errors for broken bodies
        raise BadForm(400, "The form could not be read.") from exc
    return {key: value for key, value in form.items() if isinstance(value, str)}


def address_problem(value: str) -> str | None:
    """Why `value` is not an email address a reader could subscribe with, or None if it is."""
    if not value:
        return "Please enter your email address."
    if len(value) > MAX_ADDRESS:
        return f"That address is too long: an email address has at most {MAX_ADDRESS} characters."
    if any(ch.isspace() or ord(ch) < 32 for ch in value):
        return "An email address has no spaces or line breaks in it."
    if not value.isascii():
        return "Please write the address in plain letters (an international domain as xn--…)."
    if value.count("@") != 1:
        return "An email address has exactly one @, as in reader@example.org."
    local, domain = value.split("@")
    if not LOCAL.fullmatch(local):
        return ("The part before the @ must be 1 to 64 characters, without spaces or any of "
                '<>()[],;:" and backslash.')
    labels = domain.split(".")
    if len(labels) < 2 or not all(LABEL.fullmatch(label) for label in labels):
        return f"The part after the @ is not a mail domain such as example.org: {domain!r}."
    return None


class RateLimit:
    """At most `limit` events per key in any `window` seconds, remembered for `keys` keys."""

    def __init__(self, limit: int, window: float, keys: int = 10_000) -> None:
        self.limit, self.window, self.keys = limit, window, keys
        self._seen: OrderedDict[str, deque[float]] = OrderedDict()
        self._lock = threading.Lock()

    def allow(self, key: str, now: float | None = None) -> bool:
        """Count one event for `key`; False when it is over the limit."""
        now = time.monotonic() if now is None else now
        with self._lock:
            times = self._seen.pop(key, None) or deque()
            while times and now - times[0] >= self.window:
                times.popleft()
            self._seen[key] = times
            while len(self._seen) > self.keys:
                self._seen.popitem(last=False)
            if len(times) >= self.limit:
                return False
            times.append(now)
            return True
