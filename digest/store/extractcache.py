"""The extraction cache: a document's articles kept by its content hash and metadata.

Re-rendering an unchanged week then extracts nothing. An entry is named by a hash of the
extractor's version, the document's content hash and every piece of metadata extraction reads
(source, uid, format, url, title, date, authors, section, image, language, path, fragment).
The entries of the last run are one pickle of our own Article objects by key,
``extract.pickle``, kept through `digest.store.cache` (a `Slot` headed by the version); a file
that cannot be loaded is a miss for every entry, and an entry that holds anything but a list of
articles is a miss.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from digest.models import Article, Document
from digest.store.cache import PICKLE, Slot
from digest.store.cache import cache_key as _key

# Bump whenever extraction (digest.extract) gives other articles.
VERSION = "extract-5"  # 5: one pack of the last run's entries
FILE = "extract.pickle"


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


class Pack:
    """The articles of the last extraction run, by key, kept in one file (`extract.pickle`).

    One file instead of one per document: a cold week of 10,000 documents would otherwise
    create 10,000 files, which costs more than extracting them. The pack is read on the first
    look-up only, and `save` writes what this run extracted or found, so it holds the last
    run's documents (the stories a week leaves out come back in the next one's).
    """

    def __init__(self, cache_dir: Path) -> None:
        self.slot = Slot(Path(cache_dir) / FILE, PICKLE, version=VERSION,
                         label="extraction cache", again="extracting again")
        self.old: dict[str, list[Article]] | None = None
        self.new: dict[str, list[Article]] = {}

    def get(self, key: str) -> list[Article] | None:
        """The cached articles under `key`, or None when there are none usable."""
        if self.old is None:
            self.old = _entries(self.slot.get())
        found = self.old.get(key)
        if found is not None:
            self.new[key] = found
        return found

    def put(self, key: str, articles: list[Article]) -> None:
        """Keep a document's articles under `key`."""
        self.new[key] = articles

    def save(self) -> None:
        """Write this run's entries, unless they are what the file holds already; a cache
        that cannot be written is not fatal."""
        if self.new and self.new != self.old:
            self.slot.put(self.new)


def _entries(value: Any) -> dict[str, list[Article]]:
    """A pack's entries; anything of another shape is no entry at all."""
    if not isinstance(value, dict):
        return {}
    return {key: articles for key, articles in value.items()
            if isinstance(key, str) and isinstance(articles, list)
            and all(isinstance(a, Article) for a in articles)}
