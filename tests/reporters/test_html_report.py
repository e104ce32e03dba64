"""The HTML report: self-contained, safe with hostile names, deterministic, and working
in a real browser (sorting, filtering, the row limit, JavaScript off).

The browser tests drive Debian's chromium through Playwright; they skip, saying
which is missing, where either is absent (`.ci/run` installs both). Rewrite the golden
file with `OSPO_SCAN_UPDATE_GOLDEN=1 python -m pytest tests/reporters`.
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from ospo_scan.reporters import html_report
from ospo_scan.reporters.html import markup
from ospo_scan.reporters.report import Report
from ospo_scan.scan import ScanOptions, scan
from tests.reporters.browser import OpenedPage as _Opened, browser  # noqa: F401 (browser: the fixture, module-scoped)

REPOSITORY = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).resolve().parent / "golden" / "polyglot-shop.html"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
EXAMPLE = "examples/polyglot-shop"
"""No sandbox (CI runs as root), and none of chromium's own calls home."""

RESOURCE_ATTRIBUTES = {"src", "href", "srcset", "action", "formaction", "poster", "data", "xlink:href", "background", "ping"}


def _report(root: str | Path) -> Report:
    """Scanned with an empty HOME, as conftest's no_user_caches gives every test: the
    module-scoped fixtures below run before that function-scoped one applies."""
    with pytest.MonkeyPatch.context() as patch:
        home = Path(os.environ.get("TMPDIR", "/tmp")) / f"ospo-scan-empty-home-{os.getpid()}"
        home.mkdir(exist_ok=True)
        patch.setenv("HOME", str(home))
        return Report.of(scan([Path(root)], ScanOptions()))


@pytest.fixture(scope="module")
def example_html() -> str:
    here = Path.cwd()
    os.chdir(REPOSITORY)  # roots are shown as given: the same relative path as the README's
    try:
        return html_report.document(_report(EXAMPLE))
    finally:
        os.chdir(here)


@pytest.fixture(scope="module")
def hostile_html() -> str:
    return html_report.document(_report(FIXTURES / "hostile-package-names"))


