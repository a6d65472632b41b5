"""The benchmarks of where users wait, each beside its baseline in the same run (see run.py).

  * `lexrank`, `textrank` and `reduction` through `digest.summarize_text` on one 1,000-sentence
    document, against sumy's own summarizer of the same name as it comes;
  * a cold week against reading every file and splitting every sentence (`read_and_split`);
  * extracting the article-extraction-benchmark pages against trafilatura alone;
  * collecting 300 feeds from a slow server against fetching them one by one;
  * sending to 10,000 readers against one SMTP connection, each message built for its reader.
"""

from __future__ import annotations

import dataclasses
import gzip
import json
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

Row = Callable[..., None]

METHODS = {"lexrank": ("lex_rank", "LexRankSummarizer"),
           "textrank": ("text_rank", "TextRankSummarizer"),
           "reduction": ("reduction", "ReductionSummarizer")}


def bench_methods(row: Row, text: str) -> None:
    """Each graph method through `digest.summarize_text` against sumy's, on the same text."""
    import importlib

    from sumy.nlp.stemmers import Stemmer
    from sumy.utils import get_stop_words

    import digest
    from digest.summarize.methods import _document
    from digest.summarize.sentences import SentenceSplitter, is_prose

    splitter = SentenceSplitter("english")
    digest.summarize_text(text[:2000], 2, method="lexrank")  # imports and models loaded once
    for method, (module, name) in METHODS.items():
        summarizer = getattr(importlib.import_module(f"sumy.summarizers.{module}"), name)(
            Stemmer("english"))
        summarizer.stop_words = get_stop_words("english")

        def sumy_picks(summarizer: object = summarizer) -> list[str]:
            # sumy on the same prose sentences digest scores (credits and fragments left out)
            paragraphs = [[s for s in p if is_prose(s)] for p in splitter.to_paragraphs(text)]
            return [str(s) for s in summarizer(_document(paragraphs, splitter), 5)]  # type: ignore[operator]

        ours, mine = _median(lambda m=method: digest.summarize_text(text, 5, method=m))
        theirs, sumy_seconds = _median(sumy_picks)
        same = "same picks" if ours == theirs else "DIFFERENT picks"
        met = "met" if sumy_seconds / mine >= 50 and ours == theirs else "missed"
        row(f"`{method}` through digest.summarize_text, one 1,000-sentence document, median of "
            f"{REPEAT} calls, s ({same}), vs sumy's {name} as it comes", mine, sumy_seconds,
            f"≥ 50× faster: {met}")


REPEAT = 3


def _median(call: Callable[[], list[str]]) -> tuple[list[str], float]:
    """What `call` returns and the median of its wall time over `REPEAT` calls in turn."""
    seconds = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        picks = call()
        seconds.append(time.perf_counter() - start)
    return picks, statistics.median(seconds)


def read_and_split(folder: Path) -> float:
    """Seconds for a fresh process to read every file of a folder and split it into sentences
    with the splitter digest uses (digest's own, `digest.split_sentences`)."""
    code = (
        "import sys, pathlib\n"
        "from digest.summarize.sentences import SentenceSplitter\n"
        "split = SentenceSplitter('english').to_sentences\n"
        "n = 0\n"
        "for p in sorted(pathlib.Path(sys.argv[1]).iterdir()):\n"
        "    n += len(split(p.read_text(encoding='utf-8')))\n"
        "print(n)\n")
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code, str(folder)], check=True,
                   stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def bench_extraction(row: Row, eval_dir: Path) -> None:
    """digest's HTML extraction against trafilatura alone on the same pages, page by page in
    turn in one process, with the F1 of each (as bench/eval_extraction.py scores it)."""
    import trafilatura
    from eval_extraction import score
    from trafilatura.utils import decode_file

    from digest.extract.htmltext import main_text

    folder = eval_dir / "scrapinghub_aeb"
    records = [json.loads(line) for line in
               (folder / "ground_truth.jsonl").read_text("utf-8").splitlines()]
    pages = [(decode_file(gzip.decompress((folder / "html" / f"{r['id']}.html.gz").read_bytes())),
              r["body"] or "") for r in records]
    main_text(pages[0][0])
    trafilatura.extract(pages[0][0])  # both warm
    seconds = {"digest": 0.0, "trafilatura": 0.0}
    f1 = {"digest": 0.0, "trafilatura": 0.0}
    for html, gold in pages:
        for name, extract in (("digest", main_text),
                              ("trafilatura", lambda h: trafilatura.extract(h) or "")):
            start = time.perf_counter()
            text = extract(html)
            seconds[name] += time.perf_counter() - start
            f1[name] += score(gold, text)[2] / len(pages)
    ratio = seconds["digest"] / seconds["trafilatura"]
    row(f"extract {len(pages)} article-extraction-benchmark pages, s (F1 {f1['digest']:.3f}), vs "
        f"trafilatura alone (F1 {f1['trafilatura']:.3f})", seconds["digest"],
        seconds["trafilatura"], f"≤ 1.1× its time: {'met' if ratio <= 1.1 else 'missed'}")


