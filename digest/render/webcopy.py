"""The archive's public page of an issue, and the issue as readers were shown it.

The web copy shows the teasers the email showed, without a "View in browser" link to itself,
its unsubscribe link pointing at the generic page (no reader's token, never an empty one).
"""

from __future__ import annotations

from pathlib import Path

from digest.config import NewsletterConfig
from digest.models import Issue, Rendered
from digest.render.templates import _PLACEHOLDER, _keep, _render_once, _with_token


def shown_issue(issue: Issue, rendered: Rendered) -> Issue:
    """The issue as `rendered` shows it: without the teasers the size budget trimmed."""
    if not rendered.trimmed:
        return issue
    return _keep(issue, len(issue.teasers) - rendered.trimmed)


def web_copy(issue: Issue, rendered: Rendered, newsletter: NewsletterConfig,
             templates_dir: Path | None) -> str:
    """The HTML of the archive's public page: the teasers `rendered` shows, without a "View
    in browser" link to itself, the unsubscribe link to the generic page."""
    shown = shown_issue(issue, rendered)
    html = _render_once(shown, newsletter, templates_dir, _PLACEHOLDER, web=True).html
    return _with_token(html, newsletter, None)
