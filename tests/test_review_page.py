"""The review page in a real browser (Debian chromium through Playwright) against a live
`digest serve` (uvicorn on 127.0.0.1): the editor opens the link from the preview, writes a
note, picks the lead, drops a story and approves; then both readers get the edited issue.
Screenshots land in tests/artifacts/review-*.png.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from digest.config import Config
from digest.run.job import run_issue
from digest.run.review import review_json
from digest.store.state import open_store
from tests.smtpserver import SmtpServer, free_port, write_config
from tests.test_browser import check_page
from tests.webserver import SECRET, WebServer, serve_config

pytestmark = pytest.mark.browser
WIDTH = 375
READERS = ["ann@example.org", "bob@example.org"]
EDITOR = "ed@example.org"
LINK = re.compile(r"http://127\.0\.0\.1:\d+/review/1\?token=[A-Za-z0-9_.%-]+")
NOTE = "A **busy** week at the council.\n\n<script>alert('hi')</script>"


@pytest.fixture
def held(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
         ) -> Iterator[tuple[SmtpServer, WebServer, Config]]:
    """Mail, `digest serve` and an issue held for review, its preview in the editor's inbox."""
    monkeypatch.setenv("DIGEST_TOKEN_SECRET", SECRET)
    port = free_port()
    with SmtpServer() as smtp:
        config = serve_config(write_config(tmp_path, smtp.port, READERS,
                                           review={"to": [EDITOR]}), port)
        run_issue(config)
        with WebServer(config, port) as web:
            yield smtp, web, config


def review_link(smtp: SmtpServer) -> str:
    """The review link in the editor's preview."""
    (preview,) = smtp.handler.for_recipient(EDITOR)
    found = LINK.search(preview.message.get_body(("plain",)).get_content())
    assert found, "no review link in the preview"
    return found.group(0)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_an_editor_edits_and_approves_on_the_review_page(
    browser: Any, held: tuple[SmtpServer, WebServer, Config], scheme: str,
) -> None:
    smtp, _, config = held
    with open_store(config.state.path, readonly=True) as store:
        shown = review_json(config, store, 1)
    old_lead, (new_lead, dropped) = shown["lead"], shown["teasers"]
    context = browser.new_context(viewport={"width": WIDTH, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    try:
        page.goto(review_link(smtp))
        page.wait_for_selector("text=Review issue 1")
        check_page(page, f"review-held-{scheme}", WIDTH)
        page.fill("textarea[name=note]", NOTE)
        page.click("button:text('Save the note')")
        page.wait_for_selector("text=Review issue 1")
        page.locator("section.story", has_text=new_lead["title"]).locator(
            "button:text('Make lead')").click()
        page.wait_for_selector("text=Review issue 1")
        page.locator("section.story", has_text=dropped["title"]).locator(
            "button:text('Drop')").click()
        page.wait_for_selector("section.card:has(h2:text('Dropped'))")
        card = page.locator("section.story", has_text=old_lead["title"])
        card.locator("summary").click()
        card.locator("input[name=sentences]").fill("3, 1")
        card.locator("button:text('Use these sentences')").click()
        page.wait_for_selector("text=Review issue 1")
        page.click("button:text('Approve')")
        page.wait_for_selector("text=Approved")
        check_page(page, f"review-approved-{scheme}", WIDTH)
        page.click("text=See the issue as readers will")
        page.wait_for_selector(f"h2:has-text('{new_lead['title'][:20]}')")
        assert "<strong>busy</strong>" in page.content()
    finally:
        context.close()
    result = run_issue(config)
    assert result.sent == 2, result.summary
    for reader in READERS:
        (received,) = smtp.handler.for_recipient(reader)
        html = received.message.get_body(("html",)).get_content()
        subject = " ".join(received.message["Subject"].split())
        assert subject.startswith(f"Test Round-up #1: {new_lead['title'][:30]}")
        assert dropped["title"] not in html
        assert html.index(new_lead["title"]) < html.index(old_lead["title"])
        assert "A <strong>busy</strong> week at the council." in html
        assert "&lt;script&gt;alert(" in html and "<script>alert" not in html
        text = " ".join(received.message.get_body(("plain",)).get_content().split())
        picked = old_lead["sentences"][0] + " " + old_lead["sentences"][2]
        assert picked in text


def test_a_forged_or_foreign_link_changes_nothing(
    held: tuple[SmtpServer, WebServer, Config],
) -> None:
    smtp, web, config = held
    link = review_link(smtp)
    token = link.split("token=")[1]
    with httpx.Client(base_url=web.url, timeout=30) as client:
        forged = client.get("review/1", params={"token": token[:-2] + "xx"})
        other = client.get("review/2", params={"token": token})
        posted = client.post("review/1", data={"token": token[:-2] + "xx", "action": "approve"})
    assert forged.status_code == other.status_code == posted.status_code == 403
    with open_store(config.state.path, readonly=True) as store:
        record = store.issue(1)
        assert record is not None and record.status == "review"
