"""The week cache: a whole collection's merged stories and the summaries made of them, keyed by
what was collected.

Rendering an unchanged week again (the same documents with the same content, the same summary
settings, the same version of digest) skips extraction, merging and summarizing altogether. One
file (`week.pickle`, through `digest.store.cache`) holds the last week built; any change of input
is a miss, and a miss builds as usual. Only the stories an issue could show are summarized, so a
week holds summaries of those only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from digest.config import SummaryConfig
from digest.models import VERSION as DIGEST_VERSION
from digest.models import Article, Document, Summary
from digest.store import extractcache, sumcache
from digest.store.cache import PICKLE, Slot, cache_key

VERSION = 4  # 2: articles name the duplicates merged into them; 3: summaries by index;
# 4: the language is detected for the summarized stories only
FILE = "week.pickle"


@dataclass(frozen=True)
class Week:
    """What extraction, merging and summarizing made of one collection: the merged articles and
    the summaries made so far, by the article's index."""

    key: str
    articles: tuple[Article, ...]
    summaries: dict[int, Summary]
    problems: tuple[str, ...]


def week_key(documents: Sequence[Document], summary: SummaryConfig) -> str | None:
    """A digest of every collected document's identity and content and of the settings; None
    when a document has no content hash to vouch for it."""
    fields = []
    for document in documents:
        if not document.content_hash:
            return None
        fields.append([document.source, document.uid, document.content_hash, document.url,
                       document.title, document.published, document.section, document.language])
    return cache_key(VERSION, DIGEST_VERSION, extractcache.VERSION, sumcache.VERSION,
                     summary.model_dump(mode="json"), fields)


def _slot(cache_dir: Path) -> Slot:
    return Slot(cache_dir / FILE, PICKLE, version=str(VERSION), label="week cache",
                again="building the week again")


def load(cache_dir: Path, key: str) -> Week | None:
    """The cached week under `key`, or None."""
    week = _slot(cache_dir).get()
    return week if isinstance(week, Week) and week.key == key else None


def store(cache_dir: Path, week: Week) -> None:
    """Keep `week` as the last week built; a cache that cannot be written is not fatal."""
    _slot(cache_dir).put(week)
