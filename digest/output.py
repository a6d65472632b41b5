"""Turns a composed issue into the bytes of one output format, and writes files atomically."""

from __future__ import annotations

import json
import logging
import os
import tempfile
from pathlib import Path

from digest.config import Config
from digest.models import Issue, Rendered

log = logging.getLogger(__name__)


def format_issue(config: Config, issue: Issue, fmt: str) -> bytes:
    """The issue as html, text, mjml, eml or json bytes."""
    from digest import pipeline

    if fmt == "json":
        from digest.render import issue_json

        return (json.dumps(issue_json(issue), indent=2, ensure_ascii=False) + "\n").encode()
    rendered = pipeline.render(config, issue)
    for note in rendered.notes:
        log.warning("issue %d: %s", issue.number, note)
    if fmt == "eml":
        from digest.message import build_message

        return bytes(build_message(rendered, issue, config.newsletter, config.delivery.to))
    text = {"html": rendered.html, "text": rendered.text, "mjml": rendered.mjml}[fmt]
    return text.encode("utf-8")


def archive_issue(config: Config, issue: Issue, *, force: bool = False) -> tuple[Path, Rendered]:
    """Render an issue and write it into the archive under ``output.dir``; its folder."""
    from digest import pipeline
    from digest.archive import write_issue
    from digest.message import build_message

    rendered = pipeline.render(config, issue)
    message = build_message(rendered, issue, config.newsletter, config.delivery.to)
    folder = write_issue(config.output.dir, issue, rendered, message, force=force)
    return folder, rendered


def write_atomic(path: Path, data: bytes, *, durable: bool = True) -> None:
    """Write data to path through a temporary file and a rename, so no reader sees half a file.

    `durable` also flushes the data to disk before the rename; caches, which can always be
    rebuilt, skip that.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
