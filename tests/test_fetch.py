"""The one HTTP client against a real server on 127.0.0.1: redirects, limits, failures, 304s."""

from __future__ import annotations

import gzip
import socket
import threading
import time
import zlib
from collections.abc import Iterator

import pytest

from digest.config import FetchConfig
from digest.sources.fetch import Fetcher, FetchError, fetch_all
from tests.hostile import RawServer, gzip_bomb, send
from tests.httpserver import Reply, Server, serving


@pytest.fixture
def server() -> Iterator[Server]:
    """A live HTTP server on 127.0.0.1."""
    with serving() as live:
        yield live


def fetcher(**settings: object) -> Fetcher:
    """A client with test settings."""
    return Fetcher(FetchConfig.model_validate({"timeout": 5, **settings}))


def test_get_follows_redirects_to_the_final_url(server: Server) -> None:
    server.routes["/old"] = Reply(status=301, headers={"Location": "/middle"})
    server.routes["/middle"] = Reply(status=302, headers={"Location": "/new"})
    server.routes["/new"] = Reply("<p>here</p>", headers={"Content-Type": "text/html"})
    with fetcher() as client:
        response = client.get(server.url("/old"))
    assert response.status == 200
    assert response.url == server.url("/new")
    assert response.body == b"<p>here</p>"


def test_more_than_five_redirects_is_an_error(server: Server) -> None:
    for n in range(8):
        server.routes[f"/r{n}"] = Reply(status=302, headers={"Location": f"/r{n + 1}"})
    with fetcher() as client, pytest.raises(FetchError, match="more than 5 redirects"):
        client.get(server.url("/r0"))
    assert server.hits("/r6") == 0


@pytest.mark.parametrize("status", [404, 500, 503])
def test_http_errors_are_one_line(server: Server, status: int) -> None:
    server.routes["/x"] = Reply("oops", status=status)
    with fetcher() as client, pytest.raises(FetchError) as caught:
        client.get(server.url("/x"))
    assert caught.value.reason == f"HTTP {status}"


def test_slow_server_times_out_with_the_limit_in_the_reason(server: Server) -> None:
    server.routes["/slow"] = Reply("late", delay=2.0)
    with fetcher(timeout=0.3) as client, pytest.raises(FetchError) as caught:
        client.get(server.url("/slow"))
    assert caught.value.reason == "timeout after 0.3 s"


def test_declared_oversized_body_is_refused(server: Server) -> None:
    server.routes["/big"] = Reply(b"x" * 5000)
    with fetcher(max_bytes=1024) as client, pytest.raises(FetchError) as caught:
        client.get(server.url("/big"))
    assert caught.value.reason == "too large (5000 bytes > 1024)"


def test_streamed_oversized_body_stops_at_the_cap(server: Server) -> None:
    server.routes["/endless"] = Reply(stream_bytes=50 * 1024 * 1024)
    with fetcher(max_bytes=100_000) as client, pytest.raises(FetchError) as caught:
        client.get(server.url("/endless"))
    assert caught.value.reason == "too large (more than 100000 bytes)"


def test_only_http_and_https() -> None:
    with fetcher() as client, pytest.raises(FetchError) as caught:
        client.get("file:///etc/passwd")
    assert caught.value.reason == "not http/https"


def test_redirect_to_another_scheme_is_refused(server: Server) -> None:
    server.routes["/sneaky"] = Reply(status=302, headers={"Location": "file:///etc/passwd"})
    with fetcher() as client, pytest.raises(FetchError, match="not http/https"):
        client.get(server.url("/sneaky"))


def test_connection_refused() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with fetcher() as client, pytest.raises(FetchError) as caught:
        client.get(f"http://127.0.0.1:{port}/")
    assert caught.value.reason == "connection refused"


def test_conditional_get_gets_a_304_and_no_body(server: Server) -> None:
    server.routes["/feed"] = Reply("<rss/>", etag='"v1"', headers={"Last-Modified": "Mon"})
    with fetcher() as client:
        first = client.get(server.url("/feed"))
        again = client.get(server.url("/feed"), etag=first.headers["etag"], last_modified="Mon")
    assert first.status == 200 and first.headers["etag"] == '"v1"'
    assert again.not_modified and again.body == b""
    assert server.requests[-1].headers["if-none-match"] == '"v1"'
    assert server.requests[-1].headers["if-modified-since"] == "Mon"


