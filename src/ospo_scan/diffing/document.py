"""Reading a JSON report document (a dict) into the records a comparison needs.

A report handed to `diff` may come from another machine, an older ospo-scan or a
hand edit, so every field the comparison reads is checked here, once, and a wrong
one is a DocumentError naming its key path (`components[3].purl`): the comparison
itself never meets a missing key or a wrong type. Fields it does not read are not
checked (the schema describes them; a report need not be re-validated to be compared).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from packageurl import PackageURL

from ospo_scan.diffing.model import ReportedComponent, ReportedGap, ReportedViolation, ReportSide
from ospo_scan.provenance import SCHEMA_VERSION

SUPPORTED_SCHEMA_VERSIONS = frozenset({SCHEMA_VERSION})
"""The report versions this ospo-scan can compare (the components and their usages of version 2)."""


class DocumentError(ValueError):
    """Not an ospo-scan JSON report this version can compare (the message starts with a key path)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ReportFacts:
    """One report, as far as a comparison reads it."""

    side: ReportSide
    components: tuple[ReportedComponent, ...]
    """Third-party components only."""
    violations: tuple[ReportedViolation, ...] | None
    """None when the report has no `policy` section (made without a policy)."""
    gaps: tuple[ReportedGap, ...]


def read_report(document: Mapping[str, Any]) -> ReportFacts:
    """The facts of a report document, or DocumentError at the first field that is wrong."""
    if not isinstance(document, Mapping):
        raise DocumentError("the document is not a JSON object")
    _check_identity(document)
    components = tuple(_components(_list(document.get("components"), "components")))
    violations = _violations(document.get("policy"))
    side = ReportSide(
        tool_version=_string(_object(document.get("tool"), "tool").get("version"), "tool.version"),
        schema_version=document["schema_version"],
        status=_string(document.get("status"), "status"),
        roots=tuple(_string(root, f"roots[{i}]") for i, root in enumerate(_list(document.get("roots"), "roots"))),
        components=len(components),
        has_policy=violations is not None,
        policy_files=_policy_files(document.get("policy")),
    )
    return ReportFacts(side=side, components=components, violations=violations, gaps=tuple(_gaps(document.get("analysis"))))


def _check_identity(document: Mapping[str, Any]) -> None:
    """An ospo-scan report, of a schema version this code reads."""
    tool = document.get("tool")
    if not isinstance(tool, Mapping) or tool.get("name") != "ospo-scan" or "components" not in document:
        raise DocumentError("not a JSON report of ospo-scan (no tool.name \"ospo-scan\" and components); make one with `ospo-scan scan --format json`")
    version = document.get("schema_version")
    if type(version) is not int:
        raise DocumentError("schema_version: must be a whole number")
    if version not in SUPPORTED_SCHEMA_VERSIONS:
        newer = " (made by a newer ospo-scan: upgrade this one)" if version > max(SUPPORTED_SCHEMA_VERSIONS) else ""
        supported = ", ".join(str(v) for v in sorted(SUPPORTED_SCHEMA_VERSIONS))
        raise DocumentError(f"schema_version: {version} is not supported{newer}; this ospo-scan compares version {supported}")


def _components(raw: list[Any]) -> list[ReportedComponent]:
    """Third-party components: first-party ones are the repository's own code, not open
    source it takes in (the analysis does not count them either)."""
    found = []
    for index, item in enumerate(raw):
        where = f"components[{index}]"
        entry = _object(item, where)
        if entry.get("first_party") is True:
            continue
        found.append(_component(entry, where))
    return found


def _component(entry: Mapping[str, Any], where: str) -> ReportedComponent:
    purl = _string(entry.get("purl"), f"{where}.purl")
    license_ = entry.get("license")
    license_info = _object(license_, f"{where}.license") if license_ is not None else {}
    usages = _list(entry.get("usages", []), f"{where}.usages")
    projects = {_string(_object(u, f"{where}.usages[{i}]").get("project"), f"{where}.usages[{i}].project") for i, u in enumerate(usages)}
    return ReportedComponent(
        purl=purl,
        package=_package(purl, f"{where}.purl"),
        ecosystem=_string(entry.get("ecosystem"), f"{where}.ecosystem"),
        name=_string(entry.get("name"), f"{where}.name"),
        version=_optional_string(entry.get("version"), f"{where}.version"),
        license=_optional_string(license_info.get("expression"), f"{where}.license.expression"),
        category=_optional_string(license_info.get("category"), f"{where}.license.category") or "unknown",
        projects=tuple(sorted(projects)),
    )


