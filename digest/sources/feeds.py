"""Feeds to Documents: RSS 0.9x/1.0/2.0 and Atom through feedparser, JSON Feed 1.0/1.1 read here.

Each entry becomes one Document with its title, canonical link, authors, date (aware UTC),
first category as section, image, and its content (else its summary or description, else
nothing: a headline-only entry) as the body, marked as a fragment rather than a whole page.
"""

from __future__ import annotations

import calendar
import json
import logging
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

from digest.config import FetchConfig, SourceConfig
from digest.errors import SourceError
from digest.models import Document, Format, Image
from digest.sources.fetch import Fetcher, FetchError, fetch_all
from digest.sources.pages import page_document, page_words
from digest.sources.reading import SourceRead, content_hash, decode_text, read_regular
from digest.sources.urls import canonical_url

log = logging.getLogger(__name__)

Validators = tuple[str | None, str | None]
TEASER_WORDS = 120
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif")


@dataclass(frozen=True)
class Defaults:
    """What a source adds to entries that lack it: its name, section and language."""

    source: str
    section: str | None = None
    language: str | None = None
    title: str | None = None  # the source's display title, else the feed's own


def parse_feed(data: bytes, defaults: Defaults, *, url: str | None = None) -> list[Document]:
    """Parse feed bytes into Documents; raise SourceError "not a feed: <reason>" when it is not one.

    `url` is where the feed came from, so that relative links resolve against it.
    """
    stripped = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith((b"{", b"[")):
        return _json_feed(data, defaults)
    return _xml_feed(data, defaults, url)


def _xml_feed(data: bytes, defaults: Defaults, url: str | None) -> list[Document]:
    import feedparser

    headers = {"content-location": url} if url else None
    parsed = feedparser.parse(data, response_headers=headers, sanitize_html=True)
    if not parsed.entries and not parsed.get("version"):
        raise SourceError(defaults.source, f"not a feed: {_not_feed_reason(data, parsed)}")
    if parsed.get("bozo"):
        log.debug("%s: feed is not well-formed, read leniently: %s",
                  defaults.source, parsed.get("bozo_exception"))
    language = parsed.feed.get("language") or defaults.language
    title = defaults.title or " ".join(str(parsed.feed.get("title") or "").split()) or None
    defaults = Defaults(defaults.source, defaults.section, language, title)
    return _each(_entry_document, parsed.entries, defaults)


def _each(make: Any, entries: list[Any], defaults: Defaults, *more: Any) -> list[Document]:
    """One Document an entry; an entry that cannot become one is left out, the others kept."""
    documents = []
    for entry in entries:
        try:
            documents.append(make(entry, defaults, *more))
        except (AttributeError, TypeError, ValueError, KeyError) as exc:
            log.warning("%s: an entry left out: %s", defaults.source, f"{exc}"[:200])
    return documents


def _not_feed_reason(data: bytes, parsed: Any) -> str:
    head = data[:2048].lower()
    if not data.strip():
        return "empty"
    if b"<html" in head or b"<!doctype html" in head:
        return "an HTML page, not RSS, Atom or JSON Feed"
    problem = parsed.get("bozo_exception")
    text = str(problem).splitlines()[0] if problem else "no RSS, Atom or JSON Feed structure"
    return text[:200]


def _entry_document(entry: Any, defaults: Defaults) -> Document:
    link = entry.get("link")
    link = canonical_url(link) if link else None
    body, fmt = _entry_body(entry)
    title = (entry.get("title") or "").strip() or None
    uid = (entry.get("id") or "").strip() or link or content_hash(body or title or "")
    tags = [t.get("term") or t.get("label") for t in entry.get("tags") or []]
    section = next((t.strip() for t in tags if t and t.strip()), None) or defaults.section
    return Document(
        source=defaults.source,
        uid=uid,
        body=body,
        format=fmt,
        url=link,
        title=title,
        published=_entry_date(entry),
        authors=_entry_authors(entry),
        section=section,
        image=_entry_image(entry),
        language=entry.get("language") or defaults.language,
        content_hash=content_hash(body or title or ""),
        fragment=True,
        source_title=defaults.title,
    )


def _entry_body(entry: Any) -> tuple[str, Format]:
    """The entry's content, else its summary (or description), else nothing."""
    candidates = [(c.get("value") or "", c.get("type") or "") for c in entry.get("content") or []]
    detail = entry.get("summary_detail") or {}
    candidates.append((entry.get("summary") or "", detail.get("type") or "text/html"))
    value, kind = next((c for c in candidates if c[0].strip()), ("", "text/html"))
    return value, ("text" if kind == "text/plain" else "html")


def _entry_date(entry: Any) -> datetime | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        parsed = dict.get(entry, key)  # not entry.get: feedparser maps updated→published
        if parsed:
            try:
                return datetime.fromtimestamp(calendar.timegm(parsed), UTC)
            except (TypeError, ValueError, OverflowError):
                continue
    return None


def _entry_authors(entry: Any) -> tuple[str, ...]:
    names = [(a.get("name") or "").strip() for a in entry.get("authors") or []]
    names = [n for n in names if n]
    if not names and (entry.get("author") or "").strip():
        names = [entry["author"].strip()]
    return tuple(dict.fromkeys(names))


def _entry_image(entry: Any) -> Image | None:
    for media in entry.get("media_content") or []:
        kind = media.get("medium") or media.get("type") or ""
        url = media.get("url") or ""
        if url and (kind == "image" or kind.startswith("image/") or _image_url(url)):
            return Image(url)
    for thumb in entry.get("media_thumbnail") or []:
        if thumb.get("url"):
            return Image(thumb["url"])
    for link in list(entry.get("enclosures") or []) + list(entry.get("links") or []):
        is_enclosure = link.get("rel", "enclosure") == "enclosure"
        if is_enclosure and (link.get("type") or "").startswith("image/") and link.get("href"):
            return Image(link["href"])
    return None


