"""Runs the stages in order: collect → extract → merge → summarize → compose → render.

Everything is built in memory first; nothing is written here. Writing the archive, sending and
marking documents as taken belong to the callers (`render` previews, `run` delivers). This is
where the whole `Config` ends: each stage below gets only its own part of it.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from digest.config import Config
from digest.errors import DigestError, NothingNew
from digest.extract.batch import capped, extract_all
from digest.models import Article, Document, Issue, Preview, Rendered, Summary
from digest.store import weekcache

if TYPE_CHECKING:
    from digest.sources.collect import Collection
    from digest.store.state import StateStore


log = logging.getLogger(__name__)

MAX_SENTENCE_CHARS = 1000  # characters of one summary sentence shown in an issue


@dataclass(frozen=True)
class Built:
    """An issue built from what the sources hold now, with what was collected for it."""

    issue: Issue
    articles: tuple[Article, ...]
    documents: tuple  # tuple[Document, ...] without bodies; kept so `run` can mark them taken
    problems: tuple[str, ...]
    validators: dict = field(default_factory=dict)  # feed name → (etag, last_modified) to store
    left_out: tuple[Article, ...] = ()  # stories past the size budget, never summarized


def build_issue(config: Config, *, number: int | None = None, now: datetime | None = None) -> Built:
    """Collect, extract, merge, summarize and compose the next issue without changing state."""
    from digest.store.state import open_store

    require_sources(config)
    now = now or datetime.now(UTC)
    with open_store(config.state.path, readonly=True) as store:
        cache_dir = config.state.path.parent / "cache" if config.summary.cache else None
        collection = collect(config, store, now=now, bodies=False, cache_dir=cache_dir)
        if number is None:
            number = store.last_issue_number() + 1
    problems = [f"{r.source}: {e}" for r in collection.reports for e in r.errors]
    if not collection.documents:
        raise _nothing_to_build(config, problems, number)
    week = _week(config, collection.documents, cache_dir)
    problems.extend(week.problems)
    if not week.articles:
        raise _nothing_to_build(config, problems, number)
    period_start = (now - timedelta(days=config.collect.lookback_days)).date()
    issue, left_out = _fitted_issue(config, week, cache_dir, number=number,
                                    period_start=period_start, period_end=now.date())
    for problem in problems:
        log.warning("%s", problem)
    return Built(issue, week.articles, tuple(collection.documents), tuple(problems),
                 dict(collection.validators), left_out)


def collect(config: Config, store: StateStore, *, now: datetime, bodies: bool = True,
            cache_dir: Path | None = None) -> Collection:
    """What the next issue would take from every configured source, without changing state
    (see `digest.sources.collect.collect_sources`)."""
    from digest.sources.collect import collect_sources

    return collect_sources(config.sources, config.collect, config.fetch, store, now=now,
                           bodies=bodies, cache_dir=cache_dir)


def _week(config: Config, documents: list[Document], cache_dir: Path | None) -> weekcache.Week:
    """Extract and merge the collected documents, or take the result of the same week (and the
    summaries made for it) from the week cache.

    The week's key needs every document's content hash; a folder's file that collecting did
    not read has one only once extraction has read it, so such a week is looked up then.
    """
    from digest.extract import dedupe

    key = weekcache.week_key(documents, config.summary) if cache_dir else None
    cached = weekcache.load(cache_dir, key) if cache_dir and key else None
    if cached is not None:
        return cached
    problems: list[str] = []
    folders = {s.name: s.path for s in config.sources if s.kind == "folder" and s.path}
    articles = extract_all(documents, problems, cache_dir=cache_dir, fetch=config.fetch,
                           folders=folders)
    if cache_dir and key is None:  # read only now: the documents that could be read count
        key = weekcache.week_key([d for d in documents if d.content_hash], config.summary)
        cached = weekcache.load(cache_dir, key) if key else None
        if cached is not None:
            return replace(cached, problems=tuple(problems))
    articles = [capped(a, config.summary.max_article_chars) for a in articles]
    merged = dedupe.merge_duplicates(articles, cache_dir) if articles else []
    return weekcache.Week(key or "", tuple(merged), {}, tuple(problems))


def _fitted_issue(config: Config, week: weekcache.Week, cache_dir: Path | None, *,
                  number: int, period_start: date, period_end: date
                  ) -> tuple[Issue, tuple[Article, ...]]:
    """The issue of the week with as many teasers as its HTML budget holds, summarizing only
    the stories that can be shown (see `digest.render.fit`); the summaries made are kept with
    the week in the week cache. The language of a story is detected only when it is summarized:
    nothing else reads it, and a big week summarizes about a hundred of its stories."""
    from digest.render.fit import fitted_issue
    from digest.summarize import methods as summarize
    from digest.summarize.langdetect import with_languages

    index = {id(article): i for i, article in enumerate(week.articles)}
    known = dict(week.summaries)

    def summaries(articles: Sequence[Article], is_lead: bool) -> list[Summary]:
        todo = [a for a in articles if index[id(a)] not in known]
        if todo:
            told = with_languages(todo, config.summary)
            made = summarize.summarize_articles(told[0] if is_lead else None,
                                                [] if is_lead else told, config.summary,
                                                cache_dir=cache_dir)
            for article, summary in zip(todo, [made.lead] if is_lead else made.teasers,
                                        strict=True):
                known[index[id(article)]] = _bounded(summary)  # type: ignore[arg-type]
        return [known[index[id(a)]] for a in articles]

    issue, left_out = fitted_issue(week.articles, summaries, number=number,
                                   period_start=period_start, period_end=period_end,
                                   newsletter=config.newsletter, templates_dir=config.templates)
    if cache_dir and week.key and week.articles and known != week.summaries:
        weekcache.store(cache_dir, replace(week, summaries=known))
    return issue, left_out


def _bounded(summary: Summary) -> Summary:
    """The summary with no sentence longer than `MAX_SENTENCE_CHARS` (a text without full
    stops is one sentence): one story must not take the issue's whole size budget."""
    if all(len(s) <= MAX_SENTENCE_CHARS for s in summary.sentences):
        return summary
    cut = tuple(s if len(s) <= MAX_SENTENCE_CHARS
                else s[:MAX_SENTENCE_CHARS].rsplit(" ", 1)[0] + " …"
                for s in summary.sentences)
    return replace(summary, sentences=cut)


