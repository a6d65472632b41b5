"""The issue a week can show: the lead and as many teasers as the HTML size budget holds.

Which stories can reach an issue is known before any is summarized: the lead (`compose`), the
teasers in the order the sections show them, and the budget. The search for how many teasers
fit (`templates.fit_teasers`) renders growing prefixes of that order, and the summaries are
asked for only as it reaches them, so a week of 10,000 stories summarizes about a hundred.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from digest.config import NewsletterConfig
from digest.models import Article, Issue, Summary

Summarize = Callable[[Sequence[Article], bool], list[Summary]]  # (articles, as the lead?)


def fitted_issue(articles: Sequence[Article], summarize: Summarize, *, number: int,
                 period_start: date, period_end: date, newsletter: NewsletterConfig,
                 templates_dir: Path | None) -> tuple[Issue, tuple[Article, ...]]:
    """The issue of the week's articles with the most teasers that fit, and the stories left
    out past the budget (never summarized). `summarize` makes the summaries of the articles it
    is given, as the lead or as teasers."""
    from digest.render import compose, templates
    from digest.render.safe import RENDER_FAILURES

    lead, rest = compose.choose_lead(articles)
    ordered = compose.in_section_order(rest)
    lead_summary = summarize([lead], True)[0] if lead is not None else None
    titles = [a.title for a in rest]

    def issue_with(count: int) -> Issue:
        return compose.compose_issue(
            lead_summary, summarize(ordered[:count], False), number=number,
            period_start=period_start, period_end=period_end, newsletter=newsletter,
            titles=titles, trimmed=len(ordered) - count)

    try:
        issue, _ = templates.fit_teasers(issue_with, len(ordered), newsletter, templates_dir,
                                         first=templates.FIRST_TRY)
    except RENDER_FAILURES:
        # A story that cannot be rendered: every story that could fit is summarized, and
        # rendering leaves out the failing one and trims as usual (`safe.render_safely`).
        issue = issue_with(min(len(ordered), templates.most_teasers(newsletter)))
    return issue, tuple(ordered[len(issue.teasers):])
