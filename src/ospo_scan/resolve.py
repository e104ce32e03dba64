"""Cross-file resolution: declared packages of many files -> one normalized inventory.

Parsers report what each file says. Here the files of one project (a directory, per
ecosystem) are read together: the lockfile pins versions, the manifest says which
packages are direct and in what scope, and every location accumulates. Then all
projects are merged by purl. This is the only module that builds Components.
"""

from __future__ import annotations

import posixpath
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from ospo_scan.model import Component, Ecosystem, Location, Project, Relationship, Scope
from ospo_scan.parsers.base import DeclaredPackage, FileRole, ParseResult, ParserSpec
from ospo_scan.purl import build_purl, normalize_name


@dataclass(frozen=True, slots=True)
class ParsedFile:
    """One file's parse result, with where it lives."""

    path: str
    """Path relative to the scan root, as shown in locations."""
    spec: ParserSpec
    result: ParseResult


@dataclass(slots=True)
class _ProjectFiles:
    directory: str
    ecosystem: Ecosystem
    manifests: list[ParsedFile] = field(default_factory=list)
    lockfiles: list[ParsedFile] = field(default_factory=list)


@dataclass(slots=True)
class _Draft:
    """A component being assembled; becomes a frozen Component at the end."""

    ecosystem: Ecosystem
    name: str
    version: str | None
    requirement: str | None = None
    scopes: set[Scope] = field(default_factory=set)
    direct: bool = False
    first_party: bool = False
    locations: set[Location] = field(default_factory=set)
    extras: set[str] = field(default_factory=set)
    markers: set[str] = field(default_factory=set)
    source_url: str | None = None
    declared_licenses: set[str] = field(default_factory=set)
    notes: set[str] = field(default_factory=set)
    lock_direct: bool | None = None
    """What a lockfile itself said about directness (None: it cannot tell)."""
    qualifiers: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Resolution:
    """The merged result of all parsed files of a scan."""

    projects: tuple[Project, ...]
    components: tuple[Component, ...]
    relationships: tuple[Relationship, ...]


def resolve(parsed: Sequence[ParsedFile], root_name: str) -> Resolution:
    """Group files into projects, reconcile manifests with lockfiles, merge by purl."""
    groups = _group_by_project(parsed)
    own_names = _first_party_names(groups)
    projects = [_project_record(group, root_name) for group in groups]
    drafts: dict[str, _Draft] = {}
    relationships: set[Relationship] = set()
    for group in _attach_workspaces(groups):
        for draft in _project_drafts(group, own_names[group.ecosystem]):
            _merge_into(drafts, draft)
        relationships.update(_relationships(group))
    components = tuple(_freeze(purl, draft) for purl, draft in sorted(drafts.items()))
    known = {component.purl for component in components}
    edges = tuple(sorted(edge for edge in relationships if edge.source in known and edge.target in known))
    return Resolution(projects=tuple(sorted(projects, key=lambda p: (p.path, p.ecosystem.value))), components=components, relationships=edges)


def _group_by_project(parsed: Iterable[ParsedFile]) -> list[_ProjectFiles]:
    groups: dict[tuple[str, Ecosystem], _ProjectFiles] = {}
    for item in parsed:
        key = (item.spec.project_folder(item.path), item.spec.ecosystem)
        group = groups.setdefault(key, _ProjectFiles(directory=key[0], ecosystem=key[1]))
        (group.lockfiles if item.spec.role is FileRole.LOCKFILE else group.manifests).append(item)
    for group in groups.values():
        _prefer_shrinkwrap(group)
    return [groups[key] for key in sorted(groups, key=lambda k: (k[0], k[1].value))]


def _prefer_shrinkwrap(group: _ProjectFiles) -> None:
    """npm ignores package-lock.json when npm-shrinkwrap.json sits beside it; so do we."""
    names = {posixpath.basename(f.path) for f in group.lockfiles}
    if "npm-shrinkwrap.json" in names and "package-lock.json" in names:
        group.lockfiles = [f for f in group.lockfiles if posixpath.basename(f.path) != "package-lock.json"]


