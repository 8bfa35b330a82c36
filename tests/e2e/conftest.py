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


@pytest.fixture(scope="session")
def _chromium() -> Iterator[Any]:
    """One Chromium for the session (launching one costs a second or two of CPU)."""
    if not Path(CHROMIUM).exists() or not shutil.which("chromium"):
        if os.environ.get("CI"):
            pytest.fail("Debian's chromium is not installed (scripts/ensure-debian-packages installs it)")
        pytest.skip("Debian's chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def browser(_chromium: Any) -> Iterator[Any]:
    """The session's Chromium, as a fresh browser to the test: every page a test opens is in a
    context of its own (`new_page` makes one; no cookies or storage shared with other tests),
    and all the test's contexts are closed when it ends, before its servers stop."""
    assert _chromium.contexts == [], "a context left open by an earlier test"
    yield _chromium
    for context in list(_chromium.contexts):
        context.close()
