"""Sentence boundaries of web and e-mail text that no full stop marks.

Besides the punctuation rules of `sentences`, web text ends sentences where a reader sees a
line of its own run into the next one: a salutation (`Hi David:`, `Vince,` before a capitalised
sentence opener), a sign-off and its signature (`Best, Jeff`, `Thanks. sara`), a date-and-time
stamp of an e-mail or comment header (`… Olsen 12/07/2000 02:29 PM Daren, …`) and a list of
bare links. In a real document these are lines of their own: `line_blocks` cuts a text at the
single line breaks that end a header, a short line or a list item, and joins the others (hard
wrapping). Salutations and sign-offs are English word lists; stamps, links and lines hold for
every language. This module imports nothing of digest.
"""

from __future__ import annotations

import itertools
import re

GREETING = (r"(?:Hi|Hello|Hey|Dear|Greetings|Good (?:morning|afternoon|evening))"
            r"(?: [\w'.-]+){0,3}?[,:!] (?=\S)")
# A salutation without a greeting word: one capitalised word (two before a colon), then a
# capitalised word that opens sentences ("Vince, We are …", "Susan: While …").
NAMED = r"(?P<name>[A-Z][a-z]+(?:-[A-Z][a-z]+)?)(?: [A-Z][a-z]+:|:|,) (?=[A-Z])"
# Sentence adverbs and labels that look like a name before a comma or colon but are none.
_NOT_NAMES = (
    "today yesterday tomorrow tonight nowadays earlier afterward nonetheless likewise yeah "
    "wow ah hmm listen fine monday tuesday wednesday thursday friday saturday sunday note "
    "update edit warning caution tip reminder fyi question answer summary example result "
    "problem solution subject date from to cc sent attention important disclaimer source "
    "caveat translation correction disclosure background bonus details")
NOT_NAMES = frozenset(_NOT_NAMES.split())
ARTICLES = frozenset({"the", "a", "an"})
CLOSING = (
    r"(?i:(?:Many |Kind |Warm |Best |With )?(?:Thanks|Thank you|Regards|Wishes)|Best|Cheers"
    r"|Sincerely|Yours(?: truly| sincerely)?|Love|Take care|Good luck|All the best"
    r"|Talk soon|See you)(?i: all| again| so much)?(?: ?[-–—]|[,!.])(?= )")
# One pattern for the three, so that a sentence that opens with none costs one failed match.
SALUTATION = re.compile(rf"(?P<greeting>{GREETING})|(?P<closing>{CLOSING})|{NAMED}")
# A date with a clock time: the stamp line of a forwarded e-mail, a comment or a log.
STAMP = re.compile(r"(?<= )\d{1,2}/\d{1,2}/\d{2,4},? \d{1,2}:\d{2}(?::\d{2})?"
                   r"(?: ?[AaPp]\.?[Mm]\.?)?(?= |$)")
EMOTICON = r"(?:[:;=]['’-]?(?:[()\[\]DPpO3|*])\)*|\^_?\^)(?![^\s\"'”’»])"
# An emoticon ends a sentence before a capitalised word ("… wohnen bleiben :-) Toll, …").
EMOTICON_END = re.compile(rf"(?<= ){EMOTICON}(?= [\"'“‘«(]?[A-ZÀ-ÖØ-ÞĀ-Ž])")
# A note in square brackets ends the sentence it credits: "… a startup [via Example News] The …".
NOTE_END = re.compile(r"\[[^\[\]]{1,80}\] (?=[A-Z][a-z]+ )")
# Links start after a space only, so a long run of "www." is scanned once, not once for each.
LINK_RUN = re.compile(r"(?<!\S)(?:https?://|www\.)\S+ (?=(?:https?://|www\.)\S)")
# A page's pointer to its media, run into the sentence after it: "Scroll down for video The ...".
CUE = re.compile(r"(?i:scroll (?:down|up) for (?:the )?(?:videos?|more|pictures|photos))"
                 r"[.:!]? +(?=[\"'“‘(]?[A-Z])")
