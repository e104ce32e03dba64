"""bun.lock (Bun's text lockfile, lockfileVersion 0 and 1) -> packages, roots, edges.

Only the text lockfile is read. The binary `bun.lockb` of Bun before 1.2 is an
undocumented memory dump of Bun's internal structures, not a stable format: it is not
matched at all (`bun.lock` is matched by exact basename), so it is neither parsed nor
reported; `bun bun.lockb` or `bun install --save-text-lockfile` converts it.

The file is JSON with trailing commas and possibly comments (see jsonc). It has:

- `workspaces`: `""` (the root) and one entry per workspace directory, with its `name`,
  `version` and dependency sections. They are the roots of the graph (importer `.` for
  `""`, else the directory), with the scope of the section (dependencies RUNTIME,
  devDependencies DEV, optionalDependencies OPTIONAL, peerDependencies PEER); workspace
  names are first-party, their directories the workspace paths.
- `packages`: install path -> `["name@version", registry, {dependencies...}, integrity]`.
  The tuple's length varies with the source (git and local packages have no registry or
  integrity, workspaces only the first item), so the info object is the first object
  after the name. A key `parent/child` is a copy of `child` nested under `parent`, and
  the key is the installed name: for an alias (`"foo": "npm:bar@1"`) the key is `foo`
  while the tuple names the real package `bar`. `name@workspace:dir` is a workspace
  package (version from its workspace entry), `name@root:` the root project itself (not
  a dependency), `name@file:`/`link:` local code (first-party), `name@github:...`,
  `git+...` and URLs keep their reference as source, with no version.

A dependency resolves like Node's module lookup over those keys: `parent/child`, then
the parent's parent, up to the top-level `child`; a workspace's own dependencies are
looked up under its name and directory first. Every dependency is an edge (REQUIRED,
OPTIONAL for optionalDependencies and for peers listed in `optionalPeers`, PEER), one
that no key holds with no version; a workspace package's edges are its workspace's
dependencies, optionalDependencies and peerDependencies. The file states the whole graph
(`states_graph`): which packages are runtime or dev is the graph walk's to say
(ospo_scan.graph), not this parser's. One DeclaredPackage per (name, version), at the
line and key of its first key in `packages`.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from typing import Any

from ospo_scan.excerpt import excerpt
from ospo_scan.model import EdgeKind, Ecosystem, Scope
from ospo_scan.parsers.base import (
    DeclaredEdge,
    DeclaredPackage,
    DeclaredRoot,
    FileReader,
    FileRole,
    IssueCollector,
    ParseError,
    ParseResult,
    ParserSpec,
    SourceFile,
)
from ospo_scan.parsers.formats import load_json
from ospo_scan.parsers.lines import KeyPath
from ospo_scan.parsers.lines.json_keys import key_lines
from ospo_scan.parsers.npm.jsonc import strip_jsonc
from ospo_scan.parsers.npm.specifiers import SpecKind, classify, split_name_and_range

PARSER_NAME = "bun-lock"
_KNOWN_VERSIONS = frozenset({0, 1})
_TOP_KEYS = frozenset({"lockfileVersion", "workspaces", "packages"})
_SECTION_SCOPES = {
    "dependencies": frozenset({Scope.RUNTIME}),
    "devDependencies": frozenset({Scope.DEV}),
    "optionalDependencies": frozenset({Scope.OPTIONAL}),
    "peerDependencies": frozenset({Scope.PEER}),
}
"""A workspace's dependency sections and what they mean, as package.json's parser spells it."""
_INSTALLED_FOR_DEPENDENTS = {
    "dependencies": EdgeKind.REQUIRED,
    "optionalDependencies": EdgeKind.OPTIONAL,
    "peerDependencies": EdgeKind.PEER,
}
"""The sections of a workspace package that a package depending on it gets."""
_EDGE_SECTIONS = (
    ("dependencies", EdgeKind.REQUIRED),
    ("optionalDependencies", EdgeKind.OPTIONAL),
    ("peerDependencies", EdgeKind.PEER),
)
_SOURCE_KINDS = frozenset({SpecKind.GIT, SpecKind.TARBALL, SpecKind.LOCAL})

Identity = tuple[str, str | None, str | None]


@dataclass(frozen=True, slots=True)
class _Workspace:
    path: str
    """Directory relative to the lockfile; "" for the root."""
    name: str | None
    version: str | None
    declared: tuple[tuple[str, str, str | None, int | None], ...] = ()
    """(section, dependency name, specifier, line) of each dependency."""

    @property
    def importer(self) -> str:
        """The directory as DeclaredRoot spells it ('.' for the root)."""
        return self.path or "."

    @property
    def lookup_prefixes(self) -> list[str]:
        """Where a workspace's own copies of its dependencies are keyed (`<name>/dep`, `<dir>/dep`)."""
        return [prefix for prefix in (self.name, self.path) if self.path and prefix]


