"""Policy violations in SARIF: one rule per policy rule, one result per violation.

Rule ids get a `policy/` prefix so they can never clash with the gap codes. The
fingerprint is the violation's own (rule, package without version, project, file),
the one `check --baseline` matches by, so code scanning and the baseline agree on
what is new.
"""

from __future__ import annotations

from ospo_scan.policy import PolicyOutcome, Rule, RuleKind, RuleSeverity, Violation
from ospo_scan.reporters.sarif_log import SarifResult, SarifRule

POLICY_FINGERPRINT = "ospoScanPolicy/v1"
RULE_PREFIX = "policy/"
_LEVELS = {RuleSeverity.ERROR: "error", RuleSeverity.WARNING: "warning", RuleSeverity.REVIEW: "note"}
_WHAT = {
    RuleKind.ALLOW_LICENSES: "Every license must be one of the allowed ones.",
    RuleKind.DENY_LICENSES: "These licenses are denied.",
    RuleKind.DENY_CATEGORIES: "Licenses of these categories are denied.",
    RuleKind.DENY_UNKNOWN_LICENSES: "Every license must be known.",
    RuleKind.DENY_UNPINNED_VERSIONS: "Every version must be pinned.",
    RuleKind.DENY_UNPARSED_FILES: "Every manifest and lockfile must be readable.",
}
_HELP = "Replace the dependency, or add an [[exceptions]] entry to the policy with the reason it was approved (the JSON report gives one ready to paste)."


def policy_rules(outcome: PolicyOutcome | None) -> tuple[SarifRule, ...]:
    """One SARIF rule per policy rule, in the policy's order."""
    if outcome is None:
        return ()
    return tuple(_rule(rule) for rule in outcome.policy.rules)


def policy_results(outcome: PolicyOutcome | None) -> list[SarifResult]:
    """One result per violation the policy did not silence (with --baseline: new ones only)."""
    if outcome is None:
        return []
    return [_result(violation) for violation in outcome.violations]


def _rule(rule: Rule) -> SarifRule:
    detail = _WHAT[rule.kind]
    if rule.license_entries:
        detail += " Listed: " + ", ".join(rule.license_entries) + "."
    if rule.categories:
        detail += " Categories: " + ", ".join(sorted(rule.categories)) + "."
    if rule.scopes is not None:
        detail += " Applies to: " + ", ".join(sorted(s.value for s in rule.scopes)) + "."
    return SarifRule(
        id=RULE_PREFIX + rule.id,
        name="Policy" + "".join(part.capitalize() for part in rule.id.replace("_", "-").split("-") if part.isalnum()),
        short_description=rule.description or f"policy rule {rule.id} ({rule.kind.value})",
        full_description=f"{detail} (policy file {rule.source})",
        help=_HELP,
        level=_LEVELS[rule.severity],
        tags=("open-source", "policy", rule.kind.value),
    )


def _result(violation: Violation) -> SarifResult:
    properties = {key: value for key, value in (("component", violation.component), ("project", violation.project),
                                                ("lifecycle", violation.lifecycle.value if violation.lifecycle else None)) if value}
    return SarifResult(
        rule_id=RULE_PREFIX + violation.rule,
        level=_LEVELS[violation.severity],
        message=violation.message,
        location=violation.location,
        fingerprint_key=POLICY_FINGERPRINT,
        identity=(violation.fingerprint,),
        properties=properties,
    )
