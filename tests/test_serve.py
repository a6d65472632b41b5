"""`digest serve` live: uvicorn on 127.0.0.1 driven with httpx, aiosmtpd receiving the mail.

Readers subscribe, confirm from the message they received, get the next issue, leave with the
one-click POST of that issue's own List-Unsubscribe header, and the run after skips them.
"""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree as ET

import httpx
import pytest

from digest.deliver.tokens import sign
from digest.run.job import run_issue
from digest.serve.forms import RateLimit
from digest.store.readers import CONFIRM_LIMIT, new_reader
from digest.store.state import open_store
from tests.smtpserver import free_port, write_config
from tests.webserver import SECRET, Live, WebServer, serve_config, start

ROOT = Path(__file__).resolve().parent.parent


def add_story(folder: Path, name: str) -> None:
    """A new article in the folder source, so the next run has something new."""
    (folder / "articles" / f"{name}.txt").write_text(
        f"The {name} story\n\nThe council met on Monday to discuss the {name} plan. "
        "Residents asked questions for two hours.\n", encoding="utf-8")


def test_subscribe_confirm_receive_one_click_leave_and_the_next_run_skips(live: Live) -> None:
    answer = live.client.post("/subscribe", data={"email": "Ann@Example.org",
                                                  "source": "homepage"})
    assert answer.status_code == 200 and "Check your inbox" in answer.text
    assert live.readers() == {"ann@example.org": "pending"}
    confirmed = live.client.get(live.confirmation_link("ann@example.org"))
    assert confirmed.status_code == 200 and "You are subscribed" in confirmed.text
    assert live.readers() == {"ann@example.org": "confirmed"}

    first = run_issue(live.config)
    assert first.sent == 1, first.summary
    (issue,) = [m.message for m in live.smtp.handler.for_recipient("ann@example.org")
                if m.message["Subject"].startswith("Test Round-up")]
    (url,) = re.findall(r"<(http://[^>]+)>", issue["List-Unsubscribe"])
    assert url.startswith(live.web.url + "unsubscribe/")
    assert url in issue.get_body(("plain",)).get_content()  # the footer link too
    left = httpx.post(url, data={"List-Unsubscribe": "One-Click"})
    assert left.status_code == 200 and "You are unsubscribed" in left.text
    assert live.readers() == {"ann@example.org": "unsubscribed"}

    add_story(live.folder, "harbour")
    second = run_issue(live.config)
    assert second.number == 2 and second.sent == 0, second.summary
    with open_store(live.config.state.path, readonly=True) as store:
        assert store.readers.get("ann@example.org").source == "web:homepage"  # type: ignore[union-attr]
        assert store.deliveries(2) == {}


def test_opening_the_unsubscribe_link_changes_nothing_and_its_button_unsubscribes(
    live: Live,
) -> None:
    with open_store(live.config.state.path) as store:
        store.readers.add([new_reader("bob@example.org", "cli")])
    token = sign("bob@example.org", "unsubscribe", SECRET)
    for _ in range(3):  # a mail scanner, a preview, the reader
        page = live.client.get(f"/unsubscribe/{token}")
        assert page.status_code == 200 and "Unsubscribe?" in page.text
    assert live.readers() == {"bob@example.org": "confirmed"}
    form = re.search(r'<form method="post" action="([^"]+)">(.*?)</form>', page.text, re.S)
    assert form is not None
    fields = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', form.group(2)))
    assert fields["token"] == token  # the button's form carries the signed token
    assert live.client.post(form.group(1), data=fields).status_code == 200
    assert live.readers() == {"bob@example.org": "unsubscribed"}
    again = live.client.post(f"/resubscribe/{token}", data={"token": token})
    assert again.status_code == 200 and "Welcome back" in again.text
    assert live.readers() == {"bob@example.org": "confirmed"}


