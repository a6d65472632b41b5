"""One run at a time: an exclusive lock file next to the state database."""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from digest.config import Config
from digest.errors import DigestError

LOCK_WAIT = 10.0
LOCK_MARGIN = 300.0  # seconds, beyond collecting and sending, for building and recording a run


def lock_wait(config: Config) -> float:
    """How long a run waits for another's lock: as long as that run can take (collecting,
    sending and a margin for everything between), so it never gives up before the other ends."""
    return config.fetch.deadline + config.delivery.deadline + LOCK_MARGIN


class Busy(DigestError):
    """Another run holds the lock."""


@contextmanager
def run_lock(state_path: Path, wait: float = LOCK_WAIT) -> Iterator[None]:
    """Hold an exclusive lock next to the state database; wait at most `wait` seconds for it."""
    path = state_path.with_name(state_path.name + ".lock")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "unknown"
                    raise Busy(f"another digest run is in progress (pid {holder}); "
                               f"waited {wait:g} s",
                               f"wait for it to finish; the lock is {path}") from None
                time.sleep(0.1)
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock
