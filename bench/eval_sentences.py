"""Compare the offline sentence splitters `nupunkt` and `pysbd` on real and tricky text.

Usage: python bench/eval_sentences.py [BBC.jsonl] [--limit N]

Figures printed for each splitter (and for digest's own, nupunkt with a few additions):
- tiled: share of BBC references (extractive: whole article sentences) that can be rebuilt exactly
  from the article's split sentences, in order;
- ref sentences: share of reference sentences (split by the same splitter) that are exactly a split
  sentence of the article;
- speed in sentences per second over all the articles;
- hand cases: abbreviations ("U.S.", "Mr.", "ca."), quotes and closing brackets, passed / total.
"""

from __future__ import annotations

import argparse
import json
import re
import time
from collections.abc import Callable
from pathlib import Path

DEFAULT_DATA = Path("/work/shared/eval/summarization/bbc_news_summary.jsonl")
SPACES = re.compile(r"\s+")

CASES: list[tuple[str, list[str]]] = [
    ("Mr. Smith flew to the U.S. on Monday. He came back.",
     ["Mr. Smith flew to the U.S. on Monday.", "He came back."]),
    ("The U.S. Army agreed. Others did not.", ["The U.S. Army agreed.", "Others did not."]),
    ("It was built ca. 1850 by hand. Nobody knows who.",
     ["It was built ca. 1850 by hand.", "Nobody knows who."]),
    ('He said: "We will win." Then he left.', ['He said: "We will win."', "Then he left."]),
    ("“We will win.” The crowd cheered.", ["“We will win.”", "The crowd cheered."]),
    ("Prices rose (by 3 per cent.) Shares fell.", ["Prices rose (by 3 per cent.)", "Shares fell."]),
    ("(The vote was close.) It passed.", ["(The vote was close.)", "It passed."]),
    ('"Is it over?" she asked. Nobody replied.', ['"Is it over?" she asked.', "Nobody replied."]),
    ("Dr. Jones met Mrs. Brown at 5 p.m. on Friday. They talked.",
     ["Dr. Jones met Mrs. Brown at 5 p.m. on Friday.", "They talked."]),
    ("Profits hit $1.5bn, up 3.2%. Sales fell.", ["Profits hit $1.5bn, up 3.2%.", "Sales fell."]),
    ("See e.g. the report by Smith et al. in 2004. It is long.",
     ["See e.g. the report by Smith et al. in 2004.", "It is long."]),
    ("He works for Acme Inc. in London. She does not.",
     ["He works for Acme Inc. in London.", "She does not."]),
    ("It ended in the U.S. Then it spread.", ["It ended in the U.S.", "Then it spread."]),
    ("Wow! That was fast. Really?", ["Wow!", "That was fast.", "Really?"]),
]  # fmt: skip


def nupunkt_splitter() -> Callable[[str], list[str]]:
    """nupunkt's default (English) model."""
    import nupunkt

    return lambda text: [s.strip() for s in nupunkt.sent_tokenize(text) if s.strip()]


def pysbd_splitter() -> Callable[[str], list[str]]:
    """pysbd's English rules, no cleaning."""
    import pysbd

    seg = pysbd.Segmenter(language="en", clean=False)
    return lambda text: [s.strip() for s in seg.segment(text) if s.strip()]


def digest_splitter() -> Callable[[str], list[str]]:
    """What digest uses: nupunkt plus a few abbreviations and lower-case continuations."""
    from digest.sentences import SentenceSplitter

    splitter = SentenceSplitter("english")
    return lambda text: list(splitter.to_sentences(text))


def split_text(split: Callable[[str], list[str]], text: str) -> list[str]:
    """Split paragraph by paragraph, with whitespace normalised."""
    out: list[str] = []
    for para in text.split("\n\n"):
        para = SPACES.sub(" ", para).strip()
        if para:
            out.extend(split(para))
    return out


def tiles(reference: str, sentences: list[str]) -> bool:
    """True if the reference is a concatenation of some of the sentences (spaces optional)."""
    ref = SPACES.sub(" ", reference).strip()
    reachable = {0}
    for pos in range(len(ref) + 1):
        if pos not in reachable:
            continue
        if pos == len(ref):
            return True
        start = pos + 1 if ref[pos] == " " else pos
        for sentence in sentences:
            if ref.startswith(sentence, start):
                reachable.add(start + len(sentence))
    return False


def measure(name: str, split: Callable[[str], list[str]], records: list[dict]) -> None:
    """Print the figures for one splitter."""
    tiled = found = total = count = 0
    seconds = 0.0
    for record in records:
        start = time.perf_counter()
        sentences = split_text(split, record["text"])
        seconds += time.perf_counter() - start
        count += len(sentences)
        tiled += tiles(record["reference"], sentences)
        known = set(sentences)
        ref_sentences = split_text(split, record["reference"])
        found += sum(s in known for s in ref_sentences)
        total += len(ref_sentences)
    passed = sum(split(text) == want for text, want in CASES)
    print(f"{name:8} tiled {100 * tiled / len(records):5.1f}%  ref sentences "
          f"{100 * found / max(total, 1):5.1f}%  {count / seconds:8.0f} sentences/s  "
          f"hand cases {passed}/{len(CASES)}")
    for text, want in CASES:
        got = split(text)
        if got != want:
            print(f"           missed: {got}")


def main() -> None:
    """Run both splitters on the same data and print their figures side by side."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", nargs="?", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--limit", type=int, default=None)
    args = parser.parse_args()
    with args.data.open(encoding="utf-8") as handle:
        records = [json.loads(line) for line in handle][: args.limit]
    print(f"{len(records)} articles from {args.data.name}")
    measure("nupunkt", nupunkt_splitter(), records)
    measure("pysbd", pysbd_splitter(), records)
    measure("digest", digest_splitter(), records)


if __name__ == "__main__":
    main()
