"""The policy: rules on licenses, versions and unread files, exceptions, and the gate.

model.py says what a policy is, loading.py reads it from TOML with precise errors,
license_sets.py and patterns.py judge licenses and package names, evaluation.py
judges an inventory (pure), violation.py is one finding with its fingerprint.
"""

from ospo_scan.policy.evaluation import PolicyOutcome, StaleException, evaluate
from ospo_scan.policy.loading import has_policy, load_policy
from ospo_scan.policy.model import Policy, PolicyException, PolicyFile, Rule, RuleKind, RuleSeverity
from ospo_scan.policy.violation import SilencedViolation, Violation

__all__ = [
    "Policy", "PolicyException", "PolicyFile", "PolicyOutcome", "Rule", "RuleKind", "RuleSeverity",
    "SilencedViolation", "StaleException", "Violation", "evaluate", "has_policy", "load_policy",
]
