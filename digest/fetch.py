"""The one HTTP client: every network request of digest goes through `Fetcher`.

Timeouts, a size cap (the body is streamed and dropped at `max_bytes`), at most five redirects,
a configurable User-Agent, a bound on requests at once, http/https only, and an optional refusal
of loopback, private and link-local addresses for links found inside third-party feeds.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from types import TracebackType
from typing import TYPE_CHECKING, TypeVar
from urllib.parse import urljoin

from digest.config import FetchConfig
from digest.errors import DigestError
from digest.urls import private_address_problem, url_scheme

if TYPE_CHECKING:
    import httpx

log = logging.getLogger(__name__)

MAX_REDIRECTS = 5
T = TypeVar("T")
R = TypeVar("R")


class FetchError(DigestError):
    """A request that failed; `reason` is one line such as "HTTP 404" or "timeout after 2 s"."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason


@dataclass(frozen=True)
class Response:
    """What came back: the final URL after redirects, the status, the body and its headers."""

    url: str
    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def not_modified(self) -> bool:
        """True for a 304 answer to a conditional GET."""
        return self.status == 304

    @property
    def content_type(self) -> str:
        """The media type, without parameters, lowercased."""
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    @property
    def charset(self) -> str | None:
        """The charset the Content-Type header declares, if any."""
        for part in self.headers.get("content-type", "").split(";")[1:]:
            key, _, value = part.partition("=")
            if key.strip().lower() == "charset" and value.strip():
                return value.strip().strip('"')
        return None


def _seconds(value: float) -> str:
    return f"{value:g} s"


class Fetcher:
    """A pooled httpx client shared by every source of a run; use it as a context manager."""

    def __init__(self, config: FetchConfig) -> None:
        self.config = config
        self._slots = threading.BoundedSemaphore(config.concurrency)
        self._lock = threading.Lock()
        self._open: httpx.Client | None = None  # made on first request: folders need no httpx

    @property
    def _client(self) -> httpx.Client:
        with self._lock:
            if self._open is None:
                import httpx

                config = self.config
                self._open = httpx.Client(
                    timeout=httpx.Timeout(config.timeout),
                    follow_redirects=False,
                    headers={"User-Agent": config.user_agent, "Accept-Encoding": "gzip, deflate"},
                    limits=httpx.Limits(max_connections=config.concurrency),
                    trust_env=False,
                )
            return self._open

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the connections."""
        if self._open is not None:
            self._open.close()

    def get(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        allow_private: bool = True,
    ) -> Response:
        """GET a URL, following up to five redirects; raise FetchError with a one-line reason."""
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        with self._slots:
            for _ in range(MAX_REDIRECTS + 1):
                _check_target(url, allow_private)
                response = self._request(url, headers)
                location = response.headers.get("location")
                if response.status in (301, 302, 303, 307, 308) and location:
                    url = urljoin(url, location)
                    continue
                return response
        raise FetchError(url, f"more than {MAX_REDIRECTS} redirects")

    def map(self, func: Callable[[T], R], items: Iterable[T]) -> list[R]:
        """Run `func` on each item on up to `concurrency` threads; results keep their order."""
        items = list(items)
        if len(items) <= 1:
            return [func(item) for item in items]
        with ThreadPoolExecutor(max_workers=min(self.config.concurrency, len(items))) as pool:
            return list(pool.map(func, items))

    def _request(self, url: str, headers: dict[str, str]) -> Response:
        import httpx

        try:
            with self._client.stream("GET", url, headers=headers) as answer:
                if answer.status_code >= 400:
                    raise FetchError(url, f"HTTP {answer.status_code}")
                body = b"" if answer.is_redirect else self._read_capped(url, answer)
                head = {k.lower(): v for k, v in answer.headers.items()}
                return Response(str(answer.url), answer.status_code, body, head)
        except httpx.TimeoutException as exc:
            raise FetchError(url, f"timeout after {_seconds(self.config.timeout)}") from exc
        except httpx.ConnectError as exc:
            raise FetchError(url, _connect_reason(exc)) from exc
        except httpx.HTTPError as exc:
            raise FetchError(url, f"{type(exc).__name__}: {exc}".splitlines()[0]) from exc

    def _read_capped(self, url: str, answer: httpx.Response) -> bytes:
        limit = self.config.max_bytes
        declared = answer.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise FetchError(url, f"too large ({declared} bytes > {limit})")
        deadline = time.monotonic() + self.config.timeout
        chunks: list[bytes] = []
        size = 0
        for chunk in answer.iter_bytes():
            size += len(chunk)
            if size > limit:
                raise FetchError(url, f"too large (more than {limit} bytes)")
            if time.monotonic() > deadline:
                raise FetchError(url, f"timeout after {_seconds(self.config.timeout)}")
            chunks.append(chunk)
        return b"".join(chunks)


def _connect_reason(exc: Exception) -> str:
    text = str(exc).lower()
    if "refused" in text:
        return "connection refused"
    if "name or service" in text or "nodename" in text or "resolution" in text:
        return "host not found"
    return f"cannot connect: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}"


def _check_target(url: str, allow_private: bool) -> None:
    if url_scheme(url) not in ("http", "https"):
        raise FetchError(url, "not http/https")
    problem = None if allow_private else private_address_problem(url)
    if problem:
        raise FetchError(url, problem)


def fetch_all(
    fetcher: Fetcher, urls: Sequence[str], *, allow_private: bool = True
) -> list[Response | FetchError]:
    """Fetch several URLs at once (bounded by `concurrency`); a failure is returned, not raised."""

    def one(url: str) -> Response | FetchError:
        try:
            return fetcher.get(url, allow_private=allow_private)
        except FetchError as exc:
            return exc

    return fetcher.map(one, urls)
