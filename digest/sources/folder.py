"""Folder sources: list a folder's files and read each one as a Document.

Files are checked before they are read: too large or binary files are refused by name, and text
is decoded as UTF-8 (a BOM is dropped) or else by its declared or detected charset.
"""

from __future__ import annotations

import fnmatch
import os
import stat
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from digest.config import FetchConfig, SourceConfig
from digest.errors import SourceError
from digest.models import Document, Format
from digest.sources.reading import (
    SourceRead,
    content_hash,
    decode_text,
    looks_binary,
    with_source_defaults,
)

if TYPE_CHECKING:
    from digest.store.filehashes import FileHashes

FORMATS: dict[str, Format] = {".txt": "text", ".md": "markdown", ".html": "html", ".htm": "html"}


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


def read_folder(
    source: SourceConfig, fetch: FetchConfig, *, bodies: bool = True,
    cache_dir: Path | None = None,
) -> SourceRead:
    """Every matching file of a folder source as Documents; a bad file is one error line.

    With `bodies=False` the Documents come without their text (their `path` says where to read
    it) so a big folder is never held in memory at once; a file whose size and modification
    time match what `cache_dir` remembers is then not even read, its hash comes from there.
    """
    from digest.store.filehashes import FileHashes

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
        read.documents.append(with_source_defaults(document, source))
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


