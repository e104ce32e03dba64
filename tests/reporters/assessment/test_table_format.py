"""The assessment on a terminal: every answer and repository is there, and nothing a
repository holds reaches the terminal as an escape sequence, a bidi override or rich
markup (which would restyle the screen, reorder a name, or crash rich on `[/]`)."""

from __future__ import annotations

import io
import re

import pytest

from ospo_scan.assessment.model import Assessment
from ospo_scan.reporters.assessment import AssessmentFormat, render, render_table
from ospo_scan.reporters.terminal_text import plain_text
from tests.reporters.assessment.factory import BILLING, WEB, assessment, empty_assessment

CASES = {"two-repositories": assessment, "empty": empty_assessment}
_FROM_NAMES = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")
"""Every control but the newline, and every bidi or separator character."""
_STYLE = re.compile(r"\x1b\[[0-9;]*m")
"""The SGR sequences rich writes itself on a terminal (colours, bold)."""


@pytest.fixture(params=sorted(CASES))
def given(request: pytest.FixtureRequest) -> Assessment:
    built: Assessment = CASES[request.param]()
    return built


def _terminal(given: Assessment) -> str:
    stream = io.StringIO()
    render_table(given, stream, is_terminal=True)
    return stream.getvalue()


def test_not_on_a_terminal_there_is_no_escape_at_all(given: Assessment) -> None:
    text = render(given, AssessmentFormat.TABLE)
    assert not _FROM_NAMES.search(text)


def test_on_a_terminal_only_richs_own_styles(given: Assessment, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    text = _terminal(given)
    assert not _FROM_NAMES.search(_STYLE.sub("", text))
    assert "\x1b[31mred" not in text


def test_no_color_is_obeyed_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """No colour (bold and dim stay: no-color.org asks for no colour only)."""
    monkeypatch.setenv("NO_COLOR", "1")
    parameters = [int(p) for sgr in _STYLE.findall(_terminal(assessment())) for p in sgr[2:-1].split(";") if p]
    assert parameters and not [p for p in parameters if 30 <= p <= 49 or 90 <= p <= 107]


def test_every_answer_and_fact_is_shown_with_names_spelled_out() -> None:
    given = assessment()
    text = render(given, AssessmentFormat.TABLE)
    for answer in given.answers:
        assert answer.title in text and answer.summary in text
        for fact in answer.facts:
            assert plain_text(fact) in text, fact
    assert f"{plain_text(BILLING)} has no license file" in text
    assert "billing-\\x1b[31mred\\x1b[0m-svc\\u202egnp.exe [bold]rich[/] [/]" in text  # markup shown, not applied
    for heading in ("Overall maturity", "Repositories: 2", "Health checks", "Before publishing", "Checks: 6", "Policy files", "CI gates"):
        assert heading in text, heading


def test_both_repositories_and_every_readiness_reason_are_in_the_tables() -> None:
    given = assessment()
    flat = re.sub(r"[\s│┃]+", " ", render(given, AssessmentFormat.TABLE))
    for name in (WEB, BILLING):
        assert plain_text(name).split(" ")[0][:20] in flat
    for profile in given.profiles:
        for item in profile.readiness:
            assert item.id in flat


def test_the_width_is_fixed_when_not_on_a_terminal() -> None:
    lines = render(assessment(), AssessmentFormat.TABLE).splitlines()
    assert max(len(line) for line in lines) <= 120


def test_the_empty_assessment_says_so() -> None:
    text = render(empty_assessment(), AssessmentFormat.TABLE)
    for sentence in ("Repositories: none was assessed.", "Checks: none was run.", "Policy files: none found in any repository.", "CI gates: no CI definition runs a scanner."):
        assert sentence in text
