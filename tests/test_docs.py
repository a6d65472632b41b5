"""The README documents every config key and every command, so users never have to guess."""

from __future__ import annotations

from pathlib import Path
from types import UnionType
from typing import Union, get_args, get_origin

from pydantic import BaseModel

from digest.cli import cli
from digest.config import Config


def _model_in(annotation: object) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if get_origin(annotation) in (Union, UnionType, tuple):
        for arg in get_args(annotation):
            found = _model_in(arg)
            if found:
                return found
    return None


def config_keys(model: type[BaseModel], prefix: str = "") -> list[str]:
    keys = []
    for name, field in model.model_fields.items():
        if field.exclude:
            continue
        key = prefix + (field.alias or name)
        sub = _model_in(field.annotation)
        is_list = get_origin(field.annotation) is tuple
        if sub is not None and sub.__name__ != "Link":
            keys.append(key) if is_list else None
            keys.extend(config_keys(sub, key + ("[]." if is_list else ".")))
        else:
            keys.append(key)
    return keys


def test_every_config_key_is_in_the_readme(root: Path) -> None:
    readme = (root / "README.md").read_text(encoding="utf-8")
    missing = [key for key in config_keys(Config) if f"`{key}`" not in readme]
    assert not missing, f"undocumented config keys: {missing}"


def test_every_command_is_in_the_readme(root: Path) -> None:
    readme = (root / "README.md").read_text(encoding="utf-8")
    missing = [name for name in cli.commands if f"`digest {name}" not in readme]
    assert not missing, f"undocumented commands: {missing}"
