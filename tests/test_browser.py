"""The rendered round-up in a real browser (Debian chromium through Playwright): it fits small
phones without sideways scrolling, keeps to 600 px on a desktop, and every visible text keeps
WCAG AA contrast in light and dark mode. Screenshots land in tests/artifacts/ for a look.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT
from issue_factory import big_issue, newsletter, seeds_issue

from digest.render.templates import render_issue

pytestmark = pytest.mark.browser

ARTIFACTS = ROOT / "tests" / "artifacts"
PICTURE = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="675">'
    '<rect width="1200" height="675" fill="#5b6f82"/>'
    '<circle cx="860" cy="260" r="170" fill="#c9a66b"/>'
    '<rect y="470" width="1200" height="205" fill="#37485a"/></svg>'
)

CONTRAST_JS = """() => {
  const parse = c => { const m = c.match(/[\\d.]+/g).map(Number);
                       return {r: m[0], g: m[1], b: m[2], a: m.length > 3 ? m[3] : 1}; };
  const lum = ({r, g, b}) => { const f = v => { v /= 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
  const background = el => { for (let e = el; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor); if (c.a > 0.5) return c; }
    return {r: 255, g: 255, b: 255, a: 1}; };
  const hidden = el => { for (let e = el; e; e = e.parentElement) { const s = getComputedStyle(e);
      if (s.display === 'none' || s.visibility === 'hidden' || Number(s.opacity) === 0) {
        return true; } }
    return false; };
  const out = [];
  for (const el of document.body.querySelectorAll('*')) {
    const own = [...el.childNodes].filter(n => n.nodeType === 3)
      .map(n => n.textContent).join('').trim();
    if (!own || hidden(el)) continue;
    const box = el.getBoundingClientRect(); if (box.width < 2 || box.height < 2) continue;
    const s = getComputedStyle(el); const fg = lum(parse(s.color)); const bg = lum(background(el));
    const ratio = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
    const size = parseFloat(s.fontSize); const bold = Number(s.fontWeight) >= 700;
    const large = size >= 24 || (bold && size >= 18.66);
    out.push({text: own.slice(0, 40), ratio: Math.round(ratio * 100) / 100, need: large ? 3 : 4.5});
  }
  return out;
}"""


def check_page(page: Any, name: str, width: int) -> None:
    """A screenshot in tests/artifacts, no sideways scrolling at `width`, readable contrast."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= width, name
    poor = [t for t in page.evaluate(CONTRAST_JS) if t["ratio"] < t["need"]]
    assert not poor, f"{name}: low-contrast text {poor[:5]}"



@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The sample issue and a 30-story issue, rendered to HTML files."""
    folder = tmp_path_factory.mktemp("pages")
    files = {}
    for name, issue in (("seeds", seeds_issue()), ("big", big_issue(30))):
        files[name] = folder / f"{name}.html"
        files[name].write_text(render_issue(issue, newsletter(), None, token="t0k").html)
    return files


def _open(browser: Any, file: Path, width: int, scheme: str) -> Any:
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
    page = context.new_page()

    def route(request: Any) -> None:
        if request.request.resource_type == "image":
            request.fulfill(status=200, content_type="image/svg+xml", body=PICTURE)
        else:
            request.abort()

    page.route("http*://**/*", route)
    page.goto(file.as_uri())
    return page


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [320, 375, 600])
@pytest.mark.parametrize("name", ["seeds", "big"])
def test_no_sideways_scrolling_and_readable_contrast(
    browser: Any, pages: dict[str, Path], name: str, width: int, scheme: str
) -> None:
    page = _open(browser, pages[name], width, scheme)
    try:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{name}-{width}-{scheme}.png"), full_page=True)
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= width, f"{name} overflows at {width}px ({scheme}): {scroll_width}px"
        texts = page.evaluate(CONTRAST_JS)
        assert len(texts) > 10, "the contrast check found almost no visible text"
        poor = [t for t in texts if t["ratio"] < t["need"]]
        assert not poor, f"{name} at {width}px ({scheme}) has low-contrast text: {poor[:5]}"
    finally:
        page.context.close()


@pytest.mark.parametrize("name", ["seeds", "big"])
def test_content_keeps_to_600_px_on_a_desktop(
    browser: Any, pages: dict[str, Path], name: str
) -> None:
    page = _open(browser, pages[name], 1024, "light")
    try:
        widest = page.evaluate(
            "Math.max(...[...document.querySelectorAll('table')]"
            ".map(t => t.getBoundingClientRect().width))"
        )
        assert 560 <= widest <= 600, f"widest table is {widest}px"
        page.screenshot(path=str(ARTIFACTS / f"{name}-1024-light.png"), full_page=True)
    finally:
        page.context.close()


def test_dark_mode_really_darkens_the_card(browser: Any, pages: dict[str, Path]) -> None:
    page = _open(browser, pages["seeds"], 600, "dark")
    try:
        colour = page.evaluate(
            "getComputedStyle(document.querySelector('.card')).backgroundColor")
        assert colour == "rgb(29, 29, 27)", f"the dark card is {colour}"
    finally:
        page.context.close()


def test_with_images_blocked_the_layout_holds_and_headlines_show(
    browser: Any, pages: dict[str, Path]
) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 900})
    page = context.new_page()
    page.route("http*://**/*", lambda request: request.abort())
    try:
        page.goto(pages["seeds"].as_uri())
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        loaded = page.evaluate("[...document.images].filter(i => i.naturalWidth > 0).length")
        assert loaded == 0, "an image loaded although every request was blocked"
        hidden = page.evaluate(
            "[...document.querySelectorAll('h1, h2, h3')]"
            ".filter(h => h.getBoundingClientRect().height < 10).map(h => h.textContent)"
        )
        assert hidden == []
        page.screenshot(path=str(ARTIFACTS / "seeds-375-images-off.png"), full_page=True)
    finally:
        context.close()
