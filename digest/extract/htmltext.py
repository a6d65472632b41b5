"""Main text and metadata of an HTML page, with trafilatura.

Two trafilatura runs compete: one that favours precision and one that favours recall, both
without comments. The precise text wins unless it is less than half as long as the full one,
which means the precise run cut away part of the article. The page is parsed once and the recall
run only happens when the precise text is under half of the text the page holds in paragraphs:
otherwise it could not win. Metadata is read once from the same parsed page, apart from both
runs (`htmlmeta`), and only when there is text. Measured on two public extraction benchmarks by
`bench/eval_extraction.py` (see README, "Extraction quality").
"""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime
from typing import Any

from digest.extract.textdoc import Parts, is_furniture
from digest.models import Image

log = logging.getLogger(__name__)

# The precise text is kept while it holds at least this share of the full text's characters.
PRECISION_SHARE = 0.5


def extract_html(html: str, url: str | None = None) -> Parts:
    """The article in an HTML page: main text as paragraphs plus title, dek, date and image."""
    tree = _parse(html)
    meta, paragraph_chars = _metadata(tree, url), _paragraph_chars(tree)
    chosen = _run(tree, url, precision=True)  # takes the tree apart: read everything else first
    if not chosen or len(chosen) < PRECISION_SHARE * paragraph_chars:
        chosen = choose_text(chosen, _run(_parse(html), url, precision=False))
    return Parts(
        title=_clean(getattr(meta, "title", None)),
        dek=_clean(getattr(meta, "description", None)),
        authors=_authors(getattr(meta, "author", None)),
        published=_date(getattr(meta, "date", None)),
        section=_section(getattr(meta, "categories", None)),
        url=_web_url(getattr(meta, "url", None)) or url,
        image=_image(getattr(meta, "image", None)),
        language=getattr(meta, "language", None),
        paragraphs=tidy(chosen, _clean(getattr(meta, "title", None))),
    )


def main_text(html: str, url: str | None = None) -> str:
    """Only the main text of a page, paragraphs separated by blank lines."""
    return "\n\n".join(extract_html(html, url).paragraphs)


def choose_text(precise: str, full: str) -> str:
    """Pick the precise text unless it lost too much of what the recall-oriented run found."""
    if precise and len(precise) >= PRECISION_SHARE * len(full):
        return precise
    return full


def tidy(text: str, title: str | None) -> tuple[str, ...]:
    """Paragraphs of extracted text without a repeated headline or furniture at either end.

    """
    paragraphs = [p for p in (" ".join(line.split()) for line in text.splitlines()) if p]
    if paragraphs and title and paragraphs[0].casefold() == title.casefold():
        paragraphs.pop(0)
    while paragraphs and is_furniture(paragraphs[0]):
        paragraphs.pop(0)
    while paragraphs and is_furniture(paragraphs[-1]):
        paragraphs.pop()
    return tuple(paragraphs)


# Elements whose start and end break a paragraph; <br> breaks a line.
_BLOCKS = frozenset({
    "p", "div", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6",
    "blockquote", "pre", "table", "tr", "section", "article", "header", "footer", "aside",
    "figure", "figcaption", "hr", "address", "details", "summary", "main", "body",
})
_DROPPED = ("script", "style", "noscript", "template", "iframe", "object", "embed", "form",
            "head", "title", "svg", "math")


def fragment_text(html: str) -> tuple[tuple[str, ...], str | None]:
    """The paragraphs of an HTML fragment (a feed entry's content) and its first image URL.

    Any shape is text: plain words without a tag, one `<p>`, many paragraphs, `<br>` lines;
    nothing is cut away as boilerplate except scripts, styles and embedded objects.
    """
    from lxml import etree
    from lxml import html as lxml_html

    try:
        root = lxml_html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return _stripped(html), None
    etree.strip_elements(root, *_DROPPED, with_tail=False)
    etree.strip_elements(root, etree.Comment, etree.ProcessingInstruction,
                         with_tail=False)
    image = next((src for src in root.xpath("//img/@src") if _web_url(str(src))), None)
    parts: list[str] = []
    for event, element in etree.iterwalk(root, events=("start", "end")):
        tag = element.tag if isinstance(element.tag, str) else ""
        if event == "start":
            parts.append("\n\n" if tag in _BLOCKS else "\n" if tag == "br" else "")
            parts.append(_flat(element.text))
        else:
            parts.append("\n\n" if tag in _BLOCKS else "")
            parts.append(_flat(element.tail))
    lines = (" ".join(line.split()) for line in "".join(parts).splitlines())
    paragraphs = tuple(line for line in lines if line)
    return paragraphs or _stripped(html), str(image) if image else None


def _flat(text: str | None) -> str:
    """Text as markup holds it: a line break in the source is only a space."""
    return " ".join(text.splitlines()) if text else ""


def _stripped(html: str) -> tuple[str, ...]:
    """Text of markup the parser gave up on (nested too deep, broken): tags cut out."""
    import html as entities

    text = " ".join(entities.unescape(re.sub(r"<[^>]*>", " ", html)).split())
    return (text,) if text else ()


def _parse(html: str) -> Any:
    """The page's lxml tree as trafilatura parses it, or None."""
    from trafilatura.utils import load_html

    try:
        return load_html(html)
    except Exception as exc:  # a page lxml cannot parse at all
        log.debug("cannot parse the page: %s", exc)
        return None


def _paragraph_chars(tree: Any) -> int:
    """Characters of text in the page's paragraphs, whitespace squeezed: what a recall-oriented
    run could find at most, roughly; 0 for no page."""
    if tree is None:
        return 0
    return sum(len(" ".join(p.text_content().split())) for p in tree.iter("p"))


def _run(tree: Any, url: str | None, *, precision: bool) -> str:
    """The main text trafilatura finds in a parsed page, as `bare_extraction` finds it for
    plain text, without the copy of the whole page it makes first: the run takes the tree apart,
    so it is the last to read it."""
    from trafilatura.core import trafilatura_sequence
    from trafilatura.settings import Extractor
    from trafilatura.xml import xmltotxt

    if tree is None:
        return ""
    options = Extractor(output_format="python", precision=precision, recall=not precision,
                        comments=False, tables=True, url=url)
    try:
        body, text, _, _ = trafilatura_sequence(tree, options, url)
        if len(text) < options.min_output_size:
            return ""
        return str(xmltotxt(body, options.formatting))
    except Exception as exc:  # trafilatura raises a variety of parser errors on broken pages
        log.debug("trafilatura failed on %s: %s", url or "page", exc)
        return ""


def _metadata(tree: Any, url: str | None) -> Any:
    """The page's metadata as a trafilatura Document, or None without a page or when reading
    it failed."""
    from digest.extract.htmlmeta import page_metadata

    if tree is None:
        return None
    try:
        return page_metadata(tree, url)
    except Exception as exc:  # a page odd enough to break trafilatura's or htmldate's readers
        log.debug("cannot read the metadata of %s: %s", url or "page", exc)
        return None


def _clean(value: str | None) -> str | None:
    if not value:
        return None
    value = re.sub(r"\s+", " ", value).strip()
    return value or None


def _authors(value: str | None) -> tuple[str, ...]:
    if not value:
        return ()
    names = re.split(r";|,| and ", value)
    return tuple(name.strip() for name in names if name.strip())


def _date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _section(categories: list[str] | None) -> str | None:
    return _clean(categories[0]) if categories else None


def _web_url(value: str | None) -> str | None:
    return value if value and value.startswith(("http://", "https://")) else None


def _image(value: str | None) -> Image | None:
    url = _web_url(value)
    return Image(url=url) if url else None
