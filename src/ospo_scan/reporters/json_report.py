"""The JSON report: the machine contract (schema_version 1), documented in README.md.

Keys and lists are sorted and nothing time-dependent is written, so the same input
gives the same bytes. Additive changes keep schema_version; anything else bumps it.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any, TextIO

from ospo_scan import __version__
from ospo_scan.analysis.summary import summarize
from ospo_scan.licenses.versions import license_data_versions
from ospo_scan.model import Component, Inventory, LicenseInfo, Project, ScanIssue

SCHEMA_VERSION = 1


def render(inventory: Inventory, stream: TextIO, is_terminal: bool = False) -> None:
    """Write the inventory as indented, key-sorted JSON with a trailing newline."""
    del is_terminal  # JSON is the same wherever it goes
    json.dump(to_document(inventory), stream, indent=2, sort_keys=True, ensure_ascii=False)
    stream.write("\n")


def to_document(inventory: Inventory) -> dict[str, Any]:
    """The report as plain data (also used by tests and other reporters)."""
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "ospo-scan", "version": __version__},
        "license_data": license_data_versions(),
        "status": "complete" if inventory.complete else "incomplete",
        "roots": list(inventory.roots),
        "projects": [_project(p) for p in inventory.projects],
        "components": [_component(c) for c in sorted(inventory.components, key=lambda c: c.purl)],
        "relationships": [{"from": r.source, "to": r.target} for r in sorted(inventory.relationships)],
        "issues": [_issue(i) for i in inventory.issues],
        "summary": asdict(summarize(inventory)),
    }


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
        "extras": list(component.extras),
        "markers": list(component.markers),
        "source_url": component.source_url,
        "notes": list(component.notes),
    }


def _license(info: LicenseInfo | None) -> dict[str, Any] | None:
    if info is None:
        return None
    data = asdict(info)
    data["declared"] = list(info.declared)
    return data


def _issue(issue: ScanIssue) -> dict[str, Any]:
    return {"path": issue.path, "line": issue.line, "parser": issue.parser, "message": issue.message}