def _attach_workspaces(groups: list[_ProjectFiles]) -> list[_ProjectFiles]:
    """Fold workspace members without a lockfile of their own into the lockfile that covers them.

    In a monorepo one lockfile at the top pins the packages of every workspace; the
    workspace's package.json (or pyproject) says which are direct. Without this step
    each workspace manifest would give unpinned duplicates of the locked packages.
    """
    by_key = {(g.directory, g.ecosystem): g for g in groups}
    absorbed: set[tuple[str, Ecosystem]] = set()
    for group in groups:
        for lockfile in group.lockfiles:
            for member in lockfile.result.workspace_paths:
                key = (posixpath.normpath(posixpath.join(group.directory, member)), group.ecosystem)
                member_group = by_key.get(key)
                if member_group is None or member_group is group or member_group.lockfiles or key in absorbed:
                    continue
                group.manifests.extend(member_group.manifests)
                absorbed.add(key)
    return [g for g in groups if (g.directory, g.ecosystem) not in absorbed]


def _first_party_names(groups: Iterable[_ProjectFiles]) -> dict[Ecosystem, set[str]]:
    """Names of every project and workspace member in the scan: these are not third-party."""
    names: dict[Ecosystem, set[str]] = defaultdict(set)
    for group in groups:
        for item in (*group.manifests, *group.lockfiles):
            project = item.result.project
            if project is not None and project.name:
                names[group.ecosystem].add(normalize_name(group.ecosystem, project.name))
            names[group.ecosystem].update(normalize_name(group.ecosystem, n) for n in item.result.workspace_members)
    return names


def _project_record(group: _ProjectFiles, root_name: str) -> Project:
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
    )


def _project_drafts(group: _ProjectFiles, own_names: set[str]) -> list[_Draft]:
    """Reconcile one project's manifests and lockfiles into drafts (one per name/version)."""
    manifest_drafts = _fold_into_pins([_draft(group.ecosystem, f, p, own_names, default_direct=True) for f in group.manifests for p in f.result.packages])
    if not group.lockfiles:
        return manifest_drafts
    by_name: dict[str, list[_Draft]] = defaultdict(list)
    for draft in manifest_drafts:
        by_name[draft.name].append(draft)
    locked = [_draft(group.ecosystem, f, p, own_names, default_direct=False) for f in group.lockfiles for p in f.result.packages]
    locked_by_name: dict[str, list[_Draft]] = defaultdict(list)
    for draft in locked:
        locked_by_name[draft.name].append(draft)
    for name, versions in locked_by_name.items():
        declared = by_name.get(name)
        if declared:
            # Several locked versions of a declared name (npm nests them): the manifest speaks
            # for the ones the lockfile does not call transitive.
            for draft in [d for d in versions if d.lock_direct is not False] or versions:
                _apply_manifest(draft, declared)
        elif not group.manifests:
            for draft in versions:
                if draft.lock_direct is None:
                    draft.notes.add("lockfile without its manifest: cannot tell direct from transitive")
    locked_names = set(locked_by_name)
    unlocked = [d for d in manifest_drafts if d.name not in locked_names]
    for draft in unlocked:
        if not draft.first_party:  # the project's own code is never in its lockfile
            draft.notes.add("declared in the manifest but absent from the lockfile")
    return locked + unlocked


def _fold_into_pins(drafts: list[_Draft]) -> list[_Draft]:
    """An unpinned declaration joins the one version another manifest of the project pins.

    A pyproject.toml asking for `celery[redis]` beside the pip-compile'd requirements.txt
    that pins `celery==5.2.7` is one component, not an unpinned one plus a pinned one:
    the pinning file plays the lockfile's part. With several pinned versions there is no
    telling which one the range means, so nothing is folded.
    """
    pinned: dict[str, list[_Draft]] = defaultdict(list)
    for draft in drafts:
        if draft.version is not None:
            pinned[draft.name].append(draft)
    kept: list[_Draft] = []
    for draft in drafts:
        targets = pinned.get(draft.name, [])
        if draft.version is None and len({t.version for t in targets}) == 1:
            for target in targets:
                target.requirement = draft.requirement or target.requirement  # the range as written
                _absorb(target, draft)
        else:
            kept.append(draft)
    return kept


