"""Review before sending: editors get a preview, edit and approve, and only then readers get
the edited issue. Real folder source, real SQLite state, aiosmtpd on 127.0.0.1."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml

from digest.config import load_config
from digest.render.compose import SUBJECT_MAX, shorten
from digest.run.job import run_issue
from digest.store.state import open_store
from tests.smtpserver import SmtpServer, write_config

ROOT = Path(__file__).resolve().parent.parent
READERS = ["ann@example.org", "bob@example.org"]
EDITOR = "ed@example.org"
NOTE = "A **busy** week at the _council_.\n\n<script>alert('hi')</script> [More](https://example.org/more)"


def digest(*args: str) -> subprocess.CompletedProcess[str]:
    """Run the digest command line as its own process."""
    env = {k: v for k, v in os.environ.items() if k != "DIGEST_TOKEN_SECRET"}
    return subprocess.run([sys.executable, "-m", "digest", *args], capture_output=True,
                          text=True, timeout=120, cwd=ROOT, env=env)


def reviewed_config(folder: Path, port: int, **review: Any) -> Path:
    """A config with two readers and one editor who reviews every issue."""
    return write_config(folder, port, READERS, review={"to": [EDITOR], **review})


def held_json(config_path: Path, number: int = 1) -> dict[str, Any]:
    """`digest review N --format json`, parsed."""
    result = digest("review", str(number), "-c", str(config_path), "--format", "json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def status(config_path: Path, number: int = 1) -> str | None:
    with open_store(load_config(config_path).state.path, readonly=True) as store:
        record = store.issue(number)
        return record.status if record else None


def html_of(server: SmtpServer, address: str) -> str:
    (received,) = server.handler.for_recipient(address)
    return str(received.message.get_body(("html",)).get_content())


def text_of(server: SmtpServer, address: str) -> str:
    (received,) = server.handler.for_recipient(address)
    return str(received.message.get_body(("plain",)).get_content())


def test_a_run_with_review_mails_only_the_editor_and_holds_the_issue(tmp_path: Path) -> None:
    with SmtpServer() as server:
        config_path = reviewed_config(tmp_path, server.port)
        first = digest("run", "-c", str(config_path))
        second = digest("run", "-c", str(config_path))
    assert first.returncode == 0, first.stderr
    assert "issue 1: 3 stories, held for review" in first.stderr
    assert "preview sent to 1 editor" in first.stderr
    assert server.handler.recipients() == [EDITOR]
    (preview,) = server.handler.for_recipient(EDITOR)
    assert preview.message["Subject"].strip().startswith("[Preview] Test Round-up #1")
    assert preview.message["To"] == EDITOR
    assert "Preview for editors." in html_of(server, EDITOR)
    assert "View in browser" not in html_of(server, EDITOR), "the archive has no copy yet"
    assert second.returncode == 0, second.stderr
    assert "issue 1: awaiting review; nothing sent" in second.stderr
    assert status(config_path) == "review"
    assert not (tmp_path / "out").exists(), "nothing is archived while the issue is held"


def test_edits_and_approval_through_the_cli_reach_every_reader(tmp_path: Path) -> None:
    with SmtpServer() as server:
        config_path = reviewed_config(tmp_path, server.port)
        assert digest("run", "-c", str(config_path)).returncode == 0
        held = held_json(config_path)
        old_lead = held["lead"]
        new_lead, dropped = held["teasers"]
        edits = tmp_path / "edits.yaml"
        edits.write_text(yaml.safe_dump({"note": NOTE, "lead": new_lead["id"],
                                         "drop": [dropped["id"]]}), encoding="utf-8")
        edited = digest("review", "1", "-c", str(config_path), "--edits", str(edits),
                        "--approve")
        assert edited.returncode == 0, edited.stderr
        assert "edits recorded (note, lead, drop 1)" in edited.stderr
        assert "approved by cli" in edited.stdout
        previewed = digest("render", "-c", str(config_path), "--format", "json")
        sent = digest("run", "-c", str(config_path))
        again = digest("run", "-c", str(config_path))
        kept = digest("render", "-c", str(config_path), "--issue", "1", "--format", "json")
    for rendered in (previewed, kept):
        assert rendered.returncode == 0, rendered.stderr
        data = json.loads(rendered.stdout)
        assert data["lead"]["id"] == new_lead["id"] and data["note"] == NOTE
        assert dropped["id"] not in [t["id"] for t in data["teasers"]]
    assert "held for review: this is it with its edits" in previewed.stderr
    assert sent.returncode == 0, sent.stderr
    assert "issue 1 (approved): 2 stories, sent 2, failed 0" in sent.stderr
    assert "nothing new since issue 1" in again.stderr
    assert sorted(server.handler.recipients()) == sorted([EDITOR, *READERS])
    for reader in READERS:
        html, text = html_of(server, reader), text_of(server, reader)
        (message,) = server.handler.for_recipient(reader)
        subject = " ".join(str(message.message["Subject"]).split())
        assert subject == shorten(f"Test Round-up #1: {new_lead['title']}", SUBJECT_MAX)
        assert dropped["title"] not in html and dropped["title"] not in text
        assert html.index(new_lead["title"]) < html.index(old_lead["title"])
        assert text.index(new_lead["title"]) < text.index(old_lead["title"])
        assert "A <strong>busy</strong> week at the <em>council</em>." in html
        assert "&lt;script&gt;alert(" in html
        assert "<script>alert" not in html
        assert '<a href="https://example.org/more"' in html
        assert "A busy week at the council." in text
        assert "Preview for editors" not in html
    archived = json.loads(next((tmp_path / "out" / "issues").glob("0001-*/issue.json"))
                          .read_text())
    assert archived["lead"]["id"] == new_lead["id"]
    assert [t["id"] for t in archived["teasers"]] == [old_lead["id"]]
    assert status(config_path) == "sent"


def test_the_json_of_a_held_issue_gives_every_story_a_stable_id(tmp_path: Path) -> None:
    with SmtpServer() as server:
        config = load_config(reviewed_config(tmp_path, server.port))
        run_issue(config)
    first = held_json(tmp_path / "config.yaml")
    stories = [first["lead"], *first["teasers"]]
    assert len({s["id"] for s in stories}) == 3
    assert all(s["sentences"] for s in stories)
    assert held_json(tmp_path / "config.yaml") == first
    render = digest("render", "-c", str(tmp_path / "config.yaml"), "--format", "json")
    assert json.loads(render.stdout)["lead"]["id"] == first["lead"]["id"]


def test_an_edit_naming_an_unknown_story_is_one_clear_line(tmp_path: Path) -> None:
    with SmtpServer() as server:
        config_path = reviewed_config(tmp_path, server.port)
        assert digest("run", "-c", str(config_path)).returncode == 0
    edits = tmp_path / "edits.yaml"
    edits.write_text("drop: [nope1234]\n", encoding="utf-8")
    result = digest("review", "1", "-c", str(config_path), "--edits", str(edits))
    assert result.returncode == 1
    first = result.stderr.splitlines()[0]
    assert first == f"Error: {edits}: drop[0]: no story 'nope1234' in issue 1"
    assert "digest review 1 --format json" in result.stderr
    assert held_json(config_path)["review"]["edits"]["drop"] == []


def test_a_summary_edit_picks_the_articles_own_sentences_and_order_moves_teasers(
    tmp_path: Path,
) -> None:
    with SmtpServer() as server:
        config = load_config(reviewed_config(tmp_path, server.port))
        run_issue(config)
        held = held_json(tmp_path / "config.yaml")
        first, second = held["teasers"]
        edits = tmp_path / "edits.yaml"
        edits.write_text(yaml.safe_dump({"summary": {first["id"]: [3, 1]},
                                         "order": [second["id"]]}), encoding="utf-8")
        result = digest("review", "1", "-c", str(tmp_path / "config.yaml"), "--edits",
                        str(edits), "--approve")
        assert result.returncode == 0, result.stderr
        shown = held_json(tmp_path / "config.yaml")
        run_issue(config)
    assert [t["id"] for t in shown["teasers"]] == [second["id"], first["id"]]
    picked = first["sentences"][0] + " " + first["sentences"][2]
    assert shown["teasers"][1]["summary"] == [first["sentences"][0], first["sentences"][2]]
    assert picked in " ".join(text_of(server, READERS[0]).split())


def test_the_deadline_approves_a_held_issue_nobody_acted_on(tmp_path: Path) -> None:
    start = datetime.now(UTC)
    with SmtpServer() as server:
        config = load_config(reviewed_config(tmp_path, server.port, deadline="24h"))
        held = run_issue(config, now=start)
        waiting = run_issue(config, now=start + timedelta(hours=23))
        readers_before = list(server.handler.recipients())
        late = run_issue(config, now=start + timedelta(hours=25))
    assert "held for review; approves itself at" in held.summary
    assert waiting.sent == 0 and "awaiting review" in waiting.summary
    assert readers_before == [EDITOR]
    assert late.sent == 2
    assert sorted(server.handler.recipients()) == sorted([EDITOR, *READERS])
    with open_store(config.state.path, readonly=True) as store:
        review = store.reviews.get(1)
        assert review is not None and review.approved_by == "deadline"


def test_review_of_an_issue_that_is_not_held_says_so(tmp_path: Path) -> None:
    with SmtpServer() as server:
        config = load_config(write_config(tmp_path, server.port, READERS))
        run_issue(config)
    result = digest("review", "1", "-c", str(tmp_path / "config.yaml"), "--approve")
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == "Error: issue 1 was sent: there is nothing to review"


@pytest.mark.parametrize(("edits", "problem"), [
    ({"lede": "x"}, "lede: unknown key"),
    ({"drop": "LEAD"}, "drop: 'LEAD' is the lead; name another story as 'lead' first"),
    ({"order": ["LEAD"]}, "order[0]: 'LEAD' is the lead, not a teaser to order"),
    ({"summary": {"LEAD": [99]}}, "summary.LEAD: sentence 99 is not one of its 1 to"),
])
def test_edits_that_do_not_fit_the_issue_are_refused(
    tmp_path: Path, edits: dict[str, Any], problem: str,
) -> None:
    with SmtpServer() as server:
        config_path = reviewed_config(tmp_path, server.port)
        run_issue(load_config(config_path))
    lead = held_json(config_path)["lead"]["id"]
    file = tmp_path / "edits.yaml"
    file.write_text(yaml.safe_dump(edits).replace("LEAD", lead), encoding="utf-8")
    result = digest("review", "1", "-c", str(config_path), "--edits", str(file))
    assert result.returncode == 1
    assert problem.replace("LEAD", lead) in result.stderr.splitlines()[0]


@pytest.mark.slow
def test_the_scheduler_sends_an_approved_issue_without_waiting_for_the_next_week(
    tmp_path: Path,
) -> None:
    from tests.test_schedule import issue_sent, start_scheduler, stop_scheduler, wait_until

    with SmtpServer() as server:
        config_path = write_config(tmp_path, server.port, READERS, review={"to": [EDITOR]},
                                   schedule={"cron": "0 8 1 1 *"})  # next run: next January
        assert digest("run", "-c", str(config_path)).returncode == 0
        assert digest("review", "1", "-c", str(config_path), "--approve").returncode == 0
        process = start_scheduler(config_path)
        try:
            done = wait_until(lambda: issue_sent(config_path))
        finally:
            _, err = stop_scheduler(process)
    assert done, err
    assert "issue 1 (approved): 3 stories, sent 2, failed 0" in err
    assert sorted(server.handler.recipients()) == sorted([EDITOR, *READERS])


def test_held_only_never_builds_a_new_issue(tmp_path: Path) -> None:
    with SmtpServer() as server:
        config_path = reviewed_config(tmp_path, server.port)
        result = digest("run", "-c", str(config_path), "--held-only")
    assert result.returncode == 0, result.stderr
    assert "no issue awaiting review" in result.stderr
    assert status(config_path) is None and server.handler.received == []


def test_force_builds_a_held_issue_afresh_without_its_edits_and_previews_it_again(
    tmp_path: Path,
) -> None:
    with SmtpServer() as server:
        config = load_config(reviewed_config(tmp_path, server.port))
        run_issue(config)
        edits = tmp_path / "edits.yaml"
        edits.write_text("note: Old news\n", encoding="utf-8")
        assert digest("review", "1", "-c", str(tmp_path / "config.yaml"),
                      "--edits", str(edits)).returncode == 0
        result = run_issue(config, force=True)
    assert "issue 1: 3 stories, held for review" in result.summary
    assert server.handler.recipients() == [EDITOR, EDITOR]
    assert held_json(tmp_path / "config.yaml")["note"] == ""
