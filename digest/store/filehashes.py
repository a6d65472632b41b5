"""Content hashes of a folder's files, remembered by path, size and modification time.

A warm run then need not read an unchanged file to know its hash: collecting stats it, finds
the hash here, and its body is read only if extraction needs it. A file it does not know is
read by extraction, which hands its hash back (`remember`). One JSON file per folder in the
cache folder (`files/`, through `digest.store.cache`), rewritten atomically with only the
files seen in this run. A file modified within the last second is not remembered: it may change
again within the file system's time resolution without its size or time changing.
"""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path

from digest.store.cache import JSON, Slot

RECENT_NS = 1_000_000_000  # a second: the coarsest common file time (ext3, HFS+)
VERSION = "files-1"


class FileHashes:
    """The remembered hashes of one folder's files; `get` and `put` by path and stat result."""

    def __init__(self, cache_dir: Path | None, folder: Path) -> None:
        name = hashlib.sha256(str(folder.resolve()).encode("utf-8")).hexdigest()[:32]
        self.slot = Slot(cache_dir / "files" / f"{name}.json", JSON, version=VERSION,
                         label="file hash cache", again="hashing again") if cache_dir else None
        known = self.slot.get() if self.slot else None
        self.known: dict[str, list] = known if isinstance(known, dict) else {}
        self.seen: dict[str, list] = {}

    def get(self, path: str | Path, info: os.stat_result) -> str | None:
        """The content hash of `path` if it was hashed at this size and modification time."""
        entry = self.known.get(str(path))
        if (isinstance(entry, list) and len(entry) == 3 and entry[0] == info.st_size
                and entry[1] == info.st_mtime_ns and isinstance(entry[2], str)):
            self.seen[str(path)] = entry
            return entry[2]
        return None

    def put(self, path: str | Path, info: os.stat_result, digest: str) -> None:
        """Remember the hash of `path` as it is now, unless it was modified a moment ago."""
        self.put_sized(str(path), info.st_size, info.st_mtime_ns, digest)

    def put_sized(self, path: str, size: int, mtime_ns: int, digest: str) -> None:
        """`put` by the size and modification time of the file that was read."""
        if self.slot and time.time_ns() - mtime_ns > RECENT_NS:
            self.seen[path] = [size, mtime_ns, digest]

    def save(self) -> None:
        """Write the hashes seen in this run, if they differ from what was read."""
        if self.slot is not None and self.seen != self.known:
            self.slot.put(self.seen)


FileRead = tuple[int, int, str]  # size, modification time (ns) and content hash of a file read


def remember(cache_dir: Path, folder: Path, files: dict[str, FileRead]) -> None:
    """Add the hashes of files read after collecting to what `folder`'s cache holds."""
    hashes = FileHashes(cache_dir, folder)
    hashes.seen = dict(hashes.known)
    for path, (size, mtime_ns, digest) in files.items():
        hashes.put_sized(path, size, mtime_ns, digest)
    hashes.save()
