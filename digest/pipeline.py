"""Runs the stages in order: collect → extract → merge → summarize → compose → render.

Everything is built in memory first; nothing is written here. Writing the archive, sending and
marking documents as taken belong to the callers (`render` previews, `run` delivers).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta

from digest.config import Config
from digest.errors import DigestError, NothingNew, SourceError
from digest.models import Article, Document, Issue, Rendered

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
    from digest import collect, compose, dedupe, summarize
    from digest.state import open_store

    now = now or datetime.now(UTC)
    with open_store(config.state.path, readonly=True) as store:
        collection = collect.collect(config, store, now=now)
        if number is None:
            number = store.last_issue_number() + 1
    problems = [f"{r.source}: {e}" for r in collection.reports for e in r.errors]
    if not collection.documents:
        raise _nothing_to_build(config, problems, number)
    articles = extract_all(collection.documents, problems)
    if not articles:
        raise _nothing_to_build(config, problems, number)
    merged = dedupe.merge_duplicates(articles)
    lead, rest = compose.choose_lead(merged)
    cache_dir = config.state.path.parent / "cache" if config.summary.cache else None
    summaries = summarize.summarize_articles(lead, rest, config.summary, cache_dir=cache_dir)
    period_start = (now - timedelta(days=config.collect.lookback_days)).date()
    issue = compose.compose_issue(
        summaries.lead,
        summaries.teasers,
        number=number,
        period_start=period_start,
        period_end=now.date(),
        newsletter=config.newsletter,
    )
    for problem in problems:
        log.warning("%s", problem)
    return Built(issue, tuple(merged), tuple(collection.documents), tuple(problems),
                 dict(collection.validators))


def extract_all(documents: list[Document], problems: list[str]) -> list[Article]:
    """The articles of every document, in order; a failing document adds a line to `problems`.

    Each document's body is dropped from `documents` once extracted (a light reference stays
    for marking it taken), so a big week never holds all raw pages next to all articles. Large
    batches run in a process pool; a progress bar shows on a terminal.
    """
    from digest.progress import progress

    pages = sum(1 for d in documents if d.format == "html")
    articles: list[Article] = []
    with progress("extracting", len(documents)) as advance:
        for index, (found, problem) in enumerate(_extracted(documents, pages)):
            documents[index] = replace(documents[index], body="")
            articles.extend(found)
            if problem:
                problems.append(problem)
            advance(1)
    return articles


def _extracted(documents: list[Document], pages: int) -> Iterator[tuple[list[Article], str | None]]:
    if pages < EXTRACT_POOL_PAGES or (os.cpu_count() or 1) < 2:
        yield from map(extract_one, documents)
        return
    from concurrent.futures import ProcessPoolExecutor

    log.info("extracting %d documents on %d cores", len(documents), os.cpu_count())
    with ProcessPoolExecutor() as pool:
        yield from pool.map(extract_one, documents, chunksize=8)


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
