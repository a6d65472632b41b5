"""Main text and metadata from HTML pages."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from digest.errors import SourceError
from digest.extract.document import extract_document
from digest.extract.htmltext import choose_text, extract_html, main_text
from digest.models import Document


@pytest.fixture
def page(data: Path) -> str:
    return (data / "pages" / "article.html").read_text("utf-8")


def test_main_text_is_the_article_paragraphs_without_navigation(page: str) -> None:
    parts = extract_html(page, "https://example.org/news/bridge")
    assert len(parts.paragraphs) >= 4
    assert parts.paragraphs[0].startswith("More than two thousand cyclists crossed")
    assert parts.paragraphs[-1].endswith("now twenty minutes shorter.")
    text = "\n".join(parts.paragraphs)
    for furniture in ("Cookie settings", "Most read", "Copyright 2025", "Privacy", "Sport"):
        assert furniture not in text
    assert main_text(page).count("\n\n") == len(parts.paragraphs) - 1


def test_metadata_comes_from_the_page(page: str) -> None:
    parts = extract_html(page, "https://example.org/news/bridge")
    assert parts.title == "New bridge opens to cyclists"
    assert parts.dek == "The long-awaited crossing cuts twenty minutes off the ride into town"
    assert parts.authors == ("Maria Rossi",)
    assert parts.published == datetime(2025, 6, 14, tzinfo=UTC)
    assert parts.image is not None and parts.image.url == "https://example.org/img/bridge.jpg"


def test_only_web_image_urls_are_kept(page: str) -> None:
    bad = page.replace("https://example.org/img/bridge.jpg", "javascript:alert(1)")
    assert extract_html(bad, None).image is None


def test_precise_text_wins_unless_it_lost_half_of_the_article() -> None:
    full = "word " * 100
    assert choose_text("word " * 60, full) == "word " * 60
    assert choose_text("word " * 30, full) == full
    assert choose_text("", full) == full


def test_a_page_without_article_text_is_a_source_error() -> None:
    empty = "<html><head><title>Nothing</title></head><body><nav>Home</nav></body></html>"
    with pytest.raises(SourceError) as raised:
        extract_document(Document(source="site", uid="u", body=empty, format="html"))
    assert raised.value.source == "site" and "no article text" in raised.value.problem
