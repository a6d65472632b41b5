"""The numbers behind the duplicate search: texts cut into hashed 5-word shingles, MinHash
signatures, and the pairs whose signatures collide in a band.

Shingles are hashed for many texts at once in numpy, without a Python step per word: each
lowercased text's characters become code points, a table of which code points `\\w` matches marks
the words, each word's hash is a polynomial over its code points (from prefix sums), and each
shingle's hash combines the hashes of its words. Every constant is fixed, so a text's shingles
and signature are the same in every process (never Python's `hash()`, which varies).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np

SHINGLE_WORDS = 5
PERMUTATIONS, BANDS = 64, 32
CHARS_BATCH = 1 << 17  # code points hashed at once (about 30 bytes each): stays in cache
SIGNATURE_BATCH = 1 << 16  # shingles per permutation pass: 512 KB of 8-byte words
_M64 = (1 << 64) - 1
_CHAR_BASE = 0x9E3779B97F4A7C15  # odd: a word is sum(code point * base**k)
_CHAR_BACK = pow(_CHAR_BASE, -1, 1 << 64)
_WORD_BASE = np.uint64(0xC2B2AE3D27D4EB4F)  # a shingle is sum(word * base**k), then mixed
_WORD = re.compile(r"\w")


@dataclass(frozen=True)
class Shingled:
    """The shingle hashes (32-bit) of some texts, text after text: those of text i are
    `values[starts[i]:starts[i + 1]]`, in text order, repeats included."""

    values: Any
    starts: Any

    def of(self, index: int) -> Any:
        """Text `index`'s distinct shingles, sorted."""
        values = np.sort(self.values[self.starts[index] : self.starts[index + 1]])
        if len(values) < 2:
            return values
        return values[np.concatenate(([True], values[1:] != values[:-1]))]


def shingled(texts: Sequence[str]) -> Shingled:
    """The hashed runs of `SHINGLE_WORDS` words of each text (lowercased, words as `\\w+`);
    a shorter text is one shingle, a text of no words none."""
    parts: list[Any] = []
    counts: list[Any] = []
    start = 0
    while start < len(texts):
        stop, size = start, 0
        while stop < len(texts) and (size < CHARS_BATCH or stop == start):
            size += len(texts[stop]) + 1
            stop += 1
        values, count = _batch_shingles([text.lower() for text in texts[start:stop]])
        parts.append(values)
        counts.append(count)
        start = stop
    values = np.concatenate(parts) if parts else np.zeros(0, dtype=np.uint32)
    count = np.concatenate(counts) if counts else np.zeros(0, dtype=np.int64)
    return Shingled(values, np.concatenate(([0], np.cumsum(count))).astype(np.int64))


def _batch_shingles(texts: list[str]) -> tuple[Any, Any]:
    """The shingle hashes of lowercased texts, and how many each text has."""
    joined = "\n" + "\n".join(texts) + "\n"  # a non-word around every text
    points = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    word = _word_chars(points)
    edges = np.flatnonzero(word[1:] != word[:-1]) + 1
    firsts, ends = edges[0::2], edges[1::2]
    hashes = _word_hashes(points, firsts, ends)
    text_ends = np.cumsum([len(text) + 1 for text in texts])
    words = np.diff(np.searchsorted(firsts, text_ends), prepend=0)
    return _combine(hashes, words)


def _word_chars(points: Any) -> Any:
    """Which code points are word characters (what `\\w` matches)."""
    word = _bmp_word_table().take(points.astype(np.uint16))
    if points.max() > 0xFFFF:  # rare: look up each code point past the table
        astral = np.flatnonzero(points > 0xFFFF)
        rare = np.unique(points[astral])
        flags = np.array([bool(_WORD.match(chr(p))) for p in rare.tolist()], dtype=bool)
        word[astral] = flags[np.searchsorted(rare, points[astral])]
    return word


@cache
def _bmp_word_table() -> Any:
    """For every code point below 0x10000: whether `\\w` matches it."""
    every = "".join(map(chr, range(0x10000)))
    kept = re.sub(r"\W", "\0", every).encode("utf-32-le", "surrogatepass")
    return np.frombuffer(kept, dtype=np.uint32) != 0


def _word_hashes(points: Any, firsts: Any, ends: Any) -> Any:
    """Each word's polynomial hash of its code points, the same wherever the word stands."""
    up, down = _powers(len(points) + 1)
    prefix = np.empty(len(points) + 1, dtype=np.uint64)
    prefix[0] = 0
    np.multiply(points, up[: len(points)], out=prefix[1:])
    np.cumsum(prefix[1:], out=prefix[1:])
    return (prefix[ends] - prefix[firsts]) * down[firsts]


def _power_table(size: int) -> tuple[Any, Any]:
    """base**k and base**-k modulo 2**64 for k below `size`."""
    up = np.full(size, _CHAR_BASE, dtype=np.uint64)
    up[0] = 1
    down = np.full(size, _CHAR_BACK, dtype=np.uint64)
    down[0] = 1
    return np.cumprod(up, out=up), np.cumprod(down, out=down)


def _powers(size: int) -> tuple[Any, Any]:
    """`_power_table` for at least `size` entries: one kept for every usual batch, a text
    longer than a batch gets its own."""
    return _usual_powers() if size <= 2 * CHARS_BATCH else _power_table(size)


