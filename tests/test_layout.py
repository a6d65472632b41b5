"""The package keeps its shape: stages in their own subpackages, imports only downward.

Imports are read with `ast` from every module, at module level and inside functions, relative
and absolute: a lazy import kept for start-up speed still has to point down. The stage order
follows the package map in the README's development section.
"""

from __future__ import annotations

import ast
import os
from collections.abc import Iterator
from pathlib import Path

PACKAGE = Path(os.environ.get("DIGEST_LAYOUT_ROOT", Path(__file__).parent.parent)) / "digest"

# Higher stages may import lower ones, never the other way. Stages of one rank may import each
# other as long as no circle forms. The longest prefix of a module's name decides its stage.
STAGES: dict[str, int] = {
    "digest": 10,  # the public API: re-exports lazily from below
    "digest.__main__": 10,
    "digest.cli": 9,
    "digest.run.schedule": 8,
    "digest.serve": 8,
    "digest.run": 7,
    "digest.pipeline": 6,
    "digest.sources": 5,
    "digest.extract": 5,
    "digest.summarize": 5,
    "digest.render": 5,  # compose (pure) lives here, before the view and the templates
    "digest.deliver": 5,
    "digest.store": 4,
    "digest.progress": 3,  # terminal progress of long stages: imports nothing of digest
    "digest.config": 2,
    "digest.errors": 1,
    "digest.models": 0,  # imported by all, imports nothing
}
MAX_TOP_LEVEL = 14
PLUMBING = {"__init__.py", "__main__.py", "py.typed", "__pycache__"}
MAX_MODULE_LINES = 300
MAX_FUNCTION_LINES = 40


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    found = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}
    assert "digest.models" in found, f"no package at {PACKAGE}"
    return found


def imported(name: str, path: Path, known: set[str]) -> Iterator[str]:
    """The digest modules `name` imports anywhere in its file (functions included)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            # `from digest.x import y` imports digest.x.y when that is a module, else digest.x.
            targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in known else base
                       for a in node.names]
        else:
            continue
        yield from (t for t in targets if t == "digest" or t.startswith("digest."))


def graph() -> dict[str, set[str]]:
    found = modules()
    known = set(found)
    return {name: set(imported(name, path, known)) - {name} for name, path in found.items()}


def stage(name: str) -> int:
    prefixes = [p for p in STAGES if name == p or (p != "digest" and name.startswith(p + "."))]
    assert prefixes, f"{name}: no stage declared for it in tests/test_layout.py"
    return STAGES[max(prefixes, key=len)]


def reachable(edges: dict[str, set[str]], start: str) -> set[str]:
    """Every module `start` imports, directly or through others."""
    seen: set[str] = set()
    todo = list(edges.get(start, ()))
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            todo.extend(edges.get(name, ()))
    return seen


def circles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The groups of modules that import each other, each through a circle of imports."""
    reach = {name: reachable(edges, name) for name in edges}
    groups = {frozenset(m for m in reach[name] if name in reach[m]) | {name}
              for name in edges if name in reach[name]}
    return sorted((sorted(group) for group in groups), key=len, reverse=True)


def test_no_import_circle() -> None:
    found = circles(graph())
    assert not found, "import circles:\n" + "\n".join(
        f"{len(group)} modules: {', '.join(group)}" for group in found)


def test_imports_point_down_the_stages() -> None:
    upward = [f"{name} ({stage(name)}) imports {target} ({stage(target)})"
              for name, targets in sorted(graph().items()) for target in sorted(targets)
              if stage(target) > stage(name)]
    assert not upward, "imports from a lower stage to a higher one:\n" + "\n".join(upward)


def test_the_top_level_shows_the_stages_at_a_glance() -> None:
    # Counted: the modules and subpackages a reader opens; not the package's own plumbing
    # (`__init__.py`, `__main__.py`, the `py.typed` marker) nor caches.
    entries = sorted(p.name for p in PACKAGE.iterdir()
                     if p.name not in PLUMBING and not p.name.startswith(".")
                     and (p.suffix == ".py" or (p / "__init__.py").is_file()))
    assert len(entries) <= MAX_TOP_LEVEL, f"{len(entries)} entries at the top: {entries}"


def test_every_subpackage_says_what_it_owns() -> None:
    missing = [str(p.relative_to(PACKAGE.parent)) for p in sorted(PACKAGE.rglob("__init__.py"))
               if not ast.get_docstring(ast.parse(p.read_text(encoding="utf-8")))]
    assert not missing, f"subpackages without a docstring: {missing}"


def test_modules_and_functions_stay_small() -> None:
    big: list[str] = []
    for name, path in modules().items():
        source = path.read_text(encoding="utf-8")
        lines = len(source.splitlines())
        if lines > MAX_MODULE_LINES:
            big.append(f"{name}: {lines} lines")
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    big.append(f"{name}.{node.name}: {length} lines")
    assert not big, "over the size limits:\n" + "\n".join(big)


# Each of these packages belongs to one stage: sumy to summarizing, Jinja2 and mjml to rendering,
# httpx and httpcore to the one HTTP client (sources/fetch), sqlite3 to the state store.
OWNERS = {"sumy": "digest.summarize", "jinja2": "digest.render", "mjml": "digest.render",
          "httpx": "digest.sources", "httpcore": "digest.sources", "sqlite3": "digest.store"}


def third_party(path: Path) -> Iterator[str]:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            yield node.module.split(".")[0]


def test_each_heavy_package_has_one_owning_stage() -> None:
    strays = [f"{name} imports {package}" for name, path in modules().items()
              for package in sorted(set(third_party(path)) & set(OWNERS))
              if not (name == OWNERS[package] or name.startswith(OWNERS[package] + "."))]
    assert not strays, "imports outside the owning stage:\n" + "\n".join(strays)
