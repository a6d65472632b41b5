"""What the config file must be before its values are validated, and what its paths must be
after: a bounded YAML file, and folders and files where folders and files are meant.

A config is the user's own, but a wrong one must still fail at load as one line, never as a
traceback halfway through a run: YAML nested thousands deep, a few aliases that expand into
billions of nodes, or `output.dir` naming a file are each caught here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from digest.config.keys import yaml_problem
from digest.errors import DigestError

MAX_CONFIG_BYTES = 1024 * 1024
MAX_ALIASES = 100
HINT = "see the configuration reference in the README"


def read_yaml(file: Path) -> Any:
    """The parsed YAML of a config file of at most `MAX_CONFIG_BYTES`, with at most
    `MAX_ALIASES` aliases; DigestError naming the file otherwise."""
    import yaml

    class Bounded(yaml.SafeLoader):
        aliases = 0

        def compose_node(self, parent: Any, index: Any) -> Any:
            if self.check_event(yaml.AliasEvent):
                Bounded.aliases += 1
                if Bounded.aliases > MAX_ALIASES:
                    raise yaml.YAMLError(f"more than {MAX_ALIASES} aliases")
            return super().compose_node(parent, index)

    try:
        if file.stat().st_size > MAX_CONFIG_BYTES:
            raise DigestError(f"{file}: larger than {MAX_CONFIG_BYTES // 1024} KiB", HINT)
        return yaml.load(file.read_text(encoding="utf-8"), Loader=Bounded)  # a SafeLoader
    except RecursionError:
        raise DigestError(f"{file}: not valid YAML: nested too deep", HINT) from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise DigestError(f"{file}{yaml_problem(exc)}", "see the README's YAML examples") from exc
    except OSError as exc:
        raise DigestError(f"{file}: cannot read: {exc.strerror or exc}") from exc


def check_paths(name: str, output_dir: Path, state_path: Path) -> None:
    """`output.dir` must be a folder (or not there yet, under a folder), `state.path` a file."""
    _folder_or_new(name, "output.dir", output_dir)
    if state_path.is_dir():
        raise DigestError(f"{name}: state.path: {state_path} is a folder, not a file", HINT)
    _folder_or_new(name, "state.path", state_path.parent)


def _folder_or_new(name: str, key: str, path: Path) -> None:
    for step in (path, *path.parents):
        if step.exists():
            if not step.is_dir():
                raise DigestError(f"{name}: {key}: {step} is a file, not a folder", HINT)
            return
