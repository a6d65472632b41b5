"""Renders an Issue email-ready: Jinja2 templates → MJML → HTML (mjml-python), plus plain text.

The only module that imports Jinja2 and mjml. Templates come from the packaged
``digest/templates`` (or a checkout's top-level ``templates/``), overridden file by file by the
configured ``templates`` folder. Past the HTML size budget, teasers are dropped from the end of
the last section until the HTML fits, and a note says how many.
"""

from __future__ import annotations

import dataclasses
import functools
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

from digest.config import NewsletterConfig
from digest.errors import DigestError
from digest.models import Issue, Preview, Rendered, Section, Summary
from digest.render.view import issue_context

log = logging.getLogger(__name__)

# In the wheel the templates ship as `digest/templates`; in a checkout they are `templates/`.
PACKAGED = Path(__file__).resolve().parent.parent / "templates"
CHECKOUT = PACKAGED.parent.parent / "templates"
MJML_TEMPLATE = "issue.mjml.j2"
TEXT_TEMPLATE = "issue.txt.j2"
SUBJECT_TEMPLATE = "subject.txt.j2"


def template_dirs(templates_dir: Path | None) -> list[Path]:
    """The folders searched for templates, first match wins: the override, then the packaged."""
    dirs = [templates_dir] if templates_dir is not None else []
    dirs.append(PACKAGED if PACKAGED.is_dir() else CHECKOUT)
    return dirs


@functools.cache
def _environment(dirs: tuple[Path, ...]) -> Any:
    import jinja2

    for folder in dirs[:-1]:
        if not folder.is_dir():
            raise DigestError(
                f"templates: {folder}: not a folder",
                "point 'templates' at a folder holding the templates to override",
            )
    loader = jinja2.ChoiceLoader([jinja2.FileSystemLoader(str(d)) for d in dirs])
    return jinja2.Environment(
        loader=loader,
        autoescape=lambda name: ".mjml" in (name or ""),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )


def render_template(env: Any, name: str, context: dict[str, Any]) -> str:
    """Render the template `name` of `env`; a missing or broken template is one clear error."""
    import jinja2

    try:
        return str(env.get_template(name).render(context))
    except jinja2.TemplateNotFound as exc:
        hint = "check the 'templates' folder"
        raise DigestError(f"template {exc.name}: not found", hint) from exc
    except jinja2.TemplateSyntaxError as exc:
        where = f"template {exc.filename or name}, line {exc.lineno}"
        raise DigestError(f"{where}: {exc.message}") from exc
    except jinja2.UndefinedError as exc:
        raise DigestError(f"template {name}: {exc.message}") from exc


def compile_mjml(mjml: str, newsletter: NewsletterConfig) -> str:
    """Compile MJML to HTML without comments, web fonts (unless configured) or third-party icons."""
    from mjml import mjml2html

    from digest.render.links import archive_url

    origin = newsletter.social_icon_origin or archive_url(newsletter.base_url, "icons/")
    try:
        return str(
            mjml2html(
                mjml,
                disable_comments=True,
                fonts=dict(newsletter.fonts) or {},
                social_icon_origin=origin,
            )
        )
    except ValueError as exc:
        raise DigestError(f"{MJML_TEMPLATE}: not valid MJML: {exc}") from exc


PREVIEW_MARK = "[Preview]"


def _render_once(
    issue: Issue, newsletter: NewsletterConfig, templates_dir: Path | None, token: str | None,
    preview: Preview | None = None, *, web: bool = False,
) -> Rendered:
    env = _environment(tuple(template_dirs(templates_dir)))
    context = issue_context(issue, newsletter, token, preview, web=web)
    mjml = render_template(env, MJML_TEMPLATE, context)
    text = render_template(env, TEXT_TEMPLATE, context)
    subject = " ".join(render_template(env, SUBJECT_TEMPLATE, context).split())
    if preview is not None:
        subject = f"{PREVIEW_MARK} {subject}"
    html = compile_mjml(mjml, newsletter)
    return Rendered(subject, issue.preheader, mjml, html, text)


