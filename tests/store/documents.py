"""Small hand-made report documents and the expectations tests compute from documents."""

from __future__ import annotations

import copy
import re
from collections import defaultdict
from pathlib import PurePosixPath
from typing import Any

from ospo_scan.provenance import SCHEMA_VERSION


def component(purl: str, name: str, version: str | None, project: str, *, license_: str | None = "MIT", category: str = "permissive",
              lifecycle: str = "runtime", directness: str = "direct", ecosystem: str = "npm") -> dict[str, Any]:
    return {
        "purl": purl, "ecosystem": ecosystem, "name": name, "version": version, "first_party": False, "direct": directness == "direct",
        "license": {"expression": license_, "category": category},
        "usages": [{"project": project, "lifecycle": lifecycle, "directness": directness}],
    }


def small_report(repository: str = "svc", components: list[dict[str, Any]] | None = None, commit: str | None = "abc123") -> dict[str, Any]:
    """A report of one npm repository with one project (`npm:.`)."""
    found = components if components is not None else [
        component("pkg:npm/lodash@4.17.21", "lodash", "4.17.21", "npm:."),
        component("pkg:npm/%40babel/core@7.24.0", "@babel/core", "7.24.0", "npm:.", lifecycle="development"),
    ]
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "ospo-scan", "version": "0.1.0"},
        "status": "complete",
        "roots": [repository],
        "repositories": [{"id": ".", "root": repository, "commit": commit, "branch": "main"}],
        "projects": [{"id": "npm:.", "repository": ".", "name": repository, "ecosystem": "npm", "path": ".", "license_info": {"expression": "Apache-2.0"}}],
        "components": found,
        "analysis": {"gaps": {"items": [
            {"code": "unpinned-version", "severity": "low", "message": "x", "component": found[0]["purl"] if found else None,
             "project": "npm:.", "location": {"path": "package.json", "line": 3, "key_path": "dependencies.lodash"}},
        ]}},
    }


def mutated(document: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    """A deep copy of `document` with the value at `path` (`components[0].usages`) replaced,
    or deleted when `value` is DELETE."""
    result = copy.deepcopy(document)
    steps = [int(s) if s.isdigit() else s for s in re.findall(r"[^.\[\]]+", path)]
    target: Any = result
    for step in steps[:-1]:
        target = target[step]
    if value is DELETE:
        del target[steps[-1]]
    else:
        target[steps[-1]] = value
    return result


DELETE = object()


def repository_names(document: dict[str, Any]) -> dict[str, str]:
    """Project id -> repository name (the folder of its repository's root)."""
    roots = {r["id"]: PurePosixPath(r["root"]).name for r in document["repositories"]}
    return {p["id"]: roots[p["repository"]] for p in document["projects"]}


def expected_uses(document: dict[str, Any], wanted: Any) -> set[tuple[str, str]]:
    """(repository, purl) of every component `wanted(component)` accepts, by its usages."""
    names = repository_names(document)
    found = set()
    for entry in document["components"]:
        if wanted(entry):
            found |= {(names[u["project"]], entry["purl"]) for u in entry["usages"]}
    return found


def third_party_by_repository(document: dict[str, Any]) -> dict[str, set[str]]:
    names = repository_names(document)
    found: dict[str, set[str]] = defaultdict(set)
    for entry in document["components"]:
        if not entry["first_party"]:
            for usage in entry["usages"]:
                found[names[usage["project"]]].add(entry["purl"])
    return found
