"""Sentence boundaries of web and e-mail text: lower-case writing, salutations and sign-offs,
header stamps, links, emoticons, list items and single line breaks."""

from __future__ import annotations

import pytest

from digest import split_sentences
from digest.summarize.sentences import SentenceSplitter


def split(text: str, language: str = "en") -> list[str]:
    return split_sentences(text, language=language)


def test_a_paragraph_written_in_lower_case_splits_at_every_plain_full_stop() -> None:
    text = ("i got the tickets for friday. meet me at the gate at noon. bring sam's jacket. "
            "parking is full . take the bus?! ok")
    assert split(text) == ["i got the tickets for friday.", "meet me at the gate at noon.",
                           "bring sam's jacket.", "parking is full .", "take the bus?!", "ok"]


def test_lower_case_writing_still_keeps_abbreviations() -> None:
    text = "i bought pears, plums etc. and a melon. the shop was approx. ten minutes away."
    assert split(text) == ["i bought pears, plums etc. and a melon.",
                           "the shop was approx. ten minutes away."]


def test_edited_text_does_not_split_before_a_lower_case_word() -> None:
    text = "The report covers Smith & Co. plus its partners. It is long."
    assert split(text) == ["The report covers Smith & Co. plus its partners.", "It is long."]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hi Priya: Here are the notes from Monday.",
         ["Hi Priya:", "Here are the notes from Monday."]),
        ("Hello everyone, Welcome to the spring issue.",
         ["Hello everyone,", "Welcome to the spring issue."]),
        ("Marco, We moved the launch to May.", ["Marco,", "We moved the launch to May."]),
        ("Dear Ms. Okafor, Thank you for your letter.",
         ["Dear Ms. Okafor,", "Thank you for your letter."]),
        ("Questions? Write to news@example.org Dear readers, this is our last issue.",
         ["Questions?", "Write to news@example.org", "Dear readers, this is our last issue."]),
    ],
)
def test_a_salutation_is_a_sentence_of_its_own(text: str, expected: list[str]) -> None:
    assert split(text) == expected


@pytest.mark.parametrize(
    "text",
    ["Yesterday, I walked to the harbour.", "Sadly, We lost the final.",
     "Note: The office is closed on Monday.", "Editor, The Harbour Weekly",
     "Anna, Paul and Lea came too."],
)
def test_an_opening_word_before_a_comma_is_no_salutation(text: str) -> None:
    assert split(text) == [text]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("See you at the fair. Cheers, Tomas", ["See you at the fair.", "Cheers,", "Tomas"]),
        ("That is all for now. Best wishes, Ana Lima",
         ["That is all for now.", "Best wishes,", "Ana Lima"]),
        ("Call me later. Thanks. ana", ["Call me later.", "Thanks.", "ana"]),
        ("Thanks - Ruth Goldberg Harbour Books", ["Thanks -", "Ruth Goldberg Harbour Books"]),
    ],
)
def test_a_sign_off_ends_a_sentence_before_the_signature(text: str,
                                                          expected: list[str]) -> None:
    assert split(text) == expected


def test_thanks_inside_a_sentence_is_no_sign_off() -> None:
    assert split("Thanks, Maria, for the photos.") == ["Thanks, Maria, for the photos."]
    assert split("Thanks to the volunteers the fair was a success.") == [
        "Thanks to the volunteers the fair was a success."]


def test_a_header_stamp_stands_between_the_sender_and_the_text() -> None:
    text = "Priya Raman@EXAMPLE 03/14/2024 09:05 AM Marco, the draft is attached."
    assert split(text) == ["Priya Raman@EXAMPLE", "03/14/2024 09:05 AM",
                           "Marco, the draft is attached."]
    running = "The outage began 03/14/2024 09:05 AM and ended at noon."
    assert split(running) == [running]


