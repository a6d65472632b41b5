"""Feeds to Documents: RSS 1.0/2.0, Atom, JSON Feed, broken feeds, conditional GET, full text."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from digest.config import FetchConfig, SourceConfig
from digest.errors import SourceError
from digest.models import Image
from digest.sources.feeds import Defaults, fill_full_text, parse_feed, read_feed
from digest.sources.fetch import Fetcher
from digest.sources.reading import SourceRead
from tests.httpserver import Reply, Server, serving

FEEDS = Path(__file__).resolve().parent / "data" / "feeds"
ARTICLE = f"<html><body><article><p>{'The full story has many words. ' * 60}</p></article></body>"


@pytest.fixture
def server() -> Iterator[Server]:
    """A live HTTP server on 127.0.0.1."""
    with serving() as live:
        yield live


def parse(name: str, section: str | None = None) -> list:
    """Parse one of the test feeds."""
    return parse_feed((FEEDS / name).read_bytes(), Defaults("news", section))


def test_rss2_entry_carries_its_metadata() -> None:
    ferry, lighthouse = parse("rss2.xml", section="Local")
    assert ferry.uid == "gazette-1001"
    assert ferry.url == "https://gazette.example.org/news/ferry-timetable"  # utm_* gone
    assert ferry.title == "Ferry timetable changes next month"
    assert ferry.published == datetime(2024, 5, 7, 7, 30, tzinfo=UTC)
    assert ferry.authors == ("Mira Hollis",)
    assert ferry.section == "Transport"
    assert ferry.image == Image("https://gazette.example.org/img/ferry.jpg")
    assert ferry.format == "html" and "half an hour" in ferry.body  # content beats summary
    assert ferry.language == "en-gb"
    assert lighthouse.uid == "https://gazette.example.org/news/lighthouse"  # no guid: the link
    assert lighthouse.section == "Local"  # no category: the source's section
    assert lighthouse.image == Image("https://gazette.example.org/img/lighthouse.png")


def test_atom_entry_with_two_authors_and_an_offset_date() -> None:
    (entry,) = parse("atom.xml")
    assert entry.uid == "urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a"
    assert entry.authors == ("Ada Reyes", "Tom Quill")
    assert entry.published == datetime(2024, 5, 8, 22, 30, 2, tzinfo=UTC)
    assert entry.section == "Nature"
    assert "forty-two birds" in entry.body


def test_rss1_entry() -> None:
    (entry,) = parse("rss1.rdf")
    assert entry.title == "Spring open results"
    assert entry.url == "https://club.example.com/spring-open"
    assert entry.published == datetime(2024, 5, 5, 20, 0, tzinfo=UTC)


def test_json_feed_items() -> None:
    bread, notes = parse("jsonfeed.json")
    assert (bread.uid, bread.title, bread.section) == ("k-77", "A slower sourdough", "Recipes")
    assert bread.url == "https://kitchen.example.com/bread"  # fbclid gone
    assert bread.published == datetime(2024, 5, 7, 6, 0, tzinfo=UTC)
    assert bread.authors == ("Jo Baker",)  # from the feed
    assert bread.image == Image("https://kitchen.example.com/bread.jpg")
    assert bread.format == "html" and "overnight in the fridge" in bread.body
    assert notes.format == "text" and notes.body == "Plain text notes about rye flour."


def test_entry_without_id_or_link_gets_a_stable_content_uid() -> None:
    first = parse("truncated.xml")
    again = parse("truncated.xml")
    assert first[0].uid == again[0].uid and len(first[0].uid) == 64


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("not_a_feed.html", "not a feed: an HTML page, not RSS, Atom or JSON Feed"),
        ("garbage.xml", "not a feed: "),
    ],
)
def test_not_a_feed_is_one_line_naming_the_source(name: str, reason: str) -> None:
    with pytest.raises(SourceError) as caught:
        parse(name)
    assert str(caught.value).startswith(f"news: {reason}")
    assert "\n" not in str(caught.value)


def test_broken_json_feed() -> None:
    with pytest.raises(SourceError, match="not a feed: invalid JSON"):
        parse_feed(b'{"items": [', Defaults("kitchen"))
    with pytest.raises(SourceError, match="not a feed: JSON without an 'items' list"):
        parse_feed(b'{"title": "x"}', Defaults("kitchen"))


def feed_source(server: Server, **extra: object) -> SourceConfig:
    """A feed source pointing at /feed on the server."""
    return SourceConfig.model_validate({"name": "gazette", "kind": "feed",
                                        "url": server.url("/feed"), **extra})


def test_unchanged_feed_costs_one_304(server: Server) -> None:
    server.routes["/feed"] = Reply((FEEDS / "rss2.xml").read_bytes(), etag='"v7"',
                                   headers={"Last-Modified": "Tue, 07 May 2024 10:00:00 GMT"})
    source = feed_source(server)
    with Fetcher(FetchConfig()) as client:
        first = read_feed(source, FetchConfig(), client, (None, None))
        assert len(first.documents) == 2
        assert first.validators == ('"v7"', "Tue, 07 May 2024 10:00:00 GMT")
        second = read_feed(source, FetchConfig(), client, first.validators)
    assert second.documents == [] and second.errors == []
    assert server.requests[-1].headers["if-none-match"] == '"v7"'


@pytest.mark.parametrize(("reply", "reason"), [
    (Reply("gone", status=404), "HTTP 404"),
    (Reply("boom", status=500), "HTTP 500"),
    (Reply("<html><body>hello</body></html>"), "not a feed: an HTML page"),
])
def test_feed_failures_are_one_line_in_the_read(server: Server, reply: Reply, reason: str) -> None:
    server.routes["/feed"] = reply
    with Fetcher(FetchConfig()) as client:
        read = read_feed(feed_source(server), FetchConfig(), client, (None, None))
    assert read.documents == [] and read.failed == 1
    assert read.errors[0].startswith(reason)


def teaser_feed(server: Server) -> bytes:
    """An RSS feed whose one item is a teaser linking to /story on the server."""
    return (
        '<rss version="2.0"><channel><title>T</title><item><title>Story</title>'
        f"<link>{server.url('/story')}</link><description>Just a teaser.</description>"
        "</item></channel></rss>"
    ).encode()


def test_full_text_fetches_the_linked_page_for_a_teaser(server: Server) -> None:
    server.routes["/story"] = Reply(ARTICLE, headers={"Content-Type": "text/html"})
    entries = parse_feed(teaser_feed(server), Defaults("t"))
    source = feed_source(server, full_text=True, allow_private=True)
    read = SourceRead()
    with Fetcher(FetchConfig()) as client:
        (story,) = fill_full_text(source, entries, client, read)
    assert "The full story has many words." in story.body and story.format == "html"
    assert story.title == "Story" and story.uid == entries[0].uid
    assert read.errors == []


def test_full_text_does_not_fetch_private_links_by_default(server: Server) -> None:
    server.routes["/story"] = Reply(ARTICLE)
    entries = parse_feed(teaser_feed(server), Defaults("t"))
    read = SourceRead()
    with Fetcher(FetchConfig()) as client:
        (story,) = fill_full_text(feed_source(server, full_text=True), entries, client, read)
    assert story.body == "Just a teaser."  # kept the teaser
    assert server.hits("/story") == 0
    assert "private" in read.errors[0] and server.url("/story") in read.errors[0]


def test_full_text_failure_keeps_the_teaser(server: Server) -> None:
    entries = parse_feed(teaser_feed(server), Defaults("t"))
    read = SourceRead()
    source = feed_source(server, full_text=True, allow_private=True)
    with Fetcher(FetchConfig()) as client:
        (story,) = fill_full_text(source, entries, client, read)
    assert story.body == "Just a teaser."
    assert read.errors == [f"full text of {server.url('/story')}: HTTP 404"]
