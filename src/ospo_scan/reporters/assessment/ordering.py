"""The one order every assessment report shows an assessment in.

The builders may gather repositories in the order the file system lists them, which
differs between machines. Sorting here, once, before any renderer sees the assessment,
makes the table, markdown, HTML and JSON of the same data agree row for row and give
the same bytes whatever order the profiles were built in.

Orders that carry meaning are kept: the facts of an answer (most telling first), its
figures and table rows, a maturity stage's evidence, and the checks table (the
built-in checks in their designed order, then each settings file's in its own).
"""

from __future__ import annotations

from dataclasses import replace

from ospo_scan.assessment.model import (
    Answer,
    Assessment,
    CheckResult,
    CheckSeverity,
    CiGate,
    PolicyFileFact,
    Question,
    ReadinessItem,
    RepositoryProfile,
)

SEVERITIES = tuple(CheckSeverity)
"""Worst first: required, recommended, optional."""
QUESTIONS = tuple(Question)
"""In the order they are asked."""


def ordered(assessment: Assessment) -> Assessment:
    """The same assessment with every collection in its report order."""
    positions = {check.id: position for position, check in enumerate(assessment.checks)}
    return replace(
        assessment,
        answers=tuple(sorted(assessment.answers, key=_answer_key)),
        profiles=tuple(sorted((_profile(p, positions) for p in assessment.profiles), key=lambda p: p.repository)),
        unread=tuple(sorted(assessment.unread)),
    )


def _answer_key(answer: Answer) -> tuple[int, str]:
    return (QUESTIONS.index(answer.question), answer.title)


def _profile(profile: RepositoryProfile, positions: dict[str, int]) -> RepositoryProfile:
    def result_key(result: CheckResult) -> tuple[int, str]:
        """The checks table's order; a check missing from the table (none should be) last."""
        return (positions.get(result.check.id, len(positions)), result.check.id)

    return replace(
        profile,
        checks=tuple(sorted(profile.checks, key=result_key)),
        readiness=tuple(sorted(profile.readiness, key=_readiness_key)),
        policy_files=tuple(sorted(profile.policy_files, key=_policy_key)),
        ci_gates=tuple(sorted(profile.ci_gates, key=_gate_key)),
        errors=tuple(sorted(profile.errors)),
    )


def _readiness_key(item: ReadinessItem) -> tuple[int, str, str]:
    """Worst first: what blocks publication before what is merely expected."""
    return (SEVERITIES.index(item.severity), item.id, item.reason)


def _policy_key(fact: PolicyFileFact) -> tuple[str, str]:
    return (fact.path, fact.tool)


def _gate_key(gate: CiGate) -> tuple[str, int, str]:
    return (gate.path, gate.line or 0, gate.tool)
