"""Composing the issue: which story leads, how teasers are grouped, what the inbox shows."""

from __future__ import annotations

from issue_factory import PERIOD_END, PERIOD_START, article, newsletter, seeds_lead, summary

from digest.render.compose import GENERAL_SECTION, choose_lead, compose_issue


def _compose(lead, teasers, number=3):  # type: ignore[no-untyped-def]
    return compose_issue(lead, teasers, number=number, period_start=PERIOD_START,
                         period_end=PERIOD_END, newsletter=newsletter())


def test_the_article_marked_lead_leads_even_when_shorter() -> None:
    long_item = article("Long item", role="item", text="word " * 900)
    marked = article("Marked lead", role="lead", text="word " * 300)
    lead, rest = choose_lead([long_item, marked])
    assert lead is marked
    assert rest == [long_item]


def test_the_richest_of_several_leads_wins_and_the_others_become_teasers() -> None:
    short = article("Short lead", role="lead", text="word " * 100)
    rich = article("Rich lead", role="lead", text="word " * 800)
    teaser = article("Teaser", role="teaser")
    lead, rest = choose_lead([short, teaser, rich])
    assert lead is rich
    assert rest == [short, teaser]


def test_without_a_lead_the_longest_item_leads_and_the_order_stays() -> None:
    items = [article(f"Item {n}", role="item", text="word " * n) for n in (50, 400, 120)]
    teaser = article("Teaser", role="teaser", text="word " * 2000)
    lead, rest = choose_lead([items[0], teaser, items[1], items[2]])
    assert lead is items[1]
    assert rest == [items[0], teaser, items[2]]


def test_no_articles_means_no_lead() -> None:
    assert choose_lead([]) == (None, [])


def test_sections_keep_their_first_appearance_and_loose_teasers_come_last() -> None:
    teasers = [
        summary(article("A", section="Media"), "a"),
        summary(article("B"), "b"),
        summary(article("C", section="Europe"), "c"),
        summary(article("D", section="media"), "d"),
        summary(article("E", section="More stories"), "e"),
    ]
    issue = _compose(seeds_lead(), teasers)
    assert [s.name for s in issue.sections] == ["Media", "Europe", GENERAL_SECTION]
    assert [[i.article.title for i in s.items] for s in issue.sections] == [
        ["A", "D"], ["C"], ["B", "E"]]
    assert [t.article.title for t in issue.teasers] == ["A", "D", "C", "B", "E"]


def test_title_subject_and_preheader_read_well_in_an_inbox() -> None:
    issue = _compose(seeds_lead(), [summary(article("Other story"), "x")], number=12)
    assert issue.title == "The Weekly Round-up — 22 November 2026"
    assert issue.subject.startswith("The Weekly Round-up #12: Biden's ‘Last bang’")
    assert len(issue.subject) <= 90
    assert 40 <= len(issue.preheader) <= 130
    assert issue.preheader != issue.subject
    assert issue.preheader.startswith("It was widely expected")


def test_a_very_long_lead_title_is_cut_at_a_word_with_an_ellipsis() -> None:
    lead = summary(article("Word " * 40, role="lead"), "A first sentence. " * 20)
    issue = _compose(lead, [])
    assert len(issue.subject) <= 90 and issue.subject.endswith("…")
    assert len(issue.preheader) <= 130 and issue.preheader.endswith("…")


def test_without_a_lead_the_preheader_lists_the_teasers() -> None:
    teasers = [summary(article("Ports reopen"), "x"), summary(article("Rates hold"), "y")]
    issue = _compose(None, teasers)
    assert issue.lead is None
    assert issue.subject == "The Weekly Round-up #3"
    assert "Ports reopen" in issue.preheader and "Rates hold" in issue.preheader
    assert 40 <= len(issue.preheader) <= 130


def test_an_empty_issue_still_has_a_usable_preheader() -> None:
    issue = _compose(None, [])
    assert 40 <= len(issue.preheader) <= 130
    assert issue.preheader != issue.subject
    assert issue.sections == ()
