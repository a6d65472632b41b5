"""Subscribing and leaving: the subscribe form, confirmation links, one-click unsubscribe.

- ``POST subscribe`` (field ``email``) checks the address, sends a confirmation message and only
  then records the reader as pending; it answers the same for known and unknown addresses.
- ``GET confirm/TOKEN`` confirms (opening the link in the message is the consent).
- ``GET unsubscribe/TOKEN`` shows a button and changes nothing, as mail scanners open links;
  ``POST unsubscribe/TOKEN`` with ``List-Unsubscribe=One-Click`` (RFC 8058) unsubscribes at once.
- ``POST resubscribe/TOKEN`` takes an unsubscribed reader back from the page that follows.
"""

from __future__ import annotations

import functools
import logging
import re
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from digest.deliver.tokens import issued_at, sign, verify
from digest.serve.confirm import send_confirmation
from digest.serve.forms import BadForm, address_problem, read_form
from digest.store.state import StateStore

if TYPE_CHECKING:
    from digest.serve.app import Site

log = logging.getLogger(__name__)
SOURCE = re.compile(r"[A-Za-z0-9._-]{1,40}")
ONE_CLICK = ("List-Unsubscribe", "One-Click")


def _source(form: dict[str, str]) -> str:
    """"web", or "web:NAME" when an embedded form names itself in a `source` field."""
    name = form.get("source", "")
    return f"web:{name}" if SOURCE.fullmatch(name) else "web"


def _bad_link(site: Site) -> Response:
    return site.notice(400, "This link is not valid",
                       "It may be incomplete, changed or expired (confirmation links work for "
                       "seven days). Nothing was changed.",
                       link={"url": site.link("subscribe"), "label": "Subscribe again"})


def _subscribe_work(site: Site, address: str, source: str) -> str | None:
    """Send a confirmation unless the per-address limit says no; record it once it left."""
    with site.lock:
        allowed = site.store is not None and site.store.readers.may_confirm(address)
    if not allowed:  # confirmed already, or enough messages today: the same answer, no mail
        return None
    url = site.link("confirm/" + sign(address, "confirm", site.secret))
    problem = send_confirmation(site.config, address, url)
    if problem is not None:
        log.warning("confirmation to %s not sent: %s", address, problem)
        return problem
    with site.lock:
        if site.store is not None:
            site.store.readers.confirmation_sent(address, source)
    return None


async def subscribe(site: Site, request: Request) -> Response:
    """Check the posted address, send the confirmation, answer the same for everyone."""
    client = request.client.host if request.client else "unknown"
    if not site.client_limit.allow(client):
        return site.notice(429, "Too many requests",
                           "Please wait a few minutes before subscribing again.",
                           headers={"Retry-After": "600"})
    try:
        form = await read_form(request)
    except BadForm as exc:
        return site.page("subscribe", exc.status, title="Subscribe", heading="Not subscribed",
                         problem=exc.problem)
    address = form.get("email", "").strip()
    problem = address_problem(address)
    if problem is not None:
        return site.page("subscribe", 400, title="Subscribe", heading="Not subscribed",
                         problem=problem + " Nothing was stored.", email=address[:254])
    work = functools.partial(_subscribe_work, site, address.lower(), _source(form))
    if await run_in_threadpool(work) is not None:
        return site.notice(503, "The confirmation message could not be sent",
                           "Our mail server is not answering right now, so nothing was stored. "
                           "Please try again in a few minutes.",
                           link={"url": site.link("subscribe"), "label": "Try again"})
    return site.notice(200, "Check your inbox",
                       f"If {address} can receive mail, a message with a confirmation link is "
                       "on its way to it.",
                       f"Open that link to start receiving {site.config.newsletter.name}.")


async def confirm(site: Site, request: Request) -> Response:
    """Confirm the reader of a valid confirmation link."""
    token = str(request.path_params["token"])
    address = verify(token, "confirm", site.secret)
    issued = issued_at(token)
    if address is None or issued is None:
        return _bad_link(site)
    when = datetime.fromtimestamp(issued, UTC)
    if not await site.db(lambda store: store.readers.confirm(address, when)):
        return site.notice(409, "You unsubscribed after this link was sent",
                           "So it no longer subscribes you. Subscribe again to get a new one.",
                           link={"url": site.link("subscribe"), "label": "Subscribe again"})
    leave = site.link("unsubscribe/" + sign(address, "unsubscribe", site.secret))
    return site.notice(200, "You are subscribed",
                       f"{address} will receive {site.config.newsletter.name} from the next "
                       "issue on. Every issue has a link to unsubscribe.",
                       link={"url": leave, "label": "Unsubscribe"})


