"""Main-text extraction quality: digest's extractor against plain trafilatura, side by side.

Scores precision, recall and F1 over 4-token shingles of the body text (lowercased, split on
anything that is not a word character), per page, averaged over the pages of each set, the way
the article-extraction-benchmark scores extractors. Reads the evaluation sets from
``shared/eval/extraction/<set>/`` (``html/<id>.html.gz`` and ``ground_truth.jsonl``).

    python bench/eval_extraction.py [--eval-dir DIR] [--workers 2] [--limit N] [--json]
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

SETS = ("scrapinghub_aeb", "readability_testpages")
EXTRACTORS = ("digest", "trafilatura-defaults")
DEFAULT_EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval" / "extraction"
_TOKEN = re.compile(r"\w+")


def shingles(text: str, size: int = 4) -> Counter[tuple[str, ...]]:
    """The multiset of `size`-token shingles of a text (a shorter text is one shingle)."""
    tokens = _TOKEN.findall((text or "").lower())
    count = max(1, len(tokens) - size + 1)
    return Counter(tuple(tokens[i:i + size]) for i in range(count) if tokens[i:i + size])


def score(gold: str, predicted: str) -> tuple[float, float, float]:
    """Precision, recall and F1 of predicted text against the gold text."""
    truth, guess = shingles(gold), shingles(predicted)
    hits = sum((truth & guess).values())
    precision = hits / sum(guess.values()) if guess else float(not truth)
    recall = hits / sum(truth.values()) if truth else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def extract(name: str, html: str) -> str:
    """The body text one extractor finds in a page."""
    if name == "digest":
        from digest.extract.htmltext import main_text

        return main_text(html)
    import trafilatura

    return trafilatura.extract(html) or ""


def score_page(job: tuple[str, str, str, str]) -> dict[str, Any]:
    """Score every extractor on one page; runs in a worker process."""
    from trafilatura.utils import decode_file

    set_name, page_id, gold, path = job
    html = decode_file(gzip.decompress(Path(path).read_bytes()))
    row: dict[str, Any] = {"set": set_name, "id": page_id}
    for name in EXTRACTORS:
        started = time.perf_counter()
        text = extract(name, html)
        row[name] = (*score(gold, text), time.perf_counter() - started)
    return row


def jobs(eval_dir: Path, limit: int | None) -> list[tuple[str, str, str, str]]:
    """(set, id, gold body, html path) for every page of both sets."""
    found = []
    for set_name in SETS:
        lines = (eval_dir / set_name / "ground_truth.jsonl").read_text("utf-8").splitlines()
        for line in lines[:limit]:
            record = json.loads(line)
            html = eval_dir / set_name / "html" / f"{record['id']}.html.gz"
            found.append((set_name, record["id"], record["body"] or "", str(html)))
    return found


def summarize(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Average precision, recall, F1 and seconds per page, for each set and extractor."""
    table = []
    for set_name in SETS:
        mine = [r for r in rows if r["set"] == set_name]
        for name in EXTRACTORS:
            values = [r[name] for r in mine]
            means = [sum(v[i] for v in values) / len(values) for i in range(4)]
            table.append({"set": set_name, "extractor": name, "pages": len(values),
                          "precision": round(means[0], 3), "recall": round(means[1], 3),
                          "f1": round(means[2], 3), "ms_per_page": round(1000 * means[3], 1)})
    return table


def print_table(table: list[dict[str, Any]], seconds: float) -> None:
    """The results as an aligned text table."""
    print(f"{'set':<24}{'extractor':<22}{'pages':>6}{'precision':>11}{'recall':>8}"
          f"{'F1':>7}{'ms/page':>9}")
    for row in table:
        print(f"{row['set']:<24}{row['extractor']:<22}{row['pages']:>6}{row['precision']:>11.3f}"
              f"{row['recall']:>8.3f}{row['f1']:>7.3f}{row['ms_per_page']:>9.1f}")
    print(f"total {seconds:.1f} s wall time")


def main() -> None:
    """Run both extractors over both sets and print the table (or JSON)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eval-dir", type=Path, default=DEFAULT_EVAL)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--limit", type=int, help="only the first N pages of each set")
    parser.add_argument("--json", action="store_true", help="print the table as JSON")
    args = parser.parse_args()
    if not args.eval_dir.is_dir():
        sys.exit(f"eval_extraction: {args.eval_dir} is not a folder; pass --eval-dir")
    started = time.perf_counter()
    with ProcessPoolExecutor(args.workers) as pool:
        rows = list(pool.map(score_page, jobs(args.eval_dir, args.limit), chunksize=4))
    table = summarize(rows)
    if args.json:
        print(json.dumps({"results": table, "seconds": round(time.perf_counter() - started, 1)},
                         indent=2))
    else:
        print_table(table, time.perf_counter() - started)


if __name__ == "__main__":
    main()
