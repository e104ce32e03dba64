"""package-lock.json and npm-shrinkwrap.json -> locked packages, edges and directness.

Two layouts exist. Lockfile versions 2 and 3 have a `packages` map keyed by install
path (`node_modules/a`, `node_modules/a/node_modules/b`, and folders of the project such
as `packages/foo` for workspaces and `file:` dependencies, `""` for the root); version 1
has only a nested `dependencies` tree. Version 2 carries both, and `packages` is the one
read, as npm itself does. The choice is made by which key is present, not by the
`lockfileVersion` number (hand-written and converted files disagree with it).

What each node becomes:
- A `node_modules/...` entry is a third-party package. Its name is the entry's `name`
  when present (an alias installed as `node_modules/foo` with `"name": "bar"` is bar),
  else the path after the last `node_modules/`.
- A folder entry (no `node_modules` segment) is the project's own code: first-party,
  direct, a workspace member, and its folder goes in `workspace_paths` so that its
  package.json is resolved against this lockfile. Its name is its `name`, else the name
  of the `link: true` entry that points at it, else the folder's base name.
- `link: true` entries are symlinks, not packages; a link whose target is not in the
  map is an issue.

Scopes come from npm's flags on each node: `dev` -> DEV, `optional` -> OPTIONAL,
`devOptional` (or both flags) -> DEV and OPTIONAL, none -> RUNTIME, and PEER is added
when `peer` is set. Several nodes of one (name, version) merge the way npm computes
flags for one node: RUNTIME as soon as one node is needed at runtime, otherwise the
union; PEER only when every node is a peer.

Edges and directness use npm's lookup: a dependency `d` of the node at path `p` is the
first of `p/node_modules/d`, `dirname(p)/node_modules/d`, ..., `node_modules/d` that
exists (links followed). Packages that the root entry `""` or a folder entry declares
(`dependencies`, `devDependencies`, `optionalDependencies`, `peerDependencies`) are
direct, the rest transitive. A version 1 tree records no root declarations, so its
packages have `direct=None`; its `requires` edges are resolved by the same upward walk
over the nested tree.

Versions: a version 1 `version` may hold `npm:bar@1.2.3` (an alias), a git URL or a
`file:` path instead of a number; these are classified with the manifest's specifier
rules. A git or local package without a number keeps `version=None`, its source URL and
a note. `resolved` becomes `source_url` unless it is a registry tarball (a
`.../-/name-version.tgz` path); a `file:` tarball is first-party. `license` is kept as
the declared license (a legacy array is joined as `(A OR B)`). `inBundle`/`bundled` and
`extraneous` become notes.

One DeclaredPackage per (name, version) (per source URL when there is no version); a
second source for the same version is kept as an "also locked from" note. Its line is
the first line of its entries' keys, found with the structural key scan of
ospo_scan.parsers.npm.json_keys.
"""

from __future__ import annotations

import posixpath
import re
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from ospo_scan.model import Ecosystem, Scope
from ospo_scan.parsers.base import (
    DeclaredEdge,
    DeclaredPackage,
    DeclaredProject,
    FileReader,
    FileRole,
    ParseError,
    ParseResult,
    ParserSpec,
    SourceFile,
    basename,
    issue,
)
from ospo_scan.parsers.formats import json_kind, load_json
from ospo_scan.parsers.npm.json_keys import KeyPath, key_lines
from ospo_scan.parsers.npm.package_json import license_expression
from ospo_scan.parsers.npm.specifiers import Specifier, SpecKind, classify

PARSER_NAME = "package-lock"
_LOCK_NAMES = frozenset({"package-lock.json", "npm-shrinkwrap.json"})
_KNOWN_VERSIONS = (1, 2, 3)
_DECLARING_SECTIONS = ("dependencies", "optionalDependencies", "peerDependencies", "devDependencies")
_INSTALLED_SECTIONS = ("dependencies", "optionalDependencies", "peerDependencies")
"""A dependency's devDependencies are never installed; only the project's own folders' are."""
_REGISTRY_TARBALL = re.compile(r"/-/[^/]+\.tgz$")
_NODE_MODULES = "node_modules/"
_VALID_NAME = re.compile(r"^(?:@[^/@\s]+/)?[^/@\s][^/\s]*$")