def _image_url(url: str) -> bool:
    return url.lower().split("?")[0].endswith(IMAGE_SUFFIXES)


def _json_feed(data: bytes, defaults: Defaults) -> list[Document]:
    try:
        feed = json.loads(decode_text(data))
    except ValueError as exc:
        raise SourceError(defaults.source, f"not a feed: invalid JSON: {exc}") from exc
    if not isinstance(feed, dict) or not isinstance(feed.get("items"), list):
        raise SourceError(defaults.source, "not a feed: JSON without an 'items' list")
    language = feed.get("language") if isinstance(feed.get("language"), str) else None
    feed_authors = _json_authors(feed)
    items = [item for item in feed["items"] if isinstance(item, dict)]
    title = defaults.title or " ".join(str(feed.get("title") or "").split()) or None
    return _each(_json_item, items,
                 Defaults(defaults.source, defaults.section, language or defaults.language,
                          title),
                 feed_authors)


def _json_item(item: dict[str, Any], defaults: Defaults, feed_authors: tuple[str, ...]) -> Document:
    link = item.get("url") or item.get("external_url")
    link = canonical_url(link) if isinstance(link, str) and link else None
    body, fmt = next(
        ((value, kind) for value, kind in
         [(_string(item.get("content_html")), "html"), (_string(item.get("content_text")), "text"),
          (_string(item.get("summary")), "text")] if value.strip()),
        ("", "text"),
    )
    title = _string(item.get("title")).strip() or None
    listed = item.get("tags")
    tags = [t.strip() for t in listed if isinstance(t, str) and t.strip()] if isinstance(
        listed, list) else []
    image = item.get("image") or item.get("banner_image")
    language = item.get("language") if isinstance(item.get("language"), str) else None
    return Document(
        source=defaults.source,
        uid=str(item.get("id") if isinstance(item.get("id"), str | int) else "").strip()
        or link or content_hash(body or title or ""),
        body=body,
        format=fmt,  # type: ignore[arg-type]
        url=link,
        title=title,
        published=_iso_date(item.get("date_published") or item.get("date_modified")),
        authors=_json_authors(item) or feed_authors,
        section=tags[0] if tags else defaults.section,
        image=Image(image) if isinstance(image, str) and image else None,
        language=language or defaults.language,
        content_hash=content_hash(body or title or ""),
        fragment=True,
        source_title=defaults.title,
    )


def _string(value: Any) -> str:
    """A JSON value that should be text: itself when it is, else nothing."""
    return value if isinstance(value, str) else ""


def _json_authors(obj: dict[str, Any]) -> tuple[str, ...]:
    people = obj.get("authors") or ([obj["author"]] if obj.get("author") else [])
    people = people if isinstance(people, list) else []
    names = [str(p.get("name") or "").strip() for p in people if isinstance(p, dict)]
    return tuple(n for n in names if n)


def _iso_date(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        try:  # some JSON feeds carry RSS-style dates
            parsed = parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
    return parsed.astimezone(UTC) if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def read_feed(
    source: SourceConfig, fetch: FetchConfig, fetcher: Fetcher, validators: Validators
) -> SourceRead:
    """A feed source's entries, by a conditional GET (a 304 costs nothing) or from a file."""
    read = SourceRead()
    defaults = Defaults(source.name, source.section, source.language, source.title)
    try:
        if source.path is not None:
            data, where = _read_file(source.path, source.name, fetch), None
        else:
            etag, modified = validators
            response = fetcher.get(str(source.url), etag=etag, last_modified=modified)
            if response.not_modified:
                read.validators = validators
                return read
            data, where = response.body, response.url
            read.validators = (response.headers.get("etag"), response.headers.get("last-modified"))
        read.documents = parse_feed(data, defaults, url=where)
        if not read.documents:
            read.errors.append("feed has no entries")
    except FetchError as exc:
        read.fail(exc.reason)
    except SourceError as exc:
        read.fail(exc.problem)
    return read


def _read_file(path: Path, source: str, fetch: FetchConfig) -> bytes:
    return read_regular(path, source, fetch.max_bytes)


def is_teaser(document: Document) -> bool:
    """True when an entry's body is too short to be the whole article."""
    return page_words(document.body) < TEASER_WORDS if document.body else True


def fill_full_text(
    source: SourceConfig, documents: list[Document], fetcher: Fetcher, read: SourceRead
) -> list[Document]:
    """Replace teaser bodies by the linked pages' HTML; a page that fails keeps the teaser.

    Links pointing at loopback, private or link-local addresses are not fetched unless the
    source sets `allow_private`.
    """
    wanted = [d for d in documents if d.url and is_teaser(d)]
    answers = fetch_all(fetcher, [str(d.url) for d in wanted], allow_private=source.allow_private)
    pages: dict[str, Document] = {}
    for document, answer in zip(wanted, answers, strict=True):
        if isinstance(answer, FetchError):
            read.errors.append(f"full text of {document.url}: {answer.reason}")
            continue
        try:
            page = page_document(answer, source.name, uid=document.uid)
        except SourceError as exc:
            read.errors.append(f"full text: {exc.problem}")
            continue
        pages[document.uid] = replace(document, body=page.body, format="html", fragment=False)
    return [pages.get(d.uid, d) for d in documents]
