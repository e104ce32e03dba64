"""Every rule type, scopes, optional usages, first-party patterns and exceptions, judged."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from ospo_scan.model import Ecosystem, Lifecycle, Location, ScanIssue, Severity, Usage
from ospo_scan.policy import Policy, PolicyException, Rule, RuleKind, RuleSeverity, evaluate
from ospo_scan.policy.license_sets import license_set
from tests.analysis.builders import component, inventory, project, use

TODAY = date(2026, 12, 3)
APP = project(".")


def _rule(kind: RuleKind, *, licenses: list[str] | None = None, categories: list[str] | None = None, **options: object) -> Rule:
    return Rule(id="r", kind=kind, licenses=license_set(licenses) if licenses else None, categories=frozenset(categories or ()), **options)  # type: ignore[arg-type]


def _violations(rule: Rule, *components, exceptions: tuple[PolicyException, ...] = (), first_party: tuple[str, ...] = (), issues=()):  # type: ignore[no-untyped-def]
    outcome = evaluate(inventory([APP], list(components), issues=issues), Policy(rules=(rule,), exceptions=exceptions, first_party=first_party), TODAY)
    return outcome


RULES = [
    # (rule, license, version, violated?)
    (_rule(RuleKind.ALLOW_LICENSES, licenses=["MIT", "Apache-2.0"]), "MIT", "1.0.0", False),
    (_rule(RuleKind.ALLOW_LICENSES, licenses=["MIT", "Apache-2.0"]), "GPL-3.0-only", "1.0.0", True),
    (_rule(RuleKind.ALLOW_LICENSES, licenses=["MIT"]), "MIT OR GPL-3.0-only", "1.0.0", False),
    (_rule(RuleKind.ALLOW_LICENSES, licenses=["MIT"]), "MIT AND GPL-3.0-only", "1.0.0", True),
    (_rule(RuleKind.ALLOW_LICENSES, licenses=["MIT"]), None, "1.0.0", True),
    (_rule(RuleKind.DENY_LICENSES, licenses=["GPL-3.0-or-later"]), "GPL-3.0-only", "1.0.0", True),
    (_rule(RuleKind.DENY_LICENSES, licenses=["GPL-3.0-or-later"]), "GPL-2.0-only", "1.0.0", False),
    (_rule(RuleKind.DENY_LICENSES, licenses=["GPL-3.0-only"]), None, "1.0.0", False),
    (_rule(RuleKind.DENY_CATEGORIES, categories=["strong-copyleft"]), "GPL-2.0-only", "1.0.0", True),
    (_rule(RuleKind.DENY_CATEGORIES, categories=["strong-copyleft"]), "MIT OR GPL-2.0-only", "1.0.0", False),
    (_rule(RuleKind.DENY_CATEGORIES, categories=["weak-copyleft"]), "MPL-2.0 AND GPL-2.0-only", "1.0.0", True),
    (_rule(RuleKind.DENY_CATEGORIES, categories=["strong-copyleft"]), "GPL-2.0-only WITH Classpath-exception-2.0", "1.0.0", False),
    (_rule(RuleKind.DENY_UNKNOWN_LICENSES), None, "1.0.0", True),
    (_rule(RuleKind.DENY_UNKNOWN_LICENSES), "MIT", "1.0.0", False),
    (_rule(RuleKind.DENY_UNPINNED_VERSIONS), "MIT", None, True),
    (_rule(RuleKind.DENY_UNPINNED_VERSIONS), "MIT", "1.0.0", False),
]


@pytest.mark.parametrize(("rule", "license", "version", "violated"), RULES, ids=[f"{r.kind.value}-{l}-{v}" for r, l, v, _ in RULES])
def test_every_rule_type(rule: Rule, license: str | None, version: str | None, violated: bool) -> None:
    outcome = _violations(rule, component("dep", version, use(APP.id), license=license, reason="nothing declared"))
    assert bool(outcome.violations) is violated
    assert outcome.failed is violated


def test_a_violation_names_component_rule_project_place_and_lifecycle() -> None:
    usage = use(APP.id, line=7, path="package.json")
    [violation] = _violations(_rule(RuleKind.DENY_LICENSES, licenses=["GPL-3.0-only"]), component("gpl-thing", "2.0.0", usage, license="GPL-3.0-only")).violations
    assert (violation.rule, violation.project, violation.location, violation.lifecycle) == ("r", APP.id, Location(path="package.json", line=7), Lifecycle.RUNTIME)
    assert "gpl-thing@2.0.0" in violation.message and "GPL-3.0-only" in violation.message
    assert 'purl = "pkg:npm/gpl-thing"' in violation.exception_snippet() and 'license = "GPL-3.0-only"' in violation.exception_snippet()


SCOPED = [
    (Lifecycle.RUNTIME, False, True),
    (Lifecycle.DEVELOPMENT, False, False),
    (Lifecycle.TEST, False, False),
    (Lifecycle.RUNTIME, True, False),
]


@pytest.mark.parametrize(("lifecycle", "optional", "violated"), SCOPED, ids=["runtime", "development", "test", "optional-runtime"])
def test_rules_limited_to_runtime_and_required_usages(lifecycle: Lifecycle, optional: bool, violated: bool) -> None:
    rule = _rule(RuleKind.DENY_CATEGORIES, categories=["strong-copyleft"], scopes=frozenset({Lifecycle.RUNTIME}), include_optional=False)
    usage = dataclasses.replace(use(APP.id, lifecycle), optional=optional)
    assert bool(_violations(rule, component("gpl", "1.0.0", usage, license="GPL-3.0-only")).violations) is violated


def test_one_violation_per_project_at_its_direct_declaration() -> None:
    other = project("web")
    lock = Usage(project=APP.id, lifecycle=Lifecycle.RUNTIME, location=Location(path="package-lock.json", line=3))
    usages = (lock, use(APP.id, line=9), use(other.id, path="web/package.json", line=2))
    gpl = component("gpl", "1.0.0", *usages, license="GPL-3.0-only")
    outcome = evaluate(inventory([APP, other], [gpl]), Policy(rules=(_rule(RuleKind.DENY_LICENSES, licenses=["GPL-3.0-only"]),)), TODAY)
    assert [(v.project, v.location.path if v.location else None) for v in outcome.violations] == [(APP.id, "package.json"), (other.id, "web/package.json")]


@pytest.mark.parametrize(
    ("name", "ecosystem", "patterns", "judged"),
    [
        ("@acme/ui", Ecosystem.NPM, ("@acme/*",), False),
        ("@other/ui", Ecosystem.NPM, ("@acme/*",), True),
        ("com.acme:core", Ecosystem.MAVEN, ("com.acme:*",), False),
        ("github.com/acme/lib", Ecosystem.GOLANG, ("github.com/acme/*",), False),
        ("acme_tools", Ecosystem.PYPI, ("acme-*",), False),
        ("@acme/ui", Ecosystem.NPM, ("pkg:npm/@acme/*",), False),
    ],
    ids=["npm-scope", "other-scope", "maven-group", "go-module", "pypi-normalized", "purl-pattern"],
)
def test_first_party_packages_are_judged_by_no_license_rule(name: str, ecosystem: Ecosystem, patterns: tuple[str, ...], judged: bool) -> None:
    rule = _rule(RuleKind.DENY_UNKNOWN_LICENSES)
    assert bool(_violations(rule, component(name, "1.0.0", use(APP.id), ecosystem=ecosystem, license=None), first_party=patterns).violations) is judged


def _exception(**fields: object) -> PolicyException:
    return PolicyException(**{"purl": "pkg:npm/gpl", "reason": "approved", **fields})  # type: ignore[arg-type]


EXCEPTIONS = [
    (_exception(), True, None),
    (_exception(purl="pkg:npm/gp*"), True, None),
    (_exception(purl="pkg:npm/other"), False, None),
    (_exception(purl="pkg:npm/gpl@1.4.0"), True, None),
    (_exception(purl="pkg:npm/gpl@2.0.0"), False, None),
    (_exception(versions="^1.2"), True, None),
    (_exception(versions=">=2"), False, None),
    (_exception(license="GPL-3.0-only"), True, None),
    (_exception(license="GPL-2.0-only"), False, "approved for GPL-2.0-only"),
    (_exception(expires=date(2026, 12, 3)), True, None),
    (_exception(expires=date(2026, 12, 2)), False, "expired on 2026-12-02"),
    (_exception(rules=("r",)), True, None),
    (_exception(rules=("another",)), False, None),
]


@pytest.mark.parametrize(("exception", "silences", "stale"), EXCEPTIONS,
                         ids=["purl-without-version", "glob", "other-package", "exact-version", "other-version", "range-in", "range-out",
                              "approved-license", "license-changed", "expires-today", "expired", "names-the-rule", "names-another-rule"])
def test_exception_matching(exception: PolicyException, silences: bool, stale: str | None) -> None:
    rule = _rule(RuleKind.DENY_LICENSES, licenses=["GPL-3.0-only"])
    outcome = _violations(rule, component("gpl", "1.4.0", use(APP.id), license="GPL-3.0-only"), exceptions=(exception,))
    assert (not outcome.violations) is silences and bool(outcome.silenced) is silences
    assert len(outcome.stale_exceptions) == (0 if stale is None else 1)
    if stale:
        assert stale in outcome.stale_exceptions[0].why


def test_an_expired_exception_is_reported_even_when_nothing_matches_it() -> None:
    outcome = _violations(_rule(RuleKind.DENY_UNKNOWN_LICENSES), exceptions=(_exception(purl="pkg:npm/gone", expires=date(2025, 1, 1)),))
    assert [s.why for s in outcome.stale_exceptions] == ["expired on 2025-01-01"]


def test_files_that_could_not_be_read_break_the_unparsed_rule_at_their_line() -> None:
    issue = ScanIssue(path="broken/package-lock.json", line=4, message="not JSON")
    warning = dataclasses.replace(issue, path="other.txt", severity=Severity.WARNING)
    outcome = _violations(_rule(RuleKind.DENY_UNPARSED_FILES), issues=(issue, warning))
    assert [(v.location, v.component) for v in outcome.violations] == [(Location(path="broken/package-lock.json", line=4), None)]


def test_warnings_and_reviews_do_not_fail_the_gate() -> None:
    for severity in (RuleSeverity.WARNING, RuleSeverity.REVIEW):
        outcome = _violations(_rule(RuleKind.DENY_UNKNOWN_LICENSES, severity=severity), component("x", "1.0.0", use(APP.id), license=None))
        assert outcome.violations and not outcome.failed


def test_fingerprints_survive_line_moves_and_version_bumps_but_not_another_package() -> None:
    rule = _rule(RuleKind.DENY_LICENSES, licenses=["GPL-3.0-only"])
    [before] = _violations(rule, component("gpl", "1.0.0", use(APP.id, line=3), license="GPL-3.0-only")).violations
    [moved] = _violations(rule, component("gpl", "1.1.0", use(APP.id, line=30), license="GPL-3.0-only")).violations
    [other] = _violations(rule, component("gpl2", "1.0.0", use(APP.id, line=3), license="GPL-3.0-only")).violations
    assert before.fingerprint == moved.fingerprint != other.fingerprint