def matches(path: str) -> bool:
    """npm writes `package-lock.json`, or `npm-shrinkwrap.json` for a published lock."""
    return basename(path) in _LOCK_NAMES


def parse_package_lock(source: SourceFile, reader: FileReader) -> ParseResult:
    """Read a lockfile of any version; a bad entry is an issue, the others are still read."""
    document = load_json(source)
    if not isinstance(document, dict):
        raise ParseError(f"expected a JSON object at the top level, found {json_kind(document)}", 1)
    packages = document.get("packages")
    lines = key_lines(source.text, *(_MAP_KEYS if isinstance(packages, dict) else _TREE_KEYS))
    lock = _Lock(source=source, result=ParseResult(), lines=lines)
    _check_version(document, lock)
    if packages is not None and not isinstance(packages, dict):
        lock.report(f"packages: expected an object, found {json_kind(packages)}", ("packages",))
        packages = None
    if packages is not None:
        _read_packages(document, packages, lock)
    else:
        _read_tree(document, lock)
    lock.result.packages = [merged.freeze() for merged in lock.merged.values()]
    return lock.result


# --- shared state --------------------------------------------------------------


@dataclass(slots=True)
class _Merged:
    """Every node of one (name, version), folded into one package."""

    name: str
    version: str | None
    line: int | None
    first_party: bool = False
    direct: bool | None = None
    requirement: str | None = None
    source_url: str | None = None
    license: str | None = None
    node_scopes: list[frozenset[Scope]] = field(default_factory=list)
    all_peer: bool = True
    notes: dict[str, None] = field(default_factory=dict)

    def add_node(self, scopes: frozenset[Scope], peer: bool) -> None:
        self.node_scopes.append(scopes)
        self.all_peer = self.all_peer and peer

    def freeze(self) -> DeclaredPackage:
        return DeclaredPackage(
            name=self.name,
            version=self.version,
            requirement=self.requirement,
            scopes=merge_scopes(self.node_scopes, self.all_peer),
            direct=self.direct,
            first_party=self.first_party,
            line=self.line,
            source_url=self.source_url,
            declared_license=self.license,
            note="; ".join(self.notes) or None,
        )


def node_scopes(entry: dict[str, Any]) -> frozenset[Scope]:
    """npm's flags on one node -> its scopes (PEER is handled by merge_scopes)."""
    dev, optional = entry.get("dev") is True, entry.get("optional") is True
    if entry.get("devOptional") is True or (dev and optional):
        return frozenset({Scope.DEV, Scope.OPTIONAL})
    if dev:
        return frozenset({Scope.DEV})
    return frozenset({Scope.OPTIONAL}) if optional else frozenset({Scope.RUNTIME})


def merge_scopes(per_node: list[frozenset[Scope]], all_peer: bool) -> frozenset[Scope]:
    """RUNTIME if any node is needed at runtime, else the union; PEER when every node is a peer."""
    if not per_node or any(Scope.RUNTIME in scopes for scopes in per_node):
        merged: frozenset[Scope] = frozenset({Scope.RUNTIME})
    else:
        merged = frozenset().union(*per_node)
    return merged | {Scope.PEER} if all_peer and per_node else merged


