"""Atomic writes: a reader never sees half a file.

The bottom of the package: it imports nothing from digest. Issues, snapshots and rendered output
are written durably (flushed to disk before the rename); the caches go through `digest.store.cache`.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomic(path: Path, data: bytes, *, durable: bool = True) -> None:
    """Write data to path through a temporary file and a rename, so no reader sees half a file.

    `durable` also flushes the data to disk before the rename; caches, which can always be
    rebuilt, skip that.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
