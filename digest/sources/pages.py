"""Web pages as Documents: one page source, a fetched page, and whether it holds an article."""

from __future__ import annotations

from typing import TYPE_CHECKING

from digest.config import FetchConfig, SourceConfig
from digest.errors import SourceError
from digest.models import Document
from digest.sources.reading import (
    SourceRead,
    content_hash,
    decode_text,
    looks_binary,
    with_source_defaults,
)

if TYPE_CHECKING:
    from digest.sources.fetch import Fetcher, Response

MIN_ARTICLE_WORDS = 40


def load_url(
    url: str, source: str, fetch: FetchConfig, *, fetcher: Fetcher | None = None
) -> Document:
    """Fetch a web page as an html Document whose url and uid are the final canonical URL.

    `fetcher` shares one client across a run; without it a client is opened for this page.
    """
    from digest.sources.fetch import Fetcher, FetchError

    try:
        if fetcher is not None:
            response = fetcher.get(url)
        else:
            with Fetcher(fetch) as own:
                response = own.get(url)
    except FetchError as exc:
        raise SourceError(source, f"{url}: {exc.reason}") from exc
    return page_document(response, source)


def page_document(response: Response, source: str, *, uid: str | None = None) -> Document:
    """A fetched page as an html Document; refuses bodies that are binary or empty."""
    from digest.sources.urls import canonical_url

    final = canonical_url(response.url)
    kind = response.content_type
    if looks_binary(response.body) or (kind and not _is_text_type(kind)):
        raise SourceError(source, f"{final}: not a web page ({kind or 'binary'})")
    text = decode_text(response.body, response.charset)
    if not text.strip():
        raise SourceError(source, f"{final}: empty page")
    return Document(
        source=source,
        uid=uid or final,
        body=text,
        format="html",
        url=final,
        content_hash=content_hash(text),
    )


def _is_text_type(kind: str) -> bool:
    return kind.startswith("text/") or kind.endswith(("+xml", "/xml", "xhtml+xml"))


def read_page(source: SourceConfig, fetch: FetchConfig, fetcher: Fetcher) -> SourceRead:
    """A page source as one html Document."""
    read = SourceRead()
    try:
        document = load_url(str(source.url), source.name, fetch, fetcher=fetcher)
        check_article(document)
    except SourceError as exc:
        read.fail(exc.problem)
        return read
    read.documents.append(with_source_defaults(document, source))
    return read


def page_words(html: str) -> int:
    """How many words of visible text a page holds (scripts, styles and navigation left out)."""
    import lxml.html

    try:
        tree = lxml.html.fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        return 0
    for element in tree.xpath("//script|//style|//nav|//noscript|//template|//header|//footer"):
        element.drop_tree()
    return len(tree.text_content().split())


def check_article(document: Document, min_words: int = MIN_ARTICLE_WORDS) -> None:
    """Refuse a page with too little text to be an article, naming it and the count."""
    words = page_words(document.body)
    if words < min_words:
        raise SourceError(
            document.source, f"{document.url}: not an article (only {words} words of text)"
        )
