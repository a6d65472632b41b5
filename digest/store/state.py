"""The SQLite state store: which documents earlier issues took, feed validators, issues, deliveries
and readers (`readers`) and issues held for review (`reviews`).

This is the only module with SQL. Every public method is one transaction that commits before it
returns, so a crash never leaves half a change. The database runs in WAL mode with a busy timeout,
and its schema carries a version number in the `schema_version` table.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from digest.errors import DigestError
from digest.models import Document
from digest.store.readers import SCHEMA as READERS_SCHEMA
from digest.store.readers import Readers
from digest.store.reviews import SCHEMA as REVIEWS_SCHEMA
from digest.store.reviews import Reviews

# 2: issues held for review ("review", "approved") and the `reviews` table. An older digest
# would take a held issue for an unsent one and send it unreviewed, so it must refuse the file.
SCHEMA_VERSION = 2
BUSY_TIMEOUT_MS = 10_000
DELIVERY_STATUSES = ("sent", "failed", "sending")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS issues (
    number INTEGER PRIMARY KEY,
    period_start TEXT NOT NULL,
    period_end TEXT NOT NULL,
    subject TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'built',
    created TEXT NOT NULL,
    sent_at TEXT
);
CREATE TABLE IF NOT EXISTS taken (
    source TEXT NOT NULL,
    uid TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    issue INTEGER NOT NULL,
    first_seen TEXT NOT NULL,
    PRIMARY KEY (source, uid)
);
CREATE TABLE IF NOT EXISTS feed_validators (
    source TEXT PRIMARY KEY,
    etag TEXT,
    last_modified TEXT
);
CREATE TABLE IF NOT EXISTS deliveries (
    issue INTEGER NOT NULL,
    recipient TEXT NOT NULL,
    status TEXT NOT NULL,
    error TEXT,
    updated TEXT NOT NULL,
    PRIMARY KEY (issue, recipient)
);
""" + READERS_SCHEMA + REVIEWS_SCHEMA


@dataclass(frozen=True)
class TakenRecord:
    """When and in which issue a document was first taken, and the hash of what was taken."""

    content_hash: str
    issue: int
    first_seen: datetime


@dataclass(frozen=True)
class IssueRecord:
    """One issue as the store knows it: built, or sent and when."""

    number: int
    status: str
    created: datetime
    sent_at: datetime | None
    subject: str = ""
    period_start: date | None = None
    period_end: date | None = None


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _when(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)


class StateStore:
    """What earlier issues took and sent, kept in one SQLite file."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._db = connection
        self.readers = Readers(connection)
        self.reviews = Reviews(connection)

    def last_issue_number(self) -> int:
        """The highest issue number recorded, or 0 before the first issue."""
        row = self._db.execute("SELECT MAX(number) FROM issues").fetchone()
        return int(row[0] or 0)

    def taken(self, source: str, uid: str) -> TakenRecord | None:
        """The record of an earlier issue taking this document, or None."""
        row = self._db.execute(
            "SELECT content_hash, issue, first_seen FROM taken WHERE source = ? AND uid = ?",
            (source, uid),
        ).fetchone()
        if row is None:
            return None
        return TakenRecord(row[0], int(row[1]), datetime.fromisoformat(row[2]))

    def feed_validators(self, source: str) -> tuple[str | None, str | None]:
        """The (ETag, Last-Modified) a feed answered with last time, for a conditional GET."""
        row = self._db.execute(
            "SELECT etag, last_modified FROM feed_validators WHERE source = ?", (source,)
        ).fetchone()
        return (row[0], row[1]) if row else (None, None)

    def set_feed_validators(self, source: str, etag: str | None, last_modified: str | None) -> None:
        """Remember a feed's validators for the next conditional GET."""
        with self._db:
            self._db.execute(
                "INSERT INTO feed_validators (source, etag, last_modified) VALUES (?, ?, ?) "
                "ON CONFLICT(source) DO UPDATE SET etag = excluded.etag, "
                "last_modified = excluded.last_modified",
                (source, etag, last_modified),
            )

    def record_issue(
        self, number: int, period_start: date, period_end: date, subject: str
    ) -> None:
        """Record an issue as built; building the same number again updates it."""
        with self._db:
            self._db.execute(
                "INSERT INTO issues (number, period_start, period_end, subject, status, created) "
                "VALUES (?, ?, ?, ?, 'built', ?) ON CONFLICT(number) DO UPDATE SET "
                "period_start = excluded.period_start, period_end = excluded.period_end, "
                "subject = excluded.subject",
                (number, period_start.isoformat(), period_end.isoformat(), subject, _now()),
            )

    def mark_taken(self, number: int, documents: Iterable[Document]) -> None:
        """Mark documents as taken by issue `number`, all in one transaction."""
        now = _now()
        rows = [(d.source, d.uid, d.content_hash, number, now) for d in documents]
        with self._db:
            self._db.executemany(
                "INSERT INTO taken (source, uid, content_hash, issue, first_seen) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT(source, uid) DO UPDATE SET "
                "content_hash = excluded.content_hash, issue = excluded.issue",
                rows,
            )

    def mark_issue_sent(self, number: int) -> None:
        """Mark an issue as sent, with the time."""
        with self._db:
            self._db.execute(
                "UPDATE issues SET status = 'sent', sent_at = ? WHERE number = ?",
                (_now(), number),
            )

    def issue(self, number: int) -> IssueRecord | None:
        """The stored record of one issue, or None."""
        row = self._db.execute(
            "SELECT number, status, created, sent_at, subject, period_start, period_end "
            "FROM issues WHERE number = ?",
            (number,),
        ).fetchone()
        if row is None:
            return None
        return IssueRecord(
            int(row[0]), row[1], datetime.fromisoformat(row[2]), _when(row[3]), row[4],
            date.fromisoformat(row[5]), date.fromisoformat(row[6]),
        )

    def record_delivery(
        self, number: int, recipient: str, status: str, error: str | None = None
    ) -> None:
        """Record how sending issue `number` to one recipient went: sent, failed or sending."""
        if status not in DELIVERY_STATUSES:
            raise ValueError(f"delivery status must be one of {DELIVERY_STATUSES}, not {status!r}")
        with self._db:
            self._db.execute(
                "INSERT INTO deliveries (issue, recipient, status, error, updated) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT(issue, recipient) DO UPDATE SET "
                "status = excluded.status, error = excluded.error, updated = excluded.updated",
                (number, recipient, status, error, _now()),
            )

    def deliveries(self, number: int) -> dict[str, str]:
        """Each recipient of issue `number` and the status of its delivery."""
        rows = self._db.execute(
            "SELECT recipient, status FROM deliveries WHERE issue = ? ORDER BY recipient",
            (number,),
        ).fetchall()
        return {recipient: status for recipient, status in rows}


