"""Sentence-boundary F1 and speed of digest's splitter beside nupunkt, pysbd and sentencex.

Usage: python bench/eval_sentences.py [FOLDER] [--runs N] [--splitters digest nupunkt ...]

FOLDER holds one `<iso>.jsonl` file per language, each line a paragraph with its gold
`sentences` and their joined `text` (default: ../shared/eval/sentences, Universal
Dependencies test text; see its README). For each language and splitter it prints:
- boundary F1 (micro over the paragraphs): a boundary is the offset just after a sentence's last
  character, the paragraph's end left out; offsets are counted in non-space characters, so it
  does not matter whether a splitter keeps the spaces between sentences;
- the exact-paragraph rate (predicted boundaries equal the gold ones);
- gold sentences per second for one pass over the file, timed in a fresh process after a
  warm-up call on unrelated text (nupunkt caches paragraphs, so each is split once per process),
  the median of `--runs` processes;
- the first splitter's F1 on the odd paragraphs alone (digest's rules were written looking at the
  even ones). All splitters run in the same invocation, one after the
  other, so their speeds compare even on a busy machine.

nupunkt runs its (English) default model for every language; pysbd and sentencex get the
language's code (pysbd falls back to English where it has no rules); digest is
`digest.split_sentences(text, language=code)`.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared/eval/sentences"
SPLITTERS = ("digest", "nupunkt", "pysbd", "sentencex")
WARM_UP = "A warm-up sentence. Another one follows here."
PYSBD_LANGUAGES = {"en", "de", "fr", "es", "it", "nl", "pl", "el", "ja", "zh", "ru", "ar", "da",
                   "hy", "am", "bg", "fa", "hi", "kk", "mr", "my", "sk", "ur"}


def make_splitter(name: str, language: str) -> Callable[[str], list[str]]:
    """A function splitting one paragraph with the named splitter for an ISO language code."""
    if name == "digest":
        from digest import split_sentences

        return lambda text: split_sentences(text, language=language)
    if name == "nupunkt":
        import nupunkt

        return lambda text: [str(s) for s in nupunkt.sent_tokenize(text)]
    if name == "pysbd":
        import pysbd

        code = language if language in PYSBD_LANGUAGES else "en"
        segmenter = pysbd.Segmenter(language=code, clean=False)
        return lambda text: [str(s) for s in segmenter.segment(text)]
    if name == "sentencex":
        from sentencex import segment

        return lambda text: list(segment(language, text))
    raise ValueError(name)


def boundaries(pieces: list[str]) -> set[int]:
    """Sentence ends as counts of non-space characters, the last one left out."""
    ends: set[int] = set()
    count = 0
    for piece in pieces:
        size = sum(not c.isspace() for c in piece)
        if size:
            count += size
            ends.add(count)
    ends.discard(count)
    return ends


def score(records: list[dict], predicted: list[list[str]]) -> dict[str, float]:
    """Micro precision, recall and F1 of the boundaries, and the exact-paragraph rate."""
    tp = fp = fn = exact = 0
    for record, pieces in zip(records, predicted, strict=True):
        gold = boundaries(record["sentences"])
        got = boundaries(pieces)
        if sum(not c.isspace() for c in "".join(pieces)) != sum(
                not c.isspace() for c in record["text"]):
            raise ValueError(f"{record['id']}: the splitter changed the text")
        tp += len(gold & got)
        fp += len(got - gold)
        fn += len(gold - got)
        exact += gold == got
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"p": precision, "r": recall, "f1": f1, "exact": exact / len(records)}


def run_one(name: str, folder: Path) -> dict[str, dict[str, float]]:
    """Every language's figures for one splitter, in this (fresh) process."""
    out = {}
    for path in sorted(folder.glob("*.jsonl")):
        language = path.stem
        records = [json.loads(line) for line in path.open(encoding="utf-8")]
        split = make_splitter(name, language)
        split(WARM_UP)
        start = time.perf_counter()
        predicted = [split(record["text"]) for record in records]
        seconds = time.perf_counter() - start
        figures = score(records, predicted)
        # The rules were written looking at the even paragraphs only: the odd ones are unseen.
        figures["f1_odd"] = score(records[1::2], predicted[1::2])["f1"]
        figures["speed"] = sum(len(r["sentences"]) for r in records) / seconds
        out[language] = figures
    return out


def main() -> None:
    """Run each splitter in fresh processes and print one table per figure."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--splitters", nargs="+", default=list(SPLITTERS), choices=SPLITTERS)
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(run_one(args.worker, args.folder)))
        return
    results: dict[str, list[dict]] = {name: [] for name in args.splitters}
    for _ in range(args.runs):
        for name in args.splitters:
            done = subprocess.run([sys.executable, __file__, str(args.folder), "--worker", name],
                                  capture_output=True, text=True, check=True)
            results[name].append(json.loads(done.stdout))
    languages = sorted(results[args.splitters[0]][0])
    print(f"| language | {' | '.join(args.splitters)} |")
    print("| --- |" + " --- |" * len(args.splitters))
    for language in languages:
        cells = []
        for name in args.splitters:
            first = results[name][0][language]
            speed = statistics.median(run[language]["speed"] for run in results[name])
            rate = f"{speed / 1000:,.0f}k" if speed >= 10_000 else f"{speed / 1000:.1f}k"
            cells.append(f"F1 {first['f1']:.3f}, {rate}/s")
        print(f"| {language} | " + " | ".join(cells) + " |")
    print("\nF1 on the odd paragraphs alone (" + ", ".join(
        f"{lang} {results[args.splitters[0]][0][lang]['f1_odd']:.3f}" for lang in languages)
          + f"; {args.splitters[0]})")
    print("\nexact paragraphs (share), precision / recall:")
    for language in languages:
        row = [f"{name} {results[name][0][language]['exact']:.2f} "
               f"({results[name][0][language]['p']:.2f}/{results[name][0][language]['r']:.2f})"
               for name in args.splitters]
        print(f"  {language}: " + ", ".join(row))


if __name__ == "__main__":
    main()
