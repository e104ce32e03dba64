"""Reading a policy from its TOML tables, with errors that name file, key path and problem.

The policy lives in the settings file (`.ospo-scan.toml` or `[tool.ospo-scan]`), or in
the file `--policy` names, beside `[criticality]`:

    extends = "../central/policy.toml"     # local paths only, relative to this file
    first-party = ["@acme/*", "com.acme:*", "github.com/acme/*"]

    [[rules]]
    id = "no-copyleft-in-production"
    deny-categories = ["strong-copyleft", "network-copyleft"]
    scopes = ["runtime"]
    severity = "error"

    [[exceptions]]
    purl = "pkg:npm/some-package"
    reason = "approved by legal, ticket 123"
    expires = 2027-06-30

Precedence with `extends`: the extended file is read first; the extending file's rules
are added to its rules, and a rule with the id of an inherited one replaces it;
exceptions and first-party patterns of both apply. Chains are followed, loops refused.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from ospo_scan.config.loading import ConfigError, SettingsFile, load_settings_file, type_name
from ospo_scan.licenses.categories import Category
from ospo_scan.model import Lifecycle
from ospo_scan.policy.license_sets import LicenseListError, canonical_entry, license_set
from ospo_scan.policy.model import Policy, PolicyException, PolicyFile, Rule, RuleKind, RuleSeverity
from ospo_scan.policy.patterns import PatternError, check_exception_pattern, check_first_party_pattern

POLICY_KEYS = ("extends", "first-party", "rules", "exceptions")
"""The settings file's top-level keys that make up the policy."""
_RULE_KEYS = ("id", "description", "severity", "scopes", "include-optional", *(kind.value for kind in RuleKind))
_EXCEPTION_KEYS = ("purl", "versions", "license", "reason", "rules", "approved-by", "ticket", "expires")
_FLAG_KINDS = (RuleKind.DENY_UNKNOWN_LICENSES, RuleKind.DENY_UNPINNED_VERSIONS, RuleKind.DENY_UNPARSED_FILES)
_CATEGORIES = tuple(c.value for c in Category)
_LIFECYCLES = tuple(lifecycle.value for lifecycle in Lifecycle)


def load_policy(settings: SettingsFile) -> Policy:
    """The policy a settings file states, with every file it extends merged in."""
    return _load(settings, seen=())


def has_policy(settings: SettingsFile) -> bool:
    """True when the settings file says anything about policy."""
    return any(key in settings.table for key in POLICY_KEYS)


def _load(settings: SettingsFile, seen: tuple[Path, ...]) -> Policy:
    here = settings.path.resolve()
    if here in seen:
        raise settings.error("extends", "extends itself through " + " -> ".join(str(p) for p in (*seen, here)))
    base = Policy()
    if "extends" in settings.table:
        base = _load(load_settings_file(_extended_path(settings)), (*seen, here))
    rules = _rules(settings)
    exceptions = _exceptions(settings, {r.id for r in (*base.rules, *rules)}, start=len(base.exceptions))
    own_ids = {rule.id for rule in rules}
    return Policy(
        rules=(*(r for r in base.rules if r.id not in own_ids), *rules),
        exceptions=(*base.exceptions, *exceptions),
        first_party=tuple(dict.fromkeys((*base.first_party, *_first_party(settings)))),
        files=(PolicyFile(path=str(settings.path), sha256=settings.sha256), *base.files),
    )


def _extended_path(settings: SettingsFile) -> Path:
    value = settings.table["extends"]
    if not isinstance(value, str) or not value.strip():
        raise settings.error("extends", f"must be the path of a policy file, not {_shown(value)}")
    if "://" in value:
        raise settings.error("extends", f"{value!r}: only local paths are read (ospo-scan never opens the network)")
    path = (settings.path.parent / value).resolve()
    if not path.is_file():
        raise settings.error("extends", f"{value!r}: no such file ({path})")
    return path


def _first_party(settings: SettingsFile) -> list[str]:
    patterns = _strings(settings, settings.table, "first-party", "first-party")
    for index, pattern in enumerate(patterns):
        try:
            check_first_party_pattern(pattern)
        except PatternError as error:
            raise settings.error(f"first-party[{index}]", str(error)) from None
    return patterns


def _rules(settings: SettingsFile) -> list[Rule]:
    tables = _tables(settings, "rules")
    rules: list[Rule] = []
    for index, table in enumerate(tables):
        rule = _rule(settings, f"rules[{index}]", table)
        if any(r.id == rule.id for r in rules):
            raise settings.error(f"rules[{index}].id", f"{rule.id!r} is the id of an earlier rule; ids must be unique")
        rules.append(rule)
    return rules


def _rule(settings: SettingsFile, where: str, table: Mapping[str, Any]) -> Rule:
    _known_keys(settings, where, table, _RULE_KEYS)
    rule_id = _required_string(settings, table, "id", where)
    kinds = [kind for kind in RuleKind if kind.value in table]
    if len(kinds) != 1:
        found = ", ".join(k.value for k in kinds) or "none"
        raise settings.error(where, f"needs exactly one of {', '.join(k.value for k in RuleKind)} (found: {found})")
    kind = kinds[0]
    return Rule(
        id=rule_id,
        kind=kind,
        severity=_severity(settings, table, where),
        scopes=_scopes(settings, table, where),
        include_optional=_boolean(settings, table, "include-optional", where, default=True),
        description=_optional_string(settings, table, "description", where),
        source=str(settings.path),
        **_rule_subject(settings, table, where, kind),
    )


