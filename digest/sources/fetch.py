"""The one HTTP client: every network request of digest goes through `Fetcher`.

Each request has one deadline (`fetch.timeout`) for connecting, the headers and the body
together, and a whole collection one more (`fetch.deadline`) that no request outlives. Bodies
are streamed and decoded here, the size cap counting decoded bytes however many encodings are
stacked. At most five redirects, a configurable User-Agent, at most `fetch.concurrency` requests
at once and `fetch.per_host` to one host (over kept-alive connections, HTTP/2 where a server
offers it), http/https only, and an optional refusal of loopback, private and link-local
addresses for links found inside third-party feeds: the name is resolved once, checked, and the
connection goes to the checked address (see `digest.sources.pinned`), at every redirect hop.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from types import TracebackType
from typing import TYPE_CHECKING, TypeVar
from urllib.parse import urljoin, urlsplit

from digest.config import FetchConfig
from digest.errors import DigestError
from digest.sources.urls import checked_addresses, url_scheme

if TYPE_CHECKING:
    import httpx

    from digest.sources.pinned import Call

log = logging.getLogger(__name__)

MAX_REDIRECTS = 5
MAX_URL_CHARS = 4096
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
    """A pooled httpx client shared by every source of a run; use it as a context manager.

    No request made through it outlives `fetch.deadline` seconds from its creation.
    """

    def __init__(self, config: FetchConfig) -> None:
        self.config = config
        self.phase_end = time.monotonic() + config.deadline
        self._slots = threading.BoundedSemaphore(config.concurrency)
        self._hosts: dict[tuple[str, str], threading.BoundedSemaphore] = {}
        self._lock = threading.Lock()
        self._open: dict[bool, httpx.Client] = {}  # made on first request: folders need no httpx

    def _client(self, guarded: bool) -> httpx.Client:
        """One client for checked third-party links, one for configured URLs: a connection
        opened for one is never reused by the other."""
        with self._lock:
            if guarded not in self._open:
                import httpx

                from digest.sources.pinned import PinnedBackend, httpcore_pool

                config = self.config
                transport = httpx.HTTPTransport(trust_env=False)
                transport._pool = httpcore_pool(config.concurrency, PinnedBackend())
                self._open[guarded] = httpx.Client(
                    transport=transport,
                    timeout=httpx.Timeout(config.timeout),
                    follow_redirects=False,
                    headers={"User-Agent": config.user_agent, "Accept-Encoding": "gzip, deflate"},
                    trust_env=False,
                )
            return self._open[guarded]

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the connections."""
        for client in self._open.values():
            client.close()

    def get(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        allow_private: bool = True,
    ) -> Response:
        """GET a URL, following up to five redirects; raise FetchError with a one-line reason.

        Everything, redirects included, ends within `fetch.timeout` and by `fetch.deadline`.
        """
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        from digest.sources.pinned import Call

        deadline = min(time.monotonic() + self.config.timeout, self.phase_end)
        for _ in range(MAX_REDIRECTS + 1):
            host, addresses = _check_target(url, allow_private, deadline)
            # The host's slot first: a request waiting for a busy host holds no overall slot.
            with self._slot(self._host_slots(url), url, deadline), \
                    self._slot(self._slots, url, deadline):
                response = self._request(url, headers, Call(deadline, {host: addresses}),
                                         guarded=not allow_private)
            location = response.headers.get("location")
            if response.status in (301, 302, 303, 307, 308) and location:
                url = urljoin(url, location)
                continue
            return response
        raise FetchError(url, f"more than {MAX_REDIRECTS} redirects")

    @contextmanager
    def _slot(self, slots: threading.BoundedSemaphore, url: str, deadline: float
              ) -> Iterator[None]:
        """Hold one of `slots`, waiting no later than `deadline`."""
        if not slots.acquire(timeout=max(0.0, deadline - time.monotonic())):
            raise FetchError(url, self._timeout_reason())
        try:
            yield
        finally:
            slots.release()

    def _host_slots(self, url: str) -> threading.BoundedSemaphore:
        """The bound on requests at once to the scheme, host and port of `url`."""
        parts = urlsplit(url)
        key = (parts.scheme, parts.netloc.lower())
        with self._lock:
            slots = self._hosts.get(key)
            if slots is None:
                slots = self._hosts[key] = threading.BoundedSemaphore(self.config.per_host)
            return slots

    def map(self, func: Callable[[T], R], items: Iterable[T]) -> list[R]:
        """Run `func` on each item on threads; results keep their order. There are twice as
        many threads as requests allowed at once, so that items waiting for a busy host leave
        others to use the free slots."""
        items = list(items)
        if len(items) <= 1:
            return [func(item) for item in items]
        with ThreadPoolExecutor(max_workers=min(2 * self.config.concurrency, len(items))) as pool:
            return list(pool.map(func, items))

    def _timeout_reason(self) -> str:
        if time.monotonic() >= self.phase_end - 0.05:
            return f"timeout: fetch.deadline of {_seconds(self.config.deadline)} reached"
        return f"timeout after {_seconds(self.config.timeout)}"

    def _request(self, url: str, headers: dict[str, str], call: Call, *, guarded: bool
                 ) -> Response:
        import httpx

        from digest.sources.pinned import pinned

        try:
            with pinned(call), self._client(guarded).stream("GET", url, headers=headers) as answer:
                if answer.status_code >= 400:
                    raise FetchError(url, f"HTTP {answer.status_code}")
                body = b"" if answer.is_redirect else self._read_capped(url, answer, call)
                head = {k.lower(): v for k, v in answer.headers.items()}
                return Response(str(answer.url), answer.status_code, body, head)
        except httpx.TimeoutException as exc:
            raise FetchError(url, self._timeout_reason()) from exc
        except httpx.ConnectError as exc:
            raise FetchError(url, _connect_reason(exc)) from exc
        except httpx.HTTPError as exc:
            raise FetchError(url, f"{type(exc).__name__}: {exc}".splitlines()[0][:200]) from exc
        except (httpx.InvalidURL, ValueError, UnicodeError) as exc:
            raise FetchError(url, f"invalid URL: {exc}".splitlines()[0][:200]) from exc

    def _read_capped(self, url: str, answer: httpx.Response, call: Call) -> bytes:
        from digest.sources.decoding import DecodingError, decoded

        limit = self.config.max_bytes
        declared = answer.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise FetchError(url, f"too large ({declared} bytes > {limit})")
        chunks: list[bytes] = []
        size = 0
        try:
            for chunk in decoded(answer.iter_raw(), answer.headers.get("content-encoding", "")):
                size += len(chunk)
                if size > limit:
                    raise FetchError(url, f"too large (more than {limit} bytes)")
                if time.monotonic() > call.deadline:
                    raise FetchError(url, self._timeout_reason())
                chunks.append(chunk)
        except DecodingError as exc:
            raise FetchError(url, str(exc)) from exc
        return b"".join(chunks)


