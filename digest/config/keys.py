"""How a config problem is named in an error: pydantic's location as a path (``sources[2].url``),
what was expected where a common slip gives pydantic's own words, and where the YAML broke."""

from __future__ import annotations

from typing import Any


def key_path(loc: tuple[int | str, ...]) -> str:
    """The key path of a validation error's location, without pydantic's internal steps."""
    parts: list[str] = []
    for item in loc:
        if isinstance(item, int):
            parts.append(f"[{item}]")
        elif not str(item).startswith(("function-", "literal[")):
            parts.append(("." if parts else "") + str(item))
    return "".join(parts)


def error_message(error: Any) -> str:
    """A validation error's message, in the config's terms for the usual slips."""
    if error["type"] == "extra_forbidden":
        return "unknown key"
    if tuple(error["loc"]) == ("sources",) and not isinstance(error.get("input"), list):
        return ("expected a list of sources, each one '- name: ..., kind: folder|feed|page', "
                f"not {type(error.get('input')).__name__.replace('dict', 'a mapping')}")
    return str(error["msg"]).removeprefix("Value error, ")


def yaml_problem(exc: Exception) -> str:
    """``:LINE:COLUMN: not valid YAML: PROBLEM`` (without the place when the parser gave none)."""
    mark = getattr(exc, "problem_mark", None)
    where = f":{mark.line + 1}:{mark.column + 1}" if mark is not None else ""
    problem = getattr(exc, "problem", None) or (str(exc).splitlines() or [type(exc).__name__])[0]
    return f"{where}: not valid YAML: {problem}"
