"""The checks in force: the built-in ones, changed by the settings file's `[assessment]`.

    [assessment]
    disable = ["changelog"]              # built-in checks this organization does not want

    [[assessment.checks]]
    id = "readme-license-section"
    description = "the README says under which license the code is"
    files = ["README"]
    locations = ["."]                    # default: ".", "docs", ".github"
    contains = "(?i)^#+ *licen[cs]e"     # a Python regular expression
    when-licenses = ["Apache-2.0"]       # default: whatever the license
    severity = "recommended"             # required | recommended | optional

A custom check with the id of a built-in one replaces it where it stands; the others
come after the built-in ones, in file order. Every mistake is a ConfigError naming the
file and the key path (`assessment.checks[1].contains`), raised before any repository
is looked at, so a typo never turns into a check that silently passes or fails.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ospo_scan.assessment.checks import BUILT_IN_CHECKS, BUILT_IN_IDS
from ospo_scan.assessment.model import Check, CheckSeverity
from ospo_scan.config.loading import SettingsFile, type_name
from ospo_scan.licenses import spdx

SECTION = "assessment"
_SECTION_KEYS = ("checks", "disable")
_CHECK_KEYS = ("id", "description", "files", "locations", "contains", "when-licenses", "severity")
_SEVERITIES = tuple(severity.value for severity in CheckSeverity)


def checks_in_force(settings: SettingsFile | None) -> tuple[Check, ...]:
    """The built-in checks, with the settings file's replaced, added and disabled ones."""
    if settings is None:
        return BUILT_IN_CHECKS
    parsed: tuple[tuple[Check, ...], frozenset[str]] | None = settings.section(SECTION, _section)
    if parsed is None:
        return BUILT_IN_CHECKS
    custom, disabled = parsed
    by_id = {check.id: check for check in custom}
    kept = tuple(by_id.pop(check.id, check) for check in BUILT_IN_CHECKS if check.id not in disabled)
    return (*kept, *by_id.values())


def _section(settings: SettingsFile, table: Mapping[str, Any]) -> tuple[tuple[Check, ...], frozenset[str]]:
    for key in table:
        if key not in _SECTION_KEYS:
            raise settings.error(f"{SECTION}.{key}", f"unknown key (known: {', '.join(_SECTION_KEYS)})")
    checks = _checks(settings, table.get("checks", []))
    disabled = _disabled(settings, table.get("disable", []), {check.id for check in checks})
    return checks, disabled


def _checks(settings: SettingsFile, value: object) -> tuple[Check, ...]:
    where = f"{SECTION}.checks"
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise settings.error(where, f"must be an array of tables ([[{where}]]), not {type_name(value)}")
    checks: list[Check] = []
    for index, table in enumerate(value):
        check = _check(settings, f"{where}[{index}]", table)
        if any(earlier.id == check.id for earlier in checks):
            raise settings.error(f"{where}[{index}].id", f"{check.id!r} is the id of an earlier check; ids must be unique")
        checks.append(check)
    return tuple(checks)


def _check(settings: SettingsFile, where: str, table: Mapping[str, Any]) -> Check:
    for key in table:
        if key not in _CHECK_KEYS:
            raise settings.error(f"{where}.{key}", f"unknown key (known: {', '.join(_CHECK_KEYS)})")
    check_id = _string(settings, table, "id", where, required=True)
    assert check_id is not None  # required=True
    return Check(
        id=check_id,
        description=_string(settings, table, "description", where) or f"custom check {check_id}",
        files=_file_names(settings, table, where),
        **_locations(settings, table, where),
        contains=_pattern(settings, table, where),
        when_licenses=_licenses(settings, table, where),
        severity=_severity(settings, table, where),
        source=str(settings.path),
    )


