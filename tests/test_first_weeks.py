"""The first weeks of use: a publishable archive, quiet logs, previews before and after a run,
and a dry run that checks what the real run checks."""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.smtpserver import SmtpServer, write_config

ROOT = Path(__file__).resolve().parent.parent
STAMP = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d (DEBUG|INFO|WARNING|ERROR) \S")


def digest(*args: str, umask: int | None = None) -> subprocess.CompletedProcess[str]:
    """The digest command line as its own process, its output captured (not a terminal)."""
    env = {k: v for k, v in os.environ.items() if k != "DIGEST_TOKEN_SECRET"}
    return subprocess.run(
        [sys.executable, "-m", "digest", *args], capture_output=True, text=True, timeout=120,
        cwd=ROOT, env=env, check=False,
        preexec_fn=(lambda: os.umask(umask)) if umask is not None else None,
    )


def archive_config(tmp_path: Path, **extra: Any) -> Path:
    """The test articles as a folder source, archive only."""
    path = write_config(tmp_path, 25, [])
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    del data["delivery"]
    data.update(extra)
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def test_archived_files_get_the_mode_the_umask_gives(tmp_path: Path) -> None:
    config = archive_config(tmp_path)
    result = digest("run", "-c", str(config), umask=0o022)
    assert result.returncode == 0, result.stderr
    files = [tmp_path / "out" / "index.html", *(tmp_path / "out" / "issues").glob("*/*")]
    assert len(files) == 5
    for file in files:
        assert stat.S_IMODE(file.stat().st_mode) == 0o644, file


def test_third_party_loggers_stay_silent_and_digest_names_what_it_skipped(
    tmp_path: Path,
) -> None:
    config = archive_config(tmp_path)
    (tmp_path / "articles" / "stub.html").write_text("<p>x</p>", encoding="utf-8")
    quiet = digest("-q", "render", "-c", str(config), "-o", str(tmp_path / "a.html"))
    default = digest("render", "-c", str(config), "-o", str(tmp_path / "b.html"))
    for result in (quiet, default):
        assert result.returncode == 0, result.stderr
        assert "parsed tree length" not in result.stderr
        assert "empty HTML tree" not in result.stderr
        assert "trafilatura" not in result.stderr
    assert quiet.stderr == ""
    skipped = [line for line in default.stderr.splitlines() if "stub.html" in line]
    assert len(skipped) == 1 and "desk" in skipped[0], default.stderr


def test_logs_to_a_file_carry_timestamps_and_no_padding(tmp_path: Path) -> None:
    result = digest("render", "-v", "-c", str(archive_config(tmp_path)), "-o",
                    str(tmp_path / "a.html"))
    assert result.returncode == 0, result.stderr
    logged = [line for line in result.stderr.splitlines() if "folder 'desk'" in line]
    assert logged and all(STAMP.match(line) for line in logged), result.stderr
    assert all(line == line.rstrip() for line in result.stderr.splitlines())


def test_nothing_new_is_a_normal_outcome_for_render_and_an_issue_renders_again(
    tmp_path: Path,
) -> None:
    config = archive_config(tmp_path)
    assert digest("run", "-c", str(config)).returncode == 0
    again = digest("render", "-c", str(config), "-o", str(tmp_path / "next.html"))
    assert again.returncode == 0, again.stderr
    assert again.stderr.strip().splitlines() == [
        "nothing new since issue 1; nothing to render"]
    shown = digest("render", "-c", str(config), "--issue", "1", "-f", "json")
    assert shown.returncode == 0, shown.stderr
    archived = next((tmp_path / "out" / "issues").glob("0001-*/issue.json"))
    expected = json.loads(archived.read_text(encoding="utf-8"))
    assert json.loads(shown.stdout)["lead"]["title"] == expected["lead"]["title"]
    missing = digest("render", "-c", str(config), "--issue", "7")
    assert missing.returncode == 1 and "issue 7 was never built" in missing.stderr


def test_after_a_failed_send_render_previews_the_issue_the_next_run_resumes(
    tmp_path: Path,
) -> None:
    with SmtpServer() as server:
        config = write_config(tmp_path, server.port, ["ann@example.org"])
        server.handler.fail("ann@example.org", 550)
        failed = digest("run", "-c", str(config))
        preview = digest("render", "-c", str(config), "-f", "json")
    assert failed.returncode == 1
    assert preview.returncode == 0, preview.stderr
    assert json.loads(preview.stdout)["number"] == 1
    assert "issue 1 was not sent yet" in preview.stderr


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"delivery": {"recipients": ["ann@example.org"]}}, "Error: delivery.smtp is not set"),
        ({"delivery": {"smtp": {"host": "127.0.0.1", "password_env": "DIGEST_NOT_SET_X"},
                       "recipients": ["ann@example.org"]}},
         "Error: delivery.smtp.password_env: environment variable DIGEST_NOT_SET_X is not set"),
        ({"schedule": {"cron": "0 25 * * fri"}}, "Error: schedule.cron: "),
        ({"schedule": {"timezone": "Mars/Olympus"}}, "Error: schedule.timezone: unknown"),
    ],
)
def test_a_dry_run_checks_what_the_real_run_checks(tmp_path: Path, change: dict[str, Any],
                                                   message: str) -> None:
    config = archive_config(tmp_path, **change)
    for args in (["run", "--dry-run"], ["run"]):
        result = digest(*args, "-c", str(config))
        assert result.returncode == 1, (args, result.stderr)
        assert result.stderr.splitlines()[0].startswith(message), (args, result.stderr)
    if "schedule" in change:
        rendered = digest("render", "-c", str(config), "-o", str(tmp_path / "x.html"))
        assert rendered.returncode == 1
        assert rendered.stderr.splitlines()[0].startswith(message)
