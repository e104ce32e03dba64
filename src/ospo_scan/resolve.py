"""Cross-file resolution: the parsed files of one repository -> projects, usages, edges.

Parsers report what each file says. Here the files of one project (a folder, per
ecosystem) are read together, and a lockfile together with every workspace member it
covers (`resolution.projects`). Each declaration and each lock entry becomes one
`Usage` of one project:

- a declaration (package.json, pyproject.toml, pom.xml...) is a direct usage in the
  lifecycle of its section, attached to the version it resolves to in the lockfile;
- a lock entry of a lockfile that states its graph gets lifecycle, optional and
  directness from `ospo_scan.graph.walk`, run per project from its roots (the
  lockfile's importer sections, else the project's declarations) — one algorithm for
  every such lockfile;
- a lock entry of a lockfile without a graph (Pipfile.lock, gradle.lockfile, go.sum)
  takes the lifecycle of the declaration that names it, else what the lockfile says.

First-party is decided per repository from identities (what the parsers mark from
protocols and local paths, and the repository's own projects by name *and* version),
never from a name alone. This is the only module that builds Components.
"""

from __future__ import annotations

import dataclasses
import posixpath
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from packaging.specifiers import InvalidSpecifier, SpecifierSet

from ospo_scan.graph import PathLabel, Root, Walker
from ospo_scan.model import (
    Component,
    Dependency,
    Directness,
    LIFECYCLE_STRENGTH,
    EdgeKind,
    Ecosystem,
    Lifecycle,
    Location,
    Project,
    ScanIssue,
    Usage,
)
from ospo_scan.parsers.base import DeclaredPackage
from ospo_scan.purl import build_purl
from ospo_scan.resolution.entries import Entry, merge_entries, section_kind
from ospo_scan.resolution.lock_graph import LockGraph, NodeKey, build_lock_graph, names_of, normalize_name_cached
from ospo_scan.resolution.projects import ParsedFile, ProjectFiles, Unit, group_by_project, project_record, units

NOT_LOCKED = "declared in the manifest but absent from the lockfile"
NO_MANIFEST = "lockfile without its manifest: cannot tell direct from transitive"
NOT_REACHED = "locked, but no declared dependency of the project reaches it"

_LIFECYCLES: tuple[Lifecycle, ...] = tuple(sorted(Lifecycle, key=LIFECYCLE_STRENGTH.__getitem__))
"""Lifecycles by rank (LIFECYCLE_STRENGTH), strongest first."""
_WEAKEST = len(_LIFECYCLES)
"""A rank weaker than every lifecycle's."""


@dataclass(frozen=True, slots=True)
class Resolution:
    """Everything one repository's files resolve to."""

    projects: tuple[Project, ...]
    components: tuple[Component, ...]
    relationships: tuple[Dependency, ...]
    issues: tuple[ScanIssue, ...] = ()


def resolve(parsed: Sequence[ParsedFile], root_name: str, repository: str = ".") -> Resolution:
    """Group files into projects, reconcile manifests with lockfiles, merge by purl."""
    groups = group_by_project(parsed)
    projects = {group.id: project_record(group, root_name, repository) for group in groups}
    identities = _Identities.of(projects.values(), groups)
    entries: list[Entry] = []
    edges: dict[tuple[str, str, str, str, str], Dependency] = {}
    issues: list[ScanIssue] = []
    for unit in units(groups):
        resolved = _UnitResolver(unit, projects, identities)
        resolved.run()
        entries.extend(resolved.entries)
        edges.update((edge.sort_key(), edge) for edge in resolved.edges)  # keyed by plain strings: hashing enums is slow
        issues.extend(resolved.issues)
    components = merge_entries(entries)
    project_purls = {p.purl for p in projects.values() if p.purl}
    known = set(components) | project_purls
    relationships = tuple(edges[key] for key in sorted(edges) if (key[1] in known or key[1].startswith("project:")) and key[2] in known)
    ordered = tuple(sorted(projects.values(), key=lambda p: (p.path, p.ecosystem.value)))
    return Resolution(projects=ordered, components=tuple(components[k] for k in sorted(components)), relationships=relationships, issues=tuple(issues))


