"""Reads `config.yaml` into typed, validated settings; each stage gets only its own part.

Relative paths resolve against the folder of the config file. Any unknown key or wrong type
becomes one `DigestError` naming the file, the key path (``sources[2].url``) and the problem.
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from digest.config.checks import check_paths, read_yaml
from digest.config.keys import error_message, key_path
from digest.config.serve import ServeConfig, served_links
from digest.errors import DigestError

DEFAULT_CONFIG = "config.yaml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True,
                              str_max_length=10_000)


class Link(_Strict):
    """A labelled link shown in the footer."""

    label: str
    url: str


class NewsletterConfig(_Strict):
    """Who sends the round-up and how it looks."""

    name: str = "The Weekly Round-up"
    from_: str = Field("Digest <digest@example.org>", alias="from")
    reply_to: str | None = None
    base_url: str | None = None
    unsubscribe_url: str | None = None
    unsubscribe_mailto: str | None = None
    language: str = "en"
    tagline: str | None = None
    promise: str = (
        "Our weekly round-up: the work of our contributors and reporters, with staff analysis, "
        "opinion and news, in one email every week."
    )
    logo_url: str | None = None
    accent_color: str = "#1f4e79"
    address: str | None = None
    links: tuple[Link, ...] = ()
    utm: bool = False
    own_domains: tuple[str, ...] = ()
    fonts: dict[str, str] = Field(default_factory=dict)
    social_icon_origin: str | None = None
    max_html_kb: int = Field(90, ge=20, le=102)

    @field_validator("accent_color")
    @classmethod
    def _colour(cls, value: str) -> str:
        if not re.fullmatch(r"#[0-9a-fA-F]{3}([0-9a-fA-F]{3})?", value):
            raise ValueError("must be a hex colour such as '#1f4e79'")
        return value


class SourceConfig(_Strict):
    """One place to collect documents from: a folder, a feed or a web page."""

    name: str
    kind: Literal["folder", "feed", "page"]
    title: str | None = None
    path: Path | None = None
    url: str | None = None
    include: tuple[str, ...] = ("*.txt", "*.md", "*.html", "*.htm")
    exclude: tuple[str, ...] = ()
    language: str | None = None
    full_text: bool = False
    allow_private: bool = False
    follow_links: bool = False
    section: str | None = None
    max_items: int | None = Field(None, ge=1, le=1_000_000)

    @model_validator(mode="after")
    def _where(self) -> SourceConfig:
        if self.kind == "folder" and self.path is None:
            raise ValueError("a folder source needs 'path'")
        if self.kind == "page" and self.url is None:
            raise ValueError("a page source needs 'url'")
        if self.kind == "feed" and (self.url is None) == (self.path is None):
            raise ValueError("a feed source needs exactly one of 'url' or 'path'")
        if self.url is not None and not self.url.startswith(("http://", "https://")):
            raise ValueError(f"url must start with http:// or https://, not {self.url!r}")
        return self


class SummaryConfig(_Strict):
    """How long the summaries are and which method picks their sentences."""

    method: str = "default"
    lead_sentences: int = Field(4, ge=1, le=20)
    teaser_sentences: int = Field(2, ge=1, le=10)
    teaser_words: int | None = Field(None, ge=5, le=1000)
    max_article_chars: int = Field(100_000, ge=1000, le=10_000_000)
    language: str = "english"
    detect_language: bool = True
    cache: bool = True


class CollectConfig(_Strict):
    """What counts as new."""

    lookback_days: int = Field(7, ge=1, le=365_000)  # 1,000 years: a date still exists
    include_updated: bool = False
    max_documents: int | None = Field(None, ge=1, le=1_000_000)


class FetchConfig(_Strict):
    """How the one HTTP client behaves."""

    timeout: float = Field(20.0, gt=0, le=600)
    deadline: float = Field(60.0, gt=0, le=3600, description="seconds for all of collecting")
    max_bytes: int = Field(10 * 1024 * 1024, ge=1024, le=1024 * 1024 * 1024)
    user_agent: str = "digest/0.1 (+https://example.org/digest)"
    concurrency: int = Field(32, ge=1, le=128)
    per_host: int = Field(4, ge=1, le=32)


class OutputConfig(_Strict):
    """Where the archive of rendered issues lives."""

    dir: Path = Path("out")


class StateConfig(_Strict):
    """Where the SQLite state store lives."""

    path: Path = Path(".digest/state.db")


class SmtpConfig(_Strict):
    """The SMTP server that sends the round-up; the password comes from the environment."""

    host: str
    port: int = Field(587, ge=1, le=65535)
    security: Literal["starttls", "ssl", "none"] = "starttls"
    username: str | None = None
    password_env: str | None = None
    timeout: float = Field(30.0, gt=0, le=600)

    @model_validator(mode="before")
    @classmethod
    def _no_password(cls, data: Any) -> Any:
        if isinstance(data, dict) and "password" in data:
            raise ValueError(
                "a password does not belong in the config file; put it in an environment "
                "variable and name that variable with 'password_env'"
            )
        return data


class ReviewConfig(_Strict):
    """Editors who see each issue before readers do, and how long it may wait for them."""

    to: tuple[str, ...] = ()
    deadline: str | None = None

    @field_validator("deadline")
    @classmethod
    def _duration(cls, value: str | None) -> str | None:
        if value is not None:
            duration(value)  # a ValueError names the problem
        return value


DURATION = re.compile(r"\s*(\d+)\s*(m|min|h|d|w)\s*")
UNITS = {"m": "minutes", "min": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def duration(text: str) -> timedelta:
    """A duration such as "90m", "24h", "2d" or "1w"; ValueError for anything else."""
    match = DURATION.fullmatch(text)
    if match is None or not 0 < int(match.group(1)) * {"w": 7}.get(match.group(2), 1) <= 36_500:
        raise ValueError(f"must be a duration such as '24h', '90m' or '2d', not {text!r}")
    return timedelta(**{UNITS[match.group(2)]: int(match.group(1))})


class DeliveryConfig(_Strict):
    """Who receives the round-up and through which server."""

    smtp: SmtpConfig | None = None
    to: str | None = None
    recipients: tuple[str, ...] = ()
    recipients_file: Path | None = None
    rate_limit: float | None = Field(None, gt=0, le=10_000, description="messages per second")
    connections: int = Field(4, ge=1, le=32)
    deadline: float = Field(3600.0, gt=0, le=7 * 86400, description="seconds for all of sending")
    retries: int = Field(3, ge=0, le=10)
    send_when_empty: bool = False
    review: ReviewConfig = ReviewConfig()


class ScheduleConfig(_Strict):
    """When the scheduled job runs."""

    cron: str | dict[str, str | int] = "0 8 * * fri"
    timezone: str = "UTC"
    misfire_grace_seconds: int = Field(86400, ge=1, le=366 * 86400)


class Config(_Strict):
    """The whole validated configuration."""

    newsletter: NewsletterConfig = NewsletterConfig()
    sources: tuple[SourceConfig, ...] = ()
    summary: SummaryConfig = SummaryConfig()
    collect: CollectConfig = CollectConfig()
    fetch: FetchConfig = FetchConfig()
    output: OutputConfig = OutputConfig()
    state: StateConfig = StateConfig()
    templates: Path | None = None
    delivery: DeliveryConfig = DeliveryConfig()
    schedule: ScheduleConfig = ScheduleConfig()
    serve: ServeConfig = ServeConfig()
    base_dir: Annotated[Path, Field(exclude=True)] = Path(".")
    file: Annotated[Path | None, Field(exclude=True)] = None

    @field_validator("sources")
    @classmethod
    def _unique_names(cls, sources: tuple[SourceConfig, ...]) -> tuple[SourceConfig, ...]:
        names = [s.name for s in sources]
        doubles = sorted({n for n in names if names.count(n) > 1})
        if doubles:
            raise ValueError(f"source names must be unique; repeated: {', '.join(doubles)}")
        return sources


def load_config(path: str | Path = DEFAULT_CONFIG) -> Config:
    """Read and validate a config file; relative paths become absolute against its folder."""
    file = Path(path)
    if not file.is_file():
        raise DigestError(
            f"{file}: config file not found",
            "pass one with -c CONFIG, or run from the folder that holds config.yaml",
        )
    data = read_yaml(file) or {}
    if not isinstance(data, dict):
        raise DigestError(f"{file}: the top level must be a mapping of keys")
    return parse_config(data, file)


def parse_config(data: dict[str, Any], file: Path | None = None) -> Config:
    """Validate a mapping as a Config; `file` names it in errors and anchors relative paths."""
    name = str(file) if file else "config"
    try:
        config = Config.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = key_path(first["loc"]) or "(top level)"
        message = error_message(first)
        raise DigestError(
            f"{name}: {where}: {message}",
            "see the configuration reference in the README",
        ) from exc
    base = file.resolve().parent if file else Path.cwd()
    resolved = _resolve_paths(config, base, file)
    check_paths(name, resolved.output.dir, resolved.state.path)
    return resolved


def _resolve_paths(config: Config, base: Path, file: Path | None) -> Config:
    def absolute(p: Path | None) -> Path | None:
        return None if p is None else (p if p.is_absolute() else base / p)

    sources = tuple(s.model_copy(update={"path": absolute(s.path)}) for s in config.sources)
    delivery = config.delivery.model_copy(
        update={"recipients_file": absolute(config.delivery.recipients_file)}
    )
    return config.model_copy(
        update={
            "newsletter": served_links(config.newsletter, config.serve),
            "sources": sources,
            "output": OutputConfig(dir=absolute(config.output.dir) or base),
            "state": StateConfig(path=absolute(config.state.path) or base),
            "templates": absolute(config.templates),
            "delivery": delivery,
            "base_dir": base,
            "file": file.resolve() if file else None,
        }
    )