# One rendering per issue serves every reader: it is made once with a placeholder token, and
# each reader's copy only swaps in their URL-quoted token (which needs no HTML escaping).
_PLACEHOLDER = "digest-reader-token-7f3a9c"
_last: tuple[Issue, NewsletterConfig, Path | None, Rendered] | None = None


def render_issue(
    issue: Issue,
    newsletter: NewsletterConfig,
    templates_dir: Path | None,
    *,
    token: str | None = None,
    preview: Preview | None = None,
) -> Rendered:
    """Render subject, MJML, HTML and plain text; trim teasers to keep the HTML in budget.

    ``token`` replaces ``{token}`` in ``newsletter.unsubscribe_url`` (one rendering per
    recipient when unsubscribe links are personal; repeated calls for the same issue and
    newsletter objects reuse the rendering and only swap the token). ``preview`` renders the
    editors' preview: a banner on top and the subject marked "[Preview]".
    """
    global _last
    if (_last is not None and preview is None and _last[0] is issue
            and _last[1] is newsletter and _last[2] == templates_dir):
        base = _last[3]
    else:
        rendered, notes = _fit(issue, newsletter, templates_dir, preview)
        if not (newsletter.unsubscribe_url or newsletter.unsubscribe_mailto):
            notes.append("no unsubscribe link: set newsletter.unsubscribe_url")
        for note in notes:
            log.info("issue %d: %s", issue.number, note)
        base = dataclasses.replace(rendered, notes=(*rendered.notes, *notes))
        if preview is None:
            _last = (issue, newsletter, templates_dir, base)
    return dataclasses.replace(base, mjml=_with_token(base.mjml, newsletter, token),
                               html=_with_token(base.html, newsletter, token),
                               text=_with_token(base.text, newsletter, token))


def _with_token(text: str, newsletter: NewsletterConfig, token: str | None) -> str:
    """The rendering for one reader; without a token, the unsubscribe link goes to the
    generic page, so no preview or archived copy carries an empty ``token=``."""
    if token is None and newsletter.unsubscribe_url:
        from digest.render.links import unsubscribe_link

        personal = unsubscribe_link(newsletter.unsubscribe_url, _PLACEHOLDER) or ""
        generic = unsubscribe_link(newsletter.unsubscribe_url, None) or ""
        amp = personal.replace("&", "&amp;"), generic.replace("&", "&amp;")
        text = text.replace(*amp).replace(personal, generic) if personal else text
    return text.replace(_PLACEHOLDER, quote(token or "", safe=""))


# No teaser takes less HTML than this, so a week of thousands of articles is cut to what could
# fit before the first rendering instead of rendering them all (3 s for 10,000).
MIN_TEASER_BYTES = 256
FIRST_TRY = 24  # teasers in the first rendering of a big issue, before sizes are known


def most_teasers(newsletter: NewsletterConfig) -> int:
    """More teasers than this could never fit in the HTML size budget."""
    return newsletter.max_html_kb * 1024 // MIN_TEASER_BYTES


def fit_teasers(
    issue_with: Callable[[int], Issue], total: int, newsletter: NewsletterConfig,
    templates_dir: Path | None, *, first: int | None = None, token: str | None = _PLACEHOLDER,
    preview: Preview | None = None,
) -> tuple[Issue, Rendered]:
    """The issue with the most of its `total` teasers (in order) whose HTML fits the budget,
    and its rendering. `issue_with(n)` gives the issue with its first n teasers; it is asked
    only for the counts the search renders, none much past the answer, so a caller can make
    (and summarize) teasers only as the search reaches them. The first try renders `first`
    teasers (all that could fit, by default); the most that fit is found the same way whatever
    it is, since every teaser adds to the HTML."""
    budget = newsletter.max_html_kb * 1024
    limit = min(total, most_teasers(newsletter))
    tried: dict[int, tuple[Issue, Rendered]] = {}

    def size(count: int) -> int:
        if count not in tried:
            issue = issue_with(count)
            tried[count] = issue, _render_once(issue, newsletter, templates_dir, token, preview)
        return len(tried[count][1].html.encode())

    count = min(limit, limit if first is None else first)
    if size(count) <= budget and count == limit:
        return tried[count]  # the usual week: everything fits, one rendering
    if count == 0 or size(0) > budget:
        size(0)
        return tried[0]
    return tried[_most_that_fit(size, count, limit, budget)]


