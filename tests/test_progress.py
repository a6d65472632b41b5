"""Progress bars on a terminal, silence elsewhere, and the one-line summary that ends a render."""

from __future__ import annotations

import os
import pty
import random
import re
import select
import subprocess
import sys
from pathlib import Path

import pytest

from digest.progress import progress, summary_line

WORDS = (
    "harbour council budget river bridge school library museum festival railway station market "
    "tram housing garden theatre election mayor hospital clinic nurses teachers students tenants "
    "owners rents prices wages repairs works closure opening plans vote report inquiry review "
    "delay funding grant tender contract builder engineer"
)
VOCABULARY = WORDS.split(" ")
SUMMARY = re.compile(r"issue 1: \d+ stories from 30 documents \(30 articles\), \d+\.\d s")


def write_week(folder: Path, count: int = 30) -> Path:
    """A config and `count` distinct made-up articles of eight sentences each; the config."""
    rng = random.Random(7)
    articles = folder / "articles"
    articles.mkdir()
    for number in range(count):
        sentences = [" ".join(rng.choice(VOCABULARY) for _ in range(12)).capitalize() + "."
                     for _ in range(8)]
        title = f"Story {number}: the {rng.choice(VOCABULARY)} and the {rng.choice(VOCABULARY)}"
        text = "\n\n".join(" ".join(sentences[i:i + 2]) for i in range(0, 8, 2))
        (articles / f"story-{number:03}.txt").write_text(f"{title}\n\n{text}\n", encoding="utf-8")
    config = folder / "config.yaml"
    config.write_text(
        "sources:\n  - name: desk\n    kind: folder\n    path: articles\n"
        "state:\n  path: state/state.db\n",
        encoding="utf-8",
    )
    return config


def render_on_terminal(config: Path) -> tuple[int, str]:
    """Run `digest render` with stderr on a pseudo-terminal; the exit code and what it showed."""
    leader, follower = pty.openpty()
    env = {**os.environ, "COLUMNS": "100", "TERM": "xterm"}
    child = subprocess.Popen(
        [sys.executable, "-m", "digest", "render", "-c", str(config), "-o",
         str(config.parent / "issue.html")],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=follower, env=env,
    )
    os.close(follower)
    shown = bytearray()
    while True:
        ready, _, _ = select.select([leader], [], [], 60)
        if not ready:
            child.kill()
            break
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        shown += chunk
    os.close(leader)
    return child.wait(timeout=60), shown.decode("utf-8", "replace")


def test_summary_line_counts_stories_documents_articles_problems_and_seconds() -> None:
    line = summary_line(4, 12, documents=30, articles=41, seconds=2.345, problems=1)
    assert line == "issue 4: 12 stories from 30 documents (41 articles), 1 problem, 2.3 s"
    one = summary_line(1, 1, documents=1, articles=1, seconds=0.04, problems=2)
    assert one == "issue 1: 1 story from 1 document (1 article), 2 problems, 0.0 s"


def test_no_bar_when_stderr_is_not_a_terminal(capfd: pytest.CaptureFixture[str]) -> None:
    with progress("summarizing", 500) as advance:
        for _ in range(500):
            advance(1)
    assert capfd.readouterr().err == ""


def test_render_shows_a_bar_on_a_terminal(tmp_path: Path) -> None:
    code, shown = render_on_terminal(write_week(tmp_path))
    assert code == 0, shown
    assert "summarizing" in shown
    assert "30/30" in shown or "/30" in shown
    assert SUMMARY.search(shown), shown


def test_render_piped_prints_only_the_summary_line(tmp_path: Path) -> None:
    config = write_week(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "digest", "render", "-c", str(config), "-o",
         str(tmp_path / "issue.html")],
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "summarizing" not in result.stderr and "extracting" not in result.stderr
    assert "\x1b[" not in result.stderr  # no terminal control codes in logs
    assert SUMMARY.search(result.stderr.splitlines()[-1]), result.stderr
