"""Readers that turn a file or a web page into a Document, and list the files of a folder.

Files are checked before they are read: too large or binary files are refused by name, and text
is decoded as UTF-8 (a BOM is dropped) or else by its declared or detected charset.
"""

from __future__ import annotations

import codecs
import fnmatch
import hashlib
import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from digest.config import FetchConfig, SourceConfig
from digest.errors import SourceError
from digest.models import Document, Format

if TYPE_CHECKING:
    from digest.fetch import Fetcher, Response
    from digest.filehashes import FileHashes

FORMATS: dict[str, Format] = {".txt": "text", ".md": "markdown", ".html": "html", ".htm": "html"}
SNIFF_BYTES = 8192
MIN_ARTICLE_WORDS = 40
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


def load_path(
    path: Path, source: str, fetch: FetchConfig, *, root: Path | None = None
) -> Document:
    """Read one .txt/.md/.html file as a Document; uid is the path relative to `root`.

    Raises SourceError naming the file for a binary, empty, too large or unreadable file.
    """
    path = Path(path)
    shown = path.relative_to(root) if root and path.is_relative_to(root) else path
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise SourceError(source, f"{path}: not a regular file, skipped")
        if info.st_size > fetch.max_bytes:
            raise SourceError(
                source, f"{path}: too large ({info.st_size} bytes > {fetch.max_bytes})"
            )
        with path.open("rb") as handle:
            data = handle.read(fetch.max_bytes + 1)
    except OSError as exc:
        raise SourceError(source, f"{path}: cannot read: {exc.strerror or exc}") from exc
    if len(data) > fetch.max_bytes:  # it grew after the size check
        raise SourceError(source, f"{path}: too large (more than {fetch.max_bytes} bytes)")
    if looks_binary(data):
        raise SourceError(source, f"{path}: binary file, skipped")
    text = decode_text(data)
    if not text.strip():
        raise SourceError(source, f"{path}: empty file")
    return Document(
        source=source,
        uid=shown.as_posix(),
        body=text,
        format=FORMATS.get(path.suffix.lower(), "text"),
        content_hash=content_hash(text),
        path=str(path),
    )


def load_url(
    url: str, source: str, fetch: FetchConfig, *, fetcher: Fetcher | None = None
) -> Document:
    """Fetch a web page as an html Document whose url and uid are the final canonical URL.

    `fetcher` shares one client across a run; without it a client is opened for this page.
    """
    from digest.fetch import Fetcher, FetchError

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
    from digest.urls import canonical_url

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


def folder_files(
    folder: Path, include: tuple[str, ...], exclude: tuple[str, ...]
) -> Iterator[Path]:
    """The files under `folder` (recursive, sorted) whose names match `include` and no `exclude`.

    Globs are matched against both the file name and the path relative to the folder.
    Hidden files and folders are left out.
    """
    for top, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        inside = Path(top).relative_to(folder).as_posix()  # plain strings below: 10,000 files
        prefix = "" if inside == "." else inside + "/"
        for name in sorted(names):
            if name.startswith("."):
                continue
            relative = prefix + name
            if _matches(name, relative, include) and not _matches(name, relative, exclude):
                yield Path(os.path.join(top, name))


def _matches(name: str, relative: str, globs: tuple[str, ...]) -> bool:
    return any(fnmatch.fnmatch(name, g) or fnmatch.fnmatch(relative, g) for g in globs)


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


def read_folder(
    source: SourceConfig, fetch: FetchConfig, *, bodies: bool = True,
    cache_dir: Path | None = None,
) -> SourceRead:
    """Every matching file of a folder source as Documents; a bad file is one error line.

    With `bodies=False` the Documents come without their text (their `path` says where to read
    it) so a big folder is never held in memory at once; a file whose size and modification
    time match what `cache_dir` remembers is then not even read, its hash comes from there.
    """
    from digest.filehashes import FileHashes

    read = SourceRead()
    folder = source.path
    if folder is None or not folder.is_dir():
        read.fail(f"folder not found: {folder}")
        return read
    hashes = FileHashes(None if bodies else cache_dir, folder)
    for path in folder_files(folder, source.include, source.exclude):
        try:
            document = _folder_document(path, source.name, fetch, folder, bodies, hashes)
        except SourceError as exc:
            read.fail(exc.problem)
            continue
        read.documents.append(_with_source_defaults(document, source))
    hashes.save()
    return read


def _folder_document(path: Path, source: str, fetch: FetchConfig, folder: Path, bodies: bool,
                     hashes: FileHashes) -> Document:
    if bodies:
        return load_path(path, source, fetch, root=folder)
    try:
        info = path.stat()
    except OSError as exc:
        raise SourceError(source, f"{path}: cannot read: {exc.strerror or exc}") from exc
    known = hashes.get(path, info)
    if known is None:
        document = load_path(path, source, fetch, root=folder)
        hashes.put(path, info, document.content_hash)
        return replace(document, body="")
    uid = os.path.relpath(path, folder).replace(os.sep, "/")
    return Document(source=source, uid=uid, body="",
                    format=FORMATS.get(path.suffix.lower(), "text"), content_hash=known,
                    path=str(path))


def read_page(source: SourceConfig, fetch: FetchConfig, fetcher: Fetcher) -> SourceRead:
    """A page source as one html Document."""
    read = SourceRead()
    try:
        document = load_url(str(source.url), source.name, fetch, fetcher=fetcher)
        check_article(document)
    except SourceError as exc:
        read.fail(exc.problem)
        return read
    read.documents.append(_with_source_defaults(document, source))
    return read


def _with_source_defaults(document: Document, source: SourceConfig) -> Document:
    return replace(
        document,
        section=document.section or source.section,
        language=document.language or source.language,
    )


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
