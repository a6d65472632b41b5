"""Issues held for an editor: the preview mail, the recorded edits, approval and the deadline.

With `delivery.review.to`, a run builds the issue, keeps it in its snapshot (nothing goes to
the archive), mails each editor a preview and records the issue as "review". Edits are kept in
the state store as JSON and applied whenever the held issue is rendered; approval (by an
editor, or by `delivery.review.deadline`) makes it "approved", and the next run archives and
sends the edited issue.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from digest.config import Config, SmtpConfig, duration
from digest.deliver import snapshot
from digest.deliver.recipients import check_address
from digest.deliver.smtp import Mailer, envelope_sender, send_all
from digest.errors import DigestError
from digest.models import Document, Issue, Section, Summary
from digest.render.edits import (
    Edits,
    apply_edits,
    check_edits,
    load_edits,
    parse_edits,
    pick_sentences,
    stories,
)
from digest.run.publish import preview_messages
from digest.run.taken import Taken, taken_documents

if TYPE_CHECKING:
    from digest.store.reviews import ReviewRecord
    from digest.store.state import StateStore

log = logging.getLogger(__name__)

HELD = ("review", "approved")


@dataclass(frozen=True)
class Held:
    """An issue that waits for its editors: nothing goes to readers in this run."""

    number: int
    stories: int = 0
    documents: int = 0
    fresh: bool = False  # built in this run (its previews are mailed now)


def wanted(config: Config) -> bool:
    """Whether issues wait for an editor before readers get them."""
    return bool(config.delivery.review.to)


def editors(config: Config) -> list[str]:
    """The editors' addresses, each checked; a DigestError names a bad one."""
    if wanted(config) and config.delivery.smtp is None:
        raise DigestError("delivery.review.to is set but delivery.smtp is not: the preview "
                          "cannot be mailed", "add delivery.smtp to the config")
    found = [check_address(a, f"delivery.review.to[{i}]")
             for i, a in enumerate(config.delivery.review.to)]
    return list({a.lower(): a for a in found}.values())


def is_held(store: StateStore) -> bool:
    """Whether the last issue waits for review or was approved and not yet sent."""
    last = store.last_issue_number()
    record = store.issue(last) if last else None
    return record is not None and record.status in HELD


def hold_new(config: Config, store: StateStore, number: int, issue: Issue,
             documents: tuple[Document, ...], validators: snapshot.Validators,
             now: datetime) -> Held:
    """Keep a freshly built issue for review: its snapshot, then the state, no archive."""
    snapshot.save(snapshot.snapshot_path(config.state.path, number), issue, documents, validators)
    store.record_issue(number, issue.period_start, issue.period_end, issue.subject)
    deadline = config.delivery.review.deadline
    store.reviews.hold(number, now + duration(deadline) if deadline else None)
    count = len(issue.teasers) + (1 if issue.lead else 0)
    return Held(number, count, len(documents), fresh=True)


def check_held(store: StateStore, number: int, now: datetime) -> Held | None:
    """The held issue, or None once it is approved (its deadline passing approves it)."""
    record = store.issue(number)
    review = store.reviews.get(number)
    if record is None or record.status == "approved":
        return None
    if review is not None and review.due is not None and now >= review.due:
        store.reviews.approve(number, "deadline")
        log.info("issue %d: nobody acted before %s; approved by the deadline", number,
                 _when(review.due))
        return None
    return Held(number)


def load_held(config: Config, number: int) -> tuple[Issue, tuple[Document, ...],
                                                   snapshot.Validators]:
    """The issue as built, with its documents and validators, from its snapshot."""
    path = snapshot.snapshot_path(config.state.path, number)
    try:
        return snapshot.load(path)
    except FileNotFoundError:
        problem = f"{path}: the held issue {number} is gone"
    except (ValueError, KeyError, TypeError) as exc:
        problem = f"{path}: cannot read held issue {number}: {exc}"
    raise DigestError(problem, "run 'digest run --force' to build it afresh for review")


