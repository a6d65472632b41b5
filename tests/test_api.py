"""The public Python API: `digest.summarize_text`."""

from __future__ import annotations

from pathlib import Path

import pytest

import digest
from digest.errors import DigestError


def test_summarize_text_is_public_and_returns_source_sentences_in_order(seeds: Path) -> None:
    text = (seeds / "000_db678a4a6aabaabe.txt").read_text(encoding="utf-8")
    picked = digest.summarize_text(text, sentences=3)
    assert len(picked) == 3
    positions = [text.find(sentence) for sentence in picked]
    assert -1 not in positions and positions == sorted(positions)
    assert "summarize_text" in digest.__all__


def test_summarize_text_names_the_supported_languages_on_a_bad_one() -> None:
    with pytest.raises(DigestError) as info:
        digest.summarize_text("One sentence here. Another one there.", language="klingon")
    assert "klingon" in info.value.message
    assert "english" in (info.value.hint or "").lower()
