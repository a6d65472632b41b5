"""Atomic writes: a reader never sees half a file.

The bottom of the package: it imports nothing from digest. Issues, snapshots and rendered output
are written durably (flushed to disk before the rename); the caches go through `digest.store.cache`.
"""

from __future__ import annotations

import functools
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
        # mkstemp makes the file 0600; a published archive must be readable by the web
        # server's user, so the file gets what the user's umask gives a new file (0644 under 022).
        os.fchmod(fd, 0o666 & ~_umask())
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@functools.cache
def _umask() -> int:
    """The process's umask, read once (reading it means setting it, so not on every write)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
