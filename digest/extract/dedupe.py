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

from collections.abc import Sequence
from dataclasses import replace
from itertools import combinations
from pathlib import Path
from typing import Any

from digest.models import Article
from digest.sources.urls import canonical_url
from digest.store.minhashcache import MinHashCache

JACCARD = 0.5
CONTAINMENT = 0.8
MIN_CONTAINED = 20  # a shorter text needs this many shingles before containment counts
PAIRWISE_LIMIT = 300  # up to this many articles, compare every pair exactly
SHINGLE_WORDS = 5  # as `digest.extract.minhash.SHINGLE_WORDS`, without importing numpy here
_ROLE_RANK = {"lead": 2, "teaser": 1, "item": 0}
_FILLED = ("dek", "section", "kind", "authors", "published", "url", "image", "language")


def shingles(text: str) -> frozenset[int]:
    """The hashed runs of 5 words of a text (lowercased); a short text is one shingle."""
    from digest.extract import minhash

    return frozenset(minhash.shingled([text]).values.tolist())


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

    from digest.extract import minhash

    values = np.fromiter((v for s in sets for v in s), dtype=np.uint32)
    starts = np.cumsum([0, *map(len, sets)])
    filled = np.array([i for i, s in enumerate(sets) if s], dtype=np.int64)
    columns = minhash.signatures(minhash.Shingled(values, starts), filled)
    return {(i, j) for i, j in minhash.band_pairs(columns, filled).tolist()}


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
    (`digest.store.minhashcache`), and only texts without one, and the texts of candidate pairs
    not checked before, are cut into shingles.
    """
    if len(texts) <= PAIRWISE_LIMIT:
        from digest.extract import minhash

        cut = minhash.shingled(texts)
        sets = [frozenset(cut.values[cut.starts[i] : cut.starts[i + 1]].tolist())
                for i in range(len(texts))]
        return sorted(p for p in sharing_pairs(sets) if similar(sets[p[0]], sets[p[1]]))
    return _minhash_pairs(texts, cache_dir)


def _minhash_pairs(texts: Sequence[str], cache_dir: Path | None) -> list[tuple[int, int]]:
    """`same_story_pairs` of a big week: MinHash band collisions, then the exact check of each
    candidate pair not judged before."""
    from digest.extract import minhash

    cache = MinHashCache(cache_dir, minhash.PERMUTATIONS, texts)
    distinct = _signed(cache, texts)
    columns, filled = _columns(cache)
    pairs = [(i, j) for i, j in minhash.band_pairs(columns, filled).tolist()]
    pending = [(i, j) for i, j in pairs if cache.verdict(i, j) is None]
    distinct.cut(sorted({k for pair in pending for k in pair}))
    found = []
    for i, j in pairs:
        same = cache.verdict(i, j)
        if same is None:
            a, b = distinct[i], distinct[j]
            same = _same_story(_common(a, b), len(a), len(b))
            cache.judge(i, j, same)
        if same:
            found.append((i, j))
    cache.save(pairs)
    return found


class _Distinct:
    """Each text's distinct shingles (sorted 32-bit values) by index, cut in batches: 1.6 KB
    for 400 shingles where a Python set takes about 40 KB."""

    def __init__(self, texts: Sequence[str]) -> None:
        self.texts = texts
        self.batches: dict[int, tuple[Any, int]] = {}  # index: (its batch, place in it)
        self.sorted: dict[int, Any] = {}

    def cut(self, indexes: Sequence[int]) -> Any:
        """Cut the texts `indexes` not cut yet; their shingles."""
        from digest.extract import minhash

        new = [i for i in indexes if i not in self.batches]
        batch = minhash.shingled([self.texts[i] for i in new])
        self.batches.update((i, (batch, place)) for place, i in enumerate(new))
        return batch

    def __getitem__(self, index: int) -> Any:
        if index not in self.sorted:
            batch, place = self.batches[index]
            self.sorted[index] = batch.of(place)
        return self.sorted[index]


def _signed(cache: MinHashCache, texts: Sequence[str]) -> _Distinct:
    """Give every text without a signature in `cache` one (None for a text of no words);
    the texts cut for it."""
    import numpy as np

    from digest.extract import minhash

    distinct = _Distinct(texts)
    new = [i for i in range(len(texts)) if not cache.known(i)]
    batch = distinct.cut(new)
    worded = np.flatnonzero(np.diff(batch.starts))
    for place, column in zip(worded.tolist(), minhash.signatures(batch, worded).T, strict=True):
        cache.remember(new[place], column)
    for i in new:
        if not cache.known(i):
            cache.remember(i, None)  # a text of no words is never a candidate
    return distinct


def _columns(cache: MinHashCache) -> tuple[Any, Any]:
    """The signature columns of the texts with words, and their indexes."""
    import numpy as np

    from digest.extract import minhash

    filled = [i for i in range(len(cache.keys)) if cache.column(i) is not None]
    if not filled:
        return np.zeros((minhash.PERMUTATIONS, 0), dtype=np.uint64), np.zeros(0, dtype=np.int64)
    return np.stack([cache.column(i) for i in filled], axis=1), np.array(filled, dtype=np.int64)


def _common(a: Any, b: Any) -> int:
    """How many values two sorted arrays of distinct values share."""
    import numpy as np

    return len(np.intersect1d(a, b, assume_unique=True))


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
    if len(group) == 1 and _whole(group[0]):
        return group[0]  # most stories of a week have one copy: nothing to merge
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


def _whole(article: Article) -> bool:
    """Whether an article is what `merge_group` makes of it alone: `also_in` without its own
    source and without repeats, `copies` without repeats."""
    also, copies = article.also_in, article.copies
    own = article.source_title or article.source
    return own not in also and len(set(also)) == len(also) and len(set(copies)) == len(copies)


def merge_duplicates(articles: Sequence[Article], cache_dir: Path | None = None) -> list[Article]:
    """The articles with every story once, where its first copy stood, listing `also_in`.

    `cache_dir` keeps a big week's MinHash signatures for the next run (see `same_story_pairs`).
    """
    groups = duplicate_groups(articles, cache_dir)
    return [merge_group([articles[i] for i in group]) for group in groups]
