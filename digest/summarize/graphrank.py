"""Graph sentence scoring with numpy: LexRank, TextRank and Reduction, vectorized.

sumy builds these graphs in pure Python, one sentence pair at a time, which takes seconds at a
thousand sentences. Here the summarizer classes hand the sentences' words to `terms` (term ids
remembered per word, the sentence × term cells in one sort) and score them in `pairgraph`
(the pairs that share a term, sumy's formulas), so the same sentences are picked on the same
input. `tfidf_cosine`, `containment`, `lexrank_scores` and `reduction_scores` give the same
measures as n × n matrices, for the `default` method (`adaptive`).

The summarizer classes take a sumy document (anything with ``.sentences``, each with ``.words``)
and a sentence count, like sumy's summarizers, or the sentences as strings and the splitter
(`GraphSummarizer.pick`, no sumy objects made). Documents longer than ``MAX_SENTENCES`` are
scored on their first ``MAX_SENTENCES`` sentences only; the rest score zero, so a pathological
5,000-sentence text still finishes in about a second.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence
from typing import Any

import numpy as np

from digest.summarize import pairgraph
from digest.summarize.sentences import SentenceSplitter
from digest.summarize.termmatrix import gram, present, row_sums, term_counts, tfidf_rows
from digest.summarize.terms import BREAK, Cells, term_index, word_stream

MAX_SENTENCES = 2000
Stemmer = Callable[[str], str]


def tfidf_cosine(sentences: Sequence[Sequence[str]]) -> np.ndarray:
    """Pairwise cosine of the sentences' tf-idf vectors (LexRank's idf-modified cosine)."""
    return gram(tfidf_rows(sentences))


def lexrank_scores(sentences: Sequence[Sequence[str]], threshold: float = 0.1,
                   epsilon: float = 0.1, cosine: np.ndarray | None = None) -> np.ndarray:
    """LexRank centrality as sumy computes it: tf/max-tf × idf cosine, thresholded graph."""
    cosine = tfidf_cosine(sentences) if cosine is None else cosine
    adjacency = (cosine > threshold).astype(float)
    degrees = adjacency.sum(axis=1)
    degrees[degrees == 0] = 1
    return pairgraph.dense_power(adjacency / degrees[:, None], epsilon, normalise=True)


def containment(sentences: Sequence[Sequence[str]]) -> np.ndarray:
    """Shared distinct words over the smaller sentence's distinct words, for every pair."""
    words = present(term_counts(sentences))
    shared = gram(words)
    sizes = np.maximum(row_sums(words), 1.0)
    return shared / np.minimum(sizes[:, None], sizes[None, :])


def overlap_weights(sentences: Sequence[Sequence[str]], *, single_word_edge: bool) -> np.ndarray:
    """Shared-word counts over the sum of log lengths, as TextRank and Reduction weigh edges."""
    shared = gram(term_counts(sentences))
    lengths = np.array([len(words) for words in sentences], dtype=float)
    logs = np.log(np.where(lengths > 0, lengths, 1.0))
    # The sum of two logs is zero (sumy's "close to zero") exactly when both sentences have at
    # most one word: every other log is at least log 2. Found from the lengths, not n × n sums.
    short = lengths <= 1
    single = short[:, None] & short[None, :] if short.any() else None
    kept = shared[single] if single is not None and single_word_edge else 0.0
    with np.errstate(divide="ignore", invalid="ignore"):
        # In place: no pair shares words without a positive sum of logs, so 0 / sum stays 0.
        ratio = np.divide(shared, logs[:, None] + logs[None, :], out=shared)
    if single is not None:
        ratio[single] = kept
    return ratio


def reduction_scores(sentences: Sequence[Sequence[str]]) -> np.ndarray:
    """Reduction as sumy computes it: each sentence's summed edge weight to every other one."""
    weights = overlap_weights(sentences, single_word_edge=False)
    np.fill_diagonal(weights, 0.0)
    return weights.sum(axis=1)


class GraphSummarizer:
    """Base of the numpy summarizers: sumy's word filtering, ranking and picking."""

    scorer: Callable[[Cells], np.ndarray] = staticmethod(pairgraph.lexrank)
    accumulate = False  # Reduction adds the ratings of repeated sentences; the others overwrite

    def __init__(self, stemmer: Stemmer = str.lower) -> None:
        self._stemmer = stemmer
        self._stop_words: frozenset[str] = frozenset()
        self._stems: dict[str, str] = {}

    @property
    def stop_words(self) -> frozenset[str]:
        """Words left out of the graph (lower case)."""
        return self._stop_words

    @stop_words.setter
    def stop_words(self, words: Iterable[str]) -> None:
        self._stop_words = frozenset(w.lower() for w in words)

    def __call__(self, document: Any, sentences_count: int) -> tuple[Any, ...]:
        """The best `sentences_count` sentences of a sumy document, in document order."""
        ratings = self.rate(document)
        return pick_best(document.sentences, sentences_count, ratings)

    def pick(self, sentences: Sequence[str], count: int,
             splitter: SentenceSplitter) -> tuple[str, ...]:
        """The best `count` of the sentences, in their order, without a sumy document: their
        words are the splitter's, found in one pass over them all."""
        stream = word_stream(splitter, sentences[:MAX_SENTENCES])
        return pick_best(sentences, count, self._ratings(sentences, stream))

    def rate(self, document: Any) -> dict[Hashable, float]:
        """A rating for each sentence of the document (keyed by the sentence, as in sumy)."""
        sentences = document.sentences
        stream = [w for s in sentences[:MAX_SENTENCES] for w in (*s.words, BREAK)]
        return self._ratings(sentences, stream)

    def _ratings(self, sentences: Sequence[Hashable],
                 stream: Sequence[str]) -> dict[Hashable, float]:
        if not sentences:
            return {}
        head = min(len(sentences), MAX_SENTENCES)
        cells = term_index(self._stemmer, self._stop_words).cells(stream, head)
        scores = self.scorer(cells).tolist() + [0.0] * (len(sentences) - head)
        ratings: dict[Hashable, float] = {}
        for sentence, score in zip(sentences, scores, strict=True):
            base = ratings.get(sentence, 0.0) if self.accumulate else 0.0
            ratings[sentence] = base + score
        return ratings

    def _terms(self, words: Iterable[str]) -> list[str]:
        terms = []
        for word in words:
            lower = word.lower()
            if lower in self._stop_words:
                continue
            stem = self._stems.get(lower)
            if stem is None:
                stem = self._stems[lower] = self._stemmer(lower)
            terms.append(stem)
        return terms


class LexRank(GraphSummarizer):
    """LexRank (Erkan & Radev 2004), picking the same sentences as sumy's LexRankSummarizer."""

    scorer = staticmethod(pairgraph.lexrank)


class TextRank(GraphSummarizer):
    """TextRank (Mihalcea & Tarau 2004), picking the same sentences as sumy's TextRankSummarizer."""

    scorer = staticmethod(pairgraph.textrank)


class Reduction(GraphSummarizer):
    """Reduction, picking the same sentences as sumy's ReductionSummarizer."""

    scorer = staticmethod(pairgraph.reduction)
    accumulate = True


def pick_best(sentences: Sequence[Any], count: int, ratings: dict[Hashable, float]) -> tuple:
    """The `count` best-rated sentences in document order; ties keep document order (as sumy)."""
    order = sorted(range(len(sentences)), key=lambda i: ratings[sentences[i]], reverse=True)
    return tuple(sentences[i] for i in sorted(order[: max(count, 0)]))
