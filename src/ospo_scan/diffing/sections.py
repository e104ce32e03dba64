"""What a diff says, in words and rows: shared by the table and markdown renderers.

Cells are plain, unescaped text (names, versions and messages from scanned files
among them); each renderer escapes every cell for its medium. Only sections with
content are listed, worst news first: new violations, then component changes, then
gaps (collapsed where the medium can collapse).
"""

from __future__ import annotations

from dataclasses import dataclass

from ospo_scan.analysis.wording import count, listing
from ospo_scan.diffing.model import ComponentChange, ReportDiff, ReportedComponent, ReportedGap, ReportedViolation

LISTED = 25
"""Rows shown per section; the rest are counted ("and 12 more"), the JSON has them all."""

PROJECTS_LISTED = 3
"""Projects named per component ("a, b, c and 4 more")."""

_COMPONENT_COLUMNS = ("ecosystem", "package", "version", "license", "projects")
_MOVE_COLUMNS = ("ecosystem", "package", "from", "to", "projects")
_VIOLATION_COLUMNS = ("severity", "rule", "where", "violation")
"""No component column: the message names the component (or the file) already."""
_GAP_COLUMNS = ("severity", "gap", "where", "what")


@dataclass(frozen=True, slots=True, kw_only=True)
class Section:
    """One list of changes, as a table."""

    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    """Every row; renderers show the first LISTED."""
    collapsed: bool = False
    """Secondary news: markdown folds it into a <details> block."""


def headline(diff: ReportDiff) -> str:
    """One line: the counts of every kind of change, or that nothing changed."""
    parts = [_components_phrase(diff), _violations_phrase(diff), _gaps_phrase(diff)]
    said = [part for part in parts if part]
    return "; ".join(said) if said else "no change in components, licenses, policy violations or compliance gaps"


def notes(diff: ReportDiff) -> list[str]:
    """What the reader needs to weigh the comparison (each a sentence, no final stop)."""
    found = []
    if not diff.violations_compared:
        found.append(f"Policy violations not compared: {_unjudged(diff)} (ospo-scan check --format json writes reports that have them)")
    elif diff.policies_differ:
        found.append("The two reports were judged by different policy files: violations may come and go without any dependency change")
    for label, side in (("old", diff.old), ("new", diff.new)):
        if side.status != "complete":
            found.append(f"The {label} report is of an incomplete scan (some files could not be read): what they hold is missing from it")
    if diff.old.tool_version != diff.new.tool_version:
        found.append(f"Made by ospo-scan {diff.old.tool_version} and {diff.new.tool_version}: some license conclusions may differ for that reason alone")
    return found


def sections(diff: ReportDiff) -> list[Section]:
    """Every non-empty section, in reading order."""
    candidates = [
        Section(title="New policy violations", columns=_VIOLATION_COLUMNS, rows=tuple(_violation_row(v) for v in diff.new_violations)),
        Section(title="Fixed policy violations", columns=_VIOLATION_COLUMNS, rows=tuple(_violation_row(v) for v in diff.fixed_violations)),
        Section(title="Components added", columns=_COMPONENT_COLUMNS, rows=tuple(_component_row(c) for c in diff.added)),
        Section(title="Components removed", columns=_COMPONENT_COLUMNS, rows=tuple(_component_row(c) for c in diff.removed)),
        Section(title="Upgraded", columns=_MOVE_COLUMNS, rows=tuple(_move_row(c) for c in diff.upgraded)),
        Section(title="Downgraded", columns=_MOVE_COLUMNS, rows=tuple(_move_row(c) for c in diff.downgraded)),
        Section(title="Version changed (no order between the two)", columns=_MOVE_COLUMNS, rows=tuple(_move_row(c) for c in diff.version_changed)),
        Section(title="License changed", columns=("ecosystem", "package", "version", "from", "to"), rows=tuple(_license_row(c) for c in diff.license_changed)),
        Section(title="New compliance gaps", columns=_GAP_COLUMNS, rows=tuple(_gap_row(g) for g in diff.new_gaps), collapsed=True),
        Section(title="Fixed compliance gaps", columns=_GAP_COLUMNS, rows=tuple(_gap_row(g) for g in diff.fixed_gaps), collapsed=True),
    ]
    return [section for section in candidates if section.rows]


def _components_phrase(diff: ReportDiff) -> str:
    counts = [
        (len(diff.added), "added"), (len(diff.removed), "removed"), (len(diff.upgraded), "upgraded"),
        (len(diff.downgraded), "downgraded"), (len(diff.version_changed), "changed version"), (len(diff.license_changed), "changed license"),
    ]
    said = [f"{number} {word}" for number, word in counts if number]
    return f"components: {', '.join(said)}" if said else ""


def _violations_phrase(diff: ReportDiff) -> str:
    if not diff.violations_compared:
        return ""
    said = []
    if diff.new_violations:
        errors = len(diff.new_error_violations)
        said.append(f"{count(len(diff.new_violations), 'new violation')} ({errors} error-level)")
    if diff.fixed_violations:
        said.append(f"{count(len(diff.fixed_violations), 'violation')} fixed")
    return ", ".join(said)


def _gaps_phrase(diff: ReportDiff) -> str:
    said = [f"{number} {word}" for number, word in ((len(diff.new_gaps), "new"), (len(diff.fixed_gaps), "fixed")) if number]
    return f"compliance gaps: {', '.join(said)}" if said else ""


def _unjudged(diff: ReportDiff) -> str:
    if not diff.old.has_policy and not diff.new.has_policy:
        return "neither report has policy results"
    return f"the {'old' if not diff.old.has_policy else 'new'} report has no policy results"


def _component_row(component: ReportedComponent) -> tuple[str, ...]:
    return (component.ecosystem, component.name, _version(component), _license(component), _projects(component))


def _move_row(change: ComponentChange) -> tuple[str, ...]:
    return (change.new.ecosystem, change.new.name, _version(change.old), _version(change.new), _projects(change.new))


def _license_row(change: ComponentChange) -> tuple[str, ...]:
    versions = _version(change.new) if change.old.version == change.new.version else f"{_version(change.old)} -> {_version(change.new)}"
    return (change.new.ecosystem, change.new.name, versions, _license(change.old), _license(change.new))


def _violation_row(violation: ReportedViolation) -> tuple[str, ...]:
    return (violation.severity, violation.rule, _place(violation.project, violation.path, violation.line), violation.message)


def _gap_row(gap: ReportedGap) -> tuple[str, ...]:
    return (gap.severity, gap.code, _place(gap.project, gap.path, gap.line), gap.message)


def _projects(component: ReportedComponent) -> str:
    return listing(list(component.projects), PROJECTS_LISTED)


def _version(component: ReportedComponent) -> str:
    return component.version if component.version is not None else "unpinned"


def _license(component: ReportedComponent) -> str:
    return f"{component.license or 'unknown'} ({component.category})"


def _place(project: str | None, path: str | None, line: int | None) -> str:
    file = f"{path}:{line}" if path and line else (path or "")
    return " ".join(part for part in (project, f"({file})" if file and project else file) if part)
