"""The one cache every stage's cache goes through: keys, files, atomic writes, versions, misses.

Two shapes of cache share it. `Entries` keeps many small entries, one file each, under
``<folder>/<key[:2]>/<key><suffix>``; a cache's version is part of every key, so bumping it makes
old entries stop matching. `Slot` keeps one file holding the latest value; its first line names
the cache's version, and a file of another version is a silent miss. Either way an entry that
cannot be read or decoded is a miss with one warning, and a cache that cannot be written is a
warning, never an error: a cache can always be rebuilt.

Writes go through a temporary file named by process and thread (one writer each, no random
names) and a rename, without flushing to disk, and make the entry's folder only when it is
missing. Still, creating a file costs more than most values it holds: a cache with an entry
for each of thousands of documents keeps them in one `Slot` instead.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import pickle
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)


def cache_key(version: object, *parts: object, text: str | None = None) -> str:
    """A hex digest naming one entry: the cache's version, the settings and, if given, a text."""
    digest = hashlib.sha256(json.dumps([version, *parts], sort_keys=True, default=str).encode())
    if text is not None:
        digest.update(b"\0")
        digest.update(text.encode("utf-8"))
    return digest.hexdigest()


@dataclass(frozen=True)
class Codec:
    """How a cache's values become bytes and back; `load` raises on anything damaged."""

    suffix: str
    dump: Callable[[Any], bytes]
    load: Callable[[bytes], Any]


JSON = Codec(".json", lambda value: json.dumps(value, ensure_ascii=False).encode("utf-8"),
             json.loads)
PICKLE = Codec(".pickle", lambda value: pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL),
               pickle.loads)


def read_bytes(path: str) -> bytes | None:
    """The bytes of a cache file, None when it is missing; raises OSError when unreadable."""
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except FileNotFoundError:
        return None


def write_bytes(path: str, data: bytes, label: str) -> None:
    """Replace a cache file atomically; a file that cannot be written is only a warning."""
    tmp = f"{path}.{os.getpid()}.{threading.get_ident()}.tmp"
    try:
        try:
            _write(tmp, data)
        except FileNotFoundError:  # the entry's folder is made on first use only
            os.makedirs(os.path.dirname(path), exist_ok=True)
            _write(tmp, data)
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        log.warning("%s %s: cannot write (%s)", label, path, exc)


def _write(name: str, data: bytes) -> None:
    with open(name, "wb") as handle:
        handle.write(data)


class Entries:
    """Many small entries of one cache, one file each, named by their keys."""

    def __init__(self, folder: str | Path, codec: Codec, *, label: str, again: str) -> None:
        self.folder = str(folder)  # plain strings: a warm big week looks up thousands of entries
        self.codec = codec
        self.label = label  # "summary cache", named in warnings
        self.again = again  # what a miss costs: "summarizing again"

    def path(self, key: str) -> str:
        """Where the entry under `key` lives."""
        return os.path.join(self.folder, key[:2], key + self.codec.suffix)

    def get(self, key: str, check: Callable[[Any], Any] = lambda value: value) -> Any | None:
        """The value under `key` passed through `check`, or None: missing, damaged or refused
        (`check` raises ValueError, KeyError or TypeError for a value of the wrong shape)."""
        path = self.path(key)
        try:
            data = read_bytes(path)
            return None if data is None else check(self.codec.load(data))
        except Exception as exc:  # a damaged pickle raises almost anything
            log.warning("%s %s: unreadable entry (%s), %s", self.label, path, exc, self.again)
            return None

    def put(self, key: str, value: Any) -> None:
        """Keep `value` under `key`."""
        write_bytes(self.path(key), self.codec.dump(value), self.label)

    def has(self, key: str) -> bool:
        """Whether an entry under `key` is there (it may still turn out unreadable)."""
        return os.path.isfile(self.path(key))


class Slot:
    """One file holding a cache's latest value, headed by the cache's version."""

    def __init__(self, path: Path, codec: Codec, *, version: str, label: str, again: str) -> None:
        self.path = path
        self.codec = codec
        self.header = f"digest-cache {version}\n".encode()
        self.label = label
        self.again = again

    def get(self) -> Any | None:
        """The value kept, or None: missing, of another version, or damaged."""
        try:
            data = read_bytes(str(self.path))
            if data is None or not data.startswith(self.header):
                return None
            return self.codec.load(data[len(self.header):])
        except Exception as exc:  # a damaged pickle or archive raises almost anything
            log.warning("%s %s: unreadable (%s), %s", self.label, self.path, exc, self.again)
            return None

    def put(self, value: Any) -> None:
        """Keep `value` as the latest."""
        write_bytes(str(self.path), self.header + self.codec.dump(value), self.label)
