"""Canonical URLs (so the same story under two links is one) and private-address checks."""

from __future__ import annotations

import ipaddress
import socket
import threading
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

TRACKING_PARAMS = frozenset(
    {
        "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid",
        "mc_cid", "mc_eid", "ref", "ref_src", "ref_url", "igshid", "_hsenc", "_hsmi",
        "mkt_tok", "oly_anon_id", "oly_enc_id", "vero_id", "wickedid", "s_cid", "cmpid",
        "ito", "spm", "share", "si",
    }
)
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hsa_")
DEFAULT_PORTS = {"http": 80, "https": 443}


def url_scheme(url: str) -> str:
    """The URL's scheme, lowercased ('' when it has none)."""
    return urlsplit(url.strip()).scheme.lower()


def _is_tracking(name: str) -> bool:
    lowered = name.lower()
    return lowered in TRACKING_PARAMS or lowered.startswith(TRACKING_PREFIXES)


def canonical_url(url: str) -> str:
    """The URL without tracking parameters, fragment, default port or trailing slash.

    The scheme and host are lowercased; the remaining query parameters keep their order.
    Anything that is not http/https comes back stripped of surrounding space only.
    """
    url = url.strip()
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS:
        return url
    host = (parts.hostname or "").lower().rstrip(".")
    if ":" in host:
        host = f"[{host}]"
    try:
        port = parts.port
    except ValueError:
        port = None
    netloc = host if port in (None, DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    if parts.username:
        netloc = f"{parts.username}{':' + parts.password if parts.password else ''}@{netloc}"
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    query = [(k, v) for k, v in pairs if not _is_tracking(k)]
    path = parts.path.rstrip("/")
    return urlunsplit((scheme, netloc, path, urlencode(query, doseq=True), ""))


def _private_ip(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return not ip.is_global or ip.is_multicast


def private_address_problem(url: str) -> str | None:
    """Why a URL must not be fetched from a third-party link, or None when it may be.

    Its host must resolve, and every address it resolves to must be public: not loopback,
    private, link-local, reserved or multicast.
    """
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return "invalid URL"
    if not host:
        return "no host"
    return checked_addresses(host, allow_private=False)[1]


def checked_addresses(host: str, *, allow_private: bool, timeout: float | None = None
                      ) -> tuple[tuple[str, ...], str | None]:
    """The addresses a host resolves to, and why they must not be used (None when they may).

    The caller connects to exactly these addresses, so a second lookup answering otherwise (DNS
    rebinding) cannot lead it elsewhere. A lookup that has not answered within `timeout` seconds
    is given up (it goes on in a background thread, whose answer is ignored).
    """
    found = [host] if _is_ip(host) else _resolve_within(host, timeout)
    if found is None:
        return (), "host lookup did not answer in time"
    addresses = tuple(dict.fromkeys(found))
    if not addresses:
        return (), "host not found"
    if not allow_private and any(_private_ip(address) for address in addresses):
        return addresses, "points at a loopback, private or link-local address, not fetched"
    return addresses, None


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.split("%")[0])
    except ValueError:
        return False
    return True


def _resolve_within(host: str, timeout: float | None) -> list[str] | None:
    """`_resolve`, or None when it has not answered within `timeout` seconds."""
    if timeout is None:
        return _resolve(host)
    answers: list[list[str]] = []
    lookup = threading.Thread(target=lambda: answers.append(_resolve(host)), daemon=True,
                              name=f"lookup {host[:40]}")
    lookup.start()
    lookup.join(max(0.0, timeout))
    return answers[0] if answers else None


def _resolve(host: str) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        return []
    return [str(info[4][0]) for info in infos]


def is_private_host(url: str) -> bool:
    """True when the URL's host is, or resolves to, a non-public address, or does not resolve."""
    return private_address_problem(url) is not None
