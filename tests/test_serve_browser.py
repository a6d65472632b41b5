"""Subscribing in a real browser (Debian chromium through Playwright) on a 375 px phone screen:
fill in the form, open the confirmation link from the message, and leave with the button.
Screenshots land in tests/artifacts/serve-*.png.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import ROOT
from tests.test_browser import CONTRAST_JS
from tests.webserver import Live

pytestmark = pytest.mark.browser
ARTIFACTS = ROOT / "tests" / "artifacts"
WIDTH = 375



def _check(page: Any, name: str) -> None:
    """A screenshot, no sideways scrolling, and readable contrast."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"serve-{name}-{WIDTH}.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH, name
    poor = [t for t in page.evaluate(CONTRAST_JS) if t["ratio"] < t["need"]]
    assert not poor, f"{name}: low-contrast text {poor[:5]}"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_reader_subscribes_confirms_and_leaves_in_a_browser(
    browser: Any, live: Live, scheme: str,
) -> None:
    context = browser.new_context(viewport={"width": WIDTH, "height": 800}, color_scheme=scheme)
    page = context.new_page()
    try:
        page.goto(live.web.url + "subscribe")
        _check(page, f"form-{scheme}")
        page.fill("input[name=email]", "reader@example.org")
        page.click("button[type=submit]")
        page.wait_for_selector("text=Check your inbox")
        _check(page, f"sent-{scheme}")
        assert live.readers() == {"reader@example.org": "pending"}

        page.goto(live.confirmation_link("reader@example.org"))
        page.wait_for_selector("text=You are subscribed")
        _check(page, f"confirmed-{scheme}")
        assert live.readers() == {"reader@example.org": "confirmed"}

        page.click("a:text-is('Unsubscribe')")
        page.wait_for_selector("text=Unsubscribe?")
        assert live.readers() == {"reader@example.org": "confirmed"}  # opening changes nothing
        page.click("button[type=submit]")
        page.wait_for_selector("text=You are unsubscribed")
        _check(page, f"unsubscribed-{scheme}")
        assert live.readers() == {"reader@example.org": "unsubscribed"}
    finally:
        context.close()


def test_a_malformed_address_shows_why_in_the_browser(browser: Any, live: Live) -> None:
    context = browser.new_context(viewport={"width": WIDTH, "height": 800})
    page = context.new_page()
    try:
        page.goto(live.web.url)
        page.fill("input[name=email]", "reader@localhost")  # the browser's own check lets it by
        page.click("button[type=submit]")
        page.wait_for_selector("text=Not subscribed")
        assert "not a mail domain" in page.inner_text("[role=alert]")
        _check(page, "problem-light")
        assert live.readers() == {}
    finally:
        context.close()

