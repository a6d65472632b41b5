"""Sentence × term cells for the graph methods, straight from the words, with term ids remembered.

A word's term is its lower-case form stemmed, and a stop word has none, as sumy's summarizers
make them. Each distinct word is looked up once per process: `TermIndex` remembers every word's
term id, so a text's words become numbers in one pass of C-level dict look-ups, and the cells
(which sentence holds which term how often) are one sort of those numbers. The words of many
sentences come as one stream, each sentence's followed by `BREAK` (`word_stream`: one pass of the
word pattern over all of them instead of one call per sentence).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from digest.summarize.languages import UNSPACED
from digest.summarize.sentences import WORD, SentenceSplitter

BREAK = "\x00"  # ends each sentence's words in a stream
WORD_OR_BREAK = re.compile(rf"{WORD.pattern}|{BREAK}")
# The same on a text whose only letters are ASCII ones, three times faster: sre tests a range
# where the pattern above looks up each character's Unicode category.
ASCII_WORD_OR_BREAK = re.compile(WORD_OR_BREAK.pattern.replace(r"[^\W\d_]", "[A-Za-z]"))
OTHER_LETTER = re.compile(r"[^\W\d_\x00-\x7f]")  # a letter, not an ASCII one
_BREAK_ID = -2
_STOP_ID = -1
WORDS_KEPT = 200_000  # distinct words remembered per index before it starts afresh


@dataclass(frozen=True)
class Cells:
    """Which sentence holds which term how often: ``counts[k]`` of term ``cols[k]`` in sentence
    ``rows[k]``, one entry per (sentence, term), sorted by term; ``lengths`` counts each
    sentence's terms with repeats (its words less its stop words)."""

    rows: np.ndarray
    cols: np.ndarray
    counts: np.ndarray
    lengths: np.ndarray
    sentences: int
    terms: int


class TermIndex:
    """Every word seen so far and its term id (`_STOP_ID` for a stop word)."""

    def __init__(self, stemmer: Callable[[str], str], stop_words: frozenset[str]) -> None:
        self._stemmer = stemmer
        self._stop_words = stop_words
        self._ids: dict[str, int] = {BREAK: _BREAK_ID}
        self._terms: dict[str, int] = {}
        self._lock = threading.Lock()

    def ids(self, words: Sequence[str]) -> np.ndarray:
        """The term id of each word (`_BREAK_ID` for `BREAK`)."""
        try:
            return self._look_up(words)
        except KeyError:
            with self._lock:  # two threads must not give two terms one id
                if len(self._ids) > WORDS_KEPT:  # anew: a look-up under way keeps the old dict
                    self._ids, self._terms = {BREAK: _BREAK_ID}, {}
                self._learn(set(words).difference(self._ids))
                return self._look_up(words)

    def _look_up(self, words: Sequence[str]) -> np.ndarray:
        return np.fromiter(map(self._ids.__getitem__, words), dtype=np.int64, count=len(words))

    def _learn(self, words: Iterable[str]) -> None:
        ids, terms = self._ids, self._terms
        for word in words:
            lower = word.lower()
            if lower in self._stop_words:
                ids[word] = _STOP_ID
            else:
                ids[word] = terms.setdefault(self._stemmer(lower), len(terms))

    def cells(self, stream: Sequence[str], sentences: int) -> Cells:
        """The cells of a word stream holding `sentences` sentences."""
        ids = self.ids(stream)
        breaks = ids == _BREAK_ID
        if int(breaks.sum()) != sentences:
            raise ValueError(f"a stream of {int(breaks.sum())} sentences, not {sentences}")
        rows = np.cumsum(breaks)[~breaks]  # the sentence of each word: breaks before it
        ids = ids[~breaks]
        kept = ids >= 0
        rows, ids = rows[kept], ids[kept]
        lengths = np.bincount(rows, minlength=sentences).astype(float)
        keys, counts = np.unique(ids * max(sentences, 1) + rows, return_counts=True)
        terms, rows = np.divmod(keys, max(sentences, 1))
        starts = np.empty(len(terms), dtype=bool)
        starts[:1] = True
        np.not_equal(terms[1:], terms[:-1], out=starts[1:])
        cols = np.cumsum(starts) - 1  # terms numbered 0, 1, 2 … in the order of their ids
        return Cells(rows, cols, counts.astype(float), lengths, sentences,
                     int(cols[-1]) + 1 if len(cols) else 0)


def word_stream(splitter: SentenceSplitter, sentences: Sequence[str]) -> list[str]:
    """The words of the sentences as `splitter.to_words` finds them, in one list, each
    sentence's followed by `BREAK`."""
    if splitter.language in UNSPACED:  # word pairs, not the pattern's runs of letters
        return [w for s in sentences for w in (*splitter.to_words(s), BREAK)]
    text = BREAK.join(sentences) + BREAK
    if text.count(BREAK) != len(sentences):  # a sentence holds one: a space there, as to_words
        text = BREAK.join(s.replace(BREAK, " ") for s in sentences) + BREAK
    if OTHER_LETTER.search(text):
        return WORD_OR_BREAK.findall(text)
    return ASCII_WORD_OR_BREAK.findall(text)


_INDEXES: dict[tuple[Callable[[str], str], frozenset[str]], TermIndex] = {}


def term_index(stemmer: Callable[[str], str], stop_words: frozenset[str]) -> TermIndex:
    """The one index of a stemmer and stop words, kept for the process."""
    key = (stemmer, stop_words)
    index = _INDEXES.get(key)
    if index is None:
        if len(_INDEXES) > 64:  # a caller making new stemmers or stop-word sets again and again
            _INDEXES.clear()
        index = _INDEXES.setdefault(key, TermIndex(stemmer, stop_words))
    return index