@pytest.mark.parametrize("token", [
    sign("bob@example.org", "unsubscribe", "someone else's secret"),
    sign("bob@example.org", "unsubscribe", SECRET)[:-2],
    sign("bob@example.org", "confirm", SECRET),  # a confirmation token does not unsubscribe
    "garbage", "%00%ff", "a" * 3000,
])
def test_a_forged_or_garbled_token_is_refused_and_changes_nothing(live: Live, token: str) -> None:
    with open_store(live.config.state.path) as store:
        store.readers.add([new_reader("bob@example.org", "cli")])
    confirming = [] if token.count(".") == 2 else [live.client.get(f"/confirm/{token}")]
    for answer in (live.client.get(f"/unsubscribe/{token}"),
                   live.client.post(f"/unsubscribe/{token}",
                                    data={"List-Unsubscribe": "One-Click"}),
                   live.client.post(f"/resubscribe/{token}"), *confirming):
        assert 400 <= answer.status_code < 500, (answer.status_code, answer.text[:200])
        assert "Nothing was changed" in answer.text or answer.status_code == 404
    assert live.readers() == {"bob@example.org": "confirmed"}


def test_an_unsubscribe_token_does_not_confirm(live: Live) -> None:
    live.client.post("/subscribe", data={"email": "bob@example.org"})
    token = sign("bob@example.org", "unsubscribe", SECRET)
    answer = live.client.get(f"/confirm/{token}")
    assert answer.status_code == 400 and "Nothing was changed" in answer.text
    assert live.readers() == {"bob@example.org": "pending"}


def test_a_multipart_one_click_post_unsubscribes_and_a_file_in_it_is_refused(live: Live) -> None:
    with open_store(live.config.state.path) as store:
        store.readers.add([new_reader("bob@example.org", "cli")])
    url = f"/unsubscribe/{sign('bob@example.org', 'unsubscribe', SECRET)}"
    with_file = live.client.post(url, files={"List-Unsubscribe": ("x.txt", b"One-Click")})
    assert with_file.status_code == 400 and live.readers() == {"bob@example.org": "confirmed"}
    # RFC 8058: the POST SHOULD be multipart/form-data
    answer = live.client.post(url, files={"List-Unsubscribe": (None, "One-Click")})
    assert answer.request.headers["content-type"].startswith("multipart/form-data")
    assert answer.status_code == 200 and live.readers() == {"bob@example.org": "unsubscribed"}


def test_two_hundred_concurrent_one_click_posts_lose_none(live: Live) -> None:
    readers = [f"reader{n:03d}@example.org" for n in range(200)]
    with open_store(live.config.state.path) as store:
        store.readers.add([new_reader(r, "import") for r in readers])

    async def leave_all() -> list[int]:
        limits = httpx.Limits(max_connections=200)
        async with httpx.AsyncClient(base_url=live.web.url, timeout=60, limits=limits) as c:
            answers = await asyncio.gather(*(
                c.post(f"/unsubscribe/{sign(r, 'unsubscribe', SECRET)}",
                       data={"List-Unsubscribe": "One-Click"}) for r in readers))
        return [a.status_code for a in answers]

    assert asyncio.run(leave_all()) == [200] * 200
    assert live.readers() == dict.fromkeys(readers, "unsubscribed")


def _body(page: str, address: str) -> str:
    return page.replace(address, "ADDRESS")


def test_subscribing_twice_keeps_one_reader_and_known_addresses_get_the_same_answer(
    live: Live,
) -> None:
    first = live.client.post("/subscribe", data={"email": "cai@example.org"})
    second = live.client.post("/subscribe", data={"email": "CAI@example.org"})
    assert live.readers() == {"cai@example.org": "pending"}
    live.client.get(live.confirmation_link("cai@example.org"))
    known = live.client.post("/subscribe", data={"email": "cai@example.org"})
    unknown = live.client.post("/subscribe", data={"email": "dee@example.org"})
    assert {first.status_code, second.status_code, known.status_code, unknown.status_code} == {200}
    assert _body(known.text, "cai@example.org") == _body(unknown.text, "dee@example.org")
    assert live.readers() == {"cai@example.org": "confirmed", "dee@example.org": "pending"}
    assert len(live.smtp.handler.for_recipient("cai@example.org")) == 2  # none once confirmed


