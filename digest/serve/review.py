"""The review page: an editor edits and approves a held issue through the signed preview link.

- ``GET review/N?token=T`` shows the held issue as it stands (its edits applied): the note, each
  story with its buttons (make lead, drop, move up or down, the sentences of its summary), the
  dropped stories (restore) and Approve.
- ``POST review/N`` (fields ``token``, ``action`` and ``story``, ``note`` or ``sentences``)
  makes one change, checked as ``digest review N --edits`` checks a file, then shows the page
  again (303); a change that does not fit is shown on the page and nothing is recorded.
- ``GET review/N/issue?token=T`` is the edited issue as readers will get it.

The token names the editor and the issue; it is signed with $DIGEST_TOKEN_SECRET.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from digest.deliver.tokens import review_editor
from digest.errors import DigestError
from digest.run import review
from digest.serve.archive import ISSUE_POLICY
from digest.serve.forms import BadForm, read_form
from digest.store.state import StateStore

if TYPE_CHECKING:
    from digest.serve.app import Site

NUMBERS = re.compile(r"\d+")


def _editor(site: Site, number: int, token: str) -> str | None:
    """The editor a token was signed for, when it was signed for this issue."""
    return review_editor(token, number, site.secret)


def _bad_link(site: Site) -> Response:
    return site.notice(403, "This link is not valid",
                       "Open the review link from the latest preview message. Nothing was "
                       "changed.")


async def page(site: Site, request: Request) -> Response:
    """The held issue with its buttons."""
    number = int(request.path_params["number"])
    token = request.query_params.get("token", "")
    editor = _editor(site, number, token)
    if editor is None:
        return _bad_link(site)
    return await _show(site, number, token, editor)


async def _show(site: Site, number: int, token: str, editor: str, *,
                problem: str | None = None, status: int = 200) -> Response:
    try:
        data = await site.db(lambda store: review.review_json(site.config, store, number))
    except DigestError as exc:
        return site.notice(404 if "no such issue" in exc.message else 409,
                           "Nothing to review", exc.message)
    return site.page("review", status, title=f"Review issue {number}", heading=data["title"],
                     issue=data, number=number, token=token, editor=editor, problem=problem,
                     action=site.link(f"review/{number}"),
                     issue_url=site.link(f"review/{number}/issue?token={quote(token)}"))


def _change(site: Site, store: StateStore, number: int, form: dict[str, str],
            editor: str) -> str:
    """Apply one posted change; what was done, in a few words. DigestError when it cannot."""
    from digest.render.edits import BUTTONS, press

    action = form.get("action", "")
    if action == "approve":
        review.approve(store, number, editor)
        return "approved"
    built = review.load_held(site.config, number)[0]
    edits = review.recorded_edits(store, number)
    story = form.get("story", "")
    if action == "note":
        edits = edits.model_copy(update={"note": form.get("note", "")})
    elif action == "summary":  # no numbers: back to the summary as built
        picks = tuple(int(n) for n in NUMBERS.findall(form.get("sentences", "")))
        summary = {sid: p for sid, p in edits.summary.items() if sid != story}
        if picks:
            summary[story] = picks
        edits = edits.model_copy(update={"summary": summary})
    elif action in BUTTONS:
        edits = press(edits, built, action, story)
    else:
        raise DigestError(f"unknown action {action!r}")
    review.record(site.config, store, number, edits, "review page")
    return action


async def change(site: Site, request: Request) -> Response:
    """One button pressed: record the change, then show the page again."""
    number = int(request.path_params["number"])
    try:
        form = await read_form(request)
    except BadForm as exc:
        return site.notice(exc.status, "Not changed", exc.problem)
    token = form.get("token", "")
    editor = _editor(site, number, token)
    if editor is None:
        return _bad_link(site)
    try:
        await site.db(lambda store: _change(site, store, number, form, editor))
    except DigestError as exc:
        return await _show(site, number, token, editor, problem=exc.message, status=400)
    except ValueError as exc:
        return await _show(site, number, token, editor, problem=str(exc), status=400)
    return RedirectResponse(site.link(f"review/{number}?token={quote(token)}"), 303)


async def issue(site: Site, request: Request) -> Response:
    """The edited issue as readers will get it."""
    from digest import pipeline

    number = int(request.path_params["number"])
    if _editor(site, number, request.query_params.get("token", "")) is None:
        return _bad_link(site)

    def work(store: StateStore) -> str:
        review.open_record(store, number)
        built = review.load_held(site.config, number)[0]
        edited = review.edited_issue(site.config, built, review.recorded_edits(store, number))
        return pipeline.render(site.config, edited).html

    try:
        html = await site.db(work)
    except DigestError as exc:
        return site.notice(409, "Nothing to review", exc.message)
    return HTMLResponse(html, headers={"Content-Security-Policy": ISSUE_POLICY})


def routes(site: Site) -> list[BaseRoute]:
    """The review page's routes."""
    return [Route("/review/{number:int}", site.bind(page), methods=["GET"]),
            Route("/review/{number:int}", site.bind(change), methods=["POST"]),
            Route("/review/{number:int}/issue", site.bind(issue), methods=["GET"])]
