"""The `run` job: collect → build → archive → send → record, one run at a time.

Side effects happen in this order: the issue is built in memory, written to the archive and
recorded as "built" (with a snapshot for resuming), then sent reader by reader, and only after
the deliveries are its documents marked as taken, the feed validators stored and the issue
marked "sent". A run that crashed part-way is resumed by the next one: it sends the same issue
to the readers who have no "sent" delivery yet.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from digest import pipeline
from digest.config import Config, SmtpConfig
from digest.deliver import snapshot
from digest.deliver.recipients import load_recipients
from digest.deliver.smtp import Report, smtp_password
from digest.deliver.tokens import check_token_secret
from digest.errors import DigestError, NothingNew
from digest.models import Document, Issue
from digest.run import publish, review
from digest.run.lock import lock_wait, run_lock
from digest.run.publish import archive_issue, check_render, personal_messages, send_issue
from digest.run.recovery import checked_store
from digest.run.taken import taken_documents
from digest.store.faults import kill_point

if TYPE_CHECKING:
    from digest.store.state import StateStore

log = logging.getLogger(__name__)

@dataclass(frozen=True)
class Plan:
    """The issue to send, with what must be recorded once it has been delivered."""

    issue: Issue
    documents: tuple[Document, ...]
    validators: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)
    resumed: bool = False
    approved: bool = False
    account: str = ""  # how the collected documents were taken or left, for the run report
    trimmed: int = 0  # teasers the size budget left out


@dataclass(frozen=True)
class RunResult:
    """What one run did, and the one line that says so."""

    number: int | None
    stories: int = 0
    sent: int = 0
    failed: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0
    summary: str = ""


def run_issue(config: Config, *, force: bool = False, dry_run: bool = False,
              now: datetime | None = None, wait: float | None = None,
              stop: threading.Event | None = None, held_only: bool = False,
              reset_state: bool = False) -> RunResult:
    """Build the next issue (or resume an unsent one), archive it, send it and record it.

    `held_only` only sends an issue held for review once it is approved or past its deadline;
    it never builds a new one. `reset_state`: see `digest.run.recovery`. `wait`: `lock_wait`.
    """
    started = time.monotonic()
    archive_only = is_archive_only(config)
    static = [] if archive_only else load_recipients(config.delivery, required=False)
    smtp = _preflight(config, archive_only)
    if dry_run:
        return _dry_run(config, static, now, started)
    lock = run_lock(config.state.path, lock_wait(config) if wait is None else wait)
    with lock, checked_store(config, reset_state) as (store, after):
        recipients = store.readers.mailing_list(static)
        if held_only and not review.is_held(store):
            return RunResult(None, summary="no issue awaiting review")
        plan = _plan(config, store, force=force, now=now or datetime.now(UTC), after=after)
        if plan is None:
            return RunResult(None, summary=_nothing_new(store.last_issue_number()))
        if isinstance(plan, review.Held):
            return _held(config, store, plan, stop, started)
        report = Report()
        if smtp is not None:
            report = send_issue(config, smtp, store, plan.issue, recipients, stop)
        _finish(config, store, plan, recipients, report.stopped, archive_only=archive_only)
        outcome = publish.outcome(config, store, plan.issue.number, recipients, report,
                                  archive_only=archive_only)
    return _result(plan, len(report.sent), report.failed, outcome, started)


def _result(plan: Plan, sent: int, failed: dict[str, str], outcome: str,
            started: float) -> RunResult:
    """What a run that sent (or archived) an issue did, and its one summary line."""
    stories = _stories(plan.issue) - plan.trimmed
    label = " (approved)" if plan.approved else " (resumed)" if plan.resumed else ""
    seconds = time.monotonic() - started
    account = plan.account or f"{len(plan.documents)} documents"
    line = (f"issue {plan.issue.number}{label}: {_stories_label(stories)}, {outcome} "
            f"({account}, {seconds:.1f} s)")
    return RunResult(plan.issue.number, stories, sent, failed, seconds, line)


def _preflight(config: Config, archive_only: bool) -> SmtpConfig | None:
    """The checks a run (and a dry run) makes before building anything: the editors' addresses,
    the server and its password variable, the schedule; the server to send through."""
    from digest.run.cron import make_trigger

    review.editors(config)
    check_token_secret(config)  # links to `digest serve` need the secret it checks
    smtp = None if archive_only else _smtp(config)
    if smtp is not None:
        smtp_password(smtp)
    make_trigger(config.schedule)  # a bad schedule fails here as in `digest schedule`
    return smtp


def is_archive_only(config: Config) -> bool:
    """No server and no readers configured: a run publishes the issue to the archive only."""
    delivery = config.delivery
    return delivery.smtp is None and not delivery.recipients and delivery.recipients_file is None


def _smtp(config: Config) -> SmtpConfig:
    if config.delivery.smtp is None:
        raise DigestError("delivery.smtp is not set: there is no server to send through",
                          "add delivery.smtp.host (and port, security) to the config")
    return config.delivery.smtp


def _nothing_new(last: int) -> str:
    return f"nothing new since issue {last}" if last else "nothing new in the configured sources"


def _stories(issue: Issue) -> int:
    return len(issue.teasers) + (1 if issue.lead else 0)


def _stories_label(count: int) -> str:
    return f"{count} {'story' if count == 1 else 'stories'}"


def _held(config: Config, store: StateStore, held: review.Held, stop: threading.Event | None,
          started: float) -> RunResult:
    """A run that finds (or makes) an issue awaiting review: mail previews not yet mailed."""
    line = review.held_line(store, held)
    if config.delivery.smtp is not None and review.wanted(config):
        mailed = review.mail_previews(config, config.delivery.smtp, store, held.number, stop)
        line += f"; {mailed}" if mailed else ""
    seconds = time.monotonic() - started
    return RunResult(held.number, held.stories, seconds=seconds,
                     summary=f"{line} ({seconds:.1f} s)")


def _plan(config: Config, store: StateStore, *, force: bool,
          now: datetime, after: int = 0) -> Plan | review.Held | None:
    """Resume the last issue if it was built but not sent, else build the next one (after
    `after`, an archived issue the store does not know, with --reset-state).

    An issue held for review stays held until approved; approved, it is archived and sent with
    its edits. With `delivery.review.to`, a new issue is held instead of archived. An archived
    issue the store never recorded was sent to nobody: it is replaced without --force.
    """
    last = max(store.last_issue_number(), after)
    record = store.issue(last) if last else None
    if record is not None and record.status in review.HELD and not force:
        return review.check_held(store, last, now) or _approved(config, store, last)
    unsent = record is not None and record.status != "sent"
    if unsent and not force:
        return _resume(config, last, now)
    number = last if unsent else last + 1
    built = _build(config, number, now)
    if built is None:
        return None
    if review.wanted(config):
        return review.hold_new(config, store, number, built.issue, built.documents,
                               built.validators, now)
    unrecorded = store.issue(number) is None
    _, rendered = archive_issue(config, built.issue, force=force or unsent or unrecorded)
    kill_point("after-archive")
    taken = taken_documents(built.documents, built.issue, rendered.trimmed, built.left_out)
    plan = Plan(built.issue, taken.documents, built.validators, account=taken.report(),
                trimmed=rendered.trimmed)
    snapshot.save(snapshot.snapshot_path(config.state.path, number), plan.issue,
                  plan.documents, plan.validators)
    store.record_issue(number, plan.issue.period_start, plan.issue.period_end, plan.issue.subject)
    kill_point("after-built")
    return plan


def _approved(config: Config, store: StateStore, number: int) -> Plan:
    """The approved issue with its edits, archived now: it goes to the readers next."""
    issue, documents, validators = review.load_held(config, number)
    edits = review.recorded_edits(store, number)
    edited = review.edited_issue(config, issue, edits)
    _, rendered = archive_issue(config, edited, force=True)
    taken, kept = review.taken_when_approved(documents, issue, edited, edits, rendered.trimmed)
    return Plan(edited, kept, validators, resumed=True, approved=True, account=taken.report(),
                trimmed=rendered.trimmed)


def _build(config: Config, number: int, now: datetime | None) -> Any:
    """The built issue, an empty one when nothing is new and that is wanted, else None."""
    now = now or datetime.now(UTC)
    try:
        return pipeline.build_issue(config, number=number, now=now)
    except NothingNew:
        if not config.delivery.send_when_empty:
            return None
    from digest.render import compose

    issue = compose.compose_issue(
        None, [], number=number, newsletter=config.newsletter, period_end=now.date(),
        period_start=(now - timedelta(days=config.collect.lookback_days)).date(),
    )
    return pipeline.Built(issue, (), (), ())


def _resume(config: Config, number: int, now: datetime | None) -> Plan:
    """The unsent issue `number` as it was built, from its snapshot; rebuilt if that is gone."""
    path = snapshot.snapshot_path(config.state.path, number)
    try:
        return Plan(*snapshot.load(path), resumed=True)
    except FileNotFoundError:
        log.warning("issue %d: no snapshot at %s; building it again from the sources", number, path)
    except (ValueError, KeyError, TypeError) as exc:
        raise DigestError(f"{path}: cannot read the snapshot of unsent issue {number}: {exc}",
                          "run 'digest run --force' to build the issue afresh") from None
    built = _build(config, number, now)
    if built is None:
        raise DigestError(f"issue {number} was not sent and cannot be rebuilt: nothing new",
                          "run 'digest run --force' to build the next issue afresh")
    return Plan(built.issue, built.documents, built.validators, resumed=True)


def _finish(config: Config, store: StateStore, plan: Plan, recipients: list[str],
            stopped: bool, *, archive_only: bool = False) -> None:
    """Record the issue as sent once every reader was tried and at least one has it (or, with
    no delivery configured, once it is in the archive)."""
    number = plan.issue.number
    status = {r.lower(): s for r, s in store.deliveries(number).items()}
    wanted = [status.get(r.lower()) for r in recipients]
    if stopped or None in wanted or "sending" in wanted:
        log.warning("issue %d: stopped before every reader was tried; the next run resumes it",
                    number)
        return
    if not archive_only and recipients and "sent" not in status.values():
        raise DigestError(
            f"issue {number}: every recipient failed; nothing was sent, the issue stays unsent",
            "check the failures above and delivery.smtp, then run 'digest run' again",
        )
    kill_point("before-recording")
    store.mark_taken(number, plan.documents)
    for source, (etag, modified) in plan.validators.items():
        store.set_feed_validators(source, etag, modified)
    store.mark_issue_sent(number)
    snapshot.keep_sent(config.state.path, number)  # for `digest render --issue N`
    if plan.approved:  # the issue as sent is the edited one
        kept = snapshot.sent_path(config.state.path, number)
        snapshot.save(kept, plan.issue, plan.documents, plan.validators)


def _dry_run(config: Config, static: list[str], now: datetime | None,
             started: float) -> RunResult:
    """Build and render the next issue and one reader's message; write, send and record nothing."""
    from digest.store.state import open_store

    with open_store(config.state.path, readonly=True) as store:
        recipients = store.readers.mailing_list(static)
        last = store.last_issue_number()
        record = store.issue(last) if last else None
    if record is not None and record.status in review.HELD:
        return RunResult(last, summary=f"issue {last} (dry run): held for review ({record.status})")
    if record is not None and record.status != "sent":
        return RunResult(last, summary=f"issue {last} (dry run): not sent yet; a run resumes it")
    try:
        built = pipeline.build_issue(config, number=last + 1, now=now)
    except NothingNew:
        return RunResult(None, summary=_nothing_new(last) + " (dry run)")
    if recipients:
        personal_messages(config, built.issue)(recipients[0])
    else:
        check_render(config, built.issue)
    trimmed = pipeline.render(config, built.issue).trimmed
    taken = taken_documents(built.documents, built.issue, trimmed)
    stories = _stories(built.issue) - trimmed
    seconds = time.monotonic() - started
    target = f"send to {len(recipients)} readers" if recipients else "archive it (no delivery)"
    line = (f"issue {built.issue.number} (dry run): {_stories_label(stories)}, would {target}; "
            f"nothing written or sent ({taken.report()}, {seconds:.1f} s)")
    return RunResult(built.issue.number, stories, 0, {}, seconds, line)
