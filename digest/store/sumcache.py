"""The summary cache: small JSON files keyed by the text's hash and the summary settings.

Re-rendering an unchanged week then costs no summarizing. A damaged or unreadable entry counts as
a miss; entries are written through a temporary file and a rename, so no reader sees half of one.
"""

from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path

from digest.store.atomic import write_atomic

log = logging.getLogger(__name__)

# Bump when the way summaries are picked changes, so old entries stop matching.
VERSION = 1


def cache_key(text: str, *, method: str, count: int, language: str, title: str | None,
              max_words: int | None = None) -> str:
    """A hex digest naming one summary of one text under one set of settings."""
    settings = [VERSION, method, count, language, title, max_words]
    digest = hashlib.sha256(json.dumps(settings).encode("utf-8"))
    digest.update(b"\0")
    digest.update(text.encode("utf-8"))
    return digest.hexdigest()


def _path(cache_dir: Path, key: str) -> Path:
    return cache_dir / key[:2] / f"{key}.json"


def load(cache_dir: Path, key: str) -> tuple[list[str], list[float]] | None:
    """The cached sentences and scores under `key`, or None when there are none usable."""
    path = _path(cache_dir, key)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return [str(s) for s in data["sentences"]], [float(x) for x in data["scores"]]
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        log.warning("summary cache %s: unreadable entry (%s), summarizing again", path, exc)
        return None


def store(cache_dir: Path, key: str, sentences: list[str], scores: list[float]) -> None:
    """Save a summary under `key`; a cache that cannot be written is reported, not fatal."""
    path = _path(cache_dir, key)
    data = json.dumps({"sentences": sentences, "scores": scores}, ensure_ascii=False)
    try:
        write_atomic(path, data.encode("utf-8"), durable=False)
    except OSError as exc:
        log.warning("summary cache %s: cannot write (%s)", path, exc)