def require_sources(config: Config) -> None:
    """Fail with one line when the config names no source at all."""
    if not config.sources:
        raise DigestError("sources: there are no sources to collect from",
                          "add one to 'sources' in the config, such as '- name: news, kind: "
                          "feed, url: https://example.org/feed.xml' (see the README)")


def _nothing_to_build(config: Config, problems: list[str], number: int) -> DigestError:
    if problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        return DigestError(
            f"nothing to build: {problems[0]}{more}",
            "check the sources in " + str(config.file or "the config"),
        )
    since = f"since issue {number - 1}" if number > 1 else "in the configured sources"
    return NothingNew(f"nothing new {since}", "add documents to a source, or wait for new ones")


def render(config: Config, issue: Issue, *, token: str | None = None,
           preview: Preview | None = None) -> Rendered:
    """Render an issue with the packaged templates, overridden file by file by `templates`.

    A story that cannot be rendered is left out with a warning naming it (see
    `digest.render.safe`); only a failure without any story is an error. `preview` renders the
    editors' preview of a held issue.
    """
    from digest.render.safe import render_safely

    return render_safely(issue, config.newsletter, config.templates, token=token,
                         preview=preview)


def format_issue(config: Config, issue: Issue, fmt: str) -> bytes:
    """The issue as html, text, mjml, eml or json bytes."""
    if fmt == "json":
        from digest.render.templates import issue_json

        return (json.dumps(issue_json(issue), indent=2, ensure_ascii=False) + "\n").encode()
    rendered = render(config, issue)
    for note in rendered.notes:
        log.warning("issue %d: %s", issue.number, note)
    if fmt == "eml":
        from digest.render.message import build_message

        return bytes(build_message(rendered, issue, config.newsletter, config.delivery.to))
    text = {"html": rendered.html, "text": rendered.text, "mjml": rendered.mjml}[fmt]
    return text.encode("utf-8")
