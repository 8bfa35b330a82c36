"""The browser the end-to-end tests drive: Debian's chromium through Playwright (never a
downloaded browser). Absent, the tests skip, or fail under CI."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = "/usr/bin/chromium"
# Headless on a machine with no network but loopback: no background connections to refuse.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists() or not shutil.which("chromium"):
        if os.environ.get("CI"):
            pytest.fail("Debian's chromium is not installed (scripts/ensure-debian-packages installs it)")
        pytest.skip("Debian's chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield instance
        instance.close()
