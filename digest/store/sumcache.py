"""The summary cache: small JSON files keyed by the text's hash and the summary settings.

Re-rendering an unchanged week then costs no summarizing. Entries live in the cache folder as
``<xx>/<key>.json`` and go through `digest.store.cache`: a damaged entry is a miss.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from digest.store.cache import JSON, Entries
from digest.store.cache import cache_key as _key

# Bump when the way summaries are picked changes, so old entries stop matching.
VERSION = 1


def cache_key(text: str, *, method: str, count: int, language: str, title: str | None,
              max_words: int | None = None) -> str:
    """A hex digest naming one summary of one text under one set of settings."""
    return _key(VERSION, method, count, language, title, max_words, text=text)


def _entries(cache_dir: Path) -> Entries:
    return Entries(cache_dir, JSON, label="summary cache", again="summarizing again")


def _summary(data: Any) -> tuple[list[str], list[float]]:
    return [str(s) for s in data["sentences"]], [float(x) for x in data["scores"]]


def load(cache_dir: Path, key: str) -> tuple[list[str], list[float]] | None:
    """The cached sentences and scores under `key`, or None when there are none usable."""
    found: tuple[list[str], list[float]] | None = _entries(cache_dir).get(key, _summary)
    return found


def store(cache_dir: Path, key: str, sentences: list[str], scores: list[float]) -> None:
    """Save a summary under `key`; a cache that cannot be written is reported, not fatal."""
    _entries(cache_dir).put(key, {"sentences": sentences, "scores": scores})
