"""uv.lock -> locked packages, edges, and which of them the project asks for directly.

Unlike poetry.lock and pdm.lock, uv.lock records the project itself: its own package
(`source = { editable = "." }` or `{ virtual = "." }`), workspace members (listed in
`[manifest] members`) and local path dependencies are `[[package]]` entries like any
other. Those with an editable, virtual, workspace, path or directory source are
first-party and named in `workspace_members`.

The roots of the graph are the workspace members, the package at ".", and any other
editable or virtual package nothing depends on. A root is the project itself, so it
stays RUNTIME with `direct=None` even when some tool depends on it; the folders of
roots other than "." go in `workspace_paths`, as their manifests are covered by this
lock. A root's `dependencies` are direct RUNTIME, its `optional-dependencies` direct
OPTIONAL, its `dev-dependencies` groups direct DEV (TEST for a group whose name
contains "test"). Every other package the roots reach is `direct=False`, with the
scopes of the roots' entries it is reached from; a dependency with `extra = [...]`
also reaches that package's optional dependencies of those extras. A package no root
reaches (or every package, in a lock with no root) keeps `direct=None` and RUNTIME,
with a note.

A dependency names `version` (and `source`) only when the name is locked more than
once; otherwise the one locked version is the child's. uv locks every package it
names, so a dependency on a package the file does not lock is reported, not an edge.
"""

from __future__ import annotations

import posixpath
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit, urlunsplit

from packaging.utils import canonicalize_name

from ospo_scan.model import Ecosystem, Scope
from ospo_scan.parsers.base import (
    DeclaredEdge,
    DeclaredPackage,
    FileReader,
    FileRole,
    ParseResult,
    ParserSpec,
    SourceFile,
    basename,
    issue,
)
from ospo_scan.parsers.formats import load_toml
from ospo_scan.parsers.python.lock_tables import (
    MISSING_VERSION_NOTE,
    LockEntry,
    git_url,
    group_scope,
    key_line,
    read_entries,
    string_list,
    subtable,
)

PARSER_NAME = "uv-lock"
_FIRST_PARTY_SOURCES = frozenset({"editable", "virtual", "workspace", "path", "directory"})
_ROOT_SOURCES = frozenset({"editable", "virtual", "workspace"})
_SOURCE_KINDS = ("registry", "git", "url", *sorted(_FIRST_PARTY_SOURCES))
_KNOWN_FORMAT = 1
_NO_RUNTIME_GROUPS: frozenset[str] = frozenset()


def matches(path: str) -> bool:
    """uv always names its lockfile exactly `uv.lock`."""
    return basename(path) == "uv.lock"


def parse_uv_lock(source: SourceFile, reader: FileReader) -> ParseResult:
    """Read every `[[package]]`, its edges, and the scopes reached from the project's roots."""
    document = load_toml(source)
    result = ParseResult()
    _check_format(source, document, result)
    entries = read_entries(source, document, PARSER_NAME, result, version_optional=_is_first_party)
    graph = _Graph.build(source, entries, result)
    members = _manifest_members(document)
    roots = _roots(entries, graph, members)
    reach = _propagate(graph, roots)
    result.packages = [_package(entry, index, reach, roots) for index, entry in enumerate(entries)]
    result.edges = graph.edges()
    own = {entry.name for entry in entries if _is_first_party(entry.table)}
    result.workspace_members = sorted(own | set(members))
    result.workspace_paths = _member_paths(entries, roots)
    return result


def _check_format(source: SourceFile, document: dict[str, Any], result: ParseResult) -> None:
    """Report a top-level `version` other than 1 (uv itself refuses those files)."""
    version = document.get("version")
    if version is not None and version != _KNOWN_FORMAT:
        message = f"version: uv.lock format {version!r} is not known; read as version {_KNOWN_FORMAT}"
        result.issues.append(issue(source, PARSER_NAME, message, key_line(source.text, "version")))


def _manifest_members(document: dict[str, Any]) -> list[str]:
    """`[manifest] members`: the workspace members by name."""
    manifest = subtable(document, "manifest") or {}
    return string_list(manifest.get("members")) or []