@dataclass(frozen=True, slots=True)
class _Entry:
    key: str
    name: str
    version: str | None
    line: int | None
    source_url: str | None = None
    first_party: bool = False
    dependencies: tuple[tuple[str, EdgeKind], ...] = ()
    note: str | None = None
    workspace: str | None = None
    """The directory of the workspace this entry is (`name@workspace:<dir>`), else None."""

    @property
    def identity(self) -> Identity:
        return self.name, self.version, None if self.version else self.source_url


@dataclass(slots=True, kw_only=True)
class _Context(IssueCollector):
    """The file being read: where issues go, where its keys are, and the result being filled."""

    lines: dict[KeyPath, int]
    result: ParseResult


def parse_bun_lock(source: SourceFile, reader: FileReader) -> ParseResult:
    """Read the workspaces and packages of a bun.lock (see the module docstring)."""
    text = strip_jsonc(source.text)
    document = load_json(SourceFile(path=source.path, text=text))
    if not isinstance(document, dict):
        raise ParseError(f"not a bun lockfile: the top level is a JSON {type(document).__name__}, not an object", 1)
    result = ParseResult()
    lines = key_lines(text, _wanted, _enter) if document else {}
    ctx = _Context(source=source, parser=PARSER_NAME, issues=result.issues, lines=lines, result=result)
    if not document:
        ctx.report("empty lockfile: no package is locked")
        return ctx.result
    if not _TOP_KEYS & document.keys():
        raise ParseError("not a bun lockfile: no lockfileVersion, workspaces or packages at the top level", 1)
    _check_version(ctx, document.get("lockfileVersion"))
    workspaces = _workspaces(ctx, document)
    entries = _entries(ctx, document, {ws.path: ws for ws in workspaces})
    _Graph(ctx, entries, workspaces).read()
    ctx.result.states_graph = True
    return ctx.result


def _enter(path: KeyPath) -> bool:
    """Containers that hold wanted keys: the top level, `packages`, workspaces and their sections."""
    return path == ("packages",) or (path[:1] in ((), ("workspaces",)) and len(path) <= 3)


def _wanted(parent: KeyPath) -> bool:
    """Lines of top-level keys, package keys, workspace keys and workspace dependencies."""
    return parent in ((), ("packages",)) or (parent[:1] == ("workspaces",) and len(parent) <= 3)


def _check_version(ctx: _Context, raw: Any) -> None:
    line = ctx.lines.get(("lockfileVersion",))
    if raw is None:
        ctx.report("lockfileVersion: missing; read as version 1", line)
    elif isinstance(raw, bool) or not isinstance(raw, int):
        ctx.report(f"lockfileVersion: expected a number, found {excerpt(raw)}; read as version 1", line)
    elif raw not in _KNOWN_VERSIONS:
        ctx.report(f"lockfileVersion: {raw} is not one this parser knows (0, 1); read anyway", line)



def _workspaces(ctx: _Context, document: dict[str, Any]) -> list[_Workspace]:
    """Every workspace entry with its declared dependencies."""
    found: list[_Workspace] = []
    for path, entry in _object(ctx, document, ("workspaces",), "workspaces").items():
        key_path = f'workspaces["{path}"]'
        if not isinstance(entry, dict):
            ctx.report(f"{key_path}: expected an object, found {type(entry).__name__}", ctx.lines.get(("workspaces", path)))
            continue
        directory = posixpath.normpath(path) if path else ""
        name, version = _text(entry.get("name")), _text(entry.get("version"))
        found.append(_Workspace(directory, name, version, _declared(ctx, path, entry)))
    return found


def _declared(ctx: _Context, path: str, entry: dict[str, Any]) -> tuple[tuple[str, str, str | None, int | None], ...]:
    declared = []
    for section in _SECTION_SCOPES:
        deps = _object(ctx, entry, ("workspaces", path, section), f'workspaces["{path}"].{section}')
        for name, specifier in deps.items():
            declared.append((section, name, _text(specifier), ctx.lines.get(("workspaces", path, section, name))))
    return tuple(declared)


