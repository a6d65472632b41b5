"""Rendering that one story cannot fail: a story whose rendering fails is left out, named.

The issue is rendered whole first (the usual case costs nothing more). Only when that fails is
each story tried alone against the issue without stories, and the issue rendered again without
the ones that fail; when the issue fails even without any story, that is a template or setting
problem and is raised as it came.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from digest.config import NewsletterConfig
from digest.errors import DigestError
from digest.models import Issue, Preview, Rendered, Section, Summary

log = logging.getLogger(__name__)

RENDER_FAILURES = (DigestError, ValueError, TypeError, KeyError, UnicodeError)


def render_safely(issue: Issue, newsletter: NewsletterConfig, templates_dir: Path | None, *,
                  token: str | None = None, preview: Preview | None = None) -> Rendered:
    """`templates.render_issue`, leaving out (with a warning) every story that fails alone."""
    from digest.render.templates import render_issue

    def attempt(candidate: Issue) -> Rendered:
        return render_issue(candidate, newsletter, templates_dir, token=token, preview=preview)

    try:
        return attempt(issue)
    except RENDER_FAILURES as failure:
        log.debug("rendering the whole issue failed: %s", failure)
        return attempt(renderable(issue, attempt))


def renderable(issue: Issue, attempt: Callable[[Issue], Rendered]) -> Issue:
    """The issue without the stories that fail to render, each tried alone; whatever the
    issue without stories raises, is raised (a template or a setting, not a story)."""
    bare = replace(issue, lead=None, sections=())
    attempt(bare)

    def fine(candidate: Issue, summary: Summary) -> bool:
        try:
            attempt(candidate)
        except RENDER_FAILURES as exc:
            log.warning("story '%s' (%s): cannot be rendered, left out: %s",
                        summary.article.title[:80], summary.article.source, str(exc)[:200])
            return False
        return True

    lead = issue.lead if issue.lead and fine(replace(bare, lead=issue.lead), issue.lead) else None
    sections = []
    for section in issue.sections:
        items = tuple(item for item in section.items
                      if fine(replace(bare, sections=(Section(section.name, (item,)),)), item))
        if items:
            sections.append(Section(section.name, items))
    return replace(issue, lead=lead, sections=tuple(sections))
