"""The compiled HTML meets the email-ready checklist (the static rows), for the sample issue and
for a 30-story issue; and the MJML passes the reference compiler's strict validation.
"""

from __future__ import annotations

import itertools
import re
import subprocess
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import lxml.html
import pytest
from conftest import need_tool
from issue_factory import big_issue, newsletter, seeds_issue

from digest.models import Rendered
from digest.render.templates import render_issue

ISSUES = {"seeds": seeds_issue, "thirty": lambda: big_issue(30)}


@pytest.fixture(scope="module", params=sorted(ISSUES))
def rendered(request: pytest.FixtureRequest) -> Rendered:
    """The sample and the 30-story issue, rendered for a reader with a token."""
    return render_issue(ISSUES[request.param](), newsletter(), None, token="reader-1")


def _tree(rendered: Rendered) -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring(rendered.html)


def test_1_html_stays_under_the_budget_and_nothing_was_trimmed(rendered: Rendered) -> None:
    assert len(rendered.html.encode()) < 90 * 1024
    assert rendered.notes == ()


def test_6_a_visible_unsubscribe_link(rendered: Rendered) -> None:
    links = [a for a in _tree(rendered).iter("a") if "unsubscribe" in a.text_content().lower()]
    assert links and links[0].get("href") == "https://example.org/unsubscribe?token=reader-1"


def test_7_the_preheader_comes_first_hidden_and_differs_from_the_subject(
    rendered: Rendered,
) -> None:
    first = _tree(rendered).body[0]
    assert first.tag == "div" and "display:none" in first.get("style", "").replace(" ", "")
    assert first.text_content().strip() == rendered.preheader
    assert 40 <= len(rendered.preheader) <= 130
    assert rendered.preheader != rendered.subject


def test_8_and_12_title_language_and_direction(rendered: Rendered) -> None:
    tree = _tree(rendered)
    assert tree.findtext(".//title").startswith("The Weekly Round-up — ")
    assert tree.get("lang") == "en" and tree.get("dir") == "ltr"


def test_9_the_content_is_at_most_600_px_wide(rendered: Rendered) -> None:
    widths = [int(w) for w in re.findall(r"max-width:(\d+)px", rendered.html)]
    assert widths and max(widths) == 600


def test_10_outlook_conditionals_namespaces_and_image_widths(rendered: Rendered) -> None:
    assert "<!--[if mso" in rendered.html
    head = rendered.html[: rendered.html.index(">", rendered.html.index("<html"))]
    assert 'xmlns:v="urn:schemas-microsoft-com:vml"' in head
    assert 'xmlns:o="urn:schemas-microsoft-com:office:office"' in head
    images = list(_tree(rendered).iter("img"))
    assert images and all(img.get("width", "").isdigit() for img in images)


def test_11_dark_mode_is_declared(rendered: Rendered) -> None:
    tree = _tree(rendered)
    metas = {m.get("name"): m.get("content") for m in tree.iter("meta")}
    assert metas.get("color-scheme") == "light dark"
    assert metas.get("supported-color-schemes") == "light dark"
    assert "@media (prefers-color-scheme: dark)" in rendered.html


def test_13_every_layout_table_is_presentational(rendered: Rendered) -> None:
    tables = list(_tree(rendered).iter("table"))
    assert tables and all(t.get("role") == "presentation" for t in tables)


def test_14_and_15_images_have_alt_text_and_links_a_name(rendered: Rendered) -> None:
    tree = _tree(rendered)
    assert all(img.get("alt", "").strip() for img in tree.iter("img"))
    for link in tree.iter("a"):
        names = [link.text_content().strip(), link.get("aria-label", "")]
        names += [img.get("alt", "") for img in link.iter("img")]
        assert any(n.strip() for n in names), f"link without a name: {link.get('href')}"


def test_16_one_h1_and_no_skipped_heading_levels(rendered: Rendered) -> None:
    levels = [int(el.tag[1]) for el in _tree(rendered).iter("h1", "h2", "h3", "h4", "h5", "h6")]
    assert levels.count(1) == 1 and levels[0] == 1
    assert all(b - a <= 1 for a, b in itertools.pairwise(levels))


def test_19_every_link_and_image_is_absolute_https_or_mailto(rendered: Rendered) -> None:
    tree = _tree(rendered)
    urls = [a.get("href") for a in tree.iter("a")] + [i.get("src") for i in tree.iter("img")]
    assert urls and all(u.startswith(("https://", "mailto:")) for u in urls), urls


def test_20_only_own_links_carry_utm_and_never_the_unsubscribe_link(
    rendered: Rendered,
) -> None:
    tagged = untagged = 0
    for link in _tree(rendered).iter("a"):
        href = link.get("href")
        query = parse_qs(urlsplit(href).query)
        own = urlsplit(href).hostname == "example.org" and "unsubscribe" not in href
        if own:
            assert query.get("utm_medium") == ["email"], href
            assert query.get("utm_source") == ["the-weekly-round-up"], href
            assert query.get("utm_campaign", [""])[0].startswith("issue-"), href
            tagged += 1
        else:
            assert not any(k.startswith("utm_") for k in query), href
            untagged += 1
    assert tagged >= 3 and untagged >= 1


def test_21_no_leftover_template_or_unsafe_tags(rendered: Rendered) -> None:
    for leftover in ("<mj-", "{{", "{%", "<script", "<form", "<iframe"):
        assert leftover not in rendered.html.lower()


def test_23_and_24_no_web_fonts_or_third_party_icon_hosts(rendered: Rendered) -> None:
    assert "fonts.googleapis.com" not in rendered.html
    assert "mailjet.com" not in rendered.html


def test_the_teasers_are_lean() -> None:
    bare = render_issue(big_issue(1), newsletter(), None).html
    full = render_issue(big_issue(30), newsletter(), None).html
    assert (len(full.encode()) - len(bare.encode())) / 29 <= 2048


@pytest.mark.node
def test_22_the_mjml_passes_strict_validation(rendered: Rendered, tmp_path: Path) -> None:
    mjml = need_tool("mjml", "/work/node/node_modules/.bin/mjml")
    source = tmp_path / "issue.mjml"
    source.write_text(rendered.mjml, encoding="utf-8")
    result = subprocess.run(
        [mjml, str(source), "-s", "--config.validationLevel=strict"],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "error" not in result.stderr.lower(), result.stderr[-2000:]


@pytest.mark.node
def test_22_the_validator_does_reject_bad_mjml(tmp_path: Path) -> None:
    mjml = need_tool("mjml", "/work/node/node_modules/.bin/mjml")
    source = tmp_path / "bad.mjml"
    source.write_text("<mjml><mj-body><mj-section><mj-text>x</mj-text></mj-section>"
                      "</mj-body></mjml>", encoding="utf-8")
    result = subprocess.run([mjml, str(source), "-s", "--config.validationLevel=strict"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