def _entries(ctx: _Context, document: dict[str, Any], workspaces: dict[str, _Workspace]) -> dict[str, _Entry]:
    """Every readable `packages` entry by key (the root project's own entry left out)."""
    found: dict[str, _Entry] = {}
    for key, value in _object(ctx, document, ("packages",), "packages").items():
        entry = _entry(ctx, key, value, ctx.lines.get(("packages", key)), workspaces)
        if entry is not None:
            found[key] = entry
    return found


def _entry(ctx: _Context, key: str, value: Any, line: int | None, workspaces: dict[str, _Workspace]) -> _Entry | None:
    """One `packages` tuple -> its package; None (with an issue) when unreadable or the root."""
    key_path = f'packages["{key}"]'
    if not isinstance(value, list) or not value:
        ctx.report(f'{key_path}: expected an array ["name@version", ...]', line)
        return None
    ident = value[0]
    if not isinstance(ident, str) or "@" not in ident[1:]:
        ctx.report(f'{key_path}[0]: expected "name@version", found {excerpt(ident)}', line)
        return None
    name, reference = split_name_and_range(ident)
    info = next((item for item in value[1:] if isinstance(item, dict)), {})
    dependencies = _dependencies(ctx, key_path, info, line)
    if reference.startswith("root:"):
        return None
    if reference.startswith("workspace:"):
        directory = posixpath.normpath(reference[len("workspace:") :])
        workspace = workspaces.get(directory)
        version = workspace.version if workspace is not None else None
        note = None if version else "workspace package: its version is not in the lockfile"
        return _Entry(key, name, version, line, reference, True, dependencies, note, directory)
    spec = classify(name, reference)
    if spec.kind is SpecKind.VERSION:
        return _Entry(key, name, spec.version, line, dependencies=dependencies)
    if spec.kind in _SOURCE_KINDS:
        note = f"version not locked: {spec.kind.value} source"
        return _Entry(key, name, None, line, spec.source_url or reference, spec.first_party, dependencies, note)
    ctx.report(f"{key_path}[0]: {excerpt(ident)} names no version, git repository, URL or path", line)
    return _Entry(key, name, None, line, dependencies=dependencies, note=f"version not locked: {excerpt(reference)} is not a version")


def _dependencies(ctx: _Context, key_path: str, info: dict[str, Any], line: int | None) -> tuple[tuple[str, EdgeKind], ...]:
    """(name, kind) of the tuple's dependencies; peers listed in `optionalPeers` are optional."""
    optional_peers = info.get("optionalPeers")
    listed = optional_peers if isinstance(optional_peers, list) else []
    optional_peers = {peer for peer in listed if isinstance(peer, str)}  # a list or object in it is no name
    found: list[tuple[str, EdgeKind]] = []
    for section, kind in _EDGE_SECTIONS:
        deps = info.get(section)
        if deps is None:
            continue
        if not isinstance(deps, dict):
            ctx.report(f"{key_path}.{section}: expected an object, found {type(deps).__name__}", line)
            continue
        for name in deps:
            optional = kind is EdgeKind.PEER and name in optional_peers
            found.append((name, EdgeKind.OPTIONAL if optional else kind))
    return tuple(found)


