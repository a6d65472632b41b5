"""`lexrank`, `textrank` and `reduction` pick through `digest.summarize_text` exactly what
sumy's own summarizers pick, on a few hundred articles made from the tests' own texts."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

import digest
from digest.summarize import graphrank
from digest.summarize.methods import _document, _stop_words, _summarizer, _sumy_summarizer
from digest.summarize.sentences import SentenceSplitter, is_prose

ARTICLES = 300


def articles(data: Path, root: Path) -> list[str]:
    """Articles of 3 to 40 sentences mixed from the test articles and the seeds, paragraph by
    paragraph, so each has its own vocabulary, repeats and lengths."""
    splitter = SentenceSplitter("english")
    texts = (data / "summaries" / "news.txt").read_text(encoding="utf-8").split("=== ")[1:]
    texts += [p.read_text(encoding="utf-8") for p in sorted((root / "seeds").glob("*.txt"))]
    paragraphs = [list(p) for t in texts for p in splitter.to_paragraphs(t) if len(p) > 1]
    made: dict[str, None] = {}
    rng = random.Random(14)
    while len(made) < ARTICLES:
        chosen = rng.sample(paragraphs, rng.randint(1, 8))
        made.setdefault("\n\n".join(" ".join(p[: rng.randint(2, 6)]) for p in chosen))
    return list(made)


def sumy_picks(text: str, count: int, method: str) -> list[str]:
    """What sumy's own summarizer picks from the prose sentences, in source order."""
    splitter = SentenceSplitter("english")
    paragraphs = [[s for s in p if is_prose(s)] for p in splitter.to_paragraphs(text)]
    prose = [s for p in paragraphs for s in p]
    if len(prose) <= count:
        return prose
    summarizer = _sumy_summarizer(method, "english", None)
    assert summarizer.stop_words == _stop_words("english")
    chosen = {str(s) for s in summarizer(_document(paragraphs, splitter), count)}
    return [s for s in prose if s in chosen][:count]


@pytest.mark.parametrize("method", ["lexrank", "textrank", "reduction"])
def test_graph_methods_pick_what_sumy_picks(data: Path, root: Path, method: str) -> None:
    assert isinstance(_summarizer(method, "english", None), graphrank.GraphSummarizer)
    texts = articles(data, root)
    assert len(set(texts)) == ARTICLES
    scored = 0
    for index, text in enumerate(texts):
        count = 1 + index % 5
        expected = sumy_picks(text, count, method)
        assert digest.summarize_text(text, count, method=method) == expected, f"article {index}"
        scored += len(expected) == count
    assert scored > ARTICLES // 2  # most articles are longer than their summary
