"""Speed and memory of digest at every size, each figure beside a baseline measured in this run.

    python bench/run.py [--quick] [--end-to-end] [--data ../shared/eval/summarization]

One table, one row a figure:
  * summarizing real articles (the `text` of the evaluation sets): articles/s of `default`
    against sumy's LexRank as it comes (sumy's stemmer and stop words, this project's offline
    sentence splitter, since sumy's own needs NLTK data);
  * one document of 10 to 5,000 sentences: seconds of `graphrank` LexRank against sumy's
    LexRankSummarizer on the same sumy document, whether both pick the same sentences, and the
    growth exponent (the log-log slope between the smallest and largest size both ran);
  * `digest render` end to end over a folder of 100 to 10,000 articles written as .txt files:
    wall seconds cold (empty summary cache) and warm (the same week again), documents/s, and the
    peak memory of all its processes together (the main one and its pool workers: their
    proportional set size, sampled from /proc every 50 ms) against the size of the text read;
  * rendering a 30-story issue (Jinja2 + MJML) against the straightforward layout of
    bench/bench_render.py;
  * cold start of `digest --help` and of `digest render` on the seeds, against `python -c pass`;
  * where users wait (bench/waits.py): `lexrank`, `textrank` and `reduction` against sumy's own,
    a cold week against reading and sentence-splitting it, HTML extraction against trafilatura
    alone, 300 feeds against fetching one by one, 10,000 readers against one SMTP connection.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import waits  # bench/ itself is on the path: run.py is run as a script
from waits import read_and_split

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(ROOT / "bench")]
DATA = Path(__file__).resolve().parents[2] / "shared/eval/summarization"
EXTRACTION = Path(__file__).resolve().parents[2] / "shared/eval/extraction"
SETS = ("bbc_news_summary.jsonl", "cnndm_test_frank.jsonl", "cnndm_writers_zhang2023.jsonl")
ROWS: list[tuple[str, str, str, str, str]] = []
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'‘“])")


def row(measure: str, ours: float | str, base: float | str, goal: str = "",
        kind: str = "time", unit: str = "") -> None:
    """Add a table row. `kind` says how to read the ratio: "time" (lower is better, the ratio
    is how many times faster digest is), "rate" (higher is better) or "size" (digest's figure
    as a multiple of the baseline's)."""
    ratio = ""
    if isinstance(ours, float) and isinstance(base, float) and ours > 0 and base > 0:
        times = {"time": base / ours, "rate": ours / base, "size": ours / base}[kind]
        if kind == "size":
            ratio = f"{times:,.1f}×"
        else:
            ratio = f"{times:,.1f}× faster" if times >= 1 else f"{1 / times:,.1f}× slower"
    ROWS.append((measure, _fmt(ours, unit), _fmt(base, unit), ratio, goal))
    print(f"  {measure}: {_fmt(ours, unit)} vs {_fmt(base, unit)} {ratio} {goal}", flush=True)


def _fmt(value: float | str, unit: str) -> str:
    if isinstance(value, str):
        return value
    digits = 3 if value < 1 else 2 if value < 10 else 1 if value < 100 else 0
    return f"{value:,.{digits}f}{unit}"


def load_records(folder: Path) -> list[dict]:
    """Every evaluation article with its title, once (the BBC set repeats 98 of them)."""
    seen: set[str] = set()
    records = []
    for name in SETS:
        with (folder / name).open(encoding="utf-8") as handle:
            for line in handle:
                record = json.loads(line)
                if record["text"] not in seen:
                    seen.add(record["text"])
                    records.append(record)
    return records


def timed(func: Callable[[], object]) -> float:
    """Seconds one call takes."""
    start = time.perf_counter()
    func()
    return time.perf_counter() - start


def sumy_lexrank() -> tuple[Callable[[object, int], tuple], Callable[[str], object]]:
    """sumy's LexRank as it comes, and a parser that makes sumy documents with our splitter."""
    from sumy.nlp.stemmers import Stemmer
    from sumy.parsers.plaintext import PlaintextParser
    from sumy.summarizers.lex_rank import LexRankSummarizer
    from sumy.utils import get_stop_words

    from digest.summarize.sentences import SentenceSplitter

    splitter = SentenceSplitter("english")
    summarizer = LexRankSummarizer(Stemmer("english"))
    summarizer.stop_words = get_stop_words("english")

    def parse(text: str) -> object:
        return PlaintextParser.from_string(text, splitter).document

    return summarizer, parse


def bench_articles(records: list[dict], count: int, sumy_count: int) -> None:
    """Articles/s summarizing `count` articles with `default` against sumy's LexRank."""
    from digest.summarize.methods import Job, run_job, run_jobs

    texts = [(r.get("title"), r["text"]) for r in records[:count]]
    jobs = [Job(text, 3, "default", "english", title) for title, text in texts]
    ours = timed(lambda: run_jobs(jobs))
    alone = timed(lambda: [run_job(job) for job in jobs])
    summarizer, parse = sumy_lexrank()
    theirs = timed(lambda: [summarizer(parse(text), 3) for _, text in texts[:sumy_count]])
    label = f"summarize {count:,} articles, articles/s (sumy timed on {sumy_count:,}, one process)"
    goal = f"1,000 in ≤ 5 s: {ours:.1f} s, {'met' if ours <= 5 else 'missed'}" \
        if count >= 1000 else ""
    row(f"{label}; digest in its pool on {os.cpu_count()} cores", count / ours,
        sumy_count / theirs, goal, kind="rate", unit="/s")
    row(f"{label}; digest in one process too", count / alone, sumy_count / theirs, kind="rate",
        unit="/s")


def long_document(records: list[dict], sentences: int) -> str:
    """One text of `sentences` distinct sentences from the evaluation articles, 5 a paragraph."""
    pool: list[str] = []
    seen: set[str] = set()
    for record in records:
        for sentence in SENTENCE_END.split(record["text"].replace("\n\n", " ")):
            if len(sentence.split()) >= 6 and sentence not in seen:
                seen.add(sentence)
                pool.append(sentence)
                if len(pool) == sentences:
                    return "\n\n".join(" ".join(pool[i:i + 5]) for i in range(0, sentences, 5))
    raise SystemExit(f"the evaluation sets hold fewer than {sentences} sentences")


def bench_graph(records: list[dict], sizes: list[int], sumy_limit: int) -> None:
    """Seconds to pick 5 sentences of one long document: graphrank's LexRank against sumy's."""
    from digest.summarize import graphrank
    from digest.summarize.stemmers import stemmer, stop_words

    graphrank.MAX_SENTENCES = 10**9  # score every sentence, however long the document
    ours_method = graphrank.LexRank(stemmer("english"))
    ours_method.stop_words = stop_words("english")
    summarizer, parse = sumy_lexrank()
    points: dict[str, list[tuple[int, float]]] = {"ours": [], "sumy": []}
    for size in sizes:
        document = parse(long_document(records, size))
        start = time.perf_counter()
        ours = [str(s) for s in ours_method(document, 5)]
        points["ours"].append((size, time.perf_counter() - start))
        if size > sumy_limit:
            row(f"LexRank, one {size:,}-sentence document, s", points["ours"][-1][1],
                f"not run (about {_extrapolate(points['sumy'], size):,.0f} s)")
            continue
        start = time.perf_counter()
        theirs = [str(s) for s in summarizer(document, 5)]
        points["sumy"].append((size, time.perf_counter() - start))
        same = "same picks" if ours == theirs else "DIFFERENT picks"
        faster = points["sumy"][-1][1] / points["ours"][-1][1]
        met = "met" if faster >= 50 and ours == theirs else "missed"
        goal = f"≥ 50× faster, same picks: {met}" if size == 1000 else ""
        row(f"LexRank, one {size:,}-sentence document, s ({same})", points["ours"][-1][1],
            points["sumy"][-1][1], goal)
    row("growth exponent: log-log slope between the two largest sizes each ran "
        f"(digest {_span(points['ours'])}, sumy {_span(points['sumy'])} sentences)",
        f"{_slope(points['ours']):.2f}", f"{_slope(points['sumy']):.2f}")


def _slope(points: list[tuple[int, float]]) -> float:
    (x0, y0), (x1, y1) = points[-2], points[-1]
    return math.log(y1 / y0) / math.log(x1 / x0)


def _span(points: list[tuple[int, float]]) -> str:
    return f"{points[-2][0]:,}–{points[-1][0]:,}"


def _extrapolate(points: list[tuple[int, float]], size: int) -> float:
    x1, y1 = points[-1]
    return y1 * (size / x1) ** max(_slope(points), 1.0)


def week_text(records: list[dict], pool: list[str], index: int) -> tuple[str, str]:
    """Article `index`: an evaluation article, or past their number, as many sentences as one
    of them has, drawn at random from all of them, so every file is a story of its own."""
    record = records[index % len(records)]
    if index < len(records):
        return record.get("title") or _opening(record["text"]), record["text"]
    count = len(SENTENCE_END.split(record["text"].replace("\n\n", " ")))
    sentences = random.Random(index).sample(pool, min(count, len(pool)))
    text = "\n\n".join(" ".join(sentences[i:i + 3]) for i in range(0, len(sentences), 3))
    return f"{_opening(text)} (no. {index})", text


def sentence_pool(records: list[dict]) -> list[str]:
    """Every distinct sentence of six words or more in the evaluation articles."""
    seen: dict[str, None] = {}
    for record in records:
        for sentence in SENTENCE_END.split(record["text"].replace("\n\n", " ")):
            if len(sentence.split()) >= 6:
                seen.setdefault(sentence.strip())
    return list(seen)


def _opening(text: str) -> str:
    return " ".join(text.split()[:8])


def write_week(folder: Path, records: list[dict], count: int) -> int:
    """A config and `count` .txt articles under `folder`; the bytes of text written."""
    articles = folder / "articles"
    articles.mkdir(parents=True)
    size = 0
    pool = sentence_pool(records) if count > len(records) else []
    for index in range(count):
        title, text = week_text(records, pool, index)
        data = f"{title}\n\n{text}\n".encode()
        (articles / f"{index:05}.txt").write_bytes(data)
        size += len(data)
    for config, method in (("config.yaml", "default"), ("lead.yaml", "lead")):
        (folder / config).write_text(
            "sources:\n  - name: desk\n    kind: folder\n    path: articles\n"
            f"summary:\n  method: {method}\nstate:\n  path: state-{method}/state.db\n"
            "output:\n  dir: out\n", encoding="utf-8")
    return size


def run_peak(command: list[str], cwd: Path) -> tuple[float, float]:
    """Wall seconds of a command and the peak memory in MB of all its processes together."""
    start = time.perf_counter()
    child = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE, text=True)
    peak = [0]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.05):
            peak[0] = max(peak[0], _tree_memory(child.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = child.communicate()
    seconds = time.perf_counter() - start
    done.set()
    sampler.join()
    if child.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{err}")
    return seconds, peak[0] / 1024


def _tree_memory(root: int) -> int:
    """The proportional set size in kB of a process and all its descendants, from /proc: pages
    that forked pool workers share with their parent are counted once, not once per process."""
    parents: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                stat = Path(entry.path, "stat").read_text().rsplit(")", 1)[1].split()
                parents[int(entry.name)] = int(stat[1])
            except (OSError, IndexError, ValueError):
                continue
    family, grew = {root}, True
    while grew:
        more = {pid for pid, parent in parents.items() if parent in family} - family
        family |= more
        grew = bool(more)
    return sum(_pss(pid) for pid in family)


def _pss(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def bench_end_to_end(records: list[dict], sizes: list[int]) -> None:
    """`digest render` over folders of each size: cold, warm, documents/s and peak memory."""
    for count in sizes:
        with tempfile.TemporaryDirectory(prefix="digest-bench-") as name:
            folder = Path(name)
            text_mb = write_week(folder, records, count) / 1e6
            os.sync()  # the files written are on disk before any run reads them
            split = read_and_split(folder / "articles")
            cold, peak = run_peak(render_command(folder, "config.yaml"), folder)
            warm, _ = run_peak(render_command(folder, "config.yaml"), folder)
            lead, _ = run_peak(render_command(folder, "lead.yaml"), folder)
            big = count >= 10_000
            row(f"render {count:,} articles cold, s ({count / cold:,.0f} documents/s), vs "
                "reading every file and splitting every sentence (digest's splitter)", cold, split,
                f"≤ 2× its time: {'met' if cold <= 2 * split else 'missed'}" if big else "")
            row(f"render {count:,} articles cold, s, vs the same with method `lead` (no "
                "sentence scoring)", cold, lead)
            row(f"re-render the same {count:,} articles (summaries cached), s, vs cold", warm,
                cold, f"≤ 1 s: {'met' if warm <= 1 else 'missed'}")
            limit = 2048 if count >= 100_000 else 1024
            row(f"peak memory (PSS) rendering {count:,} articles, MB, vs MB of text read",
                peak, text_mb, f"≤ {limit:,} MB: {'met' if peak <= limit else 'missed'}"
                if big else "", kind="size")


def render_command(folder: Path, config: str) -> list[str]:
    """`digest -q render` of the week in `folder` with one of its configs."""
    return [sys.executable, "-m", "digest", "-q", "render", "-c", str(folder / config), "-o",
            str(folder / "issue.html")]


def bench_render_issue(repeat: int) -> None:
    """Milliseconds to render a 30-story issue, against bench_render's straightforward layout."""
    from bench_render import BASELINE_SECTION, measure

    with tempfile.TemporaryDirectory() as name:
        baseline = Path(name)
        (baseline / "_section.mjml.j2").write_text(BASELINE_SECTION, encoding="utf-8")
        ours = measure(30, None, repeat)[2]
        theirs = measure(30, baseline, repeat)[2]
    row("render a 30-story issue (Jinja2 + MJML), ms, vs a straightforward layout", ours, theirs)


def median_seconds(command: list[str], cwd: Path, runs: int,
                   before: Callable[[], None] = lambda: None) -> float:
    """The median wall seconds of `runs` fresh runs of a command."""
    times = []
    for _ in range(runs):
        before()
        start = time.perf_counter()
        subprocess.run(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def bench_cold_start(runs: int) -> None:
    """Seconds of `digest --help` and of `digest render` on the seeds, in fresh processes."""
    python = [sys.executable]
    nothing = median_seconds([*python, "-c", "pass"], ROOT, runs)
    helped = median_seconds([*python, "-m", "digest", "--help"], ROOT, runs)
    row("cold start: `digest --help`, s, vs `python -c pass`", helped, nothing)
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        shutil.copytree(ROOT / "seeds", folder / "seeds")
        shutil.copy(ROOT / "config.yaml", folder / "config.yaml")
        rendered = median_seconds(
            [*python, "-m", "digest", "-q", "render", "-o", "issue.html"], folder, runs,
            before=lambda: shutil.rmtree(folder / ".digest", ignore_errors=True))
    row("cold start: `digest render` on the seeds (no summary cache), s, vs `python -c pass`",
        rendered, nothing, f"≤ 1.5 s: {'met' if rendered <= 1.5 else 'missed'}")


def machine() -> str:
    """Cores, CPU model, memory and Python version of this machine."""
    model = "unknown CPU"
    memory = 0.0
    with open("/proc/cpuinfo", encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo", encoding="utf-8") as handle:
        memory = int(handle.readline().split()[1]) / 1024**2
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return (f"{os.cpu_count()} cores ({model}), {memory:.0f} GB RAM, "
            f"Python {platform.python_version()}; load average now {load}")


def table() -> str:
    """The rows as one Markdown table."""
    head = ("measure", "digest", "baseline", "ratio", "goal")
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(cells) + " |" for cells in ROWS]
    return "\n".join(lines)


def main() -> None:
    """Run every benchmark and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes, for a fast check")
    parser.add_argument("--data", type=Path, default=DATA, help="the summarization sets")
    parser.add_argument("--end-to-end", action="store_true",
                        help="only the `digest render` rows over folders of articles")
    parser.add_argument("--huge", action="store_true",
                        help="also render a week of 100,000 articles (several minutes)")
    parser.add_argument("--waits", action="store_true",
                        help="only the rows of bench/waits.py and the weeks")
    parser.add_argument("--extraction", type=Path, default=EXTRACTION,
                        help="the extraction evaluation sets")
    args = parser.parse_args()
    records = load_records(args.data)
    quick = args.quick
    print(f"machine: {machine()}", flush=True)
    weeks = [100, 500] if quick else [100, 1000, 10_000] + ([100_000] if args.huge else [])
    if args.end_to_end:
        bench_end_to_end(records, weeks)
        print(table())
        return
    if not args.waits:
        bench_articles(records, 200 if quick else 1000, 100 if quick else 1000)
        bench_graph(records, [10, 100, 500] if quick else [10, 100, 1000, 5000],
                    sumy_limit=500 if quick else 1000)
    waits.bench_methods(row, long_document(records, 300 if quick else 1000))
    bench_end_to_end(records, weeks)
    waits.bench_extraction(row, args.extraction)
    waits.bench_feeds(row, 60 if quick else 300, 12 if quick else 60)
    waits.bench_send(row, 1000 if quick else 10_000)
    if args.waits:
        print(f"\nmachine: {machine()}\n")
        print(table())
        return
    bench_render_issue(5 if quick else 20)
    bench_cold_start(3 if quick else 7)
    print(f"\nmachine: {machine()}\n")
    print(table())


if __name__ == "__main__":
    main()