@cache
def _usual_powers() -> tuple[Any, Any]:
    return _power_table(2 * CHARS_BATCH)


def _combine(hashes: Any, words: Any) -> tuple[Any, Any]:
    """Shingle hashes from word hashes (`words[i]` of them for text i), and their counts."""
    size = SHINGLE_WORDS
    count = np.where(words > 0, np.maximum(words - size + 1, 1), 0)
    ends = np.cumsum(words)
    full = np.zeros(max(len(hashes) - size + 1, 0), dtype=np.uint64)
    for offset in range(size):
        full *= _WORD_BASE
        full += hashes[offset : offset + len(full)]
    firsts = ends - words
    keep = np.repeat(firsts - np.cumsum(count) + count, count) + np.arange(count.sum())
    short = np.flatnonzero((words > 0) & (words < size))
    if len(short):  # a text of fewer words is one shingle of them all
        padded = np.concatenate((full, np.zeros(size, dtype=np.uint64)))
        padded[firsts[short]] = [_horner(hashes[f:e]) for f, e in
                                 zip(firsts[short].tolist(), ends[short].tolist(), strict=True)]
        full = padded
    return _mix(full[keep]), count


def _horner(hashes: Any) -> int:
    """The combined hash of a few words."""
    value = 0
    for word in hashes.tolist():
        value = (value * int(_WORD_BASE) + word) & _M64
    return value


def _mix(values: Any) -> Any:
    """The top 32 bits of a 64-bit finalizer (every input bit moves every output bit)."""
    values = values ^ (values >> np.uint64(30))
    values *= np.uint64(0xBF58476D1CE4E5B9)
    values ^= values >> np.uint64(27)
    values *= np.uint64(0x94D049BB133111EB)
    values ^= values >> np.uint64(31)
    return (values >> np.uint64(32)).astype(np.uint32)


@cache
def permutations() -> tuple[Any, Any]:
    """Multiply-shift hashing: (a * x + b) wrapping at 2**64, keeping the high 32 bits."""
    rng = np.random.default_rng(20240601)
    a = rng.integers(1, 1 << 63, PERMUTATIONS, dtype=np.uint64) | np.uint64(1)
    b = rng.integers(0, 1 << 63, PERMUTATIONS, dtype=np.uint64)
    return a, b


def signatures(shingles: Shingled, indexes: Any) -> Any:
    """The MinHash signatures of texts `indexes` of `shingles` (each with a shingle), as
    columns: per permutation the high 32 bits of the least (a * x + b) over the text's
    shingles. Taken in slices of `SIGNATURE_BATCH` shingles, one permutation at a time."""
    chosen = np.asarray(indexes, dtype=np.int64)
    firsts, stops = shingles.starts[chosen], shingles.starts[chosen + 1]
    values = np.concatenate([shingles.values[f:s] for f, s in
                             zip(firsts.tolist(), stops.tolist(), strict=True)] or [[]])
    starts = np.concatenate(([0], np.cumsum(stops - firsts))).astype(np.int64)
    out = np.empty((PERMUTATIONS, len(chosen)), dtype=np.uint64)
    a, b = permutations()
    begin = 0
    while begin < len(chosen):
        end = int(np.searchsorted(starts, starts[begin] + SIGNATURE_BATCH, side="right")) - 1
        end = min(max(end, begin + 1), len(chosen))
        x = values[starts[begin] : starts[end]].astype(np.uint64)
        offsets, hashed = starts[begin:end] - starts[begin], np.empty_like(x)
        for row in range(PERMUTATIONS):  # the least a * x + b holds the least high half
            np.multiply(x, a[row], out=hashed)
            hashed += b[row]
            out[row, begin:end] = np.minimum.reduceat(hashed, offsets)
        begin = end
    return out >> np.uint64(32)


def band_pairs(columns: Any, filled: Any) -> Any:
    """The pairs (i, j), i < j, of `filled` indexes whose signature columns are equal in some
    band of rows, sorted, as an array of two columns."""
    rows = PERMUTATIONS // BANDS
    split = columns.reshape(BANDS, rows, columns.shape[1])
    keys = split[:, 0]
    for more in range(1, rows):  # 32-bit values: two rows make one exact 64-bit key
        keys = (keys << np.uint64(32)) ^ split[:, more]  # (more rows may collide: more checks)
    order = np.argsort(keys, axis=1, kind="stable")
    ordered = np.take_along_axis(keys, order, axis=1)
    equal = ordered[:, 1:] == ordered[:, :-1]
    run, found, gap = equal, [], 1
    while run.any():  # members `gap` apart in one run of equal keys
        band, first = np.nonzero(run)
        found.append(np.stack((order[band, first], order[band, first + gap])))
        run, gap = run[:, :-1] & equal[:, gap:], gap + 1
    if not found:
        return np.zeros((0, 2), dtype=np.int64)
    members = filled[np.concatenate(found, axis=1)]
    low, high = members.min(axis=0), members.max(axis=0)
    codes = np.unique(low * (int(filled.max()) + 1) + high)
    return np.stack(divmod(codes, int(filled.max()) + 1), axis=1)
