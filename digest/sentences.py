"""Offline sentence and word splitting, shaped like sumy's tokenizer.

Sentences come from `nupunkt` (a Punkt model shipped inside the package), chosen over `pysbd`
by the measurements in `bench/eval_sentences.py` (see the README), with a few extra abbreviations
per language. Paragraph breaks ("\\n\\n") always end a sentence. Nothing here reads NLTK data
or touches the network.
"""

from __future__ import annotations

import re

# Abbreviations after which a full stop does not end a sentence, beyond what the model knows.
ABBREVIATIONS = {
    "english": {"ca", "approx", "vs", "e.g", "i.e", "al", "fig", "cf"},
    "german": {"ca", "z.b", "b", "bzw", "vgl", "ggf", "evtl", "inkl", "nr", "dr", "s"},
    "french": {"env", "cf", "p.ex", "m", "mme"},
}
# A word is a run of letters, optionally joined by apostrophes or hyphens (as in sumy).
WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
LAST_WORD = re.compile(r"(\S+)\.$")


def _model_split(paragraph: str) -> list[str]:
    import nupunkt

    return [str(piece) for piece in nupunkt.sent_tokenize(paragraph)]


def split_paragraphs(text: str) -> list[str]:
    """The paragraphs of a text: blocks separated by a blank line, with inner whitespace joined."""
    blocks = (" ".join(block.split()) for block in PARAGRAPH_BREAK.split(text))
    return [block for block in blocks if block]


class SentenceSplitter:
    """Splits text into sentences and words; usable wherever sumy expects its `Tokenizer`."""

    def __init__(self, language: str = "english") -> None:
        self.language = language
        self._abbreviations = ABBREVIATIONS.get(language, ABBREVIATIONS["english"])

    def to_sentences(self, text: str) -> tuple[str, ...]:
        """The sentences of a text, in order; a paragraph break always ends one."""
        sentences: list[str] = []
        for paragraph in split_paragraphs(text):
            sentences.extend(self._paragraph_sentences(paragraph))
        return tuple(sentences)

    def to_words(self, sentence: str) -> tuple[str, ...]:
        """The words of a sentence (letters with inner apostrophes/hyphens; no numbers)."""
        return tuple(WORD.findall(sentence))

    def to_paragraphs(self, text: str) -> list[tuple[str, ...]]:
        """The sentences of a text grouped by paragraph."""
        return [self._paragraph_sentences(p) for p in split_paragraphs(text)]

    def _paragraph_sentences(self, paragraph: str) -> tuple[str, ...]:
        merged: list[str] = []
        for piece in (p.strip() for p in _model_split(paragraph)):
            if not piece:
                continue
            if merged and self._continues(merged[-1], piece):
                merged[-1] = f"{merged[-1]} {piece}"
            else:
                merged.append(piece)
        return tuple(merged)

    def _continues(self, before: str, piece: str) -> bool:
        """True when the model split after an abbreviation or before a lower-case word."""
        if piece[0].islower():
            return True
        match = LAST_WORD.search(before)
        if match is None:
            return False
        return match.group(1).lower().lstrip("(\"'“") in self._abbreviations


NOT_PROSE = re.compile(
    r"^((photo(graph)?|image|picture|video|credit|caption|watch|listen|source)s?\s*[:|–-]"
    r"|(read more|related|advertisement|copyright|follow us|share this|sign up|click here"
    r"|subscribe|getty images)\b|©|by\s+\S+(\s+\S+){0,3}$)",
    re.IGNORECASE,
)
TRAIL = re.compile(r"[›»→]\s*$|\|\s*$")
DANGLING = re.compile(
    r"^\(?(this|that|these|those|but|and|it|its|they|their|them|he|she|his|her|him"
    r"|however|also|yet|so|such|there|then|still|meanwhile|instead)\b",
    re.IGNORECASE,
)
MIN_WORDS = 4


def is_prose(sentence: str) -> bool:
    """False for what is not running text: credits, bylines, link trails, shouting, fragments."""
    if NOT_PROSE.match(sentence) or TRAIL.search(sentence):
        return False
    letters = [c for c in sentence if c.isalpha()]
    if not letters or sum(c.isupper() for c in letters) > 0.6 * len(letters):
        return False
    return len(WORD.findall(sentence)) >= MIN_WORDS


def is_dangling(sentence: str) -> bool:
    """True when a sentence opens with a word pointing back ("This", "But", "He said")."""
    return bool(DANGLING.match(sentence))
