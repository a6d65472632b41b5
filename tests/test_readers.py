"""Readers in the state store, `digest subscribers`, and who `digest run` sends to."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from digest.config import load_config
from digest.run.job import run_issue
from digest.store.readers import CONFIRM_LIMIT, new_reader
from digest.store.state import open_store
from tests.smtpserver import SmtpServer, write_config

ROOT = Path(__file__).resolve().parent.parent


def digest(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """The digest command line in its own process."""
    return subprocess.run([sys.executable, "-m", "digest", *args], capture_output=True,
                          text=True, timeout=120, cwd=ROOT, input=stdin, env=dict(os.environ))


def test_a_reader_goes_from_pending_to_confirmed_to_unsubscribed(tmp_path: Path) -> None:
    with open_store(tmp_path / "state.db") as store:
        readers = store.readers
        assert readers.may_confirm("ann@example.org")
        readers.confirmation_sent("Ann@Example.org", "web")
        assert readers.get("ann@example.org").status == "pending"  # type: ignore[union-attr]
        assert readers.confirm("ann@example.org", datetime.now(UTC))
        ann = readers.get("ANN@example.org")
        assert ann is not None and ann.status == "confirmed" and ann.confirmed is not None
        assert ann.source == "web"
        assert not readers.may_confirm("ann@example.org")  # confirmed: no more mail
        readers.unsubscribe("ann@example.org")
        ann = readers.get("ann@example.org")
        assert ann is not None and ann.status == "unsubscribed" and ann.unsubscribed is not None
        assert len(readers.all()) == 1


def test_a_link_made_before_an_unsubscribe_does_not_subscribe_again(tmp_path: Path) -> None:
    with open_store(tmp_path / "state.db") as store:
        store.readers.unsubscribe("ann@example.org")
        old_link = datetime.now(UTC) - timedelta(hours=1)
        assert not store.readers.confirm("ann@example.org", old_link)
        assert store.readers.get("ann@example.org").status == "unsubscribed"  # type: ignore[union-attr]


def test_confirmation_messages_per_address_are_limited(tmp_path: Path) -> None:
    now = datetime.now(UTC)
    with open_store(tmp_path / "state.db") as store:
        for _ in range(CONFIRM_LIMIT):
            assert store.readers.may_confirm("ann@example.org", now)
            store.readers.confirmation_sent("ann@example.org", "web", now)
        assert not store.readers.may_confirm("ann@example.org", now)
        assert store.readers.may_confirm("ann@example.org", now + timedelta(days=1, seconds=1))
        assert len(store.readers.all()) == 1


def test_the_mailing_list_is_static_and_confirmed_readers_never_unsubscribed(
    tmp_path: Path,
) -> None:
    with open_store(tmp_path / "state.db") as store:
        store.readers.add([new_reader("cai@example.org", "cli"),
                           new_reader("dee@example.org", "web", "pending"),
                           new_reader("Bob@example.org", "import")])
        store.readers.unsubscribe("zoe@example.org")
        listed = store.readers.mailing_list(["Ann@example.org", "zoe@example.org",
                                             "bob@example.org"])
    assert listed == ["Ann@example.org", "bob@example.org", "cai@example.org"]


def test_run_sends_to_confirmed_readers_without_static_recipients(tmp_path: Path) -> None:
    with SmtpServer() as server:
        config_path = write_config(tmp_path, server.port, [])
        config = load_config(config_path)
        first = run_issue(config)  # nobody yet: the issue is archived and recorded
        with open_store(config.state.path) as store:
            store.readers.add([new_reader("ann@example.org", "cli"),
                               new_reader("bob@example.org", "web", "pending")])
        (tmp_path / "articles" / "new.txt").write_text(
            "A new story\n\nThe council opened a new bridge over the river on Monday. "
            "It carries cyclists and walkers.\n", encoding="utf-8")
        second = run_issue(config)
    assert "sent 0, failed 0, no readers yet" in first.summary
    assert second.sent == 1 and server.handler.recipients() == ["ann@example.org"]


def test_subscribers_commands_add_list_remove_export_and_import(tmp_path: Path) -> None:
    config = write_config(tmp_path, 2525, [])
    c = str(config)
    added = digest("subscribers", "add", "-c", c, "ann@example.org", "Bob <bob@example.org>")
    assert added.returncode == 0, added.stderr
    assert "added 2, already there 0" in added.stderr
    assert "already there 1" in digest("subscribers", "add", "-c", c, "ann@example.org").stderr
    bad = digest("subscribers", "add", "-c", c, "ann@")
    assert bad.returncode == 1 and "not an email address: 'ann@'" in bad.stderr
    assert "bob@example.org: unsubscribed" in digest("subscribers", "remove", "-c", c,
                                                      "bob@example.org").stderr
    listed = json.loads(digest("subscribers", "list", "-c", c, "--format", "json").stdout)
    assert [(r["email"], r["status"], r["source"]) for r in listed] == [
        ("ann@example.org", "confirmed", "cli"), ("bob@example.org", "unsubscribed", "cli")]
    table = digest("subscribers", "list", "-c", c)
    assert "ann@example.org" in table.stdout and "1 confirmed" in table.stderr
    exported = digest("subscribers", "export", "-c", c, "--format", "csv").stdout
    rows = list(csv.DictReader(io.StringIO(exported)))
    assert [r["email"] for r in rows] == ["ann@example.org", "bob@example.org"]

    other = write_config(tmp_path / "other", 2525, [])
    (tmp_path / "readers.csv").write_text(exported + "cai@example.org,pending,,,,,\n",
                                          encoding="utf-8")
    imported = digest("subscribers", "import", "-c", str(other), str(tmp_path / "readers.csv"))
    assert imported.returncode == 0, imported.stderr
    again = json.loads(digest("subscribers", "export", "-c", str(other), "-f", "json").stdout)
    assert [(r["email"], r["status"]) for r in again] == [
        ("ann@example.org", "confirmed"), ("bob@example.org", "unsubscribed"),
        ("cai@example.org", "pending")]
    assert again[0]["created"] == rows[0]["created"]  # times survive the round trip
    forgotten = digest("subscribers", "remove", "-c", str(other), "--forget", "bob@example.org")
    assert "forgotten" in forgotten.stderr


@pytest.mark.parametrize(("name", "text", "problem"), [
    ("list.txt", "ann@example.org\n# a comment\nnot-an-address\n", "list.txt:3: not an email"),
    ("list.json", '["ann@example.org", {"email": "bob@"}]', "list.json[1]: not an email"),
    ("list.csv", "email,status\nann@example.org,gone\n", "list.csv:2: status must be one of"),
])
def test_a_bad_import_line_is_named_and_nothing_is_imported(
    tmp_path: Path, name: str, text: str, problem: str,
) -> None:
    config = str(write_config(tmp_path, 2525, []))
    (tmp_path / name).write_text(text, encoding="utf-8")
    result = digest("subscribers", "import", "-c", config, str(tmp_path / name))
    assert result.returncode == 1 and problem in result.stderr, result.stderr
    assert json.loads(digest("subscribers", "export", "-c", config, "-f", "json").stdout) == []
