"""Regenerate docs/html-report.png: the bundled example's HTML report in headless chromium.

Usage: python docs/make_screenshot.py   (from the repository root; needs Debian's
chromium at /usr/bin/chromium and the Playwright Python package, as the tests do)

The scan runs with an empty HOME, like the tests, so the picture does not depend on
this machine's caches.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from ospo_scan.reporters import html_report
from ospo_scan.reporters.report import Report
from ospo_scan.scan import ScanOptions, scan

REPOSITORY = Path(__file__).resolve().parents[1]
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def main() -> None:
    os.chdir(REPOSITORY)
    with tempfile.TemporaryDirectory() as home:
        os.environ["HOME"] = home
        page_path = Path(home) / "report.html"
        page_path.write_text(html_report.document(Report.of(scan([Path("examples/polyglot-shop")], ScanOptions()))), encoding="utf-8")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(page_path.as_uri())
            page.screenshot(path=str(REPOSITORY / "docs" / "html-report.png"))
            browser.close()


if __name__ == "__main__":
    main()
