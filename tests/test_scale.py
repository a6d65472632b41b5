"""Big weeks: extraction in a pool gives what it gives alone, raw pages are let go once
extracted, and the shortcut that finds duplicate candidates misses no duplicate."""

from __future__ import annotations

import random
from itertools import combinations
from pathlib import Path

import pytest

from digest import pipeline
from digest.extract import batch, dedupe
from digest.models import Document


def documents(data: Path, copies: int) -> list[Document]:
    """`copies` rounds of the test pages and articles, plus one empty document."""
    files = [*sorted((data / "articles").glob("*.txt")), data / "pages" / "article.html"]
    found = []
    for round_ in range(copies):
        for path in files:
            kind = "html" if path.suffix == ".html" else "text"
            found.append(Document("desk", f"{round_}/{path.name}", path.read_text("utf-8"),
                                  format=kind, url="https://example.org/a" if kind == "html"
                                  else None, path=str(path), content_hash=f"h{round_}"))
    found.insert(2, Document("desk", "empty.txt", "   \n", path="empty.txt"))
    return found


def test_extracting_lets_go_of_raw_pages_and_reports_a_bad_document(data: Path) -> None:
    batch = documents(data, 1)
    problems: list[str] = []
    articles = pipeline.extract_all(batch, problems)
    assert [d.body for d in batch] == [""] * len(batch)  # only light references remain
    assert [(d.source, d.uid, d.content_hash) for d in batch][2] == ("desk", "empty.txt", "")
    assert len(problems) == 1 and problems[0].startswith("desk: ") and "empty" in problems[0]
    assert len(articles) == len(batch) - 1
    assert all(a.text for a in articles)


def test_pool_extraction_gives_the_same_articles_in_order(
    data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    alone_problems: list[str] = []
    alone = pipeline.extract_all(documents(data, 3), alone_problems)
    monkeypatch.setattr(batch, "EXTRACT_POOL_PAGES", 1)  # pool even for three pages
    pooled_problems: list[str] = []
    pooled = pipeline.extract_all(documents(data, 3), pooled_problems)
    assert pooled == alone
    assert pooled_problems == alone_problems and len(pooled_problems) == 1


def test_duplicate_candidates_miss_no_similar_pair() -> None:
    rng = random.Random(3)
    words = [f"w{n}" for n in range(400)]
    texts = [" ".join(rng.choice(words) for _ in range(120)) for _ in range(60)]
    for n in range(0, 60, 6):  # near copies: a word changed here and there, or a clipped copy
        copy = texts[n].split()
        copy[rng.randrange(len(copy))] = "changed"
        texts.append(" ".join(copy))
        texts.append(" ".join(texts[n].split()[:90]))
    sets = [dedupe.shingles(t) for t in texts]
    every = {p for p in combinations(range(len(sets)), 2) if dedupe.similar(*(sets[i] for i in p))}
    assert len(every) >= 20
    assert every <= dedupe.sharing_pairs(sets)
    assert len(dedupe.sharing_pairs(sets)) < len(sets) * (len(sets) - 1) // 2 // 4
