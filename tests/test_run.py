"""`digest run` end to end: real folder source, real SQLite state, aiosmtpd on 127.0.0.1."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from digest.config import load_config
from digest.deliver.smtp import recipient_token
from digest.errors import DigestError
from digest.render.message import list_id
from digest.run.job import run_issue
from digest.run.lock import run_lock
from digest.store.state import open_store
from tests.smtpserver import SmtpServer, free_port, write_config

ROOT = Path(__file__).resolve().parent.parent
READERS = ["ann@example.org", "bob@example.org", "cai@example.org"]


@pytest.fixture(autouse=True)
def no_token_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tokens in these tests are the plain hashes, whatever the caller's environment holds."""
    monkeypatch.delenv("DIGEST_TOKEN_SECRET", raising=False)


def digest(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run the digest command line as its own process."""
    env = {k: v for k, v in os.environ.items() if k != "DIGEST_TOKEN_SECRET"}
    return subprocess.run([sys.executable, "-m", "digest", *args], capture_output=True,
                           text=True, timeout=timeout, cwd=ROOT, env=env)


def issue_state(config_path: Path, number: int = 1) -> tuple[str | None, dict[str, str]]:
    """The stored status of an issue and of its deliveries."""
    with open_store(load_config(config_path).state.path, readonly=True) as store:
        record = store.issue(number)
        return (record.status if record else None), store.deliveries(number)


def test_a_run_sends_each_reader_their_own_issue_and_a_second_run_sends_nothing(
    tmp_path: Path,
) -> None:
    with SmtpServer() as server:
        config_path = write_config(tmp_path, server.port, READERS)
        first = digest("run", "-c", str(config_path))
        second = digest("run", "-c", str(config_path))
    assert first.returncode == 0, first.stderr
    assert "issue 1: 3 stories, sent 3, failed 0" in first.stderr
    assert second.returncode == 0, second.stderr
    assert "nothing new since issue 1" in second.stderr
    assert sorted(server.handler.recipients()) == READERS
    listed = list_id(load_config(config_path).newsletter)
    for reader in READERS:
        (received,) = server.handler.for_recipient(reader)
        message = received.message
        token = recipient_token(reader, listed)
        assert message.get_content_type() == "multipart/alternative"
        assert [p.get_content_type() for p in message.iter_parts()] == ["text/plain", "text/html"]
        assert message["From"] == "Test Round-up <roundup@example.org>"
        assert message["To"] == reader
        assert message["Subject"].startswith("Test Round-up")
        assert f"<https://example.org/unsubscribe?token={token}>" in message["List-Unsubscribe"]
        assert f"token={token}" in message.get_body(("html",)).get_content()
        assert received.mail_from == "roundup@example.org"
    assert issue_state(config_path) == ("sent", dict.fromkeys(READERS, "sent"))
    assert list((tmp_path / "out" / "issues").glob("0001-*/issue.eml"))


def test_a_refused_reader_is_recorded_and_the_others_get_theirs(tmp_path: Path) -> None:
    with SmtpServer() as server:
        server.handler.fail("bob@example.org", 550)
        result = run_issue(load_config(write_config(tmp_path, server.port, READERS)))
    assert sorted(server.handler.recipients()) == ["ann@example.org", "cai@example.org"]
    assert result.failed["bob@example.org"].startswith("550")
    assert "sent 2, failed 1" in result.summary
    status, deliveries = issue_state(tmp_path / "config.yaml")
    assert status == "sent"
    assert deliveries["bob@example.org"] == "failed"


def test_a_temporary_refusal_is_retried_and_delivered_once(tmp_path: Path) -> None:
    with SmtpServer() as server:
        server.handler.fail("bob@example.org", 451, times=1)
        result = run_issue(load_config(write_config(tmp_path, server.port, READERS)))
    assert sorted(server.handler.recipients()) == READERS
    assert result.sent == 3 and not result.failed


def test_when_every_reader_fails_the_issue_stays_unsent_and_the_next_run_resumes_it(
    tmp_path: Path,
) -> None:
    with SmtpServer() as server:
        config = load_config(write_config(tmp_path, server.port, READERS[:2]))
        for reader in READERS[:2]:
            server.handler.fail(reader, 554, times=1)
        with pytest.raises(DigestError, match="issue 1: every recipient failed"):
            run_issue(config)
        assert issue_state(tmp_path / "config.yaml")[0] == "built"
        result = run_issue(config)
    assert result.summary.startswith("issue 1 (resumed): 3 stories, sent 2, failed 0")
    assert sorted(server.handler.recipients()) == READERS[:2]
    assert issue_state(tmp_path / "config.yaml")[0] == "sent"


@pytest.mark.parametrize(("connections", "answer_delay"), [(1, 0.0), (4, 0.0), (4, 0.2)])
def test_a_run_killed_while_sending_is_resumed_and_no_reader_is_missed(
    tmp_path: Path, connections: int, answer_delay: float
) -> None:
    # With `answer_delay`, the server keeps each message and only then waits to say so: the
    # state a crash makes ambiguous. Whatever the connections, one message at a time is in it.
    readers = [f"reader{i:02d}@example.org" for i in range(10 * connections)]
    with SmtpServer(delay=0.3 - answer_delay) as server:
        server.handler.answer_delay = answer_delay
        config_path = write_config(tmp_path, server.port, readers, connections=connections)
        process = subprocess.Popen([sys.executable, "-m", "digest", "run", "-c", str(config_path)],
                                   cwd=ROOT, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while len(server.handler.recipients()) < 3 and time.monotonic() < deadline:
            time.sleep(0.05)
        process.send_signal(signal.SIGKILL)
        process.wait()
        got_before = len(server.handler.recipients())
        assert 3 <= got_before < len(readers)
        assert issue_state(config_path)[0] == "built"
        again = digest("run", "-c", str(config_path))
    assert again.returncode == 0, again.stderr
    assert "issue 1 (resumed)" in again.stderr
    counts = {r: server.handler.recipients().count(r) for r in readers}
    assert all(count >= 1 for count in counts.values()), counts
    # Only the one message whose final dot was out at the kill can arrive twice.
    assert sum(count - 1 for count in counts.values()) <= 1, counts
    assert issue_state(config_path) == ("sent", dict.fromkeys(readers, "sent"))


def test_two_runs_at_once_never_send_twice(tmp_path: Path) -> None:
    readers = [f"reader{i}@example.org" for i in range(5)]
    with SmtpServer(delay=0.1) as server:
        config_path = write_config(tmp_path, server.port, readers)
        command = [sys.executable, "-m", "digest", "run", "-c", str(config_path)]
        runs = [subprocess.Popen(command, cwd=ROOT, stderr=subprocess.PIPE, text=True)
                for _ in range(2)]
        outputs = [run.communicate(timeout=120)[1] for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    assert sorted(server.handler.recipients()) == readers
    assert sum("nothing new since issue 1" in output for output in outputs) == 1


def test_a_second_run_gives_up_naming_the_run_that_holds_the_lock(tmp_path: Path) -> None:
    config_path = write_config(tmp_path, 25, READERS)
    with run_lock(load_config(config_path).state.path):
        result = digest("run", "-c", str(config_path), "--wait", "0.2")
    assert result.returncode == 1
    assert f"Error: another digest run is in progress (pid {os.getpid()})" in result.stderr


def test_a_dry_run_builds_the_issue_but_writes_and_sends_nothing(tmp_path: Path) -> None:
    with SmtpServer() as server:
        config_path = write_config(tmp_path, server.port, READERS)
        result = digest("run", "-c", str(config_path), "--dry-run")
    assert result.returncode == 0, result.stderr
    assert "issue 1 (dry run): 3 stories, would send to 3 readers" in result.stderr
    assert server.handler.received == []
    assert not (tmp_path / "out").exists()
    assert not (tmp_path / "state" / "state.db").exists()


def test_a_missing_password_variable_stops_the_run_before_anything_is_built(
    tmp_path: Path,
) -> None:
    smtp = {"host": "127.0.0.1", "port": 25, "security": "none", "username": "digest",
            "password_env": "DIGEST_TEST_UNSET_PASSWORD"}
    config_path = write_config(tmp_path, 25, READERS)
    data = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    data["delivery"]["smtp"] = smtp
    config_path.write_text(yaml.safe_dump(data), encoding="utf-8")
    result = digest("run", "-c", str(config_path))
    assert result.returncode == 1
    first = result.stderr.splitlines()[0]
    assert first.startswith("Error: delivery.smtp.password_env: environment variable "
                            "DIGEST_TEST_UNSET_PASSWORD is not set")
    assert not (tmp_path / "out").exists()


def test_the_snapshot_of_an_unsent_issue_gives_back_the_same_issue(tmp_path: Path) -> None:
    from digest import pipeline
    from digest.deliver import snapshot

    config = load_config(write_config(tmp_path, 25, READERS))
    built = pipeline.build_issue(config)
    path = snapshot.snapshot_path(config.state.path, built.issue.number)
    snapshot.save(path, built.issue, built.documents, {"feed": ("etag-1", None)})
    issue, documents, validators = snapshot.load(path)
    assert issue == built.issue
    assert [(d.source, d.uid, d.content_hash) for d in documents] == \
        [(d.source, d.uid, d.content_hash) for d in built.documents]
    assert validators == {"feed": ("etag-1", None)}


def test_send_when_empty_sends_an_issue_even_with_nothing_new(tmp_path: Path) -> None:
    with SmtpServer() as server:
        config = load_config(write_config(tmp_path, server.port, READERS[:1]))
        run_issue(config)
        quiet = run_issue(config)
        empty = load_config(write_config(tmp_path, server.port, READERS[:1],
                                         send_when_empty=True))
        result = run_issue(empty)
    assert quiet.summary == "nothing new since issue 1"
    assert result.summary.startswith("issue 2: 0 stories, sent 1, failed 0")
    assert len(server.handler.recipients()) == 2


def test_an_unreachable_server_stops_the_run_in_one_line_and_leaves_the_issue_unsent(
    tmp_path: Path,
) -> None:
    config_path = write_config(tmp_path, free_port(), READERS, retries=1)
    result = digest("run", "-c", str(config_path))
    assert result.returncode == 1
    assert result.stderr.splitlines()[0].startswith(
        "Error: smtp 127.0.0.1:") and "cannot connect" in result.stderr.splitlines()[0]
    status, deliveries = issue_state(config_path)
    assert status == "built"
    assert "sent" not in deliveries.values()


def test_force_builds_an_unsent_issue_afresh_instead_of_resuming_it(tmp_path: Path) -> None:
    with SmtpServer() as server:
        config = load_config(write_config(tmp_path, server.port, READERS[:2]))
        for reader in READERS[:2]:
            server.handler.fail(reader, 554, times=1)
        with pytest.raises(DigestError, match="every recipient failed"):
            run_issue(config)
        late = tmp_path / "articles" / "late-news.txt"
        late.write_text("Late news arrives before the resend\n\nThe council met again on "
                        "Tuesday evening. It agreed to publish the bridge accounts early. "
                        "The vote was unanimous.\n", encoding="utf-8")
        result = run_issue(config, force=True)
    assert result.summary.startswith("issue 1: 4 stories, sent 2, failed 0")
    assert len(list((tmp_path / "out" / "issues").glob("0001-*"))) == 1
    assert issue_state(tmp_path / "config.yaml")[0] == "sent"


def test_without_delivery_a_run_archives_the_issue_and_takes_its_documents(
    tmp_path: Path,
) -> None:
    config_path = write_config(tmp_path, free_port(), [])
    data = yaml.safe_load(config_path.read_text())
    del data["delivery"]
    config_path.write_text(yaml.safe_dump(data))
    first = digest("run", "-c", str(config_path))
    second = digest("run", "-c", str(config_path))
    assert first.returncode == 0, first.stderr
    assert "issue 1: 3 stories, archived, no delivery configured" in first.stderr
    assert list((tmp_path / "out" / "issues").iterdir())
    assert (tmp_path / "out" / "index.html").exists()
    assert issue_state(config_path) == ("sent", {})
    assert second.returncode == 0 and "nothing new since issue 1" in second.stderr


def test_readers_without_a_server_is_a_clear_error(tmp_path: Path) -> None:
    config_path = write_config(tmp_path, free_port(), READERS)
    data = yaml.safe_load(config_path.read_text())
    del data["delivery"]["smtp"]
    config_path.write_text(yaml.safe_dump(data))
    result = digest("run", "-c", str(config_path))
    assert result.returncode == 1
    assert "delivery.smtp is not set" in result.stderr
    assert issue_state(config_path) == (None, {})
