"""What every reader shares: bytes decoded to text, content hashes, and one source's result.

Text is decoded as UTF-8 (a BOM is dropped) or else by its declared or detected charset. Files
are read only when they are regular files (never a FIFO or a device), and every field of a
Document is normalized here (see `digest.sources.clean`) before any other stage sees it.
"""

from __future__ import annotations

import codecs
import hashlib
import os
import re
import stat
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

from digest.config import SourceConfig
from digest.errors import SourceError
from digest.models import Document, Image
from digest.sources.clean import clean_line, clean_text, clean_url, shown_name

SNIFF_BYTES = 8192
MAX_UID_CHARS = 1000
_DECLARED = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_.:-]+)|<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""",
    re.IGNORECASE,
)
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF32_LE, "utf-32-le"),
         (codecs.BOM_UTF32_BE, "utf-32-be"), (codecs.BOM_UTF16_LE, "utf-16-le"),
         (codecs.BOM_UTF16_BE, "utf-16-be"))
_WIDE_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_BE)


def content_hash(text: str) -> str:
    """The sha256 hex digest of a text, as stored to notice changed entries."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def looks_binary(data: bytes) -> bool:
    """True when the first bytes hold a NUL byte outside a UTF-16 byte-order mark."""
    head = data[:SNIFF_BYTES]
    return b"\x00" in head and not head.startswith(_WIDE_BOMS)  # UTF-32-LE's starts like 16's


def declared_charset(data: bytes) -> str | None:
    """The charset named by an HTML <meta> or an XML declaration in the first bytes."""
    match = _DECLARED.search(data[:SNIFF_BYTES])
    if not match:
        return None
    name = (match.group(1) or match.group(2)).decode("ascii")
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decode_text(data: bytes, declared: str | None = None) -> str:
    """Bytes to text: BOM, then UTF-8, then the declared charset, then detection.

    Detection trusts charset_normalizer for non-Latin scripts (Shift-JIS, Cyrillic, ...);
    Latin text that is not UTF-8 is read as cp1252, a superset of latin-1's printable range.
    Control characters are dropped from the result (see `digest.clean`).
    """
    return clean_text(_decode(data, declared))


def _decode(data: bytes, declared: str | None) -> str:
    for bom, name in _BOMS:
        if data.startswith(bom):
            return data[len(bom):].decode(name, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    for charset in (declared, declared_charset(data)):
        try:
            if charset and codecs.lookup(charset).name not in ("utf-8", "ascii"):
                return data.decode(charset)
        except (UnicodeDecodeError, LookupError):
            pass
    return _detect(data)


def _detect(data: bytes) -> str:
    import charset_normalizer

    best = charset_normalizer.from_bytes(data).best()
    if best is not None:
        text = str(best)
        letters = [c for c in text if c.isalpha()]
        beyond_latin = sum(1 for c in letters if ord(c) > 0x24F)
        if letters and beyond_latin / len(letters) > 0.3:
            return text
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


@dataclass
class SourceRead:
    """What reading one source gave: its documents, one-line errors, failures and validators."""

    documents: list[Document] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    failed: int = 0
    validators: tuple[str | None, str | None] | None = None

    def fail(self, problem: str) -> None:
        """Note one thing that could not be read."""
        self.errors.append(clean_text(problem))
        self.failed += 1


def with_source_defaults(document: Document, source: SourceConfig) -> Document:
    """The document with its source's section and language where it has none."""
    section = document.section or source.section
    language = document.language or source.language
    if section == document.section and language == document.language:
        return document
    return replace(document, section=section, language=language)


def read_regular(path: str | Path, source: str, limit: int) -> bytes:
    """The bytes of a regular file of at most `limit` bytes; else SourceError naming the file.

    The file is opened without blocking and checked by its descriptor, so a FIFO, a device
    such as /dev/zero or a socket is refused before anything is read from it.
    """
    return read_regular_file(path, source, limit)[0]


def read_regular_file(path: str | Path, source: str, limit: int
                      ) -> tuple[bytes, os.stat_result]:
    """`read_regular`, with the status of the file that was read (by its open descriptor)."""
    shown = shown_name(str(path))
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY)
    except OSError as exc:
        raise SourceError(source, f"{shown}: cannot read: {exc.strerror or exc}") from exc
    with os.fdopen(fd, "rb") as handle:
        try:
            info = os.fstat(fd)
            problem = unreadable(info, limit)
            if problem:
                raise SourceError(source, f"{shown}: {problem}")
            data = handle.read(limit + 1)
        except OSError as exc:
            raise SourceError(source, f"{shown}: cannot read: {exc.strerror or exc}") from exc
    if len(data) > limit:  # it grew after the size check
        raise SourceError(source, f"{shown}: too large (more than {limit} bytes)")
    return data, info


def unreadable(info: os.stat_result, limit: int) -> str | None:
    """Why a file of this status is never read (not a regular file, or too large), or None."""
    if not stat.S_ISREG(info.st_mode):
        return "not a regular file, skipped"
    if info.st_size > limit:
        return f"too large ({info.st_size} bytes > {limit})"
    return None


def _clean_uid(uid: object, body: str) -> str:
    """An identity as a stable, storable string: cleaned, and hashed when it is very long."""
    text = clean_text(str(uid)).strip() if isinstance(uid, str | int) else ""
    if len(text) > MAX_UID_CHARS:
        return "sha256:" + content_hash(text)
    return text or content_hash(body)


def normalized(document: Document) -> Document:
    """A Document whose every field is of its type and safe: strings cleaned and bounded, URLs
    parsed, control characters gone. Fields that cannot be made so are dropped."""
    body = clean_text(document.body) if isinstance(document.body, str) else ""
    authors = document.authors if isinstance(document.authors, tuple | list) else ()
    image = document.image
    image_url = clean_url(image.url) if isinstance(image, Image) else None
    return replace(
        document,
        source=clean_line(document.source) or "source",
        uid=_clean_uid(document.uid, body),
        body=body,
        url=clean_url(document.url),
        title=clean_line(document.title),
        authors=tuple(a for a in (clean_line(a, 200) for a in authors) if a)[:20],
        section=clean_line(document.section, 200),
        image=Image(image_url, clean_line(image.alt) or "", clean_line(image.credit, 300))
        if isinstance(image, Image) and image_url else None,
        language=clean_line(document.language, 40),
        content_hash=document.content_hash if body == document.body else content_hash(body),
        published=document.published if isinstance(document.published, datetime) else None,
    )
