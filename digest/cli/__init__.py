"""The `digest` command line: parses arguments, sets up logging, turns errors into one line.

Each command is a thin wrapper over a stage function; heavy modules are imported inside the
commands so that `digest --help` starts fast. The shared options and error handling live in
`common`; the readers' commands (`digest subscribers`, `digest serve`) in `readers`; the
editors' command (`digest review`) in `review`.
"""

from __future__ import annotations

import logging
import sys
import time
from pathlib import Path
from typing import Any

import click

from digest.cli.common import (
    config_option,
    echo_json,
    load,
    setup_logging,
    status,
    user_errors,
    verbosity_options,
)
from digest.cli.readers import serve_command, subscribers
from digest.cli.review import review
from digest.models import VERSION as __version__

FORMATS = {".html": "html", ".htm": "html", ".txt": "text", ".mjml": "mjml", ".eml": "eml",
           ".json": "json"}


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="digest")
@click.option("-v", "--verbose", count=True, help="More output (-vv for debug output).")
@click.option("-q", "--quiet", is_flag=True, help="Only errors.")
@click.option("--debug", is_flag=True, help="Show tracebacks for errors.")
def cli(verbose: int, quiet: bool, debug: bool) -> None:
    """Build a weekly newsletter round-up from folders, feeds and web pages."""
    setup_logging(verbose, quiet)


@cli.command()
@config_option
@click.option("-o", "--output", "out", type=click.Path(path_type=Path, dir_okay=False),
              help="Write here instead of standard output.")
@click.option("-f", "--format", "fmt", type=click.Choice(["html", "text", "mjml", "eml", "json"]),
              help="Output format; by default taken from OUT's extension, else html.")
@click.option("--archive", is_flag=True,
              help="Also write the issue (html, txt, eml, json) into the archive folder.")
@click.option("--force", is_flag=True, help="With --archive: replace an archived issue.")
@click.option("--issue", "number", type=click.IntRange(min=1), metavar="N",
              help="Render issue N again, as it was built for the archive.")
@verbosity_options
@user_errors
def render(
    config_path: Path, out: Path | None, fmt: str | None, archive: bool, force: bool,
    number: int | None,
) -> None:
    """Preview the next issue from the configured sources; never changes state.

    After a send that did not finish, the preview is the issue the next run resumes; with
    --issue N, an issue built before.
    """
    from digest import pipeline
    from digest.errors import NothingNew
    from digest.run.cron import check_schedule
    from digest.run.previews import built_issue

    started = time.monotonic()
    config = load(config_path)
    check_schedule(config.schedule)
    fmt = fmt or (FORMATS.get(out.suffix.lower(), "html") if out else "html")
    issue, note = built_issue(config, number)
    if note:
        status(note)
    if issue is not None:
        _write(config, issue, out, fmt, archive=archive, force=force)
        status(f"issue {issue.number}: {_stories(issue)}, rebuilt from its snapshot, "
               f"{time.monotonic() - started:.1f} s")
        return
    try:
        built = pipeline.build_issue(config)
    except NothingNew as exc:
        status(exc.message + "; nothing to render")
        return
    _write(config, built.issue, out, fmt, archive=archive, force=force)
    _summary_line(built, started)


def _write(config: Any, issue: Any, out: Path | None, fmt: str, *, archive: bool,
           force: bool) -> None:
    from digest.run.publish import write_output

    for line in write_output(config, issue, out, fmt, archive=archive, force=force):
        status(line)


def _stories(issue: Any) -> str:
    count = len(issue.teasers) + (1 if issue.lead else 0)
    return f"{count} {'story' if count == 1 else 'stories'}"


def _summary_line(built: Any, started: float) -> None:
    from digest.progress import summary_line

    issue = built.issue
    count = len(issue.teasers) + (1 if issue.lead else 0)
    status(summary_line(issue.number, count, documents=len(built.documents),
                        articles=len(built.articles), seconds=time.monotonic() - started,
                        problems=len(built.problems)))


@cli.command("run")
@config_option
@click.option("--force", is_flag=True,
              help="Build the current issue afresh instead of resuming an unsent one; "
                   "overwrite its archive.")
@click.option("--dry-run", is_flag=True,
              help="Build and render the issue, but write, send and record nothing.")
@click.option("--wait", type=click.FloatRange(min=0), default=None,
              help="Seconds to wait for another run to finish before giving up "
                   "[default: as long as a run can take: fetch.deadline + delivery.deadline "
                   "+ 300].")
@click.option("--held-only", is_flag=True,
              help="Only send an issue held for review once approved or past its deadline; "
                   "never build a new one.")
@click.option("--reset-state", is_flag=True,
              help="Start a new state store although the archive holds issues (the store was "
                   "lost or emptied); numbering goes on after the archive's.")