@dataclass(slots=True)
class _Lock:
    """The file being read and what has been found so far."""

    source: SourceFile
    result: ParseResult
    lines: dict[KeyPath, int]
    merged: dict[tuple[str, str | None, str | None], _Merged] = field(default_factory=dict)
    edges: dict[tuple[str, str | None, str, str | None], None] = field(default_factory=dict)

    def report(self, message: str, path: KeyPath | None = None) -> None:
        line = self.lines.get(path) if path else None
        self.result.issues.append(issue(self.source, PARSER_NAME, message, line))

    def package(self, name: str, version: str | None, source_url: str | None, line: int | None) -> _Merged:
        """The merged package for (name, version); unversioned ones are told apart by source.

        The first line in the file wins; a second source for one version is kept as a note.
        """
        key = (name, version, None if version else source_url)
        merged = self.merged.get(key)
        if merged is None:
            merged = self.merged[key] = _Merged(name=name, version=version, line=line, source_url=source_url)
        elif line is not None and (merged.line is None or line < merged.line):
            merged.line = line
        if source_url and merged.source_url and source_url != merged.source_url:
            merged.notes.setdefault(f"also locked from {source_url}")
        merged.source_url = merged.source_url or source_url
        return merged

    def edge(self, parent: _Merged, child: _Merged) -> None:
        if parent is not child:
            self.edges[(parent.name, parent.version, child.name, child.version)] = None

    def finish_edges(self) -> None:
        self.result.edges = [
            DeclaredEdge(parent=p, parent_version=pv, child=c, child_version=cv) for p, pv, c, cv in self.edges
        ]


def _check_version(document: dict[str, Any], lock: _Lock) -> None:
    version = document.get("lockfileVersion")
    if version is not None and version not in _KNOWN_VERSIONS:
        lock.report(f"lockfileVersion: unsupported value {version!r}; read by the keys present", ("lockfileVersion",))


def _quoted(key: str) -> str:
    return f'packages["{key}"]'


# --- lockfile versions 2 and 3: the packages map -------------------------------


@dataclass(slots=True)
class _Tree:
    """The packages map split into its kinds of entries."""

    entries: dict[str, dict[str, Any]]
    """Every entry that is an object, by path (links included)."""
    links: dict[str, str | None]
    """Link path -> normalized target path (None when unusable)."""
    nodes: dict[str, _Merged] = field(default_factory=dict)
    """Package and folder paths -> their merged package."""


def _read_packages(document: dict[str, Any], packages: dict[str, Any], lock: _Lock) -> None:
    tree = _Tree(entries=_object_entries(packages, lock), links={})
    root = tree.entries.get("", {})
    lock.result.project = _project(document, root, lock)
    _read_links(tree, lock)
    link_names = _link_names(tree)
    for path, entry in tree.entries.items():
        if path and path not in tree.links:
            tree.nodes[path] = _node(path, entry, link_names, lock)
    _mark_direct(tree)
    for path, merged in tree.nodes.items():
        _node_edges(path, tree, merged, lock)
    lock.finish_edges()
    folders = [path for path in tree.nodes if not _is_installed(path)]
    lock.result.workspace_members = sorted({tree.nodes[path].name for path in folders})
    lock.result.workspace_paths = sorted(path for path in folders if not path.startswith("../") and path != "..")


def _object_entries(packages: dict[str, Any], lock: _Lock) -> dict[str, dict[str, Any]]:
    entries: dict[str, dict[str, Any]] = {}
    for path, entry in packages.items():
        if isinstance(entry, dict):
            entries[path] = entry
        else:
            lock.report(f"{_quoted(path)}: expected an object, found {json_kind(entry)}", ("packages", path))
    return entries


def _project(document: dict[str, Any], root: dict[str, Any], lock: _Lock) -> DeclaredProject:
    """The root entry's identity, falling back to the top-level name and version."""
    name = root.get("name") if isinstance(root.get("name"), str) else document.get("name")
    version = root.get("version") if isinstance(root.get("version"), str) else document.get("version")
    license_, problem = license_expression(root.get("license"))
    if problem:
        lock.report(f"{_quoted('')}.license: {problem}", ("packages", ""))
    return DeclaredProject(
        name=name if isinstance(name, str) and name else None,
        version=version if isinstance(version, str) and version else None,
        license=license_,
    )


def _read_links(tree: _Tree, lock: _Lock) -> None:
    """`link: true` entries -> their target folders; a link to nowhere is an issue."""
    for path, entry in tree.entries.items():
        if entry.get("link") is not True:
            continue
        resolved = entry.get("resolved")
        target = posixpath.normpath(resolved) if isinstance(resolved, str) and resolved else None
        if target is None or target not in tree.entries or target == path:
            lock.report(
                f"{_quoted(path)}.resolved: link target {resolved!r} is not an entry of packages", ("packages", path)
            )
            target = None
        tree.links[path] = target


