"""Config validation: every mistake is one line naming the file, the key path and the problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from digest.config import load_config
from digest.errors import DigestError


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def error_of(path: Path) -> str:
    with pytest.raises(DigestError) as info:
        load_config(path)
    message = info.value.message
    assert "\n" not in message
    return message


def test_default_config_loads_and_resolves_paths_against_its_folder(root: Path) -> None:
    config = load_config(root / "config.yaml")
    assert config.sources[0].path == root / "seeds"
    assert config.output.dir == root / "out"
    assert config.state.path == root / ".digest" / "state.db"
    assert config.summary.lead_sentences == 4


def test_wrong_type_names_file_key_path_and_problem(tmp_path: Path) -> None:
    path = write(tmp_path, "summary:\n  lead_sentences: many\n")
    message = error_of(path)
    assert message.startswith(f"{path}: summary.lead_sentences: ")
    assert "integer" in message


def test_unknown_key_is_named_with_its_index(tmp_path: Path) -> None:
    text = (
        "sources:\n  - {name: a, kind: folder, path: a}\n"
        "  - {name: b, kind: feed, url: 'https://x.org/f', bogus: 1}\n"
    )
    assert error_of(write(tmp_path, text)).endswith("sources[1].bogus: unknown key")


def test_bad_source_kind_lists_the_allowed_kinds(tmp_path: Path) -> None:
    message = error_of(write(tmp_path, "sources:\n  - {name: a, kind: rss, url: 'https://x.org'}\n"))
    assert "sources[0].kind" in message and "'folder', 'feed' or 'page'" in message


def test_folder_source_without_path_is_refused(tmp_path: Path) -> None:
    message = error_of(write(tmp_path, "sources:\n  - {name: a, kind: folder}\n"))
    assert "sources[0]" in message and "needs 'path'" in message


def test_non_http_url_is_refused(tmp_path: Path) -> None:
    message = error_of(write(tmp_path, "sources:\n  - {name: a, kind: page, url: 'file:///etc/passwd'}\n"))
    assert "http:// or https://" in message


def test_smtp_password_in_config_is_refused(tmp_path: Path) -> None:
    text = "delivery:\n  smtp: {host: mail.example.org, password: hunter2}\n"
    message = error_of(write(tmp_path, text))
    assert "delivery.smtp" in message and "password_env" in message
    assert "hunter2" not in message


def test_duplicate_source_names_are_refused(tmp_path: Path) -> None:
    text = "sources:\n  - {name: a, kind: folder, path: x}\n  - {name: a, kind: folder, path: y}\n"
    assert "repeated: a" in error_of(write(tmp_path, text))


def test_invalid_yaml_and_missing_file_are_one_line(tmp_path: Path) -> None:
    assert "not valid YAML" in error_of(write(tmp_path, "sources: [\n"))
    assert "config file not found" in error_of(tmp_path / "nope.yaml")


def test_empty_file_gives_the_defaults(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, ""))
    assert config.sources == ()
    assert config.output.dir == tmp_path / "out"
