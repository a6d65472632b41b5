"""Each story once: merges articles that are the same story, from one source or several.

Two articles are the same story when their canonical URLs match, or when their texts' 5-word
shingles overlap enough: Jaccard similarity at least `JACCARD`, or the shorter text's shingles
contained in the longer one's at least `CONTAINMENT` (a clean article against a scraped copy with
more around it). Alike is not the same where the feed says otherwise: entries of one source
under other headlines that link to one page, entries of one source that link to different
pages, and short texts (under 25 words) under different headlines stay apart. Small sets are
compared pair by pair; large ones first find candidate pairs with MinHash and banding, then
check them exactly. The thresholds come from `bench/eval_dedupe.py`.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable, Sequence
from dataclasses import replace
from itertools import combinations
from pathlib import Path
from typing import Any

from digest.models import Article
from digest.sources.urls import canonical_url
from digest.store.minhashcache import MinHashCache

SHINGLE_WORDS = 5
JACCARD = 0.5
CONTAINMENT = 0.8
MIN_CONTAINED = 20  # a shorter text needs this many shingles before containment counts
PAIRWISE_LIMIT = 300  # up to this many articles, compare every pair exactly
PERMUTATIONS, BANDS = 64, 32
SIGNATURE_BATCH = 20_000  # shingles hashed at once: 64 × this many 8-byte words, about 10 MB
_WORD = re.compile(r"\w+")
_ROLE_RANK = {"lead": 2, "teaser": 1, "item": 0}
_FILLED = ("dek", "section", "kind", "authors", "published", "url", "image", "language")


def shingles(text: str, size: int = SHINGLE_WORDS) -> frozenset[int]:
    """The hashed runs of `size` words of a text (lowercased); a short text is one shingle."""
    words = _WORD.findall(text.lower())
    if not words:
        return frozenset()
    grams = [" ".join(words[i : i + size]) for i in range(max(1, len(words) - size + 1))]
    return frozenset(zlib.crc32(gram.encode("utf-8")) for gram in grams)


def similar(a: frozenset[int], b: frozenset[int]) -> bool:
    """True when two shingle sets are the same story: by Jaccard or by containment."""
    if not a or not b:
        return False
    return _same_story(len(a & b), len(a), len(b))


def _same_story(common: int, size_a: int, size_b: int) -> bool:
    """`similar` from the sizes of two shingle sets and of what they share."""
    if common / (size_a + size_b - common) >= JACCARD:
        return True
    smaller = min(size_a, size_b)
    return smaller >= MIN_CONTAINED and common / smaller >= CONTAINMENT


def candidate_pairs(sets: Sequence[frozenset[int]]) -> set[tuple[int, int]]:
    """Pairs of indexes worth an exact check: when few, every pair sharing a shingle (no other
    pair can be similar), else MinHash band collisions."""
    if len(sets) <= PAIRWISE_LIMIT:
        return sharing_pairs(sets)
    import numpy as np

    return _minhash_pairs([np.fromiter(s, dtype=np.uint32, count=len(s)) for s in sets])


def _minhash_pairs(arrays: Sequence[Any]) -> set[tuple[int, int]]:
    """Pairs of indexes whose MinHash signatures collide in a band (arrays of shingles)."""
    import numpy as np

    filled = np.array([i for i, values in enumerate(arrays) if len(values)], dtype=np.int64)
    return _band_pairs(_signatures([arrays[i] for i in filled], *_permutations()), filled)


def _permutations() -> tuple[Any, Any]:
    """Multiply-shift hashing: (a * x + b) wrapping at 2**64, keeping the high 32 bits."""
    import numpy as np

    rng = np.random.default_rng(20240601)
    a = rng.integers(1, 1 << 63, PERMUTATIONS, dtype=np.uint64)[:, None] | np.uint64(1)
    b = rng.integers(0, 1 << 63, PERMUTATIONS, dtype=np.uint64)[:, None]
    return a, b


def _band_pairs(signatures: Any, filled: Any) -> set[tuple[int, int]]:
    """Pairs of `filled` indexes whose signature columns are equal in some band."""
    import numpy as np

    rows = PERMUTATIONS // BANDS
    pairs: set[tuple[int, int]] = set()
    for band in range(BANDS):
        part = signatures[band * rows : (band + 1) * rows]
        keys = part[0]
        for more in part[1:]:  # 32-bit values: two rows make one exact 64-bit key
            keys = (keys << np.uint64(32)) ^ more  # (more rows may collide: only more checks)
        order = np.argsort(keys, kind="stable")
        ordered = keys[order]
        edges = np.flatnonzero(ordered[1:] != ordered[:-1]) + 1
        starts = np.concatenate(([0], edges))
        stops = np.concatenate((edges, [len(ordered)]))
        shared = np.flatnonzero(stops - starts > 1)  # most runs hold one signature: skip them
        for start, stop in zip(starts[shared].tolist(), stops[shared].tolist(), strict=True):
            pairs.update(combinations(sorted(filled[order[start:stop]].tolist()), 2))
    return pairs


def _signatures(sets: Sequence[Any], a: Any, b: Any) -> Any:
    """The MinHash signature of each non-empty array of shingles, as columns: (a * x + b)
    wrapping at 2**64, high 32 bits, minimum over the set; computed for many sets at once."""
    import numpy as np

    signatures = np.zeros((PERMUTATIONS, len(sets)), dtype=np.uint64)
    start = 0
    while start < len(sets):
        stop, size = start, 0
        while stop < len(sets) and (size < SIGNATURE_BATCH or stop == start):
            size += len(sets[stop])
            stop += 1
        lengths = [len(values) for values in sets[start:stop]]
        x = np.concatenate(sets[start:stop]).astype(np.uint64)
        hashed = (a * x[None, :] + b) >> np.uint64(32)
        offsets = np.concatenate(([0], np.cumsum(lengths)[:-1]))
        signatures[:, start:stop] = np.minimum.reduceat(hashed, offsets, axis=1)
        start = stop
    return signatures


def sharing_pairs(sets: Sequence[frozenset[int]]) -> set[tuple[int, int]]:
    """Pairs of indexes whose sets share at least one shingle, from an index of who holds which.

    Unrelated stories share few 5-word runs, so this skips most of the pairs that an exact check
    of every pair would test (300 evaluation articles: 672 pairs instead of 44,850, 0.27 s
    instead of 3.8 s).
    """
    holders: dict[int, list[int]] = {}
    for index, values in enumerate(sets):
        for value in values:
            holders.setdefault(value, []).append(index)
    pairs: set[tuple[int, int]] = set()
    for members in holders.values():
        if len(members) > 1:
            pairs.update(combinations(members, 2))
    return pairs


def same_story_pairs(texts: Sequence[str], cache_dir: Path | None = None) -> list[tuple[int, int]]:
    """The pairs of indexes of texts that are the same story (`similar`), in order.

    Past `PAIRWISE_LIMIT` texts, MinHash signatures are kept in `cache_dir` when given
    (`digest.store.minhashcache`), and only the texts of candidate pairs are cut into shingles.
    """
    if len(texts) <= PAIRWISE_LIMIT:
        sets = [shingles(text) for text in texts]
        return sorted(p for p in sharing_pairs(sets) if similar(sets[p[0]], sets[p[1]]))
    import numpy as np

    # A big week keeps each text's shingles as a sorted array of 32-bit values: 1.6 KB for 400
    # shingles where a Python set takes about 40 KB (10,000 articles: 16 MB instead of 370 MB).
    arrays: dict[int, Any] = {}

    def array(i: int) -> Any:
        if i not in arrays:
            found = shingles(texts[i])
            arrays[i] = np.sort(np.fromiter(found, dtype=np.uint32, count=len(found)))
        return arrays[i]

    cache = MinHashCache(cache_dir, PERMUTATIONS, texts)
    signatures, filled = _cached_signatures(cache, array)
    pairs = sorted(_band_pairs(signatures, filled))
    found = []
    for i, j in pairs:
        same = cache.verdict(i, j)
        if same is None:
            common = len(np.intersect1d(array(i), array(j), assume_unique=True))
            same = _same_story(common, len(array(i)), len(array(j)))
            cache.judge(i, j, same)
        if same:
            found.append((i, j))
    cache.save(pairs)
    return found


def _cached_signatures(cache: MinHashCache, array: Callable[[int], Any]) -> tuple[Any, Any]:
    """Signature columns of the texts with words, and their indexes; computed where missing."""
    import numpy as np

    count = len(cache.keys)
    new = [i for i in range(count) if not cache.known(i) and len(array(i))]
    for i, column in zip(new, _signatures([array(i) for i in new], *_permutations()).T,
                         strict=True):
        cache.remember(i, column)
    for i in range(count):
        if not cache.known(i):
            cache.remember(i, None)  # a text of no words is never a candidate
    filled = [i for i in range(count) if cache.column(i) is not None]
    if not filled:
        return np.zeros((PERMUTATIONS, 0), dtype=np.uint64), np.array([], dtype=np.int64)
    return np.stack([cache.column(i) for i in filled], axis=1), np.array(filled, dtype=np.int64)


def duplicate_groups(articles: Sequence[Article], cache_dir: Path | None = None) -> list[list[int]]:
    """Indexes of articles grouped by story, each group in order, groups by first member."""
    parent = list(range(len(articles)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def join(i: int, j: int) -> None:
        parent[max(root(i), root(j))] = min(root(i), root(j))

    by_url: dict[str, int] = {}
    for index, article in enumerate(articles):
        if article.url:
            first = by_url.setdefault(canonical_url(article.url), index)
            if not _updates_of_one_page(articles[first], article):
                join(index, first)
    for i, j in same_story_pairs([a.text for a in articles], cache_dir):
        if not _alike_but_distinct(articles[i], articles[j]):
            join(i, j)
    groups: dict[int, list[int]] = {}
    for index in range(len(articles)):
        groups.setdefault(root(index), []).append(index)
    return sorted(groups.values(), key=lambda g: g[0])


def _updates_of_one_page(a: Article, b: Article) -> bool:
    """Two entries of one source under other headlines that link to the same page (a status
    page's updates, a live blog's posts): the feed itself says they are distinct."""
    return a is not b and a.source == b.source and _title(a) != _title(b)


def _alike_but_distinct(a: Article, b: Article) -> bool:
    """Texts alike, stories not: two entries of one source that link to different pages (two
    release notes from one template), or short texts under different headlines ("Some text.",
    a shared teaser line)."""
    if a.source == b.source and a.url and b.url and canonical_url(a.url) != canonical_url(b.url):
        return True
    short = min(len(a.text.split()), len(b.text.split())) < MIN_CONTAINED + SHINGLE_WORDS
    return short and _title(a) != _title(b)


def _title(article: Article) -> str:
    return " ".join(article.title.casefold().split())


def _richness(article: Article) -> tuple[int, int, int]:
    filled = sum(1 for name in _FILLED if getattr(article, name))
    return (_ROLE_RANK.get(article.role, 0), filled, len(article.text))


def merge_group(group: Sequence[Article]) -> Article:
    """One article for a story: the richest copy, its gaps filled from the others."""
    best = max(group, key=_richness)  # max keeps the first of equals
    others = [a for a in group if a is not best]
    updates: dict[str, Any] = {}
    for name in (*_FILLED, "title"):
        if not getattr(best, name):
            found = next((getattr(a, name) for a in others if getattr(a, name)), None)
            if found:
                updates[name] = found
    role = max((a.role for a in group), key=lambda r: _ROLE_RANK.get(r, 0))
    # Readers see a source by its display title (sources[].title, else the feed's own).
    sources = [s for a in group for s in (a.source_title or a.source, *a.also_in)]
    own = best.source_title or best.source
    also = tuple(dict.fromkeys(s for s in sources if s != own))
    copies = tuple(dict.fromkeys(
        c for a in others for c in ((a.source, a.uid), *a.copies)
    )) + tuple(c for c in best.copies)
    return replace(best, role=role, also_in=also, copies=tuple(dict.fromkeys(copies)), **updates)


def merge_duplicates(articles: Sequence[Article], cache_dir: Path | None = None) -> list[Article]:
    """The articles with every story once, where its first copy stood, listing `also_in`.

    `cache_dir` keeps a big week's MinHash signatures for the next run (see `same_story_pairs`).
    """
    groups = duplicate_groups(articles, cache_dir)
    return [merge_group([articles[i] for i in group]) for group in groups]