def _unsubscribe_button(site: Site, token: str, address: str) -> Response:
    return site.notice(200, "Unsubscribe?",
                       f"Press the button to stop sending {site.config.newsletter.name} to "
                       f"{address}.",
                       action={"url": site.link("unsubscribe/" + token), "token": token,
                               "label": "Unsubscribe", "fields": dict([ONE_CLICK])})


async def unsubscribe_page(site: Site, request: Request) -> Response:
    """Show the unsubscribe button; opening the link changes nothing."""
    token = str(request.path_params["token"])
    address = verify(token, "unsubscribe", site.secret)
    if address is None:
        return _bad_link(site)
    reader = await site.db(lambda store: store.readers.get(address))
    if reader is not None and reader.status == "unsubscribed":
        return _resubscribe_offer(site, token, "You are unsubscribed", address)
    return _unsubscribe_button(site, token, address)


def _resubscribe_offer(site: Site, token: str, heading: str, address: str) -> Response:
    return site.notice(200, heading,
                       f"Nothing more will be sent to {address}.",
                       "Changed your mind? You can subscribe again.",
                       action={"url": site.link("resubscribe/" + token), "token": token,
                               "label": "Subscribe again", "fields": {}})


async def _posted_token(site: Site, request: Request, purpose: str
                        ) -> tuple[str, str, dict[str, str]] | Response:
    """The token, its address and the form of a POST, or the page refusing it."""
    token = str(request.path_params["token"])
    try:
        form = await read_form(request)
    except BadForm as exc:
        return site.notice(exc.status, "Not changed", exc.problem)
    address = verify(token, purpose, site.secret)
    if address is None or form.get("token", token) != token:
        return _bad_link(site)
    return token, address, form


async def unsubscribe(site: Site, request: Request) -> Response:
    """One-click unsubscribe (RFC 8058) and the page's button: unsubscribed at once."""
    posted = await _posted_token(site, request, "unsubscribe")
    if isinstance(posted, Response):
        return posted
    token, address, form = posted
    if form.get(ONE_CLICK[0]) != ONE_CLICK[1]:
        return site.notice(400, "Not changed",
                           "An unsubscribe request carries List-Unsubscribe=One-Click.")

    def work(store: StateStore) -> None:
        store.readers.unsubscribe(address)

    await site.db(work)
    log.info("%s unsubscribed", address)
    return _resubscribe_offer(site, token, "You are unsubscribed", address)


async def resubscribe(site: Site, request: Request) -> Response:
    """Take back a reader who unsubscribed, from the button on the page that followed."""
    posted = await _posted_token(site, request, "unsubscribe")
    if isinstance(posted, Response):
        return posted
    token, address, _ = posted

    def work(store: StateStore) -> None:
        store.readers.resubscribe(address)

    await site.db(work)
    return site.notice(200, "Welcome back",
                       f"{address} will receive {site.config.newsletter.name} again.",
                       link={"url": site.link("unsubscribe/" + token), "label": "Unsubscribe"})


async def no_token(site: Site, request: Request) -> Response:
    """The generic unsubscribe page that previews and the archive's copy link to (they carry no
    reader's token): say where each reader's own link is."""
    return site.notice(200, "Use the link in your own message",
                       "Each message we send has an unsubscribe link made for its reader.",
                       link={"url": site.link("subscribe"), "label": "Subscribe"})


def routes(site: Site) -> list[BaseRoute]:
    """The subscribe, confirm, unsubscribe and resubscribe routes."""
    async def form(request: Request) -> Response:
        return site.page("subscribe", title="Subscribe", problem=None)

    return [Route("/subscribe", form, methods=["GET"]),
            Route("/subscribe", site.bind(subscribe), methods=["POST"]),
            Route("/confirm/{token}", site.bind(confirm), methods=["GET"]),
            Route("/unsubscribe", site.bind(no_token), methods=["GET"]),
            Route("/unsubscribe/", site.bind(no_token), methods=["GET"]),
            Route("/unsubscribe/{token}", site.bind(unsubscribe_page), methods=["GET"]),
            Route("/unsubscribe/{token}", site.bind(unsubscribe), methods=["POST"]),
            Route("/resubscribe/{token}", site.bind(resubscribe), methods=["POST"])]
