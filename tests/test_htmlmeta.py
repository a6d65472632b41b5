"""HTML metadata: the bylines, sections and fields trafilatura's own metadata pass finds."""

from __future__ import annotations

from copy import deepcopy
from pathlib import Path

from trafilatura.metadata import extract_author, extract_catstags, extract_metadata
from trafilatura.utils import load_html

from digest.extract.htmlmeta import page_author, page_categories, page_metadata
from digest.extract.htmltext import extract_html

FIELDS = ("title", "description", "author", "date", "categories", "url", "image")

# No author in the meta tags: the byline comes from the markup. The commenter's name, the
# photographer in the figure and the date inside the byline are not the author.
BYLINES = """<!DOCTYPE html><html><head><title>Harbour dredging starts</title></head><body>
<div class="comments"><span class="author">A. Commenter</span></div>
<figure><span class="byline">Photo: P. Grapher</span></figure>
<div class="post-author">By <span class="meta-date">3 June</span>Ana Lima</div>
<article><h1>Harbour dredging starts</h1>
<p>Work to deepen the harbour channel began on Monday and will take most of the summer.</p>
<p>The port says larger ferries will be able to dock once the channel is two metres deeper.</p>
</article>
<div id="comment-list"><a rel="author" class="author-name">Second Commenter</a></div>
</body></html>"""

SECTIONS = """<!DOCTYPE html><html><head><title>Ferry timetable changes</title>
<meta property="article:section" content="Transport"></head><body>
<div class="entry-meta">Filed under <a href="https://example.org/category/harbour/">Harbour</a>
<a href="https://example.org/tag/ferries/">Ferries</a></div>
<article><p>From next month the first ferry leaves at six instead of seven.</p></article>
</body></html>"""


def test_the_byline_is_the_articles_author_not_a_commenters_or_a_photographers() -> None:
    tree = load_html(BYLINES)
    assert page_author(tree) == "Ana Lima"
    assert page_author(tree) == extract_author(tree)


def test_every_byline_trafilatura_would_take_is_taken(data: Path) -> None:
    for html in (BYLINES, SECTIONS, (data / "pages" / "article.html").read_text("utf-8"),
                 BYLINES.replace('class="post-author"', 'class="by"'),
                 BYLINES.replace('class="post-author"', 'id="AuthorBox"'),
                 BYLINES.replace("<article>", '<article><p class="username">ana</p>')):
        tree = load_html(html)
        assert page_author(tree) == extract_author(tree)


def test_the_section_is_the_category_link_else_the_section_meta_tag() -> None:
    tree = load_html(SECTIONS)
    assert page_categories(tree) == ["Harbour"] == extract_catstags("category", tree)
    no_links = load_html(SECTIONS.replace("/category/harbour/", "/harbour/"))
    assert page_categories(no_links) == ["Transport"] == extract_catstags("category", no_links)


def test_the_metadata_is_what_trafilatura_reads(data: Path) -> None:
    for html in (BYLINES, SECTIONS, (data / "pages" / "article.html").read_text("utf-8")):
        tree = load_html(html)
        ours, theirs = page_metadata(tree, None), extract_metadata(deepcopy(tree))
        assert [getattr(ours, f) for f in FIELDS] == [getattr(theirs, f) for f in FIELDS]


def test_a_page_shows_its_markup_byline_and_section() -> None:
    parts = extract_html(BYLINES, "https://example.org/harbour")
    assert parts.authors == ("Ana Lima",)
    assert parts.title == "Harbour dredging starts"
    assert parts.paragraphs[0].startswith("Work to deepen the harbour channel")
    assert extract_html(SECTIONS).section == "Harbour"
