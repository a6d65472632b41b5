"""Sends the round-up by SMTP: the readers' unsubscribe tokens, one message each.

Messages go out one per recipient over `delivery.connections` reused connections at once (each
reconnecting when the server drops it), taking the next recipient from one shared queue.
Transient failures (4xx replies, dropped or refused connections) are retried with exponential
backoff; a permanent one (5xx) fails that recipient only. Before each message the caller is told
"sending", and "sent" once the server accepted it (under the round's gate, `gate`), so a crash
between the two is visible in the state.
With a `Deadline` (`delivery.deadline`), no message starts once it has passed and no socket waits
past it: the readers not reached stay as a crash leaves them, for the next run.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import smtplib
import ssl
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from email.message import EmailMessage

from digest.config import SmtpConfig
from digest.deliver.deadline import SMTP, SMTP_SSL, Deadline, OutOfTime, Pacer
from digest.deliver.recipients import check_address
from digest.deliver.tokens import sign, token_secret
from digest.errors import DigestError

log = logging.getLogger(__name__)

BACKOFF = 0.5
MAX_BACKOFF = 30.0

Record = Callable[[str, str, "str | None"], None]
Letter = EmailMessage | bytes  # a message, or its bytes as sent (CRLF line ends)


def recipient_token(address: str, list_id: str) -> str:
    """The recipient's unsubscribe token: signed with $DIGEST_TOKEN_SECRET (`tokens`), which
    `digest serve` verifies; without the secret, a plain hash of address and list."""
    secret = token_secret()
    if secret:
        return sign(address, "unsubscribe", secret)
    key = address.strip().lower().encode()
    return hashlib.sha256(list_id.encode() + b"\0" + key).hexdigest()[:32]


def smtp_password(smtp: SmtpConfig) -> str | None:
    """The SMTP password, read from the environment variable that `password_env` names."""
    if smtp.password_env is None:
        return None
    password = os.environ.get(smtp.password_env)
    if not password:
        raise DigestError(
            f"delivery.smtp.password_env: environment variable {smtp.password_env} is not set",
            f"export {smtp.password_env}=... before running digest",
        )
    return password


class Unreachable(DigestError):
    """The SMTP server could not be reached or kept dropping the connection."""


@dataclass
class Report:
    """What happened to each recipient of one sending round."""

    sent: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    stopped: bool = False
    late: bool = False  # stopped by the deadline


class Mailer:
    """One SMTP connection, reused for every message, reopened when the server drops it."""

    def __init__(self, smtp: SmtpConfig, *, retries: int = 3, rate_limit: float | None = None,
                 backoff: float = BACKOFF, pacer: Pacer | None = None,
                 deadline: Deadline | None = None) -> None:
        self.smtp = smtp
        self.deadline = deadline or Deadline()
        self.retries = retries
        self.pacer = pacer or Pacer(rate_limit)
        self.backoff = backoff
        self.gate: threading.Lock | None = None  # see digest.deliver.gate
        self.conn: SMTP | SMTP_SSL | None = None

    def __enter__(self) -> Mailer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Say QUIT and close the connection, quietly if it is already gone."""
        if self.conn is not None:
            try:
                self.conn.quit()
            except (smtplib.SMTPException, OSError):
                self.conn.close()
            self.conn = None

    def _connect(self) -> SMTP | SMTP_SSL:
        smtp = self.smtp
        password = smtp_password(smtp)
        context = ssl.create_default_context()
        if smtp.security == "ssl":
            conn: SMTP | SMTP_SSL = SMTP_SSL(smtp.host, smtp.port, timeout=smtp.timeout,
                                          deadline=self.deadline, context=context)
        else:
            conn = SMTP(smtp.host, smtp.port, timeout=smtp.timeout, deadline=self.deadline)
        try:
            conn.ehlo()
            if smtp.security == "starttls":
                conn.starttls(context=context)
                conn.ehlo()
            if smtp.username:
                conn.login(smtp.username, password or "")
        except smtplib.SMTPAuthenticationError as exc:
            conn.close()
            raise DigestError(f"smtp {smtp.host}:{smtp.port}: login refused: {_reply(exc)}",
                              "check delivery.smtp.username and the password variable") from None
        except smtplib.SMTPNotSupportedError:
            conn.close()
            raise DigestError(f"smtp {smtp.host}:{smtp.port}: the server does not offer STARTTLS",
                              "set delivery.smtp.security to 'ssl' or 'none'") from None
        conn.gate = self.gate
        return conn

    def send(self, message: Letter, sender: str, recipient: str,
             accepted: Callable[[], None] | None = None) -> str | None:
        """Send one message; None when accepted (after calling `accepted`, under the gate),
        the reason when refused for good.

        Raises Unreachable when the connection keeps failing after every retry, OutOfTime when
        the deadline passes before the server accepted it (it may or may not have it)."""
        problem, lost = "", False
        for attempt in range(self.retries + 1):
            if attempt:
                self._pause(attempt, recipient, problem)
            self.pacer.wait()
            if self.deadline.passed():
                raise OutOfTime(f"{recipient}: {self.deadline.reached()}")
            try:
                self._transmit(message, sender, recipient, accepted)
                return None
            except smtplib.SMTPRecipientsRefused as exc:
                code, text = next(iter(exc.recipients.values()), (0, b""))
                problem, lost = f"{code} {_text(text)}", code == 421
                if not 400 <= code < 500:
                    return problem
            except smtplib.SMTPResponseException as exc:
                problem, lost = _reply(exc), exc.smtp_code == 421
                if not 400 <= exc.smtp_code < 500:
                    return problem
            except OSError as exc:  # SMTPServerDisconnected, refused or timed-out connections
                what = "cannot connect" if self.conn is None else "connection lost"
                problem, lost = f"{what}: {exc or type(exc).__name__}", True
            if lost:
                self._drop()
        if lost and self.deadline.passed():
            raise OutOfTime(f"{recipient}: {self.deadline.reached()}")
        if lost:
            where = f"smtp {self.smtp.host}:{self.smtp.port}"
            raise Unreachable(f"{where}: {problem}", "check delivery.smtp and the network")
        return problem

    def _transmit(self, message: Letter, sender: str, recipient: str,
                  accepted: Callable[[], None] | None) -> None:
        if self.conn is None:
            self.conn = self._connect()
        self.conn.accepted = accepted
        if isinstance(message, bytes):
            self.conn.sendmail(sender, [recipient], message)
        else:
            self.conn.send_message(message, from_addr=sender, to_addrs=[recipient])

    def _pause(self, attempt: int, recipient: str, problem: str) -> None:
        """The backoff before a retry, cut short by the deadline."""
        delay = min(self.backoff * 2 ** (attempt - 1), MAX_BACKOFF)
        log.info("%s: %s; retrying in %.1f s", recipient, problem, delay)
        left = self.deadline.left()
        time.sleep(delay if left is None else max(0.0, min(delay, left)))

    def _drop(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def _text(value: bytes | str) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


def _reply(exc: smtplib.SMTPResponseException) -> str:
    return f"{exc.smtp_code} {_text(exc.smtp_error)}"


def send_all(mailer: Mailer, sender: str, recipients: Iterable[str],
             make_message: Callable[[str], Letter], record: Record,
             stop: threading.Event | None = None) -> Report:
    """Send each recipient their own message; `record(recipient, status, error)` tracks each.

    One refused address never stops the others; an unreachable server stops the round (the
    recipient in flight is recorded as failed) and the Unreachable error is raised. When `stop`
    is set, the round ends after the message in flight and `report.stopped` is true; once the
    mailer's deadline passes, no message starts, the one in flight stays "sending" (as after a
    crash: the next run sends it again) and `report.late` is true too.
    """
    report = Report()
    for recipient in recipients:
        if stop is not None and stop.is_set():
            report.stopped = True
            break
        if mailer.deadline.passed():
            report.stopped = report.late = True
            break
        message = make_message(recipient)
        record(recipient, "sending", None)
        try:
            error = mailer.send(message, sender, recipient,
                                accepted=functools.partial(record, recipient, "sent", None))
        except OutOfTime:
            report.stopped = report.late = True
            break
        except Unreachable as exc:
            record(recipient, "failed", exc.message)
            raise
        if error is None:
            report.sent.append(recipient)
        else:
            log.warning("%s: refused: %s", recipient, error)
            record(recipient, "failed", error)
            report.failed[recipient] = error
    return report


def envelope_sender(from_header: str) -> str:
    """The bare address of the From header, used as the SMTP envelope sender."""
    return check_address(from_header, "newsletter.from")
