"""The `serve` part of the config: where `digest serve` listens and the address it is reached at.

With `serve.url` set, messages' unsubscribe links and "view in browser" default to the app.
"""

from __future__ import annotations

from typing import TypeVar

from pydantic import BaseModel, ConfigDict, Field, field_validator

M = TypeVar("M", bound=BaseModel)


class ServeConfig(BaseModel):
    """Where `digest serve` listens and the public address it is reached at."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    url: str | None = None
    host: str = "127.0.0.1"
    port: int = Field(8080, ge=1, le=65535)

    @field_validator("url")
    @classmethod
    def _public(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if not value.startswith(("https://", "http://")) or "{" in value or "?" in value:
            raise ValueError(f"must be an http(s) address without a query, not {value!r}")
        return value if value.endswith("/") else value + "/"


def served_links(newsletter: M, serve: ServeConfig) -> M:
    """The newsletter settings with unsubscribe links and the archive pointing at `serve.url`,
    unless `newsletter.unsubscribe_url` or `newsletter.base_url` say otherwise."""
    if serve.url is None:
        return newsletter
    return newsletter.model_copy(update={
        "unsubscribe_url": getattr(newsletter, "unsubscribe_url", None)
        or serve.url + "unsubscribe/{token}",
        "base_url": getattr(newsletter, "base_url", None) or serve.url,
    })
