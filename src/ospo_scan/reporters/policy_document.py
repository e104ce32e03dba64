"""The JSON form of a policy outcome: the `policy` key of the JSON report.

A later run reads it back as a baseline (`check --baseline`) and `ospo-scan diff`
compares two of them, so every violation carries its fingerprint.
"""

from __future__ import annotations

from typing import Any

from ospo_scan.policy import PolicyException, PolicyOutcome, StaleException, Violation


def policy_document(outcome: PolicyOutcome) -> dict[str, Any]:
    """The outcome as plain data, sorted as the evaluation sorted it."""
    return {
        "files": [{"path": f.path, "sha256": f.sha256} for f in outcome.policy.files],
        "rules": [{"id": r.id, "kind": r.kind.value, "severity": r.severity.value, "source": r.source} for r in outcome.policy.rules],
        "failed": outcome.failed,
        "violations": [violation_document(v) for v in outcome.violations],
        "silenced": [{**violation_document(s.violation), "exception": exception_document(s.exception)} for s in outcome.silenced],
        "stale_exceptions": [_stale(s) for s in outcome.stale_exceptions],
        "baseline": None if outcome.baseline is None else {
            "path": outcome.baseline,
            "known": [violation_document(v) for v in outcome.baselined],
            "resolved": [{"fingerprint": e.fingerprint, "rule": e.rule, "message": e.message, "component": e.component, "project": e.project} for e in outcome.resolved],
        },
    }


def violation_document(violation: Violation) -> dict[str, Any]:
    """One violation, with the exception entry that would silence it."""
    location = violation.location
    return {
        "rule": violation.rule,
        "kind": violation.kind.value,
        "severity": violation.severity.value,
        "message": violation.message,
        "component": violation.component,
        "package": violation.package,
        "project": violation.project,
        "location": None if location is None else {"path": location.path, "line": location.line, "key_path": location.key_path},
        "lifecycle": violation.lifecycle.value if violation.lifecycle else None,
        "license": violation.license,
        "fingerprint": violation.fingerprint,
        "exception_snippet": violation.exception_snippet() or None,
    }


def exception_document(exception: PolicyException) -> dict[str, Any]:
    """An exception as the policy file states it, and where."""
    return {
        "purl": exception.purl,
        "versions": exception.versions,
        "license": exception.license,
        "rules": list(exception.rules),
        "reason": exception.reason,
        "approved_by": exception.approved_by,
        "ticket": exception.ticket,
        "expires": exception.expires.isoformat() if exception.expires else None,
        "source": exception.source,
        "index": exception.index,
    }


def _stale(stale: StaleException) -> dict[str, Any]:
    return {**exception_document(stale.exception), "why": stale.why}
