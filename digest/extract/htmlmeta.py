"""The metadata digest shows for an HTML page (title, description, authors, date, section,
canonical URL and image), found as trafilatura's metadata pass finds it, in less time.

trafilatura's pass also looks for a site name, tags and a licence, which digest never shows;
those are left out. Its search for a byline in the markup copies the whole page, deletes
comments, sidebars, dates and figures from the copy and runs three XPath searches over it,
on most pages (those whose meta tags and JSON-LD name no author); here one walk over the
page's elements finds the same bylines, and only a byline that holds a deleted part is
copied. The category search runs only on pages with a category link, the only ones on which
it can find anything. Fields, order and results are trafilatura's; tests/test_htmlmeta.py
checks the byline walk against trafilatura's search.
"""

from __future__ import annotations

import logging
import re
from copy import deepcopy
from typing import Any

log = logging.getLogger(__name__)

# What trafilatura's AUTHOR_XPATHS select, tier by tier, and its AUTHOR_DISCARD_XPATHS delete,
# with their regular expressions (lxml's re:test is Python's re.search).
_NAMED_TAGS = frozenset({"a", "address", "div", "link", "p", "span", "strong"})
_NAMED_CLASS = re.compile("author-?name|AuthorName|authorName")
_CREDIT_TAGS = frozenset({"a", "div", "h3", "h4", "p", "span"})
_CREDIT_EXACT = frozenset({"byline", "username", "byl", "BBL"})
_CREDIT_ID = re.compile("author|zuozhe|bianji|xiaobian")
_CREDIT_CLASS = re.compile("author|channel-name|zuozhe|bianji|xiaobian|submitted-by|posted-by|"
                           "journalist-name")
_LOOSE_ID = re.compile("[Aa]uthor")
_LOOSE_CLASS = re.compile("[Aa]uthor|screenname|writer|[Bb]yline")
_HIDDEN_TAGS = frozenset({"a", "div", "section", "span"})
_HIDDEN_EXACT = frozenset({"comments", "title", "date"})
_HIDDEN_ID = re.compile("^comments|comment-?list|ProductReviews")
_HIDDEN_CLASS = re.compile("^[Cc]omments|commentlist|comments-list|sidebar|is-hidden|quote|"
                           "embedly-instagram|article-(?:share|support)|print|category|"
                           "meta-date|meta-reviewer")
# A class or id that any of those could pick out; elements with neither (nor an attribute
# below, nor a marked tag) are passed over without a closer look.
_ANY_CLASS = re.compile("|".join(p.pattern for p in (
    _HIDDEN_CLASS, _NAMED_CLASS, _CREDIT_CLASS, _LOOSE_CLASS))
    + "|^(?:title|date|username|byl|BBL)$")
_ANY_ID = re.compile("|".join(p.pattern for p in (_HIDDEN_ID, _CREDIT_ID, _LOOSE_ID)))
_MARKED_TAGS = frozenset({"time", "figure", "author"})
_CATEGORY_LINK = re.compile("/categor(?:y|ies|s)?/")


def page_metadata(tree: Any, url: str | None) -> Any:
    """The metadata of a parsed page as a trafilatura Document (title, description, author,
    date, categories, url, image), each field found the way trafilatura's own pass finds it."""
    from trafilatura.metadata import (  # find_date: htmldate's, as trafilatura calls it
        examine_meta,
        extract_meta_json,
        extract_title,
        extract_url,
        find_date,
    )
    from trafilatura.settings import DEFAULT_CONFIG, set_date_params

    metadata = examine_meta(tree)
    if metadata.author and " " not in metadata.author:
        metadata.author = None  # a single word is a handle, not a name
    try:
        metadata = extract_meta_json(tree, metadata)
    except Exception as exc:  # trafilatura's JSON-LD reader trips over odd shapes
        log.debug("cannot read the page's JSON-LD: %s", exc)
    metadata.title = metadata.title or extract_title(tree)
    metadata.author = metadata.author or page_author(tree)
    metadata.url = metadata.url or extract_url(tree, url)
    dates = set_date_params(DEFAULT_CONFIG.getboolean("DEFAULT", "EXTENSIVE_DATE_SEARCH"))
    metadata.date = find_date(tree, **{**dates, "url": metadata.url})
    metadata.categories = metadata.categories or page_categories(tree)
    metadata.clean_and_trim()
    return metadata


