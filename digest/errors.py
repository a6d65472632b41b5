"""The one error type that reaches the user: a one-line message and a hint."""

from __future__ import annotations


class DigestError(Exception):
    """A problem the user can fix: bad config, missing source, undeliverable message.

    The CLI prints ``message`` on one line, then ``hint`` when there is one, and exits 1.
    """

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message


class SourceError(DigestError):
    """One source (a folder, feed, page or file) could not be read; the rest goes on."""

    def __init__(self, source: str, problem: str, hint: str | None = None) -> None:
        super().__init__(f"{source}: {problem}", hint)
        self.source = source
        self.problem = problem


class NothingNew(DigestError):
    """No source holds anything that an earlier issue did not take."""
