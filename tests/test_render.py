"""Rendering: what readers see, what is escaped or dropped, theming, overrides and trimming."""

from __future__ import annotations

import json
from pathlib import Path

import lxml.html
import pytest
from issue_factory import (
    PERIOD_END,
    PERIOD_START,
    article,
    big_issue,
    newsletter,
    seeds_issue,
    seeds_lead,
    summary,
)

from digest.errors import DigestError
from digest.models import Image
from digest.render.compose import compose_issue
from digest.render.templates import issue_json, render_issue


def _issue_with(*teasers, **settings):  # type: ignore[no-untyped-def]
    return compose_issue(seeds_lead(), list(teasers), number=4, period_start=PERIOD_START,
                         period_end=PERIOD_END, newsletter=newsletter(**settings))


def test_the_sample_issue_shows_every_part_of_the_design() -> None:
    rendered = render_issue(seeds_issue(), newsletter(), None)
    tree = lxml.html.document_fromstring(rendered.html)
    assert tree.findtext(".//h1").strip() == "The Weekly Round-up"
    assert [h.text_content() for h in tree.iter("h2")] == [
        "Biden's ‘Last bang’: Allow long range missiles in Russia",
        "Media", "Middle East", "Global Crises"]
    text = tree.text_content()
    for expected in ("Foreign policy, read for you every week", "Issue 1 · 22 November 2026",
                     "Analysis · Europe", "If he wanted to handcuff", "Wikimedia Commons",
                     "By Jane Doe · 20 November 2026 · 3 min read", "Read more",
                     "Also in: wire", "our contributors and reporters",
                     "Example Publishing, 1 Example Street", "View in browser"):
        assert expected in text, expected
    lead_image = tree.xpath("//img[@alt='An ATACMS missile launch']")
    assert lead_image and lead_image[0].get("width") == "600"


def test_the_text_part_is_built_from_the_issue_not_the_html() -> None:
    rendered = render_issue(seeds_issue(), newsletter(), None)
    assert "Biden's ‘Last bang’: Allow long range missiles in Russia" in rendered.text
    assert "Read more: https://example.org/2026/11/last-bang?utm_source=" in rendered.text
    assert "* Do we need a treaty on neutrality?" in rendered.text
    assert "View in browser: https://example.org/digest/issues/0001-2026-11-22/" in rendered.text
    assert "<" not in rendered.text.replace("<https", "")
    assert all(len(line) <= 78 or "://" in line for line in rendered.text.splitlines())


def test_markup_in_article_text_shows_as_text() -> None:
    nasty = article("Tags <script>alert(1)</script> & <b>bold</b>", section="Media",
                    url="https://example.org/x", dek=None)
    rendered = render_issue(_issue_with(summary(nasty, "1 < 2 & \"quotes\" <img src=x>")),
                            newsletter(), None)
    assert "<script" not in rendered.html and "<b>bold" not in rendered.html
    assert "<img src=x>" not in rendered.html
    headings = [h.text_content() for h in lxml.html.document_fromstring(rendered.html).iter("h3")]
    assert "Tags <script>alert(1)</script> & <b>bold</b>" in headings
    assert "Tags <script>alert(1)</script> & <b>bold</b>" in rendered.text


def test_unsafe_links_are_dropped_and_the_story_shows_unlinked() -> None:
    bad = article("Click me", url="javascript:alert(1)", image=Image("data:image/png;base64,x"))
    rendered = render_issue(_issue_with(summary(bad, "Some text.")), newsletter(), None)
    assert "javascript:" not in rendered.html and "data:image" not in rendered.html
    tree = lxml.html.document_fromstring(rendered.html)
    heading = next(h for h in tree.iter("h3") if h.text_content() == "Click me")
    assert heading.find("a") is None
    assert "javascript:" not in rendered.text


def test_utm_tagging_is_off_unless_configured() -> None:
    rendered = render_issue(seeds_issue(utm=False), newsletter(utm=False), None)
    assert "utm_" not in rendered.html and "utm_" not in rendered.text


def test_the_reader_token_is_quoted_into_the_unsubscribe_link() -> None:
    rendered = render_issue(seeds_issue(), newsletter(), None, token="a b&c/d")
    assert "https://example.org/unsubscribe?token=a%20b%26c%2Fd" in rendered.text
    assert 'href="https://example.org/unsubscribe?token=a%20b%26c%2Fd"' in rendered.html


def test_theme_keys_change_the_look() -> None:
    theme = newsletter(accent_color="#aa3300", logo_url="https://example.org/logo.png",
                       language="ar", tagline="Tagline here")
    rendered = render_issue(seeds_issue(), theme, None)
    tree = lxml.html.document_fromstring(rendered.html)
    assert tree.get("lang") == "ar" and tree.get("dir") == "rtl"
    assert tree.xpath("//img[@src='https://example.org/logo.png']/@alt") == ["The Weekly Round-up"]
    assert "#aa3300" in rendered.html and "#1f4e79" not in rendered.html
    assert "Tagline here" in rendered.text


def test_a_too_light_accent_is_darkened_until_links_are_readable() -> None:
    rendered = render_issue(seeds_issue(), newsletter(accent_color="#ffee00"), None)
    styles = [e.get("style") or "" for e in lxml.html.document_fromstring(rendered.html).iter()]
    assert not [s for s in styles if "#ffee00" in s]
    assert "color: #ffee00 !important" in rendered.html  # fine on the dark background


