"""Builds Issues for the rendering tests directly from data types, without the earlier stages."""

from __future__ import annotations

from datetime import UTC, date, datetime

from digest.config import Link, NewsletterConfig
from digest.models import Article, Image, Issue, Summary
from digest.render.compose import compose_issue

PERIOD_START = date(2026, 11, 15)
PERIOD_END = date(2026, 11, 22)

LEAD_TEXT = (
    "It was widely expected that the outgoing government would ramp up its efforts through the "
    "end of the year to make a change of course on Ukraine as costly as possible.\n\n"
    "Officials described the initiative as future-proofing their approach, and the decision to "
    "allow long-range strikes inside Russian territory shows how far they will go.\n\n"
) * 12


def newsletter(**changes: object) -> NewsletterConfig:
    """A fully configured newsletter: archive, unsubscribe, address, UTM on own links."""
    settings: dict[str, object] = {
        "name": "The Weekly Round-up",
        "from": "The Weekly Round-up <roundup@example.org>",
        "reply_to": "editors@example.org",
        "base_url": "https://example.org/digest/",
        "unsubscribe_url": "https://example.org/unsubscribe?token={token}",
        "unsubscribe_mailto": "unsubscribe@example.org",
        "tagline": "Foreign policy, read for you every week",
        "address": "Example Publishing, 1 Example Street, Springfield",
        "links": (Link(label="Our website", url="https://example.org/"),),
        "utm": True,
        "own_domains": ("example.org",),
    }
    settings.update(changes)
    return NewsletterConfig.model_validate(settings)


def article(title: str, **fields: object) -> Article:
    """An article with a stable uid and sensible defaults."""
    values: dict[str, object] = {
        "text": "A short teaser text about the story.",
        "source": "seeds",
        "uid": title.lower().replace(" ", "-")[:40],
        "role": "teaser",
    }
    values.update(fields)
    return Article(title=title, **values)  # type: ignore[arg-type]


def summary(art: Article, *sentences: str) -> Summary:
    """A Summary of an article with the given sentences."""
    return Summary(art, tuple(sentences), tuple(1.0 for _ in sentences))


def seeds_lead() -> Summary:
    """A lead like the sample page's: kind and section, dek, image with credit, author, date."""
    lead = article(
        "Biden's ‘Last bang’: Allow long range missiles in Russia",
        text=LEAD_TEXT,
        role="lead",
        dek="If he wanted to handcuff Trump’s plan to end the war, this was the way to do it",
        kind="Analysis",
        section="Europe",
        authors=("Jane Doe",),
        published=datetime(2026, 11, 20, 9, 0, tzinfo=UTC),
        url="https://example.org/2026/11/last-bang",
        image=Image("https://example.org/img/atacms.jpg", "An ATACMS missile launch",
                    "Wikimedia Commons"),
    )
    return summary(
        lead,
        "It was widely expected that the outgoing government would ramp up its efforts "
        "through the end of the year.",
        "Officials described the initiative as future-proofing their approach.",
        "The announcement was tempered by some hedging about where strikes would land.",
    )


def seeds_teasers() -> list[Summary]:
    """Three teasers in three sections, one linking to a third-party site, one unlinked."""
    return [
        summary(article("Fort Bragg horrors expose dark underbelly of post-9/11 warfare",
                        section="Media", url="https://example.org/2026/11/fort-bragg",
                        image=Image("https://example.org/img/bragg.jpg", "Book jacket"),
                        role="item", text="word " * 700),
                "In 2020 and 2021, 109 U.S. soldiers died at Fort Bragg.",
                "Only four of them were on overseas deployments."),
        summary(article("The case for US Middle East retrenchment has never been clearer",
                        section="Middle East", url="https://news.example.net/retrenchment",
                        also_in=("wire",)),
                "Is Israel becoming the new hegemon of the Middle East?"),
        summary(article("Do we need a treaty on neutrality?", section="Global Crises"),
                "Understandings of neutrality remain stuck in the time of trench warfare."),
    ]


def seeds_issue(**changes: object) -> Issue:
    """The sample round-up: one lead and three teasers, as the seeds would give."""
    return compose_issue(seeds_lead(), seeds_teasers(), number=1, period_start=PERIOD_START,
                         period_end=PERIOD_END, newsletter=newsletter(**changes))


SECTIONS = ("Europe", "Asia", "Middle East", "Media", "Economy", None)


def big_issue(count: int = 30, number: int = 7) -> Issue:
    """A lead plus count-1 teasers over six sections, with two-sentence summaries."""
    teasers = []
    for i in range(1, count):
        teasers.append(summary(
            article(f"Story {i}: what changed this week in the region and why it matters",
                    section=SECTIONS[i % len(SECTIONS)],
                    url=f"https://example.org/2026/11/story-{i}",
                    authors=("Sam Writer",),
                    published=datetime(2026, 11, 18, tzinfo=UTC),
                    image=Image(f"https://example.org/img/{i}.jpg", f"Photo {i}")
                    if i % 3 == 0 else None,
                    role="item", text="word " * (200 + 40 * i)),
            f"The first sentence of story {i} sets out what happened and who was involved in "
            "the decision that was taken late on Tuesday.",
            "The second sentence explains why it matters to readers and what comes next."))
    return compose_issue(seeds_lead(), teasers, number=number, period_start=PERIOD_START,
                         period_end=PERIOD_END, newsletter=newsletter())
