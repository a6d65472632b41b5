"""`digest serve`: the archive, its Atom feed, the pages where readers subscribe and leave, and
the review page where an editor edits and approves a held issue (`review`).

Owns the web app (Starlette, served by uvicorn). Its interface: `serve_forever` (the command),
`build_server` (a uvicorn server for a config, which the tests start too) and `create_app`.
The web stack is imported only when one of these is used, never by `digest --help`.
"""

from __future__ import annotations

from typing import Any

__all__ = ["build_server", "create_app", "serve_forever"]


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from digest.serve.app import create_app

        return create_app
    if name in ("build_server", "serve_forever"):
        from digest.serve import server

        return getattr(server, name)
    raise AttributeError(name)
