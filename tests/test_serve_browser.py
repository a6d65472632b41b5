"""Subscribing in a real browser (Debian chromium through Playwright) on a 375 px phone screen:
fill in the form, open the confirmation link from the message, and leave with the button.
Screenshots land in tests/artifacts/serve-*.png.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.test_browser import check_page
from tests.webserver import Live

pytestmark = pytest.mark.browser
WIDTH = 375


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_reader_subscribes_confirms_and_leaves_in_a_browser(
    browser: Any, live: Live, scheme: str,
) -> None:
    context = browser.new_context(viewport={"width": WIDTH, "height": 800}, color_scheme=scheme)
    page = context.new_page()
    try:
        page.goto(live.web.url + "subscribe")
        check_page(page, f"serve-form-{scheme}", WIDTH)
        page.fill("input[name=email]", "reader@example.org")
        page.click("button[type=submit]")
        page.wait_for_selector("text=Check your inbox")
        check_page(page, f"serve-sent-{scheme}", WIDTH)
        assert live.readers() == {"reader@example.org": "pending"}

        page.goto(live.confirmation_link("reader@example.org"))
        page.wait_for_selector("text=You are subscribed")
        check_page(page, f"serve-confirmed-{scheme}", WIDTH)
        assert live.readers() == {"reader@example.org": "confirmed"}

        page.click("a:text-is('Unsubscribe')")
        page.wait_for_selector("text=Unsubscribe?")
        assert live.readers() == {"reader@example.org": "confirmed"}  # opening changes nothing
        page.click("button[type=submit]")
        page.wait_for_selector("text=You are unsubscribed")
        check_page(page, f"serve-unsubscribed-{scheme}", WIDTH)
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
        check_page(page, "serve-problem-light", WIDTH)
        assert live.readers() == {}
    finally:
        context.close()