def test_user_agent_is_configurable(server: Server) -> None:
    server.routes["/ua"] = Reply("ok")
    with fetcher(user_agent="roundup-test/1") as client:
        client.get(server.url("/ua"))
    assert server.requests[0].headers["user-agent"] == "roundup-test/1"


def test_private_addresses_refused_when_asked(server: Server) -> None:
    server.routes["/inside"] = Reply("secret")
    with fetcher() as client, pytest.raises(FetchError, match="private"):
        client.get(server.url("/inside"), allow_private=False)
    assert server.hits("/inside") == 0


def test_a_host_name_resolving_to_loopback_is_private(server: Server) -> None:
    with fetcher() as client, pytest.raises(FetchError, match="private"):
        client.get("http://localhost:9/", allow_private=False)


def test_concurrency_is_bounded(server: Server) -> None:
    for n in range(8):
        server.routes[f"/p{n}"] = Reply(f"page {n}", delay=0.2)
    with fetcher(concurrency=2) as client:
        answers = fetch_all(client, [server.url(f"/p{n}") for n in range(8)])
    assert [a.body for a in answers if not isinstance(a, FetchError)] == [
        f"page {n}".encode() for n in range(8)
    ]
    assert server.most_in_flight == 2


def test_fetch_all_returns_failures_in_place(server: Server) -> None:
    server.routes["/ok"] = Reply("fine")
    with fetcher() as client:
        answers = fetch_all(client, [server.url("/ok"), server.url("/missing")])
    assert not isinstance(answers[0], FetchError)
    assert isinstance(answers[1], FetchError) and answers[1].reason == "HTTP 404"


def test_unresolvable_third_party_host_is_named() -> None:
    with fetcher() as client, pytest.raises(FetchError) as caught:
        client.get("http://no-such-host.invalid/story", allow_private=False)
    assert caught.value.reason == "host not found"


def test_headers_dripped_a_byte_at_a_time_end_at_the_request_timeout() -> None:
    with RawServer() as raw:
        raw.routes["/drip"] = raw.drip(0.2)  # every read comes well within the timeout
        with fetcher(timeout=1) as client, pytest.raises(FetchError) as caught:
            client.get(raw.url("/drip"))
    assert caught.value.reason == "timeout after 1 s"


def test_no_request_outlives_the_collection_deadline() -> None:
    with RawServer() as raw:
        raw.routes["*"] = raw.silent()
        with fetcher(timeout=30, deadline=1, concurrency=2) as client:
            answers = fetch_all(client, [raw.url(f"/x{n}") for n in range(6)])
    reasons = {a.reason for a in answers if isinstance(a, FetchError)}
    assert reasons == {"timeout: fetch.deadline of 1 s reached"}


def test_stacked_gzip_is_capped_on_the_decoded_bytes() -> None:
    bomb = gzip_bomb(64 << 20)
    assert len(bomb) < 100_000
    with RawServer() as raw:
        raw.routes["/bomb"] = send(bomb, headers={"Content-Encoding": "gzip, gzip"})
        with fetcher(max_bytes=1_000_000) as client, pytest.raises(FetchError) as caught:
            client.get(raw.url("/bomb"))
    assert caught.value.reason == "too large (more than 1000000 bytes)"


def test_stacked_and_plain_encodings_decode_to_the_body() -> None:
    body = b"<rss>" + b"news " * 10_000 + b"</rss>"
    with RawServer() as raw:
        raw.routes["/two"] = send(gzip.compress(zlib.compress(body)),
                                  headers={"Content-Encoding": "deflate, gzip"})
        raw.routes["/odd"] = send(body, headers={"Content-Encoding": "br"})
        with fetcher() as client:
            assert client.get(raw.url("/two")).body == body
            with pytest.raises(FetchError) as caught:
                client.get(raw.url("/odd"))
    assert caught.value.reason == "unsupported content encoding 'br'"


