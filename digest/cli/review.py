"""`digest review N`: show, edit or approve an issue while it awaits its editors."""

from __future__ import annotations

from pathlib import Path

import click

from digest.cli.common import config_option, echo_json, load, user_errors, verbosity_options


@click.command("review")
@click.argument("number", type=click.IntRange(min=1))
@config_option
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="text: one line on the review; json: the edited issue.")
@click.option("--edits", "edits_file", type=click.Path(path_type=Path, dir_okay=False),
              help="A YAML file of edits (note, lead, drop, order, summary) to record.")
@click.option("--approve", is_flag=True, help="Approve the issue: the next run sends it.")
@verbosity_options
@user_errors
def review(number: int, config_path: Path, fmt: str, edits_file: Path | None,
           approve: bool) -> None:
    """Show, edit or approve issue NUMBER while it awaits review."""
    from digest.run import review as held
    from digest.store.state import open_store

    config = load(config_path)
    with open_store(config.state.path, readonly=not (edits_file or approve)) as store:
        if edits_file is not None:
            edits = held.review_edits(config, store, number, edits_file)
            click.echo(f"issue {number}: edits recorded ({edits.described()})", err=True)
        if approve:
            held.approve(store, number, "cli")
        if fmt == "json":
            echo_json(held.review_json(config, store, number))
        else:
            click.echo(held.status_line(store, number))
