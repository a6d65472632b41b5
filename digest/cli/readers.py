"""`digest subscribers` (list, add, remove, import and export the readers in the state store)
and `digest serve`; the web stack is imported inside `serve` only, so `digest --help` stays light.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path
from typing import Any

import click

from digest.cli.common import config_option, load, user_errors, verbosity_options
from digest.errors import DigestError

STATUSES = ("pending", "confirmed", "unsubscribed")
FIELDS = ("email", "status", "source", "created", "confirmed", "unsubscribed", "updated")


@click.group("subscribers")
def subscribers() -> None:
    """List, add, remove, import and export the readers in the state store."""


@subscribers.command("list")
@config_option
@click.option("--status", type=click.Choice(STATUSES), help="Only readers with this status.")
@click.option("-f", "--format", "fmt", type=click.Choice(["table", "csv", "json"]),
              default="table", show_default=True, help="Output format.")
@verbosity_options
@user_errors
def list_command(config_path: Path, status: str | None, fmt: str) -> None:
    """Show every reader with status, source and times."""
    rows = _rows(config_path, status)
    if fmt != "table":
        click.echo(_export_text(rows, fmt), nl=False)
        return
    from rich.console import Console
    from rich.table import Table

    table = Table("email", "status", "source", "since")
    for row in rows:  # the date of the current status; the exports have every time
        since = {"confirmed": row["confirmed"], "unsubscribed": row["unsubscribed"]}
        table.add_row(row["email"], row["status"], row["source"],
                      (since.get(row["status"]) or row["created"])[:10])
    Console(soft_wrap=False).print(table)
    counts = {s: sum(r["status"] == s for r in rows) for s in STATUSES}
    click.echo(", ".join(f"{n} {s}" for s, n in counts.items()), err=True)


def _rows(config_path: Path, status: str | None) -> list[dict[str, str]]:
    from digest.store.state import open_store

    with open_store(load(config_path).state.path, readonly=True) as store:
        return [reader.as_dict() for reader in store.readers.all(status)]


def _export_text(rows: list[dict[str, str]], fmt: str) -> str:
    if fmt == "json":
        return json.dumps(rows, indent=2, ensure_ascii=False) + "\n"
    out = io.StringIO()
    writer = csv.DictWriter(out, FIELDS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


@subscribers.command("add")
@config_option
@click.argument("addresses", nargs=-1, required=True)
@verbosity_options
@user_errors
def add_command(config_path: Path, addresses: tuple[str, ...]) -> None:
    """Add readers as confirmed (you vouch for their consent)."""
    from digest.deliver.recipients import check_address
    from digest.store.readers import new_reader
    from digest.store.state import open_store

    readers = [new_reader(check_address(a, "address"), "cli") for a in addresses]
    with open_store(load(config_path).state.path) as store:
        counts = store.readers.add(readers)
    _report(counts)


def _report(counts: Any) -> None:
    line = f"added {counts.added}, already there {counts.existing}"
    if counts.unsubscribed:
        line += f", left {counts.unsubscribed} unsubscribed as they are"
    click.echo(line, err=True)


@subscribers.command("remove")
@config_option
@click.argument("addresses", nargs=-1, required=True)
@click.option("--forget", is_flag=True,
              help="Delete everything about them instead of keeping them as unsubscribed.")
@verbosity_options
@user_errors
def remove_command(config_path: Path, addresses: tuple[str, ...], forget: bool) -> None:
    """Stop sending to readers: mark them unsubscribed, or forget them entirely."""
    from digest.deliver.recipients import check_address
    from digest.store.state import open_store

    checked = [check_address(a, "address") for a in addresses]
    with open_store(load(config_path).state.path) as store:
        for address in checked:
            if forget:
                found = store.readers.forget(address)
                click.echo(f"{address}: {'forgotten' if found else 'not a reader'}", err=True)
            else:
                store.readers.unsubscribe(address, source="cli")
                click.echo(f"{address}: unsubscribed", err=True)


@subscribers.command("import")
@config_option
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option("-f", "--format", "fmt", type=click.Choice(["csv", "json"]),
              help="The file's format; by default from its extension, else csv.")
@verbosity_options
@user_errors
def import_command(config_path: Path, file: Path, fmt: str | None) -> None:
    """Add readers from a CSV file with an `email` column (or one address a line), or JSON."""
    from digest.store.state import open_store

    fmt = fmt or ("json" if file.suffix.lower() == ".json" else "csv")
    readers = _read_import(file, fmt)
    with open_store(load(config_path).state.path) as store:
        counts = store.readers.add(readers)
    _report(counts)


def _read_import(file: Path, fmt: str) -> list[Any]:
    from digest.store.readers import new_reader

    try:
        text = file.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise DigestError(f"{file}: cannot read: {exc}") from None
    rows = _json_rows(file, text) if fmt == "json" else _csv_rows(file, text)
    readers = []
    for where, row in rows:
        status = (row.get("status") or "confirmed").strip()
        try:
            created = _time(row.get("created"))
            readers.append(new_reader(_address(row.get("email"), where),
                                      (row.get("source") or "import").strip(), status, created))
        except ValueError as exc:
            hint = f"status is one of {', '.join(STATUSES)}; times are ISO 8601"
            raise DigestError(f"{where}: {exc}", hint) from None
    return readers


def _time(text: str | None) -> Any:
    from datetime import UTC, datetime

    if not text:
        return None
    value = datetime.fromisoformat(text.strip())
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _address(value: Any, where: str) -> str:
    from digest.deliver.recipients import check_address

    return check_address(str(value or ""), where)


def _json_rows(file: Path, text: str) -> list[tuple[str, dict[str, str]]]:
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise DigestError(f"{file}: not valid JSON: {exc}") from None
    if not isinstance(data, list):
        raise DigestError(f"{file}: expected a list of addresses or of objects with 'email'")
    return [(f"{file}[{i}]", item if isinstance(item, dict) else {"email": item})
            for i, item in enumerate(data)]


def _csv_rows(file: Path, text: str) -> list[tuple[str, dict[str, str]]]:
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    if lines and "," not in lines[0] and "@" in lines[0]:  # one address a line, no header
        return [(f"{file}:{n}", {"email": line.split("#", 1)[0].strip()})
                for n, line in enumerate(text.splitlines(), 1)
                if line.split("#", 1)[0].strip()]
    reader = csv.DictReader(text.splitlines())
    names = {(c or "").strip().lower(): c for c in reader.fieldnames or ()}
    if "email" not in names:
        raise DigestError(f"{file}:1: no 'email' column",
                          "put a header line such as 'email,status' first")
    return [(f"{file}:{reader.line_num}", {k: (row.get(c) or "") for k, c in names.items()})
            for row in reader]


@subscribers.command("export")
@config_option
@click.option("-f", "--format", "fmt", type=click.Choice(["csv", "json"]), default="csv",
              show_default=True, help="Output format.")
@click.option("-o", "--output", "out", type=click.Path(path_type=Path, dir_okay=False),
              help="Write here instead of standard output.")
@click.option("--status", type=click.Choice(STATUSES), help="Only readers with this status.")
@verbosity_options
@user_errors
def export_command(config_path: Path, fmt: str, out: Path | None, status: str | None) -> None:
    """Write every reader as CSV or JSON, in the form `import` reads back."""
    data = _export_text(_rows(config_path, status), fmt)
    if out is None:
        sys.stdout.write(data)
        return
    from digest.store.atomic import write_atomic

    write_atomic(out, data.encode("utf-8"))
    click.echo(f"wrote {out}", err=True)


@click.command("serve")
@config_option
@click.option("--host", help="Address to listen on (default: serve.host).")
@click.option("--port", type=click.IntRange(1, 65535), help="Port (default: serve.port).")
@user_errors
def serve_command(config_path: Path, host: str | None, port: int | None) -> None:
    """Serve the archive, its feed, and subscribe/unsubscribe pages under serve.url."""
    from digest.serve import serve_forever

    serve_forever(load(config_path), host=host, port=port, announce=click.echo)