# --- sources ----------------------------------------------------------------------


def _source_kind(table: dict[str, Any]) -> tuple[str | None, Any]:
    """(kind, value) of `source = { <kind> = <value> }`; (None, None) when absent or odd."""
    package_source = subtable(table, "source")
    if package_source is None:
        return None, None
    for kind in _SOURCE_KINDS:
        if kind in package_source:
            return kind, package_source[kind]
    return None, None


def _is_first_party(table: dict[str, Any]) -> bool:
    """Editable, virtual, workspace, path and directory sources are the project's own code."""
    return _source_kind(table)[0] in _FIRST_PARTY_SOURCES


def _source_url(table: dict[str, Any]) -> str | None:
    """Where a non-registry package comes from: pinned git URL, archive URL or local path."""
    kind, value = _source_kind(table)
    if kind in (None, "registry", "workspace") or not isinstance(value, str):
        return None
    return _pinned_git_url(value) if kind == "git" else value


def _member_paths(entries: list[LockEntry], roots: frozenset[int]) -> list[str]:
    """Folders of the workspace members other than the lock's own, relative to the lock.

    Their pyproject.toml files are covered by this lock (uv writes one lock per
    workspace), so the scan resolves them against it rather than leaving them unpinned.
    """
    paths: set[str] = set()
    for index in roots:
        value = _source_kind(entries[index].table)[1]
        if isinstance(value, str) and value.strip():
            path = posixpath.normpath(value.strip().replace("\\", "/"))
            if path != "." and not posixpath.isabs(path) and path != ".." and not path.startswith("../"):
                paths.add(path)
    return sorted(paths)


def _pinned_git_url(value: str) -> str:
    """uv writes `https://host/repo?rev=v1#<commit>`; pip's form is `git+https://host/repo@<commit>`."""
    parts = urlsplit(value)
    commit = parts.fragment or None
    base = urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))
    subdirectory = parse_qs(parts.query).get("subdirectory")
    pinned = git_url(base, commit)
    return f"{pinned}#subdirectory={subdirectory[0]}" if subdirectory else pinned


# --- the dependency graph -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Dependency:
    """One dependency item, resolved to the entries it may designate."""

    targets: tuple[int, ...]
    extras: tuple[str, ...]
    edge: DeclaredEdge


@dataclass(slots=True)
class _Graph:
    """Each entry's dependencies by section: `dependencies`, optional and dev groups."""

    runtime: dict[int, list[_Dependency]] = field(default_factory=dict)
    optional: dict[int, dict[str, list[_Dependency]]] = field(default_factory=dict)
    dev: dict[int, dict[str, list[_Dependency]]] = field(default_factory=dict)

    @classmethod
    def build(cls, source: SourceFile, entries: list[LockEntry], result: ParseResult) -> _Graph:
        """Resolve every dependency item of every entry; report malformed items."""
        resolver = _Resolver(entries)
        graph = cls()
        for index, entry in enumerate(entries):
            read = _SectionReader(source, entry, resolver, result)
            graph.runtime[index] = read.items("dependencies", entry.table.get("dependencies"))
            graph.optional[index] = read.groups("optional-dependencies")
            graph.dev[index] = read.groups("dev-dependencies")
        return graph

    def edges(self) -> list[DeclaredEdge]:
        """Every edge the lock states, once, in file order."""
        found: dict[DeclaredEdge, None] = {}
        for index in self.runtime:
            sections = [self.runtime[index], *self.optional[index].values(), *self.dev[index].values()]
            for section in sections:
                found.update(dict.fromkeys(dependency.edge for dependency in section))
        return list(found)


