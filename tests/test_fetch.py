"""The one HTTP client against a real server on 127.0.0.1: redirects, limits, failures, 304s."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

from digest.config import FetchConfig
from digest.fetch import Fetcher, FetchError, fetch_all
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
