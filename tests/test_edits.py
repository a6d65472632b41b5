"""Edits applied to an issue as built: a new lead, dropped stories, the order, chosen sentences,
and the review page's buttons, which only ever produce edits that `check_edits` accepts."""

from __future__ import annotations

import pytest

from digest.errors import DigestError
from digest.render.compose import compose_issue
from digest.render.edits import Edits, apply_edits, check_edits, press, stories
from tests.issue_factory import PERIOD_END, PERIOD_START, article, newsletter, summary


def issue_of(count: int = 4):
    lead = summary(article("Lead story", role="lead"), "The lead sentence.")
    teasers = [summary(article(f"Teaser {n}", section="World" if n % 2 else None),
                       f"Teaser {n} sentence.") for n in range(1, count)]
    return compose_issue(lead, teasers, number=7, period_start=PERIOD_START,
                         period_end=PERIOD_END, newsletter=newsletter())


def titles(issue) -> list[str]:
    return [s.article.title for s in stories(issue).values()]


def test_a_new_lead_drop_and_order_recompose_the_issue() -> None:
    issue = issue_of()
    ids = {s.article.title: sid for sid, s in stories(issue).items()}
    edits = Edits(lead=ids["Teaser 2"], drop=(ids["Teaser 1"],), order=(ids["Teaser 3"],),
                  note="Hello")
    check_edits(edits, issue, {}, "edits.yaml")
    edited = apply_edits(issue, edits, newsletter())
    assert edited.lead is not None and edited.lead.article.title == "Teaser 2"
    assert [t.article.title for t in edited.teasers] == ["Teaser 3", "Lead story"]
    assert edited.subject.endswith(": Teaser 2")
    assert edited.note == "Hello"
    assert edited.number == issue.number and edited.period_end == issue.period_end


def test_the_buttons_make_the_same_edits_as_a_file_would() -> None:
    issue = issue_of(5)
    assert titles(issue) == ["Lead story", "Teaser 1", "Teaser 3", "Teaser 2", "Teaser 4"]
    ids = {s.article.title: sid for sid, s in stories(issue).items()}
    edits = press(Edits(), issue, "lead", ids["Teaser 2"])
    edits = press(edits, issue, "drop", ids["Teaser 1"])
    edits = press(edits, issue, "down", ids["Lead story"])
    check_edits(edits, issue, {}, "page")
    edited = apply_edits(issue, edits, newsletter())
    # The old lead became the first of "More stories" and moved down one, below Teaser 4.
    assert titles(edited) == ["Teaser 2", "Teaser 3", "Teaser 4", "Lead story"]
    restored = press(edits, issue, "restore", ids["Teaser 1"])
    assert "Teaser 1" in titles(apply_edits(issue, restored, newsletter()))


def test_a_dropped_lead_is_refused() -> None:
    issue = issue_of()
    lead = issue.lead.article.story_id if issue.lead else ""
    with pytest.raises(DigestError, match=f"drop: '{lead}' is the lead"):
        check_edits(Edits(drop=(lead,)), issue, {}, "edits.yaml")
