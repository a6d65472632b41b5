"""Keeps the issue a run is sending, so that a resumed run sends exactly the same issue.

A snapshot is JSON next to the state database (`unsent/issue-N.json`): the composed Issue, the
documents it took (source, uid, content hash) and the fresh feed validators. It is written
before the first message goes out and moved to `issues/issue-N.json` once the issue is recorded
as sent, so that the issue can be rendered again.
"""

from __future__ import annotations

import dataclasses
import json
import os
from datetime import date, datetime
from pathlib import Path
from typing import Any

from digest.models import Article, Document, Image, Issue, Section, Summary
from digest.store.atomic import write_atomic

Validators = dict[str, tuple[str | None, str | None]]


def snapshot_path(state_path: Path, number: int) -> Path:
    """Where the snapshot of unsent issue `number` lives."""
    return state_path.parent / "unsent" / f"issue-{number}.json"


def sent_path(state_path: Path, number: int) -> Path:
    """Where the snapshot of issue `number` is kept once it was sent (for `render --issue`)."""
    return state_path.parent / "issues" / f"issue-{number}.json"


def keep_sent(state_path: Path, number: int) -> None:
    """Move the snapshot of issue `number`, now sent, to where `sent_path` finds it."""
    unsent = snapshot_path(state_path, number)
    if unsent.exists():
        kept = sent_path(state_path, number)
        kept.parent.mkdir(parents=True, exist_ok=True)
        os.replace(unsent, kept)


def save(path: Path, issue: Issue, documents: tuple[Document, ...],
         validators: Validators) -> None:
    """Write the snapshot atomically."""
    data = {
        "issue": dataclasses.asdict(issue),
        "documents": [[d.source, d.uid, d.content_hash] for d in documents],
        "validators": validators,
    }
    text = json.dumps(data, default=lambda v: v.isoformat(), ensure_ascii=False)
    write_atomic(path, text.encode("utf-8"))


def load(path: Path) -> tuple[Issue, tuple[Document, ...], Validators]:
    """The issue, documents and validators that `save` wrote.

    Raises FileNotFoundError when there is none, ValueError, KeyError or TypeError when it
    cannot be read.
    """
    data = json.loads(path.read_text(encoding="utf-8"))
    raw = data["issue"]
    issue = Issue(**{
        **raw,
        "period_start": date.fromisoformat(raw["period_start"]),
        "period_end": date.fromisoformat(raw["period_end"]),
        "lead": _summary(raw["lead"]) if raw["lead"] else None,
        "sections": tuple(Section(s["name"], tuple(_summary(i) for i in s["items"]))
                          for s in raw["sections"]),
    })
    documents = tuple(Document(source, uid, "", content_hash=content_hash)
                      for source, uid, content_hash in data["documents"])
    validators = {k: (v[0], v[1]) for k, v in data["validators"].items()}
    return issue, documents, validators


def _summary(raw: dict[str, Any]) -> Summary:
    article = raw["article"]
    published = article["published"]
    return Summary(
        Article(**{
            **article,
            "authors": tuple(article["authors"]),
            "also_in": tuple(article["also_in"]),
            "copies": tuple((str(c[0]), str(c[1])) for c in article.get("copies", ())),
            "published": datetime.fromisoformat(published) if published else None,
            "image": Image(**article["image"]) if article["image"] else None,
        }),
        tuple(raw["sentences"]),
        tuple(raw["scores"]),
    )
