"""The extraction cache: a document's articles kept by its content hash and metadata.

Re-rendering an unchanged week then extracts nothing. An entry is named by a hash of the
extractor's version, the document's content hash and every piece of metadata extraction reads
(source, uid, format, url, title, date, authors, section, image, language, path, fragment).
Entries are pickles of our own Article objects under ``extract/<xx>/<key>.pickle``, kept through
`digest.store.cache`; one that cannot be loaded, or holds anything but a list of articles,
counts as a miss.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from digest.models import Article, Document
from digest.store.cache import PICKLE, Entries
from digest.store.cache import cache_key as _key

# Bump whenever extraction (digest.extract) gives other articles.
VERSION = "extract-4"


def cache_key(document: Document) -> str | None:
    """A hex digest naming the articles of `document`, or None without a content hash."""
    if not document.content_hash:
        return None
    image = document.image
    return _key(
        VERSION, document.content_hash, document.source, document.uid, document.format,
        document.url, document.title,
        document.published.isoformat() if document.published else None,
        list(document.authors), document.section, document.language, document.path,
        [image.url, image.alt, image.credit] if image else None, document.fragment,
        document.source_title,
    )


def _entries(cache_dir: Path) -> Entries:
    return Entries(os.path.join(cache_dir, "extract"), PICKLE,
                   label="extraction cache", again="extracting again")


def _articles(value: Any) -> list[Article]:
    if not isinstance(value, list) or not all(isinstance(a, Article) for a in value):
        raise TypeError("not a list of articles")
    return value


def load(cache_dir: Path, key: str) -> list[Article] | None:
    """The cached articles under `key`, or None when there are none usable."""
    found: list[Article] | None = _entries(cache_dir).get(key, _articles)
    return found


def store(cache_dir: Path, key: str, articles: list[Article]) -> None:
    """Save a document's articles under `key`; a cache that cannot be written is not fatal."""
    _entries(cache_dir).put(key, articles)


def exists(cache_dir: Path, key: str) -> bool:
    """Whether an entry under `key` is there (it may still turn out unreadable)."""
    return _entries(cache_dir).has(key)