def test_an_override_folder_replaces_single_templates(tmp_path: Path) -> None:
    (tmp_path / "_footer.mjml.j2").write_text(
        '<mj-section><mj-column><mj-text><p>Custom footer for {{ name }}</p>'
        '<a href="{{ unsubscribe_url }}">Unsubscribe</a></mj-text></mj-column></mj-section>\n')
    rendered = render_issue(seeds_issue(), newsletter(), tmp_path)
    assert "Custom footer for The Weekly Round-up" in rendered.html
    # the rest still comes from the package
    assert "Biden's ‘Last bang’" in lxml.html.document_fromstring(rendered.html).text_content()
    assert "our contributors and reporters" not in rendered.html


def test_a_missing_override_folder_or_broken_template_is_one_clear_error(
    tmp_path: Path,
) -> None:
    with pytest.raises(DigestError, match="not a folder"):
        render_issue(seeds_issue(), newsletter(), tmp_path / "nope")
    (tmp_path / "_lead.mjml.j2").write_text("{% if %}")
    with pytest.raises(DigestError, match=r"_lead\.mjml\.j2, line 1"):
        render_issue(seeds_issue(), newsletter(), tmp_path)


def test_past_the_budget_the_last_teasers_are_dropped_with_a_note() -> None:
    issue = big_issue(60)
    rendered = render_issue(issue, newsletter(max_html_kb=40), None)
    assert len(rendered.html.encode()) <= 40 * 1024
    assert len(rendered.notes) == 1
    dropped = int(rendered.notes[0].split()[1])
    assert rendered.notes[0] == f"trimmed {dropped} teasers to stay under 40 KB"
    kept = issue.teasers[: len(issue.teasers) - dropped]
    gone = issue.teasers[len(kept):]
    assert 0 < dropped < len(issue.teasers)
    assert all(t.article.title in rendered.html for t in kept)
    assert not any(f"{t.article.url}?" in rendered.text for t in gone)
    assert all(f"{t.article.url}?" in rendered.text for t in kept)
    one_more = render_issue(big_issue(60), newsletter(max_html_kb=102), None)
    assert one_more.notes == ()


def test_issue_json_has_exactly_the_documented_shape() -> None:
    data = issue_json(seeds_issue())
    json.dumps(data)
    assert set(data) >= {"title", "subject", "preheader", "lead", "teasers"}
    item_keys = {"title", "url", "section", "kind", "authors", "published", "summary",
                 "source", "image", "also_in"}
    for item in [data["lead"], *data["teasers"]]:
        assert item_keys <= set(item)
    assert data["lead"]["image"]["url"] == "https://example.org/img/atacms.jpg"
    assert data["lead"]["image"]["credit"] == "Wikimedia Commons"
    assert data["lead"]["published"] == "2026-11-20T09:00:00+00:00"
    assert data["teasers"][1]["also_in"] == ["wire"]
    assert data["teasers"][0]["title"].startswith("Fort Bragg")


def test_an_empty_issue_says_so_and_a_missing_unsubscribe_link_is_noted() -> None:
    plain = newsletter(unsubscribe_url=None, unsubscribe_mailto=None)
    empty = compose_issue(None, [], number=2, period_start=PERIOD_START,
                          period_end=PERIOD_END, newsletter=plain)
    rendered = render_issue(empty, plain, None)
    assert "Nothing new this week" in rendered.html and "Nothing new this week" in rendered.text
    assert rendered.notes == ("no unsubscribe link: set newsletter.unsubscribe_url",)
    assert "unsubscribe" not in rendered.html.lower()


def test_a_lead_too_big_for_the_budget_is_never_clipped_silently() -> None:
    huge = summary(article("Huge", role="lead"), *["A long sentence of the lead. " * 40] * 20)
    issue = _issue_with(summary(article("Small"), "x"))
    issue = type(issue)(**{**issue.__dict__, "lead": huge})
    rendered = render_issue(issue, newsletter(max_html_kb=20), None)
    assert rendered.notes[0] == "trimmed 1 teasers to stay under 20 KB"
    assert "over the 20 KB budget even without teasers" in rendered.notes[1]


def test_copies_for_each_reader_differ_only_in_their_token() -> None:
    issue, config = big_issue(30), newsletter()
    alice = render_issue(issue, config, None, token="alice")
    bob = render_issue(issue, config, None, token="bob")
    assert "token=alice" in alice.html and "token=alice" in alice.text
    assert alice.html.replace("token=alice", "token=bob") == bob.html
    assert alice.text.replace("token=alice", "token=bob") == bob.text
    other = render_issue(seeds_issue(), config, None, token="bob")
    assert "Story 1:" not in other.html  # a new issue is rendered afresh


def test_a_teaser_without_summary_shows_its_dek_and_its_kind() -> None:
    teaser = summary(article("Opinion piece", kind="Opinion", dek="Why the deal will hold"))
    rendered = render_issue(_issue_with(teaser), newsletter(), None)
    text = lxml.html.document_fromstring(rendered.html).text_content()
    assert "Why the deal will hold" in text and "Opinion" in text
    assert "Why the deal will hold" in rendered.text and "  Opinion" in rendered.text


def test_issue_json_keeps_a_credit_even_when_the_picture_has_no_address() -> None:
    credited = article("Credited", image=Image(None, "Alt", "Photo: Agency"))
    data = issue_json(_issue_with(summary(credited, "x")))
    assert data["teasers"][0]["image"] == {"url": None, "credit": "Photo: Agency", "alt": "Alt"}
    rendered = render_issue(_issue_with(summary(credited, "x")), newsletter(), None)
    assert "Photo: Agency" not in rendered.html  # no picture shown, so no credit line
