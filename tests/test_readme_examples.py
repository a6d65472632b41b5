"""The README's YAML examples are configs digest accepts, so a new user can copy them."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import yaml

from digest.config import parse_config

README = Path(__file__).resolve().parent.parent / "README.md"


def yaml_blocks() -> list[str]:
    """Every ```yaml block of the README, dedented."""
    text = README.read_text(encoding="utf-8")
    return [textwrap.dedent(b) for b in re.findall(r"```yaml\n(.*?)```", text, flags=re.S)]


def test_every_yaml_example_with_sources_is_a_valid_config(tmp_path: Path) -> None:
    examples = [b for b in yaml_blocks() if "sources:" in b]
    assert len(examples) >= 2
    kinds = set()
    for block in examples:
        config = parse_config(yaml.safe_load(block), tmp_path / "config.yaml")
        kinds |= {s.kind for s in config.sources}
        assert config.sources
    assert kinds == {"folder", "feed", "page"}


def test_the_test_send_example_is_a_valid_delivery(tmp_path: Path) -> None:
    (block,) = [b for b in yaml_blocks() if "8025" in b]
    config = parse_config(yaml.safe_load(block), tmp_path / "config.yaml")
    assert config.delivery.smtp is not None and config.delivery.smtp.port == 8025
