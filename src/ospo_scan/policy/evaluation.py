"""Judging an inventory against a policy: pure, no I/O, the same answer every time.

A rule is judged per component and project: the project's usages of the component
that the rule's scopes (and `include-optional`) cover decide whether the rule applies
there at all; what the component is (its license, its version) decides whether it is
broken. One violation per (rule, component, project), placed at the project's first
declaration of the component in a manifest, else its first direct lock entry, else
the first place it is found. First-party
components (the repository's own, or named by `first-party` patterns) are judged by
no license rule: they are the organization's.

An exception silences a violation when its pattern (and range) covers the component,
it names the rule or no rule, the license it approved is the component's license now,
and it has not expired. An expired exception and one whose approved license no longer
matches are reported, and silence nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from ospo_scan.licenses import spdx
from ospo_scan.licenses.categories import categorize
from ospo_scan.model import Component, Directness, Inventory, Location, Severity, Usage
from ospo_scan.policy.license_sets import LicenseSet
from ospo_scan.policy.model import Policy, PolicyException, Rule, RuleKind, RuleSeverity
from ospo_scan.policy.patterns import component_key, is_first_party, matches_purl
from ospo_scan.policy.violation import SilencedViolation, Violation

if TYPE_CHECKING:
    from ospo_scan.policy.baseline import BaselineEntry


@dataclass(frozen=True, slots=True, kw_only=True)
class StaleException:
    """An exception that no longer applies, and why."""

    exception: PolicyException
    why: str


@dataclass(frozen=True, slots=True, kw_only=True)
class PolicyOutcome:
    """What the policy says about an inventory."""

    policy: Policy
    violations: tuple[Violation, ...]
    """Not silenced; worst first."""
    silenced: tuple[SilencedViolation, ...] = ()
    stale_exceptions: tuple[StaleException, ...] = ()
    """Expired, or approved for a license the component no longer has."""
    baselined: tuple[Violation, ...] = ()
    """With --baseline: violations the baseline already had (reported, never failing)."""
    resolved: tuple[BaselineEntry, ...] = ()
    """With --baseline: the baseline's violations that no longer occur."""
    baseline: str | None = None
    """The baseline file, when one was applied."""

    @property
    def failed(self) -> bool:
        """True when an error-level rule is broken (the gate's exit 1)."""
        return any(v.severity is RuleSeverity.ERROR for v in self.violations)


def evaluate(inventory: Inventory, policy: Policy, today: date) -> PolicyOutcome:
    """Every rule of `policy` against `inventory`, exceptions applied as of `today`."""
    found = sorted(_violations(inventory, policy), key=Violation.sort_key)
    active: list[Violation] = []
    silenced: list[SilencedViolation] = []
    stale: dict[int, StaleException] = {}
    components = {c.purl: c for c in inventory.components}
    for violation in found:
        component = components.get(violation.component or "")
        exception = _silencing(violation, component, policy.exceptions, today, stale)
        if exception is None:
            active.append(violation)
        else:
            silenced.append(SilencedViolation(violation=violation, exception=exception))
    for exception in policy.exceptions:
        if exception.expires is not None and exception.expires < today and exception.index not in stale:
            stale[exception.index] = StaleException(exception=exception, why=f"expired on {exception.expires.isoformat()}")
    return PolicyOutcome(
        policy=policy,
        violations=tuple(active),
        silenced=tuple(silenced),
        stale_exceptions=tuple(stale[i] for i in sorted(stale)),
    )


def _violations(inventory: Inventory, policy: Policy) -> Iterator[Violation]:
    third_party = [c for c in inventory.components if not is_first_party(c, policy.first_party)]
    for rule in policy.rules:
        if rule.kind is RuleKind.DENY_UNPARSED_FILES:
            yield from _unparsed(inventory, rule)
            continue
        for component in third_party:
            problem = _problem(rule, component)
            if problem is None:
                continue
            for project, usage in _judged_usages(rule, component):
                yield Violation(
                    rule=rule.id,
                    kind=rule.kind,
                    severity=rule.severity,
                    message=f"{_named(component)} {problem} ({usage.lifecycle.value}{', optional' if usage.optional else ''}; rule {rule.id})",
                    component=component.purl,
                    package=component_key(component),
                    project=project,
                    location=usage.location,
                    lifecycle=usage.lifecycle,
                    license=component.license.expression if component.license else None,
                )