class _Resolver:
    """Finds the entries a dependency item designates, by name, then version, then source."""

    def __init__(self, entries: list[LockEntry]) -> None:
        self._entries = entries
        self._by_name: dict[str, list[int]] = {}
        for index, entry in enumerate(entries):
            self._by_name.setdefault(canonicalize_name(entry.name), []).append(index)

    def targets(self, item: dict[str, Any]) -> tuple[int, ...]:
        """Entries matching the item; several only when the lock is ambiguous."""
        candidates = self._by_name.get(canonicalize_name(str(item["name"])), [])
        version = item.get("version")
        if isinstance(version, str):
            candidates = [index for index in candidates if self._entries[index].version == version]
        wanted_source = item.get("source")
        if len(candidates) > 1 and isinstance(wanted_source, dict):
            candidates = [index for index in candidates if self._entries[index].table.get("source") == wanted_source]
        return tuple(candidates)

    def version_of(self, item: dict[str, Any], targets: tuple[int, ...]) -> str | None:
        """The item's `version`, else the version of its only target."""
        version = item.get("version")
        if isinstance(version, str):
            return version
        versions = {self._entries[index].version for index in targets}
        return versions.pop() if len(versions) == 1 else None


@dataclass(slots=True)
class _SectionReader:
    """Reads the dependency arrays of one entry, reporting items that cannot be used."""

    source: SourceFile
    entry: LockEntry
    resolver: _Resolver
    result: ParseResult

    def groups(self, key: str) -> dict[str, list[_Dependency]]:
        """`[package.<key>]`: group name -> its dependencies."""
        table = subtable(self.entry.table, key) or {}
        return {group: self.items(f"{key}.{group}", items) for group, items in table.items()}

    def items(self, key_path: str, items: Any) -> list[_Dependency]:
        """One array of `{ name = ..., version = ..., extra = [...] }` items."""
        if items is None:
            return []
        if not isinstance(items, list):
            self._report(f"{self.entry.key_path}.{key_path}: expected an array of tables")
            return []
        found: list[_Dependency] = []
        for position, item in enumerate(items):
            if not isinstance(item, dict) or not isinstance(item.get("name"), str) or not item["name"]:
                self._report(f"{self.entry.key_path}.{key_path}[{position}]: missing name")
                continue
            targets = self.resolver.targets(item)
            if not targets:
                self._report(f"{self.entry.key_path}.{key_path}[{position}]: {_label(item)} is not locked in this file")
                continue
            found.append(self._dependency(item, targets))
        return found

    def _dependency(self, item: dict[str, Any], targets: tuple[int, ...]) -> _Dependency:
        """The item as an edge (versions resolved) plus what propagation follows."""
        edge = DeclaredEdge(
            parent=self.entry.name,
            parent_version=self.entry.version,
            child=item["name"],
            child_version=self.resolver.version_of(item, targets),
        )
        return _Dependency(targets=targets, extras=tuple(string_list(item.get("extra")) or ()), edge=edge)

    def _report(self, message: str) -> None:
        """An issue on the entry's line (dependency items have no line of their own here)."""
        self.result.issues.append(issue(self.source, PARSER_NAME, message, self.entry.line))


def _label(item: dict[str, Any]) -> str:
    """`name` or `name version` of a dependency item, for messages."""
    version = item.get("version")
    return f"{item['name']} {version}" if isinstance(version, str) else str(item["name"])


# --- roots and scope propagation -------------------------------------------------------


def _roots(entries: list[LockEntry], graph: _Graph, members: list[str]) -> frozenset[int]:
    """Workspace members, the package at ".", and editable/virtual packages nothing depends on."""
    member_names = {canonicalize_name(member) for member in members}
    depended_on = {target for section in _all_sections(graph) for item in section for target in item.targets}
    roots: set[int] = set()
    for index, entry in enumerate(entries):
        kind, value = _source_kind(entry.table)
        at_root = kind in _ROOT_SOURCES and (value == "." or index not in depended_on)
        if canonicalize_name(entry.name) in member_names or at_root:
            roots.add(index)
    return frozenset(roots)


def _all_sections(graph: _Graph) -> Iterator[list[_Dependency]]:
    """Every dependency array of every entry, whatever its kind."""
    for index in graph.runtime:
        yield graph.runtime[index]
        yield from graph.optional[index].values()
        yield from graph.dev[index].values()


