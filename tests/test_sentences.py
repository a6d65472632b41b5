"""Offline sentence and word splitting: abbreviations, quotes, brackets, paragraphs, no NLTK."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import digest
from digest.summarize.sentences import SentenceSplitter, is_dangling, is_prose

SPLIT = SentenceSplitter("english")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mr. Smith flew to the U.S. on Monday. He came back.",
         ["Mr. Smith flew to the U.S. on Monday.", "He came back."]),
        ("The U.S. Army agreed. Others did not.", ["The U.S. Army agreed.", "Others did not."]),
        ("It was built ca. 1850 by hand. The builder is unknown.",
         ["It was built ca. 1850 by hand.", "The builder is unknown."]),
        ("It weighs ca. 5 kg. in all. The rest is water.",
         ["It weighs ca. 5 kg. in all.", "The rest is water."]),
        ("See e.g. the report by Smith et al. in 2004. It is long.",
         ["See e.g. the report by Smith et al. in 2004.", "It is long."]),
        ("Dr. Jones met Mrs. Brown at 5 p.m. on Friday. They talked.",
         ["Dr. Jones met Mrs. Brown at 5 p.m. on Friday.", "They talked."]),
        ("Profits hit $1.5bn, up 3.2%. Sales fell.",
         ["Profits hit $1.5bn, up 3.2%.", "Sales fell."]),
    ],
)
def test_abbreviations_and_numbers_do_not_end_a_sentence(text: str, expected: list[str]) -> None:
    assert list(SPLIT.to_sentences(text)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('He said: "We will win." Then he left.', ['He said: "We will win."', "Then he left."]),
        ("“We will win.” The crowd cheered.", ["“We will win.”", "The crowd cheered."]),
        ("(The vote was close.) It passed.", ["(The vote was close.)", "It passed."]),
        ('"Is it over?" she asked. Nobody replied.',
         ['"Is it over?" she asked.', "Nobody replied."]),
    ],
)
def test_closing_quotes_and_brackets_stay_with_their_sentence(text: str,
                                                              expected: list[str]) -> None:
    assert list(SPLIT.to_sentences(text)) == expected


def test_a_paragraph_break_always_ends_a_sentence() -> None:
    text = "A heading with no full stop\n\nThe first line\nof a paragraph. Another one.\n \n(End"
    assert SPLIT.to_sentences(text) == (
        "A heading with no full stop", "The first line of a paragraph.", "Another one.", "(End")
    assert [len(p) for p in SPLIT.to_paragraphs(text)] == [1, 2, 1]


def test_german_abbreviations_are_known() -> None:
    text = "Sie kam z. B. um 5 Uhr an. Er ging ca. 3 km weit nach Hause."
    assert SentenceSplitter("german").to_sentences(text)[-1].endswith("nach Hause.")
    assert len(SentenceSplitter("german").to_sentences(text)) <= 2


def test_words_are_letters_with_inner_apostrophes_and_hyphens() -> None:
    words = SPLIT.to_words("Don't stop-believing: 42 times, O'Neil — “really”?")
    assert words == ("Don't", "stop-believing", "times", "O'Neil", "really")
    assert SPLIT.language == "english"


@pytest.mark.parametrize(
    "line",
    ["Read more ›", "Photo: Reuters/Jane Doe", "By John Smith", "PRESIDENT SPEAKS TODAY",
     "Home | News |", "Short bit.", "Getty Images", "© 2024 Example News"],
)
def test_not_prose(line: str) -> None:
    assert not is_prose(line)


@pytest.mark.parametrize(
    "line",
    ["Photographers gathered outside the court on Monday.",
     "By the end of the year, profits had doubled.",
     "The U.S. economy grew by 3% last year."],
)
def test_prose(line: str) -> None:
    assert is_prose(line)


def test_dangling_openers() -> None:
    assert is_dangling("He said the plan was sound.")
    assert is_dangling("But the council disagreed.")
    assert is_dangling("This was the third attempt.")
    assert not is_dangling("Hefty fines were paid.")
    assert not is_dangling("Theatres reopened in May.")


def test_no_nltk_data_and_no_network_are_needed(tmp_path: Path) -> None:
    """Every method runs with an empty NLTK_DATA and with sockets and nltk_data forbidden."""
    script = """
import sys
def guard(event, args):
    if event == "socket.connect":
        raise RuntimeError("network used")
    if event == "open" and "nltk_data" in str(args[0]):
        raise RuntimeError(f"NLTK data read: {args[0]}")
sys.addaudithook(guard)
from digest.summarize.methods import METHODS, summarize_text
text = ("The council met on Monday. It approved the budget for schools. Teachers welcomed "
        "the decision. Parents said more money was needed. The vote was close.")
