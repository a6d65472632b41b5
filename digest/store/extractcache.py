"""The extraction cache: a document's articles kept by its content hash and metadata.

Re-rendering an unchanged week then extracts nothing. An entry is named by a hash of the
extractor's version, the document's content hash and every piece of metadata extraction reads
(source, uid, format, url, title, date, authors, section, image, language, path,
fragment). Entries are
pickles of our own Article objects, written through a temporary file and a rename; one that
cannot be loaded, or holds anything but a list of articles, counts as a miss.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import pickle
from pathlib import Path

from digest.models import Article, Document

log = logging.getLogger(__name__)

# Bump whenever extraction (digest.extract) gives other articles.
VERSION = "extract-2"


def cache_key(document: Document) -> str | None:
    """A hex digest naming the articles of `document`, or None without a content hash."""
    if not document.content_hash:
        return None
    image = document.image
    settings = [
        VERSION, document.content_hash, document.source, document.uid, document.format,
        document.url, document.title,
        document.published.isoformat() if document.published else None,
        list(document.authors), document.section, document.language, document.path,
        [image.url, image.alt, image.credit] if image else None, document.fragment,
    ]
    return hashlib.sha256(json.dumps(settings).encode("utf-8")).hexdigest()


def _path(cache_dir: Path, key: str) -> Path:
    return Path(_name(cache_dir, key))


def _name(cache_dir: Path, key: str) -> str:
    # A plain string: a warm 10,000-document week looks up 10,000 entries.
    return os.path.join(cache_dir, "extract", key[:2], key + ".pickle")


def load(cache_dir: Path, key: str) -> list[Article] | None:
    """The cached articles under `key`, or None when there are none usable."""
    path = _name(cache_dir, key)
    try:
        with open(path, "rb") as handle:
            articles = pickle.load(handle)
    except FileNotFoundError:
        return None
    except Exception as exc:  # a damaged pickle raises almost anything
        log.warning("extraction cache %s: unreadable entry (%s), extracting again", path, exc)
        return None
    if not isinstance(articles, list) or not all(isinstance(a, Article) for a in articles):
        log.warning("extraction cache %s: not a list of articles, extracting again", path)
        return None
    return articles


def store(cache_dir: Path, key: str, articles: list[Article]) -> None:
    """Save a document's articles under `key`; a cache that cannot be written is not fatal."""
    path = _name(cache_dir, key)
    tmp = f"{path}.{os.getpid()}.tmp"  # one writer per process and entry: no random names
    data = pickle.dumps(articles, protocol=pickle.HIGHEST_PROTOCOL)
    try:
        try:
            _write(tmp, data)
        except FileNotFoundError:  # the entry's folder is made on first use only
            os.makedirs(os.path.dirname(path), exist_ok=True)
            _write(tmp, data)
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        log.warning("extraction cache %s: cannot write (%s)", path, exc)


def _write(name: str, data: bytes) -> None:
    with open(name, "wb") as handle:
        handle.write(data)


def exists(cache_dir: Path, key: str) -> bool:
    """Whether an entry under `key` is there (it may still turn out unreadable)."""
    return os.path.isfile(_name(cache_dir, key))
