"""Which files make up which project, and which projects share one lockfile.

A project is a folder with manifests of one ecosystem. In a monorepo one lockfile at
the top pins the packages of every workspace member; each member stays a project of
its own (its manifest says what *it* asks for), and the lockfile's `unit` is the set of
projects it covers. Members are known from the lockfile (`workspace_paths`) or from the
root manifest's globs (package.json `workspaces`, which a yarn v1 lockfile does not repeat).
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from fnmatch import fnmatchcase

from ospo_scan.model import Ecosystem, Project
from ospo_scan.parsers.base import FileRole, ParseResult, ParserSpec
from ospo_scan.purl import build_purl, normalize_name


@dataclass(frozen=True, slots=True)
class ParsedFile:
    """One file's parse result, with where it lives."""

    path: str
    """Path relative to the scan root, as shown in locations."""
    spec: ParserSpec
    result: ParseResult


@dataclass(slots=True, eq=False)
class ProjectFiles:
    """The manifests and lockfiles of one project folder."""

    directory: str
    ecosystem: Ecosystem
    manifests: list[ParsedFile] = field(default_factory=list)
    lockfiles: list[ParsedFile] = field(default_factory=list)
    id: str = ""
    """Same as Project.id; built once, so every usage of the project shares one string."""

    def __post_init__(self) -> None:
        self.id = f"{self.ecosystem.value}:{self.directory}"


@dataclass(slots=True)
class Unit:
    """Projects resolved against the same lockfiles: the lockfile's project and its members."""

    lead: ProjectFiles
    members: list[ProjectFiles]
    """The lead first, then the workspace members it covers."""

    @property
    def lockfiles(self) -> list[ParsedFile]:
        return self.lead.lockfiles


def group_by_project(parsed: Iterable[ParsedFile]) -> list[ProjectFiles]:
    """Files grouped by (project folder, ecosystem), sorted."""
    groups: dict[tuple[str, Ecosystem], ProjectFiles] = {}
    for item in parsed:
        key = (item.spec.project_folder(item.path), item.spec.ecosystem)
        group = groups.setdefault(key, ProjectFiles(directory=key[0], ecosystem=key[1]))
        (group.lockfiles if item.spec.role is FileRole.LOCKFILE else group.manifests).append(item)
    for group in groups.values():
        _prefer_shrinkwrap(group)
    return [groups[key] for key in sorted(groups, key=lambda k: (k[0], k[1].value))]


def _prefer_shrinkwrap(group: ProjectFiles) -> None:
    """npm ignores package-lock.json when npm-shrinkwrap.json sits beside it; so do we."""
    names = {posixpath.basename(f.path) for f in group.lockfiles}
    if "npm-shrinkwrap.json" in names and "package-lock.json" in names:
        group.lockfiles = [f for f in group.lockfiles if posixpath.basename(f.path) != "package-lock.json"]


def units(groups: Sequence[ProjectFiles]) -> list[Unit]:
    """Each project with a lockfile takes the members without one that it covers."""
    by_key = {(g.directory, g.ecosystem): g for g in groups}
    taken: set[tuple[str, Ecosystem]] = set()
    found: list[Unit] = []
    for group in groups:
        if not group.lockfiles:
            continue
        unit = Unit(lead=group, members=[group])
        for key in _member_keys(group, groups):
            member = by_key.get(key)
            if member is None or member is group or member.lockfiles or key in taken:
                continue
            unit.members.append(member)
            taken.add(key)
        found.append(unit)
    leads = {(u.lead.directory, u.lead.ecosystem) for u in found}
    for group in groups:
        key = (group.directory, group.ecosystem)
        if key not in taken and key not in leads:
            found.append(Unit(lead=group, members=[group]))
    return sorted(found, key=lambda u: (u.lead.directory, u.lead.ecosystem.value))


def _member_keys(group: ProjectFiles, groups: Sequence[ProjectFiles]) -> list[tuple[str, Ecosystem]]:
    keys = [
        (posixpath.normpath(posixpath.join(group.directory, member)), group.ecosystem)
        for lockfile in group.lockfiles
        for member in lockfile.result.workspace_paths
    ]
    patterns = [pattern for manifest in group.manifests for pattern in manifest.result.workspace_patterns]
    if patterns:
        keys.extend((g.directory, g.ecosystem) for g in groups if g.ecosystem is group.ecosystem and _matches_any(g.directory, group.directory, patterns))
    return keys


def _matches_any(directory: str, base: str, patterns: Sequence[str]) -> bool:
    """Whether `directory` is a workspace folder that one of the globs (relative to `base`) names."""
    relative = directory if base == "." else posixpath.relpath(directory, base) if directory.startswith(base + "/") else None
    if relative is None or relative == ".":
        return False
    included = False
    for pattern in patterns:
        negated = pattern.startswith("!")
        body = posixpath.normpath(pattern.removeprefix("!").removeprefix("./"))
        if _glob_match(relative.split("/"), body.split("/")):
            included = not negated
    return included


def _glob_match(parts: list[str], pattern: list[str]) -> bool:
    """Segment-wise glob where `**` spans any number of folders."""
    if not pattern:
        return not parts
    head, rest = pattern[0], pattern[1:]
    if head == "**":
        return any(_glob_match(parts[i:], rest) for i in range(len(parts) + 1))
    return bool(parts) and fnmatchcase(parts[0], head) and _glob_match(parts[1:], rest)


def project_record(group: ProjectFiles, root_name: str, repository: str) -> Project:
    """The Project a group of files describes (name from its manifest, else its folder)."""
    declared = [f.result.project for f in (*group.manifests, *group.lockfiles) if f.result.project is not None]
    name = next((p.name for p in declared if p.name), None)
    version = next((p.version for p in declared if p.version), None)
    license_ = next((p.license for p in declared if p.license), None)
    fallback = posixpath.basename(group.directory) if group.directory != "." else root_name
    manifests = tuple(sorted(f.path for f in group.manifests))
    lockfiles = tuple(sorted(f.path for f in group.lockfiles))
    return Project(
        name=name or fallback,
        version=version,
        path=group.directory,
        ecosystem=group.ecosystem,
        license=license_,
        files=tuple(sorted((*manifests, *lockfiles))),
        manifests=manifests,
        lockfiles=lockfiles,
        repository=repository,
        purl=_project_purl(group.ecosystem, name, version),
        declared=name is not None,
    )


def _project_purl(ecosystem: Ecosystem, name: str | None, version: str | None) -> str | None:
    if not name:
        return None
    try:
        return build_purl(ecosystem, normalize_name(ecosystem, name), version)
    except ValueError:  # a name no purl can hold (spaces, an unresolved ${property})
        return None
