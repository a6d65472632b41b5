"""The state store is trusted only when it can be: a damaged one is one line naming it, and a
lost or emptied one beside an archive never silently starts over as issue 1."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.hostile import run_cli

STORY = "Library hours\n\n" + "The library opens late on Thursdays this winter. " * 20


def _setup(tmp_path: Path) -> str:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.txt").write_text(STORY, encoding="utf-8")
    config = tmp_path / "config.yaml"
    config.write_text("sources: [{name: docs, kind: folder, path: docs}]\n"
                      "collect: {lookback_days: 3650}\nstate: {path: state/state.db}\n",
                      encoding="utf-8")
    return str(config)


@pytest.mark.parametrize("command", [["collect"], ["render", "-o", "x.html"], ["run"]])
def test_a_damaged_state_store_is_one_line_naming_it(tmp_path: Path, command: list[str]) -> None:
    config = _setup(tmp_path)
    _, _, code, _, err = run_cli(["run", "-c", config])
    assert code == 0, err
    state = tmp_path / "state" / "state.db"
    data = bytearray(state.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)  # the first page past the header: the schema
    state.write_bytes(bytes(data))
    (tmp_path / "state" / "state.db-wal").unlink(missing_ok=True)
    _, _, code, _, err = run_cli([*command, "-c", config])
    assert code == 1
    assert "Traceback" not in err
    first = err.strip().splitlines()[0]
    assert str(state) in first and "damaged" in first
    assert "--reset-state" in err


@pytest.mark.parametrize("loss", ["deleted", "emptied"])
def test_a_lost_state_store_beside_an_archive_refuses_to_start_over(
    tmp_path: Path, loss: str
) -> None:
    config = _setup(tmp_path)
    _, _, code, _, err = run_cli(["run", "-c", config])
    assert code == 0, err
    state = tmp_path / "state" / "state.db"
    for file in state.parent.glob("state.db*"):
        file.unlink()
    if loss == "emptied":
        state.write_bytes(b"")
    _, _, code, _, err = run_cli(["run", "-c", config])
    assert code == 1 and "Traceback" not in err
    assert "holds no issues, but the archive" in err and "--reset-state" in err
    assert len(list((tmp_path / "out" / "issues").iterdir())) == 1  # nothing was built
    _, _, code, _, err = run_cli(["run", "-c", config, "--reset-state"])
    assert code == 0, err
    assert err.strip().splitlines()[-1].startswith("issue 2:")  # numbering goes on
