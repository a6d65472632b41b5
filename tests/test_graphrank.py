"""The numpy graph scorers pick exactly what sumy's LexRank, TextRank and Reduction pick."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from sumy.summarizers.lex_rank import LexRankSummarizer
from sumy.summarizers.reduction import ReductionSummarizer
from sumy.summarizers.text_rank import TextRankSummarizer

from digest.summarize import adaptive, graphrank, pairgraph, termmatrix, terms
from digest.summarize.methods import _document, _stemmer, _stop_words
from digest.summarize.sentences import SentenceSplitter

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


@pytest.mark.parametrize(("sumy_class", "ours"), PAIRS)
def test_long_texts_pick_what_sumy_picks(data: Path, monkeypatch, sumy_class: type,
                                         ours: type) -> None:
    # All 20 articles as one text of 157 sentences, scored the way texts past DENSE_UP_TO are.
    monkeypatch.setattr(pairgraph, "DENSE_UP_TO", 100)
    doc = document("\n\n".join(text for _, text in load_news(data)))
    assert len(doc.sentences) > pairgraph.DENSE_UP_TO
    theirs, mine = pair(sumy_class, ours)
    for count in (1, 3, 5, 10):
        assert mine(doc, count) == theirs(doc, count), f"{count} sentences"


@pytest.mark.parametrize("ours", [o for _, o in PAIRS])
def test_long_texts_rate_as_short_ones_but_for_rounding(data: Path, monkeypatch,
                                                        ours: type) -> None:
    mine = ours(_stemmer("english"))
    mine.stop_words = _stop_words("english")
    for _, text in load_news(data):
        doc = document(text)
        dense = mine.rate(doc)  # sumy's matrix, cell for cell
        monkeypatch.setattr(pairgraph, "DENSE_UP_TO", 0)
        by_pairs = mine.rate(doc)
        monkeypatch.undo()
        assert dense.keys() == by_pairs.keys()
        assert np.allclose(list(by_pairs.values()), list(dense.values()), rtol=1e-12, atol=0)


def test_a_text_full_of_one_word_is_summed_through_the_matrix(monkeypatch) -> None:
    monkeypatch.setattr(pairgraph, "PAIRS_KEPT", 100)  # 30 sentences sharing "river": 900
    doc = document(" ".join(f"The river rose {w} metres at dawn." for w in
                            ["one", "two", "three", "four", "five", "six"] * 5))
    for sumy_class, ours in PAIRS:
        theirs, mine = pair(sumy_class, ours)
        assert mine(doc, 3) == theirs(doc, 3)


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
    picked, scores = adaptive.pick_default(sentences, 3, _stemmer("english"),
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
        picked, _ = adaptive.pick_default(sentences, count, _stemmer("english"),
                                           _stop_words("english"))
        index = [sentences.index(s) for s in picked]
        assert 3 not in index or 2 in index


def test_default_without_a_title_picks_the_sentence_the_story_goes_on_to_tell() -> None:
    sentences = [
        "Nobody on Quay Street slept much on Sunday.",
        "The harbour board will close the old ferry pier for repairs from March, leaving the"
        " island without a car ferry for six weeks.",
        "The pier repairs will cost the harbour board two million pounds.",
        "Island traders fear six weeks without a car ferry will cost them their spring trade.",
        "The board said the ferry would return once the pier repairs were finished.",
        "A passenger boat will still run twice a day.",
        "Quay Street residents said the noise on Sunday came from a wedding party.",
    ]
    for title in (None, "", "Ferry pier to close for repairs"):
        picked, _ = adaptive.pick_default(sentences, 1, _stemmer("english"),
                                           _stop_words("english"), title=title)
        assert picked == [sentences[1]]


def news_terms(data: Path) -> tuple[list[str], list[list[str]]]:
    """The prose sentences of all test articles run together, and their stemmed terms."""
    from digest.summarize.sentences import WORD

    splitter = SentenceSplitter("english")
    sentences = [s for _, text in load_news(data) for s in splitter.to_sentences(text)]
    scorer = graphrank.GraphSummarizer(_stemmer("english"))
    scorer.stop_words = _stop_words("english")
    return sentences, [scorer._terms(WORD.findall(s)) for s in sentences]


def test_coordinate_matrices_give_the_dense_results(data: Path, monkeypatch) -> None:
    sentences, terms = news_terms(data)
    assert len(sentences) > 100
    dense = {
        "cosine": graphrank.tfidf_cosine(terms),
        "containment": graphrank.containment(terms),
        "overlap": graphrank.overlap_weights(terms, single_word_edge=True),
        "default": adaptive.pick_default(sentences, 5, _stemmer("english"),
                                          _stop_words("english")),
        "reduction": graphrank.reduction_scores(terms),
    }
    monkeypatch.setattr(termmatrix, "DENSE_CELLS", 500)  # blocks of a few columns each
    assert isinstance(termmatrix.term_counts(terms), termmatrix.Coo)
    assert np.allclose(graphrank.tfidf_cosine(terms), dense["cosine"])
    assert np.allclose(graphrank.containment(terms), dense["containment"])
    assert np.allclose(graphrank.overlap_weights(terms, single_word_edge=True), dense["overlap"])
    assert np.allclose(graphrank.reduction_scores(terms), dense["reduction"])
    picked, scores = adaptive.pick_default(sentences, 5, _stemmer("english"),
                                            _stop_words("english"))
    assert picked == dense["default"][0]
    assert np.allclose(scores, dense["default"][1])


def test_long_document_is_summarized_without_scipy() -> None:
    code = """
import sys
import digest.summarize.graphrank, digest.summarize.methods, digest.summarize.termmatrix
kinds = set()
dense_gram = digest.summarize.graphrank.gram
def gram(matrix):
    kinds.add(type(matrix).__name__)
    return dense_gram(matrix)
digest.summarize.graphrank.gram = gram
words = ["river", "flood", "council", "vote", "wall", "rain", "town", "bridge", "school", "road"]
def name(i):  # a word of its own for every number: a vocabulary of thousands of terms
    return "".join("bcdfghjklm"[int(d)] for d in str(i)) + "ov"
text = "\\n\\n".join(
    f"The {words[i % 10]} report named {words[(i * 7) % 10]} {name(i)} and {name(i // 3)}x."
    for i in range(5000))
summary = digest.summarize.methods.summarize_text(text, 3)
print(len(summary), sorted(kinds), "scipy" in sys.modules)
"""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True, timeout=300)
    assert result.stdout.split() == ["3", "['Coo']", "False"]  # the large path, and no scipy


def test_a_word_stream_holds_each_sentences_words_then_a_break() -> None:
    sentences = ["Rain fell on the U.S. coast’s towns.", "Straße, café and naïve 12 km² runs.",
                 "", "A\x00B split by a NUL.", "don't - well-known -ish 3rd"]
    for language, texts in (("english", sentences), ("english", [sentences[0], sentences[4]]),
                            ("japanese", ["東京で雨が降った。", "It rained."])):
        splitter = SentenceSplitter(language)
        expected = [w for s in texts for w in (*splitter.to_words(s), terms.BREAK)]
        assert terms.word_stream(splitter, texts) == expected