def test_a_url_httpx_cannot_parse_is_one_reason() -> None:
    with fetcher() as client:
        for url in ("http://[::1", "http://example.org:99999/", "http://x/" + "a" * 70_000):
            with pytest.raises(FetchError) as caught:
                client.get(url)
            assert caught.value.reason.startswith("invalid URL")


def _rebinding(monkeypatch: pytest.MonkeyPatch, answers: dict[str, list[str]]) -> list[str]:
    """Make names in `answers` resolve to their next address on each lookup; log lookups."""
    real = socket.getaddrinfo
    asked: list[str] = []

    def lookup(host: object, *args: object, **kwargs: object) -> object:
        if isinstance(host, str) and host in answers:
            asked.append(host)
            queue = answers[host]
            address = queue.pop(0) if len(queue) > 1 else queue[0]
            return real(address, *args, **kwargs)  # type: ignore[arg-type]
        return real(host, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket, "getaddrinfo", lookup)
    return asked


def test_the_connection_goes_to_the_address_that_was_checked(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with RawServer() as good, RawServer(host="127.0.0.2") as evil:
        port = good.port
        assert evil.rebind(port)
        good.routes["/start"] = send(b"", 302, {"Location": f"http://hop.test:{port}/end"})
        good.routes["/end"] = send(b"checked")
        evil.routes["*"] = send(b"rebound")
        asked = _rebinding(monkeypatch, {"first.test": ["127.0.0.1", "127.0.0.2"],
                                         "hop.test": ["127.0.0.1", "127.0.0.2"]})
        with fetcher() as client:
            response = client.get(f"http://first.test:{port}/start")
    assert response.body == b"checked"
    assert evil.hits == []
    assert asked == ["first.test", "hop.test"]  # one lookup a hop: the one that was checked


def test_a_name_that_rebinds_to_a_private_address_is_never_reached(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with RawServer() as private:
        private.routes["*"] = send(b"internal")
        _rebinding(monkeypatch, {"rebind.test": ["93.184.216.34", "127.0.0.1"]})
        with fetcher(timeout=1) as client, pytest.raises(FetchError):
            client.get(f"http://rebind.test:{private.port}/admin", allow_private=False)
    assert private.hits == []


def test_each_host_gets_at_most_per_host_requests_at_once() -> None:
    with serving() as first, serving() as second:
        for live in (first, second):
            for n in range(8):
                live.routes[f"/p{n}"] = Reply(f"page {n}", delay=0.2)
        urls = [live.url(f"/p{n}") for n in range(8) for live in (first, second)]
        with fetcher(concurrency=16, per_host=3) as client:
            answers = fetch_all(client, urls)
    assert not [a for a in answers if isinstance(a, FetchError)]
    assert first.most_in_flight == 3 and second.most_in_flight == 3
    assert len(first.requests) == len(second.requests) == 8


def test_requests_to_one_host_reuse_their_connections(server: Server) -> None:
    for n in range(12):
        server.routes[f"/p{n}"] = Reply(f"page {n}", delay=0.05)
    with fetcher(per_host=2) as client:
        fetch_all(client, [server.url(f"/p{n}") for n in range(12)])
    assert server.most_in_flight == 2
    assert len({r.peer for r in server.requests}) == 2  # two kept-alive connections, not 12


def test_a_host_lookup_that_never_answers_ends_by_the_request_deadline(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # No resolver of our own can run here, so the lookup itself is made to hang, as a dead DNS
    # server's would; the release lets its background thread end with the test.
    real = socket.getaddrinfo
    release = threading.Event()

    def lookup(host: object, *args: object, **kwargs: object) -> object:
        if host == "silent.test":
            release.wait(30)
            raise socket.gaierror("no answer")
        return real(host, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket, "getaddrinfo", lookup)
    started = time.monotonic()
    try:
        with fetcher(timeout=1) as client, pytest.raises(FetchError) as caught:
            client.get("http://silent.test/feed.xml", allow_private=True)
    finally:
        release.set()
    assert caught.value.reason == "host lookup did not answer in time"
    assert "silent.test" in str(caught.value)
    assert time.monotonic() - started < 10  # the 30 s lookup was not waited for
