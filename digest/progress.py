"""Progress of long work on a terminal, and the one-line summary at the end of a run.

A bar is drawn only when standard error is a terminal, the output is not quieted (`-q`) and the
work has enough steps to be worth one; anywhere else (cron, pipes, log files) nothing is drawn,
so logs stay clean. The bar is transient: it disappears when the work is done and only the
summary line stays.
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

log = logging.getLogger(__name__)

# Below this many steps the work ends before a bar would help.
MIN_STEPS = 20
REDRAW_SECONDS = 0.1

Advance = Callable[[int], None]


def on_terminal() -> bool:
    """True when progress may be drawn: stderr is a terminal and output is not quieted."""
    stream = sys.stderr
    try:
        tty = bool(stream and stream.isatty())
    except (AttributeError, ValueError):  # a closed or replaced stream
        return False
    return tty and logging.getLogger("digest").getEffectiveLevel() <= logging.WARNING


def _skip(steps: int = 1) -> None:
    """Advance nothing: the stand-in when no bar is drawn."""


@contextmanager
def progress(description: str, total: int, *, minimum: int = MIN_STEPS) -> Iterator[Advance]:
    """A bar of `total` steps named `description`; yields a function that advances it.

    Off a terminal, or for fewer than `minimum` steps, the function does nothing.
    """
    if total < minimum or not on_terminal():
        yield _skip
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn(), TextColumn("eta"), TimeRemainingColumn())
    # Redrawn from `advance` only, never from a timer thread: process pools fork while a bar is
    # up, and a fork taken while that thread held the console's lock could hang a worker.
    with Progress(*columns, console=_console(Console), transient=True,
                  auto_refresh=False) as bar:
        task = bar.add_task(description, total=total)
        drawn = [time.monotonic()]

        def advance(steps: int = 1) -> None:
            bar.advance(task, steps)
            if time.monotonic() - drawn[0] >= REDRAW_SECONDS:
                drawn[0] = time.monotonic()
                bar.refresh()

        yield advance


def _console(console_type: Any) -> Any:
    """The console the log handler writes to, so log lines print above the bar, not into it."""
    for handler in logging.getLogger().handlers:
        console = getattr(handler, "console", None)
        if isinstance(console, console_type):
            return console
    return console_type(stderr=True)


def summary_line(
    number: int,
    stories: int,
    *,
    documents: int,
    articles: int,
    seconds: float,
    problems: int = 0,
    label: str = "",
) -> str:
    """The line that ends a run: issue, stories, documents and articles read, problems, time.

    For example ``issue 4: 12 stories from 30 documents (41 articles), 1 problem, 2.3 s``.
    """
    trouble = f", {problems} {_plural(problems, 'problem')}" if problems else ""
    story = "story" if stories == 1 else "stories"
    return (f"issue {number}{label}: {stories} {story} from {documents} "
            f"{_plural(documents, 'document')} ({articles} {_plural(articles, 'article')})"
            f"{trouble}, {seconds:.1f} s")


def _plural(count: int, word: str) -> str:
    return word if count == 1 else word + "s"