def test_a_list_of_links_is_one_link_a_sentence() -> None:
    text = "https://example.org/a?id=1 https://example.org/b www.example.net/c"
    assert split(text) == ["https://example.org/a?id=1", "https://example.org/b",
                           "www.example.net/c"]


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("en", "Great match :) See you on Friday.", ["Great match :)", "See you on Friday."]),
        ("en", "We won! :-) Next week we play again.",
         ["We won! :-)", "Next week we play again."]),
        ("en", "It was fun ;-) and cheap.", ["It was fun ;-) and cheap."]),
        ("de", "Das Essen war super :-) Gerne wieder!", ["Das Essen war super :-)",
                                                         "Gerne wieder!"]),
        ("fr", "Merci ! ;) La prochaine fois peut-être.",
         ["Merci ! ;)", "La prochaine fois peut-être."]),
    ],
)
def test_an_emoticon_ends_its_sentence(language: str, text: str, expected: list[str]) -> None:
    assert split(text, language) == expected


def test_a_note_in_square_brackets_ends_the_sentence_it_credits() -> None:
    text = "The library buys a second bus [via Harbour News] The first one runs from May."
    assert split(text) == ["The library buys a second bus [via Harbour News]",
                           "The first one runs from May."]
    inner = "The mayor [Anna Berg] said the report [PDF] Jan Holm wrote [sic] is out."
    assert split(inner) == [inner]


def test_no_before_a_word_is_a_word_and_before_a_number_an_abbreviation() -> None:
    assert split("She said no. Then she left.") == ["She said no.", "Then she left."]
    assert split("No. 7 won. See fig. 3 and vol. II for details.") == [
        "No. 7 won.", "See fig. 3 and vol. II for details."]


def test_a_title_in_title_case_is_not_cut_at_a_capitalised_opener() -> None:
    text = "Ten Things To Know Before Your First Race"
    assert split(text) == [text]
    assert split("Harbour Weekly The council met on Monday.") == [
        "Harbour Weekly", "The council met on Monday."]


def test_line_breaks_end_headers_greetings_signatures_and_list_items() -> None:
    text = ("Subject: Spring fair\n"
            "Hi all,\n"
            "The fair moves to the harbour this year, and the stalls open at ten in the\n"
            "morning. Bring:\n"
            "- a chair\n"
            "- Sun cream\n"
            "1. Register online\n"
            "2) Pick up your badge\n"
            "\n"
            "Best,\n"
            "Ruth Goldberg\n"
            "Harbour Books\n"
            "+44 20 7946 0000")
    splitter = SentenceSplitter("english")
    assert splitter.to_sentences(text) == (
        "Subject: Spring fair", "Hi all,",
        "The fair moves to the harbour this year, and the stalls open at ten in the morning.",
        "Bring:", "- a chair", "- Sun cream", "1. Register online", "2) Pick up your badge",
        "Best,", "Ruth Goldberg", "Harbour Books", "+44 20 7946 0000")
    assert [len(p) for p in splitter.to_paragraphs(text)] == [8, 4]


def test_a_hard_wrapped_paragraph_is_joined_again() -> None:
    text = ("The committee met with\n"
            "Anna Berg and her team on Monday to talk about the budget for the\n"
            "Coming year, which starts in April.\n"
            "They agreed on most of it.")
    assert split(text) == [
        "The committee met with Anna Berg and her team on Monday to talk about the budget for "
        "the Coming year, which starts in April.", "They agreed on most of it."]


def test_japanese_lines_are_still_joined() -> None:
    assert split("今日は晴れ\nです。明日は雨です。", "ja") == ["今日は晴れです。", "明日は雨です。"]


def test_a_pointer_to_the_page_video_is_cut_off_and_never_summarized() -> None:
    from digest import summarize_text

    text = ("The council voted to close the harbour road for repairs. Scroll down for video "
            "Workers will start on Monday and finish the repairs by the end of the month. "
            "Readers can scroll down for video of the vote.")
    assert split(text) == ["The council voted to close the harbour road for repairs.",
                           "Scroll down for video",
                           "Workers will start on Monday and finish the repairs by the end "
                           "of the month.", "Readers can scroll down for video of the vote."]
    summary = summarize_text(text, sentences=3, method="lead", language="en")
    assert all("Scroll down" not in sentence for sentence in summary)
    assert summary[1].startswith("Workers will start")
