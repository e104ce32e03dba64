"""The organization HTML page: self-contained, safe with hostile names, deterministic,
its tables and charts the overview's; then the same in a real browser.

The browser tests drive Debian's chromium through Playwright, as
tests/reporters/test_html_report.py does, and skip saying which is missing.
"""

from __future__ import annotations

import base64
import hashlib
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from ospo_scan.reporters.organization import render_html
from ospo_scan.store.model import OrganizationOverview
from tests.reporters.browser import OpenedPage as _Opened, browser  # noqa: F401 (browser: the fixture, module-scoped)
from tests.reporters.organization.factory import HOSTILE_PROJECTS, HOSTILE_REPOSITORIES, IMAGE, SCRIPT, empty_overview, overview

CASES = {"one-snapshot": lambda: overview(snapshots=1), "three-snapshots": lambda: overview(snapshots=3), "empty": empty_overview}
CHARTS = ("Components over time", "Gaps over time", "New licenses per snapshot")


@pytest.fixture(params=sorted(CASES))
def given(request: pytest.FixtureRequest) -> OrganizationOverview:
    built: OrganizationOverview = CASES[request.param]()
    return built


class _Page(HTMLParser):
    """Every start tag with its attributes (and the table it is in), cell texts, style and script."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None], str | None]] = []
        self.cells: list[str] = []
        self.styles: list[str] = []
        self.scripts: list[str] = []
        self._open: str | None = None
        self._table: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self._table = dict(attrs).get("id")
        self.tags.append((tag, dict(attrs), self._table))
        if tag in ("td", "style", "script"):
            self._open = tag
            {"td": self.cells, "style": self.styles, "script": self.scripts}[tag].append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == self._open:
            self._open = None
        if tag == "table":
            self._table = None

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            {"td": self.cells, "style": self.styles, "script": self.scripts}[self._open][-1] += data


def _parse(page: str) -> _Page:
    parser = _Page()
    parser.feed(page)
    parser.close()
    return parser


def _sha256(source: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(source.encode("utf-8")).digest()).decode("ascii")


def _rows(page: _Page) -> dict[str, int]:
    """Body rows per table id (the header row left out)."""
    counts: dict[str, int] = {}
    for tag, _, table in page.tags:
        if tag == "tr" and table is not None:
            counts[table] = counts.get(table, 0) + 1
    return {key: value - 1 for key, value in counts.items()}


def _expected_rows(given: OrganizationOverview) -> dict[str, int]:
    collections = {
        "repositories-table": given.repositories,
        "licenses-table": given.licenses,
        "critical-table": given.critical,
        "skew-table": given.skew,
        "gaps-table": given.gaps_by_code,
        "history-table": given.trends,
    }
    return {key: len(items) for key, items in collections.items() if items}


# Without a browser ---------------------------------------------------------------------


def test_rendering_twice_gives_the_same_bytes(given: OrganizationOverview) -> None:
    assert render_html(given) == render_html(given)


def test_nothing_is_loaded_from_anywhere(given: OrganizationOverview) -> None:
    text = render_html(given)
    page = _parse(text)
    assert [tag for tag, _, _ in page.tags if tag in ("link", "img", "iframe", "object", "embed", "audio", "video", "source", "base", "frame", "image", "use")] == []
    references = [(tag, name, value) for tag, attrs, _ in page.tags for name, value in attrs.items() if name in ("src", "href", "xlink:href", "action", "srcset")]
    assert all(tag == "a" and name == "href" and (value or "").startswith("#") for tag, name, value in references), references
    assert not re.search(r"https?://", text)
    assert not re.search(r"url\(|@import", "".join(page.styles))


def test_the_policy_allows_exactly_the_inline_style_and_script(given: OrganizationOverview) -> None:
    page = _parse(render_html(given))
    policies = [attrs["content"] for tag, attrs, _ in page.tags if tag == "meta" and attrs.get("http-equiv") == "Content-Security-Policy"]
    assert len(policies) == 1 and len(page.styles) == 1 and len(page.scripts) == 1
    policy = policies[0] or ""
    assert "default-src 'none'" in policy
    assert f"style-src '{_sha256(page.styles[0])}'" in policy and f"script-src '{_sha256(page.scripts[0])}'" in policy
    assert not [attrs for _, attrs, _ in page.tags if "style" in attrs or any(name.startswith("on") for name in attrs)]


def test_tables_hold_one_row_per_item(given: OrganizationOverview) -> None:
    assert _rows(_parse(render_html(given))) == _expected_rows(given)


def test_hostile_names_stay_text() -> None:
    given = overview(snapshots=3)
    text = render_html(given)
    page = _parse(text)
    assert SCRIPT not in text and IMAGE not in text and "&lt;script&gt;" in text
    assert sum(1 for tag, _, _ in page.tags if tag == "script") == 1
    shown = set(page.cells)
    for name in (SCRIPT, IMAGE, 'billing & "payments" \'eu\'', "pipes|in|name"):
        assert any(name in cell for cell in shown), name
    assert "evil\\u202egnp.exe" in shown and "\\u001b[31mred\\u001b[0m-service" in shown
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]", text)


def test_every_repository_and_critical_project_is_in_its_table() -> None:
    given = overview(snapshots=3)
    page = _parse(render_html(given))
    for name in HOSTILE_REPOSITORIES + HOSTILE_PROJECTS:
        # markup.text spells out controls and bidi overrides; a tab or newline is layout, and stays
        visible = re.sub("[\x00-\x08\x0b-\x1f\u202e]", lambda m: f"\\u{ord(m.group()):04x}", name)
        assert visible in page.cells, name


def test_three_snapshots_draw_one_mark_per_snapshot_in_each_chart() -> None:
    given = overview(snapshots=3)
    page = _parse(render_html(given))
    svgs = [attrs for tag, attrs, _ in page.tags if tag == "svg"]
    assert len(svgs) == len(CHARTS)
    marks = [attrs.get("data-snapshot") for tag, attrs, _ in page.tags if "trend-mark" in (attrs.get("class") or "")]
    assert marks == [str(p.snapshot.id) for p in given.trends] * len(CHARTS)


def test_one_snapshot_says_there_is_no_history_yet() -> None:
    text = render_html(overview(snapshots=1))
    page = _parse(text)
    assert [tag for tag, _, _ in page.tags if tag == "svg"] == []
    assert text.count("No history yet") == len(CHARTS)


def test_the_empty_organization_says_so_instead_of_empty_tables() -> None:
    text = render_html(empty_overview())
    assert "No repository in this snapshot." in text and "No upstream project to rank." in text and "No compliance gap in this snapshot." in text
    assert _rows(_parse(text)) == {"history-table": 1}


# In a browser --------------------------------------------------------------------------


def _open(browser: Any, tmp_path: Path, given: OrganizationOverview, bypass_csp: bool = False) -> _Opened:
    path = tmp_path / "organization.html"
    path.write_text(render_html(given), encoding="utf-8")
    return _Opened(browser, path, bypass_csp=bypass_csp)


def test_the_page_renders_without_an_error_a_violation_or_a_request(browser: Any, tmp_path: Path, given: OrganizationOverview) -> None:
    opened = _open(browser, tmp_path, given)
    try:
        assert opened.page.title().startswith("ospo-scan organization report: ")
        assert opened.page.is_visible("#summary .card")
        opened.page.click("#history-table th:nth-child(3) button")  # the script runs under the policy
        assert opened.page.get_attribute("#history-table th:nth-child(3)", "aria-sort") == "ascending"
        assert opened.errors == [] and opened.violations() == []
        assert opened.requests == [opened.url]
    finally:
        opened.close()


def test_tables_and_charts_in_the_browser(browser: Any, tmp_path: Path) -> None:
    given = overview(snapshots=3)
    opened = _open(browser, tmp_path, given)
    try:
        for table, rows in _expected_rows(given).items():
            assert opened.page.eval_on_selector_all(f"#{table} tbody tr", "rows => rows.length") == rows, table
        marks = opened.page.eval_on_selector_all("#charts svg", "svgs => svgs.map(s => s.querySelectorAll('.trend-mark').length)")
        assert marks == [len(given.trends)] * len(CHARTS)
        box = opened.page.eval_on_selector("#charts svg", "s => s.getBoundingClientRect().width")
        assert box > 0
    finally:
        opened.close()


@pytest.mark.parametrize("bypass_csp", [False, True], ids=["with-the-policy", "policy-bypassed"])
def test_no_hostile_name_runs_anything(browser: Any, tmp_path: Path, bypass_csp: bool) -> None:
    """With the policy bypassed too: escaping alone must keep the names inert."""
    opened = _open(browser, tmp_path, overview(snapshots=3), bypass_csp=bypass_csp)
    try:
        opened.page.hover("#repositories-table tbody tr td")
        opened.page.click("#repositories-table th:nth-child(1) button")
        assert opened.page.evaluate("window.__pwned === undefined")
        assert opened.dialogs == []
        assert opened.page.eval_on_selector_all("img, iframe", "found => found.length") == 0
        assert opened.page.eval_on_selector_all("script", "found => found.length") == 1
        names = opened.page.eval_on_selector_all("#repositories-table tbody tr td:nth-child(1)", "cells => cells.map(c => c.textContent)")
        assert any(SCRIPT in name for name in names) and any(IMAGE in name for name in names)
        assert opened.errors == [] and opened.violations() == []
    finally:
        opened.close()


def test_one_snapshot_shows_no_chart_in_the_browser(browser: Any, tmp_path: Path) -> None:
    opened = _open(browser, tmp_path, overview(snapshots=1))
    try:
        assert opened.page.eval_on_selector_all("#charts svg", "found => found.length") == 0
        assert opened.page.inner_text("#charts").count("No history yet") == len(CHARTS)
    finally:
        opened.close()
