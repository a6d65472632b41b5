"""The extract stage: documents in, articles out, with metadata and without furniture."""

from __future__ import annotations

import functools
import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from digest.cli import cli
from digest.errors import SourceError
from digest.extract.document import article_json, extract_document
from digest.models import Document, Image


def doc(body: str, fmt: str = "text", **meta: object) -> Document:
    return Document(source="tests", uid="doc-1", body=body, format=fmt, **meta)  # type: ignore[arg-type]


def test_seed_page_gives_lead_then_teasers_with_stable_uids(seeds: Path) -> None:
    body = (seeds / "001_317332aae2f439d3.txt").read_text("utf-8")
    page = Document(source="seeds", uid="p1", body=body, url="https://example.org/last-bang",
                    title="001_317332aae2f439d3", path=str(seeds / "001_317332aae2f439d3.txt"))
    articles = extract_document(page)
    assert [a.role for a in articles] == ["lead", "teaser", "teaser", "teaser"]
    assert [a.uid for a in articles] == ["p1#lead", "p1#teaser-1", "p1#teaser-2", "p1#teaser-3"]
    assert {a.source for a in articles} == {"seeds"}
    lead = articles[0]
    assert lead.title == "Biden's ‘Last bang’: Allow long range missiles in Russia"
    assert lead.url == "https://example.org/last-bang"
    assert articles[1].url is None  # a teaser is another article, not the page
    assert "\n\n" in lead.text and "keep reading" not in lead.text


def test_seed_article_is_one_item_without_link_trails_and_a_short_title(seeds: Path) -> None:
    path = seeds / "000_db678a4a6aabaabe.txt"
    articles = extract_document(Document(source="seeds", uid="a0", body=path.read_text("utf-8"),
                                         title=path.stem, path=str(path)))
    assert len(articles) == 1
    article = articles[0]
    assert article.role == "item" and article.uid == "a0"
    assert article.text.endswith("pursuing a credible endgame.")
    assert "›" not in article.text and "Media consistently in favor" not in article.text
    assert article.title == "It was widely expected, including by the victors of the…"
    assert len(article.paragraphs) == 13


def test_document_title_is_used_when_the_text_has_none() -> None:
    body = "The council met on Monday. It agreed on nothing.\nA second paragraph follows here."
    article = extract_document(doc(body, title="Council meets, agrees on nothing"))[0]
    assert article.title == "Council meets, agrees on nothing"


def test_front_matter_gives_title_date_authors_section_url_image() -> None:
    body = ("---\ntitle: Rivers run dry\ndate: 2025-04-02\nauthors: [Ann Lee, Bo Chan]\n"
            "section: Climate\nurl: https://example.org/rivers\n"
            "image: {url: 'https://example.org/r.jpg', alt: A dry river, credit: Ann Lee}\n---\n\n"
            "The rivers of the region ran dry this spring.\n\nFarmers wait for rain.\n")
    article = extract_document(doc(body))[0]
    assert article.title == "Rivers run dry"
    assert article.published == datetime(2025, 4, 2, tzinfo=UTC)
    assert article.authors == ("Ann Lee", "Bo Chan")
    assert article.section == "Climate"
    assert article.url == "https://example.org/rivers"
    assert article.image == Image(url="https://example.org/r.jpg", alt="A dry river",
                                  credit="Ann Lee")
    assert article.paragraphs == ["The rivers of the region ran dry this spring.",
                                  "Farmers wait for rain."]


def test_first_lines_give_title_byline_and_date() -> None:
    body = ("Harbour reopens after storm\n\nBy Jane Doe and John Roe\n\n12 May 2025\n\n"
            "The harbour reopened on Sunday after a week of repairs.\n\n"
            "Ferries will run on a reduced timetable.\n")
    article = extract_document(doc(body))[0]
    assert article.title == "Harbour reopens after storm"
    assert article.authors == ("Jane Doe", "John Roe")
    assert article.published == datetime(2025, 5, 12, tzinfo=UTC)
    assert article.paragraphs[0] == "The harbour reopened on Sunday after a week of repairs."


def test_markdown_markup_becomes_text_and_paragraphs_stay() -> None:
    body = ("# Trains *finally* run on time\n\nThe [rail operator](https://example.org) says "
            "**punctuality** rose to 95 %.\n\n![A train](https://example.org/t.jpg)\n\n"
            "## What changed\n\nNew timetables and `fewer` stops.\n")
    article = extract_document(doc(body, "markdown"))[0]
    assert article.title == "Trains finally run on time"
    assert article.paragraphs == ["The rail operator says punctuality rose to 95 %.",
                                  "What changed", "New timetables and fewer stops."]
    assert article.image is not None and article.image.url == "https://example.org/t.jpg"