class _Graph:
    """Entries by key, Node-style lookup of dependencies, and the result assembly."""

    def __init__(self, ctx: _Context, entries: dict[str, _Entry], workspaces: list[_Workspace]) -> None:
        self.ctx = ctx
        self.entries = entries
        self.workspaces = workspaces
        self._by_path = {ws.path: ws for ws in workspaces}

    def read(self) -> None:
        """Resolve roots and edges, and fill the result."""
        result = self.ctx.result
        result.roots = [root for ws in self.workspaces for root in self._roots(ws)]
        result.edges = self._edges()
        result.packages = self._packages()
        names = {ws.name for ws in self.workspaces if ws.name}
        names.update(package.name for package in result.packages if package.first_party)
        result.workspace_members = sorted(names)
        result.workspace_paths = sorted({ws.path for ws in self.workspaces if ws.path not in ("", ".")})

    def _roots(self, ws: _Workspace) -> list[DeclaredRoot]:
        """Each dependency a workspace declares, with the version it resolves to (None: not in packages)."""
        roots = []
        for section, name, specifier, line in ws.declared:
            key = self._find([*(f"{prefix}/{name}" for prefix in ws.lookup_prefixes), name])
            if key is None and section != "peerDependencies":
                self.ctx.report(f'workspaces["{ws.path}"].{section}["{name}"]: not found in packages', line)
            entry = self.entries[key] if key is not None else None
            roots.append(
                DeclaredRoot(
                    importer=ws.importer,
                    name=entry.name if entry is not None else name,
                    version=entry.version if entry is not None else None,
                    scopes=_SECTION_SCOPES[section],
                    group=section,
                    requirement=specifier,
                )
            )
        return roots

    def _edges(self) -> list[DeclaredEdge]:
        """Every dependency of every entry, resolved to the copy Node's lookup would load."""
        edges: dict[DeclaredEdge, None] = {}
        for entry in self.entries.values():
            for name, kind, candidates in self._dependencies(entry):
                key = self._find(candidates)
                child = self.entries[key] if key is not None else None
                target = (child.name, child.version) if child is not None else (name, None)
                if child is None or child.identity != entry.identity:
                    edge = DeclaredEdge(
                        parent=entry.name,
                        parent_version=entry.version,
                        child=target[0],
                        child_version=target[1],
                        kind=kind,
                    )
                    edges[edge] = None
        return list(edges)

    def _dependencies(self, entry: _Entry) -> list[tuple[str, EdgeKind, list[str]]]:
        """(name, kind, keys to try in order) of each dependency of `entry`."""
        workspace = self._by_path.get(entry.workspace) if entry.workspace is not None else None
        if workspace is not None:
            return [
                (name, _INSTALLED_FOR_DEPENDENTS[section], [*(f"{p}/{name}" for p in workspace.lookup_prefixes), name])
                for section, name, _, _ in workspace.declared
                if section in _INSTALLED_FOR_DEPENDENTS
            ]
        segments = _segments(entry.key)
        return [
            (name, kind, ["/".join((*segments[:depth], name)) for depth in range(len(segments), -1, -1)])
            for name, kind in entry.dependencies
        ]

    def _find(self, candidates: list[str]) -> str | None:
        return next((key for key in candidates if key in self.entries), None)

    def _packages(self) -> list[DeclaredPackage]:
        """One DeclaredPackage per identity (nested copies of one version are one), in file order."""
        groups: dict[Identity, list[_Entry]] = {}
        for entry in self.entries.values():
            groups.setdefault(entry.identity, []).append(entry)
        return [_package(identity, members) for identity, members in groups.items()]


def _package(identity: Identity, members: list[_Entry]) -> DeclaredPackage:
    """The package of one identity (bun flags nothing: its scopes are the runtime default)."""
    notes = dict.fromkeys(member.note for member in members if member.note)
    first = min(members, key=lambda member: member.line if member.line is not None else 1 << 62)
    return DeclaredPackage(
        name=identity[0],
        version=identity[1],
        first_party=any(member.first_party for member in members),
        line=first.line,
        key_path=f'packages["{first.key}"]',
        source_url=next((member.source_url for member in members if member.source_url), None),
        note="; ".join(notes) or None,
    )


def _segments(key: str) -> list[str]:
    """`a/@s/b/c` -> [`a`, `@s/b`, `c`]: the installed names along a nested key."""
    parts = key.split("/")
    segments: list[str] = []
    index = 0
    while index < len(parts):
        if parts[index].startswith("@") and index + 1 < len(parts):
            segments.append(f"{parts[index]}/{parts[index + 1]}")
            index += 2
        else:
            segments.append(parts[index])
            index += 1
    return segments


def _object(ctx: _Context, parent: dict[str, Any], at: KeyPath, key_path: str) -> dict[str, Any]:
    """`parent[at[-1]]` as an object: absent or null is empty, another type is reported."""
    value = parent.get(at[-1])
    if value is None:
        return {}
    if not isinstance(value, dict):
        ctx.report(f"{key_path}: expected an object, found {type(value).__name__}", ctx.lines.get(at))
        return {}
    return value


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


SPEC = ParserSpec(
    name=PARSER_NAME,
    ecosystem=Ecosystem.NPM,
    role=FileRole.LOCKFILE,
    # `bun.lock` in any directory (never the binary `bun.lockb`).
    file_names=frozenset({"bun.lock"}),
    parse=parse_bun_lock,
)
