"""Plain-text and Markdown articles: front matter, first-lines metadata, and line rules.

The line rules (site furniture, link trails, section, byline, date and credit lines) are shared
with `digest.extract.scraped`, which splits saved web pages. A title comes from front matter, a
Markdown heading, or a short first line followed by a blank line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any, Protocol

from digest.models import Image

MAX_FRONT_MATTER = 64 * 1024  # characters
_WORD = r"[\w’'&.-]+"
_SECTION_LINE = re.compile(rf"^({_WORD}(?: {_WORD}){{0,3}}) \| ({_WORD}(?: {_WORD}){{0,3}})$")
_FURNITURE = re.compile(
    r"^(follow us( on [\w ]+)?|share( this( article| story| page)?)?|"
    r"(keep|continue) reading.*|read (more|the full story).*|show (less|more)|advertisement|"
    r"sign up|sign in|log ?in|subscribe|newsletters?|menu|search|skip to( main)? content|"
    r"related( articles| stories)?|comments?|print|e-?mail|most (read|popular)|trending|"
    r"you (may|might) also like|latest( news)?|home( ?page)?|back to top)[.!:]?$",
    re.IGNORECASE,
)
_SUBSCRIBE = re.compile(r"^(subscribe|sign up|join)\b", re.IGNORECASE)
_SUBSCRIBE_WORDS = re.compile(r"newsletter|round-?up|inbox|e-?mail|don.t miss", re.IGNORECASE)
_TEASER_END = re.compile(r"^((keep|continue) reading|read more)", re.IGNORECASE)
_LINK_TRAIL = re.compile(r"^[-–•*] .{1,200}[›»→]$")
_CREDIT = re.compile(
    r"^(?:top |lead |header )?(?:photo|image|picture)(?: credit)?s?:\s*(.+)$|^credits?:\s*(.+)$",
    re.IGNORECASE,
)
_BYLINE = re.compile(r"^by\s+([A-Z][^|·—]{1,80}?)(?:\s*[|·—]\s*(.+))?$", re.IGNORECASE)
_DATE_PREFIX = re.compile(r"^(published|updated|posted)( on)?:?\s+", re.IGNORECASE)
_DATE_FORMATS = ("%B %d, %Y", "%b %d, %Y", "%b. %d, %Y", "%d %B %Y", "%d %b %Y",
                 "%A, %B %d, %Y", "%a, %b %d, %Y", "%Y/%m/%d", "%d.%m.%Y")


@dataclass(frozen=True)
class Parts:
    """What extraction found in one article, before it becomes an `Article`."""

    title: str | None = None
    dek: str | None = None
    section: str | None = None
    kind: str | None = None
    authors: tuple[str, ...] = ()
    published: datetime | None = None
    url: str | None = None
    image: Image | None = None
    language: str | None = None
    paragraphs: tuple[str, ...] = field(default_factory=tuple)


def is_furniture(line: str) -> bool:
    """Navigation, sharing and subscribe lines of a site, never part of an article."""
    line = line.strip()
    if _FURNITURE.match(line) or _LINK_TRAIL.match(line):
        return True
    words = line.split(maxsplit=3)  # four at most: whether there are more than three
    if 0 < len(words) <= 3 and line.isascii() and line.upper() == line and line.lower() != line:
        return True  # short all-caps navigation: LATEST, MOST READ
    return bool(_SUBSCRIBE.match(line) and _SUBSCRIBE_WORDS.search(line) and len(line) < 500)


def is_teaser_end(line: str) -> bool:
    """A "keep reading" / "read more" line that closes a teaser on a saved page."""
    return bool(_TEASER_END.match(line.strip())) and len(line.split()) <= 6


def section_line(line: str) -> tuple[str, str] | None:
    """(kind, section) from a line such as "Analysis | Europe"."""
    found = _SECTION_LINE.match(line.strip())
    return (found.group(1), found.group(2)) if found else None


def credit_line(line: str) -> str | None:
    """The credit from "Top photo credit: NAME", "Image: NAME" or "Credit: NAME"."""
    found = _CREDIT.match(line.strip())
    return (found.group(1) or found.group(2)).strip() if found else None


def byline(line: str) -> tuple[tuple[str, ...], datetime | None] | None:
    """Authors (and a date after a bar) from a "By Jane Doe and John Roe" line."""
    found = _BYLINE.match(line.strip())
    if not found or len(found.group(1).split()) > 10:
        return None
    names = re.split(r",\s*(?:and\s+)?|\s+and\s+|\s*&\s*", found.group(1).strip())
    when = date_line(found.group(2)) if found.group(2) else None
    return tuple(n.strip() for n in names if n.strip()), when


def date_line(line: str) -> datetime | None:
    """The date of a line that holds only a date, such as "November 18, 2024"."""
    text = _DATE_PREFIX.sub("", line.strip()).strip()
    if not text or len(text) > 40:
        return None
    try:
        day = date.fromisoformat(text[:10]) if re.match(r"^\d{4}-\d\d-\d\d$", text) else None
    except ValueError:
        day = None
    for fmt in _DATE_FORMATS:
        if day is None:
            try:
                day = datetime.strptime(text, fmt).date()
            except ValueError:
                continue
    return datetime(day.year, day.month, day.day, tzinfo=UTC) if day else None


def is_title_like(line: str) -> bool:
    """A line short enough to be a headline and not ending like a sentence."""
    line = line.strip()
    return 0 < len(line) <= 160 and len(line.split()) <= 20 and not line.endswith((".", ":", ","))


def front_matter(text: str) -> tuple[dict[str, Any], str]:
    """The YAML front matter of a text (empty when there is none) and the rest of the text.

    Front matter comes from anyone's files, so it is read with care: at most
    `MAX_FRONT_MATTER` characters, no aliases (a few of them nest into billions of nodes), and
    nesting too deep for the parser is no front matter rather than a crash.
    """
    if not text.lstrip("\ufeff").startswith("---"):
        return {}, text
    head = text[: MAX_FRONT_MATTER + 16]
    found = re.match(r"^\ufeff?---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|$)", head, re.DOTALL)
    if not found:
        return {}, text
    try:
        data = _load_yaml(found.group(1))
    except (ValueError, RecursionError, MemoryError):
        return {}, text
    return (data if isinstance(data, dict) else {}), text[found.end():]


def _load_yaml(source: str) -> Any:
    """YAML without aliases (and so without alias bombs); ValueError for anything odd."""
    import yaml

    class NoAliases(yaml.SafeLoader):
        def compose_node(self, parent: Any, index: Any) -> Any:
            if self.check_event(yaml.AliasEvent):
                raise ValueError("aliases are not read in front matter")
            return super().compose_node(parent, index)

    try:
        return yaml.load(source, Loader=NoAliases)  # a SafeLoader that refuses aliases
    except yaml.YAMLError as exc:
        raise ValueError(str(exc)) from exc


def markdown_to_text(text: str) -> str:
    """Markdown reduced to plain text: headings, emphasis, links and images become their text.

    No pattern may scan a line once per character of it: brackets cannot nest in link text and
    emphasis spans at most 300 characters, so a line of 50,000 brackets takes milliseconds.
    """
    text = re.sub(r"^```.*$", "", text, flags=re.MULTILINE)
    text = re.sub(r"!\[([^\[\]]*)\]\([^()]*\)", "", text)
    text = re.sub(r"\[([^\[\]]+)\]\([^()]*\)", r"\1", text)
    text = re.sub(r"\[([^\[\]]+)\]\[[^\[\]]*\]", r"\1", text)
    text = re.sub(r"^\s{0,3}\[[^\[\]\n]+\]:\s+\S+.*$", "", text, flags=re.MULTILINE)
    text = re.sub(r"^\s{0,3}#{1,6}\s+(.{0,300}?)\s*#*\s*$", r"\n\1\n", text, flags=re.MULTILINE)
    text = re.sub(r"^\s{0,3}>\s?", "", text, flags=re.MULTILINE)
    text = re.sub(r"^\s{0,3}([-*_])(\s*\1){2,}\s*$", "", text, flags=re.MULTILINE)
    text = re.sub(r"(\*\*|__)(.{1,300}?)\1", r"\2", text)
    text = re.sub(r"(?<![\w*])([*_])(?!\s)(.{1,300}?)(?<!\s)\1(?![\w*])", r"\2", text)
    text = re.sub(r"`([^`\n]{1,300})`", r"\1", text)
    return re.sub(r"\n{3,}", "\n\n", text)


def markdown_image(text: str) -> Image | None:
    """The first Markdown image with a web address, as an Image."""
    found = re.search(r"!\[([^\]]*)\]\((https?://[^\s)]+)[^)]*\)", text)
    return Image(url=found.group(2), alt=found.group(1).strip()) if found else None


def blocks(text: str) -> list[str]:
    """Paragraphs of a text: blank-line separated blocks, or lines when there are no blanks."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if re.search(r"\n[ \t]*\n", text):
        # a list item starts a paragraph of its own; other lines of a block are re-joined
        text = re.sub(r"\n(?=[ \t]*(?:[-*+•]|\d+[.)])[ \t])", "\n\n", text)
        parts = re.split(r"\n[ \t]*\n", text)
        return [" ".join(p.split()) for p in parts if p.strip()]
    return [" ".join(line.split()) for line in text.split("\n") if line.strip()]


