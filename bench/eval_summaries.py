"""ROUGE F1 of every summary method, side by side, on evaluation sets in JSON Lines.

Usage: python bench/eval_summaries.py DATASET.jsonl... [--methods default lead ...] [--limit N]
       [--weights position=1.0,decay=3] [--half tune|test]

Each record needs `text` and `reference` (and may have `title` and `references`, a list scored
by the maximum over its items). Summaries have 3 sentences, except for sets whose name starts
with "bbc": their references are extractive, so the summary gets as many sentences as the
reference has. ROUGE-1/2/L F1 come from `rouge-score` with stemming. Duplicate records (same
title and text) are dropped. `--half` keeps every other record (tune: even, test: odd).
"""

from __future__ import annotations

import argparse
import json
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from functools import partial
from pathlib import Path

from digest.summarize.graphrank import Weights
from digest.summarize.methods import METHODS, _pick
from digest.summarize.sentences import SentenceSplitter

KEYS = ("rouge1", "rouge2", "rougeL")


def load(path: Path, limit: int | None, half: str | None) -> list[dict]:
    """The records of a set, without duplicates, optionally one half of them."""
    seen: set[tuple[str, str]] = set()
    records = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            key = (record.get("title") or "", record["text"])
            if key not in seen:
                seen.add(key)
                records.append(record)
    if half:
        records = records[0 if half == "tune" else 1 :: 2]
    return records[:limit]


def score_record(record: dict, methods: list[str], per_reference: bool,
                 weights: Weights) -> dict[str, list[float]]:
    """ROUGE F1 (max over references) of each method's summary of one record."""
    from rouge_score import rouge_scorer

    scorer = rouge_scorer.RougeScorer(list(KEYS), use_stemmer=True)
    references = record.get("references") or [record["reference"]]
    count = len(SentenceSplitter().to_sentences(record["reference"])) if per_reference else 3
    out: dict[str, list[float]] = {}
    for method in methods:
        picked, _ = _pick(record["text"], count, method, "english", record.get("title"), weights)
        summary = " ".join(picked)
        scores = [scorer.score(ref, summary) for ref in references]
        out[method] = [100 * max(s[k].fmeasure for s in scores) for k in KEYS]
    return out


def evaluate(path: Path, methods: list[str], args: argparse.Namespace, weights: Weights) -> None:
    """Score one set and print its table."""
    records = load(path, args.limit, args.half)
    per_reference = path.name.startswith("bbc")
    start = time.perf_counter()
    work = partial(score_record, methods=methods, per_reference=per_reference, weights=weights)
    with ProcessPoolExecutor() as pool:
        results = list(pool.map(work, records, chunksize=8))
    seconds = time.perf_counter() - start
    print(f"\n{path.name}: {len(records)} articles, "
          f"{'reference sentence count' if per_reference else '3 sentences'}, {seconds:.0f} s")
    print(f"| method | {' | '.join(k.replace('rouge', 'R') for k in KEYS)} |")
    print("| --- | --- | --- | --- |")
    for method in methods:
        means = [sum(r[method][i] for r in results) / len(results) for i in range(len(KEYS))]
        print(f"| {method} | " + " | ".join(f"{m:.1f}" for m in means) + " |")


def parse_weights(text: str | None) -> Weights:
    """Weights for `default` from "name=value,name=value"."""
    if not text:
        return Weights()
    pairs = (item.split("=") for item in text.split(","))
    return replace(Weights(), **{name: float(value) for name, value in pairs})


def main() -> None:
    """Parse the arguments and score every set."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("datasets", nargs="+", type=Path)
    parser.add_argument("--methods", nargs="+", default=list(METHODS), choices=METHODS)
    parser.add_argument("--limit", type=int)
    parser.add_argument("--half", choices=["tune", "test"])
    parser.add_argument("--weights", help="override default's weights: name=value,...")
    args = parser.parse_args()
    weights = parse_weights(args.weights)
    methods = ["default", "lead", *[m for m in args.methods if m not in ("default", "lead")]]
    methods = [m for m in methods if m in args.methods]
    print(f"default weights: {weights}")
    for path in args.datasets:
        evaluate(path, methods, args, weights)


if __name__ == "__main__":
    main()
