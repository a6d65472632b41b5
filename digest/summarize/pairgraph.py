"""LexRank, TextRank and Reduction from the sentence pairs that share a term.

Two sentences are joined only when they share a term, and in a long text most pairs share
none: of a thousand sentences' million pairs, some 150,000 products of shared terms make every
edge. They are found per term from the sorted `Cells` (`products`), without a sentence × term
matrix, and every formula (tf/idf weights, threshold, damping, the power method and its
stopping rule) is sumy's.

Up to `DENSE_UP_TO` sentences the graph is then the n × n matrix sumy builds, cell for cell, and
its power method makes the very products sumy's makes (one `Mᵀp` through numpy, that is BLAS),
so the ratings are sumy's to the last bit and so are the picks, also where two sentences tie
but for rounding. Past it, BLAS's threads cost more than the work: beside other programs on two
shared cores, the seven products of a thousand sentences took 50 to 100 ms instead of 3. There
the power method multiplies by the pairs with `np.bincount` and leaves out the cells that only
hold sumy's jump term (they add p's sum times it): the ratings agree with sumy's to about
1e-15, which decides nothing but exact ties, and those go to the earlier sentence.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from digest.summarize.termmatrix import Coo, gram
from digest.summarize.terms import Cells

DENSE_UP_TO = 200
# Past this many products of shared terms (a text where a few terms are in most sentences), the
# pairs are summed in an n × n matrix (`termmatrix.gram`, dense blocks for the common terms).
PAIRS_KEPT = 2_000_000


@dataclass(frozen=True)
class Pairs:
    """Sentence pairs and a value for each: ``values[k]`` joins ``left[k]`` to ``right[k]``.
    Both orders of a pair are there; a pair may come several times, and its value is the sum."""

    left: np.ndarray
    right: np.ndarray
    values: np.ndarray


def products(cells: Cells, values: np.ndarray) -> Pairs:
    """For every term and every two cells of it (a cell with itself too), the product of the
    cells' `values`: summed per pair, ``W @ W.T`` for the sentence × term matrix W."""
    sizes = np.bincount(cells.cols, minlength=cells.terms)
    if int(sizes @ sizes) > PAIRS_KEPT:
        return nonzero(gram(Coo(cells.rows, cells.cols, values,
                                (cells.sentences, max(cells.terms, 1)))))
    starts = np.cumsum(sizes) - sizes
    partners = sizes[cells.cols]  # each cell meets every cell of its term, itself included
    # The k-th pair of a cell is the k-th cell of its term: its index is the term's first
    # cell plus k, and k is the pair's index less the index of the cell's first pair.
    offsets = starts[cells.cols] - (np.cumsum(partners) - partners)
    right = np.repeat(offsets, partners) + np.arange(int(partners.sum()))
    return Pairs(np.repeat(cells.rows, partners), cells.rows[right],
                 np.repeat(values, partners) * values[right])


def summed(pairs: Pairs, n: int) -> np.ndarray:
    """The n × n matrix of each pair's summed value."""
    cells = np.bincount(pairs.left * n + pairs.right, weights=pairs.values, minlength=n * n)
    return cells.reshape(n, n)


def aggregated(pairs: Pairs, n: int) -> Pairs:
    """Each pair once, with its summed value, row by row and in each row by column."""
    keys = pairs.left * n + pairs.right
    sums = np.bincount(keys, weights=pairs.values, minlength=n * n)
    found = np.sort(keys)  # sorting the keys is faster than searching all n × n sums
    if len(found):
        found = found[np.concatenate(([True], found[1:] != found[:-1]))]
    left = found // n  # a division by one number, unlike np.divmod's: several times faster
    return Pairs(left, found - left * n, sums[found])


def nonzero(matrix: np.ndarray) -> Pairs:
    """The non-zero cells of a square matrix as pairs, row by row, each once."""
    found = np.flatnonzero(matrix)
    left, right = np.divmod(found, len(matrix))
    return Pairs(left, right, matrix.ravel()[found])


def _logs(cells: Cells) -> np.ndarray:
    """The log of each sentence's length (0 for none), with Python's `math.log` as sumy."""
    return np.array([math.log(n) if n > 0 else 0.0 for n in cells.lengths.tolist()])


def overlap(cells: Cells, pairs: Pairs, *, single_word_edge: bool) -> Pairs:
    """Shared words over the sum of log lengths, as TextRank and Reduction weigh edges."""
    logs, lengths = _logs(cells), cells.lengths
    with np.errstate(divide="ignore", invalid="ignore"):
        weights = pairs.values / (logs[pairs.left] + logs[pairs.right])
    # The sum of two logs is zero (sumy's "close to zero") exactly when both sentences have one
    # word: sumy then takes the shared count itself (TextRank) or nothing (Reduction).
    single = (lengths[pairs.left] <= 1) & (lengths[pairs.right] <= 1)
    weights[single] = pairs.values[single] if single_word_edge else 0.0
    return Pairs(pairs.left, pairs.right, weights)


