"""How a config key is named in an error: pydantic's location as a path (``sources[2].url``)."""

from __future__ import annotations


def key_path(loc: tuple[int | str, ...]) -> str:
    """The key path of a validation error's location, without pydantic's internal steps."""
    parts: list[str] = []
    for item in loc:
        if isinstance(item, int):
            parts.append(f"[{item}]")
        elif not str(item).startswith(("function-", "literal[")):
            parts.append(("." if parts else "") + str(item))
    return "".join(parts)
