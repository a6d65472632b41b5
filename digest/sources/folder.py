"""Folder sources: list a folder's files and read each one as a Document.

Files are checked before they are read: only regular files are opened, too large or binary
files are refused by name, and text is decoded as UTF-8 (a BOM is dropped) or else by its
declared or detected charset. A folder is walked without recursion, and without following a
symbolic link out of it unless its source allows that (`follow_links`).
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from digest.config import FetchConfig, SourceConfig
from digest.errors import SourceError
from digest.models import Document, Format
from digest.sources.clean import shown_name
from digest.sources.reading import (
    SourceRead,
    content_hash,
    decode_text,
    looks_binary,
    read_regular_file,
    unreadable,
    with_source_defaults,
)

if TYPE_CHECKING:
    from digest.store.filehashes import FileHashes

FORMATS: dict[str, Format] = {".txt": "text", ".md": "markdown", ".html": "html", ".htm": "html"}


def load_path(
    path: Path, source: str, fetch: FetchConfig, *, root: Path | None = None
) -> Document:
    """Read one .txt/.md/.html file as a Document; uid is the path relative to `root`.

    Raises SourceError naming the file for a binary, empty, too large or unreadable file, or
    one that is not a regular file.
    """
    path = Path(path)
    shown = path.relative_to(root) if root and path.is_relative_to(root) else path
    text, _ = read_text(str(path), source, fetch)
    return Document(
        source=source,
        uid=shown_name(shown.as_posix()),
        body=text,
        format=file_format(str(path)),
        content_hash=content_hash(text),
        path=str(path),
    )


def read_text(path: str, source: str, fetch: FetchConfig) -> tuple[str, os.stat_result]:
    """The decoded text of one file and the status of the file it was read from; SourceError
    as for `load_path`."""
    data, info = read_regular_file(path, source, fetch.max_bytes)
    if looks_binary(data):
        raise SourceError(source, f"{shown_name(path)}: binary file, skipped")
    text = decode_text(data)
    if not text.strip():
        raise SourceError(source, f"{shown_name(path)}: empty file")
    return text, info


def file_format(path: str) -> Format:
    """The format a file's name says: Markdown, HTML, or else text."""
    return FORMATS.get(os.path.splitext(path)[1].lower(), "text")


def folder_files(
    folder: Path, include: tuple[str, ...], exclude: tuple[str, ...], *,
    follow_links: bool = False, skipped: list[str] | None = None,
) -> Iterator[Path]:
    """The files under `folder` (recursive, sorted) whose names match `include` and no `exclude`.

    Globs are matched against both the file name and the path relative to the folder.
    Hidden files and folders are left out. The walk keeps its own stack, so any depth works.
    A symbolic link that leads out of the folder is left out, and named in `skipped`, unless
    `follow_links`; a folder reached twice through links is walked once.
    """
    for path, _ in folder_entries(folder, include, exclude, follow_links=follow_links,
                                  skipped=skipped):
        yield Path(path)


def folder_entries(
    folder: Path, include: tuple[str, ...], exclude: tuple[str, ...], *,
    follow_links: bool = False, skipped: list[str] | None = None,
) -> Iterator[tuple[str, str]]:
    """`folder_files` as plain strings: each file's path and its path inside the folder."""
    root = os.path.realpath(folder)
    seen: set[tuple[int, int]] = set()
    stack = [(str(folder), "")]
    while stack:
        top, prefix = stack.pop()
        folders: list[tuple[str, str]] = []
        for entry in _listing(top, seen):
            relative = prefix + entry.name
            if entry.is_symlink() and not follow_links and not _inside(entry.path, root):
                if skipped is not None and _matches(entry.name, relative, include):
                    skipped.append(f"{shown_name(relative)}: a link to outside the folder, "
                                   "skipped (see follow_links)")
            elif _is_dir(entry):
                if follow_links or not entry.is_symlink():  # as os.walk does
                    folders.append((entry.path, relative + "/"))
            elif _matches(entry.name, relative, include) and not _matches(
                entry.name, relative, exclude
            ):
                yield entry.path, relative
        stack.extend(reversed(folders))  # depth first, in name order, as os.walk went


def _listing(top: str, seen: set[tuple[int, int]]) -> list[os.DirEntry[str]]:
    """The visible entries of a folder by name; none when it cannot be read or was seen."""
    try:
        info = os.stat(top)
        if (info.st_dev, info.st_ino) in seen:
            return []
        seen.add((info.st_dev, info.st_ino))
        with os.scandir(top) as listing:
            return sorted((e for e in listing if not e.name.startswith(".")), key=lambda e: e.name)
    except OSError:
        return []


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


def _inside(path: str, root: str) -> bool:
    real = os.path.realpath(path)
    return real == root or real.startswith(root.rstrip(os.sep) + os.sep)


def _matches(name: str, relative: str, globs: tuple[str, ...]) -> bool:
    return any(fnmatch.fnmatch(name, g) or fnmatch.fnmatch(relative, g) for g in globs)


def read_folder(
    source: SourceConfig, fetch: FetchConfig, *, bodies: bool = True,
    cache_dir: Path | None = None,
) -> SourceRead:
    """Every matching file of a folder source as Documents; a bad file is one error line.

    With `bodies=False` no file is read: the Documents come without their text (their `path`
    says where extraction reads it, once), so a big folder is never held in memory at once.
    Their content hash is the one `cache_dir` remembers for the file's size and modification
    time, or empty until extraction reads the file. A file that cannot be read for what its
    status says (not a regular file, too large, empty) is still refused here.
    """
    from digest.store.filehashes import FileHashes

    read = SourceRead()
    folder = source.path
    if folder is None or not folder.is_dir():
        read.fail(f"folder not found: {folder}")
        return read
    hashes = FileHashes(None if bodies else cache_dir, folder)
    skipped: list[str] = []
    files = folder_entries(folder, source.include, source.exclude,
                           follow_links=source.follow_links, skipped=skipped)
    for path, relative in files:
        try:
            if bodies:
                document = load_path(Path(path), source.name, fetch, root=folder)
            else:
                document = _unread_document(path, relative, source.name, fetch, hashes)
        except SourceError as exc:
            read.fail(exc.problem)
            continue
        read.documents.append(with_source_defaults(document, source))
    for problem in skipped:
        read.fail(problem)
    hashes.save()
    return read


def _unread_document(path: str, relative: str, source: str, fetch: FetchConfig,
                     hashes: FileHashes) -> Document:
    """A file as a Document without its body, checked by its status only."""
    try:
        info = os.stat(path)
    except OSError as exc:
        raise SourceError(source, f"{shown_name(path)}: cannot read: {exc.strerror or exc}"
                          ) from exc
    problem = unreadable(info, fetch.max_bytes) or ("empty file" if not info.st_size else None)
    if problem:
        raise SourceError(source, f"{shown_name(path)}: {problem}")
    return Document(source=source, uid=shown_name(relative), body="", format=file_format(path),
                    content_hash=hashes.get(path, info) or "", path=path)
