"""The assessment HTML page: self-contained, safe with hostile names, deterministic,
its tables the assessment's; then the same in a real browser.

The browser tests drive Debian's chromium through Playwright with the organization
page's own fixture and page wrapper (tests/reporters/organization/test_html_page.py),
and skip saying which is missing.
"""

from __future__ import annotations

import base64
import hashlib
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from ospo_scan.assessment.model import Assessment, Question
from ospo_scan.reporters.assessment import render_html
from ospo_scan.reporters.assessment.html_page import section_id
from tests.reporters.assessment.factory import BILLING, SCRIPT, WEB, assessment, empty_assessment
from tests.reporters.browser import OpenedPage as _Opened, browser  # noqa: F401 (browser: the fixture, module-scoped)

CASES = {"two-repositories": assessment, "empty": empty_assessment}
_SPELLED = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
"""What markup.text shows as \\uXXXX."""


@pytest.fixture(params=sorted(CASES))
def given(request: pytest.FixtureRequest) -> Assessment:
    built: Assessment = CASES[request.param]()
    return built


def _spelled(value: str) -> str:
    return _SPELLED.sub(lambda m: f"\\u{ord(m.group()):04x}", value)


class _Page(HTMLParser):
    """Every start tag with its attributes (and the table it is in), cell texts, headings, style and script."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None], str | None]] = []
        self.texts: dict[str, list[str]] = {"td": [], "h2": [], "style": [], "script": [], "li": []}
        self._open: str | None = None
        self._table: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self._table = dict(attrs).get("id")
        self.tags.append((tag, dict(attrs), self._table))
        if tag in self.texts:
            self._open = tag
            self.texts[tag].append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == self._open:
            self._open = None
        if tag == "table":
            self._table = None

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self.texts[self._open][-1] += data


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


def _expected_rows(given: Assessment) -> dict[str, int]:
    profiles = given.profiles
    collections = {
        "repositories-table": len(profiles),
        "health-table": sum(len(p.checks) for p in profiles),
        "readiness-table": sum(len(p.readiness) for p in profiles),
        "checks-table": len(given.checks),
        "policies-table": sum(len(p.policy_files) for p in profiles),
        "gates-table": sum(len(p.ci_gates) for p in profiles),
    }
    return {key: number for key, number in collections.items() if number}


# Without a browser ---------------------------------------------------------------------


def test_rendering_twice_gives_the_same_bytes(given: Assessment) -> None:
    assert render_html(given) == render_html(given)


def test_nothing_is_loaded_from_anywhere(given: Assessment) -> None:
    text = render_html(given)
    page = _parse(text)
    assert [tag for tag, _, _ in page.tags if tag in ("link", "img", "iframe", "object", "embed", "audio", "video", "source", "base", "frame", "image", "use")] == []
    references = [(tag, name, value) for tag, attrs, _ in page.tags for name, value in attrs.items() if name in ("src", "href", "xlink:href", "action", "srcset")]
    assert all(tag == "a" and name == "href" and (value or "").startswith("#") for tag, name, value in references), references
    assert not re.search(r"https?://", text)
    assert not re.search(r"url\(|@import", "".join(page.texts["style"]))


def test_every_link_leads_to_a_section(given: Assessment) -> None:
    page = _parse(render_html(given))
    ids = {attrs.get("id") for _, attrs, _ in page.tags}
    links = [attrs["href"] for tag, attrs, _ in page.tags if tag == "a"]
    assert links and all((href or "#")[1:] in ids for href in links), links


def test_the_policy_allows_exactly_the_inline_style_and_script(given: Assessment) -> None:
    page = _parse(render_html(given))
    policies = [attrs["content"] for tag, attrs, _ in page.tags if tag == "meta" and attrs.get("http-equiv") == "Content-Security-Policy"]
    styles, scripts = page.texts["style"], page.texts["script"]
    assert len(policies) == 1 and len(styles) == 1 and len(scripts) == 1
    policy = policies[0] or ""
    assert "default-src 'none'" in policy
    assert f"style-src '{_sha256(styles[0])}'" in policy and f"script-src '{_sha256(scripts[0])}'" in policy
    assert not [attrs for _, attrs, _ in page.tags if "style" in attrs or any(name.startswith("on") for name in attrs)]


def test_tables_hold_one_row_per_item(given: Assessment) -> None:
    rows = _rows(_parse(render_html(given)))
    answer_tables = {key: n for key, n in rows.items() if key is not None and not key.endswith("-table")}
    assert {key: n for key, n in rows.items() if key not in answer_tables} == _expected_rows(given)


def test_one_section_per_question_with_its_facts(given: Assessment) -> None:
    page = _parse(render_html(given))
    headings = page.texts["h2"]
    asked = sorted(given.answers, key=lambda answer: list(Question).index(answer.question))
    first = headings.index("Overall maturity") + 1
    assert headings[first : first + len(asked)] == [answer.title for answer in asked]
    sections = [attrs["id"] for tag, attrs, _ in page.tags if tag == "section" and "answer" in (attrs.get("class") or "")]
    assert sections == [section_id(answer.question) for answer in asked]
    for answer in given.answers:
        assert all(_spelled(fact) in page.texts["li"] for fact in answer.facts)


def test_hostile_names_stay_text() -> None:
    text = render_html(assessment())
    page = _parse(text)
    assert SCRIPT not in text and "&lt;script&gt;" in text
    assert sum(1 for tag, _, _ in page.tags if tag == "script") == 1
    assert _spelled(WEB) in page.texts["td"] and _spelled(BILLING) in page.texts["td"]
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]", text)


def test_the_coverage_chart_has_one_bar_label_per_check() -> None:
    given = assessment()
    text = render_html(given)
    chart = text[text.index('<section id="coverage">') :]
    chart = chart[: chart.index("</section>")]
    assert chart.count("<svg") == 1
    labels = re.findall(r'<text x="\d+" y="\d+" text-anchor="end">([^<]*)</text>', chart)
    assert len(labels) == len(given.checks)


def test_another_tools_policy_file_is_not_read_and_unread_files_are_listed() -> None:
    given = assessment()
    page = _parse(render_html(given))
    cells = page.texts["td"]
    start = cells.index(".fossa.yml")
    assert cells[start + 1 : start + 5] == ["fossa", "not read", "not read", "not read"]
    assert all(_spelled(message) in page.texts["li"] for message in given.unread)


def test_the_empty_assessment_says_so_instead_of_empty_tables() -> None:
    text = render_html(empty_assessment())
    for sentence in ("No repository was assessed.", "No check was run.", "No policy file found in any repository.", "No CI definition runs a scanner."):
        assert sentence in text
    assert _rows(_parse(text)) == {}


# In a browser --------------------------------------------------------------------------


def _open(browser: Any, tmp_path: Path, given: Assessment, bypass_csp: bool = False) -> _Opened:
    path = tmp_path / "assessment.html"
    path.write_text(render_html(given), encoding="utf-8")
    return _Opened(browser, path, bypass_csp=bypass_csp)


def test_the_page_renders_without_an_error_a_violation_or_a_request(browser: Any, tmp_path: Path, given: Assessment) -> None:
    opened = _open(browser, tmp_path, given)
    try:
        assert opened.page.title().startswith("ospo-scan assessment: ")
        assert opened.page.is_visible("#maturity .card")
        if given.checks:
            opened.page.click("#checks-table th:nth-child(1) button")  # the script runs under the policy
            assert opened.page.get_attribute("#checks-table th:nth-child(1)", "aria-sort") == "ascending"
        assert opened.errors == [] and opened.violations() == []
        assert opened.requests == [opened.url]
    finally:
        opened.close()


def test_every_question_heading_is_visible(browser: Any, tmp_path: Path, given: Assessment) -> None:
    opened = _open(browser, tmp_path, given)
    try:
        for answer in given.answers:
            heading = f"#{section_id(answer.question)} h2"
            opened.page.locator(heading).scroll_into_view_if_needed()
            assert opened.page.is_visible(heading), answer.title
            # sections are `content-visibility: auto`: laid out once scrolled to, on the next frame
            opened.page.wait_for_function("h => document.querySelector(h).innerText !== ''", arg=heading, timeout=5000)
            assert opened.page.inner_text(heading) == answer.title
    finally:
        opened.close()


def test_tables_in_the_browser_list_both_repositories(browser: Any, tmp_path: Path) -> None:
    given = assessment()
    opened = _open(browser, tmp_path, given)
    try:
        for table, rows in _expected_rows(given).items():
            assert opened.page.eval_on_selector_all(f"#{table} tbody tr", "rows => rows.length") == rows, table
        names = opened.page.eval_on_selector_all("#repositories-table tbody tr td:nth-child(1)", "cells => cells.map(c => c.textContent)")
        assert names == [_spelled(BILLING), _spelled(WEB)]
        assert opened.page.eval_on_selector("#coverage svg", "s => s.getBoundingClientRect().width") > 0
    finally:
        opened.close()


@pytest.mark.parametrize("bypass_csp", [False, True], ids=["with-the-policy", "policy-bypassed"])
def test_no_hostile_name_runs_anything(browser: Any, tmp_path: Path, bypass_csp: bool) -> None:
    """With the policy bypassed too: escaping alone must keep the names inert."""
    opened = _open(browser, tmp_path, assessment(), bypass_csp=bypass_csp)
    try:
        opened.page.hover("#repositories-table tbody tr td")
        opened.page.click("#repositories-table th:nth-child(1) button")
        assert opened.page.evaluate("window.__pwned === undefined")
        assert opened.dialogs == []
        assert opened.page.eval_on_selector_all("img, iframe", "found => found.length") == 0
        assert opened.page.eval_on_selector_all("script", "found => found.length") == 1
        cells = opened.page.eval_on_selector_all("td, li, h1, title", "found => found.map(c => c.textContent)")
        assert any(SCRIPT in cell for cell in cells)
        assert opened.errors == [] and opened.violations() == []
    finally:
        opened.close()
