"""The assessment as plain data: what the JSON report serializes.

Format `ospo-scan-assessment`, version 1. Every key is always present (a value that is
not known is null, never a missing key), so a consumer can index without checks.
Lists are in report order (ordering.py); keys are sorted when written.

- `format`, `version`: this shape and its version.
- `source`: what was assessed; `assessed_on`: the date (ISO 8601), the only time in it.
- `unread`: files the scan could not read (each message names the file), sorted: the
  numbers lack them.
- `maturity`: the overall stage: `stage` (0 to 4, null when the data cannot place
  one), `name`, `evidence` and `missing` (lists of sentences).
- `answers`: one object per question, in the order they are asked: `question` (`use`,
  `how`, `critical`, `create`, `policies`, `risks`), `title`, `summary`, `figures` (a
  list of `{"label", "value"}`, the value a number or a string as the model holds it),
  `facts`, `table` (`{"columns", "rows"}`, rows as lists of strings, or null) and
  `maturity` (as above, or null).
- `repositories`: one object per repository, by name: `repository`, `own_license`
  (`expression`, `file`, `file_expression`, `agreement`, `osi_approved`, `problem`
  and `declared`, a list of `{"expression", "declared", "manifest"}`), `checks` (one
  `{"check", "status", "path", "detail"}` per check, `check` the id in the checks
  table, `status` `found` / `missing` / `not-applicable`), `readiness` (`{"id",
  "reason", "severity"}`, worst first; empty: nothing known stands in the way),
  `policy_files` (`{"path", "tool", "rules", "exceptions", "expired_exceptions",
  "next_expiry", "error"}`: only `tool` `ospo-scan`'s file is read, another tool's
  counts are 0 and mean "not read"), `ci_gates` (`{"path", "tool", "line"}`) and `errors`
  (files that could not be read).
- `checks`: the checks table: `id`, `description`, `detection` (how it is detected, in
  words), `files`, `locations`, `contains` (a regular expression or null),
  `when_licenses`, `severity` (`required` / `recommended` / `optional`), `source`
  (`built-in` or the settings file that added it).

Bump `VERSION` when a key changes meaning or goes away; adding a key does not.
"""

from __future__ import annotations

import math
from typing import Any

from ospo_scan.assessment.model import (
    Answer,
    Assessment,
    Check,
    CheckResult,
    CiGate,
    DeclaredLicense,
    Figure,
    MaturityStage,
    OwnLicense,
    PolicyFileFact,
    ReadinessItem,
    RepositoryProfile,
    Table,
)
from ospo_scan.reporters.assessment.ordering import ordered

FORMAT = "ospo-scan-assessment"
VERSION = 1


def assessment_document(assessment: Assessment) -> dict[str, Any]:
    """The assessment as JSON-ready data, every list in report order."""
    assessment = ordered(assessment)
    return {
        "format": FORMAT,
        "version": VERSION,
        "source": assessment.source,
        "assessed_on": assessment.assessed_on.isoformat(),
        "unread": list(assessment.unread),
        "maturity": maturity_data(assessment.maturity),
        "answers": [_answer(answer) for answer in assessment.answers],
        "repositories": [profile_data(profile) for profile in assessment.profiles],
        "checks": [check_data(check) for check in assessment.checks],
    }


def maturity_data(stage: MaturityStage) -> dict[str, Any]:
    return {"stage": stage.stage, "name": stage.name, "evidence": list(stage.evidence), "missing": list(stage.missing)}


def check_data(check: Check) -> dict[str, Any]:
    return {
        "id": check.id,
        "description": check.description,
        "detection": check.detection,
        "files": list(check.files),
        "locations": list(check.locations),
        "contains": check.contains,
        "when_licenses": list(check.when_licenses),
        "severity": check.severity.value,
        "source": check.source,
    }


def _answer(answer: Answer) -> dict[str, Any]:
    return {
        "question": answer.question.value,
        "title": answer.title,
        "summary": answer.summary,
        "figures": [_figure(figure) for figure in answer.figures],
        "facts": list(answer.facts),
        "table": _table(answer.table),
        "maturity": maturity_data(answer.maturity) if answer.maturity else None,
    }


def _figure(figure: Figure) -> dict[str, Any]:
    """A value JSON cannot hold (NaN, infinity) is written as its text, not dropped."""
    value = figure.value
    if isinstance(value, float) and not math.isfinite(value):
        return {"label": figure.label, "value": str(value)}
    return {"label": figure.label, "value": value}


def _table(table: Table | None) -> dict[str, Any] | None:
    if table is None:
        return None
    return {"columns": list(table.columns), "rows": [list(row) for row in table.rows]}


def profile_data(profile: RepositoryProfile) -> dict[str, Any]:
    return {
        "repository": profile.repository,
        "own_license": _own_license(profile.own_license),
        "checks": [_result(result) for result in profile.checks],
        "readiness": [_readiness(item) for item in profile.readiness],
        "policy_files": [_policy_file(fact) for fact in profile.policy_files],
        "ci_gates": [_gate(gate) for gate in profile.ci_gates],
        "errors": list(profile.errors),
    }


def _own_license(own: OwnLicense) -> dict[str, Any]:
    return {
        "declared": [_declared(item) for item in own.declared],
        "file": own.file,
        "file_expression": own.file_expression,
        "expression": own.expression,
        "agreement": own.agreement,
        "osi_approved": own.osi_approved,
        "problem": own.problem,
    }


def _declared(item: DeclaredLicense) -> dict[str, Any]:
    return {"expression": item.expression, "declared": item.declared, "manifest": item.manifest}


def _result(result: CheckResult) -> dict[str, Any]:
    return {"check": result.check.id, "status": result.status.value, "path": result.path, "detail": result.detail}


def _readiness(item: ReadinessItem) -> dict[str, Any]:
    return {"id": item.id, "reason": item.reason, "severity": item.severity.value}


def _policy_file(fact: PolicyFileFact) -> dict[str, Any]:
    return {
        "path": fact.path,
        "tool": fact.tool,
        "rules": fact.rules,
        "exceptions": fact.exceptions,
        "expired_exceptions": fact.expired_exceptions,
        "next_expiry": fact.next_expiry.isoformat() if fact.next_expiry else None,
        "error": fact.error,
    }


def _gate(gate: CiGate) -> dict[str, Any]:
    return {"path": gate.path, "tool": gate.tool, "line": gate.line}
