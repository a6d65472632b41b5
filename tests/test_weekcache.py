"""An unchanged week renders again without extracting, merging or summarizing; any change to
the documents or the summary settings builds it afresh."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path
from typing import Any

import pytest

from digest import pipeline
from digest.config import Config, parse_config
from digest.extract import dedupe
from digest.extract import document as extract
from digest.store import weekcache
from digest.summarize import methods as summarize

HOUR_AGO = time.time() - 3600


def week(tmp_path: Path, data: Path, **summary: Any) -> Config:
    """A folder of the test articles, modified an hour ago, and a config rendering it."""
    docs = tmp_path / "docs"
    docs.mkdir(exist_ok=True)
    for path in sorted((data / "articles").glob("*.txt")):
        shutil.copy(path, docs / path.name)
        os.utime(docs / path.name, (HOUR_AGO, HOUR_AGO))
    return parse_config({
        "sources": [{"name": "desk", "kind": "folder", "path": str(docs)}],
        "state": {"path": str(tmp_path / "state" / "state.db")},
        "summary": summary,
    }, tmp_path / "config.yaml")


@pytest.fixture
def stage_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Names of the stages called from now on."""
    calls: list[str] = []
    for module, name in [(extract, "extract_document"), (dedupe, "merge_duplicates"),
                         (summarize, "summarize_articles")]:
        real = getattr(module, name)

        def counted(*args: Any, _real: Any = real, _name: str = name, **kwargs: Any) -> Any:
            calls.append(_name)
            return _real(*args, **kwargs)

        monkeypatch.setattr(module, name, counted)
    return calls


def test_the_same_week_again_runs_no_stage_and_gives_the_same_issue(
    tmp_path: Path, data: Path, stage_calls: list[str]
) -> None:
    config = week(tmp_path, data)
    first = pipeline.build_issue(config)
    assert {"extract_document", "merge_duplicates", "summarize_articles"} <= set(stage_calls)
    stage_calls.clear()
    second = pipeline.build_issue(config)
    assert stage_calls == []
    assert second.issue == first.issue and second.articles == first.articles


def test_a_changed_document_builds_the_week_afresh(
    tmp_path: Path, data: Path, stage_calls: list[str]
) -> None:
    config = week(tmp_path, data)
    pipeline.build_issue(config)
    changed = sorted((tmp_path / "docs").glob("*.txt"))[0]
    changed.write_text(changed.read_text() + "\n\nA new closing paragraph was added today.\n")
    stage_calls.clear()
    pipeline.build_issue(config)
    assert "summarize_articles" in stage_calls


def test_other_summary_settings_build_the_week_afresh(tmp_path: Path, data: Path) -> None:
    short = pipeline.build_issue(week(tmp_path, data, lead_sentences=1)).issue
    longer = pipeline.build_issue(week(tmp_path, data, lead_sentences=3)).issue
    assert short.lead and longer.lead
    assert len(short.lead.sentences) == 1 and len(longer.lead.sentences) == 3


def test_a_damaged_week_file_is_a_miss(tmp_path: Path, data: Path) -> None:
    config = week(tmp_path, data)
    first = pipeline.build_issue(config)
    (tmp_path / "state" / "cache" / weekcache.FILE).write_bytes(b"not a pickle")
    assert pipeline.build_issue(config).issue == first.issue


def test_without_the_cache_nothing_is_kept(tmp_path: Path, data: Path) -> None:
    pipeline.build_issue(week(tmp_path, data, cache=False))
    assert not (tmp_path / "state" / "cache" / weekcache.FILE).exists()
