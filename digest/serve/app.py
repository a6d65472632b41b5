"""The Starlette application of `digest serve`: what every page shares, and how routes plug in.

`create_app` builds one `Site` (the config, the state store behind a lock, the token secret,
the rate limit, page rendering) and asks each module in `ROUTE_MODULES` for its routes, all
mounted under the path of `serve.url`. A new feature adds a module with a
``routes(site) -> list[BaseRoute]`` function to that tuple.
"""

from __future__ import annotations

import contextlib
import importlib
import threading
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import urlsplit

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import BaseRoute, Mount
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from digest.config import Config
from digest.render.pages import render_page
from digest.render.view import CARD_DARK, PAGE_LIGHT, readable
from digest.serve.forms import RateLimit
from digest.store.state import StateStore, open_store

T = TypeVar("T")
ROUTE_MODULES = ("digest.serve.archive", "digest.serve.readers", "digest.serve.review")
CLIENT_LIMIT = (10, 600.0)  # subscribe forms posted per client address in ten minutes
PAGE_POLICY = ("default-src 'none'; style-src 'unsafe-inline'; img-src 'self' https:; "
               "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")


@dataclass
class Site:
    """What every route needs: settings, the store (one writer at a time), pages, limits."""

    config: Config
    secret: str
    client_limit: RateLimit = field(default_factory=lambda: RateLimit(*CLIENT_LIMIT))
    store: StateStore | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def url(self) -> str:
        """The public address of the app, ending in a slash."""
        return self.config.serve.url or "/"

    def bind(self, handler: Callable[[Site, Request], Awaitable[Response]]
             ) -> Callable[[Request], Awaitable[Response]]:
        """A route endpoint that calls `handler` with this site."""
        async def endpoint(request: Request) -> Response:
            return await handler(self, request)

        return endpoint

    def link(self, path: str) -> str:
        """The absolute public URL of a path inside the app (``confirm/TOKEN``)."""
        return self.url + path.lstrip("/")

    async def db(self, work: Callable[[StateStore], T]) -> T:
        """Run `work(store)` in a worker thread, one at a time."""
        def locked() -> T:
            with self.lock:
                if self.store is None:
                    raise RuntimeError("the state store is not open")
                return work(self.store)

        return await run_in_threadpool(locked)

    def context(self, **values: Any) -> dict[str, Any]:
        """What every page template sees, plus `values`."""
        news = self.config.newsletter
        accent = readable(news.accent_color, PAGE_LIGHT)
        return {"name": news.name, "tagline": news.tagline, "promise": news.promise,
                "address": news.address, "lang": news.language or "en", "accent": accent,
                "accent_dark": readable(news.accent_color, CARD_DARK),
                "button_text": readable("#ffffff", accent, 4.5),
                "button_text_dark": readable(CARD_DARK, readable(news.accent_color, CARD_DARK),
                                             4.5), "home": self.url,
                "subscribe_url": self.link("subscribe"), "feed_url": self.link("feed.atom"),
                "title": news.name, **values}

    def page(self, template: str, status: int = 200, headers: dict[str, str] | None = None,
             **values: Any) -> HTMLResponse:
        """A rendered page from ``web/TEMPLATE.html.j2``."""
        html = render_page(self.config.templates, f"web/{template}.html.j2",
                           self.context(**values))
        return HTMLResponse(html, status, headers=headers)

    def notice(self, status: int, heading: str, *lines: str, **values: Any) -> HTMLResponse:
        """A short page saying one thing, optionally with a button (`action`) or a `link`."""
        values.setdefault("action", None)
        values.setdefault("link", None)
        return self.page("notice", status, title=heading, heading=heading, lines=lines,
                         problem=status >= 400, **values)


class SecurityHeaders:
    """Adds a strict content policy, no-referrer and no-sniff to every response lacking them."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("Content-Security-Policy", PAGE_POLICY)
                headers.setdefault("Referrer-Policy", "no-referrer")
                headers.setdefault("X-Content-Type-Options", "nosniff")
            await send(message)

        await self.app(scope, receive, sending)


def _errors(site: Site) -> dict[Any, Callable[..., Any]]:
    async def http_error(request: Request, exc: Exception) -> Response:
        code = exc.status_code if isinstance(exc, HTTPException) else 500
        headings = {404: "Page not found", 405: "Not allowed here"}
        heading = headings.get(code, "Something went wrong")
        text = {404: "There is no page at this address.",
                405: "This page does not accept that kind of request."}
        return site.notice(code, heading, text.get(code, "Please try again later."),
                           link={"url": site.url, "label": "See all issues"})

    return {404: http_error, 405: http_error, 500: http_error}


def create_app(config: Config, secret: str, *, client_limit: RateLimit | None = None) -> Starlette:
    """The web app for `config`, signing and checking tokens with `secret`."""
    site = Site(config, secret)
    if client_limit is not None:
        site.client_limit = client_limit
    routes: list[BaseRoute] = []
    for name in ROUTE_MODULES:
        routes += importlib.import_module(name).routes(site)
    prefix = urlsplit(site.url).path.rstrip("/")
    if prefix:
        routes = [Mount(prefix, routes=routes)]

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        with open_store(config.state.path) as store:
            site.store = store
            yield
            with site.lock:
                site.store = None

    app = Starlette(routes=routes, exception_handlers=_errors(site), lifespan=lifespan)
    app.add_middleware(SecurityHeaders)
    app.state.site = site
    return app
