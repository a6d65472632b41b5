"""What every reader shares: bytes decoded to text, content hashes, and one source's result.

Text is decoded as UTF-8 (a BOM is dropped) or else by its declared or detected charset.
"""

from __future__ import annotations

import codecs
import hashlib
import re
from dataclasses import dataclass, field, replace

from digest.config import SourceConfig
from digest.models import Document

SNIFF_BYTES = 8192
_DECLARED = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_.:-]+)|<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""",
    re.IGNORECASE,
)
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
         (codecs.BOM_UTF16_BE, "utf-16-be"))


def content_hash(text: str) -> str:
    """The sha256 hex digest of a text, as stored to notice changed entries."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def looks_binary(data: bytes) -> bool:
    """True when the first bytes hold a NUL byte outside a UTF-16 byte-order mark."""
    head = data[:SNIFF_BYTES]
    return b"\x00" in head and not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))


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
    """
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
        self.errors.append(problem)
        self.failed += 1


def with_source_defaults(document: Document, source: SourceConfig) -> Document:
    return replace(
        document,
        section=document.section or source.section,
        language=document.language or source.language,
    )
