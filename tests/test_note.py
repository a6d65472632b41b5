"""The editor's note: a few Markdown marks become tags, and nothing the editor types is HTML."""

from __future__ import annotations

from dataclasses import replace

import pytest

from digest.render.note import note_html, note_text
from digest.render.templates import render_issue
from tests.issue_factory import newsletter, seeds_issue


def test_bold_italic_links_and_paragraphs_become_tags() -> None:
    html = note_html("A **busy** week, *really*.\n\nRead [the report](https://example.org/r?a=1&b=2).")
    assert html == ('<p>A <strong>busy</strong> week, <em>really</em>.</p>\n'
                    '<p>Read <a href="https://example.org/r?a=1&amp;b=2">the report</a>.</p>')


@pytest.mark.parametrize("hostile", [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "<a href='https://example.org'>raw link</a>",
    "**<b>bold</b>**",
])
def test_no_html_the_editor_writes_survives(hostile: str) -> None:
    html = note_html(hostile)
    assert "<script" not in html and "<img" not in html and "<b>" not in html
    assert "<a href='" not in html
    assert "&lt;" in html


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,hi", "/relative",
                                 "vbscript:x"])
def test_links_to_other_schemes_show_as_their_label(url: str) -> None:
    assert note_html(f"[click]({url})") == "<p>click</p>"


def test_mailto_links_are_kept_and_underscores_inside_words_are_not_italics() -> None:
    html = note_html("Write to [the desk](mailto:desk@example.org) about snake_case_names.")
    assert '<a href="mailto:desk@example.org">the desk</a>' in html
    assert "<em>" not in html


def test_the_plain_text_note_drops_the_marks_and_spells_out_links() -> None:
    text = note_text("A **busy** week.\n\nSee [the report](https://example.org/r).")
    assert text == "A busy week.\n\nSee the report (https://example.org/r)."


def test_the_note_is_shown_above_the_lead_in_html_and_text() -> None:
    issue = replace(seeds_issue(), note="A **quiet** week <script>x</script>")
    rendered = render_issue(issue, newsletter(), None)
    assert "A <strong>quiet</strong> week &lt;script&gt;x&lt;/script&gt;" in rendered.html
    assert rendered.html.index("<strong>quiet</strong>") < rendered.html.index("<h2")
    assert "A quiet week <script>x</script>" in rendered.text