def _link_names(tree: _Tree) -> dict[str, str]:
    """Folder -> the package name a link gives it (a top-level link wins over nested ones)."""
    names: dict[str, str] = {}
    for path, target in sorted(tree.links.items(), key=lambda item: item[0].count("/")):
        if target is not None and _is_installed(path):
            names.setdefault(target, path.rsplit(_NODE_MODULES, 1)[1])
    return names


def _is_installed(path: str) -> bool:
    """True for a path inside some node_modules folder (a third-party install location)."""
    return path.startswith(_NODE_MODULES) or f"/{_NODE_MODULES}" in path


def _node(path: str, entry: dict[str, Any], link_names: dict[str, str], lock: _Lock) -> _Merged:
    """One package or folder entry -> its merged package, with flags, license and notes."""
    installed = _is_installed(path)
    name = _node_name(path, entry, link_names)
    version = _entry_version(path, entry, installed, lock)
    resolved = entry.get("resolved") if isinstance(entry.get("resolved"), str) else None
    source_url = _source_url(resolved) if installed else path
    merged = lock.package(name, version, source_url, lock.lines.get(("packages", path)))
    merged.add_node(node_scopes(entry), entry.get("peer") is True)
    merged.first_party = merged.first_party or not installed or (resolved or "").startswith("file:")
    if not installed:
        merged.direct = True
        merged.notes.setdefault("the project's own folder (workspace or local dependency)")
    elif name != path.rsplit(_NODE_MODULES, 1)[1]:
        merged.notes.setdefault(f"installed under the alias {path.rsplit(_NODE_MODULES, 1)[1]!r}")
    _license(_quoted(path), ("packages", path), entry, merged, lock)
    _entry_notes(path, entry, version, resolved, merged)
    return merged


def _node_name(path: str, entry: dict[str, Any], link_names: dict[str, str]) -> str:
    """`name` (aliases, folders), else the path after the last node_modules/, else a link's or folder's name."""
    name = entry.get("name")
    if isinstance(name, str) and name:
        return name
    if _is_installed(path):
        return path.rsplit(_NODE_MODULES, 1)[1]
    return link_names.get(path, posixpath.basename(path))


def _entry_version(path: str, entry: dict[str, Any], installed: bool, lock: _Lock) -> str | None:
    version = entry.get("version")
    if isinstance(version, str) and version.strip():
        return version.strip()
    if version is not None:
        lock.report(f"{_quoted(path)}.version: expected a string, found {json_kind(version)}", ("packages", path))
    elif installed and not _is_git(entry.get("resolved")):
        lock.report(f"{_quoted(path)}.version: missing", ("packages", path))
    return None


def _entry_notes(path: str, entry: dict[str, Any], version: str | None, resolved: str | None, merged: _Merged) -> None:
    if version is None and _is_installed(path):
        merged.notes.setdefault(
            "git dependency: no version in the lock" if _is_git(resolved) else "no version in the lock"
        )
    if entry.get("inBundle") is True:
        merged.notes.setdefault(f"bundled inside its dependent's tarball at {path} (inBundle)")
    if entry.get("extraneous") is True:
        merged.notes.setdefault(f"extraneous at {path}: no package depends on it")


def _license(label: str, key_path: KeyPath, entry: dict[str, Any], merged: _Merged, lock: _Lock) -> None:
    license_, problem = license_expression(entry.get("license"))
    if problem:
        lock.report(f"{label}.license: {problem}", key_path)
    merged.license = merged.license or license_


def _source_url(resolved: str | None) -> str | None:
    """Where a package comes from, unless it is the registry (whose tarballs end in /-/x.tgz)."""
    if not resolved:
        return None
    path = resolved.split("#", 1)[0].split("?", 1)[0]
    if resolved.startswith(("http://", "https://")) and _REGISTRY_TARBALL.search(path):
        return None
    return resolved