def test_confirmation_messages_to_one_address_are_limited(live: Live) -> None:
    for _ in range(CONFIRM_LIMIT + 2):
        answer = live.client.post("/subscribe", data={"email": "eve@example.org"})
        assert answer.status_code == 200 and "Check your inbox" in answer.text
    assert len(live.smtp.handler.for_recipient("eve@example.org")) == CONFIRM_LIMIT


def test_one_client_posting_too_often_is_told_to_wait(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DIGEST_TOKEN_SECRET", SECRET)
    smtp, web, _ = start(tmp_path, client_limit=RateLimit(3, 600))
    with smtp, web:
        answers = [httpx.post(web.url + "subscribe", data={"email": f"r{n}@example.org"})
                   for n in range(4)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert answers[-1].headers["retry-after"] == "600" and "Too many" in answers[-1].text
    assert len(smtp.handler.received) == 3


@pytest.mark.parametrize(("address", "reason"), [
    ("", "Please enter your email address"),
    ("ann", "exactly one @"),
    ("ann@@example.org", "exactly one @"),
    ("ann@localhost", "not a mail domain"),
    ("ann example@example.org", "no spaces"),
    ("ann@example.org\r\nBcc: all@example.org", "no spaces or line breaks"),
    ("<script>alert(1)</script>@example.org", "part before the @"),
    ("a" * 250 + "@example.org", "too long"),
    ("ann@exa_mple.org", "not a mail domain"),
])
def test_a_malformed_address_is_a_400_page_saying_why_and_nothing_is_stored(
    live: Live, address: str, reason: str,
) -> None:
    answer = live.client.post("/subscribe", data={"email": address})
    assert answer.status_code == 400
    assert reason in answer.text and "Nothing was stored" in answer.text
    assert "<script>alert" not in answer.text  # what was typed comes back escaped
    assert live.readers() == {} and live.smtp.handler.received == []


def test_oversized_bodies_are_refused_before_they_are_read(live: Live) -> None:
    big = {"email": "ann@example.org", "padding": "x" * 100_000}
    assert live.client.post("/subscribe", data=big).status_code == 413

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it streams in
        yield b"email=ann%40example.org&padding="
        for _ in range(100):
            yield b"x" * 1024

    streamed = live.client.post("/subscribe", content=chunks(),
                                headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert streamed.status_code == 413 and "too large" in streamed.text
    token = sign("ann@example.org", "unsubscribe", SECRET)
    assert live.client.post(f"/unsubscribe/{token}", data=big).status_code == 413
    assert live.readers() == {} and live.smtp.handler.received == []


def test_unknown_routes_and_methods_get_a_page(live: Live) -> None:
    for path in ("/nope", "/issues/../../etc/passwd/", "/issues/0001-2026-01-01/",
                 "/%2e%2e/config.yaml"):
        answer = live.client.get(path)
        assert answer.status_code == 404, path
        assert "text/html" in answer.headers["content-type"]
    assert live.client.put("/subscribe").status_code == 405
    assert live.client.delete("/unsubscribe/x").status_code == 405


def test_a_stopped_mail_server_while_confirming_is_a_clear_page_and_nothing_is_stored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DIGEST_TOKEN_SECRET", SECRET)
    _, web, config = start(tmp_path)
    with web:  # the mail server never starts
        answer = httpx.post(web.url + "subscribe", data={"email": "ann@example.org"}, timeout=60)
    assert answer.status_code == 503
    assert "could not be sent" in answer.text and "nothing was stored" in answer.text
    with open_store(config.state.path, readonly=True) as store:
        assert store.readers.all() == []


def test_the_archive_copy_links_to_a_page_that_explains_where_the_own_link_is(
    live: Live,
) -> None:
    run_issue(live.config)
    (page,) = (live.folder / "out" / "issues").glob("0001-*/index.html")
    generic = re.search(r'href="([^"]*unsubscribe[^"]*)"', page.read_text(encoding="utf-8"))
    assert generic is not None and generic.group(1).startswith(live.web.url)
    answer = live.client.get(generic.group(1))
    assert answer.status_code == 200 and "Use the link in your own message" in answer.text


def test_a_dry_run_counts_confirmed_readers_and_sends_nothing(live: Live) -> None:
    with open_store(live.config.state.path) as store:
        store.readers.add([new_reader("ann@example.org", "cli"),
                           new_reader("bob@example.org", "cli", "pending")])
    result = run_issue(live.config, dry_run=True)
    assert "would send to 1 readers" in result.summary, result.summary
    assert live.smtp.handler.received == []


def test_the_archive_index_its_feed_and_each_issue(live: Live) -> None:
    run_issue(live.config)
    add_story(live.folder, "library")
    run_issue(live.config)
    index = live.client.get("/")
    assert index.status_code == 200 and "<h1>Test Round-up</h1>" in index.text
    assert '<link rel="alternate" type="application/atom+xml"' in index.text
    links = re.findall(r'<li><a href="([^"]+)">', index.text)
    assert [u.rsplit("/", 2)[-2][:4] for u in links] == ["0002", "0001"]  # newest first
    feed = live.client.get("/feed.atom")
    assert feed.headers["content-type"].startswith("application/atom+xml")
    atom = "{http://www.w3.org/2005/Atom}"
    root = ET.fromstring(feed.content)
    assert root.findtext(f"{atom}title") == "Test Round-up"
    entries = root.findall(f"{atom}entry")
    assert [e.find(f"{atom}link").get("href") for e in entries] == links  # type: ignore[union-attr]
    page = live.client.get(links[1])
    assert page.status_code == 200 and "Test Round-up" in page.text
    assert live.client.get(links[1].rstrip("/"), follow_redirects=True).text == page.text


def test_under_a_path_the_app_answers_there_and_its_links_keep_the_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DIGEST_TOKEN_SECRET", SECRET)
    port = free_port()
    config = serve_config(write_config(tmp_path, 2525, []), port, "/digest/")
    with WebServer(config, port) as web:
        index = httpx.get(web.url + "digest/")
        outside = httpx.get(web.url + "subscribe")
    assert index.status_code == 200 and outside.status_code == 404
    assert f'action="http://127.0.0.1:{port}/digest/subscribe"' in index.text
    assert config.newsletter.unsubscribe_url == (
        f"http://127.0.0.1:{port}/digest/unsubscribe/{{token}}")


def test_serve_refuses_to_start_without_the_token_secret(tmp_path: Path) -> None:
    config = write_config(tmp_path, 2525, [])
    env = {k: v for k, v in os.environ.items() if k != "DIGEST_TOKEN_SECRET"}
    result = subprocess.run([sys.executable, "-m", "digest", "serve", "-c", str(config)],
                            capture_output=True, text=True, timeout=60, cwd=ROOT, env=env)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [result.stderr.splitlines()[0]]  # one line
    assert "DIGEST_TOKEN_SECRET is not set" in result.stderr


def test_the_serve_command_answers_on_its_port(tmp_path: Path) -> None:
    port = free_port()
    config = serve_config(write_config(tmp_path, 2525, []), port)
    env = {**os.environ, "DIGEST_TOKEN_SECRET": SECRET}
    process = subprocess.Popen([sys.executable, "-m", "digest", "serve", "-c", str(config.file)],
                               cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
    try:
        deadline, answer = time.monotonic() + 60, None
        while answer is None and time.monotonic() < deadline and process.poll() is None:
            try:
                answer = httpx.get(f"http://127.0.0.1:{port}/subscribe")
            except httpx.TransportError:
                time.sleep(0.1)
        assert answer is not None and answer.status_code == 200, process.poll()
        assert 'name="email"' in answer.text
    finally:
        process.terminate()
        out, _ = process.communicate(timeout=30)
    assert f"on http://127.0.0.1:{port}/" in out


def test_run_with_serve_url_needs_the_token_secret(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("DIGEST_TOKEN_SECRET", raising=False)
    config = serve_config(write_config(tmp_path, 2525, ["ann@example.org"]), 8080)
    with pytest.raises(Exception, match="DIGEST_TOKEN_SECRET is not set"):
        run_issue(config)