LIST_ITEM = re.compile(r"[ \t]*(?:[-*+•–]|\d{1,3}[.)])[ \t]")
SHORT_LINE = 40
# Careless writing: "i" for "I" ("i think so. maybe not.").
LOWER_I = re.compile(r"(?:^| )i(?:['’](?:m|ll|ve|d))? ")
FIRST_LETTER = re.compile(r"[^\W\d_]")


def lower_case(paragraph: str, english: bool) -> bool:
    """Whether a paragraph is written in lower case: it starts so, or (English) it writes "i"
    for "I". There a full stop after a plain word ends a sentence before any word."""
    first = FIRST_LETTER.search(paragraph, 0, 20)
    if first is not None and first.group().islower():
        return True
    # Substring tests first: they rule out most paragraphs far faster than the pattern.
    return english and (" i " in paragraph or " i'" in paragraph or " i’" in paragraph) and (
        LOWER_I.search(paragraph) is not None)


def title_run(sentence: str, before: str, end: int) -> bool:
    """Whether the capitalised word ending at `end` stands between capitalised words, as in a
    title or a name ("What if Google Morphed Into GoogleOS?"): no headline ends there."""
    return before[:1].isupper() and sentence[end:end + 2][1:].isupper() and (
        sentence[end:end + 1] == " ")


def list_number(text: str, end: int, word: str) -> bool:
    """Whether `word`, which ends at `end` just before a full stop, numbers a list item ("1.
    First"): a small number opening the text or following the end of a sentence."""
    if not (word.isdigit() and len(word) <= 2):
        return False
    start = end - len(word)
    ahead = text[max(0, start - 8):start].rstrip()  # spaces are single: 8 characters will do
    return not ahead or ahead[-1] in ".!?:"


def hinted(paragraph: str) -> bool:
    """Whether a paragraph holds what a stamp, a link, an emoticon or a note needs (most hold
    none, and then only English salutations are looked for)."""
    return (":" in paragraph or ";" in paragraph or "]" in paragraph or "www." in paragraph
            or "=" in paragraph or "^" in paragraph)


def web_cuts(pieces: list[str], openers: frozenset[str], english: bool,
             hint: bool) -> list[str]:
    """The pieces of a paragraph, each cut where a salutation, sign-off, header stamp, run of
    links, emoticon, note in brackets or a pointer to the page's video ends a sentence inside
    it. `hint`: see `hinted`."""
    out: list[str] = []
    for piece in pieces:
        cue = CUE.match(piece) if english else None
        if cue:
            out.append(piece[:cue.end()].strip())
            piece = piece[cue.end():]
        if (english and SALUTATION.match(piece)) or (hint and hinted(piece)):
            out += _cut(piece, openers, english)
        else:
            out.append(piece)
    return out


def _cut(sentence: str, openers: frozenset[str], english: bool) -> list[str]:
    """`sentence` cut where a salutation, sign-off, header stamp or run of links ends one."""
    cuts: list[int] = []
    if english and SALUTATION.match(sentence):
        cuts += _salutation(sentence, openers)
    if "] " in sentence:
        cuts += [m.end() for m in NOTE_END.finditer(sentence)
                 if sentence[m.end():m.end() + 40].split(" ", 1)[0].lower() in openers]
    if " :" in sentence or " ;" in sentence or " =" in sentence or " ^" in sentence:
        cuts += [m.end() for m in EMOTICON_END.finditer(sentence)]
    if "/" in sentence:
        if ":" in sentence:
            cuts += _stamps(sentence, openers)
        if "://" in sentence or "www." in sentence:
            cuts += [m.end() for m in LINK_RUN.finditer(sentence)]
    if not cuts:
        return [sentence]
    bounds = [0, *sorted(set(cuts)), len(sentence)]
    pieces = (sentence[a:b].strip() for a, b in itertools.pairwise(bounds))
    return [piece for piece in pieces if piece]