def _absorb(target: _Draft, other: _Draft) -> None:
    """`target` becomes the union of two declarations of one package (first requirement kept)."""
    target.direct = target.direct or other.direct
    target.scopes |= other.scopes
    target.requirement = target.requirement or other.requirement
    _take_details(target, other)


def _take_details(target: _Draft, other: _Draft) -> None:
    """Locations and the other accumulating details, whatever else the caller decides."""
    target.locations |= other.locations
    target.extras |= other.extras
    target.markers |= other.markers
    target.notes |= other.notes
    target.declared_licenses |= other.declared_licenses
    target.first_party = target.first_party or other.first_party
    target.source_url = target.source_url or other.source_url


def _apply_manifest(draft: _Draft, declared: list[_Draft]) -> None:
    """A locked package that a manifest names takes the manifest's scopes and directness.

    Directness comes from the manifest entry (usually True; go.mod's `// indirect` says False).
    """
    draft.direct = any(d.direct for d in declared)
    draft.scopes = set().union(*(d.scopes for d in declared)) or draft.scopes
    draft.requirement = draft.requirement or next((d.requirement for d in declared if d.requirement), None)
    for d in declared:
        _take_details(draft, d)


def _draft(ecosystem: Ecosystem, file: ParsedFile, package: DeclaredPackage, own_names: set[str], *, default_direct: bool) -> _Draft:
    name = normalize_name(ecosystem, package.name)
    direct = package.direct if package.direct is not None else default_direct
    return _Draft(
        ecosystem=ecosystem,
        name=name,
        version=package.version or None,
        requirement=package.requirement,
        scopes=set(package.scopes),
        direct=direct,
        first_party=package.first_party or name in own_names,
        locations={Location(path=package.path or file.path, line=package.line)},
        extras=set(package.extras),
        markers={package.markers} if package.markers else set(),
        source_url=package.source_url,
        declared_licenses={package.declared_license} if package.declared_license else set(),
        notes={package.note} if package.note else set(),
        lock_direct=package.direct,
        qualifiers=package.qualifiers,
    )


def _merge_into(drafts: dict[str, _Draft], draft: _Draft) -> None:
    purl = build_purl(draft.ecosystem, draft.name, draft.version, dict(draft.qualifiers))
    existing = drafts.get(purl)
    if existing is None:
        drafts[purl] = draft
    else:
        _absorb(existing, draft)


def _freeze(purl: str, draft: _Draft) -> Component:
    return Component(
        purl=purl,
        ecosystem=draft.ecosystem,
        name=draft.name,
        version=draft.version,
        requirement=draft.requirement,
        scopes=frozenset(draft.scopes or {Scope.RUNTIME}),
        direct=draft.direct,
        first_party=draft.first_party,
        locations=tuple(sorted(draft.locations, key=_location_key)),
        extras=tuple(sorted(draft.extras)),
        markers=tuple(sorted(draft.markers)),
        source_url=draft.source_url,
        declared_licenses=tuple(sorted(draft.declared_licenses)),
        notes=tuple(sorted(draft.notes)),
    )


def _location_key(location: Location) -> tuple[str, int]:
    return location.path, location.line or 0


def _relationships(group: _ProjectFiles) -> set[Relationship]:
    """Lockfile edges as purls; a child without a version takes the only locked one."""
    found: set[Relationship] = set()
    for lockfile in group.lockfiles:
        versions: dict[str, set[str | None]] = defaultdict(set)
        for package in lockfile.result.packages:
            versions[normalize_name(group.ecosystem, package.name)].add(package.version or None)
        for edge in lockfile.result.edges:
            source = _edge_purl(group.ecosystem, edge.parent, edge.parent_version, versions)
            target = _edge_purl(group.ecosystem, edge.child, edge.child_version, versions)
            if source and target and source != target:
                found.add(Relationship(source=source, target=target))
    return found


def _edge_purl(ecosystem: Ecosystem, name: str, version: str | None, versions: dict[str, set[str | None]]) -> str | None:
    normalized = normalize_name(ecosystem, name)
    if version is None:
        candidates = versions.get(normalized, set())
        if len(candidates) != 1:
            return None
        version = next(iter(candidates))
    return build_purl(ecosystem, normalized, version)
