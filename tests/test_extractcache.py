"""Warm re-renders: extracted articles and file hashes are cached, unchanged files are not read,
a changed or damaged entry is noticed, and folder documents reach extraction without bodies."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path
from typing import Any

import pytest

from digest import pipeline
from digest.config import Config, parse_config
from digest.extract import document as extract
from digest.models import Article, Document
from digest.sources import folder as sources
from digest.store import extractcache, weekcache

HOUR_AGO = time.time() - 3600


@pytest.fixture(autouse=True)
def no_week_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests are about the per-document caches under the week cache: keep it out."""
    monkeypatch.setattr(weekcache, "load", lambda cache_dir, key: None)


def week(tmp_path: Path, data: Path, *, cache: bool = True) -> Config:
    """A folder of the test articles, modified an hour ago, and a config rendering it."""
    docs = tmp_path / "docs"
    docs.mkdir(exist_ok=True)
    for path in sorted((data / "articles").glob("*.txt")):
        shutil.copy(path, docs / path.name)
        os.utime(docs / path.name, (HOUR_AGO, HOUR_AGO))
    return parse_config({
        "sources": [{"name": "desk", "kind": "folder", "path": str(docs)}],
        "state": {"path": str(tmp_path / "state" / "state.db")},
        "summary": {"cache": cache},
    }, tmp_path / "config.yaml")


def counting(monkeypatch: pytest.MonkeyPatch, module: Any, name: str) -> list[str]:
    """Replace `module.name` by itself plus a note of each call's first argument."""
    calls: list[str] = []
    real = getattr(module, name)

    def counted(first: Any, *args: Any, **kwargs: Any) -> Any:
        calls.append(str(getattr(first, "uid", first)))
        return real(first, *args, **kwargs)

    monkeypatch.setattr(module, name, counted)
    return calls


def test_a_second_build_neither_extracts_nor_reads_and_gives_the_same_issue(
    tmp_path: Path, data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = week(tmp_path, data)
    first = pipeline.build_issue(config)
    extracted = counting(monkeypatch, extract, "extract_document")
    read = counting(monkeypatch, sources, "read_text")
    second = pipeline.build_issue(config)
    assert extracted == [] and read == []
    assert second.issue == first.issue and second.articles == first.articles
    assert [d.content_hash for d in second.documents] == [d.content_hash for d in first.documents]
    assert (tmp_path / "state" / "cache" / extractcache.FILE).is_file()


def test_a_changed_file_is_read_and_extracted_again(
    tmp_path: Path, data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = week(tmp_path, data)
    pipeline.build_issue(config)
    changed = tmp_path / "docs" / "library-hours.txt"
    changed.write_text(changed.read_text().replace("library", "reading room", 1) + "\n\nA new "
                       "closing paragraph says that the reading room stays open on Sundays.\n")
    extracted = counting(monkeypatch, extract, "extract_document")
    built = pipeline.build_issue(config)
    assert extracted == ["library-hours.txt"]
    texts = " ".join(a.text for a in built.articles)
    assert "stays open on Sundays" in texts


def test_a_damaged_cache_counts_as_a_miss(
    tmp_path: Path, data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = week(tmp_path, data)
    first = pipeline.build_issue(config)
    (tmp_path / "state" / "cache" / extractcache.FILE).write_bytes(b"\x80\x05 not a pickle")
    extracted = counting(monkeypatch, extract, "extract_document")
    again = pipeline.build_issue(config)
    assert len(extracted) == 3
    assert again.issue == first.issue
    extracted.clear()
    assert pipeline.build_issue(config).issue == first.issue  # written again, whole
    assert extracted == []


def test_without_summary_cache_nothing_is_cached(
    tmp_path: Path, data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = week(tmp_path, data, cache=False)
    pipeline.build_issue(config)
    extracted = counting(monkeypatch, extract, "extract_document")
    pipeline.build_issue(config)
    assert len(extracted) == 3
    assert not (tmp_path / "state" / "cache").exists()


def test_the_key_changes_with_the_metadata_extraction_reads() -> None:
    document = Document("desk", "a.txt", "", content_hash="abc", path="/x/a.txt")
    keys = {extractcache.cache_key(d) for d in (
        document, Document("desk", "a.txt", "", content_hash="abd", path="/x/a.txt"),
        Document("desk", "a.txt", "", content_hash="abc", path="/x/a.txt", section="Town"),
        Document("desk", "a.txt", "", content_hash="abc", path="/x/a.txt", format="markdown"),
        Document("news", "a.txt", "", content_hash="abc", path="/x/a.txt"))}
    assert len(keys) == 5
    assert extractcache.cache_key(Document("desk", "a.txt", "text")) is None  # no hash, no key


def test_an_entry_of_the_wrong_type_counts_as_a_miss(tmp_path: Path) -> None:
    article = Article("Title", "Text.", "desk", "a.txt")
    pack = extractcache.Pack(tmp_path)
    pack.put("ab" * 32, [article])
    pack.put("cd" * 32, ["not an article"])  # type: ignore[list-item]
    pack.save()
    again = extractcache.Pack(tmp_path)
    assert again.get("ab" * 32) == [article]
    assert again.get("cd" * 32) is None


def test_folder_documents_come_unread_and_each_file_is_read_once(
    tmp_path: Path, data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = week(tmp_path, data)
    source, cache = config.sources[0], tmp_path / "state" / "cache"
    full = sources.read_folder(source, config.fetch)
    read = counting(monkeypatch, sources, "read_text")
    light = sources.read_folder(source, config.fetch, bodies=False, cache_dir=cache)
    assert read == [] and [(d.body, d.content_hash) for d in light.documents] == [("", "")] * 3
    built = pipeline.build_issue(config)
    assert sorted(read) == sorted(d.path or "" for d in full.documents)  # once, to extract
    expected = [(d.uid, d.content_hash, d.path) for d in full.documents]
    assert [(d.uid, d.content_hash, d.path) for d in built.documents] == expected
    read.clear()
    again = sources.read_folder(source, config.fetch, bodies=False, cache_dir=cache)
    assert read == [] and [(d.uid, d.content_hash, d.path) for d in again.documents] == expected


def test_a_file_gone_before_extraction_is_one_problem_naming_it(
    tmp_path: Path, data: Path
) -> None:
    config = week(tmp_path, data)
    light = sources.read_folder(config.sources[0], config.fetch, bodies=False)
    Path(light.documents[0].path or "").unlink()
    problems: list[str] = []
    articles = pipeline.extract_all(light.documents, problems, fetch=config.fetch)
    assert len(articles) == 2
    assert len(problems) == 1 and "harbour-bridge.txt" in problems[0]
