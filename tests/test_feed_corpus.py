"""Collection over every feed of the shared evaluation corpus, and feed-rs as a parsing oracle.

The corpus lives beside the repository (`../shared/eval/feeds`); on a laptop without it these
tests skip, in CI they fail. Documented differences from feed-rs, tolerated here: feedparser keeps
whole seconds only, and it cannot read dates with non-English day or month names.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from digest.config import parse_config
from digest.pipeline import collect
from digest.sources.feeds import Defaults, parse_feed
from digest.store.state import open_store
from tests.conftest import IN_CI

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "eval" / "feeds"
FEED_SUFFIXES = {".xml", ".atom", ".rss", ".json", ".rdf"}


@pytest.fixture(scope="module")
def corpus() -> Path:
    """The shared feed corpus; skip without it on a laptop, fail without it in CI."""
    if not CORPUS.is_dir():
        if IN_CI:
            pytest.fail(f"feed corpus not found at {CORPUS}")
        pytest.skip("shared feed corpus not available")
    return CORPUS


def feed_files(root: Path) -> list[Path]:
    """Every feed file of the corpus (not the feed-rs oracle files or READMEs)."""
    return sorted(
        p for p in root.rglob("*")
        if p.is_file() and p.suffix in FEED_SUFFIXES and not p.name.endswith(".serde.json")
    )


def test_every_feed_yields_entries_or_a_named_reason(corpus: Path, tmp_path: Path) -> None:
    files = feed_files(corpus)
    assert len(files) > 2000
    sources = [{"name": f"feed{n}", "kind": "feed", "path": str(p)} for n, p in enumerate(files)]
    config = parse_config({"sources": sources, "state": {"path": str(tmp_path / "s.db")}})
    with open_store(config.state.path, readonly=True) as store:
        collection = collect(config, store, now=datetime.fromisoformat("2030-01-01T00:00:00+00:00"))
    assert len(collection.reports) == len(files)
    silent = [files[n] for n, r in enumerate(collection.reports)
              if r.new + r.seen == 0 and not r.errors]
    assert silent == []
    for report in collection.reports:
        for error in report.errors:
            assert error.strip() and "\n" not in error and "Traceback" not in error
    with_entries = sum(1 for r in collection.reports if r.new + r.seen)
    print(f"\n{with_entries}/{len(files)} feeds gave entries; the rest named a reason")


def oracle_pairs(root: Path) -> list[tuple[Path, Path]]:
    """(feed, feed-rs expectation) pairs."""
    pairs = []
    for expected in sorted((root / "feed-rs").rglob("*.serde.json")):
        stem = expected.name.removesuffix(".serde.json")
        feeds = [p for p in expected.parent.glob(f"{stem}.*") if p != expected]
        if feeds:
            pairs.append((feeds[0], expected))
    return pairs


def norm(text: str | None) -> str:
    """Whitespace collapsed."""
    return " ".join((text or "").split())


def test_entry_counts_and_titles_match_feed_rs(corpus: Path) -> None:
    pairs = oracle_pairs(corpus)
    assert len(pairs) >= 60
    matched, dates, dates_matched = 0, 0, 0
    for feed, expected_file in pairs:
        expected = json.loads(expected_file.read_text(encoding="utf-8"))["entries"]
        documents = parse_feed(feed.read_bytes(), Defaults("oracle"))
        titles = [norm((e.get("title") or {}).get("content")) for e in expected]
        if [norm(d.title) for d in documents] == titles:
            matched += 1
        for entry, document in zip(expected, documents, strict=False):
            when = entry.get("published") or entry.get("updated")
            if when:
                dates += 1
                want = datetime.fromisoformat(when.replace("Z", "+00:00")).replace(microsecond=0)
                dates_matched += document.published == want
    print(f"\nfeed-rs oracle: {matched}/{len(pairs)} feeds with the same entry count and titles, "
          f"{dates_matched}/{dates} entry dates equal to the second")
    assert matched == len(pairs)
    assert dates_matched >= dates - 1  # rss_2.0_ilmessaggero: Italian day and month names
