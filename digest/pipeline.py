"""Runs the stages in order: collect → extract → merge → summarize → compose → render.

Everything is built in memory first; nothing is written here. Writing the archive, sending and
marking documents as taken belong to the callers (`render` previews, `run` delivers).
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path

from digest import weekcache
from digest.config import Config, FetchConfig
from digest.errors import DigestError, NothingNew, SourceError
from digest.models import Article, Document, Issue, Rendered, Summary

log = logging.getLogger(__name__)

# From this many HTML pages on (about 50 ms each to extract), a process pool over all cores
# pays for its start-up (measured on 2 cores: 30 pages 1.6 s either way, 60 pages 3.6 s alone
# and 1.9 s in the pool). Text and Markdown never do: at about 0.2 ms a document, sending it to
# another process costs as much as extracting it (10,000 texts: 1.5 s alone, 2.1 s in the pool).
EXTRACT_POOL_PAGES = 40


@dataclass(frozen=True)
class Built:
    """An issue built from what the sources hold now, with what was collected for it."""

    issue: Issue
    articles: tuple[Article, ...]
    documents: tuple  # tuple[Document, ...] without bodies; kept so `run` can mark them taken
    problems: tuple[str, ...]
    validators: dict = field(default_factory=dict)  # feed name → (etag, last_modified) to store


def build_issue(config: Config, *, number: int | None = None, now: datetime | None = None) -> Built:
    """Collect, extract, merge, summarize and compose the next issue without changing state."""
    from digest import collect, compose
    from digest.state import open_store

    now = now or datetime.now(UTC)
    with open_store(config.state.path, readonly=True) as store:
        cache_dir = config.state.path.parent / "cache" if config.summary.cache else None
        collection = collect.collect(config, store, now=now, bodies=False, cache_dir=cache_dir)
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
    issue = compose.compose_issue(
        week.lead,
        week.teasers,
        number=number,
        period_start=period_start,
        period_end=now.date(),
        newsletter=config.newsletter,
    )
    for problem in problems:
        log.warning("%s", problem)
    return Built(issue, week.articles, tuple(collection.documents), tuple(problems),
                 dict(collection.validators))


def _week(config: Config, documents: list[Document], cache_dir: Path | None) -> weekcache.Week:
    """Extract, merge and summarize the collected documents, or take the result of the same
    week from the week cache."""
    from digest import compose, dedupe, summarize

    key = weekcache.week_key(documents, config.summary) if cache_dir else None
    cached = weekcache.load(cache_dir, key) if cache_dir and key else None
    if cached is not None:
        return cached
    problems: list[str] = []
    articles = extract_all(documents, problems, cache_dir=cache_dir, fetch=config.fetch)
    merged = dedupe.merge_duplicates(articles, cache_dir) if articles else []
    lead, rest = compose.choose_lead(merged)
    summaries = summarize.summarize_articles(lead, rest, config.summary, cache_dir=cache_dir)
    week = weekcache.Week(key or "", tuple(merged), summaries.lead, tuple(summaries.teasers),
                          tuple(problems))
    if cache_dir and key and merged:
        weekcache.store(cache_dir, week)
    return week


def extract_all(documents: list[Document], problems: list[str], *,
                cache_dir: Path | None = None, fetch: FetchConfig | None = None) -> list[Article]:
    """The articles of every document, in order; a failing document adds a line to `problems`.

    A document without its body but with a `path` is read only now, and only if `cache_dir`
    holds no articles for it (see `digest.extractcache`). Each document's body is dropped from
    `documents` once extracted (a light reference stays for marking it taken), so a big week
    never holds all raw pages next to all articles. Large batches run in a process pool; a
    progress bar shows on a terminal.
    """
    from digest.progress import progress

    work = partial(_extract_cached, cache_dir=cache_dir, fetch=fetch or FetchConfig())
    pages = sum(1 for d in documents if d.format == "html" and not _cached(d, cache_dir))
    articles: list[Article] = []
    with progress("extracting", len(documents)) as advance:
        for index, (found, problem, digest) in enumerate(_extracted(work, documents, pages)):
            documents[index] = replace(documents[index], body="", content_hash=digest)
            articles.extend(found)
            if problem:
                problems.append(problem)
            advance(1)
    return articles


Extracted = tuple[list[Article], str | None, str]


def _extracted(work: Callable[[Document], Extracted], documents: list[Document],
               pages: int) -> Iterator[Extracted]:
    if pages < EXTRACT_POOL_PAGES or (os.cpu_count() or 1) < 2:
        yield from map(work, documents)
        return
    from concurrent.futures import ProcessPoolExecutor

    log.info("extracting %d documents on %d cores", len(documents), os.cpu_count())
    with ProcessPoolExecutor() as pool:
        yield from pool.map(work, documents, chunksize=8)


def _cached(document: Document, cache_dir: Path | None) -> bool:
    from digest import extractcache

    key = extractcache.cache_key(document) if cache_dir else None
    return key is not None and cache_dir is not None and extractcache.exists(cache_dir, key)


def _extract_cached(document: Document, cache_dir: Path | None, fetch: FetchConfig) -> Extracted:
    """`extract_one` through the extraction cache, reading a body left out by collecting."""
    from digest import extractcache
    from digest.sources import load_path

    key = extractcache.cache_key(document) if cache_dir else None
    if cache_dir and key and (hit := extractcache.load(cache_dir, key)) is not None:
        return hit, None, document.content_hash
    if not document.body and document.path:
        try:
            loaded = load_path(Path(document.path), document.source, fetch)
        except SourceError as exc:
            return [], str(exc), document.content_hash
        document = replace(document, body=loaded.body, content_hash=loaded.content_hash)
        key = extractcache.cache_key(document) if cache_dir else None
    found, problem = extract_one(document)
    if cache_dir and key and problem is None:
        extractcache.store(cache_dir, key, found)
    return found, problem, document.content_hash


def extract_one(document: Document) -> tuple[list[Article], str | None]:
    """One document's articles, or none and the one-line problem that stopped them."""
    from digest.extract import extract_document

    try:
        return extract_document(document), None
    except SourceError as exc:
        return [], str(exc)
    except Exception as exc:  # one bad document never stops the issue
        where = document.path or document.url or document.uid
        return [], f"{document.source}: {where}: cannot extract ({exc})"


