"""Offline sentence and word splitting for every summarized language, shaped like sumy's tokenizer.

`split_sentences` cuts text at ".", "!", "?", "…" (and "。", "！", "？" in Japanese and Chinese,
which need no space after them) followed by closing quotes or brackets (and an emoticon). A full
stop after an abbreviation, an initial, a word with an inner full stop ("U.S.") or, where ordinals
take one, a small number ("am 3. Oktober") ends a sentence only before a word that opens
sentences (one of the language's stop words, capitalised: "… in the U.S. Then"); before a
lower-case word one ends only after a plain word, and there only before an opener unless the
paragraph is written in lower case. Paragraph breaks ("\\n\\n") always end a sentence; single
line breaks, salutations, sign-offs, header stamps, links and emoticons where `webtext` says. The
rules are plain regular expressions and sets, chosen over nupunkt, pysbd and sentencex by
`bench/eval_sentences.py` (see the README). Nothing here reads NLTK data or touches the network.
"""

from __future__ import annotations

import functools
import re

from digest.summarize import webtext
from digest.summarize.abbreviations import ABBREVIATIONS, NUMBERED, ORDINAL_DOT, TITLES
from digest.summarize.languages import UNSPACED, normalize

# A word is a run of letters, optionally joined by apostrophes or hyphens (as in sumy).
WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
CLOSERS = "\"'”’»)]}›」』）〕】"
OPENERS = "\"'“‘«„‚([{¿¡‹-–—•*"
# What may stand before a sentence's first word: opening quotes (also ``, ,, and ‚ typed with
# ASCII), brackets, dashes, bullets and the spaces French puts inside quotes.
LEADING = OPENERS + "`, "
# An emoticon after the mark belongs to the sentence it ends ("Danke Rosemarie! :-) Dann").
SPACED_END = re.compile(
    rf"([.!?…‽؟\u037e;]+)([{re.escape(CLOSERS)}]*(?: {webtext.EMOTICON})?)\s+(?=\S)")
UNSPACED_END = re.compile(rf"[。！？!?．]+[{re.escape(CLOSERS)}]*\s*")
CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
CJK_RUN = re.compile(r"[^\W\d_]*[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff][^\W\d_]*")
CJK_LINE_BREAK = re.compile(r"(?<=[^\x00-\x7f])[ \t]*\n\s*(?=[^\x00-\x7f])")
NUMBER = re.compile(r"\d{1,3}")
# A word (not an acronym) or a number, a space, then a capitalised word (see `_headlines`).
# It opens with the space, so the search jumps from space to space and tests the look-behinds
# only there (three times faster than opening with them, the same matches).
RUN_ON = re.compile(r" (?<=[^\W_] )(?<![A-Z\d][^\W\d_] )()([A-ZÀ-ÖØ-ÞĀ-Ž][^\W\d_]+)")
GREETINGS = frozenset({"Dear"})  # cut before as a headline is: "… gs.com Dear Mr. Lavorato:"
CAPITAL_NOUNS = frozenset({"german"})  # every noun is capitalised: a title run proves nothing
ALWAYS_CAPITAL = frozenset({"I", "I'm", "Sie", "Ihr", "Ihre", "Ihnen", "Ihren", "Ihrem", "Ihrer",
                            "Ihres", "Usted", "Ustedes", "Vd", "De", "Van", "Von", "Du", "La",
                            "Le", "El", "Da", "Dos", "Das", "Vám", "Vás", "Vaše", "Váš", "Vy",
                            "Pan", "Paní", "Pani", "Państwo", "Ni", "Er", "Ert", "Dig", "Jeg"})
# Quote particles: in 「…？」と言った the sentence goes on after the closing bracket.
QUOTE_PARTICLE = re.compile(r"[とっ]")
NUMERAL = re.compile(r"[\d#]|[IVXLC]+\b")


def split_paragraphs(text: str) -> list[str]:
    """The paragraphs of a text: blocks separated by a blank line, with inner whitespace joined."""
    blocks = (" ".join(block.split()) for block in PARAGRAPH_BREAK.split(text))
    return [block for block in blocks if block]


def split_sentences(text: str, language: str = "english") -> list[str]:
    """The sentences of `text` in order, for a language given as a name or ISO code ("de",
    "German"); a paragraph break always ends a sentence. Languages without their own rules get
    the rules every language shares."""
    return list(SentenceSplitter(normalize(language) or language.lower()).to_sentences(text))


@functools.cache
def _rules(language: str) -> _Rules:
    return _Rules(language)


