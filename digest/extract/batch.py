"""Extracting a whole week: every document's articles, in order, through the extraction cache.

A folder's file that collecting left unread (its hash unknown) is read here, once: its text is
hashed, looked up in the extraction cache and extracted, and its hash is handed back to the
folder's file-hash cache so the next run need not read it. Bodies are let go of as soon as
their document is extracted. Many HTML pages go to a process pool; the cache (one file, see
`digest.store.extractcache.Pack`) is looked up and written by this process only.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator, Mapping
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from digest.config import FetchConfig
from digest.errors import SourceError
from digest.models import Article, Document

if TYPE_CHECKING:
    from digest.store.extractcache import Pack

log = logging.getLogger(__name__)

# From this many HTML pages on (about 50 ms each to extract), a process pool over all cores
# pays for its start-up (measured on 2 cores: 30 pages 1.6 s either way, 60 pages 3.6 s alone
# and 1.9 s in the pool). Text and Markdown never do: at about 0.2 ms a document, sending it to
# another process costs as much as extracting it (10,000 texts: 1.5 s alone, 2.1 s in the pool).
EXTRACT_POOL_PAGES = 40
MAX_TEXT_BODY = 2_000_000  # characters of a text or Markdown body that extraction reads

FileRead = tuple[int, int]  # the size and modification time (ns) of a file read here
Extracted = tuple[list[Article], str | None, str, FileRead | None]


def extract_all(documents: list[Document], problems: list[str], *,
                cache_dir: Path | None = None, fetch: FetchConfig | None = None,
                folders: Mapping[str, Path] | None = None) -> list[Article]:
    """The articles of every document, in order; a failing document adds a line to `problems`.

    A document without its body but with a `path` is read only now, and only if `cache_dir`
    holds no articles for it (see `digest.store.extractcache`). Each document's body is dropped
    from `documents` once extracted (a light reference with its content hash stays, for marking
    it taken), so a big week never holds all raw pages next to all articles. `folders` names
    the folder of each folder source, whose file-hash cache learns the files read here. A
    progress bar shows on a terminal.
    """
    from digest.progress import progress
    from digest.store.extractcache import Pack

    pack = Pack(cache_dir) if cache_dir is not None else None
    articles: list[Article] = []
    files: dict[str, dict[str, tuple[int, int, str]]] = {}
    with progress("extracting", len(documents)) as advance:
        results = _extracted(documents, pack, fetch or FetchConfig())
        for index, (found, problem, digest, read) in enumerate(results):
            document = documents[index]
            if document.body or document.content_hash != digest:
                documents[index] = replace(document, body="", content_hash=digest)
            if read is not None and document.path:
                files.setdefault(document.source, {})[document.path] = (*read, digest)
            articles.extend(found)
            if problem:
                problems.append(problem)
            advance(1)
    if cache_dir is not None and pack is not None:
        pack.save()
        _remember(cache_dir, folders or {}, files)
    return articles


def _extracted(documents: list[Document], pack: Pack | None,
               fetch: FetchConfig) -> Iterator[Extracted]:
    """Each document's result, in order: in this process, or in a pool for many HTML pages
    (the cache is looked up here first, and what the pool extracts is kept here)."""
    hits = [_hit(d, pack) for d in documents]
    pages = sum(1 for d, hit in zip(documents, hits, strict=True)
                if d.format == "html" and hit is None)
    if pages < EXTRACT_POOL_PAGES or (os.cpu_count() or 1) < 2:
        for document, hit in zip(documents, hits, strict=True):
            yield (hit, None, document.content_hash, None) if hit is not None else \
                _extract_cached(document, pack, fetch)
        return
    from concurrent.futures import ProcessPoolExecutor

    log.info("extracting %d documents on %d cores", len(documents), os.cpu_count())
    misses = [d for d, hit in zip(documents, hits, strict=True) if hit is None]
    with ProcessPoolExecutor() as pool:
        done = pool.map(partial(_extract_cached, pack=None, fetch=fetch), misses, chunksize=8)
        for document, hit in zip(documents, hits, strict=True):
            if hit is not None:
                yield hit, None, document.content_hash, None
                continue
            result = next(done)
            if pack is not None and result[1] is None:
                _keep(pack, replace(document, content_hash=result[2]), result[0])
            yield result


def _hit(document: Document, pack: Pack | None) -> list[Article] | None:
    from digest.store.extractcache import cache_key

    key = cache_key(document) if pack is not None else None
    return pack.get(key) if pack is not None and key else None


def _keep(pack: Pack, document: Document, articles: list[Article]) -> None:
    from digest.store.extractcache import cache_key

    if key := cache_key(document):
        pack.put(key, articles)


def _remember(cache_dir: Path, folders: Mapping[str, Path],
              files: dict[str, dict[str, tuple[int, int, str]]]) -> None:
    from digest.store import filehashes

    for source, read in files.items():
        if source in folders:
            filehashes.remember(cache_dir, folders[source], read)


def _extract_cached(document: Document, pack: Pack | None, fetch: FetchConfig) -> Extracted:
    """`extract_one` through the extraction cache, reading a body left out by collecting (the
    caller looked the cache up already, except for a file whose hash only reading tells)."""
    from digest.sources.folder import read_text
    from digest.sources.reading import content_hash

    read: FileRead | None = None
    if not document.body and document.path:
        try:
            text, info = read_text(document.path, document.source, fetch)
        except SourceError as exc:
            return [], str(exc), document.content_hash, None
        known = document.content_hash
        document = replace(document, body=text, content_hash=content_hash(text))
        if not known:
            read = (info.st_size, info.st_mtime_ns)
            if (hit := _hit(document, pack)) is not None:
                return hit, None, document.content_hash, read
    found, problem = extract_one(document)
    if pack is not None and problem is None:
        _keep(pack, document, found)
    return found, problem, document.content_hash, read


def capped(article: Article, limit: int) -> Article:
    """The article with at most `limit` characters of text, cut at a paragraph, a sentence or a
    word when one ends in the last fifth; summaries and the issue never see the rest."""
    if len(article.text) <= limit:
        return article
    text = article.text[:limit]
    for mark in ("\n\n", ". ", " "):
        at = text.rfind(mark)
        if at > limit * 0.8:
            text = text[: at + (1 if mark == ". " else 0)]
            break
    return replace(article, text=text.rstrip())


def extract_one(document: Document) -> tuple[list[Article], str | None]:
    """One document's articles, or none and the one-line problem that stopped them.

    A text body longer than `MAX_TEXT_BODY` characters is cut first: no article is read past
    that, and a line of megabytes must not reach the line rules whole.
    """
    from digest.extract.document import extract_document

    if document.format != "html" and len(document.body) > MAX_TEXT_BODY:
        document = replace(document, body=document.body[:MAX_TEXT_BODY])
    where = document.url or document.uid  # a folder's uid is the path inside it
    try:
        return extract_document(document), None
    except SourceError as exc:
        problem = exc.problem if where in exc.problem else f"{where}: {exc.problem}"
        return [], f"{exc.source}: {problem}, skipped"
    except Exception as exc:  # one bad document never stops the issue
        return [], f"{document.source}: {where}: cannot extract ({exc}), skipped"
