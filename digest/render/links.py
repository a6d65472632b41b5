"""Link safety and campaign tagging for the rendered round-up.

Only http, https and mailto links survive; anything else (``javascript:``, ``data:``, relative
paths) is dropped so the story shows unlinked. Links to the publisher's own hosts may carry UTM
parameters; unsubscribe links and third-party links never do.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from urllib.parse import parse_qsl, quote, urlencode, urljoin, urlsplit, urlunsplit

SAFE_SCHEMES = ("http", "https", "mailto")
_UTM_KEYS = ("utm_source", "utm_medium", "utm_campaign")


def safe_url(url: str | None, schemes: Iterable[str] = SAFE_SCHEMES) -> str | None:
    """The URL stripped of surrounding space when its scheme is allowed, else None."""
    if not url:
        return None
    url = url.strip()
    if any(ord(ch) < 32 or ch.isspace() for ch in url):
        return None
    scheme = urlsplit(url).scheme.lower()
    if scheme not in schemes:
        return None
    if scheme in ("http", "https") and not urlsplit(url).netloc:
        return None
    return url


def image_url(url: str | None) -> str | None:
    """An image address that is safe to show: absolute http or https only."""
    return safe_url(url, ("http", "https"))


def slug(name: str) -> str:
    """A lower-case ASCII slug of a name: "The Weekly Round-up" → "the-weekly-round-up"."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-") or "digest"


def own_hosts(base_url: str | None, own_domains: Iterable[str]) -> tuple[str, ...]:
    """The publisher's own host names: base_url's host plus the configured domains."""
    hosts = [d.lower().strip(".") for d in own_domains if d.strip(".")]
    if base_url:
        host = urlsplit(base_url).hostname
        if host:
            hosts.insert(0, host.lower())
    return tuple(dict.fromkeys(hosts))


def is_own(url: str, hosts: Iterable[str]) -> bool:
    """Whether url points at one of hosts or a subdomain of one."""
    host = (urlsplit(url).hostname or "").lower()
    return any(host == h or host.endswith("." + h) for h in hosts)


def tag_url(url: str, source: str, campaign: str, hosts: Iterable[str]) -> str:
    """Add utm_source, utm_medium=email and utm_campaign to an own http(s) link only."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not is_own(url, hosts):
        return url
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if k not in _UTM_KEYS]
    query += [("utm_source", source), ("utm_medium", "email"), ("utm_campaign", campaign)]
    return urlunsplit(parts._replace(query=urlencode(query)))


def unsubscribe_link(template: str | None, token: str | None) -> str | None:
    """The unsubscribe URL with ``{token}`` replaced by the URL-quoted token; without a token
    (a preview, the archive's public copy), the generic page: the URL without the query
    parameters and path segments that carry the token, never an empty ``token=``."""
    url = safe_url(template)
    if url is None:
        return None
    if token is None:
        return generic_unsubscribe(url)
    return url.replace("{token}", quote(token, safe=""))


def generic_unsubscribe(url: str) -> str:
    """`url` without the parts that hold ``{token}``."""
    parts = urlsplit(url)
    path = "/".join(p for p in parts.path.split("/") if "{token}" not in p)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if "{token}" not in v and "{token}" not in k]
    return urlunsplit((parts.scheme, parts.netloc, path or "/", urlencode(query), ""))


def mailto_unsubscribe(address: str | None) -> str | None:
    """A ``mailto:`` unsubscribe URI for an address (with or without the scheme)."""
    if not address:
        return None
    address = address.strip().removeprefix("mailto:")
    if "?" not in address:
        address += "?subject=unsubscribe"
    return "mailto:" + address


def archive_url(base_url: str | None, relative_path: str) -> str | None:
    """The web address of an archived page: its relative path joined to base_url."""
    base = safe_url(base_url, ("http", "https"))
    if base is None:
        return None
    return urljoin(base if base.endswith("/") else base + "/", relative_path)
