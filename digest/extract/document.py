"""The extract stage: turns one Document into the Articles it holds, with furniture removed.

A text or Markdown document shaped like a saved web page becomes a lead and its teasers
(`scraped`); any other text is one article whose title, date and authors come from YAML
front matter or its first lines (`textdoc`); HTML goes through `htmltext`.
Without a title in the text, the document's own title is used, else the first sentence,
clipped at a word boundary.
"""

from __future__ import annotations

import dataclasses
import logging
import re
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from digest.errors import SourceError
from digest.extract.textdoc import (
    Header,
    Parts,
    blocks,
    front_matter,
    is_furniture,
    is_teaser_end,
    markdown_image,
    markdown_to_text,
    parse_header,
)
from digest.models import Article, Document, Format, Image, Role

log = logging.getLogger(__name__)

TITLE_WORDS = 10
TITLE_CHARS = 80


def extract_document(doc: Document) -> list[Article]:
    """The articles in a document: a lead and teasers for a saved page, else one item."""
    if doc.fragment:
        return [entry_article(doc)]
    if not doc.body.strip():
        raise SourceError(doc.source, "empty document, no article text")
    if doc.format == "html":
        from digest.extract.htmltext import extract_html

        return [_article(doc, extract_html(doc.body, doc.url), "item", doc.uid)]
    if doc.format == "text" or doc.format == "markdown":
        from digest.extract.scraped import split_page

        page = split_page(markdown_to_text(doc.body) if doc.format == "markdown" else doc.body)
        if page is not None and page.lead.paragraphs:
            lead = _article(doc, page.lead, "lead", f"{doc.uid}#lead")
            teasers = [
                _article(doc, parts, "teaser", f"{doc.uid}#teaser-{number}")
                for number, parts in enumerate(page.teasers, start=1)
            ]
            log.debug("%s: a saved page with %d teasers", doc.uid, len(teasers))
            return [lead, *teasers]
        return [_article(doc, plain_text(doc.body, markdown=doc.format == "markdown"),
                         "item", doc.uid)]
    raise SourceError(doc.source, f"unknown document format {doc.format!r}")


def entry_article(doc: Document) -> Article:
    """A feed entry as one story: its own title and link, its content or summary as the text.

    The text is taken as it stands, plain or HTML of any size; an entry with a title but no
    text is still a story (a headline with its link). Only an entry with neither is refused.
    """
    from digest.extract.htmltext import fragment_text, tidy

    image = None
    if doc.format == "html":
        paragraphs, found = fragment_text(doc.body)
        image = Image(found) if found else None
    else:
        paragraphs = tuple(" ".join(p.split()) for p in re.split(r"\n[ \t]*\n", doc.body))
    paragraphs = tidy("\n".join(p for p in paragraphs if p), doc.title)
    title = (doc.title or "").strip()
    if not title and not paragraphs:
        raise SourceError(doc.source, f"{doc.url or doc.uid}: entry has no title and no text")
    return Article(
        title=title or fallback_title(dataclasses.replace(doc, title=None), paragraphs),
        text="\n\n".join(paragraphs),
        source=doc.source,
        uid=doc.uid,
        section=doc.section,
        authors=doc.authors,
        published=doc.published,
        url=_web_url(doc.url),
        image=_safe_image(doc.image or image),
        language=doc.language,
        source_title=doc.source_title,
    )


def plain_text(text: str, *, markdown: bool = False) -> Parts:
    """One article from plain text or Markdown, with front matter and first-lines metadata."""
    meta, body = front_matter(text)
    image = markdown_image(body) if markdown else None
    if markdown:
        body = markdown_to_text(body)
    paragraphs = blocks(body)
    blank_separated = bool(re.search(r"\n[ \t]*\n", body.strip()))
    header = parse_header(paragraphs) if blank_separated else Header(None, 0)
    title = _text_value(meta.get("title"))
    if title and header.title and header.title.casefold() != title.casefold():
        header = Header(None, 0)  # the first line is body text, not a second title
    kept = [p for p in paragraphs[header.end:] if not (is_furniture(p) or is_teaser_end(p))]
    return Parts(
        title=title or header.title,
        dek=_text_value(meta.get("dek") or meta.get("description")) or header.dek,
        section=_text_value(meta.get("section")) or header.section,
        kind=header.kind,
        authors=_meta_authors(meta) or header.authors,
        published=_meta_date(meta.get("date")) or header.published,
        url=_text_value(meta.get("url")),
        image=_meta_image(meta.get("image")) or image,
        paragraphs=tuple(kept),
    )


def article_json(article: Article) -> dict[str, Any]:
    """An article as a JSON-able dict (the shape `digest extract --format json` prints)."""
    image = article.image
    return {
        "role": article.role,
        "title": article.title,
        "dek": article.dek,
        "section": article.section,
        "kind": article.kind,
        "authors": list(article.authors),
        "published": article.published.isoformat() if article.published else None,
        "url": article.url,
        "image": dataclasses.asdict(image) if image else None,
        "text": article.text,
    }


