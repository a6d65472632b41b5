"""Every config value is range-checked when the file is read, with the one-line error shape:
file, key path, problem. Nothing out of range reaches a run to fail it halfway."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from digest.config import load_config
from digest.errors import DigestError
from tests.hostile import run_cli


def _load(tmp_path: Path, text: str) -> DigestError:
    path = tmp_path / "config.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DigestError) as caught:
        load_config(path)
    return caught.value


@pytest.mark.parametrize(("data", "where"), [
    ({"collect": {"lookback_days": 1_000_000}}, "collect.lookback_days"),
    ({"collect": {"max_documents": 10**12}}, "collect.max_documents"),
    ({"fetch": {"timeout": 1e9}}, "fetch.timeout"),
    ({"fetch": {"deadline": 0}}, "fetch.deadline"),
    ({"fetch": {"max_bytes": 10**15}}, "fetch.max_bytes"),
    ({"fetch": {"timeout": float("nan")}}, "fetch.timeout"),
    ({"summary": {"max_article_chars": 10}}, "summary.max_article_chars"),
    ({"delivery": {"rate_limit": 1e12}}, "delivery.rate_limit"),
    ({"delivery": {"deadline": 0}}, "delivery.deadline"),
    ({"delivery": {"deadline": 1e12}}, "delivery.deadline"),
    ({"delivery": {"smtp": {"host": "x", "timeout": 1e9}}}, "delivery.smtp.timeout"),
    ({"schedule": {"misfire_grace_seconds": 10**12}}, "schedule.misfire_grace_seconds"),
    ({"sources": [{"name": "f", "kind": "feed", "url": "http://x/", "max_items": 10**12}]},
     "sources[0].max_items"),
    ({"newsletter": {"name": "x" * 20_000}}, "newsletter.name"),
    ({"delivery": {"review": {"deadline": "9999999999d"}}}, "delivery.review.deadline"),
])
def test_an_out_of_range_value_is_one_line_naming_its_key(
    tmp_path: Path, data: dict, where: str
) -> None:
    error = _load(tmp_path, yaml.safe_dump(data))
    assert f"config.yaml: {where}: " in error.message
    assert "\n" not in error.message


def test_yaml_nested_thousands_deep_is_not_valid_yaml(tmp_path: Path) -> None:
    error = _load(tmp_path, "sources: " + "[" * 20_000 + "]" * 20_000 + "\n")
    assert error.message.endswith("config.yaml: not valid YAML: nested too deep")


def test_an_alias_bomb_is_refused(tmp_path: Path) -> None:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    lines += [f"{chr(98 + n)}: &{chr(98 + n)} [{', '.join(['*' + chr(97 + n)] * 9)}]"
              for n in range(12)]
    error = _load(tmp_path, "newsletter:\n  fonts: {}\nbomb:\n" +
                  "\n".join("  " + line for line in lines) + "\n")
    assert "more than 100 aliases" in error.message


def test_output_dir_that_is_a_file_fails_at_load(tmp_path: Path) -> None:
    (tmp_path / "out").write_text("not a folder", encoding="utf-8")
    error = _load(tmp_path, "output: {dir: out/archive}\n")
    assert error.message == f"{tmp_path / 'config.yaml'}: output.dir: {tmp_path / 'out'} is a " \
                            "file, not a folder"


def test_state_path_that_is_a_folder_fails_at_load(tmp_path: Path) -> None:
    (tmp_path / "state").mkdir()
    error = _load(tmp_path, "state: {path: state}\n")
    assert "state.path:" in error.message and "is a folder, not a file" in error.message


def test_the_cli_shows_a_bad_config_as_one_line_and_exits_1(tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text("collect: {lookback_days: 1000000}\n", encoding="utf-8")
    for command in (["run"], ["collect"], ["render"]):
        _, _, code, _, err = run_cli([*command, "-c", str(config)])
        assert code == 1 and "Traceback" not in err
        assert "collect.lookback_days: Input should be less than or equal to 365000" in err