def recorded_edits(store: StateStore, number: int) -> Edits:
    """The edits recorded for a held issue (none when there are none)."""
    review = store.reviews.get(number)
    return parse_edits(json.loads(review.edits) if review else {}, f"issue {number} edits")


def sentences_by_story(config: Config, issue: Issue) -> dict[str, tuple[str, ...]]:
    """Every sentence of each story's article, by story id: what `summary` edits pick from."""
    from digest.summarize.methods import article_sentences

    language = config.summary.language
    return {sid: article_sentences(s.article, language) for sid, s in stories(issue).items()}


def edited_issue(config: Config, issue: Issue, edits: Edits) -> Issue:
    """The held issue with its edits applied; a new lead gets a lead's summary again."""
    known = stories(issue)
    replaced: dict[str, Summary] = {}
    if edits.lead and issue.lead and edits.lead != issue.lead.article.story_id:
        replaced.update(_resummarized(config, known[edits.lead], issue.lead))
    if edits.summary:
        sentences = sentences_by_story(config, issue)
        for sid, picks in edits.summary.items():
            replaced[sid] = pick_sentences(known[sid], sentences[sid], picks)
    return apply_edits(issue, edits, config.newsletter, replaced)


def dropped_issue(issue: Issue, edits: Edits) -> Issue:
    """The stories the editor dropped, as an issue of teasers (for marking them taken)."""
    known = stories(issue)
    dropped = tuple(known[sid] for sid in edits.drop if sid in known)
    return dataclasses.replace(issue, lead=None, sections=(Section("", dropped),), note="")


def taken_when_approved(documents: tuple[Document, ...], built: Issue, edited: Issue,
                        edits: Edits, trimmed: int) -> tuple[Taken, tuple[Document, ...]]:
    """What the approved issue takes, and the documents to mark taken: the shown stories' and
    the dropped ones' (seen by the editor, they do not come back)."""
    taken = taken_documents(documents, edited, trimmed)
    rejected = taken_documents(documents, dropped_issue(built, edits), 0)
    return taken, taken.documents + tuple(d for d in rejected.documents
                                          if d not in taken.documents)


def _resummarized(config: Config, lead: Summary, old: Summary) -> dict[str, Summary]:
    """The new lead summarized at a lead's length and the old one at a teaser's."""
    from digest.summarize.methods import summarize_articles

    cache = config.state.path.parent / "cache" if config.summary.cache else None
    made = summarize_articles(lead.article, [old.article], config.summary, cache_dir=cache)
    assert made.lead is not None
    return {lead.article.story_id: made.lead, old.article.story_id: made.teasers[0]}


def review_edits(config: Config, store: StateStore, number: int, path: Path) -> Edits:
    """Check the edits in a YAML file against held issue `number` and record them."""
    open_record(store, number, editing=True)
    return record(config, store, number, load_edits(path), str(path))


def record(config: Config, store: StateStore, number: int, edits: Edits, where: str) -> Edits:
    """Check edits against held issue `number` (`where` names them in errors), record them."""
    open_record(store, number, editing=True)
    issue = load_held(config, number)[0]
    counts = {sid: len(s) for sid, s in sentences_by_story(config, issue).items()}
    check_edits(edits, issue, counts, where)
    store.reviews.record_edits(number, edits.model_dump_json())
    return edits


def approve(store: StateStore, number: int, by: str) -> None:
    """Approve held issue `number`: the next run archives and sends it."""
    open_record(store, number, editing=True)
    store.reviews.approve(number, by)


def open_record(store: StateStore, number: int, *, editing: bool = False) -> ReviewRecord:
    """The review record of issue `number`, or one line saying why it has none."""
    issue = store.issue(number)
    review = store.reviews.get(number)
    hint = "'digest run' holds an issue for review when delivery.review.to is set"
    if issue is None:
        raise DigestError(f"issue {number}: no such issue", hint)
    if review is None or issue.status not in HELD:
        state = "was sent" if issue.status == "sent" else "is not held for review"
        raise DigestError(f"issue {number} {state}: there is nothing to review", hint)
    if editing and store.deliveries(number):
        raise DigestError(f"issue {number} is being sent: edits and approval are closed",
                          "run 'digest run' to finish sending it")
    return review