def _connect(path: Path, readonly: bool) -> sqlite3.Connection:
    if readonly and not path.exists():
        # An empty, read-only store in memory: a preview must not create the file.
        db = sqlite3.connect(":memory:", check_same_thread=False)
        db.executescript(_SCHEMA)
        db.execute("PRAGMA query_only = ON")
        return db
    if readonly:
        db = sqlite3.connect(
            f"{path.resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False
        )
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(path, check_same_thread=False)
    db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    _check(db, path)
    if not readonly:
        db.execute("PRAGMA journal_mode = WAL")
        _migrate(db)
    return db


def _check(db: sqlite3.Connection, path: Path) -> None:
    """Refuse a file that is not SQLite, or whose pages are damaged (the schedule's job store
    may share the file, so other tables are fine)."""
    problem = db.execute("PRAGMA quick_check(1)").fetchone()[0]
    if problem != "ok":
        raise sqlite3.DatabaseError(str(problem))


def _migrate(db: sqlite3.Connection) -> None:
    with db:
        db.executescript(_SCHEMA)
        row = db.execute("SELECT MAX(version) FROM schema_version").fetchone()
        version = row[0]
        if version is None:
            db.execute("INSERT INTO schema_version (version) VALUES (?)", (SCHEMA_VERSION,))
        elif version < SCHEMA_VERSION:
            db.execute("UPDATE schema_version SET version = ?", (SCHEMA_VERSION,))
        elif version > SCHEMA_VERSION:
            raise DigestError(
                f"state store has schema version {version}, newer than this digest "
                f"understands ({SCHEMA_VERSION})",
                "upgrade digest, or point state.path at another file",
            )


def store_exists(path: Path) -> bool:
    """True when a state store file is there and not empty (an empty file is a new store)."""
    try:
        return Path(path).stat().st_size > 0
    except OSError:
        return False


DAMAGED_HINT = ("restore it from a backup; or move it aside and run 'digest run --reset-state' "
                "to start a new one (the archive keeps the issue numbers going)")


@contextmanager
def open_store(path: Path, *, readonly: bool = False) -> Iterator[StateStore]:
    """Open the state store at `path`; read-only never creates or changes the file.

    A damaged store, when opened or while in use, is one DigestError naming the file.
    """
    try:
        db = _connect(Path(path), readonly)
    except sqlite3.DatabaseError as exc:
        raise DigestError(f"{path}: cannot open the state store: damaged ({exc})",
                          DAMAGED_HINT) from exc
    except sqlite3.Error as exc:
        raise DigestError(
            f"{path}: cannot open the state store: {exc}",
            "check that state.path points at a writable SQLite file",
        ) from exc
    try:
        yield StateStore(db)
    except sqlite3.DatabaseError as exc:
        if isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc):
            raise
        raise DigestError(f"{path}: the state store is damaged ({exc})", DAMAGED_HINT) from exc
    finally:
        db.close()
