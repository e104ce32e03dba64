"""Small inventories written in code, one per edge case, for the analysis tests."""

from __future__ import annotations

from collections.abc import Sequence

from ospo_scan.model import (
    Component,
    Dependency,
    Directness,
    Ecosystem,
    Inventory,
    LicenseInfo,
    Lifecycle,
    Location,
    Project,
    Repository,
    ScanIssue,
    Usage,
)
from ospo_scan.purl import build_purl


def project(path: str, ecosystem: Ecosystem = Ecosystem.NPM, *, license: str | None = None, category: str = "permissive",
            repository: str = ".", manifest: str = "package.json") -> Project:
    """A declared project at `path` whose manifest states `license` (None: none)."""
    info = LicenseInfo(expression=license, category=category if license else "unknown") if license else None
    manifest_path = manifest if path == "." else f"{path}/{manifest}"
    return Project(name=path, version="1.0.0", path=path, ecosystem=ecosystem, license=license, license_info=info,
                   files=(manifest_path,), manifests=(manifest_path,), repository=repository)


def use(project_id: str, lifecycle: Lifecycle = Lifecycle.RUNTIME, *, direct: bool = True, path: str = "package.json",
        line: int = 1, requirement: str | None = None) -> Usage:
    """One usage of a component by a project."""
    return Usage(project=project_id, lifecycle=lifecycle, directness=Directness.DIRECT if direct else Directness.TRANSITIVE,
                 requirement=requirement, location=Location(path=path, line=line))


def component(name: str, version: str | None, *usages: Usage, ecosystem: Ecosystem = Ecosystem.NPM,
              license: str | None = "MIT", category: str | None = None, reason: str | None = None,
              first_party: bool = False, declarations: tuple[tuple[str, Location], ...] = ()) -> Component:
    """A component with a license conclusion (`license=None`: unknown, with `reason`)."""
    if license is None:
        info = LicenseInfo(expression=None, category=category or "unknown", reason=reason)
    else:
        info = LicenseInfo(expression=license, category=category or "permissive", reason=reason)
    return Component(purl=build_purl(ecosystem, name, version), ecosystem=ecosystem, name=name, version=version,
                     usages=tuple(sorted(usages, key=Usage.sort_key)), license=info, first_party=first_party,
                     license_declarations=declarations)


def edge(project_id: str, source: Component | Project, target: Component, lifecycle: Lifecycle = Lifecycle.RUNTIME) -> Dependency:
    """A dependency edge in one project's graph."""
    source_purl = source.purl if isinstance(source, Component) else f"pkg:npm/{source.path}"
    return Dependency(project=project_id, source=source_purl or "", target=target.purl, lifecycle=lifecycle)


def inventory(projects: Sequence[Project], components: Sequence[Component], edges: Sequence[Dependency] = (),
              issues: Sequence[ScanIssue] = (), repositories: Sequence[str] = ()) -> Inventory:
    """An inventory of these parts (repositories by id)."""
    return Inventory(roots=(".",), projects=tuple(projects), components=tuple(components), relationships=tuple(edges),
                     issues=tuple(issues), files_scanned=len(projects),
                     repositories=tuple(Repository(id=r, root=r) for r in repositories))
