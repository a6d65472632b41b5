"""Speed of summarizing, and agreement of the numpy graph scorers with sumy's, in one run.

Usage: python bench/bench_summarize.py [--articles 1000] [--agreement 300] [--eval DIR]

Prints:
1. articles per second on the same articles for `default` and for sumy's LexRank as it comes
   (the baseline), both single-process, both with sentence splitting included;
2. when the process pool pays: seconds for N articles in-process and in the pool;
3. seconds against text length (10, 100, 1,000 sentences; ours also 5,000) for our LexRank and
   sumy's, with the growth exponent between the two largest sizes each ran;
4. how often our LexRank, TextRank and Reduction pick exactly the sentences sumy's pick.
"""

from __future__ import annotations

import argparse
import json
import math
import time
from collections.abc import Callable
from pathlib import Path

from digest.config import SummaryConfig
from digest.models import Article
from digest.summarize import graphrank
from digest.summarize import methods as summarize
from digest.summarize.sentences import SentenceSplitter

EVAL = Path(__file__).resolve().parents[2] / "shared/eval/summarization"
SETS = ("cnndm_test_frank.jsonl", "cnndm_writers_zhang2023.jsonl", "bbc_news_summary.jsonl")


def load_texts(folder: Path, limit: int) -> list[str]:
    """Article texts from the evaluation sets, the CNN/DM ones first, without duplicates."""
    texts: dict[str, None] = {}
    for name in SETS:
        with (folder / name).open(encoding="utf-8") as handle:
            for line in handle:
                texts.setdefault(json.loads(line)["text"], None)
    return list(texts)[:limit]


def timed(work: Callable[[], object]) -> float:
    """Seconds one call of `work` takes."""
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def throughput(texts: list[str]) -> None:
    """Articles per second, default against sumy's LexRank."""
    ours = timed(lambda: [summarize.summarize_text(t, 3) for t in texts])
    sumy = timed(lambda: [summarize.summarize_text(t, 3, method="lexrank") for t in texts])
    print(f"\n1. {len(texts)} articles, 3 sentences each, one process")
    print(f"   default        {len(texts) / ours:8.1f} articles/s ({ours:.1f} s)")
    print(f"   sumy LexRank   {len(texts) / sumy:8.1f} articles/s ({sumy:.1f} s)  [baseline]")


def pool_threshold(texts: list[str]) -> None:
    """Seconds for N articles in-process and in the pool."""
    print("\n2. process pool: seconds for N articles (default, no cache)")
    threshold = summarize.POOL_THRESHOLD
    articles = [Article(title="", text=t, source="bench", uid=str(i)) for i, t in
                enumerate(texts)]
    for n in (10, 25, 50, 100, 200, 400):
        if n > len(articles):
            break
        summarize.POOL_THRESHOLD = 10**9
        alone = timed(lambda n=n: summarize.summarize_articles(None, articles[:n], SummaryConfig()))
        summarize.POOL_THRESHOLD = 0
        pooled = timed(lambda n=n: summarize.summarize_articles(None, articles[:n],
                                                                SummaryConfig()))
        print(f"   N={n:4}  in-process {alone:6.2f} s  pool {pooled:6.2f} s")
    summarize.POOL_THRESHOLD = threshold


def long_document(texts: list[str], sentences: int) -> object:
    """A sumy document of the first `sentences` sentences of the articles, run together."""
    splitter = SentenceSplitter()
    pool: list[str] = []
    for text in texts:
        pool.extend(splitter.to_sentences(text))
        if len(pool) >= sentences:
            break
    return summarize._document([pool[:sentences]], splitter)


def scaling(texts: list[str]) -> None:
    """Seconds against length for our LexRank and sumy's."""
    print("\n3. LexRank seconds by document length (5 sentences picked)")
    ours_times: list[tuple[int, float]] = []
    sumy_times: list[tuple[int, float]] = []
    for size in (10, 100, 1000, 5000):
        document = long_document(texts, size)
        mine, theirs = _pair("lexrank")
        ours_times.append((size, timed(lambda d=document, m=mine: m(d, 5))))
        if size <= 1000:
            sumy_times.append((size, timed(lambda d=document, t=theirs: t(d, 5))))
        line = f"   {size:5} sentences  ours {ours_times[-1][1]:8.3f} s"
        if size <= 1000:
            line += f"  sumy {sumy_times[-1][1]:8.3f} s  [baseline]"
        print(line)
    print(f"   growth exponent 100→1000: ours {_exponent(ours_times[1:3]):.2f}, "
          f"sumy {_exponent(sumy_times[1:3]):.2f}; ours 1000→5000: "
          f"{_exponent(ours_times[2:4]):.2f} (scores the first {graphrank.MAX_SENTENCES})")


def _exponent(points: list[tuple[int, float]]) -> float:
    (n1, t1), (n2, t2) = points
    return math.log(t2 / t1) / math.log(n2 / n1)


def _pair(method: str) -> tuple[Callable, Callable]:
    ours = {"lexrank": graphrank.LexRank, "textrank": graphrank.TextRank,
            "reduction": graphrank.Reduction}[method](summarize._stemmer("english"))
    ours.stop_words = summarize._stop_words("english")
    theirs = summarize._sumy_summarizer(method, "english", None)
    return ours, theirs


def agreement(texts: list[str]) -> None:
    """How often our graph scorers pick exactly sumy's sentences."""
    splitter = SentenceSplitter()
    documents = [summarize._document([list(p) for p in splitter.to_paragraphs(t)], splitter)
                 for t in texts]
    print(f"\n4. same picks as sumy on {len(texts)} articles (3 sentences)")
    for method in ("lexrank", "textrank", "reduction"):
        ours, theirs = _pair(method)
        same = sum(ours(d, 3) == theirs(d, 3) for d in documents)
        print(f"   {method:9} {same}/{len(documents)} = {100 * same / len(documents):.1f} %")


def main() -> None:
    """Run every measurement and print it."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--agreement", type=int, default=300)
    parser.add_argument("--eval", type=Path, default=EVAL)
    args = parser.parse_args()
    texts = load_texts(args.eval, max(args.articles, args.agreement))
    throughput(texts[: args.articles])
    pool_threshold(texts)
    scaling(texts)
    agreement(texts[: args.agreement])


if __name__ == "__main__":
    main()
