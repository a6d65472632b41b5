"""ROUGE F1 of every summary method, side by side, on four evaluation sets, on held-out halves.

Usage: python bench/eval_summaries.py [--data FOLDER] [--sets frank writers bbc xsum]
       [--half tune|test|all] [--methods default lead ...] [--limit N] [--weights FILE.json]

The sets, from the JSON Lines files in FOLDER (default ../shared/eval/summarization):
- frank: 250 CNN/DM test articles (FRANK), abstractive highlights; 3 sentences;
- writers: 109 CNN/DM articles with 1-4 summaries by freelance writers (ROUGE is the maximum
  over them); 3 sentences;
- bbc: the BBC News Summary articles, duplicates (same title and text) dropped; the references
  are sets of whole article sentences, so the summary has as many sentences as its reference;
- xsum: the same BBC articles with their first sentence removed; that sentence is the
  reference and the summary is one sentence (the XSum setting: the new opening is not a summary).

Halves: a record belongs to the tuning half when the first byte of the SHA-1 of its id is even,
else to the test half (`--half`, default test). `bench/tune_default.py` learns `default`'s
weights on the tuning half only. ROUGE-1/2/L F1 come from `rouge-score` with stemming. Besides
ROUGE, "title" is the share of summaries whose sentences share a content word (a stemmed word
that is not a stop word) with the title, for the sets that have titles (bbc, xsum): a teaser
should say what its headline promises. Last, a paired bootstrap (1,000 resamples) of `default`'s
ROUGE-1 against `lead` and against the best sumy method on each set gives a 95 % interval.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from digest.summarize.adaptive import Weights
from digest.summarize.methods import METHODS, SUMY_CLASSES, _pick, _stemmer, _stop_words
from digest.summarize.sentences import SentenceSplitter, is_prose

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared/eval/summarization"
KEYS = ("rouge1", "rouge2", "rougeL")
SETS = ("xsum", "frank", "writers", "bbc")
FILES = {"frank": "cnndm_test_frank.jsonl", "writers": "cnndm_writers_zhang2023.jsonl",
         "bbc": "bbc_news_summary.jsonl", "xsum": "bbc_news_summary.jsonl"}


@dataclass(frozen=True)
class Record:
    """One article to summarize: text, title, references and the summary's length."""

    id: str
    text: str
    title: str | None
    references: tuple[str, ...]
    count: int


def half_of(record_id: str) -> str:
    """'tune' or 'test', by the first byte of the SHA-1 of the id."""
    return "tune" if hashlib.sha1(record_id.encode()).digest()[0] % 2 == 0 else "test"


def load_set(name: str, data: Path, half: str = "test", limit: int | None = None) -> list[Record]:
    """The records of one set, without duplicates, in one half (or all of them)."""
    seen: set[tuple[str, str]] = set()
    records = []
    splitter = SentenceSplitter()
    with (data / FILES[name]).open(encoding="utf-8") as handle:
        for line in handle:
            raw = json.loads(line)
            key = (raw.get("title") or "", raw["text"])
            if key in seen:  # a duplicate counts once, in the half of its first copy
                continue
            seen.add(key)
            if half != "all" and half_of(raw["id"]) != half:
                continue
            record = _record(name, raw, splitter)
            if record is not None:
                records.append(record)
    return records[:limit]


def _record(name: str, raw: dict, splitter: SentenceSplitter) -> Record | None:
    references = tuple(raw.get("references") or [raw["reference"]])
    if name == "xsum":
        return _without_opening(raw, splitter)
    count = len(splitter.to_sentences(raw["reference"])) if name == "bbc" else 3
    return Record(raw["id"], raw["text"], raw.get("title"), references, count)


def _without_opening(raw: dict, splitter: SentenceSplitter) -> Record | None:
    """The article less its first prose sentence, which becomes the reference."""
    paragraphs = [list(p) for p in splitter.to_paragraphs(raw["text"])]
    for index, paragraph in enumerate(paragraphs):
        for position, sentence in enumerate(paragraph):
            if is_prose(sentence):
                rest = [*paragraphs[:index], paragraph[position + 1:], *paragraphs[index + 1:]]
                text = "\n\n".join(" ".join(p) for p in rest if p)
                return Record(raw["id"], text, raw.get("title"), (sentence,), 1)
    return None