def test_document_metadata_is_kept_where_the_text_has_none() -> None:
    published = datetime(2025, 1, 5, 9, 30, tzinfo=UTC)
    article = extract_document(doc(
        "Plain words of a plain article.\nAnd another line of it.", title="A plain article",
        url="https://example.org/a", published=published, authors=("Kim",), section="Local",
        image=Image(url="https://example.org/a.png", alt="a"), language="en"))[0]
    assert (article.title, article.url, article.published) == (
        "A plain article", "https://example.org/a", published)
    assert (article.authors, article.section, article.language) == (("Kim",), "Local", "en")
    assert article.image == Image(url="https://example.org/a.png", alt="a")


def test_unsafe_urls_are_dropped() -> None:
    article = extract_document(doc("Some text of an article.", url="javascript:alert(1)",
                                   image=Image(url="data:image/png;base64,AAA")))[0]
    assert article.url is None and article.image is None


def test_html_document_goes_through_the_html_extractor(data: Path) -> None:
    html = (data / "pages" / "article.html").read_text("utf-8")
    article = extract_document(doc(html, "html", url="https://example.org/news/bridge"))[0]
    assert article.role == "item"
    assert article.title == "New bridge opens to cyclists"
    assert "cyclists crossed the new bridge" in article.text
    assert "Cookie settings" not in article.text


@pytest.mark.parametrize("body", ["", "   \n\n  ", "LATEST\n\nNewsletter\n"])
def test_documents_without_article_text_raise_source_error(body: str) -> None:
    with pytest.raises(SourceError) as raised:
        extract_document(doc(body))
    assert raised.value.source == "tests"
    assert "\n" not in str(raised.value)


def test_article_json_has_the_documented_keys(seeds: Path) -> None:
    body = (seeds / "001_317332aae2f439d3.txt").read_text("utf-8")
    data = [article_json(a) for a in extract_document(doc(body))]
    json.dumps(data)  # JSON-able as is
    assert set(data[0]) == {"role", "title", "dek", "section", "kind", "authors", "published",
                            "url", "image", "text"}
    assert data[0]["image"]["credit"] == "Wikimedia Commons"
    assert data[1]["image"] == {"url": None, "alt": data[1]["title"],
                                "credit": data[1]["image"]["credit"]}


@pytest.fixture
def page_server(data: Path) -> Iterator[str]:
    """A real HTTP server on 127.0.0.1 serving tests/data/pages; yields its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(data / "pages"))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def run_cli(*args: str) -> Result:
    return CliRunner().invoke(cli, ["extract", *args])


def test_cli_text_prints_each_article_and_fails_for_a_missing_file(seeds: Path) -> None:
    result = run_cli(str(seeds / "001_317332aae2f439d3.txt"), "missing.txt")
    assert result.exit_code == 1
    assert "4 article(s)" in result.stdout
    assert "title: Biden's ‘Last bang’: Allow long range missiles in Russia" in result.stdout
    assert "kind: Analysis" in result.stdout
    assert "credit: lev radin / Shutterstock.com" in result.stdout
    assert "keep reading" not in result.stdout
    errors = result.stderr.strip().splitlines()
    assert len(errors) == 1 and errors[0].startswith("Error: missing.txt: ")


def test_cli_json_has_one_entry_per_input(seeds: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("   \n", "utf-8")
    result = run_cli("--format", "json", str(seeds / "000_db678a4a6aabaabe.txt"), str(empty))
    assert result.exit_code == 1
    entries = json.loads(result.stdout)
    assert [e["input"] for e in entries] == [str(seeds / "000_db678a4a6aabaabe.txt"), str(empty)]
    assert entries[0]["error"] is None and entries[0]["articles"][0]["role"] == "item"
    assert entries[1]["articles"] == [] and "empty" in entries[1]["error"]


def test_cli_fetches_a_page_over_http(page_server: str, data: Path) -> None:
    result = run_cli("--format", "json", f"{page_server}/article.html",
                     str(data / "pages" / "news_economy.txt"))
    assert result.exit_code == 0, result.output
    page, saved = json.loads(result.stdout)
    assert page["error"] is None
    assert page["articles"][0]["title"] == "New bridge opens to cyclists"
    assert page["articles"][0]["url"].startswith(page_server)
    assert [a["role"] for a in saved["articles"]] == ["lead"] + ["teaser"] * 4


def test_a_markdown_page_of_the_same_shape_is_split_too(data: Path) -> None:
    text = (data / "pages" / "opinion_asia.txt").read_text("utf-8")
    body = text.replace("Why the Mekong dams keep Hanoi awake at night",
                        "**Why the Mekong dams keep Hanoi awake at night**")
    articles = extract_document(doc(body, "markdown"))
    assert [a.role for a in articles] == ["lead", "teaser", "teaser"]
    assert articles[0].title == "Why the Mekong dams keep Hanoi awake at night"


def test_a_single_article_keeps_its_kind_and_section_line() -> None:
    body = ("Ports brace for a busy summer\n\nNews | Economy\n\n"
            "Freight volumes are back above their level of two years ago.\n\n"
            "- More on shipping ›\n")
    article = extract_document(doc(body))[0]
    assert (article.role, article.title) == ("item", "Ports brace for a busy summer")
    assert (article.kind, article.section) == ("News", "Economy")
    assert article.paragraphs == ["Freight volumes are back above their level of two years ago."]
