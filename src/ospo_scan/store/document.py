"""A snapshot as a JSON report document, so `snapshot diff` is `ospo-scan diff`.

The document has the report's shape (schema_version 2: repositories, projects,
components with usages, analysis.gaps.items, and policy.violations when some scan of
the snapshot was judged by a policy), so `diffing.read_report` reads it and `compare`
diffs two of them. Project ids are qualified by their repository
(`shop/pypi:services/api`): two repositories' `npm:.` never collide; so are violation
fingerprints, which name the project without its repository. A package URL used
by several repositories is one component whose usages are all of theirs, as a report
of several roots has it; its license is the first concluded one by repository name.
This is the one read that loads a whole snapshot: the document is the snapshot.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from typing import Any

from ospo_scan.provenance import SCHEMA_VERSION

Rows = Callable[[str, Sequence[Any]], list[tuple[Any, ...]]]
"""Runs one query with its parameters and gives every row."""

_IN_SNAPSHOT = "FROM snapshot_scans ss JOIN repository_scans r ON r.id = ss.scan_id"


def snapshot_document(rows: Rows, snapshot_id: int) -> dict[str, Any]:
    """The report document of snapshot `snapshot_id` (which exists)."""
    scans = rows(
        f"SELECT r.id, r.repository, r.commit_id, r.branch, r.status, r.has_policy, r.tool_version {_IN_SNAPSHOT} WHERE ss.snapshot_id = ? ORDER BY r.repository, r.id",
        (snapshot_id,),
    )
    name_of = {scan_id: repository for scan_id, repository, *_ in scans}
    tool_versions = sorted({scan[6] for scan in scans})
    document: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "ospo-scan", "version": ", ".join(tool_versions)},
        "status": "incomplete" if any(scan[4] != "complete" for scan in scans) else "complete",
        "roots": [repository for _, repository, *_ in scans],
        "repositories": [{"id": repo, "root": repo, "commit": commit, "branch": branch} for _, repo, commit, branch, *_ in scans],
        "projects": _projects(rows, snapshot_id, name_of),
        "components": _components(rows, snapshot_id, name_of),
        "relationships": [],
        "issues": [],
        "analysis": {"gaps": _gaps(rows, snapshot_id, name_of)},
    }
    if any(scan[5] for scan in scans):
        document["policy"] = {"violations": _violations(rows, snapshot_id, name_of)}
    return document


def qualified(repository: str, project: str | None) -> str | None:
    """A project id unique across the organization: `<repository>/<project id>`."""
    return f"{repository}/{project}" if project is not None else None


def _projects(rows: Rows, snapshot_id: int, name_of: dict[int, str]) -> list[dict[str, Any]]:
    found = rows(
        "SELECT p.scan_id, p.project, p.name, p.ecosystem, p.path, p.license FROM snapshot_scans ss JOIN projects p ON p.scan_id = ss.scan_id WHERE ss.snapshot_id = ?",
        (snapshot_id,),
    )
    projects = [
        {
            "id": qualified(name_of[scan_id], project),
            "repository": name_of[scan_id],
            "name": name,
            "version": None,
            "ecosystem": ecosystem,
            "path": path,
            "license": license_,
            "license_info": {"expression": license_} if license_ is not None else None,
        }
        for scan_id, project, name, ecosystem, path, license_ in found
    ]
    return sorted(projects, key=lambda p: p["id"])


def _components(rows: Rows, snapshot_id: int, name_of: dict[int, str]) -> list[dict[str, Any]]:
    usages: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for component_id, scan_id, project, lifecycle, directness in rows(
        """SELECT u.component_id, c.scan_id, u.project, u.lifecycle, u.directness FROM snapshot_scans ss
           JOIN components c ON c.scan_id = ss.scan_id JOIN usages u ON u.component_id = c.id WHERE ss.snapshot_id = ?""",
        (snapshot_id,),
    ):
        usages[component_id].append({"project": qualified(name_of[scan_id], project), "lifecycle": lifecycle, "directness": directness})
    merged: dict[str, dict[str, Any]] = {}
    found = rows(
        """SELECT c.id, c.scan_id, c.purl, c.ecosystem, c.name, c.version, c.license, c.category, c.first_party, c.direct
           FROM snapshot_scans ss JOIN components c ON c.scan_id = ss.scan_id WHERE ss.snapshot_id = ?""",
        (snapshot_id,),
    )
    for component_id, scan_id, purl, ecosystem, name, version, license_, category, first_party, direct in sorted(found, key=lambda r: (r[2], name_of[r[1]])):
        entry = merged.get(purl)
        if entry is None:
            entry = merged[purl] = {
                "purl": purl, "ecosystem": ecosystem, "name": name, "version": version, "first_party": bool(first_party),
                "direct": False, "license": {"expression": license_, "category": category}, "usages": [],
            }
        elif entry["license"]["expression"] is None and license_ is not None:
            entry["license"] = {"expression": license_, "category": category}
        entry["first_party"] = entry["first_party"] and bool(first_party)  # third-party to any repository: third-party
        entry["direct"] = entry["direct"] or bool(direct)
        entry["usages"].extend(usages.get(component_id, []))
    for entry in merged.values():
        entry["usages"].sort(key=lambda u: (u["project"], u["lifecycle"], u["directness"]))
    return [merged[purl] for purl in sorted(merged)]


def _place(path: str | None, line: int | None) -> dict[str, Any] | None:
    return None if path is None and line is None else {"path": path, "line": line, "key_path": None}


def _gaps(rows: Rows, snapshot_id: int, name_of: dict[int, str]) -> dict[str, Any]:
    found = rows(
        """SELECT g.scan_id, g.code, g.severity, g.message, g.component, g.project, g.path, g.line
           FROM snapshot_scans ss JOIN gaps g ON g.scan_id = ss.scan_id WHERE ss.snapshot_id = ?""",
        (snapshot_id,),
    )
    items = [
        {"code": code, "severity": severity, "message": message, "component": component,
         "project": qualified(name_of[scan_id], project), "repository": name_of[scan_id], "location": _place(path, line)}
        for scan_id, code, severity, message, component, project, path, line in found
    ]
    items.sort(key=lambda g: (g["code"], g["repository"], g["component"] or "", g["project"] or "", g["message"]))
    return {"counts": dict(sorted(Counter(item["code"] for item in items).items())), "items": items}


def _violations(rows: Rows, snapshot_id: int, name_of: dict[int, str]) -> list[dict[str, Any]]:
    found = rows(
        """SELECT v.scan_id, v.fingerprint, v.rule, v.severity, v.message, v.component, v.package, v.project, v.path, v.line
           FROM snapshot_scans ss JOIN violations v ON v.scan_id = ss.scan_id WHERE ss.snapshot_id = ?""",
        (snapshot_id,),
    )
    items = [
        {"fingerprint": f"{name_of[scan_id]}/{fingerprint}", "rule": rule, "severity": severity, "message": message, "component": component, "package": package,
         "project": qualified(name_of[scan_id], project), "repository": name_of[scan_id], "location": _place(path, line)}
        for scan_id, fingerprint, rule, severity, message, component, package, project, path, line in found
    ]
    return sorted(items, key=lambda v: (v["rule"], v["repository"], v["fingerprint"], v["project"] or ""))