class _FeedHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    delay = 0.3

    def log_message(self, format: str, *args: object) -> None:
        """Stay quiet."""

    def do_GET(self) -> None:
        """A small RSS feed of three recent items, after `delay` seconds."""
        time.sleep(self.delay)
        host = self.server.server_address[0]  # type: ignore[index]
        when = format_datetime(datetime.now(UTC))
        items = "".join(f"<item><guid>{host}{self.path}#{n}</guid><title>Story {n} of "
                        f"{host}{self.path}</title><pubDate>{when}</pubDate><description>"
                        f"News number {n}.</description></item>" for n in range(3))
        body = f'<rss version="2.0"><channel><title>F</title>{items}</channel></rss>'.encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def bench_feeds(row: Row, feeds: int = 300, hosts: int = 60) -> None:
    """Collecting `feeds` feeds spread over `hosts` loopback addresses, each answer 0.3 s late,
    with the default bounds, against one at a time (and the former 8 at a time)."""
    from digest.config import parse_config
    from digest.pipeline import collect
    from digest.store.state import open_store

    servers = []
    for n in range(hosts):
        server = ThreadingHTTPServer((f"127.0.0.{n + 2}", 0), _FeedHandler)
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
    urls = [f"http://127.0.0.{n % hosts + 2}:{servers[n % hosts].server_address[1]}/f{n}.xml"
            for n in range(feeds)]
    seconds = {}
    try:
        with tempfile.TemporaryDirectory() as name:
            for label, fetch in (("ours", {}), ("eight", {"concurrency": 8}),
                                 ("one", {"concurrency": 1, "deadline": 3600})):
                config = parse_config({
                    "sources": [{"name": f"f{n}", "kind": "feed", "url": url}
                                for n, url in enumerate(urls)],
                    "fetch": fetch, "state": {"path": f"{name}/{label}.db"}})
                with open_store(config.state.path, readonly=True) as store:
                    start = time.perf_counter()
                    found = collect(config, store, now=datetime.now(UTC))
                    seconds[label] = time.perf_counter() - start
                failed = [r for r in found.reports if r.errors]
                assert not failed and len(found.documents) == 3 * feeds, failed[:3]
    finally:
        for server in servers:
            server.shutdown()
    part = seconds["one"] / seconds["ours"]
    row(f"collect {feeds} feeds on {hosts} hosts, 0.3 s an answer, s (32 at once, 4 a host), "
        "vs one by one", seconds["ours"], seconds["one"],
        f"≤ 1/20 of one by one: {'met' if part >= 20 else 'missed'}")
    row(f"collect {feeds} feeds, s, the same vs 8 at once (the former default)", seconds["ours"],
        seconds["eight"])


def bench_send(row: Row, readers: int = 10_000) -> None:
    """Sending the 30-story issue to `readers` readers through an aiosmtpd server in its own
    process, recording each delivery in a state store as `digest run` does: copies from one
    template over `delivery.connections`, against one connection with each message built for
    its reader (as before), and against copies over one connection."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    from issue_factory import big_issue, newsletter

    from digest.config import Config, SmtpConfig
    from digest.deliver.parallel import send_parallel
    from digest.deliver.smtp import Mailer
    from digest.run.publish import personal_copies, personal_messages
    from digest.store.state import open_store

    config = Config(newsletter=newsletter(
        unsubscribe_url="https://example.org/unsubscribe?token={token}"))
    issue = dataclasses.replace(big_issue(30), number=1)
    everyone = [f"reader{i:05d}@example.org" for i in range(readers)]
    sink = subprocess.Popen([sys.executable, str(Path(__file__).with_name("smtpsink.py"))],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert sink.stdout is not None and sink.stdin is not None
    smtp = SmtpConfig(host="127.0.0.1", port=int(sink.stdout.readline()), security="none")
    connections = Config().delivery.connections

    def timed(make: Callable[[str], object], count: int, who: list[str] = everyone) -> float:
        with tempfile.TemporaryDirectory() as name, open_store(Path(name) / "s.db") as store:
            start = time.perf_counter()
            report = send_parallel(lambda: Mailer(smtp), count, "roundup@example.org",
                                   who, make,  # type: ignore[arg-type]
                                   lambda r, s, e: store.record_delivery(1, r, s, e))
            assert len(report.sent) == len(who), report.failed
            return time.perf_counter() - start

    try:
        timed(personal_copies(config, issue), connections, everyone[:200])  # the sink warm
        before = timed(personal_messages(config, issue), 1)
        single = timed(personal_copies(config, issue), 1)
        ours = timed(personal_copies(config, issue), connections)
    finally:
        sink.stdin.close()
        sink.wait()
    row(f"send to {readers:,} readers (local aiosmtpd), s ({1000 * ours / readers:.2f} ms a "
        f"message, {connections} connections), vs one connection, each message built for its "
        "reader", ours, before, f"≥ 2× faster: {'met' if before / ours >= 2 else 'missed'}")
    row(f"send to {readers:,} readers, s, the same vs one connection with the same copies",
        ours, single)
