"""The organization markdown: every repository and project is there, as text, and no
name adds a column, a tag or a control character to the page."""

from __future__ import annotations

import re

import pytest

from ospo_scan.reporters.organization import render_markdown
from ospo_scan.store.model import OrganizationOverview
from tests.reporters.organization.factory import HOSTILE_PROJECTS, HOSTILE_REPOSITORIES, SCRIPT, empty_overview, overview
from tests.reporters.organization.rendered_markdown import rendered

CASES = {"one-snapshot": lambda: overview(snapshots=1), "three-snapshots": lambda: overview(snapshots=3), "empty": empty_overview}
TABLES = ("Repositories", "Licenses", "Critical projects", "Version skew", "Gaps by code", "Trends")
ALLOWED_TAGS = {"h1", "h2", "ul", "li", "p", "table", "thead", "tbody", "tr", "th", "td"}

_INVISIBLE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]")


@pytest.fixture(params=sorted(CASES))
def given(request: pytest.FixtureRequest) -> OrganizationOverview:
    built: OrganizationOverview = CASES[request.param]()
    return built


def _shown(value: str) -> str:
    """What a reader sees of a name: invisible characters gone (as spaces), nothing else changed."""
    return _INVISIBLE.sub(" ", value).strip()


def _unmentioned(cell: str) -> str:
    """A cell without the zero-width space that keeps `@team` from notifying anyone."""
    return cell.replace("@\u200b", "@")


def test_a_name_mentions_nobody() -> None:
    markdown = render_markdown(overview(snapshots=1))
    assert "@acme" not in markdown and "@&#8203;acme/platform-team" in markdown


def test_every_section_is_there_in_order(given: OrganizationOverview) -> None:
    page = rendered(render_markdown(given))
    assert list(page.sections)[1:] == ["Summary", *TABLES]


def _separators(line: str) -> int:
    """Unescaped pipes in a table line: a backslash escapes the one character after it."""
    return sum(1 for token in re.findall(r"\\.|\|", line) if token == "|")


def test_every_table_line_has_as_many_pipes_as_its_header(given: OrganizationOverview) -> None:
    """Counted in the text: a renderer pads or cuts rows to the header's width, which
    would hide a name that split its cell."""
    blocks = re.findall(r"(?:^\|.*\n)+", render_markdown(given), flags=re.MULTILINE)
    collections = (given.repositories, given.licenses, given.critical, given.skew, given.gaps_by_code, given.trends)
    assert len(blocks) == sum(1 for items in collections if items)
    for block in blocks:
        lines = block.splitlines()
        assert [_separators(line) for line in lines] == [_separators(lines[0])] * len(lines), block


def test_every_rendered_row_has_as_many_cells_as_its_header(given: OrganizationOverview) -> None:
    page = rendered(render_markdown(given))
    for name in TABLES:
        rows = page.sections[name].rows
        assert all(len(row) == len(rows[0]) for row in rows), (name, [len(row) for row in rows])


def test_tables_hold_one_row_per_item() -> None:
    given = overview(snapshots=3)
    page = rendered(render_markdown(given))
    counts = {name: len(page.sections[name].rows) - 1 for name in TABLES}
    assert counts == {
        "Repositories": len(given.repositories),
        "Licenses": len(given.licenses),
        "Critical projects": len(given.critical),
        "Version skew": len(given.skew),
        "Gaps by code": len(given.gaps_by_code),
        "Trends": len(given.trends),
    }


def test_every_repository_and_critical_project_reads_as_its_name(given: OrganizationOverview) -> None:
    page = rendered(render_markdown(given))
    repositories = [_unmentioned(row[0]) for row in page.sections["Repositories"].rows[1:]]
    assert sorted(repositories) == sorted(_shown(r.repository) for r in given.repositories)
    critical = [(row[0], _unmentioned(row[1])) for row in page.sections["Critical projects"].rows[1:]]
    assert critical == [(str(c.rank), _shown(c.project)) for c in sorted(given.critical, key=lambda c: c.rank)]


def test_the_factory_is_hostile_enough() -> None:
    """The names below must reach the report, or the escaping tests test nothing."""
    given = overview(snapshots=3)
    names = {r.repository for r in given.repositories} | {c.project for c in given.critical}
    assert set(HOSTILE_REPOSITORIES) | set(HOSTILE_PROJECTS) <= names
    assert any("|" in n for n in names) and any("\x1b" in n for n in names) and any("\u202e" in n for n in names)
    assert any("\n" in n for n in names) and any("`" in n for n in names) and any("\\" in n for n in names)


def test_no_name_becomes_markup() -> None:
    markdown = render_markdown(overview(snapshots=3))
    page = rendered(markdown)
    assert set(page.tags) <= ALLOWED_TAGS, set(page.tags) - ALLOWED_TAGS
    assert SCRIPT not in markdown and "<img" not in markdown
    assert "&lt;script&gt;" in markdown


def test_no_control_character_reaches_the_text(given: OrganizationOverview) -> None:
    markdown = render_markdown(given)
    lines = markdown.split("\n")
    assert not _INVISIBLE.search(markdown.replace("\n", ""))
    table_lines = [line for line in lines if line.startswith("|")]
    assert all(line.endswith("|") for line in table_lines)


def test_the_summary_names_the_snapshot_and_its_totals(given: OrganizationOverview) -> None:
    summary = rendered(render_markdown(given)).sections["Summary"].text
    snapshot = given.snapshot
    assert f"snapshot {snapshot.id}" in summary and snapshot.taken_at in summary
    assert f"Repositories: {snapshot.repositories}" in summary
    assert f"Components: {snapshot.components}" in summary
    assert f"Gaps: {sum(n for _, n in given.gaps_by_code)}" in summary
    if snapshot.label:
        assert _shown(snapshot.label) in summary


def test_trends_have_a_row_per_snapshot_with_its_new_licenses(given: OrganizationOverview) -> None:
    rows = rendered(render_markdown(given)).sections["Trends"].rows[1:]
    assert [row[1:5] for row in rows] == [[p.snapshot.taken_at, str(p.components), str(p.repositories), str(p.gaps)] for p in given.trends]
    assert [row[5] for row in rows] == [", ".join(p.new_licenses) or "none" for p in given.trends]


def test_an_empty_organization_says_so_instead_of_empty_tables() -> None:
    page = rendered(render_markdown(empty_overview()))
    for name, sentence in (("Repositories", "No repository"), ("Critical projects", "No upstream project"), ("Gaps by code", "No compliance gap")):
        assert page.sections[name].rows == [] and sentence in page.sections[name].text


def test_rendering_twice_gives_the_same_text(given: OrganizationOverview) -> None:
    assert render_markdown(given) == render_markdown(given)
