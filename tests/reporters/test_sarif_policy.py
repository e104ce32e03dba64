"""Policy violations in SARIF: prefixed rules, one result per violation, the baseline's fingerprint."""

from __future__ import annotations

import io
import json
from datetime import date
from typing import Any

from jsonschema.protocols import Validator

from ospo_scan.model import Lifecycle
from ospo_scan.policy import Policy, Rule, RuleKind, RuleSeverity, evaluate
from ospo_scan.policy.license_sets import license_set
from ospo_scan.reporters import sarif_report
from ospo_scan.reporters.report import Report
from ospo_scan.reporters.sarif_policy import POLICY_FINGERPRINT, RULE_PREFIX
from tests.analysis.builders import component, inventory, project, use
from tests.reporters.test_sarif_report import sarif_validator  # noqa: F401 - the shared schema fixture

APP = project(".")
RULES = (
    Rule(id="no-gpl", kind=RuleKind.DENY_LICENSES, licenses=license_set(["GPL-3.0-or-later"]), license_entries=("GPL-3.0-or-later",),
         scopes=frozenset({Lifecycle.RUNTIME})),
    Rule(id="known", kind=RuleKind.DENY_UNKNOWN_LICENSES, severity=RuleSeverity.REVIEW),
)


def _log(line: int = 3) -> dict[str, Any]:
    scanned = inventory([APP], [component("gpl-lib", "1.0.0", use(APP.id, line=line), license="GPL-3.0-only"),
                                component("mystery", "2.0.0", use(APP.id, line=9), license=None, reason="nothing declared")])
    outcome = evaluate(scanned, Policy(rules=RULES), date(2026, 12, 3))
    buffer = io.StringIO()
    sarif_report.render(Report.of(scanned, policy=outcome), buffer, False)
    return json.loads(buffer.getvalue())


def _policy_results(log: dict[str, Any]) -> list[dict[str, Any]]:
    return [r for r in log["runs"][0]["results"] if r["ruleId"].startswith(RULE_PREFIX)]


def test_the_log_with_violations_is_valid_sarif(sarif_validator: Validator) -> None:
    assert list(sarif_validator.iter_errors(_log())) == []


def test_one_result_per_violation_with_its_rule_and_level() -> None:
    log = _log()
    rules = [rule["id"] for rule in log["runs"][0]["tool"]["driver"]["rules"]]
    assert rules[:2] == ["policy/no-gpl", "policy/known"]
    results = _policy_results(log)
    assert [(r["ruleId"], r["level"], r["ruleIndex"]) for r in results] == [("policy/no-gpl", "error", 0), ("policy/known", "note", 1)]
    assert results[0]["locations"][0]["physicalLocation"]["region"]["startLine"] == 3


def test_a_violation_keeps_its_fingerprint_when_its_line_moves() -> None:
    before = [r["partialFingerprints"][POLICY_FINGERPRINT] for r in _policy_results(_log(line=3))]
    after = [r["partialFingerprints"][POLICY_FINGERPRINT] for r in _policy_results(_log(line=40))]
    assert before == after and len(set(before)) == 2


def test_without_a_policy_there_are_no_policy_rules() -> None:
    buffer = io.StringIO()
    sarif_report.render(Report.of(inventory([APP], [component("x", "1.0.0", use(APP.id))])), buffer, False)
    assert not any(rule["id"].startswith(RULE_PREFIX) for rule in json.loads(buffer.getvalue())["runs"][0]["tool"]["driver"]["rules"])
