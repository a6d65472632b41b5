"""Each story once: canonical URLs and merging near-duplicate articles from several sources."""

from __future__ import annotations

import random
import re
from datetime import UTC, datetime

import pytest

from digest.extract.dedupe import PAIRWISE_LIMIT, merge_duplicates, shingles
from digest.models import Article, Image
from digest.sources.urls import canonical_url, is_private_host

STORY = (
    "The city council voted on Tuesday to turn the old tram depot into a public library, "
    "ending a decade of arguments about the empty building on Harbour Road. The plan keeps "
    "the brick facade and adds a reading garden on the roof. Work starts in the autumn and "
    "the library should open in two years, the council said after the vote. Residents who "
    "campaigned for the change gathered outside the town hall to celebrate the decision."
)
OTHER = (
    "A late goal from the visiting captain gave the rovers a narrow win on Saturday, lifting "
    "them out of the relegation places for the first time since October. The home side had "
    "the better of the first half but could not turn their chances into goals, and the "
    "manager admitted afterwards that his team had run out of ideas in the final minutes."
)


def article(text: str, source: str, uid: str, **extra: object) -> Article:
    """An article with a title derived from its uid."""
    return Article(title=f"Title {uid}", text=text, source=source, uid=uid, **extra)  # type: ignore[arg-type]


@pytest.mark.parametrize(("url", "canonical"), [
    ("HTTPS://Example.ORG:443/News/Story/?utm_source=x&utm_medium=email&id=7#top",
     "https://example.org/News/Story?id=7"),
    ("http://example.org:80/a?fbclid=1&gclid=2&mc_cid=3&mc_eid=4&ref=rss", "http://example.org/a"),
    ("http://example.org:8080/", "http://example.org:8080"),
    ("https://example.org/search?q=a+b&page=2", "https://example.org/search?q=a+b&page=2"),
    ("mailto:editor@example.org", "mailto:editor@example.org"),
])
def test_canonical_url(url: str, canonical: str) -> None:
    assert canonical_url(url) == canonical


@pytest.mark.parametrize(("url", "private"), [
    ("http://127.0.0.1/", True), ("http://10.1.2.3/", True), ("http://192.168.0.1/", True),
    ("http://169.254.169.254/latest/meta-data", True), ("http://[::1]/", True),
    ("http://localhost/", True), ("http://[::ffff:10.0.0.1]/", True),
    ("http://93.184.216.34/", False), ("http://8.8.8.8/", False),
])
def test_private_addresses(url: str, private: bool) -> None:
    assert is_private_host(url) is private


def test_same_story_from_two_sources_becomes_one_with_also_in() -> None:
    merged = merge_duplicates([
        article(STORY, "gazette", "g1"),
        article(OTHER, "sports", "s1"),
        article(STORY.replace("Tuesday", "Tuesday evening"), "wire", "w9"),
    ])
    # The longer copy wins, in the place of the first copy.
    assert [a.uid for a in merged] == ["w9", "s1"]
    assert merged[0].also_in == ("gazette",)
    assert merged[1].also_in == ()


def test_distinct_stories_stay_apart() -> None:
    articles = [article(STORY, "a", "1"), article(OTHER, "a", "2")]
    assert merge_duplicates(articles) == articles


def test_richest_copy_wins_and_gaps_are_filled() -> None:
    when = datetime(2024, 5, 7, tzinfo=UTC)
    bare = article(STORY, "scraped", "p1", url="https://gazette.example.org/depot")
    rich = article(STORY + " More detail follows in a longer version.", "feed", "f1",
                   authors=("Mira Hollis",), published=when, section="Local")
    (one,) = merge_duplicates([bare, rich])
    assert one.source == "feed" and one.text.endswith("longer version.")
    assert one.url == "https://gazette.example.org/depot"  # filled from the other copy
    assert (one.authors, one.published, one.section) == (("Mira Hollis",), when, "Local")
    assert one.also_in == ("scraped",)


def test_lead_role_wins_over_item() -> None:
    lead = article(STORY, "page", "lead", role="lead", image=Image("https://x.org/a.jpg"))
    item = article(STORY, "feed", "item", dek="A dek", section="Local", kind="News")
    (one,) = merge_duplicates([item, lead])
    assert one.role == "lead" and one.uid == "lead"
    assert (one.dek, one.section, one.kind) == ("A dek", "Local", "News")


def test_same_canonical_url_is_one_story_even_with_other_text() -> None:
    first = article(STORY, "feed", "1", url="https://ex.org/depot?utm_source=rss")
    second = article(OTHER, "page", "2", url="https://EX.org/depot/#comments")
    (one,) = merge_duplicates([first, second])
    assert one.also_in == ("page",)


