"""A big week's duplicate search through its cache: the same groups as without it, no text cut
into shingles on the second run, and a damaged cache file only costs the time."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from digest.extract import dedupe, minhash
from digest.models import Article

WORDS = [f"word{n}" for n in range(3000)]


def week(count: int) -> list[Article]:
    """`count` distinct stories of 80 random words, every tenth one copied with a new ending."""
    rng = random.Random(7)
    articles = [Article(f"Story {n}", " ".join(rng.choices(WORDS, k=80)), "desk", f"s{n}")
                for n in range(count)]
    copies = [Article(f"Copy {n}", a.text + " and one more line.", "wire", f"c{n}")
              for n, a in enumerate(articles[::10])]
    return [*articles, *copies]


def groups_with_more_than_one(articles: list[Article], cache: Path | None) -> list[list[int]]:
    """The duplicate groups, leaving out stories that stand alone."""
    return [g for g in dedupe.duplicate_groups(articles, cache) if len(g) > 1]


def test_a_second_search_cuts_no_shingles_and_finds_the_same_groups(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    articles = week(400)
    assert len(articles) > dedupe.PAIRWISE_LIMIT
    plain = groups_with_more_than_one(articles, None)
    assert len(plain) == 40 and all(len(g) == 2 for g in plain)
    assert groups_with_more_than_one(articles, tmp_path) == plain
    assert (tmp_path / "dedupe" / "minhash.npz").is_file()
    cut: list[str] = []
    real = minhash.shingled
    monkeypatch.setattr(minhash, "shingled", lambda texts: cut.extend(texts) or real(texts))
    assert groups_with_more_than_one(articles, tmp_path) == plain
    assert cut == []
    changed = [*articles[:-1], Article("New", articles[5].text, "wire", "new")]
    assert [5, len(changed) - 1] in groups_with_more_than_one(changed, tmp_path)
    assert len(cut) == 2  # the new text, and its pair's text for the exact check


def test_a_damaged_cache_file_gives_the_same_groups(tmp_path: Path) -> None:
    articles = week(350)
    plain = groups_with_more_than_one(articles, None)
    groups_with_more_than_one(articles, tmp_path)
    (tmp_path / "dedupe" / "minhash.npz").write_bytes(b"PK\x03\x04 broken")
    assert groups_with_more_than_one(articles, tmp_path) == plain
    assert groups_with_more_than_one(articles, tmp_path) == plain
