"""Hostile inputs, each beside one good source: the run ends in time and in memory, publishes
the good story, prints no traceback and publishes nothing from outside a folder source."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.hostile import CASES, GOOD_TITLE, SECRET, Case, run_case

PEAK_MB = 500


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_one_hostile_source_never_stops_the_issue(case: Case, tmp_path: Path) -> None:
    outcome = run_case(case, tmp_path)
    assert outcome.returncode == 0, outcome.stderr
    assert "Traceback" not in outcome.stderr
    assert GOOD_TITLE in outcome.html
    assert SECRET not in outcome.html and "root:x:0" not in outcome.html
    assert outcome.peak_mb < PEAK_MB
    assert outcome.seconds < case.bound  # a bound from the case's deadlines, not a benchmark


def test_a_dripping_server_never_holds_the_run_lock_past_the_deadline(tmp_path: Path) -> None:
    import threading
    import time

    from tests.hostile import RawServer, run_cli, write_config

    drip = next(c for c in CASES if c.name == "slow drip headers")
    drip = Case(drip.name, drip.setup, fetch={"timeout": 30, "deadline": 3})
    with RawServer() as server:
        config = str(write_config(tmp_path, drip, server))
        first: list[int] = []
        running = threading.Thread(
            target=lambda: first.append(run_cli(["run", "-c", config])[2]))
        running.start()
        while not (tmp_path / "state" / "state.db.lock").exists():
            time.sleep(0.01)  # the first run holds the lock from here on
        *_, err = run_cli(["run", "-c", config, "--wait", "60"])
        running.join()
    assert first == [0]
    assert "another digest run is in progress" not in err  # it got the lock within its wait
    assert "fetch.deadline of 3 s reached" in err  # and met the same server, as briefly
