"""The archive on the web: the index of issues (newest first), each issue's web copy, and an
Atom feed of the issues, all read from the archive folder that `digest run` writes."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.etree import ElementTree as ET

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import BaseRoute, Route

from digest.deliver.archive import PAGE, entries

if TYPE_CHECKING:
    from digest.serve.app import Site

FOLDER = re.compile(r"\d{4,}-\d{4}-\d{2}-\d{2}")
ATOM = "http://www.w3.org/2005/Atom"
ISSUE_POLICY = ("default-src 'none'; style-src 'unsafe-inline' https:; img-src https: data:; "
                "font-src https:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")


def issues(site: Site) -> list[dict[str, Any]]:
    """The archived issues, newest first, with their public URL and date."""
    found = []
    for entry in entries(site.config.output.dir):
        found.append({"number": entry["number"], "title": str(entry.get("title") or ""),
                      "subject": str(entry.get("subject") or ""),
                      "summary": str(entry.get("preheader") or ""),
                      "date": str((entry.get("period") or {}).get("end") or ""),
                      "url": site.link(entry["href"]), "href": entry["href"]})
    return found


def atom_feed(site: Site, found: list[dict[str, Any]]) -> bytes:
    """The Atom feed (RFC 4287) of the archived issues."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")

    def add(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
        element.text = text
        return element

    name = site.config.newsletter.name
    add(feed, "id", site.url)
    add(feed, "title", name)
    add(feed, "link", rel="alternate", type="text/html", href=site.url)
    add(feed, "link", rel="self", type="application/atom+xml", href=site.link("feed.atom"))
    add(add(feed, "author"), "name", name)
    stamps = [_updated(site, item) for item in found]
    add(feed, "updated", max(stamps, default=datetime(1970, 1, 1, tzinfo=UTC)).isoformat())
    for item, stamp in zip(found, stamps, strict=True):
        entry = add(feed, "entry")
        add(entry, "id", item["url"])
        add(entry, "title", item["subject"] or item["title"])
        add(entry, "link", rel="alternate", type="text/html", href=item["url"])
        add(entry, "published", _day(item["date"]) or stamp.isoformat())
        add(entry, "updated", stamp.isoformat())
        if item["summary"]:
            add(entry, "summary", item["summary"])
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="utf-8",
                                                                      xml_declaration=False)


def _day(text: str) -> str | None:
    try:
        day = datetime.fromisoformat(text)
    except ValueError:
        return None
    return day.replace(tzinfo=day.tzinfo or UTC).isoformat()


def _updated(site: Site, item: dict[str, Any]) -> datetime:
    page = site.config.output.dir / item["href"] / PAGE
    try:
        return datetime.fromtimestamp(int(page.stat().st_mtime), UTC)
    except OSError:
        return datetime(1970, 1, 1, tzinfo=UTC)


def routes(site: Site) -> list[BaseRoute]:
    """The index at the top, each issue under ``issues/FOLDER/``, the feed at ``feed.atom``."""

    async def index(request: Request) -> Response:
        return site.page("index", title=site.config.newsletter.name, issues=issues(site))

    async def issue(request: Request) -> Response:
        folder = str(request.path_params["folder"])
        page: Path = site.config.output.dir / "issues" / folder / PAGE
        if not FOLDER.fullmatch(folder) or not page.is_file():
            raise HTTPException(404)
        return HTMLResponse(page.read_bytes(),
                            headers={"Content-Security-Policy": ISSUE_POLICY})

    async def feed(request: Request) -> Response:
        return Response(atom_feed(site, issues(site)), media_type="application/atom+xml")

    return [Route("/", index, name="index"),
            Route("/issues/{folder}/", issue, name="issue"),
            Route("/feed.atom", feed, name="feed")]
