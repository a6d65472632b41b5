"""Which issue built before `digest render` shows: one number again, or the unsent one.

After a send that did not finish, the preview is the issue the next run resumes (its snapshot in
`unsent/`; a held issue with its edits); `digest render --issue N` renders issue N from the
snapshot kept once it was sent.
"""

from __future__ import annotations

from digest.config import Config
from digest.deliver import snapshot
from digest.errors import DigestError
from digest.models import Issue
from digest.run import review


def built_issue(config: Config, number: int | None) -> tuple[Issue | None, str | None]:
    """An issue that was built before: number `number`, or (without one) the issue a send
    left unfinished, which the next run resumes; None when the next issue is a new one.
    The second value is a line saying which issue this is."""
    from digest.store.state import open_store

    with open_store(config.state.path, readonly=True) as store:
        last = store.last_issue_number()
        record = store.issue(number or last) if (number or last) else None
    if number is None:
        if record is None or record.status == "sent":
            return None, None
        number = last
        path = snapshot.snapshot_path(config.state.path, number)
        note = f"issue {number} was not sent yet: this is the issue the next run resumes"
        if record.status in review.HELD:
            note = f"issue {number} is held for review: this is it with its edits"
    else:
        if record is None:
            raise DigestError(f"issue {number} was never built (the last is {last})",
                              "run 'digest render' without --issue for the next one")
        sent = record.status == "sent"
        path = snapshot.sent_path(config.state.path, number) if sent else \
            snapshot.snapshot_path(config.state.path, number)
        note = None
    try:
        return _edited(config, record.status, snapshot.load(path)[0]), note
    except FileNotFoundError:
        if note:  # its snapshot is gone: the next run rebuilds it from the sources
            return None, note + "; its snapshot is gone, so it is built again"
        raise DigestError(f"issue {number}: no snapshot at {path}",
                          "only issues sent by this version of digest can be rendered again; "
                          f"the archive in {config.output.dir} still holds it") from None
    except (ValueError, KeyError, TypeError) as exc:
        raise DigestError(f"{path}: cannot read the snapshot of issue {number}: {exc}") from None


def _edited(config: Config, status: str, issue: Issue) -> Issue:
    """A held issue with the edits recorded for it; any other as it is."""
    from digest.store.state import open_store

    if status not in review.HELD:
        return issue
    with open_store(config.state.path, readonly=True) as store:
        return review.edited_issue(config, issue, review.recorded_edits(store, issue.number))
