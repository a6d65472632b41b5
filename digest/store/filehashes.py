"""Content hashes of a folder's files, remembered by path, size and modification time.

A warm run then need not read an unchanged file to know its hash: collecting stats it, finds
the hash here, and its body is read only if extraction needs it. One JSON file per folder in
the cache folder (`files/`, through `digest.store.cache`), rewritten atomically with only the
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

    def get(self, path: Path, info: os.stat_result) -> str | None:
        """The content hash of `path` if it was hashed at this size and modification time."""
        entry = self.known.get(str(path))
        if (isinstance(entry, list) and len(entry) == 3 and entry[0] == info.st_size
                and entry[1] == info.st_mtime_ns and isinstance(entry[2], str)):
            self.seen[str(path)] = entry
            return entry[2]
        return None

    def put(self, path: Path, info: os.stat_result, digest: str) -> None:
        """Remember the hash of `path` as it is now, unless it was modified a moment ago."""
        if self.slot and time.time_ns() - info.st_mtime_ns > RECENT_NS:
            self.seen[str(path)] = [info.st_size, info.st_mtime_ns, digest]

    def save(self) -> None:
        """Write the hashes seen in this run, if they differ from what was read."""
        if self.slot is not None and self.seen != self.known:
            self.slot.put(self.seen)