def _disabled(settings: SettingsFile, value: object, custom: set[str]) -> frozenset[str]:
    where = f"{SECTION}.disable"
    names = _string_list(settings, value, where)
    for index, name in enumerate(names):
        if name not in BUILT_IN_IDS:
            raise settings.error(f"{where}[{index}]", f"no built-in check has the id {name!r} (built-in: {', '.join(BUILT_IN_IDS)})")
        if name in custom:
            raise settings.error(f"{where}[{index}]", f"{name!r} is both disabled and defined in [[{SECTION}.checks]]; keep one")
    return frozenset(names)


def _file_names(settings: SettingsFile, table: Mapping[str, Any], where: str) -> tuple[str, ...]:
    key = f"{where}.files"
    if "files" not in table:
        raise settings.error(key, "is required")
    names = _string_list(settings, table["files"], key)
    if not names:
        raise settings.error(key, "must not be empty")
    for index, name in enumerate(names):
        if "/" in name or "\\" in name:
            raise settings.error(f"{key}[{index}]", f"{name!r}: a file name, not a path (say the folder in `locations`)")
    return tuple(names)


def _locations(settings: SettingsFile, table: Mapping[str, Any], where: str) -> dict[str, tuple[str, ...]]:
    """`{"locations": ...}`, or nothing for the model's default (root, docs/, .github/)."""
    key = f"{where}.locations"
    if "locations" not in table:
        return {}
    names = _string_list(settings, table["locations"], key)
    if not names:
        raise settings.error(key, "must not be empty")
    folders: list[str] = []
    for index, name in enumerate(names):
        parts = [part for part in name.replace("\\", "/").split("/") if part not in ("", ".")]
        if name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name) or ".." in parts:
            raise settings.error(f"{key}[{index}]", f"{name!r}: a folder inside the repository, relative to its root ('.' for the root)")
        folders.append("/".join(parts) or ".")
    return {"locations": tuple(dict.fromkeys(folders))}


def _pattern(settings: SettingsFile, table: Mapping[str, Any], where: str) -> str | None:
    value = table.get("contains")
    if value is None:
        return None
    if not isinstance(value, str) or not value:
        raise settings.error(f"{where}.contains", f"must be a regular expression (a string), not {type_name(value)}")
    try:
        re.compile(value)
    except re.error as error:
        raise settings.error(f"{where}.contains", f"{value!r} is not a valid regular expression: {error}") from None
    return value


def _licenses(settings: SettingsFile, table: Mapping[str, Any], where: str) -> tuple[str, ...]:
    key = f"{where}.when-licenses"
    ids: list[str] = []
    for index, name in enumerate(_string_list(settings, table.get("when-licenses", []), key)):
        try:
            node = spdx.tree(name)
        except spdx.SpdxError as error:
            raise settings.error(f"{key}[{index}]", f"{name!r}: {error}") from None
        if not isinstance(node, spdx.LicenseId):
            raise settings.error(f"{key}[{index}]", f"{name!r}: one SPDX license id, not an expression")
        ids.append(node.key)
    return tuple(dict.fromkeys(ids))


def _severity(settings: SettingsFile, table: Mapping[str, Any], where: str) -> CheckSeverity:
    value = table.get("severity", CheckSeverity.RECOMMENDED.value)
    if isinstance(value, str) and value in _SEVERITIES:
        return CheckSeverity(value)
    raise settings.error(f"{where}.severity", f"must be one of {', '.join(_SEVERITIES)}, not {value!r} ({type_name(value)})")


def _string(settings: SettingsFile, table: Mapping[str, Any], key: str, where: str, *, required: bool = False) -> str | None:
    if key not in table:
        if required:
            raise settings.error(f"{where}.{key}", "is required")
        return None
    value = table[key]
    if not isinstance(value, str) or not value.strip():
        raise settings.error(f"{where}.{key}", f"must be a non-empty string, not {value!r} ({type_name(value)})")
    return value.strip()


def _string_list(settings: SettingsFile, value: object, where: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) and item.strip() for item in value):
        raise settings.error(where, f"must be an array of non-empty strings, not {value!r} ({type_name(value)})")
    return [item.strip() for item in value]
