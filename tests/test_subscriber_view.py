"""What subscribers see is for subscribers: display titles, their names, no empty tokens, an
archive page that does not link to itself, plural forms and a subject that fits an inbox."""

from __future__ import annotations

import email
import json
from email import policy
from pathlib import Path
from typing import Any

import yaml

from digest.config import load_config
from digest.run.job import run_issue
from tests.smtpserver import SmtpServer, write_config

UNSUBSCRIBE = "https://example.org/unsubscribe?token={token}"


def feed(title: str, items: list[tuple[str, str, str]]) -> str:
    """An RSS feed named `title` with (title, link, description) items."""
    body = "".join(f"<item><title>{t}</title><link>{link}</link><guid>{link}</guid>"
                   f"<description>{d}</description></item>" for t, link, d in items)
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>{title}</title>'
            f"<link>https://example.org/</link>{body}</channel></rss>")


def config_with(tmp_path: Path, feeds: dict[str, str], sources: list[dict[str, Any]],
                **extra: Any) -> Path:
    """Feed files in `tmp_path` and a config reading them, archive only."""
    for name, text in feeds.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    data = {"sources": sources, "collect": {"lookback_days": 100_000},
            "output": {"dir": "out"}, "state": {"path": "state/state.db"}, **extra}
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def archived_page(tmp_path: Path) -> str:
    """The archive's public page of issue 1."""
    (page,) = (tmp_path / "out" / "issues").glob("0001-*/index.html")
    return page.read_text(encoding="utf-8")


STORY = ("The council voted to turn the tram depot into a library, with a reading garden on "
         "the roof and work starting in the autumn, the council said on Tuesday evening.")


def test_also_in_names_sources_by_their_display_title(tmp_path: Path) -> None:
    link = "https://example.org/depot"
    config = config_with(
        tmp_path,
        {"a.xml": feed("Gazette Feed", [("Depot to become a library", link, STORY)]),
         "b.xml": feed("The Wire", [("Depot to become a library", link, STORY)])},
        [{"name": "gaz-internal", "kind": "feed", "path": "a.xml", "title": "The Gazette"},
         {"name": "wire-internal", "kind": "feed", "path": "b.xml"}],
    )
    run_issue(load_config(config))
    page = archived_page(tmp_path)
    assert "Also in: The Wire" in page
    assert "internal" not in page


def test_a_readers_name_stays_in_to(tmp_path: Path) -> None:
    with SmtpServer() as server:
        config = write_config(tmp_path, server.port, ["Ann Lee <ann@example.org>"])
        run_issue(load_config(config))
    (received,) = server.handler.for_recipient("ann@example.org")
    assert received.message["To"] == "Ann Lee <ann@example.org>"


def test_previews_and_the_archive_carry_no_empty_token_and_no_link_to_themselves(
    tmp_path: Path,
) -> None:
    config = config_with(
        tmp_path, {"a.xml": feed("Gazette", [("Depot", "https://example.org/d", STORY)])},
        [{"name": "gazette", "kind": "feed", "path": "a.xml"}],
        newsletter={"base_url": "https://example.org/digest/", "unsubscribe_url": UNSUBSCRIBE},
    )
    run_issue(load_config(config))
    page = archived_page(tmp_path)
    folder = next((tmp_path / "out" / "issues").glob("0001-*"))
    message = email.message_from_bytes((folder / "issue.eml").read_bytes(),
                                       policy=policy.default)
    text = (folder / "issue.txt").read_text(encoding="utf-8")
    for shown in (page, text, str(message["List-Unsubscribe"])):
        assert "token=" not in shown
        assert "https://example.org/unsubscribe" in shown
    assert "View in browser" not in page  # the page is the browser copy
    html = message.get_body(("html",)).get_content()  # type: ignore[union-attr]
    assert f'href="https://example.org/digest/{folder.relative_to(tmp_path / "out")}/"' in html


def test_one_story_is_one_story_and_the_subject_fits_an_inbox(tmp_path: Path) -> None:
    title = ("A very long headline about the council's decision to turn the old tram depot "
             "into a public library with a roof garden")
    config = config_with(
        tmp_path, {"a.xml": feed("Gazette", [(title, "https://example.org/d", STORY)])},
        [{"name": "gazette", "kind": "feed", "path": "a.xml"}],
    )
    result = run_issue(load_config(config))
    assert "1 story," in result.summary
    folder = next((tmp_path / "out" / "issues").glob("0001-*"))
    subject = json.loads((folder / "issue.json").read_text(encoding="utf-8"))["subject"]
    assert len(subject) <= 70 and subject.endswith("…")
