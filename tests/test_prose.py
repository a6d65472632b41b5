"""The prose filter counts words exactly as the word pattern finds them."""

from __future__ import annotations

import itertools
import random

from digest.summarize.sentences import ENOUGH_WORDS, MIN_WORDS, WORD, is_prose


def test_a_sentence_needs_four_words_as_the_word_pattern_finds_them() -> None:
    assert is_prose("The river rose fast.")
    assert not is_prose("The river rose.")
    assert not is_prose("Well-known rain-soaked don't-stop 1999.")  # three words, hyphens inside
    assert is_prose("Well-known rain-soaked don't stop.")
    assert not is_prose("Rain 12 34 _ fell - -- again")  # numbers, underscores and dashes


def test_the_word_count_agrees_with_the_pattern_on_random_text() -> None:
    rng = random.Random(3)
    alphabet = [*"ab Z'’-_1 .é²\n\t-", "ß", "Ω"]
    for _ in range(20_000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 25)))
        words = sum(1 for _ in itertools.islice(WORD.finditer(text), MIN_WORDS))
        assert (ENOUGH_WORDS.match(text) is not None) == (words >= MIN_WORDS), repr(text)
        if words < MIN_WORDS:
            assert not is_prose(text), repr(text)
