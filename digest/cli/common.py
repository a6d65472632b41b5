"""What every command shares: logging set-up, the -c option, one-line errors, JSON output."""

from __future__ import annotations

import functools
import json
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from digest.errors import DigestError

log = logging.getLogger("digest")
F = TypeVar("F", bound=Callable[..., Any])


def setup_logging(verbose: int, quiet: bool) -> None:
    """Log to standard error through rich: warnings by default, -v info, -vv debug, -q errors."""
    from rich.logging import RichHandler

    level = logging.ERROR if quiet else logging.DEBUG if verbose > 1 else logging.INFO
    if verbose == 0 and not quiet:
        level = logging.WARNING
    handler = RichHandler(
        console=_stderr_console(), show_time=False, show_path=False, markup=False
    )
    logging.basicConfig(level=level, format="%(message)s", handlers=[handler], force=True)


@functools.cache
def _stderr_console() -> Any:
    from rich.console import Console

    return Console(stderr=True, soft_wrap=True)


def user_errors(func: F) -> F:
    """Print a DigestError as one line plus a hint and exit 1; a traceback only with --debug."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except DigestError as exc:
            if click.get_current_context().find_root().params.get("debug"):
                raise
            click.echo(f"Error: {exc.message}", err=True)
            if exc.hint:
                click.echo(f"Hint: {exc.hint}", err=True)
            sys.exit(1)

    return wrapper  # type: ignore[return-value]


def config_option(func: F) -> F:
    """The `-c/--config` option shared by every command that reads a config file."""
    return click.option(
        "-c",
        "--config",
        "config_path",
        type=click.Path(path_type=Path, dir_okay=False),
        default=Path("config.yaml"),
        show_default=True,
        help="The config file.",
    )(func)


def load(config_path: Path) -> Any:
    """Load the config for a command."""
    from digest.config import load_config

    return load_config(config_path)


def echo_json(data: Any) -> None:
    """Print data as indented JSON."""
    click.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))