@dataclass(frozen=True)
class Taken:
    """What an issue takes from what was collected: the documents it shows (with the
    duplicates merged into them) and, by rule, what it leaves for the next issue."""

    documents: tuple[Document, ...]
    shown: int = 0
    duplicates: int = 0
    waiting: int = 0  # stories over the size budget whose documents wait for the next issue
    dropped: int = 0  # stories over the size budget whose document another story showed
    unread: int = 0  # documents that gave no story (extraction failed); tried again next time

    def report(self) -> str:
        """The run report's account of the documents, e.g. "3 documents taken: 2 shown, 1
        duplicate; 4 stories over the size budget wait for the next issue"."""
        parts = [f"{_count(len(self.documents), 'document')} taken: {self.shown} shown"]
        if self.duplicates:
            parts[0] += f", {_count(self.duplicates, 'duplicate')}"
        if self.waiting:
            parts.append(f"{_count(self.waiting, 'story', 'stories')} over the size budget "
                         "wait for the next issue")
        if self.dropped:
            parts.append(f"{_count(self.dropped, 'teaser')} of shown pages over the size "
                         "budget dropped")
        if self.unread:
            parts.append(f"{_count(self.unread, 'document')} without a story tried again "
                         "next time")
        return "; ".join(parts)


def _count(number: int, word: str, plural: str | None = None) -> str:
    return f"{number} {word if number == 1 else plural or word + 's'}"


_PART = re.compile(r"#(lead|teaser-\d+)$")


def _keys(summaries: Sequence[Summary], *, copies: bool) -> set[tuple[str, str]]:
    """(source, document uid) of the stories, or of the duplicates merged into them."""
    if copies:
        pairs = [c for s in summaries for c in s.article.copies]
    else:
        pairs = [(s.article.source, s.article.uid) for s in summaries]
    return {(source, _PART.sub("", uid)) for source, uid in pairs}


def taken_documents(documents: Sequence[Document], issue: Issue, trimmed: int) -> Taken:
    """The documents to record as taken once `issue` is delivered with its last `trimmed`
    teasers left out by the size budget.

    A document is taken when a story it gave is shown, or when it merged into a shown story
    (a duplicate). The documents of trimmed stories are not taken, so the next issue shows
    them, unless another story of the same document (a saved page's lead) was shown: those
    teasers are dropped. A document that gave no story (its extraction failed) is not taken
    either, so a later run tries it again.
    """
    teasers = issue.teasers
    cut = len(teasers) - trimmed
    shown = ([issue.lead] if issue.lead else []) + teasers[:cut]
    own, merged = _keys(shown, copies=False), _keys(shown, copies=True)
    taken = tuple(d for d in documents if (d.source, d.uid) in own | merged)
    over = teasers[cut:]
    waiting = [s for s in over if not _keys([s], copies=False) <= own | merged]
    storied = own | merged | _keys(over, copies=False) | _keys(over, copies=True)
    duplicates = sum(1 for d in taken if (d.source, d.uid) not in own)
    return Taken(
        taken, len(taken) - duplicates, duplicates, len(waiting), len(over) - len(waiting),
        sum(1 for d in documents if (d.source, d.uid) not in storied),
    )


def _nothing_to_build(config: Config, problems: list[str], number: int) -> DigestError:
    if problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        return DigestError(
            f"nothing to build: {problems[0]}{more}",
            "check the sources in " + str(config.file or "the config"),
        )
    since = f"since issue {number - 1}" if number > 1 else "in the configured sources"
    return NothingNew(f"nothing new {since}", "add documents to a source, or wait for new ones")


def render(config: Config, issue: Issue, *, token: str | None = None) -> Rendered:
    """Render an issue with the packaged templates, overridden file by file by `templates`."""
    from digest.render import render_issue

    return render_issue(issue, config.newsletter, config.templates, token=token)
