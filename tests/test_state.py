"""The SQLite state store on real files: what was taken, validators, issues and deliveries."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest

from digest.errors import DigestError
from digest.models import Document
from digest.store.state import SCHEMA_VERSION, open_store


def doc(uid: str, text: str = "body", source: str = "feed") -> Document:
    """A document with a content hash made from its text."""
    return Document(source=source, uid=uid, body=text, content_hash=f"hash-{text}")


def test_readonly_on_a_missing_file_is_empty_and_creates_nothing(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "state.db"
    with open_store(path, readonly=True) as store:
        assert store.last_issue_number() == 0
        assert store.taken("feed", "a") is None
        assert store.feed_validators("feed") == (None, None)
        assert store.deliveries(1) == {}
    assert not path.exists() and not path.parent.exists()


def test_taken_documents_survive_reopening(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    with open_store(path) as store:
        store.record_issue(1, date(2024, 5, 1), date(2024, 5, 7), "Issue 1")
        store.mark_taken(1, [doc("a", "one"), doc("b", "two")])
    with open_store(path, readonly=True) as store:
        record = store.taken("feed", "a")
        assert store.last_issue_number() == 1
        assert record is not None and record.issue == 1 and record.content_hash == "hash-one"
        assert record.first_seen.tzinfo is not None
        assert store.taken("other-source", "a") is None


def test_taking_again_updates_hash_and_issue_but_keeps_first_seen(tmp_path: Path) -> None:
    with open_store(tmp_path / "s.db") as store:
        store.mark_taken(1, [doc("a", "old")])
        first = store.taken("feed", "a")
        store.mark_taken(2, [doc("a", "new")])
        again = store.taken("feed", "a")
    assert first and again
    assert (again.issue, again.content_hash) == (2, "hash-new")
    assert again.first_seen == first.first_seen


def test_feed_validators_round_trip(tmp_path: Path) -> None:
    with open_store(tmp_path / "s.db") as store:
        store.set_feed_validators("blog", '"abc"', "Wed, 01 May 2024 10:00:00 GMT")
        store.set_feed_validators("blog", '"def"', None)
        assert store.feed_validators("blog") == ('"def"', None)
        assert store.feed_validators("other") == (None, None)


def test_issue_lifecycle_built_then_sent(tmp_path: Path) -> None:
    with open_store(tmp_path / "s.db") as store:
        assert store.issue(3) is None
        store.record_issue(3, date(2024, 5, 1), date(2024, 5, 7), "The Round-up #3")
        built = store.issue(3)
        assert built and built.status == "built" and built.sent_at is None
        assert built.subject == "The Round-up #3" and built.period_end == date(2024, 5, 7)
        store.mark_issue_sent(3)
        sent = store.issue(3)
    assert sent and sent.status == "sent" and sent.sent_at is not None


def test_deliveries_keep_the_latest_status_per_recipient(tmp_path: Path) -> None:
    with open_store(tmp_path / "s.db") as store:
        store.record_delivery(1, "a@example.org", "sending")
        store.record_delivery(1, "b@example.org", "failed", "550 no such user")
        store.record_delivery(1, "a@example.org", "sent")
        store.record_delivery(2, "a@example.org", "sending")
        assert store.deliveries(1) == {"a@example.org": "sent", "b@example.org": "failed"}
        with pytest.raises(ValueError, match="delivery status"):
            store.record_delivery(1, "c@example.org", "lost")


def test_each_call_commits_so_another_connection_sees_it(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    with open_store(path) as writer:
        writer.mark_taken(1, [doc("a")])
        with open_store(path, readonly=True) as reader:
            assert reader.taken("feed", "a") is not None


def test_store_is_wal_with_a_schema_version(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    with open_store(path):
        pass
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("SELECT version FROM schema_version").fetchall() == [(SCHEMA_VERSION,)]
    db.close()


def test_readonly_store_refuses_writes(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    with open_store(path):
        pass
    with open_store(path, readonly=True) as store, pytest.raises(sqlite3.OperationalError):
        store.mark_taken(1, [doc("a")])
    missing = tmp_path / "missing.db"
    with open_store(missing, readonly=True) as store, pytest.raises(sqlite3.OperationalError):
        store.mark_taken(1, [doc("a")])


def test_a_newer_schema_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    with open_store(path):
        pass
    db = sqlite3.connect(path)
    db.execute("UPDATE schema_version SET version = ?", (SCHEMA_VERSION + 1,))
    db.commit()
    db.close()
    newer = pytest.raises(DigestError, match="newer than this digest understands")
    with newer, open_store(path):
        pass


def test_a_file_that_is_not_sqlite_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    path.write_text("this is not a database, just some text " * 100)
    with pytest.raises(DigestError, match="cannot open the state store"), open_store(path):
        pass
