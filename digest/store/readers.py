"""Readers in the state store: who subscribed, who confirmed, who left, when and from where.

Addresses are kept in lower case, one row each. A reader is ``pending`` until the link in the
confirmation message is opened, then ``confirmed``; ``unsubscribed`` is final unless the reader
confirms again. Every method is one committed transaction. Issues go to confirmed readers and
the configured static recipients, never to an unsubscribed address (`mailing_list`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

STATUSES = ("pending", "confirmed", "unsubscribed")
CONFIRM_LIMIT = 3
CONFIRM_WINDOW = timedelta(hours=24)

SCHEMA = """
CREATE TABLE IF NOT EXISTS readers (
    address TEXT PRIMARY KEY,
    status TEXT NOT NULL CHECK (status IN ('pending', 'confirmed', 'unsubscribed')),
    source TEXT NOT NULL,
    created TEXT NOT NULL,
    confirmed_at TEXT,
    unsubscribed_at TEXT,
    updated TEXT NOT NULL,
    confirm_window TEXT,
    confirm_count INTEGER NOT NULL DEFAULT 0
);
"""
_COLUMNS = "address, status, source, created, confirmed_at, unsubscribed_at, updated"


@dataclass(frozen=True)
class Reader:
    """One reader as the store knows them."""

    address: str
    status: str
    source: str
    created: datetime
    confirmed: datetime | None = None
    unsubscribed: datetime | None = None
    updated: datetime | None = None

    def as_dict(self) -> dict[str, str]:
        """The reader as plain strings, for CSV and JSON export (empty for no time)."""
        def when(value: datetime | None) -> str:
            return value.isoformat() if value else ""

        return {"email": self.address, "status": self.status, "source": self.source,
                "created": when(self.created), "confirmed": when(self.confirmed),
                "unsubscribed": when(self.unsubscribed), "updated": when(self.updated)}


@dataclass(frozen=True)
class ImportCounts:
    """What an import did: new readers, readers already there, unsubscribed ones left alone."""

    added: int = 0
    existing: int = 0
    unsubscribed: int = 0


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def _text(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _when(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _reader(row: tuple[str, ...]) -> Reader:
    created = datetime.fromisoformat(row[3])
    return Reader(row[0], row[1], row[2], created, _when(row[4]), _when(row[5]), _when(row[6]))


class Readers:
    """The readers table of one state store connection."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._db = connection

    def get(self, address: str) -> Reader | None:
        """The reader with this address (any case), or None."""
        try:
            row = self._db.execute(f"SELECT {_COLUMNS} FROM readers WHERE address = ?",
                                   (address.lower(),)).fetchone()
        except sqlite3.OperationalError:  # a read-only store from before readers existed
            return None
        return _reader(row) if row else None

    def all(self, status: str | None = None) -> list[Reader]:
        """Every reader, oldest first, or only those with `status`."""
        query, args = f"SELECT {_COLUMNS} FROM readers", []
        if status is not None:
            query, args = query + " WHERE status = ?", [status]
        try:
            rows = self._db.execute(query + " ORDER BY created, address", args).fetchall()
        except sqlite3.OperationalError:
            return []
        return [_reader(row) for row in rows]

    def mailing_list(self, static: Iterable[str]) -> list[str]:
        """Static recipients, then confirmed readers, once each, without unsubscribed ones."""
        left = {r.address for r in self.all("unsubscribed")}
        found: dict[str, str] = {}
        for address in [*static, *(r.address for r in self.all("confirmed"))]:
            if address.lower() not in left:
                found.setdefault(address.lower(), address)
        return list(found.values())

    def may_confirm(self, address: str, now: datetime | None = None) -> bool:
        """Whether a confirmation message may go to this address now (not confirmed yet, and
        fewer than CONFIRM_LIMIT messages in the last CONFIRM_WINDOW)."""
        now = now or _now()
        row = self._db.execute(
            "SELECT status, confirm_window, confirm_count FROM readers WHERE address = ?",
            (address.lower(),),
        ).fetchone()
        if row is None:
            return True
        status, window, count = row
        if status == "confirmed":
            return False
        return window is None or now - datetime.fromisoformat(window) >= CONFIRM_WINDOW or \
            count < CONFIRM_LIMIT

    def confirmation_sent(self, address: str, source: str, now: datetime | None = None) -> None:
        """Record that a confirmation message went out: a new reader is pending from now on."""
        now = now or _now()
        start = _text(now - CONFIRM_WINDOW)
        with self._db:
            self._db.execute(
                "INSERT INTO readers (address, status, source, created, updated, confirm_window, "
                "confirm_count) VALUES (?, 'pending', ?, ?, ?, ?, 1) ON CONFLICT(address) DO "
                "UPDATE SET updated = excluded.updated, "
                "confirm_count = CASE WHEN confirm_window IS NULL OR confirm_window <= ? "
                "THEN 1 ELSE confirm_count + 1 END, "
                "confirm_window = CASE WHEN confirm_window IS NULL OR confirm_window <= ? "
                "THEN excluded.confirm_window ELSE confirm_window END",
                (address.lower(), source, _text(now), _text(now), _text(now), start, start),
            )

    def confirm(self, address: str, issued: datetime, source: str = "web") -> bool:
        """Confirm a reader from a link issued at `issued`; False when they unsubscribed since."""
        now = _text(_now())
        with self._db:
            cursor = self._db.execute(
                "INSERT INTO readers (address, status, source, created, confirmed_at, updated) "
                "VALUES (?, 'confirmed', ?, ?, ?, ?) ON CONFLICT(address) DO UPDATE SET "
                "status = 'confirmed', confirmed_at = COALESCE(CASE WHEN status = 'confirmed' "
                "THEN confirmed_at END, excluded.confirmed_at), updated = excluded.updated "
                "WHERE unsubscribed_at IS NULL OR unsubscribed_at < ?",
                (address.lower(), source, now, now, now, _text(issued)),
            )
        return cursor.rowcount > 0

    def unsubscribe(self, address: str, source: str = "web") -> None:
        """Mark a reader unsubscribed (a new row if the address was a static recipient only)."""
        now = _text(_now())
        with self._db:
            self._db.execute(
                "INSERT INTO readers (address, status, source, created, unsubscribed_at, updated) "
                "VALUES (?, 'unsubscribed', ?, ?, ?, ?) ON CONFLICT(address) DO UPDATE SET "
                "status = 'unsubscribed', updated = excluded.updated, unsubscribed_at = "
                "CASE WHEN status = 'unsubscribed' THEN unsubscribed_at "
                "ELSE excluded.unsubscribed_at END",
                (address.lower(), source, now, now, now),
            )

    def resubscribe(self, address: str, source: str = "web") -> None:
        """Confirm a reader again at their own request, whatever they were before."""
        now = _text(_now())
        with self._db:
            self._db.execute(
                "INSERT INTO readers (address, status, source, created, confirmed_at, updated) "
                "VALUES (?, 'confirmed', ?, ?, ?, ?) ON CONFLICT(address) DO UPDATE SET "
                "status = 'confirmed', confirmed_at = excluded.confirmed_at, "
                "unsubscribed_at = NULL, updated = excluded.updated",
                (address.lower(), source, now, now, now),
            )

    def forget(self, address: str) -> bool:
        """Delete everything about a reader; whether there was anything."""
        with self._db:
            cursor = self._db.execute("DELETE FROM readers WHERE address = ?", (address.lower(),))
        return cursor.rowcount > 0

    def add(self, readers: Iterable[Reader]) -> ImportCounts:
        """Add readers in one transaction; addresses already there keep their record."""
        added = existing = left = 0
        with self._db:
            for reader in readers:
                row = self._db.execute("SELECT status FROM readers WHERE address = ?",
                                       (reader.address.lower(),)).fetchone()
                if row is not None:
                    left += row[0] == "unsubscribed"
                    existing += row[0] != "unsubscribed"
                    continue
                self._db.execute(
                    f"INSERT INTO readers ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (reader.address.lower(), reader.status, reader.source,
                     _text(reader.created), _text(reader.confirmed),
                     _text(reader.unsubscribed), _text(reader.updated or _now())),
                )
                added += 1
        return ImportCounts(added, existing, left)


def new_reader(address: str, source: str, status: str = "confirmed",
               created: datetime | None = None) -> Reader:
    """A Reader to `add`, with its times set for its status."""
    if status not in STATUSES:
        raise ValueError(f"status must be one of {', '.join(STATUSES)}, not {status!r}")
    now = _now()
    created = created or now
    return Reader(address.lower(), status, source, created,
                  created if status == "confirmed" else None,
                  now if status == "unsubscribed" else None, now)
