"""Renders the web pages of `digest serve` and the confirmation message from Jinja2 templates.

Pages are ``web/*.html.j2`` templates, escaped throughout; the confirmation message is
``confirm.txt.j2``. Like the issue templates, each can be overridden by a file of the same name
in the configured ``templates`` folder.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from digest.render.templates import render_template, template_dirs


@functools.cache
def _environment(dirs: tuple[Path, ...]) -> Any:
    import jinja2

    loader = jinja2.ChoiceLoader([jinja2.FileSystemLoader(str(d)) for d in dirs])
    return jinja2.Environment(
        loader=loader,
        autoescape=lambda name: not (name or "").endswith(".txt.j2"),
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )


def render_page(templates_dir: Path | None, name: str, context: dict[str, Any]) -> str:
    """Render the template `name` (such as ``web/index.html.j2``) with `context`."""
    return render_template(_environment(tuple(template_dirs(templates_dir))), name, context)