def _salutation(sentence: str, openers: frozenset[str]) -> list[int]:
    """Where opening salutations and closing sign-offs end, from the start of `sentence`."""
    cuts = [0]
    while len(cuts) < 4 and (cut := _greeting_end(sentence, cuts[-1], openers)):
        cuts.append(cut)
    return cuts[1:]


def _greeting_end(sentence: str, start: int, openers: frozenset[str]) -> int:
    """Where a salutation or a sign-off that starts at `start` ends (0 for none)."""
    found = SALUTATION.match(sentence, start)
    if found is None:
        return 0
    end = found.end()
    if found.group("greeting"):
        return end if sentence[end].isupper() else 0
    if found.group("closing"):
        signature = sentence[end:end + 200].split(None, 1)
        # A name, or a name and the next line, follows a sign-off; a lower-case word goes on.
        return end if signature and (len(signature) == 1 or (
            signature[0][0].isupper() and signature[0][-1] not in ",.;")) else 0
    if not _is_name(found.group("name"), openers):
        return 0
    following = sentence[end:end + 30].split(" ", 1)[0].strip("',.:;!?").lower()
    # "Editor, The Harbour Weekly" is a signature line: no sentence opens with an article.
    return end if following in openers and following not in ARTICLES else 0


def _is_name(word: str, openers: frozenset[str]) -> bool:
    """Whether a capitalised word may be a name: no sentence opener, adverb or label."""
    lower = word.lower()
    return lower not in openers and lower not in NOT_NAMES and not lower.endswith("ly")


def _stamps(sentence: str, openers: frozenset[str]) -> list[int]:
    """The edges of date-and-time stamps that stand as a line of their own between a name and
    a capitalised text ("… Olsen 12/07/2000 02:29 PM Daren, …"); in running text ("began
    03/14/2024 09:05 AM and …") a stamp is part of the sentence."""
    cuts = []
    for match in STAMP.finditer(sentence):
        start = match.start() - 1  # the space before the stamp
        word = sentence[sentence.rfind(" ", 0, start) + 1:start]
        after = sentence[match.end():match.end() + 2]
        if (word and word[-1] not in ",:(" and word.lower() not in openers
                and (not after or after[1:].isupper() or after[1:].isdigit())):
            cuts += [match.start(), match.end()]
    return cuts


def line_parts(blocks: list[str], openers: frozenset[str]) -> list[list[str]]:
    """Each paragraph's parts (see `line_blocks`); a paragraph of one line is one part."""
    paragraphs = []
    for block in blocks:
        if "\n" in block.strip():
            paragraphs.append(line_blocks(block, openers))
        elif joined := " ".join(block.split()):
            paragraphs.append([joined])
    return paragraphs


def line_blocks(block: str, openers: frozenset[str]) -> list[str]:
    """A paragraph's parts at the line breaks that end a sentence, each part's lines joined.

    A line break ends a sentence before a list item, and before a capitalised line after a line
    that ends with a colon or is short (a header, a greeting, a signature line), unless that
    line ends with a lower-case word that opens sentences ("… met with\\nJohn", wrapped).
    """
    lines = [line.strip() for line in block.split("\n")]
    lines = [line for line in lines if line]
    longest = max(map(len, lines), default=0)
    parts: list[list[str]] = []
    for before, line in zip(["", *lines], lines, strict=False):
        if not parts or _line_ends(before, line, longest, openers):
            parts.append([line])
        else:
            parts[-1].append(line)
    return [" ".join(" ".join(part).split()) for part in parts]


def _line_ends(before: str, line: str, longest: int, openers: frozenset[str]) -> bool:
    """Whether the line break between `before` and `line` ends a sentence."""
    if LIST_ITEM.match(line):
        return True
    if not (line[0].isupper() or line[0].isdigit() or line[0] in "\"“‘'([«+"):
        return False
    last = before[before.rfind(" ") + 1:]
    if last.islower() and last in openers:
        return False
    short = len(before) <= SHORT_LINE and (longest <= SHORT_LINE or len(before) < 0.7 * longest)
    return before.endswith(":") or short
