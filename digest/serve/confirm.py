"""The confirmation message a new reader gets, and sending it over the configured SMTP server.

The message is plain text from ``confirm.txt.j2`` with the signed confirmation link. It goes out
on its own short-lived connection, with one quick retry, so that a page can say at once whether
it left; only then is the reader recorded as pending.
"""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from digest.config import Config
from digest.deliver.smtp import Mailer, envelope_sender
from digest.deliver.tokens import CONFIRM_MAX_AGE
from digest.errors import DigestError
from digest.render.message import list_id, sender_domain
from digest.render.pages import render_page

RETRIES = 1
BACKOFF = 0.2
TIMEOUT = 10.0  # a visitor waits for the page: a silent server must not hold it for minutes


def confirmation_message(config: Config, address: str, confirm_url: str) -> EmailMessage:
    """The message asking `address` to open `confirm_url`."""
    from datetime import UTC, datetime

    news = config.newsletter
    text = render_page(config.templates, "confirm.txt.j2", {
        "name": news.name, "confirm_url": confirm_url, "address": news.address,
        "days": CONFIRM_MAX_AGE // 86400,
    })
    message = EmailMessage()
    message["Subject"] = f"Confirm your subscription to {news.name}"
    message["From"] = news.from_
    message["To"] = address
    if news.reply_to:
        message["Reply-To"] = news.reply_to
    message["Date"] = format_datetime(datetime.now(UTC))
    message["Message-ID"] = make_msgid("confirm", domain=sender_domain(news.from_))
    message["List-Id"] = list_id(news)
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(text, cte="quoted-printable")
    return message


def send_confirmation(config: Config, address: str, confirm_url: str) -> str | None:
    """Send the confirmation; None when the server took it, else why it did not.

    A server that cannot be reached, refuses the login or the address, all come back as a
    reason: the caller shows it and stores nothing.
    """
    smtp = config.delivery.smtp
    if smtp is None:
        return "no mail server is configured"
    message = confirmation_message(config, address, confirm_url)
    smtp = smtp.model_copy(update={"timeout": min(smtp.timeout, TIMEOUT)})
    try:
        with Mailer(smtp, retries=RETRIES, backoff=BACKOFF) as mailer:
            problem = mailer.send(message, envelope_sender(config.newsletter.from_), address)
    except DigestError as exc:  # Unreachable, a refused login, a missing password variable
        return exc.message
    except OSError as exc:
        return f"smtp {smtp.host}:{smtp.port}: {exc}"
    return None if problem is None else f"the mail server refused the address: {problem}"
