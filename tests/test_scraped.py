"""Saved web pages held as text split into a lead article and teasers, with furniture left out."""

from __future__ import annotations

from pathlib import Path

import pytest

from digest.extract.scraped import commons_image, readable_name, split_page
from digest.extract.textdoc import Parts

FURNITURE = ("Follow us on social", "keep reading", "Show less", "LATEST", "QIOSK", "Newsletter",
             "Subscribe now", "Sign up for", "MOST READ", "SKIP TO CONTENT", "SHARE", "Read more",
             "›", "File:", "credit:")


def all_text(parts: Parts) -> str:
    """Everything of an article a reader would see as title or text."""
    return "\n".join([parts.title or "", parts.dek or "", *parts.paragraphs])


def assert_no_furniture(parts: Parts) -> None:
    text = all_text(parts)
    for phrase in FURNITURE:
        assert phrase not in text, f"{phrase!r} leaked into {parts.title!r}"


@pytest.fixture
def seed_page(seeds: Path) -> str:
    return (seeds / "001_317332aae2f439d3.txt").read_text("utf-8")


def test_seed_page_lead_has_headline_once_dek_kind_section(seed_page: str) -> None:
    page = split_page(seed_page)
    assert page is not None
    lead = page.lead
    assert lead.title == "Biden's ‘Last bang’: Allow long range missiles in Russia"
    assert lead.dek == (
        "If he wanted to handcuff Trump’s plan to end the war, this was the way to do it")
    assert (lead.kind, lead.section) == ("Analysis", "Europe")
    assert lead.paragraphs[0].startswith("It was widely expected, including by the victors")
    assert lead.paragraphs[-1].endswith("pursuing a credible endgame.")
    assert len(lead.paragraphs) == 13
    assert "Analysis | Europe" not in all_text(lead)
    assert_no_furniture(lead)


def test_seed_page_lead_image_comes_from_the_commons_file_line(seed_page: str) -> None:
    image = split_page(seed_page).lead.image  # type: ignore[union-attr]
    assert image is not None
    assert image.url == (
        "https://commons.wikimedia.org/wiki/Special:FilePath/ATACMSMay2006_%28cropped%29.jpg"
    )
    assert image.credit == "Wikimedia Commons"
    assert image.alt == "ATACMS May 2006"


def test_seed_page_teasers_titles_sections_credits_alts(seed_page: str) -> None:
    teasers = split_page(seed_page).teasers  # type: ignore[union-attr]
    assert [(t.title, t.section) for t in teasers] == [
        ("Fort Bragg horrors expose dark underbelly of post-9/11 warfare", "Media"),
        ("The case for US Middle East retrenchment has never been clearer", "Middle East"),
        ("Do we need a treaty on neutrality?", "Global Crises"),
    ]
    credits = [t.image.credit for t in teasers if t.image]
    assert credits == [
        "Seth Harp book jacket (Viking press) US special operators/deviant art/creative commons",
        "President Donald Trump hosts a bilateral dinner for Israeli Prime Minister Benjamin "
        "Netanyahu, Monday, July 7, 2025, in the Blue Room. (Official White House Photo by "
        "Daniel Torok)",
        "lev radin / Shutterstock.com",
    ]
    assert [t.image.alt for t in teasers if t.image] == [
        "Fort Bragg horrors expose dark underbelly of post-9/11 warfare",  # the alt line repeats it
        "Trump Netanyahu",
        "United Nations",
    ]
    assert all(t.image and t.image.url is None for t in teasers)


def test_seed_page_teaser_blurbs_are_their_paragraphs_only(seed_page: str) -> None:
    teasers = split_page(seed_page).teasers  # type: ignore[union-attr]
    assert [len(t.paragraphs) for t in teasers] == [2, 2, 2]
    assert teasers[0].paragraphs[0].startswith("In 2020 and 2021, 109 U.S. soldiers died")
    assert teasers[2].paragraphs[1].endswith("does not undermine neutrality.")
    for teaser in teasers:
        assert_no_furniture(teaser)
        assert "Media" not in teaser.paragraphs and "Global Crises" not in teaser.paragraphs


def test_opinion_page_with_byline_date_no_dek_and_two_teasers(data: Path) -> None:
    page = split_page((data / "pages" / "opinion_asia.txt").read_text("utf-8"))
    assert page is not None
    lead = page.lead
    assert lead.title == "Why the Mekong dams keep Hanoi awake at night"
    assert lead.dek is None
    assert (lead.kind, lead.section) == ("Opinion", "Asia")
    assert lead.authors == ("Jane Doe",)
    assert lead.published is not None and lead.published.date().isoformat() == "2025-03-03"
    assert len(lead.paragraphs) == 3
    assert [(t.title, t.kind, t.section) for t in page.teasers] == [
        ("Shipping rates fall as new vessels flood the market", "News", "Economy"),
        ("Central banks weigh a slower path for rate cuts", None, "Markets"),
    ]
    first, second = (t.image for t in page.teasers)
    assert first is not None and (first.alt, first.credit) == (
        "Harbour cranes at dusk", "Port authority press office / Creative Commons")
    assert second is not None and (second.alt, second.credit) == (
        "Central banks weigh a slower path for rate cuts", "Reuters")
    for parts in (lead, *page.teasers):
        assert_no_furniture(parts)
    assert "Delta farmers" not in all_text(lead)  # the link trail


def test_news_page_with_dek_commons_image_and_four_teasers(data: Path) -> None:
    page = split_page((data / "pages" / "news_economy.txt").read_text("utf-8"))
    assert page is not None
    lead = page.lead
    assert lead.title == "Grain corridor reopens as insurers return to the Black Sea"
    assert lead.dek == ("Cheaper cover has brought shipowners back, but the route still depends "
                        "on a fragile truce")
    assert (lead.kind, lead.section) == ("News", "Economy")
    assert len(lead.paragraphs) == 3
    assert lead.image is not None and lead.image.alt == "Port of Odesa, 2019"
    assert lead.image.url is not None
    assert lead.image.url.endswith("/Special:FilePath/Port_of_Odesa%2C_2019_%2802%29.jpg")
    assert [(t.title, t.kind, t.section) for t in page.teasers] == [
        ("Farmers count the cost of a dry spring", None, "Climate"),
        ("Europe bets on its own launch rockets", "Analysis", "Space"),
        ("A city library lends tools as well as books", None, "Culture"),
        ("Lawmakers agree on a budget after a long night", None, "Politics"),
    ]
    assert [t.image.credit for t in page.teasers if t.image] == [
        "Agriculture ministry photo service", "Jan Kowalski / Shutterstock.com", "City archive",
        "Parliament press office"]
    assert page.teasers[2].image is not None
    assert page.teasers[2].image.alt == "A city library lends tools as well as books"
    for parts in (lead, *page.teasers):
        assert_no_furniture(parts)


def test_plain_article_is_not_a_page(seeds: Path) -> None:
    assert split_page((seeds / "000_db678a4a6aabaabe.txt").read_text("utf-8")) is None
    assert split_page("A short note\n\nThat has one paragraph of text in it.") is None


def test_commons_rule_is_generic() -> None:
    image = commons_image("File:Eiffel Tower at night.JPG - Wikimedia Commons")
    assert image is not None
    assert image.url == "https://commons.wikimedia.org/wiki/Special:FilePath/Eiffel_Tower_at_night.JPG"
    assert image.alt == "Eiffel Tower at night"
    assert commons_image("File: nothing here") is None
    name = "Mount_EverestNorthFace2019 (edited).png"
    assert readable_name(name) == "Mount Everest North Face 2019"