def _most_that_fit(size: Callable[[int], int], count: int, limit: int, budget: int) -> int:
    """The most teasers, up to `limit`, whose HTML is within `budget`, trying `count` first:
    guessed from the bytes per teaser seen so far, each guess inside what is still open."""
    fits, over = 0, limit + 1  # the most known to fit, the fewest known not to
    for tries in range(limit + 1):
        if size(count) <= budget:
            fits = count
        else:
            over = count
        if over - fits <= 1:
            break
        # Between the two known ends, or past the last that fit, at the bytes per teaser seen.
        low, high = (fits, over) if over <= limit else (0, fits)
        per_teaser = max(1.0, (size(high) - size(low)) / (high - low))
        guess = fits + int((budget - size(fits)) / per_teaser)
        count = min(max(guess, fits + 1), over - 1)
        if tries >= 6:  # estimates that keep missing: halve what is left instead
            count = (fits + over) // 2
    return fits


def _fit(issue: Issue, newsletter: NewsletterConfig, templates_dir: Path | None,
         preview: Preview | None = None) -> tuple[Rendered, list[str]]:
    """Render, dropping teasers from the end until the HTML is within the size budget."""
    fitted, rendered = fit_teasers(lambda count: _keep(issue, count), len(issue.teasers),
                                   newsletter, templates_dir, preview=preview)
    notes = []
    if fitted.trimmed:
        notes.append(f"trimmed {fitted.trimmed} teasers to stay under "
                     f"{newsletter.max_html_kb} KB")
    size = len(rendered.html.encode())
    if size > newsletter.max_html_kb * 1024:
        notes.append(f"the HTML is {size / 1024:.0f} KB, over the {newsletter.max_html_kb} KB "
                     "budget even without teasers; Gmail may clip it")
    dropped = len(issue.teasers) - len(fitted.teasers)
    return dataclasses.replace(rendered, trimmed=dropped), notes


def _keep(issue: Issue, count: int) -> Issue:
    """The issue with only its first `count` teasers; emptied sections disappear."""
    if count >= len(issue.teasers):
        return issue
    sections: list[Section] = []
    left = count
    for section in issue.sections:
        items = section.items[: max(0, left)]
        left -= len(items)
        if items:
            sections.append(Section(section.name, items))
    dropped = len(issue.teasers) - count
    return dataclasses.replace(issue, sections=tuple(sections), trimmed=issue.trimmed + dropped)


def _item_json(summary: Summary) -> dict[str, Any]:
    article = summary.article
    image = None
    if article.image is not None and (article.image.url or article.image.credit):
        image = {"url": article.image.url, "credit": article.image.credit,
                 "alt": article.image.alt}
    return {
        "id": article.story_id,
        "title": article.title,
        "url": article.url,
        "section": article.section,
        "kind": article.kind,
        "dek": article.dek,
        "authors": list(article.authors),
        "published": article.published.isoformat() if article.published else None,
        "summary": list(summary.sentences),
        "source": article.source,
        "image": image,
        "also_in": list(article.also_in),
    }


def issue_json(issue: Issue) -> dict[str, Any]:
    """The issue as plain JSON data: title, subject, preheader, lead and teasers."""
    return {
        "number": issue.number,
        "period": {"start": issue.period_start.isoformat(), "end": issue.period_end.isoformat()},
        "title": issue.title,
        "subject": issue.subject,
        "preheader": issue.preheader,
        "note": issue.note,
        "lead": _item_json(issue.lead) if issue.lead else None,
        "teasers": [_item_json(t) for t in issue.teasers],
    }
