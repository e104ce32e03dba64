"""The JSON report: the machine contract (schema_version 2), documented in README.md.

The schema ships in the package (ospo_scan/schema/inventory.schema.json); version 2
adds `usages`, typed `relationships`, `repositories`, `provenance` and issue `code`s, and
keeps the derived `scopes`, `direct`, `requirement` and `locations` for readers of version 1.
`analysis` (the three answers) is an addition to version 2.

Keys and lists are sorted and nothing time-dependent is written, so the same input
gives the same bytes. Additive changes keep schema_version; anything else bumps it.

The document is written by orjson where it is installed (a corpus report is some 100 MB:
the standard library's indenting encoder is pure Python and took seconds), byte for byte
as json.dump would write it; whatever orjson refuses or would spell differently (a lone
surrogate, an integer beyond 64 bits, a float written with an exponent) is written by the
json module instead.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, fields
from typing import Any, TextIO

from ospo_scan import __version__
from ospo_scan.collection import fewer_collections
from ospo_scan.analysis import Analysis, analyze
from ospo_scan.analysis.summary import summarize
from ospo_scan.licenses.versions import license_data_versions
from ospo_scan.model import Component, Dependency, Inventory, LicenseInfo, Location, Project, Provenance, Repository, ScanIssue, Usage
from ospo_scan.provenance import SCHEMA_VERSION
from ospo_scan.reporters.analysis_document import analysis_document
from ospo_scan.reporters.policy_document import policy_document
from ospo_scan.policy import PolicyOutcome
from ospo_scan.reporters.report import Report


def render(report: Report, stream: TextIO, is_terminal: bool = False, *, pretty: bool | None = None) -> None:
    """Write the inventory and its analysis as key-sorted JSON with a trailing newline:
    indented by two spaces when `pretty` (default: `report.pretty`), else compact (no
    space at all between tokens)."""
    del is_terminal  # JSON is the same wherever it goes
    with fewer_collections():  # the document is millions of objects that live until written
        write_json(to_document(report.inventory, report.analysis, report.policy), stream, pretty=report.pretty if pretty is None else pretty)


def write_json(document: Any, stream: TextIO, *, pretty: bool = True) -> None:
    """Write plain data as key-sorted JSON and a newline, exactly as `json.dump(document,
    sort_keys=True, ensure_ascii=False)` with `indent=2` (pretty) or compact separators would."""
    stream.write(dumps(document, pretty=pretty))
    stream.write("\n")


def dumps(document: Any, *, pretty: bool = True) -> str:
    """`document` as write_json writes it, without the newline."""
    encoded = _orjson_dumps(document, pretty)
    if encoded is not None:
        return encoded
    if pretty:
        return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False)
    return json.dumps(document, separators=(",", ":"), sort_keys=True, ensure_ascii=False)


_EXPONENT = re.compile(rb"e-[1-9](?![0-9])")
_SMALL_DECIMAL = re.compile(rb"0\.0000")
_BEFORE_A_VALUE = frozenset(b" \n:[,-")


def _spelled_otherwise(encoded: bytes) -> bool:
    """Whether orjson wrote a float below 1e-4, which json spells otherwise (orjson writes
    0.00001 and 2.5e-7 where json writes 1e-05 and 2.5e-07). Looked for by literal first (a
    regular expression that checks what precedes at every byte takes seconds on 100 MB); a
    look-alike inside a string is a false alarm, which only costs the slower encoder. NaN
    and infinities, which orjson writes as null, never reach a report: the criticality
    settings refuse them and every other float is a rounded share or score."""
    for match in _EXPONENT.finditer(encoded):
        start = match.start()
        if start and 48 <= encoded[start - 1] <= 57:  # a digit before the `e`: a number, unless in a string
            begin = start - 1
            while begin and encoded[begin - 1] in b"0123456789.":
                begin -= 1
            if not begin or encoded[begin - 1] in _BEFORE_A_VALUE:
                return True
    return any(not match.start() or encoded[match.start() - 1] in _BEFORE_A_VALUE for match in _SMALL_DECIMAL.finditer(encoded))


def _orjson_dumps(document: Any, pretty: bool) -> str | None:
    """orjson's text when it is json's to the byte; None when orjson is absent or refuses."""
    try:
        import orjson
    except ImportError:
        return None
    option = orjson.OPT_SORT_KEYS | (orjson.OPT_INDENT_2 if pretty else 0)
    try:
        encoded = orjson.dumps(document, option=option)
    except TypeError:  # orjson.JSONEncodeError: a surrogate, a huge integer, a key that is not a string
        return None
    if _spelled_otherwise(encoded):
        return None
    return encoded.decode("utf-8")


def to_document(inventory: Inventory, analysis: Analysis | None = None, policy: PolicyOutcome | None = None) -> dict[str, Any]:
    """The report as plain data (also used by tests and other reporters); the analysis
    is computed with default settings when not given. `policy` only when one was applied."""
    document = {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "ospo-scan", "version": __version__},
        "license_data": license_data_versions(),
        "status": "complete" if inventory.complete else "incomplete",
        "roots": list(inventory.roots),
        "projects": [_project(p) for p in inventory.projects],
        "components": [_component(c) for c in sorted(inventory.components, key=lambda c: c.purl)],
        "relationships": [_relationship(r) for r in sorted(inventory.relationships, key=Dependency.sort_key)],
        "issues": [_issue(i) for i in inventory.issues],
        "repositories": [_repository(r) for r in inventory.repositories],
        "provenance": _provenance(inventory.provenance),
        "summary": asdict(summarize(inventory)),
        "analysis": analysis_document(analysis if analysis is not None else analyze(inventory)),
    }
    if policy is not None:
        document["policy"] = policy_document(policy)
    return document


def _project(project: Project) -> dict[str, Any]:
    return {
        "name": project.name,
        "version": project.version,
        "path": project.path,
        "ecosystem": project.ecosystem.value,
        "license": project.license,
        "license_info": _license(project.license_info),
        "files": list(project.files),
        "manifests": list(project.manifests),
        "lockfiles": list(project.lockfiles),
        "id": project.id,
        "repository": project.repository,
        "purl": project.purl,
        "declared": project.declared,
    }


def _component(component: Component) -> dict[str, Any]:
    return {
        "purl": component.purl,
        "ecosystem": component.ecosystem.value,
        "name": component.name,
        "version": component.version,
        "requirement": component.requirement,
        "scopes": sorted(scope.value for scope in component.scopes),
        "direct": component.direct,
        "first_party": component.first_party,
        "license": _license(component.license),
        "declared_licenses": list(component.declared_licenses),
        "locations": [{"path": loc.path, "line": loc.line} for loc in component.locations],
        "usages": [_usage(u) for u in component.usages],
        "extras": list(component.extras),
        "markers": list(component.markers),
        "source_url": component.source_url,
        "notes": list(component.notes),
    }


_LICENSE_FIELDS = tuple(field.name for field in fields(LicenseInfo) if field.name not in ("license_files", "license_files_reason"))
"""Absolute paths (where the tree was checked out) would make the report depend on the
machine; the license files are for the notices report, which shows them relative."""


def _license(info: LicenseInfo | None) -> dict[str, Any] | None:
    if info is None:
        return None
    data = {name: getattr(info, name) for name in _LICENSE_FIELDS}  # asdict's keys, without its deep copy
    data["declared"] = list(info.declared)
    data["evidence"] = [{"value": e.value, "source": e.source} for e in info.evidence]
    return data


def _usage(usage: Usage) -> dict[str, Any]:
    return {
        "project": usage.project,
        "lifecycle": usage.lifecycle.value,
        "optional": usage.optional,
        "peer": usage.peer,
        "directness": usage.directness.value,
        "group": usage.group,
        "requirement": usage.requirement,
        "location": _location(usage.location),
    }


def _location(location: Location) -> dict[str, Any]:
    return {"path": location.path, "line": location.line, "key_path": location.key_path}


def _relationship(edge: Dependency) -> dict[str, Any]:
    return {"project": edge.project, "from": edge.source, "to": edge.target, "kind": edge.kind.value, "lifecycle": edge.lifecycle.value}


def _repository(repository: Repository) -> dict[str, Any]:
    return {"id": repository.id, "root": repository.root, "commit": repository.commit, "branch": repository.branch}


def _provenance(provenance: Provenance | None) -> dict[str, Any] | None:
    if provenance is None:
        return None
    return {
        "tool_version": provenance.tool_version,
        "schema_version": provenance.schema_version,
        "license_data": dict(provenance.license_data),
        "options_digest": provenance.options_digest,
    }


def _issue(issue: ScanIssue) -> dict[str, Any]:
    return {
        "path": issue.path,
        "line": issue.line,
        "parser": issue.parser,
        "message": issue.message,
        "code": issue.code,
        "severity": issue.severity.value,
        "key_path": issue.key_path,
    }
