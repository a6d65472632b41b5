"""An editor's changes to a held issue: what they may say, how it is checked, how it applies.

Edits name stories by their `story_id`. They are checked against the issue as it was built, so
an unknown id, a dropped lead or a sentence the article does not have is one line naming the
key (``drop[1]: no story 'ab12cd34' in issue 3``). Applying them is pure: the issue as built
plus the edits give the edited issue, recomposed (subject and preheader follow a new lead).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from digest.config import NewsletterConfig
from digest.errors import DigestError
from digest.models import Issue, Summary
from digest.render.compose import compose_issue, group_sections

NOTE_MAX = 5000


class Edits(BaseModel):
    """The edits of one issue; every field is optional and an empty one changes nothing."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    note: str = Field("", max_length=NOTE_MAX)
    lead: str | None = None
    drop: tuple[str, ...] = ()
    order: tuple[str, ...] = ()
    summary: dict[str, tuple[int, ...]] = Field(default_factory=dict)

    @field_validator("drop", "order", mode="before")
    @classmethod
    def _one_or_more(cls, value: Any) -> Any:
        return (value,) if isinstance(value, str) else value

    def described(self) -> str:
        """What these edits change, in a few words ("note, lead, drop 1, order 3")."""
        parts = ["note"] if self.note.strip() else []
        parts += ["lead"] if self.lead else []
        parts += [f"drop {len(self.drop)}"] if self.drop else []
        parts += [f"order {len(self.order)}"] if self.order else []
        parts += [f"summary of {len(self.summary)}"] if self.summary else []
        return ", ".join(parts) or "none"


def parse_edits(data: Any, where: str) -> Edits:
    """Validate a mapping as Edits; `where` names the file in the one-line error."""
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise DigestError(f"{where}: the edits must be a mapping of keys",
                          "write keys such as 'note:', 'lead:', 'drop:', 'order:', 'summary:'")
    try:
        return Edits.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        path = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in first["loc"])
        message = "unknown key" if first["type"] == "extra_forbidden" else first["msg"]
        message = message.replace("a valid tuple", "a list")
        raise DigestError(f"{where}: {path.lstrip('.') or '(top level)'}: {message}",
                          "the keys are note, lead, drop, order and summary; see the README"
                          ) from None