@dataclass(frozen=True)
class Header:
    """The head of an article: headline, dek and metadata lines, and where the body starts."""

    title: str | None
    end: int
    repeated: bool = False
    dek: str | None = None
    kind: str | None = None
    section: str | None = None
    authors: tuple[str, ...] = ()
    published: datetime | None = None
    credit: str | None = None


class Lines(Protocol):
    """What the header rules read of a text's lines: how many, and one by its index."""

    def __len__(self) -> int: ...

    def __getitem__(self, index: int, /) -> str: ...


def parse_header(lines: Lines, start: int = 0) -> Header:
    """Read headline, repeated headline, dek, "Kind | Section", byline, date and credit lines.

    A dek is a short line after the headline that is followed by a metadata line; without
    one, that line is the first paragraph of the body.
    """
    i = start
    while i < len(lines) and is_furniture(lines[i]):
        i += 1
    if i >= len(lines) or not is_title_like(lines[i]):
        return Header(title=None, end=i)
    title, i = lines[i], i + 1
    repeated = i < len(lines) and lines[i] == title
    i += repeated
    body_at = i
    meta: dict[str, Any] = {}
    last_meta: int | None = None
    dek_at: int | None = None
    while i < len(lines) and i - start < 10:
        line = lines[i]
        if _header_line(line, meta):
            last_meta = i
        elif dek_at is None and len(line.split()) <= 45 and not is_furniture(line):
            dek_at = i
        else:
            break
        i += 1
    if last_meta is None:
        return Header(title, body_at, repeated)
    dek = lines[dek_at] if dek_at is not None and dek_at < last_meta else None
    return Header(title, last_meta + 1, repeated, dek, **meta)


def _header_line(line: str, meta: dict[str, Any]) -> bool:
    """Record what a metadata line says in meta; False when the line is not one."""
    found: dict[str, Any] = {}
    if (pair := section_line(line)) and "section" not in meta:
        found = {"kind": pair[0], "section": pair[1]}
    elif (names := byline(line)) and "authors" not in meta:
        found = {"authors": names[0]}
        if names[1]:
            found["published"] = names[1]
    elif (when := date_line(line)) and "published" not in meta:
        found = {"published": when}
    elif (credit := credit_line(line)) and "credit" not in meta:
        found = {"credit": credit}
    if not found:
        return False
    meta.update(found)
    return True