def content_words(text: str) -> set[str]:
    """The stemmed English words of a text that are not stop words."""
    stem, stop = _stemmer("english"), _stop_words("english")
    return {stem(w.lower()) for w in SentenceSplitter().to_words(text) if w.lower() not in stop}


def score_record(record: Record, methods: list[str], weights: Weights) -> dict[str, list[float]]:
    """Per method: ROUGE-1/2/L F1 (maximum over the references) and title overlap (0/1)."""
    from rouge_score import rouge_scorer

    scorer = rouge_scorer.RougeScorer(list(KEYS), use_stemmer=True)
    title = content_words(record.title or "")
    out: dict[str, list[float]] = {}
    for method in methods:
        picked, _ = _pick(record.text, record.count, method, "english", record.title, weights)
        summary = " ".join(picked)
        scores = [scorer.score(ref, summary) for ref in record.references]
        rouge = [100 * max(s[k].fmeasure for s in scores) for k in KEYS]
        out[method] = [*rouge, float(bool(title & content_words(summary)))]
    return out


def bootstrap(ours: list[float], theirs: list[float], rounds: int = 1000) -> tuple[float, float]:
    """A 95 % interval of the mean paired difference, by resampling records (seeded)."""
    rng = random.Random(13)
    n = len(ours)
    diffs = [a - b for a, b in zip(ours, theirs, strict=True)]
    means = sorted(sum(diffs[rng.randrange(n)] for _ in range(n)) / n for _ in range(rounds))
    return means[int(0.025 * rounds)], means[int(0.975 * rounds) - 1]


def evaluate(name: str, records: list[Record], methods: list[str],
             weights: Weights) -> dict[str, list[float]]:
    """Mean ROUGE and title overlap of each method on one set; prints the set's line."""
    start = time.perf_counter()
    with ProcessPoolExecutor() as pool:
        results = list(pool.map(partial(score_record, methods=methods, weights=weights),
                                records, chunksize=8))
    means = {m: [sum(r[m][i] for r in results) / len(results) for i in range(4)]
             for m in methods}
    sumy = [m for m in methods if m in SUMY_CLASSES]
    line = f"{name}: {len(records)} articles, {time.perf_counter() - start:.0f} s"
    for rival in (["lead"] if "lead" in methods else []) + (
            [max(sumy, key=lambda m: means[m][0])] if sumy else []):
        if "default" in methods:
            low, high = bootstrap([r["default"][0] for r in results],
                                  [r[rival][0] for r in results])
            line += f"; default - {rival} R1: {means['default'][0] - means[rival][0]:+.2f} " \
                    f"[{low:+.2f}, {high:+.2f}]"
    print(line, flush=True)
    return means


def main() -> None:
    """Score every set and print one table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--sets", nargs="+", default=list(SETS), choices=SETS)
    parser.add_argument("--half", choices=["tune", "test", "all"], default="test")
    parser.add_argument("--methods", nargs="+", default=list(METHODS), choices=METHODS)
    parser.add_argument("--limit", type=int)
    parser.add_argument("--weights", type=Path, help="default's weights as JSON (tune_default)")
    args = parser.parse_args()
    weights = Weights()
    if args.weights:
        given = json.loads(args.weights.read_text())
        weights = Weights(**{k: tuple(v) if isinstance(v, list) else v for k, v in given.items()})
    methods = [m for m in ("default", "lead", *METHODS) if m in args.methods]
    methods = list(dict.fromkeys(methods))
    table = {}
    for name in args.sets:
        records = load_set(name, args.data, args.half, args.limit)
        table[name] = (len(records), evaluate(name, records, methods, weights))
    print("\n| method | " + " | ".join(
        f"{name} ({count}) R1 / R2 / RL" + (" / title" if name in ("bbc", "xsum") else "")
        for name, (count, _) in table.items()) + " |")
    print("| --- |" + " --- |" * len(table))
    for method in methods:
        cells = []
        for name, (_, means) in table.items():
            r1, r2, rl, title = means[method]
            cells.append(f"{r1:.1f} / {r2:.1f} / {rl:.1f}"
                         + (f" / {100 * title:.0f} %" if name in ("bbc", "xsum") else ""))
        print(f"| {method} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
