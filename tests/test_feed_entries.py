"""Every feed entry with a title reaches the issue, and taken means shown, across runs.

Feeds of every shape (plain text, one `<p>`, headline only, many paragraphs, real snapshots)
are served by a real HTTP server on 127.0.0.1 and collected by `digest run` into the archive.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import pytest
import yaml

from digest.config import load_config
from digest.run.job import run_issue
from digest.store.state import open_store
from tests.httpserver import Reply, Server

REAL = Path(__file__).resolve().parent / "data" / "feeds" / "real"
BBC_PARAGRAPH = (
    "The city council voted on Tuesday to turn the old tram depot into a public library, "
    "ending a decade of arguments about the empty building on Harbour Road. The plan keeps "
    "the brick facade and adds a reading garden on the roof. Work starts in the autumn and "
    "the library should open in two years, the council said after the vote. Residents who "
    "campaigned for the change gathered outside the town hall to celebrate the decision. "
) * 6


def rss(items: list[dict[str, str]], title: str = "Test feed") -> str:
    """An RSS 2.0 feed; each item a mapping of element name to (already escaped) content."""
    body = "".join(
        "<item>" + "".join(f"<{k}>{v}</{k}>" for k, v in item.items()) + "</item>"
        for item in items
    )
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>{title}</title>'
            f"<link>https://example.org/</link>{body}</channel></rss>")


def entry(n: int, description: str | None = None, **extra: str) -> dict[str, str]:
    """An item with a title, a link, a guid and a date (and a description if given)."""
    item = {"title": f"Entry number {n}", "link": f"https://example.org/{n}",
            "guid": f"https://example.org/{n}",
            "pubDate": format_datetime(datetime(2026, 11, 20, 8, n % 60, tzinfo=UTC))}
    if description is not None:
        item["description"] = description
    item.update(extra)
    return item


@pytest.fixture
def server() -> Iterator[Server]:
    """A real HTTP server on 127.0.0.1."""
    served = Server()
    served.start()
    yield served
    served.stop()


def config_for(tmp_path: Path, server: Server, feeds: dict[str, str], **extra: Any) -> Path:
    """A config with one feed source per route, archive only, and a long look-back."""
    for path, body in feeds.items():
        server.routes[path] = Reply(body, headers={"Content-Type": "application/rss+xml"})
    data: dict[str, Any] = {
        "sources": [{"name": path.strip("/").removesuffix(".xml"), "kind": "feed",
                     "url": server.url(path), "allow_private": True} for path in feeds],
        "collect": {"lookback_days": 100_000},
        "output": {"dir": "out"},
        "state": {"path": "state/state.db"},
        **extra,
    }
    file = tmp_path / "config.yaml"
    file.write_text(yaml.safe_dump(data), encoding="utf-8")
    return file


def archived(config_path: Path, number: int) -> dict[str, Any]:
    """The archived issue.json of issue `number`."""
    out = load_config(config_path).output.dir
    (file,) = (out / "issues").glob(f"{number:04d}-*/issue.json")
    return json.loads(file.read_text(encoding="utf-8"))


def titles(issue: dict[str, Any]) -> list[str]:
    """Every story's title: the lead, then the teasers."""
    stories = ([issue["lead"]] if issue["lead"] else []) + issue["teasers"]
    return [s["title"] for s in stories]


def test_a_feed_of_three_plain_text_entries_gives_three_stories(tmp_path: Path,
                                                                  server: Server) -> None:
    feed = rss([entry(1, "A plain line of text about the first thing."),
                entry(2, "Another plain description, about the second."),
                entry(3, "The third entry says something else entirely.")])
    config_path = config_for(tmp_path, server, {"/plain.xml": feed})
    result = run_issue(load_config(config_path))
    assert result.stories == 3
    assert sorted(titles(archived(config_path, 1))) == [
        "Entry number 1", "Entry number 2", "Entry number 3"]


def test_every_shape_of_entry_becomes_a_story(tmp_path: Path, server: Server) -> None:
    many = "".join(f"&lt;p&gt;Paragraph {n} of a longer post, with words.&lt;/p&gt;"
                   for n in range(12))
    feeds = {
        "/one-p.xml": rss([entry(1, f"&lt;p&gt;{BBC_PARAGRAPH}&lt;/p&gt;")]),
        "/headlines.xml": rss([entry(2), entry(3)]),
        "/many.xml": rss([entry(4, many)]),
        "/kernel.xml": (REAL / "kernel.xml").read_text(encoding="utf-8"),
        "/bbc.xml": (REAL / "bbc-in-our-time.xml").read_text(encoding="utf-8"),
        "/nbcny.xml": (REAL / "nbcny.xml").read_text(encoding="utf-8"),
    }
    config_path = config_for(tmp_path, server, feeds)
    run_issue(load_config(config_path))
    issue = archived(config_path, 1)
    assert sorted(titles(issue)) == sorted([
        "Entry number 1", "Entry number 2", "Entry number 3", "Entry number 4",
        "5.7-rc4: mainline", "Marcus Aurelius",
        "NYC cops search for stabbing suspect after leaving 18-year-old to bleed out on "
        "sidewalk",
    ])
    stories = {s["title"]: s for s in [issue["lead"], *issue["teasers"]]}
    # A headline-only entry is a teaser with its title and link, and no invented text.
    assert stories["Entry number 2"]["url"] == "https://example.org/2"
    assert stories["Entry number 2"]["summary"] == []
    assert "Manhattan sidewalk" in " ".join(stories[
        "NYC cops search for stabbing suspect after leaving 18-year-old to bleed out on "
        "sidewalk"]["summary"])


def test_a_new_entry_after_a_run_is_exactly_the_next_issue(tmp_path: Path,
                                                           server: Server) -> None:
    items = [entry(n, f"Plain text of entry {n}, which says one thing.") for n in (1, 2, 3)]
    config_path = config_for(tmp_path, server, {"/plain.xml": rss(items)})
    assert run_issue(load_config(config_path)).stories == 3
    server.routes["/plain.xml"] = Reply(rss([entry(4, "The newest entry of the feed."),
                                             *items]))
    second = run_issue(load_config(config_path))
    assert titles(archived(config_path, 2)) == ["Entry number 4"]
    assert second.stories == 1
    assert "nothing new since issue 2" in run_issue(load_config(config_path)).summary


def test_what_the_size_budget_trims_waits_for_the_next_issue(tmp_path: Path,
                                                            server: Server) -> None:
    items = [entry(n, f"Entry {n} tells of a thing that happened on day {n}, at length "
                      "and with a few more words so that each teaser has some body.")
             for n in range(1, 61)]
    config_path = config_for(tmp_path, server, {"/big.xml": rss(items)},
                             newsletter={"max_html_kb": 20})
    first = run_issue(load_config(config_path))
    shown_first = set(titles(archived(config_path, 1)))
    assert 1 < first.stories < 60
    assert "over the size budget wait for the next issue" in first.summary
    config = load_config(config_path)
    with open_store(config.state.path, readonly=True) as store:
        taken = {n for n in range(1, 61)
                 if store.taken("big", f"https://example.org/{n}") is not None}
    assert {f"Entry number {n}" for n in taken} == shown_first  # shown, never more
    assert first.stories == len(shown_first)
    run_issue(load_config(config_path))
    shown_second = set(titles(archived(config_path, 2)))
    assert shown_first.isdisjoint(shown_second)
    assert shown_second  # the trimmed stories came back