class _Rules:
    """One language's boundary rules."""

    def __init__(self, language: str) -> None:
        from digest.summarize.stemmers import stop_words

        self.unspaced = language in UNSPACED
        self.titles = TITLES.get(language, frozenset())
        self.abbreviations = ABBREVIATIONS.get(language, frozenset()) | self.titles
        self.ordinals = language in ORDINAL_DOT
        try:
            self.openers = stop_words(language) - self.titles
        except LookupError:
            self.openers = frozenset()
        # Greek asks with ";" (and its own U+037E); elsewhere a semicolon ends no sentence.
        self.end = SPACED_END if language == "greek" else re.compile(
            SPACED_END.pattern.replace("\\u037e;", ""))
        self.english = language == "english"
        self.capital_nouns = language in CAPITAL_NOUNS

    def split(self, paragraph: str) -> list[str]:
        """The sentences of one paragraph (whitespace already joined)."""
        if self.unspaced:
            return self._split_unspaced(paragraph)
        sentences = []
        start = 0
        casual = webtext.lower_case(paragraph, self.english)
        for match in self.end.finditer(paragraph):
            if self._ends(paragraph, match, casual):
                sentences.append(paragraph[start:match.end(2)])
                start = match.end()
        sentences.append(paragraph[start:])
        pieces = [piece for s in sentences for piece in self._headlines(s.strip()) if piece]
        hint = webtext.hinted(paragraph)
        if hint or self.english:
            return webtext.web_cuts(pieces, self.openers, self.english, hint)
        return pieces

    def _headlines(self, sentence: str) -> list[str]:
        """A sentence cut where an unpunctuated headline or heading runs into the text: before a
        capitalised word that opens sentences, after a word that does not (a name such as "of
        The Times" follows one) or a number ("… entram em greve Os policiais …")."""
        pieces = []
        start = 0
        for match in RUN_ON.finditer(sentence):
            word = match.group(2)
            before = sentence[sentence.rfind(" ", 0, match.start()) + 1:match.start()]
            if (word[1:].islower() and (word.lower() in self.openers or word in GREETINGS)
                    and word not in ALWAYS_CAPITAL and before.lower() not in self.openers
                    and (self.capital_nouns
                         or not webtext.title_run(sentence, before, match.end(2)))):
                pieces.append(sentence[start:match.start(2)].strip())
                start = match.start(2)
        pieces.append(sentence[start:])
        return pieces

    def _split_unspaced(self, paragraph: str) -> list[str]:
        sentences = []
        start = 0
        for match in UNSPACED_END.finditer(paragraph):
            rest = paragraph[match.end():match.end() + 1]
            if not rest or (match.group()[-1] in CLOSERS and QUOTE_PARTICLE.match(rest)):
                continue
            if rest.islower() or (not CJK.match(rest) and match.group()[0] in "!?"
                                  and not match.group().endswith(" ")):
                continue
            sentences.append(paragraph[start:match.end()])
            start = match.end()
        sentences.append(paragraph[start:])
        return [s for s in (s.strip() for s in sentences) if s]

    def _ends(self, paragraph: str, match: re.Match[str], casual: bool = False) -> bool:
        """Whether the candidate boundary `match` ends a sentence."""
        following = paragraph[match.end():match.end() + 40].lstrip(LEADING).split(" ", 1)[0]
        if not following or not (following[0].isalnum() or following[0] in "$€£¥"):
            return False
        opener = WORD.match(following)
        opens = opener is not None and opener.group().lower() in self.openers
        mark = match.group(1)
        if following[0].islower():
            # Careless writing starts sentences in lower case ("i am out. i am in"): only a
            # question or exclamation, or a plain word's full stop before a word that opens
            # sentences, ends one there; in a paragraph written in lower case, any word.
            if casual:
                return "?" in mark or "!" in mark or (
                    mark == "." and self._plain(paragraph, match, casual))
            return opens and not match.group(2) and (
                "?" in mark or "!" in mark or (mark == "." and self._plain(paragraph, match)))
        if mark.strip(".") or mark == "...":  # ! ? … and ellipses
            return True
        end = match.start(1)  # the word before the mark, found without copying all before it
        word = paragraph[paragraph.rfind(" ", 0, end) + 1:end].lstrip(OPENERS).lower()
        if match.group(2) or not any(c.isalnum() for c in word):
            return True
        if word in self.titles or webtext.list_number(paragraph, end, word):
            return False
        if word in NUMBERED:  # "No. 5", "vol. II"; before a word, "no" is a word
            return not NUMERAL.match(following)
        if (word in self.abbreviations or len(word) == 1 or _dotted(word)
                or (self.ordinals and NUMBER.fullmatch(word))):
            return opens
        return True

    def _plain(self, paragraph: str, match: re.Match[str], casual: bool = False) -> bool:
        """Whether the word before a full stop is an ordinal word, not an abbreviation. In a
        paragraph written in lower case, a word with an apostrophe or "&" (`tony's`, `a&m`), a
        full stop set apart (`folks .`) and a word that abbreviates only before a number
        (`no.`) are plain too."""
        end = match.start(1)
        word = paragraph[paragraph.rfind(" ", 0, end) + 1:end]
        if casual:
            if not word or word in NUMBERED:
                return True
            word = word.replace("'", "").replace("’", "").replace("&", "")
        return (len(word) > 1 and word.isalpha() and word.islower()
                and word not in self.abbreviations)


