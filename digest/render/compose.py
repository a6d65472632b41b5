"""Composes an Issue from summaries: picks the lead, groups teasers by section, writes the
title, subject and preheader. Pure: no I/O, no clock, no randomness.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import TypeVar

from digest.config import NewsletterConfig
from digest.models import Article, Issue, Section, Summary

GENERAL_SECTION = "More stories"
T = TypeVar("T")
SUBJECT_MAX = 70  # inboxes cut subjects at about 70 characters (60 on phones)
PREHEADER_MIN = 40
PREHEADER_MAX = 130


def choose_lead(articles: Sequence[Article]) -> tuple[Article | None, list[Article]]:
    """The lead article and the rest, in their original order.

    The lead is the article marked "lead" (the longest text if several are), else the longest
    "item", else the longest of whatever there is. Ties keep the earlier article.
    """
    for roles in (("lead",), ("item",), ("lead", "item", "teaser")):
        candidates = [a for a in articles if a.role in roles]
        if candidates:
            lead = max(candidates, key=_substance)
            rest = [a for a in articles if a is not lead]
            return lead, rest
    return None, list(articles)


def _substance(article: Article) -> tuple[int, int]:
    return len(article.text.split()), len(article.text)


def compose_issue(
    lead: Summary | None,
    teasers: Sequence[Summary],
    *,
    number: int,
    period_start: date,
    period_end: date,
    newsletter: NewsletterConfig,
    titles: Sequence[str] | None = None,
    trimmed: int = 0,
) -> Issue:
    """An Issue with teasers grouped by section and its title, subject and preheader written.

    `titles` are those of every teaser of the week, for the preheader, when only the first
    `teasers` (in section order) are shown and `trimmed` more are left out.
    """
    sections = group_sections(teasers)
    return Issue(
        number=number,
        period_start=period_start,
        period_end=period_end,
        title=f"{newsletter.name} — {long_date(period_end)}",
        subject=make_subject(newsletter.name, number, lead),
        preheader=make_preheader(newsletter.name, number, lead, teasers, titles),
        lead=lead,
        sections=sections,
        trimmed=trimmed,
    )


def group_sections(teasers: Sequence[Summary]) -> tuple[Section, ...]:
    """Sections in order of first appearance; teasers without one under "More stories", last."""
    groups = _grouped(teasers, lambda t: t.article.section)
    return tuple(Section(name, tuple(items)) for name, items in groups.items())


def in_section_order(teasers: Sequence[Article]) -> list[Article]:
    """The teasers in the order the issue shows them: section by section, as `group_sections`
    arranges them; so the first n of them are the first n teasers an issue shows."""
    return [a for items in _grouped(teasers, lambda a: a.section).values() for a in items]


def _grouped(items: Sequence[T], section: Callable[[T], str | None]) -> dict[str, list[T]]:
    groups: dict[str, list[T]] = {}
    general: list[T] = []
    for item in items:
        name = (section(item) or "").strip()
        if not name or name.casefold() == GENERAL_SECTION.casefold():
            general.append(item)
        else:
            key = next((k for k in groups if k.casefold() == name.casefold()), name)
            groups.setdefault(key, []).append(item)
    if general:
        groups[GENERAL_SECTION] = general  # after every named section: it is added last
    return groups


def long_date(day: date) -> str:
    """A date as "22 November 2026"."""
    return f"{day.day} {day:%B %Y}"


def shorten(text: str, limit: int) -> str:
    """Text cut at a word boundary to at most limit characters, with an ellipsis when cut."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:—-– ")
    return cut + "…"


def make_subject(name: str, number: int, lead: Summary | None) -> str:
    """The subject line: newsletter name, issue number and the lead's title, kept short."""
    prefix = f"{name} #{number}"
    if lead is None or not lead.article.title.strip():
        return prefix
    return shorten(f"{prefix}: {lead.article.title}", SUBJECT_MAX)


def make_preheader(
    name: str, number: int, lead: Summary | None, teasers: Sequence[Summary],
    every_title: Sequence[str] | None = None,
) -> str:
    """Inbox preview text of 40–130 characters that differs from the subject; `every_title`
    stands for the teasers' titles when not every teaser is given."""
    given = [t.article.title for t in teasers] if every_title is None else every_title
    titles = [t.strip() for t in given if t.strip()]
    text = ""
    if lead is not None:
        first = lead.sentences[0] if lead.sentences else lead.article.dek or ""
        text = " ".join(first.split())
    if len(text) < PREHEADER_MIN and titles:
        text = (text + " Also: " if text else "This week: ") + "; ".join(titles)
    if len(text) < PREHEADER_MIN:
        text = (text + " " if text else "") + f"Issue {number} of {name}, with this week's news."
    if len(text) < PREHEADER_MIN:
        text += " Read it in your browser or inbox."
    return shorten(text.strip(), PREHEADER_MAX)
