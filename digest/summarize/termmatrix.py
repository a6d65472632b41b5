"""Sentence × term matrices for the graph scorers, with numpy only.

A usual article's matrix is a plain numpy array. Past ``DENSE_CELLS`` sentence × term cells it is
kept as coordinate arrays (`Coo`): the Gram matrix ``W @ W.T`` adds up, pair by pair, the
products of terms found in few sentences, and those of the others over dense column blocks of at
most ``DENSE_CELLS`` cells; row maxima, row and column sums and products with a
vector are `np.maximum.at` / `np.bincount` over the stored cells. scipy is not needed: importing
it (through NLTK's start-up, once it is installed) costs seconds, for no gain at these sizes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

# Up to this many sentence × term cells, plain numpy arrays (the fast path for every usual
# article); past it, coordinate arrays, whose dense column blocks also stay under this size.
DENSE_CELLS = 1_000_000


@dataclass(frozen=True)
class Coo:
    """A sparse sentence × term matrix: ``values[k]`` sits at ``(rows[k], cols[k])``, each cell
    stored at most once."""

    rows: np.ndarray
    cols: np.ndarray
    values: np.ndarray
    shape: tuple[int, int]

    def with_values(self, values: np.ndarray) -> Coo:
        """The same cells holding other values."""
        return Coo(self.rows, self.cols, values, self.shape)


Matrix = np.ndarray | Coo


def term_counts(sentences: Sequence[Sequence[str]]) -> Matrix:
    """A sentence × term matrix of counts: a numpy array when small, else a `Coo`."""
    vocabulary: dict[str, int] = {}
    rows: list[int] = []
    cols: list[int] = []
    for row, words in enumerate(sentences):
        for word in words:
            rows.append(row)
            cols.append(vocabulary.setdefault(word, len(vocabulary)))
    shape = (len(sentences), max(len(vocabulary), 1))
    if shape[0] * shape[1] <= DENSE_CELLS:
        dense = np.zeros(shape)
        np.add.at(dense, (rows, cols), 1.0)
        return dense
    cells, counts = np.unique(np.array(rows, dtype=np.int64) * shape[1] + np.array(cols),
                              return_counts=True)
    return Coo(cells // shape[1], cells % shape[1], counts.astype(float), shape)


def tfidf_rows(sentences: Sequence[Sequence[str]]) -> Matrix:
    """The sentences' tf/max-tf × idf vectors, scaled to unit length (empty ones stay zero)."""
    n = len(sentences)
    counts = term_counts(sentences)
    if isinstance(counts, np.ndarray):
        return _dense_tfidf(counts, n)
    max_tf = np.zeros(n)
    np.maximum.at(max_tf, counts.rows, counts.values)
    max_tf[max_tf == 0] = 1
    df = np.bincount(counts.cols, minlength=counts.shape[1])  # each cell is stored once
    idf = np.log(n / (1.0 + df))
    weights = counts.values / max_tf[counts.rows] * idf[counts.cols]
    norms = np.sqrt(row_sums(counts.with_values(weights * weights)))
    norms[norms == 0] = 1.0
    return counts.with_values(weights / norms[counts.rows])


def _dense_tfidf(counts: np.ndarray, n: int) -> np.ndarray:
    """`tfidf_rows` for a numpy count matrix."""
    max_tf = counts.max(axis=1)
    max_tf[max_tf == 0] = 1
    idf = np.log(n / (1.0 + (counts > 0).sum(axis=0)))
    weights = counts / max_tf[:, None] * idf[None, :]
    norms = np.sqrt((weights * weights).sum(axis=1))
    norms[norms == 0] = 1.0
    return weights / norms[:, None]  # type: ignore[no-any-return]


def present(matrix: Matrix) -> Matrix:
    """1 where the matrix is non-zero, 0 elsewhere."""
    if isinstance(matrix, np.ndarray):
        return (matrix > 0).astype(float)
    return matrix.with_values((matrix.values > 0).astype(float))