def load_edits(path: Path) -> Edits:
    """Read a YAML file of edits."""
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DigestError(f"{path}: edits file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise DigestError(f"{path}: cannot read the edits file: {exc}") from None
    except yaml.YAMLError as exc:
        problem = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise DigestError(f"{path}: not valid YAML: {problem}") from None
    return parse_edits(data, str(path))


def stories(issue: Issue) -> dict[str, Summary]:
    """Every story of an issue by its id: the lead first, then the teasers in order."""
    found = [issue.lead] if issue.lead else []
    return {s.article.story_id: s for s in [*found, *issue.teasers]}


def check_edits(edits: Edits, issue: Issue, sentences: Mapping[str, int], where: str) -> None:
    """Raise a one-line DigestError for the first edit that does not fit the issue as built.

    `sentences` holds how many sentences each story's article has, for `summary`.
    """
    known = stories(issue)

    def problem(key: str, text: str) -> DigestError:
        return DigestError(f"{where}: {key}: {text}",
                           f"see the story ids with 'digest review {issue.number} --format json'")

    def story(key: str, sid: object) -> str:
        if not isinstance(sid, str) or sid not in known:
            raise problem(key, f"no story {sid!r} in issue {issue.number}")
        return sid

    lead = story("lead", edits.lead) if edits.lead else (
        issue.lead.article.story_id if issue.lead else None)
    dropped = {story(f"drop[{i}]", sid) for i, sid in enumerate(edits.drop)}
    if lead in dropped:
        raise problem("drop", f"{lead!r} is the lead; name another story as 'lead' first")
    for i, sid in enumerate(edits.order):
        story(f"order[{i}]", sid)
        if sid == lead or sid in dropped or sid in edits.order[:i]:
            what = "the lead" if sid == lead else "dropped" if sid in dropped else "listed twice"
            raise problem(f"order[{i}]", f"{sid!r} is {what}, not a teaser to order")
    for sid, picks in edits.summary.items():
        count = sentences.get(story(f"summary.{sid}", sid), 0)
        if not picks:
            raise problem(f"summary.{sid}", "pick at least one sentence")
        bad = [n for n in picks if not 1 <= n <= count]
        if bad or len(set(picks)) != len(picks):
            text = f"sentence {bad[0]} is not one of its 1 to {count}" if bad else "a repeat"
            raise problem(f"summary.{sid}", text)


def apply_edits(issue: Issue, edits: Edits, newsletter: NewsletterConfig,
                replaced: Mapping[str, Summary] | None = None) -> Issue:
    """The issue with the edits applied; `replaced` holds new summaries by story id.

    A new lead's former place goes to the old lead, first among the teasers; the teasers named
    in `order` come first, in that order, the others after them as they were. Sections are
    grouped again, and the subject and preheader follow the lead.
    """
    known = {sid: (replaced or {}).get(sid, s) for sid, s in stories(issue).items()}
    lead_id = lead_of(issue, edits)
    edited = compose_issue(
        known[lead_id] if lead_id else None, [known[sid] for sid in teaser_ids(issue, edits)],
        number=issue.number, period_start=issue.period_start, period_end=issue.period_end,
        newsletter=newsletter,
    )
    return dataclasses.replace(edited, note=edits.note.strip())


def lead_of(issue: Issue, edits: Edits) -> str | None:
    """The id of the story the edited issue leads with."""
    return edits.lead or (issue.lead.article.story_id if issue.lead else None)


def teaser_ids(issue: Issue, edits: Edits) -> list[str]:
    """The ids of the edited issue's teasers, in the order its sections show them."""
    known = stories(issue)
    lead = lead_of(issue, edits)
    rest = [sid for sid in known if sid != lead and sid not in edits.drop]
    listed = [sid for sid in edits.order if sid in rest]
    ordered = [known[sid] for sid in listed + [sid for sid in rest if sid not in listed]]
    return [s.article.story_id for section in group_sections(ordered) for s in section.items]


BUTTONS = ("lead", "drop", "restore", "up", "down")


def press(edits: Edits, issue: Issue, button: str, sid: str) -> Edits:
    """The edits after one button of the review page on story `sid`: make it the lead, drop
    or restore it, move it up or down among the teasers. Check the result with `check_edits`."""
    order = teaser_ids(issue, edits)
    drop = [d for d in edits.drop if d != sid]
    if button == "lead":  # the old lead becomes the first teaser
        order = [t for t in [lead_of(issue, edits), *order] if t and t != sid]
        return edits.model_copy(update={"lead": sid, "drop": tuple(drop), "order": tuple(order)})
    if button == "drop":
        return edits.model_copy(update={"drop": (*drop, sid),
                                        "order": tuple(t for t in order if t != sid)})
    if button == "restore":
        return edits.model_copy(update={"drop": tuple(drop)})
    if button in ("up", "down") and sid in order:
        at = order.index(sid)
        to = max(0, at - 1) if button == "up" else min(len(order) - 1, at + 1)
        order[at], order[to] = order[to], order[at]
        return edits.model_copy(update={"order": tuple(order)})
    raise ValueError(f"unknown button {button!r} for story {sid!r}")


def pick_sentences(summary: Summary, sentences: Sequence[str], picks: Sequence[int]) -> Summary:
    """The story's summary made of the article's sentences numbered `picks` (from 1), in the
    order the article has them: still extractive."""
    chosen = tuple(sentences[n - 1] for n in sorted(set(picks)))
    return Summary(summary.article, chosen, ())
