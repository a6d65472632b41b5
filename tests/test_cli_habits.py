"""Command-line habits of a new user: options after the command, clear config errors, and
`digest extract` on a feed file."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT / "tests" / "data" / "feeds" / "real"


def digest(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """The digest command line as its own process."""
    return subprocess.run([sys.executable, "-m", "digest", *args], capture_output=True,
                          text=True, timeout=120, cwd=cwd, env=dict(os.environ), check=False)


def test_verbosity_options_work_after_the_command(tmp_path: Path) -> None:
    out = tmp_path / "issue.html"
    quiet = digest("render", "-q", "-c", str(ROOT / "config.yaml"), "-o", str(out))
    assert quiet.returncode == 0, quiet.stderr
    assert quiet.stderr == "" and out.stat().st_size > 0
    debug = digest("collect", "--debug", "-v", "-c", str(tmp_path / "missing.yaml"))
    assert debug.returncode == 1
    assert "Traceback" in debug.stderr  # --debug after the command shows the traceback


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("sources:\n  - name: news\n    kind: [feed\n", "config.yaml:4:1: not valid YAML: "),
        ("newsletter:\n  name: A\n\tfrom: x\n", "config.yaml:3:1: not valid YAML: "),
        ("sources:\n  news: {kind: feed, url: 'https://example.org/feed'}\n",
         "config.yaml: sources: expected a list of sources, each one '- name: ..., kind: "
         "folder|feed|page', not a mapping"),
    ],
)
def test_config_errors_say_where_and_what_was_expected(tmp_path: Path, text: str,
                                                       expected: str) -> None:
    (tmp_path / "config.yaml").write_text(text, encoding="utf-8")
    result = digest("render", "-c", "config.yaml", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.splitlines()[0].startswith("Error: " + expected), result.stderr


@pytest.mark.parametrize("command", ["render", "collect", "run"])
def test_an_empty_sources_list_says_there_are_none(tmp_path: Path, command: str) -> None:
    (tmp_path / "config.yaml").write_text("sources: []\n", encoding="utf-8")
    result = digest(command, "-c", "config.yaml", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == (
        "Error: sources: there are no sources to collect from"), result.stderr


def test_extract_on_a_feed_file_shows_its_entries() -> None:
    result = digest("extract", str(REAL / "nbcny.xml"))
    assert result.returncode == 0, result.stderr
    assert "1 article(s)" in result.stdout
    assert "title: NYC cops search for stabbing suspect" in result.stdout
    assert "<rss" not in result.stdout and "<item>" not in result.stdout


def test_summarize_on_a_scraped_page_leaves_out_its_headline_and_dek() -> None:
    result = digest("summarize", "-n", "3", str(ROOT / "tests/data/pages/news_economy.txt"))
    assert result.returncode == 0, result.stderr
    picked = result.stdout.splitlines()[1:4]
    assert len(picked) == 3
    assert not any(line.startswith(("Grain corridor reopens", "Cheaper cover has brought"))
                   for line in picked), result.stdout
    assert picked[0].startswith("The first fully insured grain carrier")


def test_summarize_splits_a_sentence_before_local_officials(tmp_path: Path) -> None:
    text = tmp_path / "bus.txt"
    text.write_text("The new bus lane will be free for the first month. Local officials said "
                    "the fares would rise after that, and the council agreed.\n",
                    encoding="utf-8")
    result = digest("summarize", "-n", "2", str(text))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[1:3] == [
        "The new bus lane will be free for the first month.",
        "Local officials said the fares would rise after that, and the council agreed."]
