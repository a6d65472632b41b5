"""Signed reader tokens: who a link is for and what it may do, checked without the database.

A token is the reader's address (lower case, base64url) and an HMAC-SHA256 of it keyed with
$DIGEST_TOKEN_SECRET, with the token's purpose inside the signed text so that an unsubscribe
token never confirms and a confirmation token never unsubscribes. Confirmation tokens also carry
the time they were made and expire. An editor's review token signs the issue number with the
address, so it opens the review page of that issue only. A token that does not verify yields
None, never an error.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import time

from digest.config import Config
from digest.errors import DigestError

TOKEN_SECRET_ENV = "DIGEST_TOKEN_SECRET"
MAC_BYTES = 16
MAX_TOKEN_LENGTH = 600
CONFIRM_MAX_AGE = 7 * 24 * 3600
CLOCK_SKEW = 300
PURPOSES = ("unsubscribe", "confirm", "review")


def token_secret() -> str | None:
    """The secret from $DIGEST_TOKEN_SECRET, or None when it is not set."""
    return os.environ.get(TOKEN_SECRET_ENV) or None


def check_token_secret(config: Config) -> None:
    """With `serve.url`, links must be signed with the secret that `digest serve` checks."""
    if config.serve.url and not token_secret():
        raise DigestError(
            f"{TOKEN_SECRET_ENV} is not set: the unsubscribe links to serve.url cannot be signed",
            f"export {TOKEN_SECRET_ENV} with the same value that 'digest serve' uses",
        )


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _mac(secret: str, purpose: str, payload: str) -> str:
    signed = f"{purpose}\0{payload}".encode()
    return _b64(hmac.new(secret.encode(), signed, hashlib.sha256).digest()[:MAC_BYTES])


def sign(address: str, purpose: str, secret: str, *, issued: int | None = None) -> str:
    """A token for `address` and `purpose`; confirmation tokens carry their time of issue."""
    if purpose not in PURPOSES:
        raise ValueError(f"token purpose must be one of {PURPOSES}, not {purpose!r}")
    payload = _b64(address.strip().lower().encode())
    if purpose == "confirm":
        payload += "." + format(int(time.time()) if issued is None else issued, "x")
    return f"{payload}.{_mac(secret, purpose, payload)}"


def issued_at(token: str) -> int | None:
    """The time (seconds since the epoch) a confirmation token was made; None if it has none."""
    parts = token.split(".")
    try:
        return int(parts[1], 16) if len(parts) == 3 else None
    except ValueError:
        return None


def verify(token: str, purpose: str, secret: str, *, now: float | None = None) -> str | None:
    """The address a token was signed for, or None if it is forged, garbled or expired."""
    if not token or len(token) > MAX_TOKEN_LENGTH or not token.isascii():
        return None
    payload, _, mac = token.rpartition(".")
    if not payload or not hmac.compare_digest(mac, _mac(secret, purpose, payload)):
        return None
    encoded, _, issued = payload.partition(".")
    if purpose == "confirm":
        try:
            age = (time.time() if now is None else now) - int(issued, 16)
        except ValueError:
            return None
        if not -CLOCK_SKEW <= age <= CONFIRM_MAX_AGE:
            return None
    elif issued:
        return None
    try:
        return _unb64(encoded).decode("utf-8")
    except (binascii.Error, ValueError):
        return None


def review_token(editor: str, number: int, secret: str) -> str:
    """The token of one editor's link to the review page of issue `number`."""
    return sign(f"{number}:{editor}", "review", secret)


def review_editor(token: str, number: int, secret: str) -> str | None:
    """The editor a review token was signed for, if it was signed for issue `number`."""
    signed = verify(token, "review", secret)
    issue, _, editor = (signed or "").partition(":")
    return editor if issue == str(number) and editor else None
