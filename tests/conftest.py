"""Shared fixtures: paths to the project, its seeds and small test data."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.webserver import live  # noqa: F401  (the running `digest serve` of the web tests)

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


@pytest.fixture
def root() -> Path:
    """The project's top folder."""
    return ROOT


@pytest.fixture
def seeds() -> Path:
    """The sample input folder that the default config renders."""
    return ROOT / "seeds"


@pytest.fixture
def data() -> Path:
    """The tests' own small data files."""
    return DATA


def need_tool(name: str, path: str | None = None) -> str:
    """The path of an outside tool; skip without it on a laptop, fail without it in CI."""
    found = path if path and Path(path).exists() else shutil.which(name)
    if found:
        return found
    if IN_CI:
        pytest.fail(f"{name} is required in CI but was not found")
    pytest.skip(f"{name} not installed")


BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--no-first-run"]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """A headless Debian chromium, one per test module; never downloads a browser."""
    chromium = need_tool("chromium", "/usr/bin/chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium, args=BROWSER_ARGS)
        yield launched
        launched.close()