class _Page(HTMLParser):
    """Every start tag with its attributes, and the text of each table cell and style."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.cells: list[str] = []
        self.styles: list[str] = []
        self.scripts: list[str] = []
        self._open: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag in ("td", "style", "script"):
            self._open = tag
            {"td": self.cells, "style": self.styles, "script": self.scripts}[tag].append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == self._open:
            self._open = None

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


# Without a browser ---------------------------------------------------------------------


def test_the_example_matches_its_golden_file(example_html: str) -> None:
    if os.environ.get("OSPO_SCAN_UPDATE_GOLDEN"):
        GOLDEN.write_text(example_html, encoding="utf-8")
    assert example_html.splitlines() == GOLDEN.read_text(encoding="utf-8").splitlines()


def test_rendering_twice_gives_the_same_bytes(example_html: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPOSITORY)
    assert html_report.document(_report(EXAMPLE)) == example_html


def test_render_writes_the_document(monkeypatch: pytest.MonkeyPatch, example_html: str) -> None:
    monkeypatch.chdir(REPOSITORY)
    buffer = io.StringIO()
    html_report.render(_report(EXAMPLE), buffer, True)
    assert buffer.getvalue() == example_html


def test_nothing_is_loaded_from_anywhere(example_html: str) -> None:
    page = _parse(example_html)
    loaders = [tag for tag, _ in page.tags if tag in ("link", "img", "iframe", "object", "embed", "audio", "video", "source", "base", "frame")]
    assert loaders == []
    references = [(tag, name, value) for tag, attrs in page.tags for name, value in attrs.items() if name in RESOURCE_ATTRIBUTES]
    assert all(tag == "a" and name == "href" and (value or "").startswith("#") for tag, name, value in references), references
    assert [attrs.get("src") for tag, attrs in page.tags if tag == "script"] == [None]
    assert not re.search(r"url\(|@import", "".join(page.styles))
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", example_html)


def test_the_policy_allows_exactly_the_inline_style_and_script(example_html: str) -> None:
    page = _parse(example_html)
    policies = [attrs["content"] for tag, attrs in page.tags if tag == "meta" and attrs.get("http-equiv") == "Content-Security-Policy"]
    assert len(policies) == 1 and len(page.styles) == 1 and len(page.scripts) == 1
    policy = policies[0] or ""
    assert "default-src 'none'" in policy
    assert f"style-src '{_sha256(page.styles[0])}'" in policy
    assert f"script-src '{_sha256(page.scripts[0])}'" in policy
    assert not [attrs for _, attrs in page.tags if "style" in attrs or any(name.startswith("on") for name in attrs)]


def test_every_section_and_table_is_there(example_html: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPOSITORY)
    report = _report(EXAMPLE)
    page = _parse(example_html)
    ids = {attrs.get("id") for _, attrs in page.tags}
    assert {"summary", "charts", "critical", "gaps", "components", "projects"} <= ids
    assert {"critical-table", "gaps-table", "components-table", "projects-table"} <= ids
    rows = _rows_per_table(page)
    assert rows["components-table"] == len(report.inventory.components)
    assert rows["gaps-table"] == len(report.analysis.gaps.gaps)
    assert rows["critical-table"] == len(report.analysis.critical.ranked)
    assert rows["projects-table"] == len(report.inventory.projects)
    assert sum(1 for tag, _ in page.tags if tag == "svg") == 4


def _rows_per_table(page: _Page) -> dict[str, int]:
    counts: dict[str, int] = {}
    current: str | None = None
    for tag, attrs in page.tags:
        if tag == "table":
            current = attrs.get("id")
        elif tag == "tr" and current is not None:
            counts[current] = counts.get(current, 0) + 1
    return {key: value - 1 for key, value in counts.items()}  # less the header row


HOSTILE_NAMES = ("<script>alert(2)</script>", '"><img src=x onerror=alert(3)>', "</td></tr></table><iframe src=javascript:alert(4)>")


def test_hostile_names_stay_text(hostile_html: str) -> None:
    page = _parse(hostile_html)
    assert [tag for tag, _ in page.tags if tag in ("img", "iframe")] == []
    assert sum(1 for tag, _ in page.tags if tag == "script") == 1
    assert not [attrs for _, attrs in page.tags if any(name.startswith("on") for name in attrs)]
    for name in HOSTILE_NAMES:
        assert name in page.cells, name
    assert "2.0.0<svg onload=alert(6)>" in page.cells
    assert "<script>alert(2)</script>" not in hostile_html
    assert html_report.document(_report(FIXTURES / "hostile-package-names")) == hostile_html


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("<b>&'\"", "&lt;b&gt;&amp;&#x27;&quot;"),
        ("evil\u202egnp.exe", "evil\\u202egnp.exe"),
        ("bell\x07", "bell\\u0007"),
        ("line\u2028break", "line\\u2028break"),
        ("tab\tstays", "tab\tstays"),
    ],
    ids=["markup", "bidi-override", "control", "line-separator", "tab"],
)
def test_text_escapes_markup_and_shows_invisible_characters(value: str, shown: str) -> None:
    assert markup.text(value) == shown


def test_an_empty_scan_says_so_instead_of_empty_tables(tmp_path: Path) -> None:
    page = html_report.document(_report(tmp_path))
    assert "No component found." in page
    assert "No compliance gap found." in page
    assert "no third-party component was found: nothing to score" in page
    assert "<table" not in page
    assert "n/a" in page  # the known-license share of nothing


def test_a_long_table_shows_its_first_rows_and_offers_them_all(monkeypatch: pytest.MonkeyPatch, example_html: str) -> None:
    monkeypatch.chdir(REPOSITORY)
    monkeypatch.setattr(markup, "ROW_LIMIT", 3)
    page = html_report.document(_report(EXAMPLE))
    assert 'class="sortable limited" data-limit="3" id="components-table"' in page
    assert 'id="components-table-all"' in page
    assert "table.limited tbody tr:nth-child(n+4) { display: none; }" in page
    assert 'data-limit="' not in example_html


# In a browser --------------------------------------------------------------------------


@pytest.fixture()
def opened(browser: Any, tmp_path: Path, example_html: str) -> Iterator[_Opened]:
    path = tmp_path / "report.html"
    path.write_text(example_html, encoding="utf-8")
    page = _Opened(browser, path)
    yield page
    page.close()


def test_the_example_renders_without_an_error_or_a_request(opened: _Opened) -> None:
    assert opened.page.title().startswith("ospo-scan report: ")
    assert opened.page.is_visible("#summary .card")
    assert opened.page.is_visible("#components-table")
    assert opened.errors == []
    assert opened.requests == [opened.url]


def test_clicking_a_numeric_header_sorts_by_number_both_ways(opened: _Opened) -> None:
    before = opened.column("projects-table", 2)
    opened.page.click("#projects-table th:nth-child(2) button")
    ascending = opened.column("projects-table", 2)
    assert ascending == sorted(before, key=int) and ascending != before
    assert opened.page.get_attribute("#projects-table th:nth-child(2)", "aria-sort") == "ascending"
    opened.page.click("#projects-table th:nth-child(2) button")
    assert opened.column("projects-table", 2) == sorted(before, key=int, reverse=True)
    assert opened.page.get_attribute("#projects-table th:nth-child(2)", "aria-sort") == "descending"
    assert opened.errors == []


def _natural(text: str) -> list[tuple[int, int | str]]:
    """Numeric, case-blind order: runs of digits compare as numbers."""
    return [(0, int(part)) if part.isdigit() else (1, part.lower()) for part in re.split(r"(\d+)", text) if part]


def test_clicking_a_text_header_sorts_and_rows_move_whole(opened: _Opened) -> None:
    def rows() -> list[tuple[str, str, str]]:
        return list(zip(*(opened.column("components-table", position) for position in (1, 2, 3))))

    before = rows()
    opened.page.click("#components-table th:nth-child(3) button")
    opened.page.click("#components-table th:nth-child(3) button")
    descending = [ecosystem for _, _, ecosystem in rows()]
    assert descending == sorted(descending, reverse=True) and descending != [ecosystem for _, _, ecosystem in before]
    opened.page.click("#components-table th:nth-child(1) button")
    by_name = rows()
    # the script sorts text as people read it (Intl.Collator, numeric: h2 before h11)
    assert [name for name, _, _ in by_name] == sorted((name for name, _, _ in by_name), key=_natural) and by_name != before
    # a row moves whole: the same (name, version, ecosystem) rows, in another order
    assert sorted(by_name) == sorted(before)


def test_severity_sorts_worst_first_not_by_name(opened: _Opened) -> None:
    opened.page.click("#gaps-table th:nth-child(1) button")
    order = {"high": 0, "medium": 1, "low": 2}
    severities = opened.column("gaps-table", 1)
    assert [order[s] for s in severities] == sorted(order[s] for s in severities)


def test_the_filter_hides_rows_that_do_not_match(opened: _Opened) -> None:
    total = len(opened.column("components-table", 1))
    opened.page.fill('[data-filter-for="components-table"] input', "NPM")
    shown = opened.column("components-table", 3)
    assert 0 < len(shown) < total and set(shown) == {"npm"}
    assert opened.page.inner_text('[data-filter-for="components-table"] output') == f"{len(shown)} of {total} rows"
    opened.page.fill('[data-filter-for="components-table"] input', "npm no-such-word")
    assert opened.column("components-table", 1) == []
    opened.page.fill('[data-filter-for="components-table"] input', "")
    assert len(opened.column("components-table", 1)) == total
    assert opened.errors == []


def test_hostile_names_open_no_dialog_and_inject_nothing(browser: Any, tmp_path: Path, hostile_html: str) -> None:
    path = tmp_path / "hostile.html"
    path.write_text(hostile_html, encoding="utf-8")
    opened = _Opened(browser, path)
    try:
        opened.page.hover("#components-table tbody tr td")
        opened.page.click("#components-table th:nth-child(1) button")
        assert opened.dialogs == []
        assert opened.page.eval_on_selector_all("img, iframe, body script:not(:last-of-type)", "found => found.length") == 0
        assert opened.page.eval_on_selector_all("script", "found => found.length") == 1
        assert set(HOSTILE_NAMES) <= set(opened.column("components-table", 1))
        assert opened.errors == [] and opened.requests == [opened.url]
    finally:
        opened.close()


def test_past_the_row_limit_the_first_rows_show_and_the_filter_finds_the_rest(
    browser: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(REPOSITORY)
    monkeypatch.setattr(markup, "ROW_LIMIT", 3)
    report = _report(EXAMPLE)
    path = tmp_path / "limited.html"
    path.write_text(html_report.document(report), encoding="utf-8")
    opened = _Opened(browser, path)
    try:
        total = len(report.inventory.components)
        assert len(opened.column("components-table", 1)) == 3
        assert opened.page.inner_text('[data-filter-for="components-table"] output') == f"{total} of {total} rows (the first 3 shown)"
        last = sorted(c.name for c in report.inventory.components if c.first_party)[-1]
        opened.page.fill('[data-filter-for="components-table"] input', last)
        assert last in opened.column("components-table", 1)
        opened.page.fill('[data-filter-for="components-table"] input', "")
        opened.page.check("#components-table-all")
        assert len(opened.column("components-table", 1)) == total
        assert opened.page.inner_text('[data-filter-for="components-table"] output') == f"{total} of {total} rows"
        assert opened.errors == []
    finally:
        opened.close()


def test_without_javascript_every_row_is_there_and_no_dead_control_shows(browser: Any, tmp_path: Path, example_html: str) -> None:
    path = tmp_path / "report.html"
    path.write_text(example_html, encoding="utf-8")
    opened = _Opened(browser, path, javascript=False)
    try:
        expected = _rows_per_table(_parse(example_html))["components-table"]
        assert len(opened.column("components-table", 1)) == expected
        assert not opened.page.is_visible('[data-filter-for="components-table"]')
        assert opened.errors == [] and opened.requests == [opened.url]
    finally:
        opened.close()
