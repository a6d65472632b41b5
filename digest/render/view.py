"""What the templates see: an Issue turned into plain values with safe, tagged links.

Every URL passes through `digest.render.links` here, so a template cannot show an unsafe link; text
stays raw and is escaped by the template engine. Colours derived from the accent keep WCAG AA
contrast on the light card and on the dark-mode card.
"""

from __future__ import annotations

import math
from typing import Any

from digest.config import NewsletterConfig
from digest.models import Issue, Preview, Summary
from digest.render import links
from digest.render.compose import long_date
from digest.render.note import note_html, note_text

WORDS_PER_MINUTE = 230
PAGE_LIGHT = "#f1efe9"
CARD_DARK = "#1d1d1b"
RTL_LANGUAGES = {"ar", "fa", "he", "ur", "yi", "ps", "sd", "ug", "dv"}


def archive_path(issue: Issue) -> str:
    """The archive folder of an issue, relative to the output folder: ``issues/0001-2026-11-22``."""
    return f"issues/{issue.number:04d}-{issue.period_end.isoformat()}"


def _luminance(colour: str) -> float:
    hexes = colour.lstrip("#")
    if len(hexes) == 3:
        hexes = "".join(ch * 2 for ch in hexes)
    channels = [int(hexes[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(fore: str, back: str) -> float:
    """The WCAG contrast ratio of two hex colours, from 1 to 21."""
    a, b = sorted((_luminance(fore), _luminance(back)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def _mix(colour: str, toward: str, share: float) -> str:
    def rgb(c: str) -> list[int]:
        h = c.lstrip("#")
        h = "".join(ch * 2 for ch in h) if len(h) == 3 else h
        return [int(h[i : i + 2], 16) for i in (0, 2, 4)]

    mixed = [round(x + (y - x) * share) for x, y in zip(rgb(colour), rgb(toward), strict=True)]
    return "#" + "".join(f"{v:02x}" for v in mixed)


def readable(colour: str, background: str, minimum: float = 4.7) -> str:
    """The colour, darkened or lightened just enough to reach `minimum` contrast on background."""
    toward = "#000000" if _luminance(background) > 0.18 else "#ffffff"
    for step in range(21):
        candidate = _mix(colour, toward, step / 20)
        if contrast(candidate, background) >= minimum:
            return candidate
    return toward


def reading_minutes(text: str) -> int:
    """Minutes to read a text at 230 words a minute, at least one."""
    return max(1, math.ceil(len(text.split()) / WORDS_PER_MINUTE))


def _story(summary: Summary, tag: Any) -> dict[str, Any]:
    article = summary.article
    image = article.image
    src = links.image_url(image.url) if image else None
    url = links.safe_url(article.url)
    label = " · ".join(x for x in (article.kind, article.section) if x)
    return {
        "title": article.title,
        "url": tag(url) if url else None,
        "dek": article.dek,
        "label": label,
        "summary": list(summary.sentences),
        "blurb": " ".join(summary.sentences) or article.dek or "",
        "kind": article.kind,
        "image": {"src": src, "alt": (image.alt or article.title), "credit": image.credit}
        if image and src else None,
        "credit": image.credit if image else None,
        "authors": ", ".join(article.authors),
        "date": long_date(article.published.date()) if article.published else None,
        "minutes": reading_minutes(article.text)
        if article.text.strip() and article.role != "teaser" else None,
        "also_in": ", ".join(article.also_in),
        "source": article.source,
    }


def _footer_links(newsletter: NewsletterConfig, tag: Any) -> list[dict[str, str]]:
    found = []
    for link in newsletter.links:
        url = links.safe_url(link.url)
        if url:
            found.append({"label": link.label, "url": tag(url)})
    return found


def _editorial(issue: Issue, newsletter: NewsletterConfig,
               preview: Preview | None) -> dict[str, Any]:
    """The editor's note (safe HTML and plain text) and, for the editors, the preview banner."""
    from markupsafe import Markup

    note = html = None
    if issue.note.strip():
        accent = readable(newsletter.accent_color, PAGE_LIGHT)
        # note_html escapes everything the editor wrote before it adds its few tags.
        html = Markup(note_html(issue.note, paragraph_style="margin:0 0 12px",
                                link_style=f"color:{accent}"))
        note = note_text(issue.note)
    banner = None
    if preview is not None:
        banner = {"review_url": links.safe_url(preview.review_url, ("http", "https"))}
    return {"note": html, "note_text": note, "preview": banner}


def issue_context(
    issue: Issue, newsletter: NewsletterConfig, token: str | None,
    preview: Preview | None = None, *, web: bool = False,
) -> dict[str, Any]:
    """Everything the templates use, with links made safe and own links UTM-tagged if asked.

    `web`: the archive's own page, which needs no "View in browser" link to itself."""
    hosts = links.own_hosts(newsletter.base_url, newsletter.own_domains)
    source, campaign = links.slug(newsletter.name), f"issue-{issue.number}"

    def tag(url: str) -> str:
        return links.tag_url(url, source, campaign, hosts) if newsletter.utm else url

    view = None if web else links.archive_url(newsletter.base_url, archive_path(issue) + "/")
    unsubscribe = links.unsubscribe_link(newsletter.unsubscribe_url, token)
    unsubscribe = unsubscribe or links.mailto_unsubscribe(newsletter.unsubscribe_mailto)
    return {
        "issue": issue,
        "number": issue.number,
        "date": long_date(issue.period_end),
        "name": newsletter.name,
        "tagline": newsletter.tagline,
        "promise": newsletter.promise,
        "address": newsletter.address,
        "logo": links.image_url(newsletter.logo_url),
        **_look(newsletter),
        "preheader": issue.preheader,
        "subject": issue.subject,
        "lead": _story(issue.lead, tag) if issue.lead else None,
        "sections": [
            {"name": s.name, "stories": [_story(item, tag) for item in s.items]}
            for s in issue.sections
        ],
        "trimmed": issue.trimmed,
        "links": _footer_links(newsletter, tag),
        "view_url": tag(view) if view and preview is None else None,  # not archived yet
        "unsubscribe_url": unsubscribe,
        **_editorial(issue, newsletter, preview),
    }


def _look(newsletter: NewsletterConfig) -> dict[str, str]:
    """Language, writing direction and the accent colours, readable on light and dark cards."""
    accent = readable(newsletter.accent_color, PAGE_LIGHT)
    language = newsletter.language or "en"
    return {
        "lang": language,
        "dir": "rtl" if language.split("-")[0].lower() in RTL_LANGUAGES else "ltr",
        "accent": accent,
        "accent_dark": readable(newsletter.accent_color, CARD_DARK),
        "button_text": readable("#ffffff", accent, 4.5),
    }
