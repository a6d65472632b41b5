"""A week bigger than one issue: only the stories the issue can show are summarized, and the
issue (JSON, HTML and text) is the one that summarizing every story and trimming gives."""

from __future__ import annotations

import os
import random
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from digest import pipeline
from digest.config import Config, parse_config
from digest.extract import dedupe
from digest.render import compose
from digest.render.templates import _keep, fit_teasers, issue_json, render_issue
from digest.store.state import open_store
from digest.summarize import methods as summarize
from digest.summarize.sentences import SentenceSplitter

HOUR_AGO = time.time() - 3600
STORIES = 160


def big_week(tmp_path: Path, data: Path, **newsletter: Any) -> Config:
    """Two folders of 80 stories each (sections "Town" and "Country"), made of the test
    articles' sentences, and a config rendering them into a small HTML budget."""
    text = (data / "summaries" / "news.txt").read_text(encoding="utf-8")
    pool = sorted(set(SentenceSplitter("english").to_sentences(text)))
    sources = []
    for half, section in enumerate(("Town", "Country")):
        folder = tmp_path / section.lower()
        folder.mkdir()
        for n in range(STORIES // 2):
            rng = random.Random(half * 1000 + n)
            body = "\n\n".join(" ".join(rng.sample(pool, 3)) for _ in range(rng.randint(2, 4)))
            path = folder / f"{n:03d}.txt"
            path.write_text(f"{section} story {n}: {rng.choice(pool)[:40]}\n\n{body}\n")
            os.utime(path, (HOUR_AGO, HOUR_AGO))
        sources.append({"name": section.lower(), "kind": "folder", "path": str(folder),
                        "section": section})
    return parse_config({
        "sources": sources,
        "state": {"path": str(tmp_path / "state" / "state.db")},
        "newsletter": {"max_html_kb": 40, **newsletter},
    }, tmp_path / "config.yaml")


@pytest.fixture
def summarized(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The titles of every article summarized from now on."""
    titles: list[str] = []
    real = summarize.summarize_articles

    def counted(lead: Any, teasers: Any, *args: Any, **kwargs: Any) -> Any:
        titles.extend(a.title for a in ([lead] if lead else []) + list(teasers))
        return real(lead, teasers, *args, **kwargs)

    monkeypatch.setattr(summarize, "summarize_articles", counted)
    return titles


def everything_summarized(config: Config) -> tuple[Any, Any]:
    """The issue as before: every story summarized, composed whole, trimmed by the renderer."""
    with open_store(config.state.path, readonly=True) as store:
        documents = pipeline.collect(config, store, now=datetime.now(UTC)).documents
    articles = dedupe.merge_duplicates(pipeline.extract_all(documents, []))
    lead, rest = compose.choose_lead(articles)
    made = summarize.summarize_articles(lead, rest, config.summary)
    built = pipeline.build_issue(config)
    whole = compose.compose_issue(made.lead, made.teasers, number=1,
                                  period_start=built.issue.period_start,
                                  period_end=built.issue.period_end,
                                  newsletter=config.newsletter)
    return whole, built


def test_only_the_stories_the_issue_shows_are_summarized(
    tmp_path: Path, data: Path, summarized: list[str]
) -> None:
    built = pipeline.build_issue(big_week(tmp_path, data, name="Shown"))
    shown = [built.issue.lead, *built.issue.teasers]
    assert len(built.articles) == STORIES
    assert 10 < len(shown) < STORIES // 2
    assert built.issue.trimmed == STORIES - len(shown)
    assert {s.article.title for s in shown} <= set(summarized)
    assert len(summarized) == len(set(summarized))  # nothing twice
    assert len(summarized) < 2 * len(shown)  # and little past what fits


def test_the_issue_is_the_same_as_summarizing_every_story(tmp_path: Path, data: Path) -> None:
    config = big_week(tmp_path, data, name="Same")
    whole, built = everything_summarized(config)
    assert len(whole.teasers) == STORIES - 1
    before = render_issue(whole, config.newsletter, None)
    after = pipeline.render(config, built.issue)
    assert after.html == before.html and after.text == before.text
    assert after.notes == before.notes
    assert before.notes[0] == f"trimmed {built.issue.trimmed} teasers to stay under 40 KB"
    trimmed, _ = fit_teasers(lambda n: _keep(whole, n), len(whole.teasers), config.newsletter,
                             None)
    assert issue_json(built.issue) == issue_json(trimmed)
    # Teasers in section order: every "Town" story shown comes before every "Country" one.
    assert [s.name for s in built.issue.sections] == ["Town", "Country"][:len(
        built.issue.sections)]


def test_a_cached_week_shows_the_same_issue_without_summarizing(
    tmp_path: Path, data: Path, summarized: list[str]
) -> None:
    config = big_week(tmp_path, data, name="Cached")
    first = pipeline.build_issue(config)
    summarized.clear()
    again = pipeline.build_issue(config)
    assert summarized == []
    assert issue_json(again.issue) == issue_json(first.issue)
