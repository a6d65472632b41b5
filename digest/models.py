"""The small frozen data types that flow between the stages of a digest.

Document → Article → Summary → Issue → Rendered. This module imports nothing from the package.
It also holds digest's version, which `digest.__version__` shows and the caches key on.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

Role = Literal["lead", "teaser", "item"]
Format = Literal["text", "markdown", "html"]

VERSION = "0.1.0"


@dataclass(frozen=True)
class Image:
    """A picture that belongs to an article: where it is, what it shows, who made it."""

    url: str | None
    alt: str = ""
    credit: str | None = None


@dataclass(frozen=True)
class Document:
    """One item as a source delivered it: raw body plus whatever metadata came with it."""

    source: str
    uid: str
    body: str
    format: Format = "text"
    url: str | None = None
    title: str | None = None
    published: datetime | None = None
    authors: tuple[str, ...] = ()
    section: str | None = None
    image: Image | None = None
    language: str | None = None
    content_hash: str = ""
    path: str | None = None
    # True for a feed entry's content or summary: a fragment of any shape (plain text, one
    # paragraph, many), extracted as it stands rather than searched for a page's main text.
    fragment: bool = False
    source_title: str | None = None  # the source as readers know it ("Also in: ...")


@dataclass(frozen=True)
class Article:
    """Readable text and metadata extracted from a Document; a scraped page yields several."""

    title: str
    text: str
    source: str
    uid: str
    role: Role = "item"
    dek: str | None = None
    section: str | None = None
    kind: str | None = None
    authors: tuple[str, ...] = ()
    published: datetime | None = None
    url: str | None = None
    image: Image | None = None
    language: str | None = None
    also_in: tuple[str, ...] = ()
    # (source, uid) of the duplicates merged into this story, so they are taken with it.
    copies: tuple[tuple[str, str], ...] = ()
    source_title: str | None = None  # the source as readers know it ("Also in: ...")

    @property
    def paragraphs(self) -> list[str]:
        """The body split into its paragraphs."""
        return [p.strip() for p in self.text.split("\n\n") if p.strip()]

    @property
    def story_id(self) -> str:
        """A short id for the story, the same whenever the same article is built again."""
        return hashlib.sha256(f"{self.source}\0{self.uid}".encode()).hexdigest()[:8]


@dataclass(frozen=True)
class Summary:
    """An Article with its chosen sentences, in document order, and their scores."""

    article: Article
    sentences: tuple[str, ...]
    scores: tuple[float, ...] = ()


@dataclass(frozen=True)
class Section:
    """A heading of the round-up and the teasers grouped under it."""

    name: str
    items: tuple[Summary, ...]


@dataclass(frozen=True)
class Issue:
    """One issue of the newsletter, composed and ready to render."""

    number: int
    period_start: date
    period_end: date
    title: str
    subject: str
    preheader: str
    lead: Summary | None
    sections: tuple[Section, ...] = ()
    trimmed: int = 0
    note: str = ""  # the editor's note, Markdown shown above the lead; empty when none

    @property
    def teasers(self) -> list[Summary]:
        """Every teaser, in the order the sections show them."""
        return [item for section in self.sections for item in section.items]


@dataclass(frozen=True)
class Rendered:
    """An issue rendered: subject, preheader, MJML source, compiled HTML and the plain text."""

    subject: str
    preheader: str
    mjml: str
    html: str
    text: str
    notes: tuple[str, ...] = field(default_factory=tuple)
    trimmed: int = 0  # teasers left out at the end to stay within the HTML size budget


@dataclass(frozen=True)
class Preview:
    """Marks a rendering as the editors' preview of a held issue, and where they review it."""

    review_url: str | None = None
