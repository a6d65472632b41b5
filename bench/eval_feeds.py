"""Measures how many entries of real feed snapshots become stories, and what reaches stderr.

Every feed file under the given folders (by default the `feed-rs` and `rss2email` folders of
the evaluation feeds) is one `kind: feed` source, with a look-back long enough for their old
dates. An entry with a title counts once per source (its title); it became a story when an
article of its own survives duplicate merging, or when it merged into a story of the same
canonical URL or the same title (a real duplicate). Then `digest -q render --format json`
runs on the same config, and any line on its standard error is reported: under `-q` there
must be none.

    python bench/eval_feeds.py [FOLDER...] [--json]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

import yaml

from digest.config import load_config
from digest.extract import dedupe
from digest.pipeline import collect, extract_all
from digest.sources.urls import canonical_url
from digest.store.state import open_store

EVAL = Path(__file__).resolve().parents[2] / "shared/eval/feeds"
DEFAULT_FOLDERS = [EVAL / "feed-rs", EVAL / "rss2email"]
FEED_SUFFIXES = {".xml", ".rss", ".atom", ".json"}


def feed_files(folders: list[Path]) -> list[Path]:
    """The feed files below the folders (feed-rs's `.serde.json` oracles left out)."""
    found = []
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.suffix in FEED_SUFFIXES and not path.name.endswith(".serde.json"):
                found.append(path)
    return found


def write_config(files: list[Path], roots: list[Path], work: Path) -> Path:
    """A config with one feed source per file, named by its path below its folder."""
    sources = []
    for path in files:
        root = next(r for r in roots if path.is_relative_to(r))
        sources.append({"name": f"{root.name}/{path.relative_to(root)}", "kind": "feed",
                        "path": str(path)})
    config = {
        "sources": sources,
        "collect": {"lookback_days": 100_000},
        "state": {"path": str(work / "state.db")},
        "output": {"dir": str(work / "out")},
        "summary": {"cache": False},
    }
    file = work / "config.yaml"
    file.write_text(yaml.safe_dump(config), encoding="utf-8")
    return file


def measure(config_file: Path) -> dict[str, object]:
    """Per source: titled entries, those that became stories, and the titles missed."""
    config = load_config(config_file)
    with open_store(config.state.path, readonly=True) as store:
        collection = collect(config, store, now=datetime.now(UTC))
    documents = list(collection.documents)
    wanted = {(d.source, d.title.strip()) for d in documents if d.title and d.title.strip()}
    problems: list[str] = []
    articles = extract_all(documents, problems)
    groups = dedupe.duplicate_groups(articles)
    covered: set[tuple[str, str]] = set()
    for group in groups:
        members = [articles[i] for i in group]
        kept = dedupe.merge_group(members)
        for article in members:
            same_url = bool(article.url and kept.url
                            and canonical_url(article.url) == canonical_url(kept.url))
            same_title = article.title.strip().casefold() == kept.title.strip().casefold()
            if article is members[0] or same_url or same_title or len(members) == 1:
                covered.add((article.source, article.title.strip()))
    # An entry whose article took another title (from its text) is found by its document.
    by_uid = {(a.source, a.uid.split("#")[0]) for a in articles}
    for document in documents:
        title = (document.title or "").strip()
        if title and (document.source, document.uid) in by_uid:
            kept_titles = {(a.source, a.title.strip()) for a in articles}
            if (document.source, title) not in kept_titles:
                covered.add((document.source, title))
    missed: dict[str, list[str]] = defaultdict(list)
    for source, title in sorted(wanted - covered):
        missed[source].append(title)
    return {"entries": len(wanted), "stories": len(wanted & covered),
            "missed": dict(missed), "problems": problems}


def cli_run(config_file: Path) -> tuple[int, list[str]]:
    """`digest -q render --format json`: the issue's story count and the stderr lines."""
    result = subprocess.run(
        [sys.executable, "-m", "digest", "-q", "render", "-c", str(config_file), "-f", "json"],
        capture_output=True, text=True, check=False,
    )
    stories = 0
    if result.returncode == 0:
        data = json.loads(result.stdout)
        stories = len(data["teasers"]) + (1 if data["lead"] else 0)
    return stories, [line for line in result.stderr.splitlines() if line.strip()]


def main() -> None:
    """Print the share of titled entries that became stories, misses per file, stderr lines."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="*", type=Path, default=DEFAULT_FOLDERS)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    roots = [f.resolve() for f in args.folders]
    with tempfile.TemporaryDirectory() as tmp:
        config_file = write_config(feed_files(roots), roots, Path(tmp))
        figures = measure(config_file)
        stories, stderr = cli_run(config_file)
    figures["issue_stories"] = stories
    figures["stderr_lines"] = stderr
    if args.json:
        print(json.dumps(figures, indent=2, ensure_ascii=False))
        return
    entries, found = int(figures["entries"]), int(figures["stories"])  # type: ignore[call-overload]
    share = 100 * found / entries if entries else 0.0
    print(f"{found} of {entries} distinct titled entries became stories ({share:.1f} %); "
          f"the issue shows {stories} of them within the HTML size budget")
    for source, titles in figures["missed"].items():  # type: ignore[attr-defined]
        print(f"  {source}: {len(titles)} missed: " + "; ".join(t[:60] for t in titles[:5]))
    print(f"standard error under -q: {len(stderr)} line(s)")
    for line in stderr[:20]:
        print(f"  {line}")


if __name__ == "__main__":
    main()