def page_author(tree: Any) -> str | None:
    """Author names from the first byline in the page with a name's length, outside comments,
    sidebars, dates and figures: what trafilatura's `extract_author` finds."""
    from trafilatura.json_metadata import normalize_authors
    from trafilatura.metadata import extract_author
    from trafilatura.utils import trim

    if tree.find(".//rel") is not None:  # its search compares a <rel> child's text too
        return extract_author(tree)  # type: ignore[no-any-return]
    hidden, tiers = _bylines(tree)
    holding = {ancestor for element in hidden for ancestor in element.iterancestors()}
    for tier in tiers:
        for element in tier:
            if element in hidden or any(a in hidden for a in element.iterancestors()):
                continue
            text = trim(" ".join(_pruned(element) if element in holding else element.itertext()))
            if text and 2 < len(text) < 120:
                return normalize_authors(None, text)  # type: ignore[no-any-return]
    return None


def _bylines(tree: Any) -> tuple[set[Any], tuple[list[Any], list[Any], list[Any]]]:
    """The elements trafilatura deletes before its byline search, and those each of its three
    searches selects, in document order."""
    tiers: tuple[list[Any], list[Any], list[Any]] = ([], [], [])
    hidden: set[Any] = set()
    # whether a class or an id could be picked out, by value: most repeat on a page
    classes_seen: dict[str, bool] = {"": False}
    ids_seen: dict[str, bool] = {"": False}
    for element in tree.iter():
        tag = element.tag
        if not isinstance(tag, str):  # comments and processing instructions
            continue
        get = element.get
        classes, ident = get("class") or "", get("id") or ""
        if (picked := classes_seen.get(classes)) is None:
            picked = classes_seen[classes] = _ANY_CLASS.search(classes) is not None
        if not picked and (picked := ids_seen.get(ident)) is None:
            picked = ids_seen[ident] = _ANY_ID.search(ident) is not None
        if not (picked or tag in _MARKED_TAGS or get("itemprop") or get("data-component")
                or get("rel") or get("data-testid")):
            continue
        marks = _byline_marks(element, tag)
        if marks[0] and element is not tree:  # the root is never deleted
            hidden.add(element)
        for tier, marked in zip(tiers, marks[1:], strict=True):
            if marked:
                tier.append(element)
    return hidden, tiers


def _byline_marks(element: Any, tag: str) -> tuple[bool, bool, bool, bool]:
    """Whether trafilatura deletes the element before its byline search, and whether each of
    its three byline searches selects it."""
    if tag in ("time", "figure"):
        return True, False, False, False
    get = element.get
    classes, ident = get("class") or "", get("id") or ""
    itemprop, component = get("itemprop") or "", get("data-component") or ""
    hidden = tag in _HIDDEN_TAGS and bool(
        ident == "comments" or classes in _HIDDEN_EXACT or "Figure" in component
        or _HIDDEN_ID.search(ident) or _HIDDEN_CLASS.search(classes)
    )
    named = tag == "author" or (tag in _NAMED_TAGS and bool(
        ident == "author" or classes == "author" or itemprop == "author name"
        or get("rel") == "author" or get("data-testid") in ("AuthorCard", "AuthorURL")
        or _NAMED_CLASS.search(classes)
    ))
    credited = tag in _CREDIT_TAGS and bool(
        classes in _CREDIT_EXACT or "author" in itemprop
        or _CREDIT_ID.search(ident) or _CREDIT_CLASS.search(classes)
    )
    loose = bool("Byline" in component or "author" in itemprop
                 or _LOOSE_ID.search(ident) or _LOOSE_CLASS.search(classes))
    return hidden, named, credited, loose


def _pruned(element: Any) -> Any:
    """The text pieces of a byline after trafilatura deletes the hidden parts inside it."""
    from trafilatura.htmlprocessing import prune_unwanted_nodes
    from trafilatura.xpaths import AUTHOR_DISCARD_XPATHS

    return prune_unwanted_nodes(deepcopy(element), AUTHOR_DISCARD_XPATHS).itertext()


def page_categories(tree: Any) -> list[str]:
    """The page's categories as trafilatura's `extract_catstags` finds them; its link search
    only when a link leads to a category page, since it keeps nothing else."""
    from trafilatura.metadata import extract_catstags

    if any(_CATEGORY_LINK.search(link.get("href") or "") for link in tree.getroottree().iter("a")):
        return extract_catstags("category", tree)  # type: ignore[no-any-return]
    from trafilatura.utils import line_processing

    found = tree.xpath('.//head//meta[@property="article:section" or '
                       'contains(@name, "subject")][@content]')
    values = (line_processing(meta.attrib["content"]) for meta in found if meta.attrib["content"])
    return [line for line in dict.fromkeys(values) if line]
