"""Runs the stages in order: collect → extract → merge → summarize → compose → render.

Everything is built in memory first; nothing is written here. Writing the archive, sending and
marking documents as taken belong to the callers (`render` previews, `run` delivers).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from digest.config import Config
from digest.errors import DigestError, NothingNew, SourceError
from digest.models import Article, Issue, Rendered

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Built:
    """An issue built from what the sources hold now, with what was collected for it."""

    issue: Issue
    articles: tuple[Article, ...]
    documents: tuple  # tuple[Document, ...]; kept so `run` can mark them as taken
    problems: tuple[str, ...]
    validators: dict = field(default_factory=dict)  # feed name → (etag, last_modified) to store


def build_issue(config: Config, *, number: int | None = None, now: datetime | None = None) -> Built:
    """Collect, extract, merge, summarize and compose the next issue without changing state."""
    from digest import collect, compose, dedupe, extract, summarize
    from digest.state import open_store

    now = now or datetime.now(timezone.utc)
    with open_store(config.state.path, readonly=True) as store:
        collection = collect.collect(config, store, now=now)
        if number is None:
            number = store.last_issue_number() + 1
    problems = [f"{r.source}: {e}" for r in collection.reports for e in r.errors]
    if not collection.documents:
        raise _nothing_to_build(config, problems, number)
    articles: list[Article] = []
    for document in collection.documents:
        try:
            articles.extend(extract.extract_document(document))
        except SourceError as exc:
            problems.append(str(exc))
        except Exception as exc:  # one bad document never stops the issue
            where = document.path or document.url or document.uid
            problems.append(f"{document.source}: {where}: cannot extract ({exc})")
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