@dataclass(frozen=True, slots=True)
class _Identities:
    """The repository's own packages: (ecosystem, normalized name) -> versions (None: any)."""

    versions: dict[tuple[Ecosystem, str], frozenset[str | None]]

    @classmethod
    def of(cls, projects: Iterable[Project], groups: Iterable[ProjectFiles]) -> _Identities:
        found: dict[tuple[Ecosystem, str], set[str | None]] = defaultdict(set)
        for project in projects:
            if project.declared:
                found[(project.ecosystem, normalize_name_cached(project.ecosystem, project.name))].add(project.version)
        for group in groups:
            for item in (*group.manifests, *group.lockfiles):
                for member in item.result.workspace_members:
                    key = (group.ecosystem, normalize_name_cached(group.ecosystem, member))
                    if key not in found:
                        found[key].add(None)
        return cls({key: frozenset(values) for key, values in found.items()})

    def own(self, ecosystem: Ecosystem, name: str, version: str | None) -> bool:
        """Same name and a compatible version as one of the repository's projects."""
        if not self.versions:
            return False
        versions = self.versions.get((ecosystem, normalize_name_cached(ecosystem, name)))
        if versions is None:
            return False
        return version is None or None in versions or version in versions


class _UnitResolver:
    """Resolves one unit: its members' declarations and its lockfiles' entries."""

    def __init__(self, unit: Unit, projects: dict[str, Project], identities: _Identities) -> None:
        self.unit = unit
        self.ecosystem = unit.lead.ecosystem
        self.projects = projects
        self.identities = identities
        self.names = names_of(self.ecosystem)
        self.entries: list[Entry] = []
        self.edges: list[Dependency] = []
        self.issues: list[ScanIssue] = []
        self.graphs = [(item, build_lock_graph(self.ecosystem, item.path, item.result)) for item in unit.lockfiles]
        self.root_versions: list[dict[tuple[str, str], list[tuple[str, str | None]]]] = []
        """Per lockfile: (importer, name) -> the (version, requirement) pairs its sections record."""
        for item, _ in self.graphs:
            stated: dict[tuple[str, str], list[tuple[str, str | None]]] = defaultdict(list)
            for root in item.result.roots:
                pair = (root.version, root.requirement)
                key = (root.importer, self.names[root.name])
                if root.version and pair not in stated[key]:
                    stated[key].append(pair)  # type: ignore[arg-type]
            self.root_versions.append(stated)
        self.declared: dict[str, list[tuple[ProjectFiles, DeclaredPackage, Entry]]] = defaultdict(list)
        """Normalized name -> the declarations of the unit's members naming it."""
        self.lock_entries: dict[int, Entry] = {}
        """id(lock entry) -> its Entry, which collects the usages of every project reaching it."""
        self.own_cache: dict[tuple[str, str | None], bool] = {}

    def run(self) -> None:
        for member in self.unit.members:
            self._declare(member)
        for item, graph in self.graphs:
            self.issues.extend(graph.issues)
            if item.result.states_graph:
                self._walk_lockfile(item, graph)
            else:
                self._read_flat_lockfile(item, graph)
        self._note_unlocked()

    # -- declarations -------------------------------------------------------------------

    def _declare(self, member: ProjectFiles) -> None:
        """Each manifest declaration is a direct usage of the member, at the version it resolves to.

        A declaration that resolves to several locked versions (Python names locked once per
        environment marker) is a usage of each of them.
        """
        packages = [(item, package) for item in member.manifests for package in item.result.packages]
        pins = _single_pins(self.ecosystem, [package for _, package in packages])
        for item, package in packages:
            recorded = self._recorded_versions(member, package)
            if recorded:
                # The lockfile's record of the section wins over a pin as written ("1.59.0-next.72"
                # in package.json is locked as "1.59.0-next.72+f41d8efcd").
                versions: list[str | None] = list(recorded)
            elif package.version or package.first_party:
                # A workspace:/link:/file: declaration is the repository's own package: it takes
                # no registry version from a pin or from the only version locked under its name.
                versions = [package.version]
            else:
                pinned = pins.get(self.names[package.name])
                versions = list(self._locked_versions(member, package)) or [pinned]
            kind = section_kind(package.scopes)
            usage = Usage(
                project=member.id,
                lifecycle=kind.lifecycle,
                optional=kind.optional,
                peer=kind.peer,
                directness=_declared_directness(package.direct),
                group=package.group,
                requirement=package.requirement,
                location=Location(path=package.path or item.path, line=package.line, key_path=package.key_path),
            )
            for version in versions:
                entry = Entry(self.ecosystem, package.name, version, usage, package, first_party=self._first_party(package, version))
                self.entries.append(entry)
                self.declared[self.names[package.name]].append((member, package, entry))
                self._root_edge(member, entry, kind.lifecycle, _edge_kind(kind.lifecycle, kind.optional, kind.peer))

    def _recorded_versions(self, member: ProjectFiles, package: DeclaredPackage) -> list[str]:
        """What the lockfiles' records of the member's sections resolve the declaration to."""
        name = self.names[package.name]
        importer = _importer_of(self.unit.lead.directory, member.directory)
        for root_versions in self.root_versions:
            stated = root_versions.get((importer, name))
            if stated:
                # An alias and the plain name can both lock one package ("prettier-3":
                # "npm:prettier@^3" beside "prettier": "2.6.2"): the requirement tells them apart.
                same = [version for version, requirement in stated if requirement == package.requirement]
                return same or sorted({version for version, _ in stated})
        return []

    def _locked_versions(self, member: ProjectFiles, package: DeclaredPackage) -> list[str]:
        """The versions a declaration resolves to in the unit's lockfiles.

        In order: the lockfile's own record of the member's section, its descriptor table
        (yarn's `name@range`), the only version locked under the name, the one version the
        lockfile calls direct, and for Python every locked version the specifier admits.
        """
        recorded = self._recorded_versions(member, package)
        if recorded:
            return recorded
        name = self.names[package.name]
        for item, graph in self.graphs:
            if package.requirement is not None:
                found = item.result.resolutions.get((package.name, package.requirement))
                if found:
                    return [found]
            candidates = [v for v in graph.versions.get(name, ()) if v is not None]
            if len(candidates) == 1:
                return candidates
            flagged = [v for v in candidates if any(p.direct for p in graph.entries[(name, v)])]
            if len(flagged) == 1:
                return flagged  # several locked versions, one the lockfile calls direct
            if candidates and self.ecosystem is Ecosystem.PYPI:
                admitted = _admitted(package.requirement, candidates)
                if admitted:
                    return admitted
        return []

    def _first_party(self, package: DeclaredPackage, version: str | None) -> bool:
        if package.first_party:
            return True
        key = (package.name, version)
        found = self.own_cache.get(key)
        if found is None:
            found = self.own_cache[key] = self.identities.own(self.ecosystem, package.name, version)
        return found

    # -- lockfiles that state their graph -----------------------------------------------

    def _walk_lockfile(self, item: ParsedFile, graph: LockGraph) -> None:
        """Walk from every project's roots; each lock entry becomes a usage per project reaching it."""
        roots, groups = self._roots(item, graph)
        # The workspace members' own edges replace what the lockfile folds into their entries;
        # the graph is prepared once and walked once per project.
        walker = Walker({**graph.children, **self._workspace_children(item, graph)})
        best: dict[NodeKey, int] = {}
        """The strongest lifecycle (its rank) any project's walk reaches a node with."""
        entries = graph.entries
        lock_entry = self._lock_entry
        lock_entries = self.lock_entries
        for project_id in sorted(roots):
            reach = walker.walk(roots[project_id])
            for node, found in reach.items():
                rank = LIFECYCLE_STRENGTH[found.lifecycle]
                if best.get(node, _WEAKEST) > rank:
                    best[node] = rank
                if found.direct:
                    directness, group = Directness.DIRECT, groups.get((project_id, node))
                else:
                    directness, group = Directness.TRANSITIVE, None
                for package in entries.get(node, ()):
                    existing = lock_entries.get(id(package))
                    if existing is None:
                        lock_entry(item, package, project_id, found.lifecycle, found.optional, found.peer, directness, group=group)
                    else:  # another project reaching an entry: one more usage, at the entry's one Location
                        existing.more.append(Usage(
                            project=project_id,
                            lifecycle=found.lifecycle,
                            optional=found.optional,
                            peer=found.peer,
                            directness=directness,
                            group=group or package.group,
                            requirement=package.requirement,
                            location=existing.usage.location,
                        ))
        for node, packages in entries.items():
            if node not in best:
                for package in packages:
                    self._unreached(item, package)
        lead = self.unit.lead.id
        for parent, child, kind in graph.edges:
            child_rank = best.get(child)
            lifecycle = _LIFECYCLES[child_rank] if child_rank is not None else section_kind(entries[child][0].scopes).lifecycle
            self.edges.append(Dependency(project=lead, source=self._purl(graph, parent), target=self._purl(graph, child), kind=kind, lifecycle=lifecycle))

    def _roots(self, item: ParsedFile, graph: LockGraph) -> tuple[dict[str, list[Root[NodeKey]]], dict[tuple[str, NodeKey], str]]:
        """Per project id: the lockfile's record of its sections, else its declarations;
        and the section (group) each direct dependency was declared in."""
        roots: dict[str, list[Root[NodeKey]]] = defaultdict(list)
        groups: dict[tuple[str, NodeKey], str] = {}
        stated = item.result.roots
        for root in stated:
            project_id = self._importer_project(root.importer)
            node = graph.node(root.name, root.version)
            if node is None:
                continue
            kind = section_kind(root.scopes)
            roots[project_id].append(Root(node, PathLabel(kind.lifecycle, kind.optional, kind.peer)))
            if root.group:
                groups.setdefault((project_id, node), root.group)
        stated_importers = {root.importer for root in stated}
        for declarations in self.declared.values():
            for member, package, entry in declarations:
                if _importer_of(self.unit.lead.directory, member.directory) in stated_importers:
                    continue
                node = graph.node(package.name, entry.version)
                if node is not None:
                    kind = section_kind(package.scopes)
                    roots[member.id].append(Root(node, PathLabel(kind.lifecycle, kind.optional, kind.peer)))
                    if package.group:
                        groups.setdefault((member.id, node), package.group)
        return roots, groups

    def _workspace_children(self, item: ParsedFile, graph: LockGraph) -> dict[NodeKey, list[tuple[NodeKey, EdgeKind]]]:
        """A workspace member's node depends on what the member asks for at run time.

        Some lockfiles fold a workspace's devDependencies into its entry (Yarn Berry), so a
        project that depends on the workspace would reach the workspace's development
        tools. What the member asks for at run time is its runtime sections: as the
        lockfile records them (importers), else as its manifest declares them.
        """
        by_name: dict[str, list[tuple[NodeKey, EdgeKind]]] = defaultdict(list)
        stated_importers: set[str] = set()
        for root in item.result.roots:
            stated_importers.add(root.importer)
            kind = section_kind(root.scopes)
            node = graph.node(root.name, root.version)
            project = self.projects.get(self._importer_project(root.importer))
            if project is None or not project.declared or node is None or kind.lifecycle is not Lifecycle.RUNTIME:
                continue
            by_name[self.names[project.name]].append((node, _edge_kind(kind.lifecycle, kind.optional, kind.peer)))
        declared_projects: set[str] = set()
        for declarations in self.declared.values():
            for member, package, entry in declarations:
                project = self.projects[member.id]
                if not project.declared or _importer_of(self.unit.lead.directory, member.directory) in stated_importers:
                    continue
                name = self.names[project.name]
                declared_projects.add(name)
                node = graph.node(package.name, entry.version)
                if node is not None and entry.usage.lifecycle is Lifecycle.RUNTIME:
                    by_name[name].append((node, _edge_kind(Lifecycle.RUNTIME, entry.usage.optional, entry.usage.peer)))
        known = set(by_name) | declared_projects
        children: dict[NodeKey, list[tuple[NodeKey, EdgeKind]]] = {}
        for node, packages in graph.entries.items():
            if node[0] in known and any(p.first_party for p in packages):
                children[node] = [(target, kind) for target, kind in by_name.get(node[0], ()) if target != node]
        return children

    def _importer_project(self, importer: str) -> str:
        """The project an importer folder is: a member, another project of the repository
        (a workspace member with a lockfile of its own), else the lockfile's own project."""
        directory = posixpath.normpath(posixpath.join(self.unit.lead.directory, importer))
        project = self.projects.get(f"{self.ecosystem.value}:{directory}")
        return project.id if project is not None else self.unit.lead.id

    def _lock_entry(
        self,
        item: ParsedFile,
        package: DeclaredPackage,
        project_id: str,
        lifecycle: Lifecycle,
        optional: bool,
        peer: bool,
        directness: Directness,
        notes: Iterable[str] = (),
        group: str | None = None,
    ) -> None:
        usage = Usage(
            project=project_id,
            lifecycle=lifecycle,
            optional=optional,
            peer=peer,
            directness=directness,
            group=group or package.group,
            requirement=package.requirement,
            location=self._location(item, package),
        )
        existing = self.lock_entries.get(id(package))
        if existing is not None:
            existing.more.append(usage)
            if notes:
                existing.notes = existing.notes.union(notes)
            return
        version = package.version or None
        entry = Entry(self.ecosystem, package.name, version, usage, package, first_party=self._first_party(package, version), notes=frozenset(notes))
        self.lock_entries[id(package)] = entry
        self.entries.append(entry)

    def _location(self, item: ParsedFile, package: DeclaredPackage) -> Location:
        """One Location per lock entry, however many projects reach it (a monorepo's usages share it):
        the one its Entry's first usage holds."""
        existing = self.lock_entries.get(id(package))
        if existing is not None:
            return existing.usage.location
        return Location(path=package.path or item.path, line=package.line, key_path=package.key_path)

    def _unreached(self, item: ParsedFile, package: DeclaredPackage) -> None:
        """A lock entry no root reaches keeps what the lockfile itself says about it."""
        kind = section_kind(package.scopes)
        has_manifest = any(member.manifests for member in self.unit.members) or bool(item.result.roots)
        directness = _declared_directness(package.direct) if package.direct is not None else Directness.UNKNOWN
        note = NOT_REACHED if has_manifest else NO_MANIFEST
        first_party = self._first_party(package, package.version or None)
        self._lock_entry(item, package, self.unit.lead.id, kind.lifecycle, kind.optional, kind.peer, directness, () if first_party or directness is not Directness.UNKNOWN else (note,))

    # -- lockfiles without a graph ------------------------------------------------------

    def _read_flat_lockfile(self, item: ParsedFile, graph: LockGraph) -> None:
        """Pipfile.lock, gradle.lockfile, go.sum: the declaration that names an entry decides."""
        has_manifest = any(member.manifests for member in self.unit.members)
        complete_list = any(manifest.result.build_list_complete for member in self.unit.members for manifest in member.manifests)
        for package in item.result.packages:
            name = self.names[package.name]
            declarations = [(member, declared) for member, declared, _ in self.declared.get(name, ())]
            if complete_list and not any(d.version == package.version for _, d in declarations):
                continue  # go.sum lists checksums of module versions outside the build list (go >= 1.17)
            if declarations:
                for member in {m.id: m for m, _ in declarations}.values():
                    kinds = [section_kind(d.scopes) for m, d in declarations if m is member and d.scopes]
                    kind = min(kinds, key=lambda k: (LIFECYCLE_STRENGTH[k.lifecycle], k.optional)) if kinds else section_kind(package.scopes)
                    said = package.direct if package.direct is not None else any(d.direct is not False for m, d in declarations if m is member)
                    self._lock_entry(item, package, member.id, kind.lifecycle, kind.optional, kind.peer, _declared_directness(said))
                self._settle_unknown_sections(name, section_kind(package.scopes).lifecycle)
                continue
            kind = section_kind(package.scopes)
            if package.direct is not None:
                directness = _declared_directness(package.direct)
            else:
                directness = Directness.TRANSITIVE if has_manifest else Directness.UNKNOWN
            notes = (NO_MANIFEST,) if directness is Directness.UNKNOWN and not package.first_party else ()
            self._lock_entry(item, package, self.unit.lead.id, kind.lifecycle, kind.optional, kind.peer, directness, notes)
        for edge in item.result.edges:
            parent, child = graph.node(edge.parent, edge.parent_version), graph.node(edge.child, edge.child_version)
            if parent is not None and child is not None and parent != child:
                self.edges.append(Dependency(project=self.unit.lead.id, source=self._purl(graph, parent), target=self._purl(graph, child), kind=edge.kind))

    # -- shared ---------------------------------------------------------------------------

    def _settle_unknown_sections(self, name: str, lifecycle: Lifecycle) -> None:
        """A declaration whose file cannot tell its section (a Gradle version catalog)
        takes the lifecycle the lockfile gives the package."""
        for _, package, entry in self.declared.get(name, ()):
            if not package.scopes and entry.usage.lifecycle is not lifecycle:
                entry.usage = dataclasses.replace(entry.usage, lifecycle=lifecycle)

    def _note_unlocked(self) -> None:
        """A declaration the lockfiles do not lock keeps its range, with a note saying so."""
        if not self.graphs:
            return
        locked = {name for _, graph in self.graphs for name in graph.versions}
        for declarations in self.declared.values():
            for _, package, entry in declarations:
                if self.names[package.name] not in locked and not entry.first_party:
                    entry.notes = entry.notes | {NOT_LOCKED}

    def _root_edge(self, member: ProjectFiles, entry: Entry, lifecycle: Lifecycle, kind: EdgeKind) -> None:
        project = self.projects[member.id]
        source = project.purl or f"project:{project.id}"
        target = entry.key
        if source != target:
            self.edges.append(Dependency(project=member.id, source=source, target=target, kind=kind, lifecycle=lifecycle))

    def _purl(self, graph: LockGraph, node: NodeKey) -> str:
        found = graph.purls.get(node)
        if found is None:
            package = graph.entries[node][0]
            found = graph.purls[node] = build_purl(self.ecosystem, node[0], node[1], dict(package.qualifiers))
        return found


