"""What every command shares: logging set-up, -v/-q/--debug before or after the command, the
-c option, one-line errors, status lines and JSON output."""

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
    """Log digest's messages at the chosen level: to a terminal through rich, to a file or a
    journal as plain lines with a timestamp. Third-party libraries (trafilatura, htmldate,
    httpx, ...) log only with -vv: their messages are about their internals, and digest itself
    says what it skipped and why. Only the command line calls this."""
    level = logging.ERROR if quiet else logging.DEBUG if verbose > 1 else logging.INFO
    if verbose == 0 and not quiet:
        level = logging.WARNING
    handler: logging.Handler
    if sys.stderr.isatty():
        from rich.logging import RichHandler

        handler = RichHandler(console=_stderr_console(), show_time=False, show_path=False,
                              markup=False)
        handler.setFormatter(logging.Formatter("%(message)s"))
    else:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s",
                                               "%Y-%m-%d %H:%M:%S"))
    if verbose < 2:
        handler.addFilter(_only_digest)
    logging.basicConfig(level=level, handlers=[handler], force=True)


def _only_digest(record: logging.LogRecord) -> bool:
    return record.name == "digest" or record.name.startswith("digest.")


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


def verbosity_options(func: F) -> F:
    """`-v`, `-q` and `--debug` after the command name too (`digest render -q`)."""

    def remember(ctx: click.Context, param: click.Parameter, value: Any) -> None:
        if not value:
            return
        root = ctx.find_root()
        name = str(param.name)
        root.params[name] = (root.params.get(name) or 0) + value if name == "verbose" else value
        setup_logging(root.params.get("verbose") or 0, bool(root.params.get("quiet")))

    for option in (
        click.option("--debug", is_flag=True, expose_value=False, callback=remember,
                     help="Show tracebacks for errors."),
        click.option("-q", "--quiet", is_flag=True, expose_value=False, callback=remember,
                     help="Only errors."),
        click.option("-v", "--verbose", count=True, expose_value=False, callback=remember,
                     help="More output (-vv for debug output)."),
    ):
        func = option(func)
    return func


def status(message: str) -> None:
    """A status line on standard error (what was written, the summary); none under -q."""
    if not click.get_current_context().find_root().params.get("quiet"):
        click.echo(message, err=True)
