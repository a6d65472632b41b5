"""The `default` method: a learned mix of position, centrality, coverage and the headline.

Each prose sentence gets a row of signals (`FEATURES`): where it stands, how central it is
(LexRank, the cosine to the text's tf-idf centroid, Reduction's word overlap), its length, how
much of the title and dek it holds, and two signals that let position count only as much as the
text earns it: the position prior times how central the opening sentence is, and times how much
of the headline the opening holds. In news whose lead is a summary both are high and the opening
wins; where the opening is a scene-setter, a quote or a second thought, the sentence that holds the
centre and the headline does. A sentence's score is its row times a weight vector: one vector for
short summaries (a small share of the text), one for long ones, blended between the two shares.
A text without a headline uses a third vector in place of the short one: with no headline to
match, it leans on a sharper lead bias and on directed centrality (as in PacSum: a sentence that
the sentences after it echo states what the story goes on to tell, while one that only echoes
the sentences before it is a follow-up).
Sentences are picked greedily, without repeats or dangling openers, and returned in source order.

The weights are learned offline by `bench/tune_default.py` on the tuning half of the evaluation
sets and shipped here as numbers; nothing is random, so the same text gets the same picks in
every process.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from digest.summarize.graphrank import (
    MAX_SENTENCES,
    GraphSummarizer,
    containment,
    lexrank_scores,
    reduction_scores,
    tfidf_cosine,
)
from digest.summarize.termmatrix import column_sums, tfidf_rows, times

Stemmer = Callable[[str], str]
FEATURES = ("position", "first", "lexrank", "centroid", "reduction", "length", "title",
            "lead_central", "lead_title", "forward")


@dataclass(frozen=True)
class Weights:
    """How `default` weighs its signals (one weight per name in `FEATURES`, for short and for
    long summaries) and picks; learned by `bench/tune_default.py` (see the README)."""

    # position, first, lexrank, centroid, reduction, length, title, lead_central, lead_title,
    # forward
    short: tuple[float, ...] = (2.0, -0.1, 0.9, 1.0, 0.0, -0.3, 12.0, 0.0, 0.0, 0.0)
    long: tuple[float, ...] = (0.0, 0.0, 0.0, 0.8, 1.5, -0.1, 0.0, 0.0, 0.0, 0.0)
    # instead of `short` when the text has no title (its words, once stop words are out)
    untitled: tuple[float, ...] = (4.0, -0.1, 0.5, 1.5, 0.0, -0.6, 0.0, 0.0, 0.0, 2.0)
    decay: float = 6.0  # the position prior is exp(-i / decay) for the i-th sentence
    short_share: float = 0.2  # summaries of at most this share of the sentences use `short`,
    long_share: float = 0.35  # of at least this share `long`, linearly blended in between
    redundancy: float = 1.0  # minus this × the highest cosine to a pick (short summaries)
    duplicate: float = 0.8  # sharing more than this share of words with a pick: "the same"
    dangling: float = 1.0  # minus this for "But"/"He said" openers whose predecessor is out,
    dangling_long: float = 0.1  # ... or this much in long summaries


def features(terms: Sequence[Sequence[str]], cosine: np.ndarray, title: Sequence[str],
             decay: float) -> np.ndarray:
    """The sentences' signals, one row per sentence, one column per name in `FEATURES`."""
    n = len(terms)
    out = np.zeros((n, len(FEATURES)))
    position = np.exp(-np.arange(n) / decay)
    out[:, 0] = position
    out[0, 1] = 1.0
    out[:, 2] = _scaled(lexrank_scores(terms, cosine=cosine))
    rows = tfidf_rows(terms)
    centre = column_sums(rows)
    central = times(rows, centre) / (float(np.linalg.norm(centre)) or 1.0)
    out[:, 3] = central
    out[:, 4] = _scaled(reduction_scores(terms))
    lengths = np.array([len(t) for t in terms], dtype=float)
    out[:, 5] = lengths / max(float(np.median(lengths)), 1.0)
    wanted = set(title)
    if wanted:
        out[:, 6] = [len(wanted & set(t)) / len(wanted) for t in terms]
    # How much the opening earns its place: its centrality and headline share against the best.
    out[:, 7] = position * (central[0] / (float(central.max()) or 1.0))
    top_title = float(out[:, 6].max())
    out[:, 8] = position * (out[0, 6] / top_title if top_title > 0 else 0.0)
    out[:, 9] = _scaled(np.triu(cosine, 1).sum(axis=1))
    return out


def vector(weights: Weights, fade: float, titled: bool) -> np.ndarray:
    """The weight vector for a summary `fade` short (see `blend`), with or without a title."""
    short = np.array(weights.short if titled else weights.untitled)
    return fade * short + (1 - fade) * np.array(weights.long)


def blend(count: int, n: int, weights: Weights) -> float:
    """How short a summary of `count` of `n` sentences is: 1 short, 0 long, linear between."""
    share = count / max(n, 1)
    span = weights.long_share - weights.short_share
    return min(1.0, max(0.0, (weights.long_share - share) / span))


def select(score: np.ndarray, count: int, cosine: np.ndarray, same: np.ndarray,
           dangling: np.ndarray, fade: float, weights: Weights) -> list[int]:
    """Greedy picks by score, less redundancy and dangling openers; in source order."""
    n = len(score)
    picked: list[int] = []
    while len(picked) < min(count, n):
        gain = score.copy()
        if picked:
            gain -= weights.redundancy * fade * cosine[:, picked].max(axis=1)
            gain[same[:, picked].any(axis=1)] = -np.inf
            gain[picked] = -np.inf
        follows = np.zeros(n, dtype=bool)
        follows[[i + 1 for i in picked if i + 1 < n]] = True
        gain[dangling & ~follows] -= fade * weights.dangling + (1 - fade) * weights.dangling_long
        best = int(np.argmax(gain))
        if not np.isfinite(gain[best]):
            break
        picked.append(best)
    return sorted(picked)


def pick_default(sentences: Sequence[str], count: int, stemmer: Stemmer,
                 stop_words: frozenset[str], title: str | None = None,
                 weights: Weights = Weights(),
                 words: Callable[[str], Sequence[str]] | None = None,
                 ) -> tuple[list[str], list[float]]:
    """`default`'s `count` sentences of `sentences` and their scores, in source order.

    `words` splits a sentence into words (the language's splitter; letters by default)."""
    from digest.summarize.sentences import WORD, is_dangling

    split = words or WORD.findall
    scorer = GraphSummarizer(stemmer)
    scorer.stop_words = stop_words
    head = list(sentences[:MAX_SENTENCES])
    terms = [scorer._terms(split(s)) for s in head]
    cosine = tfidf_cosine(terms)
    fade = blend(count, len(head), weights)
    wanted = scorer._terms(split(title or ""))
    signals = features(terms, cosine, wanted, weights.decay)
    score = signals @ vector(weights, fade, bool(wanted))
    dangling = np.array([is_dangling(s) for s in head])
    same = containment(terms) > weights.duplicate
    picked = select(score, count, cosine, same, dangling, fade, weights)
    return [head[i] for i in picked], [float(score[i]) for i in picked]


def _scaled(values: np.ndarray) -> np.ndarray:
    top = float(np.max(np.abs(values))) if len(values) else 0.0
    return values / top if top > 0 else values