def _violations(policy: Any) -> tuple[ReportedViolation, ...] | None:
    """Every violation in force: `violations`, and with a baseline its `known` ones too
    (check --baseline moves the baseline's violations there; they still occur). Silenced
    ones are not in force: one that a new exception accepts shows as fixed."""
    if policy is None:
        return None
    section = _object(policy, "policy")
    found = [_violation(v, f"policy.violations[{i}]") for i, v in enumerate(_list(section.get("violations"), "policy.violations"))]
    baseline = section.get("baseline")
    if baseline is not None:
        known = _list(_object(baseline, "policy.baseline").get("known", []), "policy.baseline.known")
        found += [_violation(v, f"policy.baseline.known[{i}]") for i, v in enumerate(known)]
    return tuple(found)


def _violation(item: Any, where: str) -> ReportedViolation:
    entry = _object(item, where)
    path, line = _place(entry.get("location"), f"{where}.location")
    return ReportedViolation(
        fingerprint=_string(entry.get("fingerprint"), f"{where}.fingerprint"),
        rule=_string(entry.get("rule"), f"{where}.rule"),
        severity=_string(entry.get("severity"), f"{where}.severity"),
        message=_optional_string(entry.get("message"), f"{where}.message") or "",
        component=_optional_string(entry.get("component"), f"{where}.component"),
        package=_optional_string(entry.get("package"), f"{where}.package"),
        project=_optional_string(entry.get("project"), f"{where}.project"),
        path=path,
        line=line,
    )


def _policy_files(policy: Any) -> tuple[str, ...]:
    if not isinstance(policy, Mapping) or not isinstance(policy.get("files"), list):
        return ()
    return tuple(str(f.get("sha256", "")) for f in policy["files"] if isinstance(f, Mapping))


def _gaps(analysis: Any) -> list[ReportedGap]:
    """The gaps of `analysis.gaps.items` (none when the report has no analysis)."""
    if analysis is None:
        return []
    gaps = _object(_object(analysis, "analysis").get("gaps", {}), "analysis.gaps")
    return [_gap(item, f"analysis.gaps.items[{i}]") for i, item in enumerate(_list(gaps.get("items", []), "analysis.gaps.items"))]


def _gap(item: Any, where: str) -> ReportedGap:
    entry = _object(item, where)
    component = _optional_string(entry.get("component"), f"{where}.component")
    path, line = _place(entry.get("location"), f"{where}.location")
    return ReportedGap(
        code=_string(entry.get("code"), f"{where}.code"),
        severity=_string(entry.get("severity"), f"{where}.severity"),
        message=_optional_string(entry.get("message"), f"{where}.message") or "",
        component=component,
        package=_package(component, f"{where}.component") if component else None,
        project=_optional_string(entry.get("project"), f"{where}.project"),
        path=path,
        line=line,
    )


def _place(raw: Any, where: str) -> tuple[str | None, int | None]:
    if raw is None:
        return None, None
    location = _object(raw, where)
    line = location.get("line")
    if line is not None and type(line) is not int:
        raise DocumentError(f"{where}.line: must be a whole number or null")
    return _optional_string(location.get("path"), f"{where}.path"), line


def _package(purl: str, where: str) -> str:
    try:
        return package_of(purl)
    except ValueError as error:
        raise DocumentError(f"{where}: {purl!r} is not a package URL ({error})") from None


@cache
def package_of(purl: str) -> str:
    """The purl without its version: the package, whatever version a report has of it.
    Qualifiers stay (a Maven classifier is another artifact, not another version)."""
    parsed = PackageURL.from_string(purl)
    return PackageURL(type=parsed.type, namespace=parsed.namespace, name=parsed.name, qualifiers=parsed.qualifiers, subpath=parsed.subpath).to_string()


def _object(value: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise DocumentError(f"{where}: must be an object")
    return value


def _list(value: Any, where: str) -> list[Any]:
    if not isinstance(value, list):
        raise DocumentError(f"{where}: must be a list")
    return value


def _string(value: Any, where: str) -> str:
    if not isinstance(value, str):
        raise DocumentError(f"{where}: must be a string")
    return value


def _optional_string(value: Any, where: str) -> str | None:
    if value is not None and not isinstance(value, str):
        raise DocumentError(f"{where}: must be a string or null")
    return value
