"""Renders the web pages of `digest serve` and the confirmation message from Jinja2 templates.

Pages are ``web/*.html.j2`` templates, escaped throughout; the confirmation message is
``confirm.txt.j2``. Like the issue templates, each can be overridden by a file of the same name
in the configured ``templates`` folder.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from digest.errors import DigestError
from digest.render.templates import template_dirs


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
    import jinja2

    env = _environment(tuple(template_dirs(templates_dir)))
    try:
        return str(env.get_template(name).render(context))
    except jinja2.TemplateNotFound as exc:
        hint = "check the 'templates' folder"
        raise DigestError(f"template {exc.name}: not found", hint) from exc
    except jinja2.TemplateSyntaxError as exc:
        where = f"template {exc.filename or name}, line {exc.lineno}"
        raise DigestError(f"{where}: {exc.message}") from exc
    except jinja2.UndefinedError as exc:
        raise DigestError(f"template {name}: {exc.message}") from exc
