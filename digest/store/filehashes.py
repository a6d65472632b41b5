"""Content hashes of a folder's files, remembered by path, size and modification time.

A warm run then need not read an unchanged file to know its hash: collecting stats it, finds
the hash here, and its body is read only if extraction needs it. One JSON file per folder in
the cache folder (`files/`), rewritten atomically with only the files seen in this run. A file
modified within the last second is not remembered: it may change again within the file
system's time resolution without its size or time changing.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import time
from pathlib import Path

from digest.store.atomic import write_atomic

log = logging.getLogger(__name__)

RECENT_NS = 1_000_000_000  # a second: the coarsest common file time (ext3, HFS+)


class FileHashes:
    """The remembered hashes of one folder's files; `get` and `put` by path and stat result."""

    def __init__(self, cache_dir: Path | None, folder: Path) -> None:
        name = hashlib.sha256(str(folder.resolve()).encode("utf-8")).hexdigest()[:32]
        self.path = cache_dir / "files" / f"{name}.json" if cache_dir else None
        self.known: dict[str, list] = self._read() if self.path else {}
        self.seen: dict[str, list] = {}

    def _read(self) -> dict[str, list]:
        assert self.path is not None
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            log.warning("file hash cache %s: unreadable (%s), hashing again", self.path, exc)
            return {}
        return data if isinstance(data, dict) else {}

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
        if self.path and time.time_ns() - info.st_mtime_ns > RECENT_NS:
            self.seen[str(path)] = [info.st_size, info.st_mtime_ns, digest]

    def save(self) -> None:
        """Write the hashes seen in this run, if they differ from what was read."""
        if self.path is None or self.seen == self.known:
            return
        try:
            write_atomic(self.path, json.dumps(self.seen).encode("utf-8"), durable=False)
        except OSError as exc:
            log.warning("file hash cache %s: cannot write (%s)", self.path, exc)