def textrank(cells: Cells, damping: float = 0.85, epsilon: float = 1e-4) -> np.ndarray:
    """TextRank as sumy computes it: the stationary distribution of the row-normalised overlap
    graph with damping, found by sumy's power method."""
    n = cells.sentences
    shared = products(cells, cells.counts)
    if n <= DENSE_UP_TO:
        weights = summed(overlap(cells, nonzero(summed(shared, n)), single_word_edge=True), n)
        weights /= weights.sum(axis=1)[:, None] + 1e-7
        return dense_power(np.full((n, n), (1.0 - damping) / n) + damping * weights, epsilon)
    edges = overlap(cells, shared, single_word_edge=True)
    sums = np.bincount(edges.left, weights=edges.values, minlength=n)
    moves = edges.values / (sums + 1e-7)[edges.left] * damping
    return _power(edges, moves, n, epsilon, jump=(1.0 - damping) / n)


def reduction(cells: Cells) -> np.ndarray:
    """Reduction as sumy computes it: each sentence's edge weights to every other one. Up to
    `DENSE_UP_TO` sentences they are added in sumy's order (by the other sentence) from the
    summed shared counts; past it, term by term, which needs no n × n sums."""
    n = cells.sentences
    shared = products(cells, cells.counts)
    if n <= DENSE_UP_TO:
        shared = aggregated(shared, n)
    edges = overlap(cells, shared, single_word_edge=False)
    others = edges.left != edges.right
    return np.bincount(edges.left[others], weights=edges.values[others], minlength=n)


def lexrank(cells: Cells, threshold: float = 0.1, epsilon: float = 0.1) -> np.ndarray:
    """LexRank as sumy computes it: the graph of tf/max-tf × idf cosines above `threshold`,
    each row divided by its degree, scored by the power method normalised each step."""
    n = cells.sentences
    cosine = products(cells, tfidf(cells))
    if n <= DENSE_UP_TO:
        adjacency = summed(cosine, n) > threshold
        degrees = adjacency.sum(axis=1).astype(float)
        degrees[degrees == 0] = 1
        return dense_power(adjacency / degrees[:, None], epsilon, normalise=True)
    pairs = aggregated(cosine, n)
    kept = pairs.values > threshold
    left, right = pairs.left[kept], pairs.right[kept]
    degrees = np.bincount(left, minlength=n).astype(float)
    degrees[degrees == 0] = 1
    return _power(Pairs(left, right, np.ones(len(left))), (1.0 / degrees)[left], n, epsilon,
                  normalise=True)


def tfidf(cells: Cells) -> np.ndarray:
    """Each cell's tf/max-tf × idf weight, each sentence's scaled to unit length."""
    n = cells.sentences
    max_tf = np.zeros(n)
    np.maximum.at(max_tf, cells.rows, cells.counts)
    max_tf[max_tf == 0] = 1
    df = np.bincount(cells.cols, minlength=cells.terms)  # each cell is one sentence's
    idf = np.log(n / (1.0 + df))
    weights = cells.counts / max_tf[cells.rows] * idf[cells.cols]
    norms = np.sqrt(np.bincount(cells.rows, weights=weights * weights, minlength=n))
    norms[norms == 0] = 1.0
    return weights / norms[cells.rows]  # type: ignore[no-any-return]


def dense_power(matrix: np.ndarray, epsilon: float, *, normalise: bool = False) -> np.ndarray:
    """sumy's power method on its matrix: iterate p ← Mᵀp until p moves less than epsilon."""
    transposed = matrix.T
    return _iterate(lambda vector: transposed @ vector, len(matrix), epsilon, normalise)


def _power(edges: Pairs, moves: np.ndarray, n: int, epsilon: float, *, jump: float = 0.0,
           normalise: bool = False) -> np.ndarray:
    """`dense_power` for the n × n matrix holding `moves` on the `edges` and `jump` in every
    cell, multiplied by pair."""

    def step(vector: np.ndarray) -> np.ndarray:
        following: np.ndarray = np.bincount(edges.right, weights=moves * vector[edges.left],
                                            minlength=n)
        if jump:
            following += jump * vector.sum()
        return following

    return _iterate(step, n, epsilon, normalise)


def _iterate(step: Callable[[np.ndarray], np.ndarray], n: int, epsilon: float,
             normalise: bool) -> np.ndarray:
    """p ← step(p) from the uniform vector until p moves less than epsilon (unit length after
    each step with `normalise`)."""
    vector = np.full(n, 1.0 / n)
    for _ in range(10_000):  # sumy has no limit; a guard against a graph that never settles
        following = step(vector)
        if normalise:
            following /= np.linalg.norm(following)
        change = np.linalg.norm(following - vector)
        vector = following
        if change <= epsilon:
            break
    return vector
