"""Publishing an issue: into the archive, and to each reader with their own token.

The issue is rendered through the pipeline; the archive and SMTP belong to `digest.deliver`.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import secrets
import threading
from collections.abc import Callable
from email.message import EmailMessage
from pathlib import Path
from typing import TYPE_CHECKING

from digest import pipeline
from digest.config import Config, SmtpConfig
from digest.deliver.names import display_names
from digest.deliver.parallel import send_parallel
from digest.deliver.smtp import Deadline, Mailer, Pacer, Report, envelope_sender, recipient_token
from digest.models import Issue, Preview, Rendered
from digest.store.faults import kill_point

if TYPE_CHECKING:
    from digest.store.state import StateStore

log = logging.getLogger(__name__)


def archive_issue(config: Config, issue: Issue, *, force: bool = False) -> tuple[Path, Rendered]:
    """Render an issue and write it into the archive under ``output.dir`` (HTML, text, JSON and
    the message without a reader token); its folder and the rendering."""
    from digest.deliver.archive import write_issue
    from digest.render.message import build_message
    from digest.render.webcopy import web_copy

    rendered = pipeline.render(config, issue)
    message = build_message(rendered, issue, config.newsletter, config.delivery.to)
    page = web_copy(issue, rendered, config.newsletter, config.templates)
    folder = write_issue(config.output.dir, issue, dataclasses.replace(rendered, html=page),
                         message, force=force)
    return folder, rendered


def write_output(config: Config, issue: Issue, out: Path | None, fmt: str, *, archive: bool,
                 force: bool) -> list[str]:
    """Write the issue to `out` (standard output without it) in `fmt`, and with `archive`
    into the archive (then only there, without `out`); the status lines to show."""
    import sys

    from digest.store.atomic import write_atomic

    lines: list[str] = []
    if archive:
        folder, rendered = archive_issue(config, issue, force=force)
        lines.extend(f"note: {note}" for note in rendered.notes)
        lines.append(f"archived issue {issue.number} in {folder}")
        if out is None:
            return lines
    data = pipeline.format_issue(config, issue, fmt)
    if out is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        write_atomic(out, data)
        lines.append(f"wrote {out} ({fmt}, {len(data):,} bytes)")
    return lines


def check_render(config: Config, issue: Issue) -> None:
    """Render the issue and its message once, so a dry run fails where a real one would."""
    from digest.render.message import build_message

    build_message(pipeline.render(config, issue), issue, config.newsletter, config.delivery.to)


def send_issue(config: Config, smtp: SmtpConfig, store: StateStore, issue: Issue,
               recipients: list[str],
               stop: threading.Event | None) -> Report:
    """Send the issue to every reader who has no "sent" delivery of it yet, starting no
    message once `delivery.deadline` has passed."""
    number = issue.number
    done = {r.lower() for r, status in store.deliveries(number).items() if status == "sent"}
    todo = [r for r in recipients if r.lower() not in done]
    if done:
        log.info("issue %d: %d readers already have it; sending to %d",
                 number, len(done), len(todo))
    from digest.progress import progress

    sender = envelope_sender(config.newsletter.from_)
    make = personal_copies(config, issue)
    delivery = config.delivery
    pacer = Pacer(delivery.rate_limit)
    deadline = Deadline(delivery.deadline)

    def connect() -> Mailer:
        return Mailer(smtp, retries=delivery.retries, pacer=pacer, deadline=deadline)

    sent_now = [0]  # the kill point "mid-send" comes at the second reader's delivery
    with progress(f"sending issue {number}", len(todo)) as advance:

        def record(recipient: str, status: str, error: str | None) -> None:
            if status == "sent":
                sent_now[0] += 1
                if len(done) + sent_now[0] == 2:
                    kill_point("mid-send")  # the second reader has it; it is not recorded yet
            store.record_delivery(number, recipient, status, error)
            if status != "sending":
                advance(1)

        report = send_parallel(connect, delivery.connections, sender, todo, make, record,
                               stop=stop)
    return report


WAITING_NAMED = 10


def outcome(config: Config, store: StateStore, number: int, recipients: list[str],
            report: Report, *, archive_only: bool) -> str:
    """What sending the issue did, for the run's line. When the deadline stopped it, the
    readers it left without the issue (besides any refused) are named in a warning."""
    if archive_only:
        return "archived, no delivery configured"
    if not report.late:
        return (f"sent {len(report.sent)}, failed {len(report.failed)}"
                f"{', stopped early' if report.stopped else ''}"
                f"{'' if recipients else ', no readers yet'}")
    status = {r.lower(): s for r, s in store.deliveries(number).items()}
    waiting = [r for r in recipients
               if status.get(r.lower()) != "sent" and r not in report.failed]
    if waiting:
        more = len(waiting) - WAITING_NAMED
        log.warning("issue %d: delivery.deadline reached; the next run sends to %s%s", number,
                    ", ".join(waiting[:WAITING_NAMED]), f" and {more} more" if more > 0 else "")
    return (f"sent {len(report.sent)}, failed {len(report.failed)}, {len(waiting)} wait for the "
            f"next run (delivery.deadline of {config.delivery.deadline:g} s reached)")


def personal_messages(config: Config, issue: Issue) -> Callable[[str], EmailMessage]:
    """A function that builds one reader's own message, their token in body and headers.

    The issue is rendered once with a random placeholder token of a token's length, which each
    reader's copy replaces: the same bytes as rendering per reader, without its cost.
    """
    from digest.render.message import build_message, list_id

    domain = envelope_sender(config.newsletter.from_).rpartition("@")[2]
    listed = list_id(config.newsletter)
    placeholder = secrets.token_hex(16)
    template = pipeline.render(config, issue, token=placeholder)
    names = display_names(config.delivery)  # a reader's name stays in To:

    def make(recipient: str) -> EmailMessage:
        token = recipient_token(recipient, listed)
        rendered = dataclasses.replace(template, html=template.html.replace(placeholder, token),
                                       text=template.text.replace(placeholder, token))
        # The same Message-ID on a resend lets mail clients drop the duplicate.
        reader_id = hashlib.sha256(token.encode()).hexdigest()[:20]
        message_id = f"<digest.{issue.number}.{reader_id}@{domain}>"
        return build_message(rendered, issue, config.newsletter,
                             names.get(recipient.lower(), recipient), token=token,
                             message_id=message_id)

    return make


def preview_messages(config: Config, issue: Issue,
                     review_url: Callable[[Config, int, str], str | None],
                     ) -> Callable[[str], EmailMessage]:
    """A function that builds one editor's preview: the issue under a banner (with the link
    to the review page when there is one) and a subject marked as a preview."""
    from digest.render.message import build_message, list_id

    listed = list_id(config.newsletter)
    domain = envelope_sender(config.newsletter.from_).rpartition("@")[2]

    def make(editor: str) -> EmailMessage:
        token = recipient_token(editor, listed)
        preview = Preview(review_url(config, issue.number, editor))
        rendered = pipeline.render(config, issue, token=token, preview=preview)
        editor_id = hashlib.sha256(token.encode()).hexdigest()[:20]
        return build_message(rendered, issue, config.newsletter, editor, token=token,
                             message_id=f"<digest.{issue.number}.preview.{editor_id}@{domain}>")

    return make


def personal_copies(config: Config, issue: Issue) -> Callable[[str], EmailMessage | bytes]:
    """Like `personal_messages`, but each reader's copy is made from one message built and
    encoded once (`digest.render.message.Template`): only their headers and the lines holding
    their token are encoded for them. The same bytes as `personal_messages` gives, but for the
    Date; an address that is not plain ASCII gets a message built for it."""
    from digest.render.message import Template, build_message, list_id, unsubscribe_headers

    domain = envelope_sender(config.newsletter.from_).rpartition("@")[2]
    listed = list_id(config.newsletter)
    placeholder = secrets.token_hex(16)
    rendered = pipeline.render(config, issue, token=placeholder)
    template = Template(build_message(rendered, issue, config.newsletter, None,
                                      token=placeholder, message_id=f"<{placeholder}>"),
                        placeholder)
    slow = personal_messages(config, issue)
    if not template.usable:
        log.info("issue %d: each reader's message is built in full", issue.number)
        return slow

    names = display_names(config.delivery)

    def make(recipient: str) -> EmailMessage | bytes:
        to = names.get(recipient.lower(), recipient)
        if not to.isascii():
            return slow(recipient)
        token = recipient_token(recipient, listed)
        reader_id = hashlib.sha256(token.encode()).hexdigest()[:20]
        headers = {"To": to, "Message-ID": f"<digest.{issue.number}.{reader_id}@{domain}>",
                   **unsubscribe_headers(config.newsletter, token)}
        return template.fill(token, headers)

    return make