def _judged_usages(rule: Rule, component: Component) -> Iterator[tuple[str, Usage]]:
    """(project, the usage to place the violation at) for each project the rule covers."""
    by_project: dict[str, list[Usage]] = {}
    for usage in component.usages:
        if rule.scopes is not None and usage.lifecycle not in rule.scopes:
            continue
        if not rule.include_optional and (usage.optional or usage.peer):
            continue
        by_project.setdefault(usage.project, []).append(usage)
    for project in sorted(by_project):
        usages = by_project[project]
        direct = [u for u in usages if u.directness is Directness.DIRECT]
        declared = [u for u in direct if u.requirement is not None]
        yield project, min(declared or direct or usages, key=Usage.sort_key)


def _problem(rule: Rule, component: Component) -> str | None:
    """What is wrong with the component under this rule, or None."""
    expression = component.license.expression if component.license else None
    if rule.kind is RuleKind.DENY_UNPINNED_VERSIONS:
        return None if component.version else "has no pinned version"
    if rule.kind is RuleKind.DENY_UNKNOWN_LICENSES:
        return None if expression else f"has an unknown license{_why(component)}"
    if rule.kind is RuleKind.DENY_CATEGORIES:
        return _category_problem(rule, component, expression)
    assert rule.licenses is not None  # the loader gives every license rule its set
    if rule.kind is RuleKind.ALLOW_LICENSES:
        if expression is None:
            return f"has an unknown license, which cannot be shown to be allowed{_why(component)}"
        return None if _judge(rule.licenses, expression, allow=True) else f"is licensed {expression}, which is not allowed"
    if expression is None:
        return None
    return f"is licensed {expression}, which is denied" if _judge(rule.licenses, expression, allow=False) else None


def _judge(licenses: LicenseSet, expression: str, *, allow: bool) -> bool:
    try:
        return licenses.allows(expression) if allow else licenses.denies(expression)
    except spdx.SpdxError:
        return not allow  # a conclusion that no longer parses is allowed by nothing and denied by nothing


def _category_problem(rule: Rule, component: Component, expression: str | None) -> str | None:
    if expression is None:
        category = component.license.category if component.license else "unknown"
        return f"has an unknown license (category {category}), which is denied" if category in rule.categories else None
    denied = _denied_category(spdx.tree(expression), rule.categories)
    return None if denied is None else f"is licensed {expression} ({denied}), which is denied"


def _denied_category(node: spdx.Node, categories: frozenset[str]) -> str | None:
    """The denied category the expression cannot avoid (OR: every branch; AND: any part)."""
    if isinstance(node, spdx.Compound):
        found = [_denied_category(arg, categories) for arg in node.args]
        if node.operator is spdx.Operator.OR:
            return found[0] if all(found) else None
        return next((f for f in found if f), None)
    category = categorize(spdx.render(node)).category.value
    return category if category in categories else None


def _unparsed(inventory: Inventory, rule: Rule) -> Iterator[Violation]:
    for issue in inventory.issues:
        if issue.severity is Severity.ERROR:
            yield Violation(
                rule=rule.id,
                kind=rule.kind,
                severity=rule.severity,
                message=f"{issue.path} could not be read: {issue.message} (rule {rule.id})",
                location=Location(path=issue.path, line=issue.line),
            )


def _silencing(violation: Violation, component: Component | None, exceptions: tuple[PolicyException, ...], today: date,
               stale: dict[int, StaleException]) -> PolicyException | None:
    if component is None:
        return None
    for exception in exceptions:
        if exception.rules and violation.rule not in exception.rules:
            continue
        if not matches_purl(component, exception.purl, exception.versions):
            continue
        if exception.expires is not None and exception.expires < today:
            stale[exception.index] = StaleException(exception=exception, why=f"expired on {exception.expires.isoformat()}")
            continue
        if exception.license is not None and not _same_license(exception.license, violation.license):
            stale[exception.index] = StaleException(exception=exception, why=f"approved for {exception.license}; {_named(component)} is now {violation.license or 'of unknown license'}")
            continue
        return exception
    return None


def _same_license(approved: str, current: str | None) -> bool:
    if current is None:
        return False
    try:
        return spdx.meaning(spdx.parse(approved)) == spdx.meaning(spdx.parse(current))
    except spdx.SpdxError:
        return approved == current


def _named(component: Component) -> str:
    return f"{component.name}@{component.version}" if component.version else component.name


def _why(component: Component) -> str:
    reason = component.license.reason if component.license else None
    return f" ({reason})" if reason else ""