for method in METHODS:
    assert len(summarize_text(text, 2, method, "en", title="Council budget")) == 2, method
print("ok")
"""
    env = {**os.environ, "NLTK_DATA": str(tmp_path), "HOME": str(tmp_path)}
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                          text=True, timeout=120, cwd=Path(__file__).parent.parent)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("de", "Am 3. Oktober kam er z. B. mit Dr. Weber an. Er blieb bis zum 5. Mai. Dann "
               "ging er.",
         ["Am 3. Oktober kam er z. B. mit Dr. Weber an.", "Er blieb bis zum 5. Mai.",
          "Dann ging er."]),
        ("fr", "M. Dupont a parlé de la « sphère des fixes ». « Il n'y a pas de problème », "
               "dit-il. Mme Martin répond.",
         ["M. Dupont a parlé de la « sphère des fixes ».",
          "« Il n'y a pas de problème », dit-il.", "Mme Martin répond."]),
        ("es", "El Sr. García llegó a las 5. ¿Por qué tan tarde? ¡Qué día! Nadie lo sabe.",
         ["El Sr. García llegó a las 5.", "¿Por qué tan tarde?", "¡Qué día!", "Nadie lo sabe."]),
        ("pt", "O Dr. Silva chegou ontem. «Estamos muito motivados.» A equipe treinou.",
         ["O Dr. Silva chegou ontem.", "«Estamos muito motivados.»", "A equipe treinou."]),
        ("nl", "Dhr. Jansen zei het bijv. gisteren. ,,Ik ben blij.'' Daarna vertrok hij.",
         ["Dhr. Jansen zei het bijv. gisteren.", ",,Ik ben blij.''", "Daarna vertrok hij."]),
        ("sv", "Han kom bl.a. till Stockholm. Det var den 3. maj. Sedan åkte han hem.",
         ["Han kom bl.a. till Stockholm.", "Det var den 3. maj.", "Sedan åkte han hem."]),
        ("cs", "Přišel 3. října do Prahy. Bylo to tzv. velké setkání. Pak odešel.",
         ["Přišel 3. října do Prahy.", "Bylo to tzv. velké setkání.", "Pak odešel."]),
        ("el", "Ήρθε χθες στην Αθήνα. Γιατί; Κανείς δεν ξέρει.",
         ["Ήρθε χθες στην Αθήνα.", "Γιατί;", "Κανείς δεν ξέρει."]),
        ("ja", "今日は晴れです。彼は「本当？」と聞いた。明日は雨でしょう！",
         ["今日は晴れです。", "彼は「本当？」と聞いた。", "明日は雨でしょう！"]),
        ("zh", "今天天气很好。他说：“我们明天去北京。”你去吗？",
         ["今天天气很好。", "他说：“我们明天去北京。”", "你去吗？"]),
    ],
)
def test_split_sentences_in_each_language(language: str, text: str,
                                          expected: list[str]) -> None:
    assert digest.split_sentences(text, language=language) == expected


def test_split_sentences_takes_names_and_codes_and_paragraphs() -> None:
    text = "Erster Absatz ohne Punkt\n\nDer zweite Absatz. Er hat zwei Sätze."
    assert digest.split_sentences(text, "German") == digest.split_sentences(text, "de-AT") == [
        "Erster Absatz ohne Punkt", "Der zweite Absatz.", "Er hat zwei Sätze."]
    assert digest.split_sentences("", "en") == []
    assert "split_sentences" in digest.__all__


def test_an_unpunctuated_headline_is_cut_from_the_text_it_runs_into() -> None:
    text = "Policiais federais entram em greve Os policiais federais pararam ontem."
    assert digest.split_sentences(text, "pt") == [
        "Policiais federais entram em greve", "Os policiais federais pararam ontem."]
    # Words that are always capitalised mid-sentence are no such cut.
    assert len(digest.split_sentences("Wir danken Ihnen für die Hilfe.", "de")) == 1
    assert len(digest.split_sentences("Then I went home early.", "en")) == 1
    # Nor is a name after an opener ("of", "at").
    assert len(digest.split_sentences("He read a piece of The Times at The Hague.", "en")) == 1


def test_chinese_and_japanese_words_are_character_pairs() -> None:
    assert SentenceSplitter("chinese").to_words("北京天气") == ("北京", "京天", "天气")
    assert SentenceSplitter("japanese").to_words("東京 Tokyo") == ("東京", "Tokyo")
    lines = "今天天气\n很好。明天下雨。"
    assert SentenceSplitter("chinese").to_sentences(lines) == ("今天天气很好。", "明天下雨。")
