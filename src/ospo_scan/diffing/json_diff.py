"""The diff as JSON: every change, sorted, keys sorted, so one pair of reports gives the
same bytes every time (a CI step can store it, and `snapshot diff` can reuse it).

`diff_version` numbers this document's shape, apart from the reports' schema_version.
"""

from __future__ import annotations

import json
from typing import Any, TextIO

from ospo_scan.diffing.model import ComponentChange, ReportDiff, ReportedComponent, ReportedGap, ReportedViolation, ReportSide

DIFF_VERSION = 1


def render(diff: ReportDiff, stream: TextIO, is_terminal: bool = False) -> None:
    """Write the diff as indented, key-sorted JSON with a trailing newline."""
    del is_terminal
    json.dump(diff_document(diff), stream, indent=2, sort_keys=True, ensure_ascii=False)
    stream.write("\n")


def diff_document(diff: ReportDiff) -> dict[str, Any]:
    """The diff as plain data (lists in the comparison's order, which is sorted)."""
    return {
        "diff_version": DIFF_VERSION,
        "old": _side(diff.old),
        "new": _side(diff.new),
        "unchanged": diff.unchanged,
        "components": {
            "added": [_component(c) for c in diff.added],
            "removed": [_component(c) for c in diff.removed],
            "upgraded": [_change(c) for c in diff.upgraded],
            "downgraded": [_change(c) for c in diff.downgraded],
            "version_changed": [_change(c) for c in diff.version_changed],
            "license_changed": [_change(c) for c in diff.license_changed],
        },
        "violations": {
            "compared": diff.violations_compared,
            "policies_differ": diff.policies_differ,
            "new": [_violation(v) for v in diff.new_violations],
            "new_errors": len(diff.new_error_violations),
            "fixed": [_violation(v) for v in diff.fixed_violations],
        },
        "gaps": {"new": [_gap(g) for g in diff.new_gaps], "fixed": [_gap(g) for g in diff.fixed_gaps]},
    }


def _side(side: ReportSide) -> dict[str, Any]:
    return {
        "tool_version": side.tool_version,
        "schema_version": side.schema_version,
        "status": side.status,
        "roots": list(side.roots),
        "components": side.components,
        "has_policy": side.has_policy,
        "policy_files": list(side.policy_files),
    }


def _component(component: ReportedComponent) -> dict[str, Any]:
    return {
        "purl": component.purl,
        "package": component.package,
        "ecosystem": component.ecosystem,
        "name": component.name,
        "version": component.version,
        "license": component.license,
        "category": component.category,
        "projects": list(component.projects),
    }


def _change(change: ComponentChange) -> dict[str, Any]:
    return {
        "package": change.new.package,
        "direction": change.direction.value if change.direction else None,
        "license_changed": change.license_changed,
        "old": _component(change.old),
        "new": _component(change.new),
    }


def _violation(violation: ReportedViolation) -> dict[str, Any]:
    return {
        "fingerprint": violation.fingerprint,
        "rule": violation.rule,
        "severity": violation.severity,
        "message": violation.message,
        "component": violation.component,
        "package": violation.package,
        "project": violation.project,
        "location": {"path": violation.path, "line": violation.line} if violation.path else None,
    }


def _gap(gap: ReportedGap) -> dict[str, Any]:
    return {
        "code": gap.code,
        "severity": gap.severity,
        "message": gap.message,
        "component": gap.component,
        "package": gap.package,
        "project": gap.project,
        "location": {"path": gap.path, "line": gap.line} if gap.path else None,
    }
