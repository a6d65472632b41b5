"""The command line: the default round-up from seeds/, previews that never change state, and
user errors that are one line with exit 1."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from digest.cli import cli

LEAD = "Biden's ‘Last bang’: Allow long range missiles in Russia"
TEASERS = [
    ("Fort Bragg horrors expose dark underbelly of post-9/11 warfare", "Media"),
    ("The case for US Middle East retrenchment has never been clearer", "Middle East"),
    ("Do we need a treaty on neutrality?", "Global Crises"),
]
FURNITURE = [
    "Follow us on social", "keep reading", "Show less", "LATEST", "QIOSK", "Subscribe now", "›",
]


@pytest.fixture
def project(tmp_path: Path, root: Path) -> Path:
    """A copy of the default config and seeds, so tests never touch the checkout's state."""
    shutil.copytree(root / "seeds", tmp_path / "seeds")
    shutil.copy(root / "config.yaml", tmp_path / "config.yaml")
    return tmp_path


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_render_json_gives_the_lead_and_three_teasers(project: Path) -> None:
    code, out, err = invoke("render", "-c", str(project / "config.yaml"), "--format", "json")
    assert code == 0, err
    issue = json.loads(out)
    assert set(issue) >= {"title", "subject", "preheader", "lead", "teasers"}
    lead = issue["lead"]
    assert lead["title"] == LEAD
    assert (lead["section"], lead["kind"]) == ("Europe", "Analysis")
    assert lead["image"]["credit"] == "Wikimedia Commons"
    assert 3 <= len(lead["summary"]) <= 5
    assert [(t["title"], t["section"]) for t in issue["teasers"]] == TEASERS
    for teaser in issue["teasers"]:
        assert 1 <= len(teaser["summary"]) <= 2
        assert teaser["image"]["credit"]
    text = json.dumps(issue, ensure_ascii=False)
    for furniture in FURNITURE:
        assert furniture not in text


def test_the_same_story_from_two_files_appears_once(project: Path) -> None:
    _, out, _ = invoke("render", "-c", str(project / "config.yaml"), "--format", "json")
    issue = json.loads(out)
    titles = [issue["lead"]["title"]] + [t["title"] for t in issue["teasers"]]
    assert len(titles) == 4
    assert issue["lead"]["also_in"] or issue["lead"]["source"]
    summaries = [s for t in issue["teasers"] for s in t["summary"]]
    assert not any("Trump-proofing" in s or "ATACMS" in s for s in summaries)


def test_summary_sentences_come_from_the_source_in_order(project: Path, root: Path) -> None:
    _, out, _ = invoke("render", "-c", str(project / "config.yaml"), "--format", "json")
    page = (root / "seeds" / "001_317332aae2f439d3.txt").read_text(encoding="utf-8")
    summary = json.loads(out)["lead"]["summary"]
    positions = [page.find(sentence) for sentence in summary]
    assert -1 not in positions
    assert positions == sorted(positions)


def test_render_html_to_a_file_writes_a_finished_page(project: Path) -> None:
    out = project / "out" / "digest.html"
    code, _, err = invoke("render", "-c", str(project / "config.yaml"), "-o", str(out))
    assert code == 0, err
    html = out.read_text(encoding="utf-8")
    assert html.lstrip().lower().startswith("<!doctype html")
    assert "{{" not in html and "{%" not in html and "<mj-" not in html
    assert LEAD.replace("'", "&#39;") in html or LEAD in html
    assert "contributors and reporters" in html


def test_render_text_is_plain_and_holds_every_story(project: Path) -> None:
    code, out, _ = invoke("render", "-c", str(project / "config.yaml"), "--format", "text")
    assert code == 0
    assert "<" not in out.replace("<https", "").replace("<http", "")
    for title, _section in TEASERS:
        assert title in out


def test_render_never_creates_or_changes_state(project: Path) -> None:
    for fmt in ("json", "html", "eml"):
        assert invoke("render", "-c", str(project / "config.yaml"), "--format", fmt)[0] == 0
    assert not (project / ".digest" / "state.db").exists()
    assert not (project / "out").exists()


def test_bad_config_value_is_one_line_and_exit_1(project: Path) -> None:
    config = project / "config.yaml"
    config.write_text(config.read_text().replace("lead_sentences: 4", "lead_sentences: four"))
    code, out, err = invoke("render", "-c", str(config))
    assert code == 1
    assert out == ""
    first, *rest = err.strip().splitlines()
    assert first.startswith("Error: ") and "summary.lead_sentences" in first
    assert all(line.startswith("Hint: ") for line in rest)
    assert "Traceback" not in err


def test_missing_source_folder_is_one_line_and_exit_1(project: Path) -> None:
    shutil.rmtree(project / "seeds")
    code, _, err = invoke("render", "-c", str(project / "config.yaml"))
    assert code == 1
    assert "seeds" in err.splitlines()[0]
    assert "Traceback" not in err


def test_missing_config_file_is_exit_1(tmp_path: Path) -> None:
    code, _, err = invoke("render", "-c", str(tmp_path / "absent.yaml"))
    assert code == 1 and "config file not found" in err


def test_wrong_usage_is_exit_2(project: Path) -> None:
    assert invoke("render", "--format", "pdf")[0] == 2
    assert invoke("no-such-command")[0] == 2


def test_console_script_and_module_both_run(project: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "digest", "render", "-c", "config.yaml", "-o", "out/digest.html"],
        cwd=project, capture_output=True, text=True, timeout=120, check=False,
    )
    assert result.returncode == 0, result.stderr
    assert (project / "out" / "digest.html").stat().st_size > 2000
    digest_bin = Path(sys.executable).parent / "digest"
    if digest_bin.exists():
        help_run = subprocess.run([str(digest_bin), "--help"], capture_output=True, text=True,
                                  check=False)
        assert help_run.returncode == 0 and "render" in help_run.stdout
