"""A real `digest serve` (uvicorn) on 127.0.0.1 in a background thread, for the web tests."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from digest.config import Config, load_config
from digest.serve import build_server
from digest.store.state import open_store
from tests.smtpserver import SmtpServer, free_port, write_config

SECRET = "test secret, long and random enough"
LINK = re.compile(r"http://127\.0\.0\.1:\d+/confirm/\S+")


class WebServer:
    """`digest serve` for `config` on a free port; use it as a context manager."""

    def __init__(self, config: Config, port: int | None = None, **app_options: Any) -> None:
        self.port = port or free_port()
        self.server = build_server(config, host="127.0.0.1", port=self.port, **app_options)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.url = f"http://127.0.0.1:{self.port}/"

    def __enter__(self) -> WebServer:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("digest serve did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=30)


def serve_config(config_path: Path, port: int, path: str = "/") -> Config:
    """The config at `config_path` served at http://127.0.0.1:PORT/PATH, written back, loaded."""
    data = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    data["serve"] = {"url": f"http://127.0.0.1:{port}{path}", "port": port}
    data["newsletter"].pop("unsubscribe_url", None)
    data["newsletter"].pop("base_url", None)
    config_path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return load_config(config_path)


@dataclass
class Live:
    """A running mail server, `digest serve` and a client for it."""

    smtp: SmtpServer
    web: WebServer
    config: Config
    client: httpx.Client
    folder: Path

    def readers(self) -> dict[str, str]:
        """Every reader in the store and their status."""
        with open_store(self.config.state.path, readonly=True) as store:
            return {r.address: r.status for r in store.readers.all()}

    def confirmation_link(self, address: str) -> str:
        """The confirmation link in the last message that reached `address`."""
        message = self.smtp.handler.for_recipient(address)[-1].message
        found = LINK.search(message.get_content())
        assert found, message.get_content()
        return found.group(0)


def start(folder: Path, **options: object) -> tuple[SmtpServer, WebServer, Config]:
    """A mail server and `digest serve` for a config in `folder` (not yet started)."""
    smtp = SmtpServer()
    port = free_port()
    config = serve_config(write_config(folder, smtp.port, []), port)
    return smtp, WebServer(config, port, **options), config


@pytest.fixture
def live(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Live]:
    """Everything running, with the token secret set for the server and for `digest run`."""
    monkeypatch.setenv("DIGEST_TOKEN_SECRET", SECRET)
    smtp, web, config = start(tmp_path)
    with smtp, web, httpx.Client(base_url=web.url, timeout=30) as client:
        yield Live(smtp, web, config, client, tmp_path)
