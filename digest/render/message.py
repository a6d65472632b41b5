"""Builds the email message of a rendered issue: multipart/alternative with list headers.

Plain text first, then HTML, both quoted-printable so no line passes SMTP's 998-byte limit.
With an unsubscribe URL the message carries RFC 2369 ``List-Unsubscribe`` and RFC 8058
one-click headers; the sender must DKIM-sign them.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime
from email import quoprimime
from email.generator import BytesGenerator
from email.message import EmailMessage
from email.utils import format_datetime, getaddresses, make_msgid
from typing import Any

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


def as_sent(message: EmailMessage) -> bytes:
    """The bytes of a message as `smtplib` sends it: flattened with CRLF line ends."""
    with io.BytesIO() as out:
        BytesGenerator(out).flatten(message, linesep="\r\n")
        return out.getvalue()


class Template:
    """One flattened message built with a placeholder token, copied for each reader.

    Building and encoding the message of a big issue takes milliseconds, while readers' copies
    differ only in a few headers and in the lines of the text and HTML that hold their token.
    Quoted-printable encodes each line on its own, so a copy re-encodes only those lines and
    folds only those headers, and joins the rest as bytes: the same bytes as building the
    message for the reader (checked on the template itself; if the check fails, `usable` is
    False and the caller builds each message instead).
    """

    def __init__(self, message: EmailMessage, placeholder: str) -> None:
        self.placeholder = placeholder
        self._policy = message.policy.clone(linesep="\r\n")
        data = as_sent(message)
        head, _, rest = data.partition(b"\r\n\r\n")
        self._headers = _header_entries(head)
        self._pieces: list[bytes | list[str | bytes]] = []
        self.usable = True
        start = 0
        for part in message.iter_parts():
            lines = [line.decode("latin-1") for line in part.get_content().encode().splitlines()]
            # Lines with the placeholder are kept quoted but not yet wrapped: a token changes
            # only where the soft breaks fall.
            encoded: list[str | bytes] = [
                line.translate(_QUOTE) if placeholder in line else _qp_line(line, self._policy)
                for line in lines]
            whole = b"\r\n".join(self._wrap(x) if isinstance(x, str) else x
                                  for x in encoded) + b"\r\n"
            at = rest.find(whole, start)
            if at < 0:
                self.usable = False
                return
            self._pieces += [rest[start:at], encoded]
            start = at + len(whole)
        self._pieces.append(rest[start:])

    def fill(self, token: str, headers: dict[str, str]) -> bytes:
        """The message with `token` for the placeholder and these headers (To, Message-ID,
        List-Unsubscribe, ...) set to the reader's values, in the template's order (a To that
        the template lacks comes right after From)."""
        out = [self._head(headers), b"\r\n"]
        for piece in self._pieces:
            if isinstance(piece, bytes):
                out.append(piece)
                continue
            quoted = _latin(token).translate(_QUOTE)
            out.append(b"\r\n".join(
                x if isinstance(x, bytes) else self._wrap(x.replace(self.placeholder, quoted))
                for x in piece) + b"\r\n")
        return b"".join(out)

    def _wrap(self, quoted: str) -> bytes:
        """A quoted line wrapped as `quoprimime.body_encode` wraps it, with CRLF soft breaks."""
        width = self._policy.max_line_length or 78
        pieces: list[str] = []
        start, last = 0, len(quoted) - 1 - width
        while start <= last:
            stop = start + width - 1
            if quoted[stop - 2] == "=":  # never break inside an escape
                pieces.append(quoted[start:stop - 1])
                start = stop - 2
            elif quoted[stop - 1] == "=":
                pieces.append(quoted[start:stop])
                start = stop - 1
            else:
                pieces.append(quoted[start:stop] + "=")
                start = stop
        if quoted and quoted[-1] in " \t":  # a line ends in blank: as body_encode quotes it
            return _qp_line_quoted_tail(pieces, quoted[start:], start - last)
        pieces.append(quoted[start:])
        return "\r\n".join(pieces).encode("ascii")  # every piece but the last ends in "="

    def _head(self, headers: dict[str, str]) -> bytes:
        wanted = {name.lower(): (name, value) for name, value in headers.items()}
        out = []
        for name, raw in self._headers:
            if name in wanted:
                raw = self._policy.fold_binary(*wanted.pop(name))
            out.append(raw)
            if name == "from" and "to" in wanted:
                out.append(self._policy.fold_binary(*wanted.pop("to")))
        out += [self._policy.fold_binary(name, value) for name, value in wanted.values()]
        return b"".join(out)


# What body_encode quotes, character by character: all but printable ASCII, tab and line ends.
_PLAIN = b" !\"#$%&'()*+,-./0123456789:;<>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopq" \
    b"rstuvwxyz{|}~\t\r\n"
_QUOTE = {c: chr(c) if c in _PLAIN else f"={c:02X}" for c in range(256)}


def _qp_line_quoted_tail(pieces: list[str], rest: str, room: int) -> bytes:
    """The end of a wrapped line that ends in a blank, as body_encode writes it."""
    blank = rest[-1]
    if room >= 3:
        tail = quoprimime.quote(blank)
    elif room == 2:
        tail = blank + "=\r\n"
    else:
        tail = "=\r\n" + quoprimime.quote(blank)
    pieces.append(rest[:-1] + tail)
    return "\r\n".join(pieces).encode("ascii")


def _latin(text: str) -> str:
    return text.encode().decode("latin-1")


def _qp_line(line: str, policy: Any) -> bytes:
    """One line (UTF-8 bytes as latin-1 text) quoted-printable encoded as `EmailMessage` does,
    with CRLF soft breaks."""
    encoded = quoprimime.body_encode(line + "\n", policy.max_line_length)[:-1]
    return encoded.replace("\n", "\r\n").encode("ascii")


def _header_entries(head: bytes) -> list[tuple[str, bytes]]:
    """The header block split into (lower-case name, raw folded lines with CRLF) entries."""
    entries: list[tuple[str, bytes]] = []
    for line in head.split(b"\r\n"):
        if line[:1] in (b" ", b"\t") and entries:
            name, raw = entries[-1]
            entries[-1] = (name, raw + line + b"\r\n")
        else:
            entries.append((line.split(b":", 1)[0].decode("ascii").lower(), line + b"\r\n"))
    return entries