@dataclass(slots=True)
class _Reach:
    """What propagation found: scopes per entry, and which entries roots name directly."""

    scopes: dict[int, set[Scope]] = field(default_factory=dict)
    direct: set[int] = field(default_factory=set)


_Work = tuple[int, str | None, Scope]
"""(entry, extra whose optional dependencies are activated or None, scope)."""


def _propagate(graph: _Graph, roots: frozenset[int]) -> _Reach:
    """Breadth-first from the roots' own sections; each (entry, extra, scope) is visited once.

    Propagation stops at roots: a tool that depends on the project (a cycle through a
    dev dependency) must not make the project, or its own dependencies, dev-only.
    """
    reach = _Reach()
    queue: deque[_Work] = deque()
    for root in sorted(roots):
        for scope, section in _root_sections(graph, root):
            for dependency in section:
                reach.direct.update(dependency.targets)
                queue.extend(_work(dependency, scope))
    seen: set[_Work] = set()
    while queue:
        work = queue.popleft()
        if work in seen:
            continue
        seen.add(work)
        index, extra, scope = work
        if index in roots:
            continue
        reach.scopes.setdefault(index, set()).add(scope)
        section = graph.runtime[index] if extra is None else graph.optional[index].get(extra, [])
        for dependency in section:
            queue.extend(_work(dependency, scope))
    return reach


def _root_sections(graph: _Graph, root: int) -> Iterator[tuple[Scope, list[_Dependency]]]:
    """A root's sections with the scope each gives the packages it names."""
    yield Scope.RUNTIME, graph.runtime[root]
    for section in graph.optional[root].values():
        yield Scope.OPTIONAL, section
    for group, section in graph.dev[root].items():
        yield group_scope(group, _NO_RUNTIME_GROUPS), section


def _work(dependency: _Dependency, scope: Scope) -> Iterator[_Work]:
    """The package a dependency installs, and the optional sections its extras turn on."""
    for target in dependency.targets:
        yield target, None, scope
        for extra in dependency.extras:
            yield target, extra, scope


# --- packages ----------------------------------------------------------------------


def _package(entry: LockEntry, index: int, reach: _Reach, roots: frozenset[int]) -> DeclaredPackage:
    """One entry -> DeclaredPackage with the scopes and direct flag propagation found.

    A root is the project itself, not a dependency: RUNTIME, and direct None.
    """
    first_party = _is_first_party(entry.table)
    scopes = reach.scopes.get(index)
    direct = (index in reach.direct) if scopes else None
    notes = [_version_note(entry, first_party), _reach_note(bool(scopes), first_party, bool(roots))]
    return DeclaredPackage(
        name=entry.name,
        version=entry.version,
        scopes=frozenset(scopes) if scopes else frozenset({Scope.RUNTIME}),
        direct=direct,
        first_party=first_party,
        line=entry.line,
        markers=_resolution_markers(entry.table),
        source_url=_source_url(entry.table),
        note="; ".join(note for note in notes if note) or None,
    )


def _version_note(entry: LockEntry, first_party: bool) -> str | None:
    """Why there is no version: normal for a local project with a dynamic one."""
    if entry.version is not None:
        return None
    return "dynamic version (uv does not lock it)" if first_party else MISSING_VERSION_NOTE


def _reach_note(reached: bool, first_party: bool, has_roots: bool) -> str | None:
    """Why a package's scope is a default rather than something the lock showed."""
    if reached or first_party:
        return None
    if not has_roots:
        return "the lock names no project package; scope assumed runtime"
    return "no project package reaches it in the lock; scope assumed runtime"


def _resolution_markers(table: dict[str, Any]) -> str | None:
    """`resolution-markers` of a package locked once per environment fork, joined with `or`."""
    markers = string_list(table.get("resolution-markers")) or []
    if len(markers) == 1:
        return markers[0]
    return " or ".join(f"({marker})" for marker in markers) or None


SPEC = ParserSpec(
    name=PARSER_NAME,
    ecosystem=Ecosystem.PYPI,
    role=FileRole.LOCKFILE,
    file_names=frozenset({"uv.lock"}),
    matches=matches,
    parse=parse_uv_lock,
)
