"""The sentences the human-readable reports share (table and markdown), so they say the same.

Counts go through `wording.count`, so nothing reads "1 projects". Values from scanned
files are not escaped here: each reporter escapes for its own medium.
"""

from __future__ import annotations

from dataclasses import dataclass

from ospo_scan.analysis.facts import RUNTIME_LIFECYCLES
from ospo_scan.analysis.gaps import GAP_KINDS, Gap, GapSeverity, GapsAnswer
from ospo_scan.analysis.usage import UsageAnswer
from ospo_scan.analysis.wording import count
from ospo_scan.model import Inventory, Severity
from ospo_scan.policy import PolicyOutcome, RuleSeverity, StaleException, Violation
from ospo_scan.reporters.report import Report


def headline(report: Report) -> str:
    """How much, in one short line: the first line a person reads."""
    totals = report.analysis.usage.totals
    inventory = report.inventory
    return (
        f"{count(totals.components, 'open source component')} "
        f"in {count(len(inventory.projects), 'project')} from {count(inventory.files_scanned, 'file')}"
    )


def kinds(report: Report) -> str:
    """How it is used: direct or not, at runtime or not."""
    totals = report.analysis.usage.totals
    return (
        f"{totals.direct} direct, {totals.transitive} transitive; "
        f"{totals.runtime} used at runtime, {totals.development_only} in development only"
    )


def status(inventory: Inventory) -> str:
    """Whether the inventory is complete, and if not, why."""
    errors = sum(1 for issue in inventory.issues if issue.severity is Severity.ERROR)
    warnings = len(inventory.issues) - errors
    if errors:
        text = f"scan incomplete: {count(errors, 'file or entry')} could not be read"
    else:
        text = "scan complete"
    if warnings:
        text += f" ({count(warnings, 'warning')})"
    return text


def licenses(usage: UsageAnswer) -> str:
    """How much of it has a known license, and of which kind."""
    totals = usage.totals
    known = [f"{category} {number}" for category, number in usage.by_license_category if category != "unknown"]
    share = f" ({round(100 * totals.known_license_share)}%)" if totals.known_license_share is not None else ""
    text = f"license known for {totals.known_license} of {totals.components}{share}"
    if known:
        text += ": " + ", ".join(known)
    unknown = dict(usage.by_license_category).get("unknown", 0)
    if unknown:
        text += f"; unknown {unknown}"
    return text


def sprawl(usage: UsageAnswer, shown: int = 3) -> str | None:
    """The packages in use in the most versions, or None when every package has one."""
    if not usage.version_sprawl:
        return None
    top = ", ".join(f"{s.name} ({len(s.versions)})" for s in usage.version_sprawl[:shown])
    return f"{count(len(usage.version_sprawl), 'package')} in several versions: {top}"


_COPYLEFT_CATEGORIES = ("network-copyleft", "strong-copyleft", "weak-copyleft")


def copyleft(report: Report, shown: int = 4) -> str | None:
    """Which copyleft components are used, and where: the first thing legal asks.

    Runtime use of strong copyleft is a gap; development-only use and weak copyleft
    at runtime are not, and saying so here is what makes the gaps list believable.
    """
    found = []
    for component in report.inventory.components:
        info = component.license
        if component.first_party or info is None or info.category not in _COPYLEFT_CATEGORIES:
            continue
        runtime = any(u.lifecycle in RUNTIME_LIFECYCLES for u in component.usages)
        found.append((_COPYLEFT_CATEGORIES.index(info.category), not runtime, component.name, info.expression or info.category, runtime))
    if not found:
        return None
    found.sort()
    parts = [f"{name} ({expression}, {'at runtime' if runtime else 'development only'})" for _, _, name, expression, runtime in found[:shown]]
    more = f" and {len(found) - shown} more" if len(found) > shown else ""
    return f"{count(len(found), 'component')}: " + ", ".join(parts) + more


def shorten(text: str, limit: int = 200) -> str:
    """At most `limit` characters, cut at a word with an ellipsis (the JSON has the whole text)."""
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0] + "…"


@dataclass(frozen=True, slots=True, kw_only=True)
class GapGroup:
    """All gaps of one code: how many, and over how many components and projects."""

    code: str
    title: str
    severity: GapSeverity
    gaps: tuple[Gap, ...]

    @property
    def scope(self) -> str:
        """'12 components in 3 projects', or the files for file gaps."""
        components = {g.component for g in self.gaps if g.component}
        projects = {g.project for g in self.gaps if g.project}
        if not components:
            noun = {"unparsed-file": "file", "multiple-versions": "package"}.get(self.code, "project")
            return count(len(projects) if noun == "project" and projects else len(self.gaps), noun)
        text = count(len(components), "component")
        return f"{text} in {count(len(projects), 'project')}" if projects else text


def gap_groups(answer: GapsAnswer) -> list[GapGroup]:
    """The gaps grouped by code, worst severity first (GAP_KINDS order)."""
    by_code: dict[str, list[Gap]] = {}
    for gap in answer.gaps:
        by_code.setdefault(gap.code, []).append(gap)
    groups = [
        GapGroup(code=code, title=GAP_KINDS[code].title, severity=min((g.severity for g in found), key=lambda s: s.order), gaps=tuple(found))
        for code, found in by_code.items()
    ]
    return sorted(groups, key=lambda g: (g.severity.order, list(GAP_KINDS).index(g.code)))


def place(gap: Gap) -> str:
    """file:line of a gap, or '' when it has no place."""
    if gap.location is None:
        return ""
    return f"{gap.location.path}:{gap.location.line}" if gap.location.line else gap.location.path


VIOLATIONS_LISTED = 50
"""Violations the table and markdown reports list one by one (the JSON has them all)."""


def policy_verdict(outcome: PolicyOutcome) -> str:
    """Passed or failed, and by how much: the policy's first line."""
    errors = sum(1 for v in outcome.violations if v.severity is RuleSeverity.ERROR)
    others = len(outcome.violations) - errors
    verdict = "failed" if outcome.failed else "passed"
    text = f"{verdict}: {count(errors, 'error')}, {count(others, 'warning or review item')}"
    if outcome.silenced:
        text += f"; {count(len(outcome.silenced), 'violation')} allowed by exceptions"
    if outcome.baseline is not None:
        text += f"; {count(len(outcome.baselined), 'known violation')} in the baseline, {len(outcome.resolved)} fixed since"
    return text


def policy_files(outcome: PolicyOutcome) -> str:
    """Which policy files were applied, with their digests (so a reader can tell which version)."""
    return ", ".join(f"{f.path} (sha256 {f.sha256})" for f in outcome.policy.files)


def violation_place(violation: Violation) -> str:
    """`file:line` of a violation (or just the file)."""
    location = violation.location
    if location is None:
        return ""
    return f"{location.path}:{location.line}" if location.line else location.path


def stale_exception(stale: StaleException) -> str:
    """One exception that no longer applies, and why."""
    return f"{stale.exception.purl} ({stale.exception.source}, exceptions[{stale.exception.index}]): {stale.why}"
