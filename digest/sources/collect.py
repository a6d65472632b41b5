"""Runs every configured source and keeps what is new: not taken by an earlier issue.

The first issue takes only the look-back window where dates exist (feed dates, file mtimes).
An entry taken before whose content changed is new again only with `collect.include_updated`.
One failing source or file becomes a one-line error in that source's report; the rest goes on.
Nothing here writes state: feed validators are handed back for the caller that takes documents.
"""

from __future__ import annotations

import logging
import os
import threading
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from digest.config import CollectConfig, FetchConfig, SourceConfig
from digest.errors import SourceError
from digest.models import Document
from digest.sources import feeds, folder, pages
from digest.sources.fetch import Fetcher
from digest.sources.reading import SourceRead, content_hash, normalized
from digest.store.state import StateStore

log = logging.getLogger(__name__)

Validators = tuple[str | None, str | None]
PROGRESS_MINIMUM = 4  # sources; fewer end before a bar would help


@dataclass(frozen=True)
class SourceReport:
    """How one source went: documents new and already seen, files failed, and why."""

    source: str
    kind: str
    new: int
    seen: int
    failed: int
    errors: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Collection:
    """What the next issue would take, the per-source reports and fresh feed validators."""

    documents: list[Document]
    reports: list[SourceReport]
    validators: dict[str, Validators] = field(default_factory=dict)


class _Run:
    """One collection run: its settings, the store (behind a lock) and the shared HTTP client."""

    def __init__(self, settings: CollectConfig, fetch: FetchConfig, store: StateStore,
                 fetcher: Fetcher, now: datetime) -> None:
        self.settings = settings
        self.fetch = fetch
        self.bodies = True  # False: folder documents come without text, read when extracted
        self.cache_dir: Path | None = None
        self.store = store
        self.fetcher = fetcher
        self.now = now if now.tzinfo else now.replace(tzinfo=UTC)
        self.lock = threading.Lock()
        with self.lock:
            self.first_issue = store.last_issue_number() == 0

    def source(self, source: SourceConfig) -> tuple[SourceReport, list[Document], SourceRead]:
        """Read one source, keep its new documents and report on it."""
        try:
            read = self.read(source)
        except Exception as exc:  # a reader's bug or a parser's crash stops this source only
            log.debug("%s '%s' failed", source.kind, source.name, exc_info=True)
            read = SourceRead()
            detail = " ".join(str(exc).split()) or "no detail"
            read.fail(f"cannot read: {type(exc).__name__}: {detail}"[:300])
        read.documents = [normalized(d) for d in read.documents]
        if source.title:  # the display title in "Also in", over a feed's own
            read.documents = [replace(d, source_title=source.title) for d in read.documents]
        new, seen = self.select(read.documents)
        if source.max_items is not None and len(new) > source.max_items:
            new = new[: source.max_items]
            read.validators = None  # the rest waits for a later issue: no 304 next time
        if source.kind == "feed" and source.full_text:
            new = feeds.fill_full_text(source, new, self.fetcher, read)
        report = SourceReport(source.name, source.kind, len(new), seen, read.failed, read.errors)
        log.info("%s '%s': %d new, %d seen, %d failed", source.kind, source.name,
                 len(new), seen, read.failed)
        return report, new, read

    def read(self, source: SourceConfig) -> SourceRead:
        """Every document a source holds now, new or not."""
        fetch = self.fetch
        if source.kind == "folder":
            return folder.read_folder(source, fetch, bodies=self.bodies,
                                       cache_dir=self.cache_dir)
        if source.kind == "page":
            return pages.read_page(source, fetch, self.fetcher)
        return feeds.read_feed(source, fetch, self.fetcher, self.validators(source.name))

    def select(self, documents: list[Document]) -> tuple[list[Document], int]:
        """The new documents of a source, each uid once, and how many were not new."""
        new: list[Document] = []
        uids: set[str] = set()
        seen = 0
        for document in documents:
            if document.uid in uids:
                continue
            uids.add(document.uid)
            if self.is_new(document):
                new.append(document)
            else:
                seen += 1
        return new, seen

    def is_new(self, document: Document) -> bool:
        """Not taken before (or changed, with include_updated), and inside the first look-back."""
        with self.lock:
            record = self.store.taken(document.source, document.uid)
        if record is not None:
            if not self.settings.include_updated:
                return False
            return record.content_hash != (document.content_hash or self.hashed(document))
        if not self.first_issue:
            return True
        when = document.published or _mtime(document.path)
        start = self.now - timedelta(days=self.settings.lookback_days)
        return when is None or when >= start

    def hashed(self, document: Document) -> str:
        """The content hash of a folder document collected without reading it; empty when it
        cannot be read (extraction then says why)."""
        try:
            return content_hash(folder.read_text(document.path or "", document.source,
                                                 self.fetch)[0])
        except SourceError:
            return ""

    def validators(self, name: str) -> Validators:
        """The stored ETag and Last-Modified of a feed."""
        with self.lock:
            return self.store.feed_validators(name)


def _mtime(path: str | None) -> datetime | None:
    if path is None:
        return None
    try:
        return datetime.fromtimestamp(os.stat(path).st_mtime, UTC)
    except OSError:
        return None


def collect_sources(sources: Sequence[SourceConfig], settings: CollectConfig, fetch: FetchConfig,
                    store: StateStore, *, now: datetime, bodies: bool = True,
                    cache_dir: Path | None = None) -> Collection:
    """Collect what the next issue would take from every source, without changing state.

    With `bodies=False`, folder documents come without their text (see `folder.read_folder`),
    and `cache_dir` may spare reading unchanged files at all.
    """
    from digest.progress import progress

    with Fetcher(fetch) as fetcher, progress(
        "collecting", len(sources), minimum=PROGRESS_MINIMUM
    ) as advance:
        run = _Run(settings, fetch, store, fetcher, now)
        run.bodies, run.cache_dir = bodies, cache_dir

        def one(source: SourceConfig) -> tuple[SourceReport, list[Document], SourceRead]:
            result = run.source(source)
            advance(1)
            return result

        results = fetcher.map(one, list(sources))
    documents = [d for _, new, _ in results for d in new]
    limit = settings.max_documents
    reports = [report for report, _, _ in results]
    if limit is not None and len(documents) > limit:
        documents = documents[:limit]
        reports = _recount(reports, documents)
    kept = Counter(d.source for d in documents)
    validators = {  # a feed cut by max_documents gets no validators: no 304 next time
        report.source: read.validators
        for report, new, read in results
        if read.validators is not None and kept[report.source] == len(new)
    }
    return Collection(documents, reports, validators)


def _recount(reports: list[SourceReport], documents: list[Document]) -> list[SourceReport]:
    counts = {r.source: 0 for r in reports}
    for document in documents:
        counts[document.source] += 1
    return [
        SourceReport(r.source, r.kind, counts[r.source], r.seen, r.failed, r.errors)
        for r in reports
    ]



def collection_json(collection: Collection) -> list[dict[str, Any]]:
    """Per source: its counts, errors and the new documents' uid, title and url."""
    return [
        {
            "source": report.source,
            "kind": report.kind,
            "new": report.new,
            "seen": report.seen,
            "failed": report.failed,
            "errors": list(report.errors),
            "documents": [
                {"uid": d.uid, "title": d.title, "url": d.url}
                for d in collection.documents
                if d.source == report.source
            ],
        }
        for report in collection.reports
    ]