def gram(matrix: Matrix) -> np.ndarray:
    """``matrix @ matrix.T`` as a numpy array (rows × rows)."""
    if isinstance(matrix, np.ndarray):
        return matrix @ matrix.T  # type: ignore[no-any-return]
    n = matrix.shape[0]
    # A dense column costs n × n multiplications, a term in k sentences k × k products added one
    # by one at some 500 times the cost each: most terms are rare and go the second way.
    rare = np.bincount(matrix.cols, minlength=matrix.shape[1])[matrix.cols] <= max(n // 20, 1)
    common = ~rare
    result = _pair_products(matrix.rows[rare], matrix.cols[rare], matrix.values[rare], n)
    _add_block_products(result, matrix.rows[common], matrix.cols[common], matrix.values[common])
    return result


def _by_column(rows: np.ndarray, cols: np.ndarray,
               values: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The cells sorted by column, columns renumbered 0, 1, 2 … in that order."""
    order = np.argsort(cols, kind="stable")
    return rows[order], np.unique(cols[order], return_inverse=True)[1], values[order]


def _pair_products(rows: np.ndarray, cols: np.ndarray, values: np.ndarray,
                   n: int) -> np.ndarray:
    """``W @ W.T`` summed over every pair of cells in the same column."""
    rows, cols, values = _by_column(rows, cols, values)
    sizes = np.bincount(cols)
    starts = np.cumsum(sizes) - sizes
    partners = sizes[cols]  # each cell meets every cell of its column, itself included
    left = np.repeat(np.arange(len(rows)), partners)
    first = np.repeat(np.cumsum(partners) - partners, partners)
    right = np.repeat(starts[cols], partners) + np.arange(len(left)) - first
    products = np.bincount(rows[left] * n + rows[right], weights=values[left] * values[right],
                           minlength=n * n)
    return products.reshape(n, n).astype(float, copy=False)  # no rare cells: ints


def _add_block_products(result: np.ndarray, rows: np.ndarray, cols: np.ndarray,
                        values: np.ndarray) -> None:
    """Add ``W @ W.T`` to `result`, summed over dense blocks of at most ``DENSE_CELLS`` cells."""
    rows, cols, values = _by_column(rows, cols, values)
    width = int(cols.max()) + 1 if len(cols) else 0
    block = max(1, DENSE_CELLS // max(len(result), 1))
    starts = range(0, width, block)
    bounds = np.searchsorted(cols, [*starts, width])
    for index, start in enumerate(starts):
        cells = slice(bounds[index], bounds[index + 1])
        # Only the sentences holding one of the block's terms: fewer than n when terms are few.
        inside, local = np.unique(rows[cells], return_inverse=True)
        dense = np.zeros((len(inside), min(block, width - start)))
        dense[local, cols[cells] - start] = values[cells]
        if len(inside) == len(result):  # every sentence: the same sums, without the gather
            result += dense @ dense.T
        else:
            result[np.ix_(inside, inside)] += dense @ dense.T


def row_sums(matrix: Matrix) -> np.ndarray:
    """The sum of each row."""
    if isinstance(matrix, np.ndarray):
        return np.asarray(matrix.sum(axis=1))
    return np.bincount(matrix.rows, weights=matrix.values, minlength=matrix.shape[0])


def column_sums(matrix: Matrix) -> np.ndarray:
    """The sum of each column."""
    if isinstance(matrix, np.ndarray):
        return np.asarray(matrix.sum(axis=0))
    return np.bincount(matrix.cols, weights=matrix.values, minlength=matrix.shape[1])


def times(matrix: Matrix, vector: np.ndarray) -> np.ndarray:
    """``matrix @ vector``."""
    if isinstance(matrix, np.ndarray):
        return matrix @ vector  # type: ignore[no-any-return]
    return np.bincount(matrix.rows, weights=matrix.values * vector[matrix.cols],
                       minlength=matrix.shape[0])