def _connect_reason(exc: Exception) -> str:
    text = str(exc).lower()
    if "refused" in text:
        return "connection refused"
    if "name or service" in text or "nodename" in text or "resolution" in text:
        return "host not found"
    return f"cannot connect: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}"


def _check_target(url: str, allow_private: bool, deadline: float
                  ) -> tuple[str, tuple[str, ...]]:
    """The host of a URL as the client will name it, and the checked addresses to connect to,
    looked up no later than `deadline` (monotonic seconds)."""
    if len(url) > MAX_URL_CHARS:
        raise FetchError(url[:200] + "...", f"invalid URL: longer than {MAX_URL_CHARS} characters")
    try:
        scheme = url_scheme(url)
    except ValueError as exc:
        raise FetchError(url, f"invalid URL: {exc}") from exc
    if scheme not in ("http", "https"):
        raise FetchError(url, "not http/https")
    import httpx

    try:
        urlsplit(url).port  # noqa: B018 - raises for a port out of range
        host = httpx.URL(url).raw_host.decode("ascii")  # the name as the client will use it
    except (httpx.InvalidURL, ValueError, UnicodeError) as exc:
        raise FetchError(url, f"invalid URL: {exc}".splitlines()[0][:200]) from exc
    if not host:
        raise FetchError(url, "invalid URL: no host")
    addresses, problem = checked_addresses(host, allow_private=allow_private,
                                           timeout=deadline - time.monotonic())
    if problem:
        raise FetchError(url, problem)
    return host, addresses


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