def test_clean_article_inside_a_longer_scraped_copy_is_contained() -> None:
    scraped = STORY + " " + OTHER + " Share this story. Sign up for our newsletter."
    (one,) = merge_duplicates([article(STORY, "feed", "clean"), article(scraped, "web", "page")])
    assert one.also_in in (("web",), ("feed",))


def test_short_texts_need_more_than_a_shared_phrase() -> None:
    boiler = "Read more on our website about this and other stories today"
    a = article(boiler + " The tram depot becomes a library.", "a", "1")
    b = article(boiler + " The rovers won on Saturday.", "b", "2")
    assert len(merge_duplicates([a, b])) == 2


def test_large_sets_find_duplicates_through_minhash() -> None:
    rng = random.Random(7)
    vocabulary = [f"word{n}" for n in range(5000)]
    texts = [" ".join(rng.choices(vocabulary, k=120)) for _ in range(PAIRWISE_LIMIT + 100)]
    articles = [article(t, "bulk", str(n)) for n, t in enumerate(texts)]
    articles.append(article(texts[42] + " with a short correction", "wire", "copy"))
    merged = merge_duplicates(articles)
    assert len(merged) == len(texts)
    assert (merged[42].uid, merged[42].also_in) == ("copy", ("bulk",))


def test_merge_is_stable_and_idempotent() -> None:
    articles = [article(OTHER, "s", "1"), article(STORY, "g", "2"), article(STORY, "w", "3")]
    once = merge_duplicates(articles)
    assert merge_duplicates(once) == once
    assert [a.uid for a in once] == ["1", "2"]


def test_updates_of_one_status_page_stay_apart() -> None:
    page = "https://status.example.org/"
    up = Article(title="Login - Up", text="Logins work again.", source="status", uid="1",
                 url=page)
    down = Article(title="Login - Down", text="Logins fail.", source="status", uid="2", url=page)
    assert len(merge_duplicates([up, down])) == 2


def test_one_template_under_two_headlines_stays_apart() -> None:
    a = Article(title="Release 4.10", text="Some text.", source="a", uid="1")
    b = Article(title="Release 4.12", text="Some text.", source="b", uid="2")
    same = Article(title="release 4.10", text="Some text.", source="c", uid="3")
    merged = merge_duplicates([a, b, same])
    assert [m.title for m in merged] == ["Release 4.10", "Release 4.12"]
    assert merged[0].copies == (("c", "3"),)


TRICKY = [
    "ΟΔΟΣ ΣΤΑΘΜΟΣ Σ σοφός λόγος, ο δρόμος του σταθμού κλείνει απόψε για έργα στο κέντρο.",
    "Die Straße am STRASSENBAHN-Depot wird gesperrt; die Bücherei öffnet im Herbst wieder.",
    "İstanbul ǅemal ﬁle café naïve x_y 3.14 42nd 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 text😀text 🎉 end of line",
    "东京 の 図書館 は 来年 開館 する 予定 です 東京都 は 発表 した",
    "one two three four", "Two words", "", "  ...  ",
]


def runs_of_five_words(text: str) -> set[tuple[str, ...]]:
    """The definition: distinct runs of 5 `\\w+` words of the lowercased text (fewer: one)."""
    words = re.findall(r"\w+", text.lower())
    return {tuple(words[i : i + 5]) for i in range(max(1, len(words) - 4))} if words else set()


def test_shingles_are_the_distinct_runs_of_five_words_in_any_script() -> None:
    texts = [*TRICKY, STORY, OTHER, STORY.upper(), STORY.replace(",", " ;"),
             TRICKY[0] + " " + TRICKY[1], TRICKY[2].upper() + " " + TRICKY[3]]
    for a in texts:
        assert len(shingles(a)) == len(runs_of_five_words(a)), a
        for b in texts:
            shared = runs_of_five_words(a) & runs_of_five_words(b)
            assert len(shingles(a) & shingles(b)) == len(shared), (a, b)


def test_a_big_week_merges_copies_in_any_script_and_case_and_keeps_rewrites_apart() -> None:
    rng = random.Random(11)
    vocabulary = [f"λέξη{n}" if n % 3 else f"word{n}" for n in range(4000)]
    texts = [" ".join(rng.choices(vocabulary, k=100)) for _ in range(PAIRWISE_LIMIT + 50)]
    articles = [article(t, "desk", str(n)) for n, t in enumerate(texts)]
    half = texts[7].split()[:50]
    articles += [
        article(texts[3].upper().replace(" ", ", "), "wire", "shouted"),  # one story
        article(" ".join(half + rng.choices(vocabulary, k=50)), "wire", "rewrite"),  # another
    ]
    merged = merge_duplicates(articles)
    assert len(merged) == len(texts) + 1
    assert {merged[3].uid, *(uid for _, uid in merged[3].copies)} == {"3", "shouted"}
    assert merged[7].also_in == () and merged[-1].uid == "rewrite"
