"""What an issue takes from what was collected, recorded only once it was delivered.

A document is taken when a story it gave was shown, or when it merged into a shown story;
stories the size budget trimmed, and documents that gave no story, wait for the next issue.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from digest.models import Article, Document, Issue


@dataclass(frozen=True)
class Taken:
    """What an issue takes from what was collected: the documents it shows (with the
    duplicates merged into them) and, by rule, what it leaves for the next issue."""

    documents: tuple[Document, ...]
    shown: int = 0
    duplicates: int = 0
    waiting: int = 0  # stories over the size budget whose documents wait for the next issue
    dropped: int = 0  # stories over the size budget whose document another story showed
    unread: int = 0  # documents that gave no story (extraction failed); tried again next time

    def report(self) -> str:
        """The run report's account of the documents, e.g. "3 documents taken: 2 shown, 1
        duplicate; 4 stories over the size budget wait for the next issue"."""
        parts = [f"{_count(len(self.documents), 'document')} taken: {self.shown} shown"]
        if self.duplicates:
            parts[0] += f", {_count(self.duplicates, 'duplicate')}"
        if self.waiting:
            parts.append(f"{_count(self.waiting, 'story', 'stories')} over the size budget "
                         "wait for the next issue")
        if self.dropped:
            parts.append(f"{_count(self.dropped, 'teaser')} of shown pages over the size "
                         "budget dropped")
        if self.unread:
            parts.append(f"{_count(self.unread, 'document')} without a story tried again "
                         "next time")
        return "; ".join(parts)


def _count(number: int, word: str, plural: str | None = None) -> str:
    return f"{number} {word if number == 1 else plural or word + 's'}"


_PART = re.compile(r"#(lead|teaser-\d+)$")


def _keys(articles: Sequence[Article], *, copies: bool) -> set[tuple[str, str]]:
    """(source, document uid) of the stories, or of the duplicates merged into them."""
    if copies:
        pairs = [c for a in articles for c in a.copies]
    else:
        pairs = [(a.source, a.uid) for a in articles]
    return {(source, _PART.sub("", uid)) for source, uid in pairs}


def taken_documents(documents: Sequence[Document], issue: Issue, trimmed: int,
                    left_out: Sequence[Article] = ()) -> Taken:
    """The documents to record as taken once `issue` is delivered with its last `trimmed`
    teasers left out by the size budget, and the stories `left_out` before it was built.

    A document is taken when a story it gave is shown, or when it merged into a shown story
    (a duplicate). The documents of trimmed stories are not taken, so the next issue shows
    them, unless another story of the same document (a saved page's lead) was shown: those
    teasers are dropped. A document that gave no story (its extraction failed) is not taken
    either, so a later run tries it again.
    """
    teasers = issue.teasers
    cut = len(teasers) - trimmed
    shown = [s.article for s in ([issue.lead] if issue.lead else []) + teasers[:cut]]
    own, merged = _keys(shown, copies=False), _keys(shown, copies=True)
    taken = tuple(d for d in documents if (d.source, d.uid) in own | merged)
    over = [s.article for s in teasers[cut:]] + list(left_out)
    waiting = [s for s in over if not _keys([s], copies=False) <= own | merged]
    storied = own | merged | _keys(over, copies=False) | _keys(over, copies=True)
    duplicates = sum(1 for d in taken if (d.source, d.uid) not in own)
    return Taken(
        taken, len(taken) - duplicates, duplicates, len(waiting), len(over) - len(waiting),
        sum(1 for d in documents if (d.source, d.uid) not in storied),
    )
