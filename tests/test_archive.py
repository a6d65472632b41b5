"""The archive: one folder per issue, an index newest first, no silent overwrite."""

from __future__ import annotations

import email
import email.policy
import json
import shutil
from datetime import date
from pathlib import Path

import lxml.html
import pytest
from click.testing import CliRunner
from issue_factory import big_issue, newsletter, seeds_issue

from digest.cli import cli
from digest.config import parse_config
from digest.deliver.archive import write_index, write_issue
from digest.errors import DigestError
from digest.models import Issue
from digest.render.message import build_message
from digest.render.templates import render_issue
from digest.run.publish import archive_issue


def _archive(out: Path, issue: Issue, force: bool = False) -> Path:
    config = newsletter()
    rendered = render_issue(issue, config, None)
    message = build_message(rendered, issue, config, None)
    return write_issue(out, issue, rendered, message, force=force)


def test_an_issue_gets_its_own_folder_with_every_format(tmp_path: Path) -> None:
    folder = _archive(tmp_path, seeds_issue())
    assert folder == tmp_path / "issues" / "0001-2026-11-22"
    assert sorted(p.name for p in folder.iterdir()) == [
        "index.html", "issue.eml", "issue.json", "issue.txt"]
    message = email.message_from_bytes((folder / "issue.eml").read_bytes(),
                                       policy=email.policy.default)
    assert message.get_content_type() == "multipart/alternative"
    assert json.loads((folder / "issue.json").read_text())["lead"]["title"].startswith("Biden")
    assert "Do we need a treaty" in (folder / "issue.txt").read_text()
    assert not list(tmp_path.rglob("*.tmp")), "temporary files were left behind"


def test_view_in_browser_points_at_the_archived_page(tmp_path: Path) -> None:
    folder = _archive(tmp_path, seeds_issue())
    tree = lxml.html.document_fromstring((folder / "index.html").read_text())
    view = next(a.get("href") for a in tree.iter("a") if a.text_content() == "View in browser")
    relative = folder.relative_to(tmp_path).as_posix()
    assert view.startswith(f"https://example.org/digest/{relative}/?")


def test_the_index_lists_issues_newest_first(tmp_path: Path) -> None:
    _archive(tmp_path, seeds_issue())
    _archive(tmp_path, big_issue(5, number=2))
    index = lxml.html.document_fromstring((tmp_path / "index.html").read_text())
    links = [a.get("href") for a in index.iter("a")]
    assert links == ["issues/0002-2026-11-22/", "issues/0001-2026-11-22/"]
    assert all((tmp_path / href / "index.html").is_file() for href in links)
    assert "The Weekly Round-up #2" in index.text_content()


def test_an_archived_issue_is_not_overwritten_without_force(tmp_path: Path) -> None:
    folder = _archive(tmp_path, seeds_issue())
    (folder / "index.html").write_text("the sent version")
    with pytest.raises(DigestError, match="issue 1 is already archived") as caught:
        _archive(tmp_path, seeds_issue())
    assert caught.value.hint == "pass --force to replace it"
    assert (folder / "index.html").read_text() == "the sent version"
    _archive(tmp_path, seeds_issue(), force=True)
    assert (folder / "index.html").read_text().startswith("<!doctype html>")


def test_force_replaces_an_issue_archived_under_another_date(tmp_path: Path) -> None:
    _archive(tmp_path, seeds_issue())
    later = seeds_issue()
    later = type(later)(**{**later.__dict__, "period_end": date(2026, 11, 23)})
    folder = _archive(tmp_path, later, force=True)
    assert [p.name for p in (tmp_path / "issues").iterdir()] == [folder.name]


def test_a_broken_archived_issue_is_left_out_of_the_index(tmp_path: Path) -> None:
    _archive(tmp_path, seeds_issue())
    broken = tmp_path / "issues" / "0009-2026-01-01"
    broken.mkdir()
    (broken / "issue.json").write_text("{not json")
    write_index(tmp_path)
    index = (tmp_path / "index.html").read_text()
    assert "0001-2026-11-22" in index and "0009" not in index


def test_the_render_command_path_archives_with_the_configured_settings(tmp_path: Path) -> None:
    config = parse_config(
        {"newsletter": {"base_url": "https://news.example.com/", "from": "N <n@example.com>"},
         "output": {"dir": "archive"}},
        tmp_path / "config.yaml",
    )
    folder, rendered = archive_issue(config, seeds_issue())
    assert folder == tmp_path / "archive" / "issues" / "0001-2026-11-22"
    assert "https://news.example.com/issues/0001-2026-11-22/" in rendered.text
    assert (tmp_path / "archive" / "index.html").is_file()


def test_digest_render_archive_writes_once_and_replaces_only_with_force(
    tmp_path: Path, root: Path
) -> None:
    shutil.copytree(root / "seeds", tmp_path / "seeds")
    shutil.copy(root / "config.yaml", tmp_path / "config.yaml")
    config = str(tmp_path / "config.yaml")
    first = CliRunner().invoke(cli, ["render", "-c", config, "--archive"])
    assert first.exit_code == 0, first.output
    folder = next((tmp_path / "out" / "issues").iterdir())
    assert f"archived issue 1 in {folder}" in first.stderr
    assert first.stdout == ""
    page = (folder / "index.html").read_text(encoding="utf-8")
    assert "Do we need a treaty on neutrality?" in page
    assert (tmp_path / "out" / "index.html").is_file()
    again = CliRunner().invoke(cli, ["render", "-c", config, "--archive"])
    assert again.exit_code == 1
    assert "issue 1 is already archived" in again.stderr and "--force" in again.stderr
    forced = CliRunner().invoke(cli, ["render", "-c", config, "--archive", "--force"])
    assert forced.exit_code == 0, forced.output
