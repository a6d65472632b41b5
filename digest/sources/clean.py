"""Values from outside made safe at the edge: text without control characters, one-line fields of
bounded length, URLs that parse, and file names in any bytes shown as text.

Every field a source delivers passes through here before any stage sees it, so one item's odd
bytes can reach neither the templates (MJML is XML: most control characters are not allowed
in it) nor the state store (SQLite takes no lone surrogates).
"""

from __future__ import annotations

import os
import re
from typing import Any
from urllib.parse import urlsplit

MAX_LINE_CHARS = 1000
MAX_URL_CHARS = 2048
# C0 controls but tab, newline and carriage return; DEL and C1; lone surrogates; non-characters.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]")
_SPACE = re.compile(r"\s+")


def clean_text(text: str) -> str:
    """`text` without the characters that no XML document, and no SQLite text, may hold."""
    return _CONTROL.sub("", text)


def clean_line(value: Any, limit: int = MAX_LINE_CHARS) -> str | None:
    """A one-line field: a string (or number) with controls dropped, spaces collapsed and at most
    `limit` characters; None for anything else or for nothing left."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return None
    line = _SPACE.sub(" ", clean_text(str(value))).strip()
    if len(line) > limit:
        line = line[:limit].rsplit(" ", 1)[0].rstrip() + "…"
    return line or None


def clean_url(value: Any, limit: int = MAX_URL_CHARS) -> str | None:
    """An absolute http(s) URL that parses, of at most `limit` characters; else None."""
    if not isinstance(value, str):
        return None
    url = clean_text(value).strip()
    if not url or len(url) > limit or any(c.isspace() for c in url):
        return None
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises for a port out of range
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return url


def shown_name(name: str) -> str:
    """A file name (a path string, possibly holding undecodable bytes) as printable text: bytes
    that are not UTF-8 appear as ``\\xNN`` escapes, so it can be printed and stored."""
    if name.isprintable() and name.isascii():
        return name
    data = os.fsencode(name)
    return clean_text(data.decode("utf-8", "backslashreplace"))
