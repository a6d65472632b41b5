"""Collecting across sources: only what is new, caps, failures per source, no state written."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from digest.config import Config, parse_config
from digest.models import Document
from digest.pipeline import collect
from digest.sources.collect import Collection
from digest.store.state import open_store
from tests.httpserver import Reply, Server, serving

NOW = datetime(2024, 5, 10, 12, 0, tzinfo=UTC)
ARTICLE = f"<html><body><article><p>{'A real article has sentences. ' * 30}</p></article></body>"


@pytest.fixture
def server() -> Iterator[Server]:
    """A live HTTP server on 127.0.0.1."""
    with serving() as live:
        yield live


def rss(*items: tuple[str, str, str]) -> str:
    """An RSS 2.0 feed of (guid, title, pubDate) items."""
    body = "".join(
        f"<item><guid>{guid}</guid><title>{title}</title><pubDate>{when}</pubDate>"
        f"<description>About {title}.</description></item>"
        for guid, title, when in items
    )
    return f'<rss version="2.0"><channel><title>F</title>{body}</channel></rss>'


RECENT = "Thu, 09 May 2024 08:00:00 GMT"
OLD = "Mon, 01 Jan 2024 08:00:00 GMT"


def config(tmp_path: Path, *sources: dict[str, Any], **collect: Any) -> Config:
    """A config with these sources and a state file in tmp_path."""
    return parse_config({
        "sources": list(sources),
        "collect": collect,
        "state": {"path": str(tmp_path / "state.db")},
        "fetch": {"timeout": 1},
    }, tmp_path / "config.yaml")


def run(cfg: Config) -> Collection:
    """Collect with a read-only store, as `render` and `collect` do."""
    with open_store(cfg.state.path, readonly=True) as store:
        return collect(cfg, store, now=NOW)


def take(cfg: Config, documents: list[Document], number: int = 1) -> None:
    """Record an issue that took these documents."""
    with open_store(cfg.state.path) as store:
        store.record_issue(number, date(2024, 5, 1), date(2024, 5, 7), f"#{number}")
        store.mark_taken(number, documents)


def folder(tmp_path: Path, **files: str) -> dict[str, Any]:
    """A folder source holding these files, all modified just before NOW."""
    root = tmp_path / "docs"
    root.mkdir(exist_ok=True)
    for name, text in files.items():
        path = root / name
        path.write_text(text)
        stamp = (NOW - timedelta(hours=1)).timestamp()
        os.utime(path, (stamp, stamp))
    return {"name": "docs", "kind": "folder", "path": str(root)}


def test_what_an_earlier_issue_took_is_not_new(tmp_path: Path) -> None:
    cfg = config(tmp_path, folder(tmp_path, **{"a.txt": "One.", "b.txt": "Two."}))
    first = run(cfg)
    assert [d.uid for d in first.documents] == ["a.txt", "b.txt"]
    take(cfg, first.documents[:1])
    second = run(cfg)
    assert [d.uid for d in second.documents] == ["b.txt"]
    assert (second.reports[0].new, second.reports[0].seen) == (1, 1)


def test_changed_entry_is_new_only_with_include_updated(tmp_path: Path) -> None:
    source = folder(tmp_path, **{"a.txt": "First version."})
    cfg = config(tmp_path, source)
    take(cfg, run(cfg).documents)
    (tmp_path / "docs" / "a.txt").write_text("Second version.")
    assert run(cfg).documents == []
    updated = run(config(tmp_path, source, include_updated=True)).documents
    assert [d.body for d in updated] == ["Second version."]


def test_a_changed_file_collected_unread_is_new_only_with_include_updated(
    tmp_path: Path,
) -> None:
    source = folder(tmp_path, **{"a.txt": "First version.", "b.txt": "Kept as it was."})
    cfg = config(tmp_path, source)
    take(cfg, run(cfg).documents)
    (tmp_path / "docs" / "a.txt").write_text("Second version.")
    updated = config(tmp_path, source, include_updated=True)
    with open_store(cfg.state.path, readonly=True) as store:
        assert collect(cfg, store, now=NOW, bodies=False).documents == []
        light = collect(updated, store, now=NOW, bodies=False).documents
    assert [(d.uid, d.body) for d in light] == [("a.txt", "")]


def test_first_issue_takes_only_the_lookback_window(tmp_path: Path) -> None:
    source = folder(tmp_path, **{"fresh.txt": "Fresh.", "stale.txt": "Stale."})
    stale = (NOW - timedelta(days=30)).timestamp()
    os.utime(tmp_path / "docs" / "stale.txt", (stale, stale))
    cfg = config(tmp_path, source)
    assert [d.uid for d in run(cfg).documents] == ["fresh.txt"]
    assert [d.uid for d in run(config(tmp_path, source, lookback_days=60)).documents] == [
        "fresh.txt", "stale.txt"]
    take(cfg, run(cfg).documents)
    # After the first issue, whatever was not taken is new, however old.
    assert [d.uid for d in run(cfg).documents] == ["stale.txt"]


def test_feed_lookback_uses_entry_dates(tmp_path: Path, server: Server) -> None:
    server.routes["/feed"] = Reply(rss(("n1", "New", RECENT), ("o1", "Old", OLD)))
    cfg = config(tmp_path, {"name": "f", "kind": "feed", "url": server.url("/feed")})
    assert [d.title for d in run(cfg).documents] == ["New"]


def test_caps_per_source_and_per_issue(tmp_path: Path, server: Server) -> None:
    items = [(f"g{n}", f"Item {n}", RECENT) for n in range(5)]
    server.routes["/feed"] = Reply(rss(*items))
    feed = {"name": "f", "kind": "feed", "url": server.url("/feed"), "max_items": 3}
    docs = folder(tmp_path, **{"a.txt": "One.", "b.txt": "Two."})
    result = run(config(tmp_path, docs, feed))
    assert [d.title or d.uid for d in result.documents] == [
        "a.txt", "b.txt", "Item 0", "Item 1", "Item 2"]
    capped = run(config(tmp_path, docs, feed, max_documents=3))
    assert [d.title or d.uid for d in capped.documents] == ["a.txt", "b.txt", "Item 0"]
    assert [r.new for r in capped.reports] == [2, 1]


def test_the_same_uid_twice_appears_once(tmp_path: Path, server: Server) -> None:
    server.routes["/feed"] = Reply(rss(("same", "First", RECENT), ("same", "Again", RECENT)))
    cfg = config(tmp_path, {"name": "f", "kind": "feed", "url": server.url("/feed")})
    assert [d.title for d in run(cfg).documents] == ["First"]


def test_failing_sources_are_reported_and_the_rest_collected(
    tmp_path: Path, server: Server
) -> None:
    server.routes["/down"] = Reply("x", status=503)
    server.routes["/slow"] = Reply(rss(("s", "S", RECENT)), delay=3)
    server.routes["/html"] = Reply("<html><body><p>No feed</p></body></html>")
    server.routes["/thin"] = Reply("<html><body><nav>Home</nav><p>Log in</p></body></html>")
    server.routes["/good"] = Reply(ARTICLE, headers={"Content-Type": "text/html"})
    cfg = config(
        tmp_path,
        folder(tmp_path, **{"ok.txt": "Fine."}),
        {"name": "gone", "kind": "folder", "path": str(tmp_path / "gone")},
        {"name": "down", "kind": "feed", "url": server.url("/down")},
        {"name": "slow", "kind": "feed", "url": server.url("/slow")},
        {"name": "html", "kind": "feed", "url": server.url("/html")},
        {"name": "broken", "kind": "feed", "path": str(tmp_path / "nofeed.xml")},
        {"name": "thin", "kind": "page", "url": server.url("/thin")},
        {"name": "good", "kind": "page", "url": server.url("/good")},
    )
    result = run(cfg)
    assert [d.source for d in result.documents] == ["docs", "good"]
    errors = {r.source: r.errors for r in result.reports}
    assert errors["gone"] == [f"folder not found: {tmp_path / 'gone'}"]
    assert errors["down"] == ["HTTP 503"]
    assert errors["slow"] == ["timeout after 1 s"]
    assert errors["html"] == ["not a feed: an HTML page, not RSS, Atom or JSON Feed"]
    assert errors["broken"][0].startswith(f"{tmp_path / 'nofeed.xml'}: cannot read")
    assert errors["thin"] == [f"{server.url('/thin')}: not an article (only 2 words of text)"]
    assert all(len(e) == 1 and "\n" not in e[0] for name, e in errors.items()
               if name not in ("docs", "good"))
    assert {r.source: r.failed for r in result.reports}["down"] == 1


def test_collect_never_writes_state(tmp_path: Path, server: Server) -> None:
    server.routes["/feed"] = Reply(rss(("a", "A", RECENT)), etag='"e1"')
    cfg = config(tmp_path, {"name": "f", "kind": "feed", "url": server.url("/feed")})
    result = run(cfg)
    assert not cfg.state.path.exists()
    assert result.validators == {"f": ('"e1"', None)}  # for the caller that takes documents
    with open_store(cfg.state.path) as store:
        store.set_feed_validators("f", *result.validators["f"])
    before = cfg.state.path.read_bytes()
    assert run(cfg).documents == []  # unchanged: a 304
    assert server.requests[-1].headers["if-none-match"] == '"e1"'
    assert cfg.state.path.read_bytes() == before


def test_no_sources_at_all_is_an_empty_collection(tmp_path: Path) -> None:
    result = run(config(tmp_path))
    assert result.documents == [] and result.reports == []


def test_source_section_and_language_fill_documents(tmp_path: Path) -> None:
    source = folder(tmp_path, **{"a.md": "# Title\n\nText."})
    cfg = config(tmp_path, {**source, "section": "Letters", "language": "de"})
    (document,) = run(cfg).documents
    assert (document.section, document.language, document.format) == ("Letters", "de", "markdown")


def test_collect_command_prints_json_per_source_without_writing_state(tmp_path: Path) -> None:
    import json

    import yaml
    from click.testing import CliRunner

    from digest.cli import cli

    source = folder(tmp_path, **{"a.txt": "One."})
    os.utime(tmp_path / "docs" / "a.txt")  # modified now, inside the first look-back
    (tmp_path / "config.yaml").write_text(yaml.safe_dump({
        "sources": [source, {"name": "gone", "kind": "folder", "path": "gone"}],
        "state": {"path": "state.db"},
    }))
    config_file = str(tmp_path / "config.yaml")
    result = CliRunner().invoke(cli, ["collect", "-c", config_file, "--format", "json"])
    assert result.exit_code == 0, result.output
    docs, gone = json.loads(result.stdout)
    assert (docs["source"], docs["kind"], docs["new"], docs["failed"]) == ("docs", "folder", 1, 0)
    assert docs["documents"] == [{"uid": "a.txt", "title": None, "url": None}]
    assert gone["errors"] == [f"folder not found: {tmp_path / 'gone'}"] and gone["failed"] == 1
    table = CliRunner().invoke(cli, ["collect", "-c", config_file])
    assert table.exit_code == 0
    assert "docs" in table.stdout and "folder not found" in table.stdout
    assert not (tmp_path / "state.db").exists()


def test_a_feed_cut_by_a_cap_gets_no_validators(tmp_path: Path, server: Server) -> None:
    items = [(f"tag:x,2024:{n}", f"Item {n}", RECENT) for n in range(3)]
    server.routes["/feed"] = Reply(rss(*items), etag='"e"')
    server.routes["/other"] = Reply(rss(("tag:y,2024:1", "Other", RECENT)), etag='"o"')
    feed = {"name": "f", "kind": "feed", "url": server.url("/feed")}
    other = {"name": "o", "kind": "feed", "url": server.url("/other")}
    assert run(config(tmp_path, feed, other)).validators == {"f": ('"e"', None), "o": ('"o"', None)}
    # The entries left out must come back next time, so no 304 may hide them.
    assert run(config(tmp_path, {**feed, "max_items": 2}, other)).validators == {"o": ('"o"', None)}
    assert run(config(tmp_path, other, feed, max_documents=2)).validators == {"o": ('"o"', None)}


def test_sources_are_fetched_at_once_up_to_the_concurrency(tmp_path: Path, server: Server) -> None:
    for n in range(4):
        server.routes[f"/f{n}"] = Reply(rss((f"tag:x,2024:{n}", f"F{n}", RECENT)), delay=0.3)
    cfg = config(tmp_path, *[{"name": f"f{n}", "kind": "feed", "url": server.url(f"/f{n}")}
                             for n in range(4)])
    result = run(cfg)
    assert [d.title for d in result.documents] == ["F0", "F1", "F2", "F3"]  # source order kept
    assert server.most_in_flight >= 2


def test_an_unexpected_reader_crash_stops_only_its_source(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from digest.sources import feeds

    def crash(*args: object) -> None:
        raise RecursionError("maximum recursion depth exceeded\nwhile parsing")

    monkeypatch.setattr(feeds, "read_feed", crash)
    (tmp_path / "feed.xml").write_text(rss(("a", "A", RECENT)))
    cfg = config(tmp_path, folder(tmp_path, **{"a.txt": "One."}),
                 {"name": "f", "kind": "feed", "path": str(tmp_path / "feed.xml")})
    result = run(cfg)
    assert [d.uid for d in result.documents] == ["a.txt"]
    assert result.reports[1].errors == [
        "cannot read: RecursionError: maximum recursion depth exceeded while parsing"]
