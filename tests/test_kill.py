"""A run killed at any point is finished by the next one: every reader gets the issue once, at
most one reader (the one whose delivery was in flight) twice. The kill is injected at named
points (DIGEST_KILL_AT) of a real `digest run` child process sending to aiosmtpd on 127.0.0.1."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from digest.store.faults import POINTS
from tests.hostile import run_cli
from tests.smtpserver import SmtpServer, write_config

READERS = ["ann@example.org", "bob@example.org", "cy@example.org", "di@example.org"]
KILLED = -9


@pytest.mark.parametrize("point", POINTS)
def test_a_run_killed_at_any_point_is_finished_by_the_next(point: str, tmp_path: Path) -> None:
    with SmtpServer() as server:
        config = str(write_config(tmp_path, server.port, READERS, connections=1))
        _, _, code, _, err = run_cli(["run", "-c", config], env={"DIGEST_KILL_AT": point})
        assert code == KILLED, err
        _, _, code, _, err = run_cli(["run", "-c", config])
        assert code == 0, err
        assert "Traceback" not in err
        _, _, code, _, again = run_cli(["run", "-c", config])
        received = Counter(server.handler.recipients())
    assert code == 0 and "nothing new since issue 1" in again  # the issue is recorded as sent
    assert set(received) == set(READERS)
    assert sum(received.values()) - len(READERS) <= 1  # at most one reader twice
    subjects = {r.message["Subject"] for r in server.handler.received}
    assert len(subjects) == 1 and "#1" in subjects.pop()
    issues = tmp_path / "out" / "issues"
    assert [p.name[:4] for p in issues.iterdir()] == ["0001"]  # whole, and no leftovers


def test_a_kill_while_archiving_leaves_no_half_issue_in_the_archive(tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.txt").write_text("Library hours\n\n" + "The library opens late. " * 20,
                                             encoding="utf-8")
    config.write_text("sources: [{name: docs, kind: folder, path: docs}]\n"
                      "collect: {lookback_days: 3650}\n", encoding="utf-8")
    _, _, code, _, _ = run_cli(["run", "-c", str(config)], env={"DIGEST_KILL_AT": "mid-archive"})
    assert code == KILLED
    assert list((tmp_path / "out" / "issues").glob("0*")) == []
    _, _, code, _, err = run_cli(["run", "-c", str(config)])
    assert code == 0, err
    (folder,) = (tmp_path / "out" / "issues").glob("0001-*")
    assert sorted(p.name for p in folder.iterdir()) == [
        "index.html", "issue.eml", "issue.json", "issue.txt"]