def review_json(config: Config, store: StateStore, number: int) -> dict[str, Any]:
    """The held issue, edited, in the JSON of `digest render --format json`, plus its review:
    status, edits, each story's article sentences and the dropped stories."""
    from digest.render.templates import issue_json

    record = open_record(store, number)
    built = load_held(config, number)[0]
    edits = recorded_edits(store, number)
    data = issue_json(edited_issue(config, built, edits))
    sentences = sentences_by_story(config, built)
    for story in [data["lead"], *data["teasers"]]:
        if story is not None:
            story["sentences"] = list(sentences[story["id"]])
    known = stories(built)
    data["dropped"] = [{"id": sid, "title": known[sid].article.title} for sid in edits.drop]
    status = store.issue(number)
    data["review"] = {
        "status": status.status if status else None, "held": _iso(record.held),
        "due": _iso(record.due), "approved": _iso(record.approved),
        "approved_by": record.approved_by, "edits": edits.model_dump(),
    }
    return data


def status_line(store: StateStore, number: int) -> str:
    """One line on a held issue: awaiting review or approved, since when, its edits."""
    record = open_record(store, number)
    issue = store.issue(number)
    edits = recorded_edits(store, number).described()
    if issue is not None and issue.status == "approved":
        return (f"issue {number}: approved by {record.approved_by} at {_when(record.approved)}; "
                f"edits: {edits}; the next 'digest run' sends it")
    due = f", approves itself at {_when(record.due)}" if record.due else ""
    return f"issue {number}: awaiting review since {_when(record.held)}{due}; edits: {edits}"


def held_line(store: StateStore, held: Held) -> str:
    """The summary line of a run that found (or made) an issue waiting for its editors."""
    number = held.number
    record = store.reviews.get(number)
    due = f"; approves itself at {_when(record.due)}" if record and record.due else ""
    if held.fresh:
        return (f"issue {number}: {held.stories} stories, held for review{due}; "
                f"nothing sent to readers ({held.documents} documents)")
    return f"issue {number}: awaiting review{due}; nothing sent"


def mail_previews(config: Config, smtp: SmtpConfig, store: StateStore, number: int,
                  stop: threading.Event | None = None) -> str:
    """Mail each editor the held issue as it stands, marked as a preview; what was done."""
    record = store.reviews.get(number)
    if record is None or record.previewed is not None:
        return ""
    issue = edited_issue(config, load_held(config, number)[0], recorded_edits(store, number))
    who = editors(config)
    sender = envelope_sender(config.newsletter.from_)
    delivery = config.delivery
    with Mailer(smtp, retries=delivery.retries, rate_limit=delivery.rate_limit) as mailer:
        report = send_all(mailer, sender, who, preview_messages(config, issue, review_url),
                          lambda *_: None, stop=stop)
    if not report.sent:
        raise DigestError(f"issue {number}: no editor could be mailed the preview: "
                          + "; ".join(f"{a}: {e}" for a, e in report.failed.items()),
                          "check delivery.review.to; the next 'digest run' tries again")
    store.reviews.previewed(number)
    failed = f", failed {len(report.failed)}" if report.failed else ""
    return f"preview sent to {len(report.sent)} editor{'s' * (len(report.sent) != 1)}{failed}"


def review_url(config: Config, number: int, editor: str) -> str | None:
    """The signed link to the review page for one editor, when `serve.url` and the token
    secret are set."""
    from urllib.parse import quote

    from digest.deliver.tokens import review_token, token_secret

    secret = token_secret()
    if config.serve.url is None or secret is None:
        return None
    return f"{config.serve.url}review/{number}?token={quote(review_token(editor, number, secret))}"


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _when(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
