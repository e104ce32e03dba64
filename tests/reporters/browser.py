"""Headless Chromium for the HTML report tests: one fixture, one page wrapper.

The scan report, the organization report and the assessment are all opened the same
way: Debian's chromium through Playwright (no browser download works offline), every
console error, request, dialog and Content-Security-Policy violation recorded. Tests
skip with the reason when Playwright or chromium is missing.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

_WATCH = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));
"""
"""Collects every Content-Security-Policy violation the page causes (installed before it loads)."""


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api", reason="the Playwright Python package is not installed (pip install '.[test]')")
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: Debian's chromium package is not installed (apt-get install chromium)")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


class OpenedPage:
    """A page showing one report, with everything the browser said, fetched and opened."""

    def __init__(self, browser: Any, path: Path, *, javascript: bool = True, bypass_csp: bool = False) -> None:
        self.context = browser.new_context(java_script_enabled=javascript, bypass_csp=bypass_csp, viewport={"width": 1280, "height": 900})
        self.page = self.context.new_page()
        self.url = path.as_uri()
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.page.add_init_script(_WATCH)
        self.page.on("console", lambda message: self.errors.append(message.text) if message.type == "error" else None)
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("dialog", self._dialog)
        self.page.goto(self.url)

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def violations(self) -> list[str]:
        found: list[str] = self.page.evaluate("window.__violations || []")
        return found

    def column(self, table: str, position: int) -> list[str]:
        """The visible cells of one column, in the order shown."""
        cells: list[str] = self.page.eval_on_selector_all(
            f"#{table} tbody tr td:nth-child({position})", "cells => cells.filter(c => c.offsetParent !== null).map(c => c.textContent)"
        )
        return cells

    def close(self) -> None:
        self.context.close()
