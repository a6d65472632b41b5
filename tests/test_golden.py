"""The rendered sample issue matches the reviewed golden files byte for byte (volatile parts
masked). After an intended change, regenerate them with ``python tests/regen_golden.py``.
"""

from __future__ import annotations

import pytest
from regen_golden import GOLDEN, masked, outputs

RENDERED = outputs()


@pytest.mark.parametrize("name", sorted(RENDERED))
def test_output_matches_the_golden_file(name: str) -> None:
    expected = (GOLDEN / name).read_text(encoding="utf-8")
    assert RENDERED[name] == expected, (
        f"{name} differs from tests/golden/{name}; if the change is intended, run "
        "'python tests/regen_golden.py' and review the diff"
    )


def test_masking_hides_only_the_volatile_headers() -> None:
    eml = RENDERED["issue.eml"]
    assert "Date: <DATE>" in eml and "Message-ID: <MESSAGE-ID>" in eml
    assert "<BOUNDARY>" in eml and "Subject: The Weekly Round-up #1:" in eml
    assert masked("Date: Sun, 1 Jan\nX: 1") == "Date: <DATE>\nX: 1"
