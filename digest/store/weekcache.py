"""The week cache: a whole collection's merged and summarized stories, keyed by what was collected.

Rendering an unchanged week again (the same documents with the same content, the same summary
settings, the same version of digest) skips extraction, merging and summarizing altogether. One
file holds the last week built; any change of input is a miss, and a miss builds as usual.
"""

from __future__ import annotations

import hashlib
import json
import logging
import pickle
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from digest.config import SummaryConfig
from digest.models import VERSION as DIGEST_VERSION
from digest.models import Article, Document, Summary
from digest.store import extractcache, sumcache
from digest.store.atomic import write_atomic

log = logging.getLogger(__name__)

VERSION = 2  # 2: articles name the duplicates merged into them
FILE = "week.pickle"


@dataclass(frozen=True)
class Week:
    """What extraction, merging and summarizing made of one collection."""

    key: str
    articles: tuple[Article, ...]
    lead: Summary | None
    teasers: tuple[Summary, ...]
    problems: tuple[str, ...]


def week_key(documents: Sequence[Document], summary: SummaryConfig) -> str | None:
    """A digest of every collected document's identity and content and of the settings; None
    when a document has no content hash to vouch for it."""
    settings = [VERSION, DIGEST_VERSION, extractcache.VERSION, sumcache.VERSION,
                summary.model_dump(mode="json")]
    digest = hashlib.sha256(json.dumps(settings, sort_keys=True).encode())
    for document in documents:
        if not document.content_hash:
            return None
        fields = (document.source, document.uid, document.content_hash, document.url,
                  document.title, document.published, document.section, document.language)
        digest.update(repr(fields).encode())
    return digest.hexdigest()


def load(cache_dir: Path, key: str) -> Week | None:
    """The cached week under `key`, or None."""
    path = cache_dir / FILE
    try:
        with open(path, "rb") as handle:
            week = pickle.load(handle)
    except FileNotFoundError:
        return None
    except Exception as exc:  # a damaged pickle raises almost anything
        log.warning("week cache %s: unreadable (%s), building the week again", path, exc)
        return None
    return week if isinstance(week, Week) and week.key == key else None


def store(cache_dir: Path, week: Week) -> None:
    """Keep `week` as the last week built; a cache that cannot be written is not fatal."""
    data = pickle.dumps(week, protocol=pickle.HIGHEST_PROTOCOL)
    try:
        write_atomic(cache_dir / FILE, data, durable=False)
    except OSError as exc:
        log.warning("week cache %s: cannot write (%s)", cache_dir / FILE, exc)
