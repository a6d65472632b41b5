"""The archive of sent issues: one folder per issue and an index page, all written atomically.

Layout under the output folder::

    index.html                          every issue, newest first
    issues/0001-2026-11-22/index.html   the web version ("view in browser" points here)
    issues/0001-2026-11-22/issue.txt    the plain-text part
    issues/0001-2026-11-22/issue.eml    the complete message
    issues/0001-2026-11-22/issue.json   the issue as data (see `digest.render.templates.issue_json`)
"""

from __future__ import annotations

import html
import json
import logging
import os
import shutil
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from digest.errors import DigestError
from digest.models import Issue, Rendered
from digest.render.view import archive_path
from digest.store.atomic import write_atomic

log = logging.getLogger(__name__)

PAGE = "index.html"
FILES = {"html": PAGE, "text": "issue.txt", "eml": "issue.eml", "json": "issue.json"}


def issue_folder(output_dir: Path, issue: Issue) -> Path:
    """Where an issue is archived: ``OUTPUT/issues/NNNN-YYYY-MM-DD``."""
    return output_dir / archive_path(issue)


def _same_number(output_dir: Path, number: int) -> list[Path]:
    issues = output_dir / "issues"
    if not issues.is_dir():
        return []
    return sorted(p for p in issues.glob(f"{number:04d}-*") if p.is_dir())


def archived_numbers(output_dir: Path) -> list[int]:
    """The numbers of the issues in the archive, in order."""
    issues = output_dir / "issues"
    if not issues.is_dir():
        return []
    found = {int(p.name[:4]) for p in issues.glob("[0-9][0-9][0-9][0-9]-*") if p.is_dir()}
    return sorted(found)


def write_issue(
    output_dir: Path,
    issue: Issue,
    rendered: Rendered,
    message: EmailMessage,
    *,
    force: bool = False,
) -> Path:
    """Archive an issue's HTML, text, message and JSON, then rebuild the index; the folder.

    An issue already archived under the same number is an error unless ``force``, which
    replaces it.
    """
    from digest.render.templates import issue_json
    from digest.render.webcopy import shown_issue

    folder = issue_folder(output_dir, issue)
    existing = _same_number(output_dir, issue.number)
    if existing and not force:
        raise DigestError(
            f"{existing[0]}: issue {issue.number} is already archived",
            "pass --force to replace it",
        )
    data = issue_json(shown_issue(issue, rendered))  # what readers see, not what was trimmed
    files = {
        PAGE: rendered.html.encode("utf-8"),
        FILES["text"]: rendered.text.encode("utf-8"),
        FILES["eml"]: bytes(message),
        FILES["json"]: (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8"),
    }
    _write_whole(folder, files)
    for stale in existing:
        if stale != folder:
            shutil.rmtree(stale)
    write_index(output_dir)
    log.info("archived issue %d in %s", issue.number, folder)
    return folder


def _write_whole(folder: Path, files: dict[str, bytes]) -> None:
    """Write an issue's folder whole or not at all: into a hidden temporary folder beside it,
    then renamed into place (an issue replaced by --force is moved aside first)."""
    from digest.store.faults import kill_point

    parent = folder.parent
    parent.mkdir(parents=True, exist_ok=True)
    _drop_leftovers(parent)
    partial = parent / f".partial-{os.getpid()}-{folder.name}"
    partial.mkdir()
    for name, content in files.items():
        write_atomic(partial / name, content)
    kill_point("mid-archive")
    if folder.exists():
        aside = parent / f".partial-{os.getpid()}-old-{folder.name}"
        folder.rename(aside)
        partial.rename(folder)
        shutil.rmtree(aside)
    else:
        partial.rename(folder)
    fd = os.open(parent, os.O_RDONLY)  # the rename itself reaches the disk
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _drop_leftovers(parent: Path) -> None:
    """Remove temporary folders of writers that were killed (their process is gone)."""
    for leftover in parent.glob(".partial-*"):
        pid = leftover.name.split("-")[1]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(leftover, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _entries(output_dir: Path) -> list[dict[str, Any]]:
    entries = []
    for file in (output_dir / "issues").glob(f"*/{FILES['json']}"):
        if file.parent.name.startswith("."):
            continue  # a folder still being written
        try:
            data = json.loads(file.read_text(encoding="utf-8"))
            number = int(data["number"])
        except (OSError, ValueError, KeyError, TypeError) as exc:
            log.warning("%s: not a readable archived issue (%s), left out of the index", file, exc)
            continue
        data["href"] = f"issues/{file.parent.name}/"
        data["number"] = number
        entries.append(data)
    return sorted(entries, key=lambda d: (d["number"], d["href"]), reverse=True)


def entries(output_dir: Path) -> list[dict[str, Any]]:
    """Every readable archived issue as its JSON data plus its folder's `href`, newest first."""
    return _entries(output_dir)


def write_index(output_dir: Path) -> Path:
    """Rebuild ``OUTPUT/index.html``: every archived issue, newest first."""
    entries = _entries(output_dir)
    items = []
    for entry in entries:
        end = html.escape(str((entry.get("period") or {}).get("end", "")))
        items.append(
            f'<li><a href="{html.escape(entry["href"])}">{html.escape(entry.get("title", ""))}</a>'
            f'<br><small>Issue {entry["number"]} · <time datetime="{end}">{end}</time> · '
            f'{html.escape(entry.get("subject", ""))}</small></li>'
        )
    title = html.escape(entries[0]["title"].split(" — ")[0]) if entries else "Archive"
    page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>{title}: all issues</title>
<style>body{{font:16px/1.5 Helvetica,Arial,sans-serif;max-width:600px;margin:2em auto;
padding:0 1em}} li{{margin:0 0 1em}}</style></head>
<body><h1>{title}: all issues</h1>
<ol reversed>
{chr(10).join(items)}
</ol></body></html>
"""
    index = output_dir / PAGE
    write_atomic(index, page.encode("utf-8"))
    return index
