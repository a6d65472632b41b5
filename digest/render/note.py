"""The editor's note: a small, safe subset of Markdown turned into HTML and plain text.

The whole note is HTML-escaped first; only then do a few marks become tags: paragraphs (blank
lines), ``**bold**`` or ``__bold__``, ``*italic*`` or ``_italic_``, and ``[label](url)`` links
whose URL is http, https or mailto. No raw HTML survives, and a link to any other scheme shows
as its label alone.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

from digest.render.links import safe_url

PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
LINK = re.compile(r"\[([^\[\]\n]+)\]\(((?:[^()\s]|\([^()\s]*\))+)\)")
BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*|(?<!\w)__(?=\S)(.+?)(?<=\S)__(?!\w)")
ITALIC = re.compile(r"\*(?=[^\s*])(.+?)(?<=[^\s*])\*|(?<!\w)_(?=[^\s_])(.+?)(?<=[^\s_])_(?!\w)")


def paragraphs(note: str) -> list[str]:
    """The note's paragraphs, each on one line with its whitespace joined."""
    blocks = PARAGRAPH_BREAK.split(note.replace("\r\n", "\n").replace("\r", "\n"))
    return [" ".join(block.split()) for block in blocks if block.strip()]


def _emphasis(text: str, bold: Callable[[str], str], italic: Callable[[str], str]) -> str:
    text = BOLD.sub(lambda m: bold(m.group(1) or m.group(2)), text)
    return ITALIC.sub(lambda m: italic(m.group(1) or m.group(2)), text)


def _inline(escaped: str, link_style: str) -> str:
    """Links and emphasis in one escaped paragraph; link URLs are kept out of emphasis."""
    def tags(text: str) -> str:
        return _emphasis(text, lambda s: f"<strong>{s}</strong>", lambda s: f"<em>{s}</em>")

    out, start = [], 0
    for match in LINK.finditer(escaped):
        out.append(tags(escaped[start:match.start()]))
        label = tags(match.group(1))
        url = safe_url(html.unescape(match.group(2)))
        if url is None:
            out.append(label)
        else:
            style = f' style="{html.escape(link_style)}"' if link_style else ""
            out.append(f'<a href="{html.escape(url)}"{style}>{label}</a>')
        start = match.end()
    out.append(tags(escaped[start:]))
    return "".join(out)


def note_html(note: str, *, paragraph_style: str = "", link_style: str = "") -> str:
    """The note as HTML paragraphs; every character the editor typed is escaped first."""
    style = f' style="{html.escape(paragraph_style)}"' if paragraph_style else ""
    return "\n".join(f"<p{style}>{_inline(html.escape(p), link_style)}</p>"
                     for p in paragraphs(note))


def note_text(note: str) -> str:
    """The note as plain text: marks removed, links written as "label (url)"."""
    def plain(text: str) -> str:
        return _emphasis(text, str, str)

    def link(match: re.Match[str]) -> str:
        url = safe_url(match.group(2))
        label = plain(match.group(1))
        return f"{label} ({url.removeprefix('mailto:')})" if url else label

    return "\n\n".join(LINK.sub(link, plain_outside_links(p, plain)) for p in paragraphs(note))


def plain_outside_links(paragraph: str, plain: Callable[[str], str]) -> str:
    """`plain` applied to the text between links, so an underscore in a URL stays."""
    out, start = [], 0
    for match in LINK.finditer(paragraph):
        out.append(plain(paragraph[start:match.start()]))
        out.append(match.group(0))
        start = match.end()
    out.append(plain(paragraph[start:]))
    return "".join(out)