def _is_git(resolved: Any) -> bool:
    return isinstance(resolved, str) and classify("", resolved).kind is SpecKind.GIT


def _mark_direct(tree: _Tree) -> None:
    """Every installed package starts transitive; what the root and folders declare is direct."""
    for path, merged in tree.nodes.items():
        if _is_installed(path) and merged.direct is None:
            merged.direct = False
    for declarer in ["", *(p for p in tree.nodes if not _is_installed(p))]:
        entry = tree.entries.get(declarer, {})
        for name, spec in _declared(entry, _DECLARING_SECTIONS):
            target = _resolve(declarer, name, tree)
            if target is not None:
                merged = tree.nodes[target]
                merged.direct = True
                merged.requirement = merged.requirement or (spec if isinstance(spec, str) else None)


def _node_edges(path: str, tree: _Tree, merged: _Merged, lock: _Lock) -> None:
    sections = _INSTALLED_SECTIONS if _is_installed(path) else _DECLARING_SECTIONS
    for name, _spec in _declared(tree.entries[path], sections):
        target = _resolve(path, name, tree)
        if target is not None:
            lock.edge(merged, tree.nodes[target])


def _declared(entry: dict[str, Any], sections: tuple[str, ...]) -> Iterator[tuple[str, Any]]:
    for section in sections:
        table = entry.get(section)
        if isinstance(table, dict):
            yield from table.items()


def _resolve(from_path: str, name: str, tree: _Tree) -> str | None:
    """npm's lookup: `<dir>/node_modules/<name>` for the node's folder and each folder above it."""
    directory = from_path
    while True:
        candidate = f"{directory}/{_NODE_MODULES}{name}" if directory else f"{_NODE_MODULES}{name}"
        if candidate in tree.links:
            target = tree.links[candidate]
            return target if target in tree.nodes else None
        if candidate in tree.nodes:
            return candidate
        if not directory:
            return None
        directory = directory[: max(directory.rfind("/"), 0)]


# --- lockfile version 1: the nested dependencies tree --------------------------

Chain = tuple[str, ...]
"""Dependency keys from the top of a version 1 tree down to one entry."""


def _read_tree(document: dict[str, Any], lock: _Lock) -> None:
    dependencies = document.get("dependencies")
    name, version = document.get("name"), document.get("version")
    lock.result.project = DeclaredProject(
        name=name if isinstance(name, str) and name else None,
        version=version if isinstance(version, str) and version else None,
    )
    if dependencies is None:
        lock.report("no `packages` or `dependencies`: nothing is locked")
        return
    if not isinstance(dependencies, dict):
        lock.report(f"dependencies: expected an object, found {json_kind(dependencies)}", ("dependencies",))
        return
    nodes: dict[Chain, tuple[_Merged, dict[str, Any]]] = {}
    for chain, entry in _walk(dependencies, lock):
        nodes[chain] = (_tree_node(chain, entry, lock), entry)
    for chain, (merged, entry) in nodes.items():
        requires = entry.get("requires")
        for required in requires if isinstance(requires, dict) else {}:
            target = _tree_resolve(chain, required, nodes)
            if target is not None:
                lock.edge(merged, target)
    lock.finish_edges()
    lock.result.workspace_members = sorted({m.name for m, _ in nodes.values() if m.first_party})


def _is_tree_level(parent: KeyPath) -> bool:
    """Parents of v1 entries: ("dependencies",), ("dependencies", a, "dependencies"), ..."""
    return len(parent) % 2 == 1 and all(parent[i] == "dependencies" for i in range(0, len(parent), 2))


def _in_tree(path: KeyPath) -> bool:
    """Containers that may hold v1 entries: the top, tree levels, and the entries themselves."""
    return not path or _is_tree_level(path) or _is_tree_level(path[:-1])


def _in_map(path: KeyPath) -> bool:
    return path in ((), ("packages",))


