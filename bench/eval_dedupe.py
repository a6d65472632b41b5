"""Measures near-duplicate merging on the BBC News Summary set and prints the figures.

The set holds 98 records with the same title and text as an earlier record: those pairs must
merge, and distinct articles must not. A second check appends another article's opening
paragraph to 200 articles (a scraped copy with extra text around it): each must merge with its
clean original. The baseline, measured in the same run, compares every pair exactly.

    python bench/eval_dedupe.py [--data PATH] [--no-baseline]
"""

from __future__ import annotations

import argparse
import json
import time
from collections import defaultdict
from itertools import combinations
from pathlib import Path

from digest.extract import dedupe
from digest.models import Article

DATA = Path(__file__).resolve().parents[2] / "shared/eval/summarization/bbc_news_summary.jsonl"


def load(path: Path) -> list[Article]:
    """The records as Articles, in file order."""
    with path.open(encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    return [
        Article(title=r["title"] or "", text=r["text"], source="bbc", uid=r["id"]) for r in rows
    ]


def expected_pairs(articles: list[Article]) -> set[tuple[int, int]]:
    """Pairs of records with the same title and text."""
    same: dict[tuple[str, str], list[int]] = defaultdict(list)
    for index, article in enumerate(articles):
        same[(article.title, article.text)].append(index)
    return {pair for group in same.values() for pair in combinations(group, 2)}


def merged_pairs(groups: list[list[int]]) -> set[tuple[int, int]]:
    """Every pair of indexes that ended in one group."""
    return {pair for group in groups for pair in combinations(group, 2)}


def exact_pairs(articles: list[Article]) -> set[tuple[int, int]]:
    """Baseline: the similarity test on every pair, without MinHash."""
    sets = [dedupe.shingles(a.text) for a in articles]
    return {
        (i, j)
        for i, j in combinations(range(len(sets)), 2)
        if dedupe.similar(sets[i], sets[j])
    }


def scraped_copies(articles: list[Article], count: int = 200) -> list[Article]:
    """Copies of the first distinct articles with another article's opening appended."""
    distinct = list({a.text: a for a in articles}.values())[: count + 1]
    return [
        Article(title=a.title, text=a.text + "\n\n" + distinct[i + 1].paragraphs[0],
                source="scraped", uid=a.uid + "-scraped")
        for i, a in enumerate(distinct[:count])
    ]


def scores(a: Article, b: Article) -> tuple[float, float]:
    """Jaccard and containment of two articles' shingle sets."""
    x, y = dedupe.shingles(a.text), dedupe.shingles(b.text)
    common = len(x & y)
    return common / len(x | y), common / min(len(x), len(y))


def kind_of(a: Article, b: Article) -> str:
    """How a merged pair that is not a known duplicate relates."""
    if a.text == b.text:
        return "same text, other headline"
    if a.title == b.title:
        return "same headline, edited text"
    return "other headline, rewritten text"


def report_run(articles: list[Article]) -> None:
    """Print merged, missed and other merged pairs, the closest pair kept apart, and the time."""
    want = expected_pairs(articles)
    start = time.perf_counter()
    groups = dedupe.duplicate_groups(articles)
    took = time.perf_counter() - start
    got = merged_pairs(groups)
    print(f"articles: {len(articles)}, known duplicate pairs: {len(want)}")
    print(f"merge (MinHash candidates, JACCARD={dedupe.JACCARD}, "
          f"CONTAINMENT={dedupe.CONTAINMENT}): merged {len(got & want)}/{len(want)}, "
          f"missed {len(want - got)}, other pairs merged {len(got - want)}, {took:.2f} s")
    kinds: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for i, j in sorted(got - want):
        kinds[kind_of(articles[i], articles[j])].append((i, j))
    for kind, pairs in sorted(kinds.items()):
        print(f"  {kind}: {len(pairs)}")
        if kind.startswith("other"):
            for i, j in pairs:
                jac, con = scores(articles[i], articles[j])
                print(f"    J={jac:.2f} C={con:.2f} {articles[i].title!r} ~ {articles[j].title!r}")
    closest_apart(articles, got | want)


def closest_apart(articles: list[Article], merged: set[tuple[int, int]]) -> None:
    """Print the most similar pair with different headlines that was kept apart."""
    sets = [dedupe.shingles(a.text) for a in articles]
    best: tuple[float, float, int, int] = (0.0, 0.0, 0, 0)
    for i, j in dedupe.candidate_pairs(sets):
        if (min(i, j), max(i, j)) in merged or articles[i].title == articles[j].title:
            continue
        jac, con = scores(articles[i], articles[j])
        best = max(best, (jac, con, i, j))
    jac, con, i, j = best
    print(f"  closest pair kept apart (other headline): J={jac:.2f} C={con:.2f} "
          f"{articles[i].title!r} ~ {articles[j].title!r}")


def report_scraped(articles: list[Article]) -> None:
    """Print how many clean/scraped pairs merge."""
    copies = scraped_copies(articles)
    originals = {c.uid.removesuffix("-scraped") for c in copies}
    mixed = [a for a in articles if a.uid in originals] + copies
    groups = dedupe.duplicate_groups(mixed)
    pairs = sum(
        1 for g in groups for i, j in combinations(g, 2)
        if mixed[j].uid == mixed[i].uid + "-scraped"
    )
    print(f"scraped copies (article + another's opening paragraph): merged {pairs}/{len(copies)}")


def main() -> None:
    """Run the measurements."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--no-baseline", action="store_true")
    args = parser.parse_args()
    articles = load(args.data)
    report_run(articles)
    report_scraped(articles)
    if not args.no_baseline:
        compare_baseline(articles)


def compare_baseline(articles: list[Article]) -> None:
    """Time MinHash candidates against checking every pair, and compare what they merge."""
    start = time.perf_counter()
    exact = exact_pairs(articles)
    exact_took = time.perf_counter() - start
    start = time.perf_counter()
    fast = merged_pairs(dedupe.duplicate_groups(articles))
    fast_took = time.perf_counter() - start
    print(f"baseline, every pair checked exactly: {len(exact)} similar pairs, {exact_took:.2f} s; "
          f"MinHash: {len(fast)} merged pairs, {fast_took:.2f} s; "
          f"similar pairs MinHash missed: {len(exact - fast)}")


if __name__ == "__main__":
    main()
