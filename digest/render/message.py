"""Builds the email message of a rendered issue: multipart/alternative with list headers.

Plain text first, then HTML, both quoted-printable so no line passes SMTP's 998-byte limit.
With an unsubscribe URL the message carries RFC 2369 ``List-Unsubscribe`` and RFC 8058
one-click headers; the sender must DKIM-sign them.
"""

from __future__ import annotations

from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, getaddresses, make_msgid

from digest.config import NewsletterConfig
from digest.errors import DigestError
from digest.models import Issue, Rendered
from digest.render import links


def sender_domain(from_: str) -> str:
    """The domain of the From address, for Message-ID and List-Id."""
    pairs = getaddresses([from_])
    address = pairs[0][1] if pairs else ""
    if "@" not in address:
        raise DigestError(
            f"newsletter.from: {from_!r} is not an email address",
            "write it as 'Name <name@example.org>'",
        )
    return address.rsplit("@", 1)[1].lower()


def list_id(newsletter: NewsletterConfig) -> str:
    """The List-Id header value: the name in quotes, then ``<slug.domain>``."""
    name = newsletter.name.replace("\\", "").replace('"', "")
    return f'"{name}" <{links.slug(newsletter.name)}.{sender_domain(newsletter.from_)}>'


def unsubscribe_headers(newsletter: NewsletterConfig, token: str | None) -> dict[str, str]:
    """List-Unsubscribe (https first, then mailto) and, with an https URI, the one-click header."""
    uris = []
    web = links.unsubscribe_link(newsletter.unsubscribe_url, token)
    if web:
        uris.append(web)
    mail = links.mailto_unsubscribe(newsletter.unsubscribe_mailto)
    if mail:
        uris.append(mail)
    if not uris:
        return {}
    headers = {"List-Unsubscribe": ", ".join(f"<{uri}>" for uri in uris)}
    if web and web.startswith("https://"):
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    return headers


def build_message(
    rendered: Rendered,
    issue: Issue,
    newsletter: NewsletterConfig,
    to: str | None,
    *,
    token: str | None = None,
    date: datetime | None = None,
    message_id: str | None = None,
) -> EmailMessage:
    """One email of the issue for one recipient (``to``), or for the archive when to is None.

    Render with the same ``token`` so the visible unsubscribe link matches the headers.
    """
    domain = sender_domain(newsletter.from_)
    message = EmailMessage()
    message["Subject"] = rendered.subject
    message["From"] = newsletter.from_
    if to:
        message["To"] = to
    if newsletter.reply_to:
        message["Reply-To"] = newsletter.reply_to
    message["Date"] = format_datetime(date or datetime.now(UTC))
    message["Message-ID"] = message_id or make_msgid(f"issue-{issue.number}", domain=domain)
    message["List-Id"] = list_id(newsletter)
    for name, value in unsubscribe_headers(newsletter, token).items():
        message[name] = value
    message.set_content(rendered.text, cte="quoted-printable")
    message.add_alternative(rendered.html, subtype="html", cte="quoted-printable")
    return message