_MAP_KEYS = (_in_map, _in_map)
"""Lines of top-level keys and `packages` entries; entries' insides are skipped."""
_TREE_KEYS = (lambda parent: parent == () or _is_tree_level(parent), _in_tree)
"""Lines of top-level keys and of every v1 entry, at any depth of the tree."""


def _tree_path(chain: Chain) -> KeyPath:
    return tuple(part for key in chain for part in ("dependencies", key))


def _walk(top: dict[str, Any], lock: _Lock) -> Iterator[tuple[Chain, dict[str, Any]]]:
    """Entries breadth first (top level first), without recursion."""
    queue: deque[tuple[Chain, dict[str, Any]]] = deque([((), top)])
    while queue:
        chain, children = queue.popleft()
        for key, entry in children.items():
            path = (*chain, key)
            label = "dependencies." + ".dependencies.".join(path)
            if not isinstance(entry, dict):
                lock.report(f"{label}: expected an object, found {json_kind(entry)}", _tree_path(path))
                continue
            yield path, entry
            nested = entry.get("dependencies")
            if isinstance(nested, dict):
                queue.append((path, nested))
            elif nested is not None:
                lock.report(f"{label}.dependencies: expected an object, found {json_kind(nested)}", _tree_path(path))


def _tree_node(chain: Chain, entry: dict[str, Any], lock: _Lock) -> _Merged:
    """A v1 entry: `version` may be a number, an alias, a git URL or a local path."""
    key, line = chain[-1], lock.lines.get(_tree_path(chain))
    raw = entry.get("version")
    label = "dependencies." + ".dependencies.".join(chain)
    if not valid_name(key):
        lock.report(f"{label}: {key!r} is not a valid package name", _tree_path(chain))
    if not isinstance(raw, str) or not raw.strip():
        lock.report(
            f"{label}.version: {'missing' if raw is None else 'expected a string, found ' + json_kind(raw)}",
            _tree_path(chain),
        )
        raw = ""
    spec = classify(key, raw.strip()) if raw else None
    version = spec.version if spec else None
    if spec is not None and spec.kind in (SpecKind.RANGE, SpecKind.TAG) and spec.name == key:
        version = raw.strip()  # not semver, but it is what the lock pins
    resolved = entry.get("resolved") if isinstance(entry.get("resolved"), str) else None
    source_url = spec.source_url if spec and spec.source_url else _source_url(resolved)
    merged = lock.package(spec.name if spec else key, version, source_url, line)
    merged.add_node(node_scopes(entry), False)
    merged.first_party = merged.first_party or bool(spec and spec.first_party)
    _license(label, _tree_path(chain), entry, merged, lock)
    _tree_notes(entry, spec, merged)
    return merged


_TREE_NOTES = {
    SpecKind.GIT: "git dependency: a version 1 lock records the commit, not the version",
    SpecKind.LOCAL: "local path: first-party code",
    SpecKind.TARBALL: "tarball URL: no version in the lock",
}


def _tree_notes(entry: dict[str, Any], spec: Specifier | None, merged: _Merged) -> None:
    note = "no version in the lock" if spec is None else _TREE_NOTES.get(spec.kind, spec.note)
    if note:
        merged.notes.setdefault(note)
    if entry.get("bundled") is True:
        merged.notes.setdefault("bundled inside its dependent's tarball (bundled)")


def valid_name(name: str) -> bool:
    """An npm package name: `name` or `@scope/name`, no other slash, no spaces."""
    return bool(_VALID_NAME.match(name))


def _tree_resolve(chain: Chain, name: str, nodes: dict[Chain, tuple[_Merged, dict[str, Any]]]) -> _Merged | None:
    """A v1 `requires` name: the entry's own children first, then each level above."""
    for depth in range(len(chain), -1, -1):
        found = nodes.get((*chain[:depth], name))
        if found is not None:
            return found[0]
    return None


SPEC = ParserSpec(
    name=PARSER_NAME,
    ecosystem=Ecosystem.NPM,
    role=FileRole.LOCKFILE,
    file_names=frozenset({"npm-shrinkwrap.json", "package-lock.json"}),
    matches=matches,
    parse=parse_package_lock,
)
