"""A repository profile as stored JSON, and back: what `assess --db` reads.

`snapshot save` writes each repository's profile beside its scan, in the shape the
assessment's JSON report gives it (reporters/assessment/document), together with the
checks it was judged by, since a check result names its check by id only. Reading
trusts nothing: the store may have been written by another version or by hand, so a
field of the wrong type is a ValueError naming it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from ospo_scan.assessment.model import (
    Check, CheckResult, CheckSeverity, CheckStatus, CiGate, DeclaredLicense, OwnLicense, PolicyFileFact, ReadinessItem, RepositoryProfile,
)
from ospo_scan.reporters.assessment.document import check_data, profile_data

FORMAT = "ospo-scan-profile"
VERSION = 1


def profile_json(profile: RepositoryProfile, checks: Sequence[Check]) -> str:
    """The stored form: compact, keys sorted (equal profiles, equal text)."""
    document = {"format": FORMAT, "version": VERSION, "profile": profile_data(profile), "checks": [check_data(check) for check in checks]}
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def profile_from_json(text: str) -> tuple[RepositoryProfile, tuple[Check, ...]]:
    """The profile and its checks, or ValueError saying what is wrong."""
    document = json.loads(text)
    if not isinstance(document, dict) or document.get("format") != FORMAT or document.get("version") != VERSION:
        raise ValueError(f"not an {FORMAT} version {VERSION} document")
    checks = tuple(_check(_mapping(item, "checks[]")) for item in _list(document.get("checks"), "checks"))
    by_id = {check.id: check for check in checks}
    data = _mapping(document.get("profile"), "profile")
    own = _mapping(data.get("own_license"), "profile.own_license")
    profile = RepositoryProfile(
        repository=_text(data.get("repository"), "profile.repository"),
        own_license=OwnLicense(
            declared=tuple(
                DeclaredLicense(expression=_optional(d.get("expression")), declared=_text(d.get("declared"), "declared"), manifest=_text(d.get("manifest"), "manifest"))
                for d in (_mapping(item, "declared[]") for item in _list(own.get("declared"), "own_license.declared"))
            ),
            file=_optional(own.get("file")),
            file_expression=_optional(own.get("file_expression")),
            expression=_optional(own.get("expression")),
            agreement=_flag(own.get("agreement")),
            osi_approved=_flag(own.get("osi_approved")),
            problem=_optional(own.get("problem")),
        ),
        checks=tuple(_result(_mapping(item, "checks[]"), by_id) for item in _list(data.get("checks"), "profile.checks")),
        readiness=tuple(
            ReadinessItem(id=_text(r.get("id"), "readiness.id"), reason=_text(r.get("reason"), "readiness.reason"), severity=CheckSeverity(r.get("severity")))
            for r in (_mapping(item, "readiness[]") for item in _list(data.get("readiness"), "profile.readiness"))
        ),
        policy_files=tuple(_policy_file(_mapping(item, "policy_files[]")) for item in _list(data.get("policy_files"), "profile.policy_files")),
        ci_gates=tuple(
            CiGate(path=_text(g.get("path"), "ci_gates.path"), tool=_text(g.get("tool"), "ci_gates.tool"), line=_number(g.get("line")))
            for g in (_mapping(item, "ci_gates[]") for item in _list(data.get("ci_gates"), "profile.ci_gates"))
        ),
        errors=tuple(_text(item, "errors[]") for item in _list(data.get("errors"), "profile.errors")),
    )
    return profile, checks


def _check(data: Mapping[str, Any]) -> Check:
    return Check(
        id=_text(data.get("id"), "checks.id"),
        description=_text(data.get("description"), "checks.description"),
        files=tuple(_text(f, "checks.files[]") for f in _list(data.get("files"), "checks.files")),
        locations=tuple(_text(f, "checks.locations[]") for f in _list(data.get("locations"), "checks.locations")),
        contains=_optional(data.get("contains")),
        when_licenses=tuple(_text(f, "checks.when_licenses[]") for f in _list(data.get("when_licenses"), "checks.when_licenses")),
        severity=CheckSeverity(data.get("severity")),
        source=_text(data.get("source"), "checks.source"),
    )


def _result(data: Mapping[str, Any], checks: Mapping[str, Check]) -> CheckResult:
    check_id = _text(data.get("check"), "checks.check")
    if check_id not in checks:
        raise ValueError(f"profile.checks: check {check_id!r} is not among the stored checks")
    return CheckResult(check=checks[check_id], status=CheckStatus(data.get("status")), path=_optional(data.get("path")), detail=_optional(data.get("detail")))


def _policy_file(data: Mapping[str, Any]) -> PolicyFileFact:
    expiry = _optional(data.get("next_expiry"))
    return PolicyFileFact(
        path=_text(data.get("path"), "policy_files.path"),
        tool=_text(data.get("tool"), "policy_files.tool"),
        rules=_number(data.get("rules")) or 0,
        exceptions=_number(data.get("exceptions")) or 0,
        expired_exceptions=_number(data.get("expired_exceptions")) or 0,
        next_expiry=date.fromisoformat(expiry) if expiry else None,
        error=_optional(data.get("error")),
    )


def _mapping(value: object, where: str) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise ValueError(f"{where}: not an object")
    return value


def _list(value: object, where: str) -> list[Any]:
    if not isinstance(value, list):
        raise ValueError(f"{where}: not a list")
    return value


def _text(value: object, where: str) -> str:
    if not isinstance(value, str):
        raise ValueError(f"{where}: not a string")
    return value


def _optional(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _flag(value: object) -> bool | None:
    return value if isinstance(value, bool) else None


def _number(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None