def _rule_subject(settings: SettingsFile, table: Mapping[str, Any], where: str, kind: RuleKind) -> dict[str, Any]:
    key = f"{where}.{kind.value}"
    if kind in _FLAG_KINDS:
        if table[kind.value] is not True:
            raise settings.error(key, f"must be true (remove the rule to switch it off), not {_shown(table[kind.value])}")
        return {}
    entries = _strings(settings, table, kind.value, key, required=True)
    if kind is RuleKind.DENY_CATEGORIES:
        for index, entry in enumerate(entries):
            if entry not in _CATEGORIES:
                raise settings.error(f"{key}[{index}]", f"unknown category {entry!r} (known: {', '.join(_CATEGORIES)})")
        return {"categories": frozenset(entries)}
    canonical: list[str] = []
    for index, entry in enumerate(entries):
        try:
            canonical.append(canonical_entry(entry))
        except LicenseListError as error:
            raise settings.error(f"{key}[{index}]", str(error)) from None
    return {"licenses": license_set(entries), "license_entries": tuple(canonical)}


def _exceptions(settings: SettingsFile, rule_ids: set[str], *, start: int) -> list[PolicyException]:
    found: list[PolicyException] = []
    for index, table in enumerate(_tables(settings, "exceptions")):
        where = f"exceptions[{index}]"
        _known_keys(settings, where, table, _EXCEPTION_KEYS)
        purl = _required_string(settings, table, "purl", where)
        versions = _optional_string(settings, table, "versions", where)
        try:
            check_exception_pattern(purl, versions)
        except PatternError as error:
            raise settings.error(f"{where}.{'versions' if versions and 'version' in str(error) else 'purl'}", str(error)) from None
        rules = _strings(settings, table, "rules", f"{where}.rules")
        for rule_index, rule_id in enumerate(rules):
            if rule_id not in rule_ids:
                raise settings.error(f"{where}.rules[{rule_index}]", f"no rule has the id {rule_id!r}")
        found.append(PolicyException(
            purl=purl,
            versions=versions,
            license=_approved_license(settings, table, where),
            reason=_required_string(settings, table, "reason", where),
            rules=tuple(rules),
            approved_by=_optional_string(settings, table, "approved-by", where),
            ticket=_optional_string(settings, table, "ticket", where),
            expires=_date(settings, table, "expires", where),
            source=str(settings.path),
            index=start + index,
        ))
    return found


def _approved_license(settings: SettingsFile, table: Mapping[str, Any], where: str) -> str | None:
    value = _optional_string(settings, table, "license", where)
    if value is None:
        return None
    from ospo_scan.licenses import spdx

    try:
        return spdx.parse(value)
    except spdx.SpdxError as error:
        raise settings.error(f"{where}.license", f"{value!r}: {error}") from None


def _severity(settings: SettingsFile, table: Mapping[str, Any], where: str) -> RuleSeverity:
    value = table.get("severity", RuleSeverity.ERROR.value)
    try:
        return RuleSeverity(value)
    except ValueError:
        raise settings.error(f"{where}.severity", f"must be one of {', '.join(s.value for s in RuleSeverity)}, not {_shown(value)}") from None


def _scopes(settings: SettingsFile, table: Mapping[str, Any], where: str) -> frozenset[Lifecycle] | None:
    if "scopes" not in table:
        return None
    names = _strings(settings, table, "scopes", f"{where}.scopes", required=True)
    for index, name in enumerate(names):
        if name not in _LIFECYCLES:
            raise settings.error(f"{where}.scopes[{index}]", f"unknown lifecycle {name!r} (known: {', '.join(_LIFECYCLES)})")
    return frozenset(Lifecycle(name) for name in names)


def _tables(settings: SettingsFile, key: str) -> list[Mapping[str, Any]]:
    value = settings.table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise settings.error(key, f"must be an array of tables ([[{key}]]), not {type_name(value)}")
    return value


def _known_keys(settings: SettingsFile, where: str, table: Mapping[str, Any], known: Sequence[str]) -> None:
    for key in table:
        if key not in known:
            raise settings.error(f"{where}.{key}", f"unknown key (known: {', '.join(known)})")


def _strings(settings: SettingsFile, table: Mapping[str, Any], key: str, where: str, *, required: bool = False) -> list[str]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(item, str) and item.strip() for item in value):
        raise settings.error(where, f"must be an array of non-empty strings, not {_shown(value)}")
    if required and not value:
        raise settings.error(where, "must not be empty")
    return [item.strip() for item in value]


def _required_string(settings: SettingsFile, table: Mapping[str, Any], key: str, where: str) -> str:
    value = _optional_string(settings, table, key, where)
    if value is None:
        raise settings.error(f"{where}.{key}", "is required")
    return value


def _optional_string(settings: SettingsFile, table: Mapping[str, Any], key: str, where: str) -> str | None:
    if key not in table:
        return None
    value = table[key]
    if not isinstance(value, str) or not value.strip():
        raise settings.error(f"{where}.{key}", f"must be a non-empty string, not {_shown(value)}")
    return value.strip()


def _boolean(settings: SettingsFile, table: Mapping[str, Any], key: str, where: str, *, default: bool) -> bool:
    value = table.get(key, default)
    if not isinstance(value, bool):
        raise settings.error(f"{where}.{key}", f"must be true or false, not {_shown(value)}")
    return value


def _date(settings: SettingsFile, table: Mapping[str, Any], key: str, where: str) -> date | None:
    value = table.get(key)
    if value is None:
        return None
    if isinstance(value, date) and not hasattr(value, "hour"):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise settings.error(f"{where}.{key}", f"must be a date such as 2027-06-30, not {_shown(value)}")


def _shown(value: object) -> str:
    return f"{value!r} ({type_name(value)})"


__all__ = ["ConfigError", "POLICY_KEYS", "has_policy", "load_policy"]
