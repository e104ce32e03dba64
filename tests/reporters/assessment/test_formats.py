"""Every assessment format: it renders, the same assessment gives the same bytes, and
the order the builders gave the repositories and answers in does not matter."""

from __future__ import annotations

from dataclasses import replace

import pytest

from ospo_scan.assessment.model import Assessment
from ospo_scan.reporters.assessment import AssessmentFormat, render
from tests.reporters.assessment.factory import assessment, empty_assessment

CASES = {"two-repositories": assessment, "empty": empty_assessment}


@pytest.fixture(params=sorted(CASES))
def given(request: pytest.FixtureRequest) -> Assessment:
    built: Assessment = CASES[request.param]()
    return built


@pytest.mark.parametrize("fmt", list(AssessmentFormat), ids=lambda fmt: fmt.value)
@pytest.mark.parametrize("pretty", [False, True], ids=["compact", "pretty"])
def test_every_format_renders_the_same_bytes_twice(given: Assessment, fmt: AssessmentFormat, pretty: bool) -> None:
    first = render(given, fmt, pretty)
    assert first.strip() and first.endswith("\n")
    assert render(given, fmt, pretty) == first
    assert render(Assessment(**{name: getattr(given, name) for name in Assessment.__dataclass_fields__}), fmt, pretty) == first


@pytest.mark.parametrize("fmt", list(AssessmentFormat), ids=lambda fmt: fmt.value)
def test_the_builders_order_does_not_change_a_byte(fmt: AssessmentFormat) -> None:
    given = assessment()
    shuffled = replace(
        given,
        answers=tuple(reversed(given.answers)),
        profiles=tuple(
            replace(p, checks=tuple(reversed(p.checks)), readiness=tuple(reversed(p.readiness)), ci_gates=tuple(reversed(p.ci_gates)))
            for p in reversed(given.profiles)
        ),
    )
    assert render(shuffled, fmt) == render(given, fmt)


def test_only_the_json_has_a_pretty_form() -> None:
    given = assessment()
    for fmt in AssessmentFormat:
        same = render(given, fmt, pretty=False) == render(given, fmt, pretty=True)
        assert same is (fmt is not AssessmentFormat.JSON), fmt


def test_no_clock_but_the_assessment_date() -> None:
    """Two assessments a day apart differ only where `assessed_on` is written."""
    given = assessment()
    later = replace(given, assessed_on=given.assessed_on.replace(day=given.assessed_on.day + 1))
    for fmt in AssessmentFormat:
        before, after = render(given, fmt), render(later, fmt)
        assert before.replace(given.assessed_on.isoformat(), later.assessed_on.isoformat()) == after, fmt