class SentenceSplitter:
    """Splits text into sentences and words; usable wherever sumy expects its `Tokenizer`."""

    def __init__(self, language: str = "english") -> None:
        self.language = language
        self._rules = _rules(language)

    def to_sentences(self, text: str) -> tuple[str, ...]:
        """The sentences of a text, in order; a paragraph break always ends one, and so does a
        line break after a header, a short line or before a list item (see `webtext`)."""
        sentences: list[str] = []
        for parts in self._paragraphs(text):
            for part in parts:
                sentences.extend(self._rules.split(part))
        return tuple(sentences)

    def to_words(self, sentence: str) -> tuple[str, ...]:
        """The words of a sentence (letters with inner apostrophes/hyphens; no numbers). In
        Japanese and Chinese, which put no spaces between words, each pair of neighbouring
        characters counts as a word."""
        words = WORD.findall(sentence)
        if not self._rules.unspaced:
            return tuple(words)
        return tuple(piece for word in words for piece in _bigrams(word))

    def to_paragraphs(self, text: str) -> list[tuple[str, ...]]:
        """The sentences of a text grouped by paragraph."""
        split = self._rules.split
        return [tuple(s for part in parts for s in split(part)) for parts in self._paragraphs(text)]

    def _paragraphs(self, text: str) -> list[list[str]]:
        """Each paragraph's parts: the runs of its lines that no line break ends a sentence
        between, each joined into one line."""
        if self._rules.unspaced:
            return [[p] for p in split_paragraphs(CJK_LINE_BREAK.sub("", text))]
        if "\n" not in text:
            return [[p] for p in split_paragraphs(text)]
        return webtext.line_parts(PARAGRAPH_BREAK.split(text), self._rules.openers)


def _dotted(word: str) -> bool:
    """Whether a word is letters with inner full stops, none longer than 3 ("u.s", "z.b")."""
    parts = word.split(".")
    return len(parts) > 1 and all(p.isalpha() and len(p) <= 3 for p in parts)


def _bigrams(word: str) -> list[str]:
    if not CJK.search(word):
        return [word]
    return [word[i:i + 2] for i in range(max(len(word) - 1, 1))]


NOT_PROSE = re.compile(
    r"^((photo(graph)?|image|picture|video|credit|caption|watch|listen|source)s?\s*[:|–-]"
    r"|(read more|related|advertisement|copyright|follow us|share this|sign up|click here"
    r"|subscribe|getty images|scroll (down|up)\b)\b|©|by\s+\S+(\s+\S+){0,3}$)",
    re.IGNORECASE,
)
TRAIL = re.compile(r"[›»→]\s*$|\|\s*$")
TRAIL_MARKS = frozenset("›»→|")  # what TRAIL finds at the end
DANGLING = re.compile(
    r"^\(?(this|that|these|those|but|and|it|its|they|their|them|he|she|his|her|him"
    r"|however|also|yet|so|such|there|then|still|meanwhile|instead)\b",
    re.IGNORECASE,
)
MIN_WORDS = 4
# Non-letters, then a word, MIN_WORDS times, each taken whole (possessive): WORD's words.
ENOUGH_WORDS = re.compile(
    rf"(?:[\W\d_]*+{WORD.pattern.replace('+', '++').replace(')*', ')*+')}){{{MIN_WORDS}}}")


def is_prose(sentence: str) -> bool:
    """False for what is not running text: credits, bylines, link trails, shouting, fragments."""
    # TRAIL by hand: what the text ends with once trailing whitespace is gone.
    if NOT_PROSE.match(sentence) or sentence.rstrip()[-1:] in TRAIL_MARKS:
        return False
    letters, upper = _letter_counts(sentence)
    if not letters or upper > 0.6 * letters:
        return False
    if not CJK.search(sentence):  # enough words found: the rest need not be counted
        return ENOUGH_WORDS.match(sentence) is not None
    # No spaces between words: about one and a half characters a word.
    words = len(WORD.findall(sentence))
    words += len(CJK.findall(sentence)) * 2 // 3 - len(CJK_RUN.findall(sentence))
    return words >= MIN_WORDS


def _letter_counts(sentence: str) -> tuple[int, int]:
    """How many letters a sentence has, and how many of them are upper case. ASCII text, most
    of it, is counted by deleting bytes in C rather than testing each character in Python."""
    if sentence.isascii():
        raw = sentence.encode("ascii")
        return len(raw.translate(None, _NOT_LETTER)), len(raw.translate(None, _NOT_UPPER))
    letters = "".join(filter(str.isalpha, sentence))
    return len(letters), sum(map(str.isupper, letters))


_NOT_LETTER = bytes(b for b in range(128) if not chr(b).isalpha())
_NOT_UPPER = bytes(b for b in range(128) if not chr(b).isupper())


def is_dangling(sentence: str) -> bool:
    """True when a sentence opens with a word pointing back ("This", "But", "He said")."""
    return bool(DANGLING.match(sentence))
