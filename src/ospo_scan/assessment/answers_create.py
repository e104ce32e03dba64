"""The create and policies answers, read off the repository profiles.

A repository has *no license* when it has neither a license file nor a license declared
in a manifest. A readiness item *blocks* publication when its severity is required; the
recommended ones are expected of a healthy project, not blocking. Rules and exceptions
are counted in ospo-scan's policy files only: another tool's file is found by name and
not read (`PolicyFileFact.tool`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date

from ospo_scan.analysis.wording import count, listing
from ospo_scan.assessment.answers_base import agrees, answer, ranked_counts
from ospo_scan.assessment.maturity import Criteria, create_stage, policies_stage
from ospo_scan.assessment.model import (
    Answer,
    Check,
    CheckSeverity,
    CheckStatus,
    PolicyFileFact,
    Question,
    RepositoryProfile,
    Table,
)
from ospo_scan.policy.model import RuleSeverity
from ospo_scan.policy.violation import Violation

OSPO_SCAN = "ospo-scan"


def answer_create(profiles: Sequence[RepositoryProfile], criteria: Criteria) -> Answer:
    """Own licenses, their agreement, health-file coverage, publication readiness."""
    n = len(profiles)
    osi = [p for p in profiles if p.own_license.osi_approved is True]
    unlicensed = [p.repository for p in profiles if has_no_license(p)]
    disagreeing = [p for p in profiles if p.own_license.agreement is False]
    ready = [p for p in profiles if not blocking(p)]
    coverage = check_coverage(profiles)
    figures: list[tuple[str, int | float | str]] = [
        ("repositories", n),
        ("OSI-approved license", len(osi)),
        ("no license", len(unlicensed)),
        ("license disagreements", len(disagreeing)),
        ("ready to publish", len(ready)),
    ]
    figures.extend((f"{check.id} found", found) for check, found, _ in coverage)
    if not profiles:
        return answer(Question.CREATE, "No repository was profiled: what the organization creates is not known.", figures, ["No repository was profiled: what the organization creates is not known."])
    summary = f"{len(osi)} of {count(n, 'repository')} {agrees(len(osi), 'has', 'have')} an OSI-approved license of its own; {len(ready)} of {n} {agrees(len(ready), 'has', 'have')} nothing blocking publication."
    facts = [
        _license_fact(profiles, len(osi), unlicensed),
        _agreement_fact(profiles, disagreeing),
        _coverage_fact(coverage, n),
        _readiness_fact(profiles, len(ready)),
    ]
    errors = sorted(e for p in profiles for e in p.errors)
    if errors:
        facts.append(f"{count(len(errors), 'file')} could not be read while profiling: {listing(errors, limit=3)}.")
    rows = tuple(_create_row(p) for p in sorted(profiles, key=lambda p: p.repository))
    table = Table(columns=("repository", "license", "OSI-approved", "health files", "blocking", "problem"), rows=rows)
    return answer(Question.CREATE, summary, figures, facts, table, create_stage(criteria))


def has_no_license(profile: RepositoryProfile) -> bool:
    """Neither a license file nor a declared license."""
    return profile.own_license.file is None and not profile.own_license.declared


def blocking(profile: RepositoryProfile) -> list[str]:
    """The readiness items that block publication (required ones), by id."""
    return sorted(item.id for item in profile.readiness if item.severity is CheckSeverity.REQUIRED)


def check_coverage(profiles: Sequence[RepositoryProfile]) -> list[tuple[Check, int, int]]:
    """(check, repositories where it is found, repositories where it applies), in the
    order the checks were run (the first profile's, then any another adds)."""
    checks: dict[str, Check] = {}
    found: Counter[str] = Counter()
    applies: Counter[str] = Counter()
    for profile in sorted(profiles, key=lambda p: p.repository):
        for result in profile.checks:
            checks.setdefault(result.check.id, result.check)
            found[result.check.id] += result.status is CheckStatus.FOUND
            applies[result.check.id] += result.status is not CheckStatus.NOT_APPLICABLE
    return [(check, found[key], applies[key]) for key, check in checks.items()]


def _license_fact(profiles: Sequence[RepositoryProfile], osi: int, unlicensed: list[str]) -> str:
    n = len(profiles)
    text = f"{osi} of {count(n, 'repository')} {agrees(osi, 'has', 'have')} an OSI-approved license of its own"
    if unlicensed:
        text += f"; {len(unlicensed)} {agrees(len(unlicensed), 'has', 'have')} none (no license file, no declaration): {listing(sorted(unlicensed))}"
    other = n - osi - len(unlicensed)
    if other:
        text += f"; {other} {agrees(other, 'has', 'have')} a license that is not OSI-approved or not recognized"
    return text + "."


def _agreement_fact(profiles: Sequence[RepositoryProfile], disagreeing: list[RepositoryProfile]) -> str:
    if disagreeing:
        named = [f"{p.repository} ({p.own_license.problem or 'the license file and the declarations differ'})" for p in sorted(disagreeing, key=lambda p: p.repository)]
        return f"In {count(len(disagreeing), 'repository')} the license file and the manifests' declarations disagree: {listing(named)}."
    compared = sum(1 for p in profiles if p.own_license.agreement is True)
    if not compared:
        return "No repository has both a license file and a declared license to compare."
    return f"In the {count(compared, 'repository')} with both, the license file and the declared license agree."


def _coverage_fact(coverage: list[tuple[Check, int, int]], n: int) -> str:
    if not coverage:
        return "No health-file check was run."
    parts = [f"{check.id} in {found} of {applies}" + (" (required)" if check.severity is CheckSeverity.REQUIRED else "") for check, found, applies in coverage]
    return f"Health files across the {count(n, 'repository')}, found where each applies: {', '.join(parts)}."


def _readiness_fact(profiles: Sequence[RepositoryProfile], ready: int) -> str:
    text = f"{ready} of {count(len(profiles), 'repository')} {agrees(ready, 'has', 'have')} nothing blocking publication"
    items = ranked_counts(Counter(i for p in profiles for i in blocking(p)).items())
    if items:
        text += f"; the most common blocking items: {listing([f'{item} ({number})' for item, number in items])}"
    return text + "."


def _create_row(profile: RepositoryProfile) -> tuple[str, ...]:
    own = profile.own_license
    osi = {True: "yes", False: "no", None: "-"}[own.osi_approved]
    applying = [r for r in profile.checks if r.status is not CheckStatus.NOT_APPLICABLE]
    found = sum(1 for r in applying if r.status is CheckStatus.FOUND)
    return (profile.repository, own.expression or "none", osi, f"{found} of {len(applying)}", ", ".join(blocking(profile)) or "none", own.problem or "")


def answer_policies(profiles: Sequence[RepositoryProfile], criteria: Criteria, violations: Sequence[Violation] | None) -> Answer:
    """Policy files (ospo-scan's and other tools'), their rules and exceptions, CI gates."""
    n = len(profiles)
    files = [f for p in profiles for f in p.policy_files]
    ours = sum(1 for f in files if is_ospo_scan_policy(f))
    with_file = sum(1 for p in profiles if p.policy_files)
    expiries = sorted(f.next_expiry for f in files if f.next_expiry is not None)
    figures: list[tuple[str, int | float | str]] = [
        ("repositories", n),
        ("with a policy file", with_file),
        ("policy files", len(files)),
        ("ospo-scan policy files", ours),
        ("other tools' policy files", len(files) - ours),
        ("rules", sum(f.rules for f in files)),
        ("exceptions", sum(f.exceptions for f in files)),
        ("expired exceptions", sum(f.expired_exceptions for f in files)),
        ("next expiry", expiries[0].isoformat() if expiries else "none"),
        ("with a CI gate", criteria.with_gate),
    ]
    figures.extend((f"CI gate: {tool}", repositories) for tool, repositories in criteria.gate_tools)
    if not profiles:
        nothing = "No repository was profiled: policy files and CI gates are not known."
        return answer(Question.POLICIES, nothing, figures, [nothing, _evaluated_fact(violations)])
    summary = f"{with_file} of {count(n, 'repository')} {agrees(with_file, 'has', 'have')} a policy file; {criteria.with_gate} of {n} {agrees(criteria.with_gate, 'runs', 'run')} a scanner in CI."
    facts = [_files_fact(n, with_file, files, ours)]
    read = [f for f in files if is_ospo_scan_policy(f) and f.error is None]
    if read:
        facts.append(_exceptions_fact(read, expiries[0] if expiries else None))
    unreadable = sorted(f"{p.repository}: {f.path} ({f.error})" for p in profiles for f in p.policy_files if f.error is not None)
    if unreadable:
        facts.append(f"{count(len(unreadable), 'policy file')} could not be read: {listing(unreadable)}.")
    facts.append(_gates_fact(criteria))
    facts.append(_evaluated_fact(violations))
    rows = tuple(_policy_row(p) for p in sorted(profiles, key=lambda p: p.repository))
    table = Table(columns=("repository", "policy files", "rules", "exceptions", "expired", "next expiry", "CI gates"), rows=rows)
    return answer(Question.POLICIES, summary, figures, facts, table, policies_stage(criteria))


def is_ospo_scan_policy(fact: PolicyFileFact) -> bool:
    return fact.tool == OSPO_SCAN


def _files_fact(n: int, with_file: int, files: list[PolicyFileFact], ours: int) -> str:
    if not files:
        return "No policy file was found in the repository." if n == 1 else f"No policy file was found in any of the {count(n, 'repository')}."
    text = f"{with_file} of {count(n, 'repository')} {agrees(with_file, 'has', 'have')} a policy file ({count(len(files), 'file')}: {ours} ospo-scan's, {len(files) - ours} other tools'"
    others = sorted({f.tool for f in files if not is_ospo_scan_policy(f)})
    return text + (f": {listing(others, limit=5)})." if others else ").")


def _exceptions_fact(files: list[PolicyFileFact], next_expiry: date | None) -> str:
    expired = sum(f.expired_exceptions for f in files)
    text = f"ospo-scan's policy {'file holds' if len(files) == 1 else 'files hold'} {count(sum(f.rules for f in files), 'rule')} and {count(sum(f.exceptions for f in files), 'exception')}"
    text += f"; {expired} {agrees(expired, 'has', 'have')} expired and {agrees(expired, 'silences', 'silence')} nothing" if expired else "; none has expired"
    return text + (f"; the next expires on {next_expiry.isoformat()}." if next_expiry else ".")


def _gates_fact(criteria: Criteria) -> str:
    if not criteria.gate_tools:
        where = "the repository" if criteria.repositories == 1 else f"the {count(criteria.repositories, 'repository')}"
        return f"No CI definition in {where} runs a scanner (ospo-scan or another)."
    tools = listing([f"{tool} in {count(n, 'repository')}" for tool, n in criteria.gate_tools], limit=5)
    return f"{criteria.with_gate} of {count(criteria.repositories, 'repository')} {agrees(criteria.with_gate, 'runs', 'run')} a scanner in CI: {tools}."


def _evaluated_fact(violations: Sequence[Violation] | None) -> str:
    if violations is None:
        return "No policy was evaluated with this assessment: its violations are not among the risks."
    failing = sum(1 for v in violations if v.severity is RuleSeverity.ERROR)
    return f"The evaluated policy reports {count(len(violations), 'violation')}, {failing} failing the gate (see the risks)."


def _policy_row(profile: RepositoryProfile) -> tuple[str, ...]:
    files = profile.policy_files
    expiries = sorted(f.next_expiry for f in files if f.next_expiry is not None)
    return (
        profile.repository,
        ", ".join(sorted(f.path for f in files)) or "none",
        str(sum(f.rules for f in files)),
        str(sum(f.exceptions for f in files)),
        str(sum(f.expired_exceptions for f in files)),
        expiries[0].isoformat() if expiries else "-",
        ", ".join(sorted({g.tool for g in profile.ci_gates})) or "none",
    )