def fallback_title(doc: Document, paragraphs: tuple[str, ...]) -> str:
    """The document's title unless it is only a file name, else the clipped first sentence."""
    if doc.title and not _file_name_like(doc):
        return doc.title.strip()
    first = paragraphs[0] if paragraphs else ""
    sentence = re.split(r"(?<=[.!?])\s+", first, maxsplit=1)[0].strip()
    words = sentence.split()
    clipped = " ".join(words[:TITLE_WORDS])
    while len(clipped) > TITLE_CHARS and " " in clipped:
        clipped = clipped.rsplit(" ", 1)[0]
    if clipped != sentence:
        return clipped.rstrip(" ,;:—–-") + "…"
    return clipped.rstrip(".")


def _article(doc: Document, parts: Parts, role: Role, uid: str) -> Article:
    if not parts.paragraphs:
        raise SourceError(doc.source, "no article text found")
    whole_page = role != "teaser"
    return Article(
        title=parts.title or fallback_title(doc, parts.paragraphs),
        text="\n\n".join(parts.paragraphs),
        source=doc.source,
        uid=uid,
        role=role,
        dek=parts.dek,
        section=parts.section or (doc.section if whole_page else None),
        kind=parts.kind,
        authors=parts.authors or (doc.authors if whole_page else ()),
        published=parts.published or doc.published,
        url=_web_url(doc.url or parts.url) if whole_page else None,
        image=_safe_image(parts.image or (doc.image if whole_page else None)),
        language=parts.language or doc.language,
        source_title=doc.source_title,
    )


def _file_name_like(doc: Document) -> bool:
    title = (doc.title or "").strip()
    if doc.path and title in {Path(doc.path).name, Path(doc.path).stem}:
        return True
    return " " not in title and bool(re.search(r"[_\d]", title))


def _web_url(url: str | None) -> str | None:
    return url if url and url.lower().startswith(("http://", "https://")) else None


def _safe_image(image: Image | None) -> Image | None:
    """Keep only http(s) image addresses; an image without one keeps its alt and credit."""
    if image is None or image.url is None or _web_url(image.url):
        return image
    if image.credit:
        return dataclasses.replace(image, url=None)
    return None


def _text_value(value: Any) -> str | None:
    return " ".join(str(value).split()) or None if value not in (None, "") else None


def _meta_authors(meta: dict[str, Any]) -> tuple[str, ...]:
    value = meta.get("authors", meta.get("author"))
    if isinstance(value, str):
        value = re.split(r",\s*|\s+and\s+", value)
    if isinstance(value, list | tuple):
        return tuple(str(v).strip() for v in value if str(v).strip())
    return ()


def _meta_date(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    if isinstance(value, str):
        from digest.extract.textdoc import date_line

        try:
            return _meta_date(datetime.fromisoformat(value.strip()))
        except ValueError:
            return date_line(value)
    return None


def _meta_image(value: Any) -> Image | None:
    if isinstance(value, str):
        return Image(url=value)
    if isinstance(value, dict) and value.get("url"):
        return Image(url=str(value["url"]), alt=str(value.get("alt") or ""),
                     credit=value.get("credit"))
    return None


def extract_input(item: str) -> list[Article]:
    """Load one path or http(s) URL with default fetch settings and extract its articles."""
    from digest.config import FetchConfig
    from digest.sources.folder import load_path
    from digest.sources.pages import load_url

    fetch = FetchConfig.model_validate({})
    if item.lower().startswith(("http://", "https://")):
        document = load_url(item, source=item, fetch=fetch)
    else:
        document = load_path(Path(item), source=item, fetch=fetch)
    if _looks_like_feed(document.body):  # a feed shows its entries, not its XML
        from digest.sources.feeds import Defaults, parse_feed

        try:
            entries = parse_feed(document.body.encode(), Defaults(item), url=document.url)
        except SourceError:
            entries = []
        if entries:
            return [article for entry in entries for article in extract_document(entry)]
    return extract_document(document)


def article_body(path: Path, text: str) -> tuple[str, str | None]:
    """The text to summarize in a file and its title: a saved page's lead article without its
    headline, dek, labels and furniture; a plain text without its title line. A text in which
    extraction finds no article is summarized whole."""
    fmt: Format = "markdown" if path.suffix.lower() in {".md", ".markdown"} else "text"
    try:
        articles = extract_document(Document(str(path), str(path), text, format=fmt))
    except SourceError:
        return text, None
    lead = next((a for a in articles if a.role == "lead"), articles[0])
    return (lead.text, lead.title) if lead.text.strip() else (text, None)


def _looks_like_feed(body: str) -> bool:
    head = body.lstrip("\ufeff \t\r\n")[:2000].lower()
    if head.startswith("{"):
        return '"items"' in body[:20000] and "jsonfeed" in head
    return bool(re.search(r"<(rss|feed|rdf:rdf)[\s>]", head))


def article_text(article: Article) -> str:
    """An article as readable text: its fields one a line, a blank line, then the body."""
    image = article.image
    fields = [
        ("role", article.role), ("title", article.title), ("dek", article.dek),
        ("section", article.section), ("kind", article.kind),
        ("authors", ", ".join(article.authors)),
        ("date", article.published.date().isoformat() if article.published else None),
        ("url", article.url),
        ("image", (image.url or image.alt) if image else None),
        ("credit", image.credit if image else None),
    ]
    lines = [f"{name}: {value}" for name, value in fields if value]
    return "\n".join(lines) + "\n\n" + article.text + "\n"
