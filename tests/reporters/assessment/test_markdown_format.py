"""The assessment markdown, read as GitHub would render it: every question, fact and
readiness reason is there, as text, and no name adds a column, a tag or a control
character to the page."""

from __future__ import annotations

import re

import pytest

from ospo_scan.assessment.model import Assessment, Question
from ospo_scan.reporters.assessment import render_markdown
from tests.reporters.assessment.factory import BILLING, REPOSITORIES, SCRIPT, WEB, assessment, empty_assessment
from tests.reporters.organization.rendered_markdown import rendered

CASES = {"two-repositories": assessment, "empty": empty_assessment}
ALLOWED_TAGS = {"h1", "h2", "h3", "ul", "li", "p", "strong", "table", "thead", "tbody", "tr", "th", "td"}
AFTER_THE_ANSWERS = ["Repositories", "Checks", "Policies and CI gates"]

_INVISIBLE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]")


@pytest.fixture(params=sorted(CASES))
def given(request: pytest.FixtureRequest) -> Assessment:
    built: Assessment = CASES[request.param]()
    return built


def _shown(value: str) -> str:
    """What a reader sees of a value: invisible characters gone (as spaces), nothing else changed."""
    return _INVISIBLE.sub(" ", value).strip()


def _page_text(markdown: str) -> str:
    page = rendered(markdown)
    return "\n".join(section.heading + "\n" + section.text + "\n" + "\n".join("\t".join(row) for row in section.rows) for section in page.sections.values())


def test_one_section_per_question_in_order_then_the_rest(given: Assessment) -> None:
    page = rendered(render_markdown(given))
    titles = [next(a.title for a in given.answers if a.question is q) for q in Question]
    assert list(page.sections)[1:] == ["Overall maturity", *titles, *AFTER_THE_ANSWERS]


def test_every_fact_readiness_reason_and_stage_is_shown() -> None:
    given = assessment()
    text = _page_text(render_markdown(given))
    for answer in given.answers:
        assert _shown(answer.summary) in text
        for fact in answer.facts:
            assert _shown(fact) in text, fact
        for figure in answer.figures:
            assert figure.label in text
    for profile in given.profiles:
        for item in profile.readiness:
            assert _shown(item.reason) in text, item.reason
        for result in profile.checks:
            assert result.path is None or _shown(result.path) in text
    for stage in (given.maturity, *(a.maturity for a in given.answers if a.maturity)):
        assert stage.name in text
        assert all(line in text for line in (*stage.evidence, *stage.missing))


def test_the_checks_table_says_how_each_is_detected() -> None:
    given = assessment()
    rows = rendered(render_markdown(given)).sections["Checks"].rows
    assert rows[0] == ["id", "description", "how detected", "severity", "source"]
    assert rows[1:] == [[_shown(c.id), _shown(c.description), c.detection, c.severity.value, c.source] for c in given.checks]


def test_the_repositories_table_lists_both_by_name() -> None:
    rows = rendered(render_markdown(assessment())).sections["Repositories"].rows
    assert [row[0] for row in rows[1:3]] == [_shown(BILLING), _shown(WEB)]
    assert len(rows[1]) == len(rows[2]) == len(rows[0]) == 7


def test_hostile_names_add_no_tag_no_column_and_no_control(given: Assessment) -> None:
    markdown = render_markdown(given)
    page = rendered(markdown)
    assert set(page.tags) <= ALLOWED_TAGS
    assert SCRIPT not in markdown and "\x1b" not in markdown and "\u202e" not in markdown
    assert not _INVISIBLE.search(markdown.replace("\n", ""))


def _separators(line: str) -> int:
    """Unescaped pipes in a table line: a backslash escapes the one character after it."""
    return sum(1 for token in re.findall(r"\\.|\|", line) if token == "|")


def test_every_table_line_has_as_many_pipes_as_its_header(given: Assessment) -> None:
    """Counted in the text: a renderer pads or cuts rows to the header's width, which
    would hide a name that split its cell."""
    for block in re.findall(r"(?:^\|.*\n)+", render_markdown(given), flags=re.MULTILINE):
        lines = block.splitlines()
        assert {_separators(line) for line in lines} == {_separators(lines[0])}, block


def test_hostile_names_read_as_themselves() -> None:
    text = _page_text(render_markdown(assessment()))
    for name in REPOSITORIES:
        assert _shown(name) in text
    assert "[bold]rich[/] [/]" in text and "<script>" in text  # as text, not a tag


def test_unread_files_and_another_tools_policy_file_are_said_to_be_unread() -> None:
    given = assessment()
    text = _page_text(render_markdown(given))
    assert "2 files could not be read; the numbers lack what they hold:" in text
    assert all(_shown(message) in text for message in given.unread)
    policies = rendered(render_markdown(given)).sections["Policies and CI gates"].rows
    fossa = next(row for row in policies if ".fossa.yml" in row)
    assert fossa[2:7] == ["fossa", "not read", "not read", "not read", "not read"]


def test_the_empty_assessment_says_so() -> None:
    markdown = render_markdown(empty_assessment())
    for sentence in ("No repository was assessed.", "No check was run.", "No policy file found in any repository.", "No CI definition runs a scanner."):
        assert sentence in markdown
