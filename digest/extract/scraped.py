"""Splits a web page saved as text into its lead article and the teasers of other articles.

The shape: site furniture, the headline (often twice), a dek, a "Kind | Section" line, the
body, maybe a "File:NAME - Wikimedia Commons" image line; then teaser blocks, each an optional
image-alt line, a credit line, a headline, a section line, a blurb and a "keep reading" line;
then navigation and subscribe lines. Every rule here is about that shape, never one site.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote

from digest.extract.textdoc import (
    Header,
    Parts,
    credit_line,
    is_furniture,
    is_teaser_end,
    is_title_like,
    parse_header,
    section_line,
)
from digest.models import Image

_COMMONS = re.compile(r"^File:(.+?\.\w{2,5})\s+[-–—]\s+Wikimedia Commons$")
_SMALL_WORDS = {"and", "of", "the", "&", "in", "on", "for", "to"}


@dataclass(frozen=True)
class Line:
    """One non-blank line of the page and whether a blank line came before it."""

    text: str
    blank_before: bool


@dataclass(frozen=True)
class Page:
    """A saved page: its lead article and the teasers it links to."""

    lead: Parts
    teasers: tuple[Parts, ...]


# A text (without carriage returns) where no line starts with one of these words has no "keep
# reading" line: most texts are no saved page, and this spares them being cut into lines here.
_MAYBE_TEASER_END = re.compile(r"^\s*(?:keep|continue|read)", re.IGNORECASE | re.MULTILINE)


def split_page(text: str) -> Page | None:
    """The lead and teasers of a saved page; None when the text is not shaped like one."""
    if ("\r" not in text and _MAYBE_TEASER_END.search(text) is None
            and not _repeated_title(text)):
        return None
    lines = _lines(text)
    texts = [line.text for line in lines]
    header = parse_header(texts)
    ends = [i for i, line in enumerate(texts) if is_teaser_end(line)]
    if header.title is None or not (header.repeated or ends):
        return None
    teasers: list[Parts] = []
    lead_end = ends[0] if ends else len(lines)
    block_start = header.end
    for number, end in enumerate(ends):
        found = _teaser(lines, block_start, end, first=number == 0)
        if found is not None:
            teasers.append(found[1])
            if number == 0:
                lead_end = found[0]
        block_start = end + 1
    return Page(_lead(texts[header.end:lead_end], header), tuple(teasers))


def commons_image(line: str) -> Image | None:
    """An Image for a "File:NAME - Wikimedia Commons" line, pointing at the file on Commons."""
    found = _COMMONS.match(line.strip())
    if not found:
        return None
    name = found.group(1).strip()
    url = "https://commons.wikimedia.org/wiki/Special:FilePath/" + quote(name.replace(" ", "_"))
    return Image(url=url, alt=readable_name(name), credit="Wikimedia Commons")


def readable_name(name: str) -> str:
    """A file name as words: "ATACMSMay2006 (cropped).jpg" → "ATACMS May 2006"."""
    stem = re.sub(r"\.\w{2,5}$", "", name)
    stem = re.sub(r"\([^)]*\)", " ", stem).replace("_", " ").replace("-", " ")
    stem = re.sub(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", " ", stem)
    stem = re.sub(r"(?<=[A-Za-z])(?=\d)|(?<=\d)(?=[A-Za-z])", " ", stem)
    return " ".join(stem.split())


def section_of(line: str) -> tuple[str | None, str] | None:
    """(kind, section) of a teaser's section line: "Opinion | Asia" or a short "Middle East"."""
    pair = section_line(line)
    if pair:
        return pair
    words = line.split()
    if not 0 < len(words) <= 4 or len(line) > 30 or is_furniture(line) or line[-1] in ".!?:,":
        return None
    if all(w[0].isupper() or w in _SMALL_WORDS for w in words) and words[0][0].isupper():
        return None, line
    return None


def _repeated_title(text: str) -> bool:
    """Whether the text starts with a headline given twice: a page without "keep reading"
    lines is a saved page only then. Only the lines the header rules look at are tidied."""
    raw = [line for line in text.split("\n") if line and not line.isspace()]
    header = parse_header(_TidiedLines(raw))
    return header.title is not None and header.repeated


class _TidiedLines:
    """The non-blank lines of a text with their spaces tidied as `_lines` does, each only once
    it is looked at."""

    def __init__(self, raw: list[str]) -> None:
        self.raw = raw
        self.tidied: dict[int, str] = {}

    def __len__(self) -> int:
        return len(self.raw)

    def __getitem__(self, index: int) -> str:
        if index not in self.tidied:
            self.tidied[index] = " ".join(self.raw[index].split())
        return self.tidied[index]


def _lines(text: str) -> list[Line]:
    lines: list[Line] = []
    blank = True
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = " ".join(raw.split())
        if line:
            lines.append(Line(line, blank))
        blank = not line
    return lines


def _heads(texts: list[str], low: int, high: int) -> list[int]:
    """Indexes of lines that look like a teaser headline: title-like, then a section line."""
    return [
        i for i in range(low, high - 2)
        if is_title_like(texts[i]) and section_of(texts[i + 1]) is not None
        and not (section_line(texts[i]) or credit_line(texts[i]) or is_furniture(texts[i]))
    ]


def _teaser(lines: list[Line], low: int, high: int, first: bool) -> tuple[int, Parts] | None:
    """The teaser that ends before line `high`, and the index of its first line."""
    texts = [line.text for line in lines]
    heads = _heads(texts, low, high)
    if first:  # the lead's body comes first: prefer a headline right under a credit line
        heads = [i for i in heads if i > low and credit_line(texts[i - 1])] or heads
    if not heads:
        return None
    head = heads[0]
    title = texts[head]
    kind, section = section_of(texts[head + 1]) or (None, None)
    begin, image = head, None
    if head > low and (credit := credit_line(texts[head - 1])):
        begin, alt = head - 1, title
        if head - 2 >= low and not lines[head - 1].blank_before and _is_alt(texts[head - 2]):
            begin, alt = head - 2, texts[head - 2]
        image = Image(url=None, alt=alt, credit=credit)
    blurb = tuple(t for t in texts[head + 2:high] if _is_body(t))
    return begin, Parts(title=title, section=section, kind=kind, image=image, paragraphs=blurb)


def _is_alt(line: str) -> bool:
    return not (section_line(line) or _COMMONS.match(line) or is_furniture(line)
                or is_teaser_end(line) or credit_line(line)) and len(line) <= 200


def _is_body(line: str) -> bool:
    return not (is_furniture(line) or is_teaser_end(line) or credit_line(line)
                or _COMMONS.match(line) or section_line(line))


def _lead(texts: list[str], header: Header) -> Parts:
    """The lead article from its header and the lines between header and first teaser."""
    image = None
    for line in texts:
        image = image or commons_image(line)
    credit = header.credit or next((c for t in texts if (c := credit_line(t))), None)
    if image is None and credit:
        image = Image(url=None, alt=header.title or "", credit=credit)
    return Parts(
        title=header.title,
        dek=header.dek,
        section=header.section,
        kind=header.kind,
        authors=header.authors,
        published=header.published,
        image=image,
        paragraphs=tuple(t for t in texts if _is_body(t)),
    )
