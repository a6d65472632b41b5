"""Starting the web app: the checks that must pass first, and the uvicorn server around it."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from digest.config import Config
from digest.deliver.smtp import smtp_password
from digest.deliver.tokens import TOKEN_SECRET_ENV, token_secret
from digest.errors import DigestError
from digest.serve.forms import MAX_BODY

log = logging.getLogger(__name__)


def check_ready(config: Config) -> str:
    """The token secret, once serve.url, the secret and the mail server are all there."""
    secret = token_secret()
    if secret is None:
        raise DigestError(f"{TOKEN_SECRET_ENV} is not set: digest serve signs and checks every "
                          "reader link with it; export a long random value, the same for "
                          "digest run")
    if config.serve.url is None:
        raise DigestError("serve.url is not set: links in messages must point at this app",
                          "set serve.url to the public https address the app is reached at")
    if config.delivery.smtp is None:
        raise DigestError("delivery.smtp is not set: confirmation messages cannot be sent",
                          "add delivery.smtp.host (and port, security) to the config")
    smtp_password(config.delivery.smtp)
    return secret


def build_server(config: Config, *, host: str | None = None, port: int | None = None,
                 **app_options: Any) -> Any:
    """A uvicorn server running the app for `config`; `run()` it or start it in a thread."""
    import uvicorn

    from digest.serve.app import create_app

    app = create_app(config, check_ready(config), **app_options)
    settings = uvicorn.Config(
        app, host=host or config.serve.host, port=port or config.serve.port,
        proxy_headers=True, forwarded_allow_ips="127.0.0.1", server_header=False,
        log_config=None, timeout_keep_alive=5, h11_max_incomplete_event_size=MAX_BODY,
    )
    return uvicorn.Server(settings)


def serve_forever(config: Config, *, host: str | None = None, port: int | None = None,
                  announce: Callable[[str], Any] = print) -> None:
    """Serve until SIGTERM or Ctrl-C."""
    server = build_server(config, host=host, port=port)
    where = f"http://{server.config.host}:{server.config.port}/"
    announce(f"serving {config.serve.url} on {where} (Ctrl-C stops)")
    server.run()
    if not server.started:
        raise DigestError(f"cannot listen on {server.config.host}:{server.config.port}",
                          "pick another --port, or stop what listens there")
