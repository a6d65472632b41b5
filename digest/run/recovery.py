"""What a run trusts before it builds: a state store that agrees with the archive.

A store that is missing or empty, or that knows fewer issues than the archive holds, would
start over (issue 1 again, every reader sent everything again); such a store is refused unless
the run says `reset_state`, and then numbering goes on after the archive's highest issue. One
archived issue past the store's last is fine: a run stopped between writing the archive and
recording the issue leaves it, sent to nobody, and the next run replaces it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from digest.config import Config
from digest.errors import DigestError

if TYPE_CHECKING:
    from digest.store.state import StateStore


@contextmanager
def checked_store(config: Config, reset_state: bool) -> Iterator[tuple[StateStore, int]]:
    """The opened state store, and the archived issue number to go on after (0: the store's).

    A store that was not there is checked against the archive before opening creates it, so a
    refused run leaves nothing behind.
    """
    from digest.store.state import open_store, store_exists

    fresh = not store_exists(config.state.path)
    after = archived_after(config, 0, reset_state, fresh=True) if fresh else 0
    with open_store(config.state.path) as store:
        if not fresh:
            after = archived_after(config, store.last_issue_number(), reset_state)
        yield store, after


def archived_after(config: Config, last: int, reset_state: bool, *, fresh: bool = False) -> int:
    """The highest archived issue number when the archive is ahead of a store whose last issue
    is `last` and `reset_state` allows going on from it, else 0; an error when it must not.

    Ahead means past `last` + 1 (what a stopped run may leave); for a `fresh` store, any issue.
    """
    from digest.deliver.archive import archived_numbers

    archived = archived_numbers(config.output.dir)
    if not archived or archived[-1] <= last + (0 if fresh else 1):
        return 0
    if reset_state:
        return archived[-1]
    knows = f"knows issues up to {last}" if last else "holds no issues"
    window = f", taking only what is new in the sources' last {config.collect.lookback_days} days"
    raise DigestError(
        f"{config.state.path}: the state store {knows}, but the archive {config.output.dir} "
        f"holds issues up to {archived[-1]}: the store was lost, emptied or replaced",
        "restore it from a backup; or run 'digest run --reset-state' to go on with issue "
        f"{archived[-1] + 1}{'' if last else window}",
    )
