"""Issues held for review in the state store: when held, until when, the edits, the approval.

An issue held for review has the status "review" in `issues` and one row here; approving it
makes it "approved", and the run that sends it makes it "sent" as for any issue. The edits are
one JSON object, replaced whole. Every method is one committed transaction.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime

SCHEMA = """
CREATE TABLE IF NOT EXISTS reviews (
    issue INTEGER PRIMARY KEY,
    held TEXT NOT NULL,
    due TEXT,
    previewed TEXT,
    edits TEXT NOT NULL DEFAULT '{}',
    edited TEXT,
    approved TEXT,
    approved_by TEXT
);
"""


@dataclass(frozen=True)
class ReviewRecord:
    """An issue held for review: since when, until when, its edits (JSON) and its approval."""

    number: int
    held: datetime
    due: datetime | None
    previewed: datetime | None
    edits: str
    edited: datetime | None
    approved: datetime | None
    approved_by: str | None


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _when(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)


class Reviews:
    """The review records of held issues, on the state store's connection."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._db = connection

    def hold(self, number: int, due: datetime | None) -> None:
        """Hold a recorded issue for review until approved (or `due`), with no edits yet."""
        with self._db:
            self._db.execute("UPDATE issues SET status = 'review' WHERE number = ?", (number,))
            self._db.execute(
                "INSERT OR REPLACE INTO reviews (issue, held, due, edits) VALUES (?, ?, ?, '{}')",
                (number, _now(), due.isoformat(timespec="seconds") if due else None),
            )

    def previewed(self, number: int) -> None:
        """Record that the editors were mailed the preview of a held issue."""
        with self._db:
            self._db.execute("UPDATE reviews SET previewed = ? WHERE issue = ?", (_now(), number))

    def record_edits(self, number: int, edits: str) -> None:
        """Replace the edits (a JSON object) of a held issue."""
        with self._db:
            self._db.execute("UPDATE reviews SET edits = ?, edited = ? WHERE issue = ?",
                             (edits, _now(), number))

    def approve(self, number: int, by: str) -> None:
        """Mark a held issue approved (by an editor, or by its deadline); the next run sends it."""
        with self._db:
            self._db.execute("UPDATE issues SET status = 'approved' WHERE number = ? "
                             "AND status = 'review'", (number,))
            self._db.execute("UPDATE reviews SET approved = ?, approved_by = ? WHERE issue = ?",
                             (_now(), by, number))

    def get(self, number: int) -> ReviewRecord | None:
        """The review record of a held (or once held) issue, or None."""
        row = self._db.execute(
            "SELECT issue, held, due, previewed, edits, edited, approved, approved_by "
            "FROM reviews WHERE issue = ?", (number,),
        ).fetchone()
        if row is None:
            return None
        return ReviewRecord(int(row[0]), datetime.fromisoformat(row[1]), _when(row[2]),
                            _when(row[3]), row[4], _when(row[5]), _when(row[6]), row[7])
