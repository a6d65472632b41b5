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
