"""Graph sentence scoring with numpy: LexRank, TextRank and Reduction, vectorized.

sumy builds these graphs in pure Python, one sentence pair at a time, which takes seconds at a
thousand sentences. Here the pairwise similarities are one product of the sentence-term matrix
with its transpose (numpy only, see `termmatrix`), while every formula (tf/idf weights,
threshold, damping, the power method and its stopping rule) follows sumy's, so the same
sentences are picked on the same input.

The summarizer classes take a sumy document (anything with ``.sentences``, each with ``.words``)
and a sentence count, like sumy's summarizers. Documents longer than ``MAX_SENTENCES`` are scored on
their first ``MAX_SENTENCES`` sentences only; the rest score zero, so a pathological 5,000-sentence
text still finishes in about a second.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence
from typing import Any

import numpy as np

from digest.summarize.termmatrix import gram, present, row_sums, term_counts, tfidf_rows

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
    return _power(adjacency / degrees[:, None], epsilon, normalise=True)


def _power(matrix: np.ndarray, epsilon: float, *, normalise: bool) -> np.ndarray:
    """sumy's power method: iterate p ← Mᵀp until p moves less than epsilon."""
    transposed = matrix.T
    vector = np.full(len(matrix), 1.0 / len(matrix))
    for _ in range(10_000):  # sumy has no limit; a guard against a graph that never settles
        following = transposed @ vector
        if normalise:
            following /= np.linalg.norm(following)
        change = np.linalg.norm(following - vector)
        vector = following
        if change <= epsilon:
            break
    return vector


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


def textrank_scores(sentences: Sequence[Sequence[str]], damping: float = 0.85,
                    epsilon: float = 1e-4) -> np.ndarray:
    """TextRank as sumy computes it: word-overlap graph with damping, stationary distribution."""
    n = len(sentences)
    weights = overlap_weights(sentences, single_word_edge=True)
    weights /= weights.sum(axis=1)[:, None] + 1e-7
    weights *= damping  # in place, the same sums as np.full((n, n), (1 - d) / n) + d * weights
    weights += (1.0 - damping) / n
    return _power(weights, epsilon, normalise=False)


def reduction_scores(sentences: Sequence[Sequence[str]]) -> np.ndarray:
    """Reduction as sumy computes it: each sentence's summed edge weight to every other one."""
    weights = overlap_weights(sentences, single_word_edge=False)
    np.fill_diagonal(weights, 0.0)
    return weights.sum(axis=1)


class GraphSummarizer:
    """Base of the numpy summarizers: sumy's word filtering, ranking and picking."""

    scorer: Callable[[Sequence[Sequence[str]]], np.ndarray] = staticmethod(lexrank_scores)
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
        """The best `sentences_count` sentences of the document, in document order."""
        ratings = self.rate(document)
        return pick_best(document.sentences, sentences_count, ratings)

    def rate(self, document: Any) -> dict[Hashable, float]:
        """A rating for each sentence of the document (keyed by the sentence, as in sumy)."""
        sentences = document.sentences
        if not sentences:
            return {}
        words = [self._terms(s.words) for s in sentences[:MAX_SENTENCES]]
        scores = list(self.scorer(words)) + [0.0] * max(0, len(sentences) - MAX_SENTENCES)
        ratings: dict[Hashable, float] = {}
        for sentence, score in zip(sentences, scores, strict=True):
            base = ratings.get(sentence, 0.0) if self.accumulate else 0.0
            ratings[sentence] = base + float(score)
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

    scorer = staticmethod(lexrank_scores)


class TextRank(GraphSummarizer):
    """TextRank (Mihalcea & Tarau 2004), picking the same sentences as sumy's TextRankSummarizer."""

    scorer = staticmethod(textrank_scores)


class Reduction(GraphSummarizer):
    """Reduction, picking the same sentences as sumy's ReductionSummarizer."""

    scorer = staticmethod(reduction_scores)
    accumulate = True


def pick_best(sentences: Sequence[Any], count: int, ratings: dict[Hashable, float]) -> tuple:
    """The `count` best-rated sentences in document order; ties keep document order (as sumy)."""
    order = sorted(range(len(sentences)), key=lambda i: ratings[sentences[i]], reverse=True)
    return tuple(sentences[i] for i in sorted(order[: max(count, 0)]))