def _single_pins(ecosystem: Ecosystem, packages: Sequence[DeclaredPackage]) -> dict[str, str]:
    """Names that the project's manifests pin to exactly one version.

    A pyproject.toml asking for `celery[redis]` beside the pip-compile'd requirements.txt
    that pins `celery==5.2.7` is one component, not an unpinned one plus a pinned one: the
    pinning file plays the lockfile's part. With several pinned versions there is no
    telling which one the range means, so nothing is pinned.
    """
    versions: dict[str, set[str]] = defaultdict(set)
    for package in packages:
        if package.version:
            versions[normalize_name_cached(ecosystem, package.name)].add(package.version)
    return {name: next(iter(found)) for name, found in versions.items() if len(found) == 1}


def _admitted(requirement: str | None, versions: Sequence[str]) -> list[str]:
    """The locked versions a PEP 440 specifier admits (all of them when there is none)."""
    if not requirement:
        return list(versions)
    try:
        specifier = SpecifierSet(requirement)
    except InvalidSpecifier:
        return []
    return [v for v in versions if _admits(specifier, v)]


def _admits(specifier: SpecifierSet, version: str) -> bool:
    """Whether `specifier` admits `version`; False when either cannot be compared.

    packaging raises a bare ValueError for a number of thousands of digits (in the version
    or the specifier): the parsers report those entries, and one must not end the scan here.
    """
    try:
        return specifier.contains(version, prereleases=True)
    except ValueError:  # InvalidVersion is one too
        return False


def _declared_directness(direct: bool | None) -> Directness:
    return Directness.TRANSITIVE if direct is False else Directness.DIRECT


def _edge_kind(lifecycle: Lifecycle, optional: bool, peer: bool) -> EdgeKind:
    if peer:
        return EdgeKind.OPTIONAL_PEER if optional else EdgeKind.PEER
    if optional:
        return EdgeKind.OPTIONAL
    return EdgeKind.REQUIRED if lifecycle is Lifecycle.RUNTIME else EdgeKind.DEVELOPMENT


def _importer_of(lead: str, directory: str) -> str:
    """A member folder relative to the lockfile's folder, as lockfiles write importers."""
    if lead == ".":
        return directory
    if directory == lead:
        return "."
    return directory.removeprefix(lead + "/")


__all__ = ["ParsedFile", "Resolution", "resolve"]