@verbosity_options
@user_errors
def run_command(config_path: Path, force: bool, dry_run: bool, wait: float | None,
                held_only: bool, reset_state: bool) -> None:
    """Collect, build, archive and send the next issue, then record it as sent."""
    from digest.run.job import run_issue

    result = run_issue(load(config_path), force=force, dry_run=dry_run, wait=wait,
                       held_only=held_only, reset_state=reset_state)
    status(result.summary)


@cli.command("schedule")
@config_option
@verbosity_options
@user_errors
def schedule_command(config_path: Path) -> None:
    """Run `digest run` on the configured schedule until SIGTERM or Ctrl-C."""
    from digest.run.schedule import serve

    config = load(config_path)
    root = click.get_current_context().find_root().params
    if not root.get("quiet") and not root.get("verbose"):
        logging.getLogger("digest").setLevel(logging.INFO)  # one line per scheduled run
    serve(config, config_path, announce=click.echo)


@cli.command("extract")
@click.argument("inputs", nargs=-1, required=True, metavar="PATH_OR_URL...")
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Output format.")
@verbosity_options
@user_errors
def extract_command(inputs: tuple[str, ...], fmt: str) -> None:
    """Show the articles extracted from files or web pages; exit 1 if any input failed."""
    from digest.errors import SourceError
    from digest.extract.document import article_json, article_text, extract_input

    debug = click.get_current_context().find_root().params.get("debug")
    results: list[dict[str, Any]] = []
    for item in inputs:
        try:
            articles = extract_input(item)
        except Exception as exc:  # one bad input is reported and the others still print
            if debug:
                raise
            shown = exc.problem if isinstance(exc, SourceError) and exc.problem.startswith(
                exc.source) else str(exc)  # sources name the file in the problem already
            message = " ".join(shown.split()) or type(exc).__name__
            results.append({"input": item, "articles": [], "error": message})
            if fmt == "text":
                click.echo(f"Error: {message}", err=True)
            continue
        results.append({"input": item, "articles": [article_json(a) for a in articles],
                        "error": None})
        if fmt == "text":
            click.echo(f"=== {item}: {len(articles)} article(s)\n")
            click.echo("\n".join(article_text(a) for a in articles))
    if fmt == "json":
        echo_json(results)
    if any(r["error"] for r in results):
        sys.exit(1)


@cli.command("collect")
@config_option
@click.option("-f", "--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True, help="Output format.")
@verbosity_options
@user_errors
def collect_command(config_path: Path, fmt: str) -> None:
    """Show what the next issue would take from each source; never changes state."""
    from datetime import UTC, datetime

    from digest.pipeline import collect, require_sources
    from digest.sources.collect import collection_json
    from digest.store.state import open_store

    config = load(config_path)
    require_sources(config)
    with open_store(config.state.path, readonly=True) as store:
        collection = collect(config, store, now=datetime.now(UTC))
    if fmt == "json":
        echo_json(collection_json(collection))
        return
    _collect_table(collection)


def _collect_table(collection: Any) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table("source", "kind", "new", "seen", "failed", "problems")
    for report in collection.reports:
        table.add_row(report.source, report.kind, str(report.new), str(report.seen),
                      str(report.failed), "\n".join(report.errors), end_section=False)
    Console(soft_wrap=False).print(table)
    status(f"{len(collection.documents)} new document(s) from "
           f"{len(collection.reports)} source(s)")


@cli.command("summarize")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-n", "--sentences", type=click.IntRange(min=1), default=3, show_default=True,
              help="How many sentences each summary gets.")
@click.option("-m", "--method", default="default", show_default=True,
              help="default, lead, lexrank, textrank, lsa, luhn, edmundson, kl, sumbasic or "
                   "reduction.")
@click.option("-l", "--language", default="english", show_default=True,
              help="The texts' language: a name or an ISO code (en, de, fr, ...).")
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Output format.")
@verbosity_options
@user_errors
def summarize_command(files: tuple[Path, ...], sentences: int, method: str, language: str,
                      fmt: str) -> None:
    """Summarize UTF-8 text files; exit 1 if any file could not be read."""
    from digest.extract.document import article_body
    from digest.summarize.methods import check_method, language_name, summarize_text

    check_method(method)
    language_name(language)
    results: list[dict[str, Any]] = []
    for file in files:
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            problem = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            results.append({"input": str(file), "sentences": [], "error": f"{file}: {problem}"})
            if fmt == "text":
                click.echo(f"Error: {file}: {problem}", err=True)
            continue
        body, title = article_body(file, text)
        picked = summarize_text(body, sentences, method, language, title=title)
        results.append({"input": str(file), "sentences": picked, "error": None})
        if fmt == "text":
            click.echo(f"=== {file}\n" + "\n".join(picked) + "\n")
    if fmt == "json":
        echo_json(results)
    if any(r["error"] for r in results):
        sys.exit(1)


cli.add_command(subscribers)
cli.add_command(review)
cli.add_command(serve_command)


def main() -> None:
    """Entry point of the `digest` console script."""
    cli(prog_name="digest")
