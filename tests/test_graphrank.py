"""The numpy graph scorers pick exactly what sumy's LexRank, TextRank and Reduction pick."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from sumy.summarizers.lex_rank import LexRankSummarizer
from sumy.summarizers.reduction import ReductionSummarizer
from sumy.summarizers.text_rank import TextRankSummarizer

from digest import graphrank
from digest.sentences import SentenceSplitter
from digest.summarize import _document, _stemmer, _stop_words

PAIRS = [
    (LexRankSummarizer, graphrank.LexRank),
    (TextRankSummarizer, graphrank.TextRank),
    (ReductionSummarizer, graphrank.Reduction),
]


def load_news(data: Path) -> list[tuple[str, str]]:
    """The (title, text) pairs of the self-written test articles."""
    chunks = (data / "summaries" / "news.txt").read_text(encoding="utf-8").split("=== ")[1:]
    return [(c.split("\n", 1)[0], c.split("\n", 1)[1]) for c in chunks]


def document(text: str) -> object:
    splitter = SentenceSplitter("english")
    return _document([list(p) for p in splitter.to_paragraphs(text)], splitter)


def pair(sumy_class: type, ours: type) -> tuple[object, object]:
    theirs, mine = sumy_class(_stemmer("english")), ours(_stemmer("english"))
    theirs.stop_words = mine.stop_words = _stop_words("english")
    return theirs, mine


@pytest.mark.parametrize(("sumy_class", "ours"), PAIRS)
def test_same_picks_as_sumy_on_twenty_articles(data: Path, sumy_class: type, ours: type) -> None:
    articles = load_news(data)
    assert len(articles) == 20
    theirs, mine = pair(sumy_class, ours)
    for title, text in articles:
        doc = document(text)
        for count in (1, 2, 3, 5):
            assert mine(doc, count) == theirs(doc, count), f"{title}: {count} sentences"


@pytest.mark.parametrize(("sumy_class", "ours"), PAIRS)
def test_same_picks_as_sumy_on_awkward_input(sumy_class: type, ours: type) -> None:
    # A repeated sentence, one-word sentences and a sentence made only of stop words.
    text = ("Rain fell. Rain fell. The river rose fast in the night. It was on the news. "
            "Rivers. The river rose again at dawn. Rain fell.")
    theirs, mine = pair(sumy_class, ours)
    doc = document(text)
    for count in (1, 2, 4):
        assert [str(s) for s in mine(doc, count)] == [str(s) for s in theirs(doc, count)]
    assert mine(document(""), 3) == ()


def test_long_documents_are_scored_on_their_first_sentences(monkeypatch) -> None:
    monkeypatch.setattr(graphrank, "MAX_SENTENCES", 6)
    text = " ".join(f"Sentence number {w} talks about the river and rain." for w in
                    ["one", "two", "three", "four", "five", "six", "seven", "eight"])
    doc = document(text)
    ratings = graphrank.LexRank(_stemmer("english")).rate(doc)
    scores = [ratings[s] for s in doc.sentences]
    assert len(scores) == 8
    assert scores[6:] == [0.0, 0.0] and min(scores[:6]) > 0
    assert len(graphrank.LexRank()(doc, 3)) == 3


def test_tfidf_cosine_matches_the_formula() -> None:
    sentences = [["river", "rain"], ["river"], [], ["snow", "snow", "rain"]]
    cosine = graphrank.tfidf_cosine(sentences)
    assert cosine.shape == (4, 4)
    assert np.allclose(np.diag(cosine), [1, 1, 0, 1])
    assert cosine[2].sum() == 0  # an empty sentence is like no other
    assert np.allclose(cosine, cosine.T)


def test_default_keeps_source_order_and_drops_near_duplicates() -> None:
    sentences = [
        "The council approved a new flood wall for the town on Tuesday.",
        "The council approved a new flood wall for the town on Tuesday night.",
        "Work will start in the spring and finish next year.",
        "Residents who lost homes in the last flood welcomed the vote.",
        "The wall will cost about fourteen million pounds in total.",
    ]
    picked, scores = graphrank.pick_default(sentences, 3, _stemmer("english"),
                                            _stop_words("english"))
    assert picked[0] == sentences[0]
    assert sentences[1] not in picked
    assert picked == [s for s in sentences if s in picked]
    assert len(scores) == 3


def test_default_avoids_a_dangling_opener_without_its_predecessor() -> None:
    sentences = [
        "The museum will return twelve carved panels to the island of Tarev.",
        "The panels were taken by a ship's captain in 1872 and kept in storage.",
        "The island's council asked for the panels back five years ago.",
        "They show fishing and harvest scenes carved in oak by island craftsmen.",
        "A festival will be held when the panels arrive in September.",
    ]
    for count in (2, 3):
        picked, _ = graphrank.pick_default(sentences, count, _stemmer("english"),
                                           _stop_words("english"))
        index = [sentences.index(s) for s in picked]
        assert 3 not in index or 2 in index
