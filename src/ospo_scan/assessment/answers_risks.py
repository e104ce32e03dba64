"""The risks answer: the analysis's gaps and the policy's violations, grouped by kind, worst first.

A risk is one kind of problem (a gap code, or a broken policy rule) at one severity,
with how often it occurs and where. Gaps and violations share one scale: a gap's high,
medium, low; a violation's error, warning, review map onto them in that order (an
error fails the gate as a high gap needs action first). Risks are ordered by
severity, then by how often they occur (most first), then by name.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from ospo_scan.analysis import Analysis
from ospo_scan.analysis.gaps import GAP_KINDS, GapSeverity
from ospo_scan.analysis.wording import count, listing
from ospo_scan.assessment.answers_base import agrees, answer, repository_names, sentence
from ospo_scan.assessment.model import Answer, Question, Table
from ospo_scan.model import Inventory, Location
from ospo_scan.policy.model import RuleSeverity
from ospo_scan.policy.violation import Violation

TOP_RISKS = 10
"""Rows of the risks table."""

VIOLATION_SEVERITY = {RuleSeverity.ERROR: GapSeverity.HIGH, RuleSeverity.WARNING: GapSeverity.MEDIUM, RuleSeverity.REVIEW: GapSeverity.LOW}


@dataclass(frozen=True, slots=True, kw_only=True)
class Risk:
    """One kind of problem at one severity, every place it occurs."""

    what: str
    severity: GapSeverity
    occurrences: int
    repositories: tuple[tuple[str, int], ...]
    """(repository, occurrences there), most first."""
    first: Location | None
    example: str

    @property
    def where(self) -> str:
        """The repositories, or the first place when there is one repository."""
        if len(self.repositories) > 1 or self.first is None:
            return listing([f"{name} ({n})" for name, n in self.repositories], limit=3) or "the inventory"
        return f"{self.first.path}:{self.first.line}" if self.first.line else self.first.path


def answer_risks(analysis: Analysis, inventory: Inventory, violations: Sequence[Violation] | None) -> Answer:
    """Every gap and violation, grouped into risks, worst first."""
    risks = collect_risks(analysis, inventory, violations)
    by_severity = Counter(r.severity for r in risks for _ in range(r.occurrences))
    total = sum(r.occurrences for r in risks)
    failing = sum(1 for v in violations or () if v.severity is RuleSeverity.ERROR)
    figures: list[tuple[str, int | float | str]] = [("risks", total)]
    figures.extend((severity.value, by_severity[severity]) for severity in GapSeverity)
    figures.append(("gaps", len(analysis.gaps.gaps)))
    figures.append(("policy violations", len(violations) if violations is not None else "not evaluated"))
    figures.append(("failing the gate", failing))
    if not risks:
        summary = "No gap was found" + (" and no policy rule is broken." if violations is not None else "; no policy was evaluated.")
        facts = [summary, _policy_fact(violations, failing), f"The inventory covers {count(analysis.usage.totals.components, 'third-party component')} in {count(analysis.usage.repositories, 'repository')}."]
        return answer(Question.RISKS, summary, figures, facts, Table(columns=_COLUMNS, rows=()))
    worst = risks[0]
    split = ", ".join(f"{by_severity[s]} {s.value}" for s in GapSeverity)
    summary = f"{count(total, 'risk')} ({split}); the worst: {worst.what} ({worst.occurrences}) in {worst.where}."
    facts = [
        f"The worst: {worst.what}, {worst.severity.value}, {count(worst.occurrences, 'time')} in {worst.where}; for example: {sentence(worst.example)}",
        f"{count(len(risks), 'kind')} of risk: {split}.",
        "The most frequent: " + listing([f"{r.what} ({r.occurrences})" for r in sorted(risks, key=lambda r: (-r.occurrences, r.severity.order, r.what))], limit=3) + ".",
    ]
    affected = _by_repository(risks)
    if len(affected) > 1:
        facts.append(f"Most affected: {listing([f'{name} ({n})' for name, n in affected], limit=3)}.")
    facts.append(_policy_fact(violations, failing))
    rows = tuple((r.severity.value, r.what, str(r.occurrences), r.where, r.example) for r in risks[:TOP_RISKS])
    return answer(Question.RISKS, summary, figures, facts, Table(columns=_COLUMNS, rows=rows))


_COLUMNS = ("severity", "risk", "count", "where", "example")


def collect_risks(analysis: Analysis, inventory: Inventory, violations: Sequence[Violation] | None) -> list[Risk]:
    """Gaps by (code, severity) and violations by (rule, severity), worst first."""
    place = _Placer(inventory)
    groups: dict[tuple[str, GapSeverity], list[tuple[str | None, Location | None, str]]] = defaultdict(list)
    for gap in analysis.gaps.gaps:
        kind = GAP_KINDS.get(gap.code)
        groups[(kind.title if kind else gap.code, gap.severity)].append((place(gap.project, gap.location), gap.location, gap.message))
    for violation in violations or ():
        what = f"policy rule {violation.rule} ({violation.kind.value})"
        groups[(what, VIOLATION_SEVERITY[violation.severity])].append((place(violation.project, violation.location), violation.location, violation.message))
    risks = [_risk(what, severity, members) for (what, severity), members in groups.items()]
    return sorted(risks, key=lambda r: (r.severity.order, -r.occurrences, r.what))


def _risk(what: str, severity: GapSeverity, members: list[tuple[str | None, Location | None, str]]) -> Risk:
    members = sorted(members, key=_member_key)
    repositories = Counter(repository for repository, _, _ in members if repository is not None)
    first = next((location for _, location, _ in members if location is not None and location.path), None)
    return Risk(
        what=what,
        severity=severity,
        occurrences=len(members),
        repositories=tuple(sorted(repositories.items(), key=lambda pair: (-pair[1], pair[0]))),
        first=first,
        example=members[0][2],
    )


def _member_key(member: tuple[str | None, Location | None, str]) -> tuple[str, int, str]:
    _, location, message = member
    return (location.path, location.line or 0, message) if location else ("", 0, message)


def _by_repository(risks: list[Risk]) -> list[tuple[str, int]]:
    totals: Counter[str] = Counter()
    for risk in risks:
        for name, n in risk.repositories:
            totals[name] += n
    return sorted(totals.items(), key=lambda pair: (-pair[1], pair[0]))


def _policy_fact(violations: Sequence[Violation] | None, failing: int) -> str:
    if violations is None:
        return "No policy was evaluated: these are gaps, judged without a policy."
    if not violations:
        return "The evaluated policy reports no violation."
    return f"The evaluated policy reports {count(len(violations), 'violation')}; {failing} {agrees(failing, 'fails', 'fail')} the gate."


class _Placer:
    """The repository a gap or violation belongs to: its project's, else the one its file
    is under, else the only one (None when none of these tells)."""

    def __init__(self, inventory: Inventory) -> None:
        self._of_project = {p.id: p.repository for p in inventory.projects}
        ids = {r.id for r in inventory.repositories} | set(self._of_project.values())
        self._by_length = sorted(ids, key=lambda r: (-len(r), r))
        self._names = repository_names(inventory)

    def __call__(self, project: str | None, location: Location | None) -> str | None:
        found = self._repository(project, location)
        return None if found is None else self._names.get(found, found)

    def _repository(self, project: str | None, location: Location | None) -> str | None:
        if project is not None and project in self._of_project:
            return self._of_project[project]
        if location is not None:
            for repository in self._by_length:
                if repository != "." and (location.path == repository or location.path.startswith(repository + "/")):
                    return repository
        return self._by_length[0] if len(self._by_length) == 1 else None
