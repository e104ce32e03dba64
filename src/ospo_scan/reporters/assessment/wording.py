"""The phrases every assessment renderer shows, written once so that the table, the
markdown and the HTML page say the same thing in the same words.

Everything returned is plain text: each renderer escapes it its own way (a phrase
may hold a repository's file names, which strangers choose).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ospo_scan.analysis.wording import count
from ospo_scan.assessment.model import (
    Assessment,
    Check,
    CheckResult,
    CheckStatus,
    DeclaredLicense,
    Figure,
    MaturityStage,
    OwnLicense,
    PolicyFileFact,
    RepositoryProfile,
)

MAX_STAGE = 4
"""The TODO Group's model has five stages, 0 to 4."""


def figure_value(value: int | float | str) -> str:
    """A figure as shown: floats to two decimals at most (`66.67`, `0.5`), others as they are."""
    if isinstance(value, bool) or not isinstance(value, float):
        return str(value)
    if not math.isfinite(value):
        return str(value)
    shown = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if shown == "-0" else shown


def figure_text(figure: Figure) -> str:
    """`components: 312`."""
    return f"{figure.label}: {figure_value(figure.value)}"


def stage_text(stage: MaturityStage) -> str:
    """`stage 2 of 4, Engaged`, or why there is no stage."""
    if stage.stage is None:
        return f"not placed ({stage.name})" if stage.name else "not placed: the data cannot place a stage"
    return f"stage {stage.stage} of {MAX_STAGE}, {stage.name}"


def meta(assessment: Assessment) -> str:
    """The line under the title: what was assessed, when, and how many repositories."""
    return f"{assessment.source} · assessed on {assessment.assessed_on.isoformat()} · {count(len(assessment.profiles), 'repository')}"


def license_text(own: OwnLicense) -> str:
    """The repository's own license expression, or `none found`."""
    return own.expression or "none found"


def flag(value: bool | None, unknown: str = "unknown") -> str:
    """`yes`, `no`, or what None means in that column."""
    if value is None:
        return unknown
    return "yes" if value else "no"


def declared_text(declared: tuple[DeclaredLicense, ...]) -> str:
    """`MIT (package.json); Apache 2 (setup.cfg, not an SPDX expression)`."""
    return "; ".join(_declared(item) for item in declared) or "none"


def _declared(item: DeclaredLicense) -> str:
    if item.expression is None:
        return f"{item.declared} ({item.manifest}, not an SPDX expression)"
    if item.expression != item.declared:
        return f"{item.expression} ({item.manifest}, written {item.declared})"
    return f"{item.expression} ({item.manifest})"


def license_file_text(own: OwnLicense) -> str:
    """`LICENSE (Apache-2.0)`, `LICENSE (not recognized)` or `none`."""
    if own.file is None:
        return "none"
    return f"{own.file} ({own.file_expression or 'not recognized'})"


def status_text(result: CheckResult) -> str:
    """`found: docs/SECURITY.md`, `missing`, `missing: README.md does not match /license/`."""
    if result.status is CheckStatus.FOUND:
        return f"found: {result.path}" if result.path else "found"
    if result.status is CheckStatus.NOT_APPLICABLE:
        return "not applicable"
    return f"missing: {result.detail}" if result.detail else "missing"


def results_with(profile: RepositoryProfile, status: CheckStatus) -> list[CheckResult]:
    """The profile's check results of one status, in the checks table's order."""
    return [result for result in profile.checks if result.status is status]


def check_list(results: list[CheckResult], paths: bool = False) -> str:
    """`license (LICENSE), security-policy (SECURITY.md)`, or `none`."""
    shown = [f"{r.check.id} ({r.path})" if paths and r.path else r.check.id for r in results]
    return ", ".join(shown) or "none"


def missing_list(results: list[CheckResult]) -> str:
    """`security-policy; readme-license (README.md does not match /license/)`, or `none`."""
    return "; ".join(f"{r.check.id} ({r.detail})" if r.detail else r.check.id for r in results) or "none"


OWN_TOOL = "ospo-scan"
"""The only tool whose policy file is read; another's is found by name alone."""
NOT_READ = "not read"


def policy_counts(fact: PolicyFileFact) -> tuple[int | str, int | str, int | str]:
    """Rules, exceptions and expired exceptions; `not read` for another tool's file,
    whose zeros mean that, never "no rules"."""
    if fact.tool != OWN_TOOL:
        return (NOT_READ, NOT_READ, NOT_READ)
    return (fact.rules, fact.exceptions, fact.expired_exceptions)


def expiry_text(fact: PolicyFileFact) -> str:
    """When its next exception expires, `none to come`, or `not read` (another tool's file)."""
    if fact.tool != OWN_TOOL:
        return NOT_READ
    return fact.next_expiry.isoformat() if fact.next_expiry else "none to come"


def unread_text(assessment: Assessment) -> str:
    """The sentence above the list of files the scan could not read."""
    return f"{count(len(assessment.unread), 'file')} could not be read; the numbers lack what they hold:"


@dataclass(frozen=True, slots=True)
class Coverage:
    """How many repositories have one check's file, lack it, or are not concerned."""

    check: Check
    found: int
    missing: int
    not_applicable: int


def coverage(assessment: Assessment) -> list[Coverage]:
    """One entry per check of the checks table, in its order."""
    return [_coverage(check, assessment.profiles) for check in assessment.checks]


def _coverage(check: Check, profiles: tuple[RepositoryProfile, ...]) -> Coverage:
    statuses = [result.status for profile in profiles for result in profile.checks if result.check.id == check.id]
    return Coverage(check, statuses.count(CheckStatus.FOUND), statuses.count(CheckStatus.MISSING), statuses.count(CheckStatus.NOT_APPLICABLE))
