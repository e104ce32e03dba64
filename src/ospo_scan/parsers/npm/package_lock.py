"""package-lock.json and npm-shrinkwrap.json -> lock entries, the graph between them, and its roots.

Two layouts exist. Lockfile versions 2 and 3 have a `packages` map keyed by install
path (`node_modules/a`, `node_modules/a/node_modules/b`, and folders of the project such
as `packages/foo` for workspaces and `file:` dependencies, `""` for the root); version 1
has only a nested `dependencies` tree (read by package_lock_v1). Version 2 carries both,
and `packages` is the one read, as npm itself does. The choice is made by which key is
present, not by the `lockfileVersion` number (hand-written and converted files disagree).

The lockfile states the whole dependency graph (`states_graph`); lifecycles, optional and
directness follow from its roots along its edges in ospo_scan.graph, not here:

- Entries. One DeclaredPackage per entry, `key_path` `packages["node_modules/a"]`. A
  `node_modules/...` entry is a third-party package named by its `name` when present (an
  alias folder `node_modules/foo` with `"name": "bar"` holds bar), else by the path after
  the last `node_modules/`, spelled as the package spells it (JSONStream). A folder entry
  (no `node_modules` segment) is the project's own code: first-party, a workspace member,
  and a folder in `workspace_paths` when inside the lockfile's folder. Its name is its
  `name`, else the name of the `link: true` entry that points at it, else the folder's
  base name. `link: true` entries are symlinks, not packages; a link whose target is not
  in the map is an issue. First-party is decided by these identities only (folders, link
  targets, `file:` tarballs), never because a name equals a workspace member's.
- Edges. Each entry's `peerDependencies` (PEER), `dependencies` (REQUIRED) and
  `optionalDependencies` (OPTIONAL), and for folders also `devDependencies` (DEVELOPMENT:
  npm installs a top-level folder's dev dependencies), in npm's loading order where a
  later section replaces an earlier one for the same name. The child is found with npm's
  lookup: the first of `p/node_modules/d`, `dirname(p)/node_modules/d`, ...,
  `node_modules/d` that exists, links followed; an alias resolves to the package its
  folder holds. A child that is not locked (a missing optional or peer) is still an
  edge, with no version.
- Roots. `packages[""]` (importer `.`) and every folder entry inside the lockfile's
  folder (importer = the folder, e.g. `packages/a`) record their sections; each declared
  name is a DeclaredRoot with the section's scopes, `group` = the section as written, the
  requirement, and the version the same lookup resolves it to (None when not locked).
- Flags. An entry's `scopes` are npm's own flags (`dev`, `optional`, `devOptional`,
  `peer`), kept only as the fallback for an entry that no root reaches.

Versions: a git or local package without a number keeps `version=None`, its source URL
and a note. `resolved` becomes `source_url` unless it is a registry tarball (a
`.../-/name-version.tgz` path); a `file:` tarball is first-party. `license` is kept as
the declared license (a legacy array is joined as `(A OR B)`). `inBundle` and
`extraneous` become notes. Lines are the first line of each entry's key, found with the
structural key scan of ospo_scan.parsers.lines.json_keys.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from typing import Any

from ospo_scan.excerpt import excerpt
from ospo_scan.model import EdgeKind, Ecosystem, Scope
from ospo_scan.parsers.base import (
    DeclaredPackage,
    DeclaredProject,
    DeclaredRoot,
    FileReader,
    FileRole,
    ParseError,
    ParseResult,
    ParserSpec,
    SourceFile,
)
from ospo_scan.parsers.formats import json_kind, load_json
from ospo_scan.parsers.lines.json_keys import key_lines
from ospo_scan.parsers.npm.package_json import license_expression
from ospo_scan.parsers.npm.package_lock_common import (
    PARSER_NAME,
    Locked,
    LockReader,
    expected_object,
    flag_scopes,
    is_git,
    key_path_text,
    license_of,
    real_name,
    source_url,
    string_or_none,
    with_notes,
)
from ospo_scan.parsers.npm.package_lock_v1 import TREE_KEYS, read_tree

__all__ = ["PARSER_NAME", "SPEC", "parse_package_lock"]

_KNOWN_VERSIONS = (1, 2, 3)
_NODE_MODULES = "node_modules/"
_INSTALLED_SECTIONS = (
    ("peerDependencies", EdgeKind.PEER),
    ("dependencies", EdgeKind.REQUIRED),
    ("optionalDependencies", EdgeKind.OPTIONAL),
)
"""What an installed package's entry depends on, in npm's loading order (a later one wins)."""
_FOLDER_SECTIONS = (*_INSTALLED_SECTIONS, ("devDependencies", EdgeKind.DEVELOPMENT))
"""A folder of the project (root, workspace, `file:` folder) also has its dev dependencies installed."""
_SECTION_SCOPES = {
    "peerDependencies": frozenset({Scope.PEER}),
    "dependencies": frozenset({Scope.RUNTIME}),
    "optionalDependencies": frozenset({Scope.OPTIONAL}),
    "devDependencies": frozenset({Scope.DEV}),
}
"""A root's scopes: what its section means, as package.json's parser says it."""


def parse_package_lock(source: SourceFile, reader: FileReader) -> ParseResult:
    """Read a lockfile of any version; a bad entry is an issue, the others are still read."""
    document = load_json(source)
    if not isinstance(document, dict):
        raise ParseError(f"expected a JSON object at the top level, found {json_kind(document)}", 1)
    packages = document.get("packages")
    lines = key_lines(source.text, *(_MAP_KEYS if isinstance(packages, dict) else TREE_KEYS))
    lock = LockReader.of(source, lines)
    _check_version(document, lock)
    if packages is not None and not isinstance(packages, dict):
        lock.report_at(expected_object("packages", packages), ("packages",))
        packages = None
    if packages is not None:
        _read_packages(document, packages, lock)
    else:
        read_tree(document, lock)
    lock.finish()
    return lock.result


def _check_version(document: dict[str, Any], lock: LockReader) -> None:
    version = document.get("lockfileVersion")
    if version is not None and version not in _KNOWN_VERSIONS:
        lock.report_at(f"lockfileVersion: unsupported value {excerpt(version)}; read by the keys present", ("lockfileVersion",))


def _in_map(path: tuple[str, ...]) -> bool:
    return path in ((), ("packages",))


_MAP_KEYS = (_in_map, _in_map)
"""Lines of top-level keys and `packages` entries; entries' insides are skipped."""


def _quoted(key: str) -> str:
    return key_path_text(("packages", key))


# --- the packages map ----------------------------------------------------------


@dataclass(slots=True)
class _Tree:
    """The packages map split into its kinds of entries."""

    entries: dict[str, dict[str, Any]]
    """Every entry that is an object, by path (links included)."""
    links: dict[str, str | None] = field(default_factory=dict)
    """Link path -> normalized target path (None when unusable)."""
    nodes: dict[str, Locked] = field(default_factory=dict)
    """Package and folder paths -> the package each holds."""


def _read_packages(document: dict[str, Any], packages: dict[str, Any], lock: LockReader) -> None:
    tree = _Tree(entries=_object_entries(packages, lock))
    lock.result.project = _project(document, tree.entries.get("", {}), lock)
    _read_links(tree, lock)
    link_names = _link_names(tree)
    for path, entry in tree.entries.items():
        if path and path not in tree.links:
            tree.nodes[path] = _read_entry(path, entry, link_names, lock)
    for path, node in tree.nodes.items():
        sections = _INSTALLED_SECTIONS if _is_installed(path) else _FOLDER_SECTIONS
        meta = tree.entries[path].get("peerDependenciesMeta")
        for name, (_section, kind, spec) in declared(tree.entries[path], sections).items():
            if kind is EdgeKind.PEER and _optional_peer(meta, name):
                kind = EdgeKind.OPTIONAL_PEER
            lock.edge(node, _child(path, name, spec, tree), kind)
    folders = [path for path in tree.nodes if not _is_installed(path)]
    inside = [path for path in folders if _inside(path)]
    for importer in ["", *inside]:
        _importer_roots(importer, tree, lock)
    lock.result.workspace_members = sorted({tree.nodes[path].name for path in folders})
    lock.result.workspace_paths = sorted(inside)


def _object_entries(packages: dict[str, Any], lock: LockReader) -> dict[str, dict[str, Any]]:
    entries: dict[str, dict[str, Any]] = {}
    for path, entry in packages.items():
        if isinstance(entry, dict):
            entries[path] = entry
        else:
            lock.report_at(f"{_quoted(path)}: expected an object, found {json_kind(entry)}", ("packages", path))
    return entries


def _project(document: dict[str, Any], root: dict[str, Any], lock: LockReader) -> DeclaredProject:
    """The root entry's identity, falling back to the top-level name and version."""
    name = root.get("name") if isinstance(root.get("name"), str) else document.get("name")
    version = root.get("version") if isinstance(root.get("version"), str) else document.get("version")
    license_, problem = license_expression(root.get("license"))
    if problem:
        lock.report_at(f"{_quoted('')}.license: {problem}", ("packages", ""))
    return DeclaredProject(name=string_or_none(name), version=string_or_none(version), license=license_)


def _read_links(tree: _Tree, lock: LockReader) -> None:
    """`link: true` entries -> their target folders; a link to nowhere is an issue."""
    for path, entry in tree.entries.items():
        if entry.get("link") is not True:
            continue
        resolved = entry.get("resolved")
        target = posixpath.normpath(resolved) if isinstance(resolved, str) and resolved else None
        if target is None or target not in tree.entries or target == path:
            lock.report_at(
                f"{_quoted(path)}.resolved: link target {excerpt(resolved)} is not an entry of packages", ("packages", path)
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


def _inside(path: str) -> bool:
    """A folder inside the lockfile's folder (not `../shared-lib`)."""
    return path != ".." and not path.startswith("../")


def _read_entry(path: str, entry: dict[str, Any], link_names: dict[str, str], lock: LockReader) -> Locked:
    """One package or folder entry -> its DeclaredPackage (appended) and the node it is."""
    installed = _is_installed(path)
    name = _node_name(path, entry, link_names)
    version = _entry_version(path, entry, installed, lock)
    resolved = string_or_none(entry.get("resolved"))
    key_path = ("packages", path)
    package = DeclaredPackage(
        name=name,
        version=version,
        scopes=flag_scopes(entry),
        first_party=not installed or (resolved or "").startswith("file:"),
        line=lock.lines.get(key_path),
        key_path=_quoted(path),
        source_url=source_url(resolved) if installed else path,
        declared_license=license_of(_quoted(path), key_path, entry, lock),
    )
    lock.result.packages.append(with_notes(package, _entry_notes(path, entry, name, version, resolved)))
    return Locked(name, version)


def _node_name(path: str, entry: dict[str, Any], link_names: dict[str, str]) -> str:
    """`name` (aliases, folders), else the path after the last node_modules/, else a link's or folder's name."""
    name = entry.get("name")
    if isinstance(name, str) and name:
        return name
    if _is_installed(path):
        return path.rsplit(_NODE_MODULES, 1)[1]
    return link_names.get(path, posixpath.basename(path))


def _entry_version(path: str, entry: dict[str, Any], installed: bool, lock: LockReader) -> str | None:
    version = entry.get("version")
    if isinstance(version, str) and version.strip():
        return version.strip()
    if version is not None:
        lock.report_at(f"{_quoted(path)}.version: expected a string, found {json_kind(version)}", ("packages", path))
    elif installed and not is_git(entry.get("resolved")):
        lock.report_at(f"{_quoted(path)}.version: missing", ("packages", path))
    return None


def _entry_notes(path: str, entry: dict[str, Any], name: str, version: str | None, resolved: str | None) -> list[str]:
    notes: list[str] = []
    if not _is_installed(path):
        notes.append("the project's own folder (workspace or local dependency)")
    elif name != (folder := path.rsplit(_NODE_MODULES, 1)[1]):
        notes.append(f"installed under the alias {excerpt(folder)}")
    if version is None and _is_installed(path):
        notes.append("git dependency: no version in the lock" if is_git(resolved) else "no version in the lock")
    if entry.get("inBundle") is True:
        notes.append(f"bundled inside its dependent's tarball at {path} (inBundle)")
    if entry.get("extraneous") is True:
        notes.append(f"extraneous at {path}: no package depends on it")
    return notes


# --- edges and roots -----------------------------------------------------------


def declared(entry: dict[str, Any], sections: tuple[tuple[str, EdgeKind], ...]) -> dict[str, tuple[str, EdgeKind, Any]]:
    """Dependency name -> (section, edge kind, specifier); a later section replaces an earlier one.

    npm loads peer, prod, optional, then (for top-level folders) dev edges, each replacing
    an edge of the same name: a name in both `dependencies` and `devDependencies` is a dev
    edge, one in `dependencies` and `optionalDependencies` an optional one.
    """
    found: dict[str, tuple[str, EdgeKind, Any]] = {}
    for section, kind in sections:
        table = entry.get(section)
        if isinstance(table, dict):
            for name, spec in table.items():
                found.pop(name, None)
                found[name] = (section, kind, spec)
    return found


def _child(from_path: str, name: str, spec: Any, tree: _Tree) -> Locked:
    """The package a dependency of the entry at `from_path` resolves to (no version: not locked)."""
    target = _resolve(from_path, name, tree)
    return tree.nodes[target] if target is not None else Locked(real_name(name, spec), None)


def _resolve(from_path: str, name: str, tree: _Tree) -> str | None:
    """npm's lookup: `<dir>/node_modules/<name>` for the entry's folder and each folder above it."""
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


def _importer_roots(importer: str, tree: _Tree, lock: LockReader) -> None:
    """The sections an importer's entry records -> one DeclaredRoot per declared name."""
    entry = tree.entries.get(importer, {})
    meta = entry.get("peerDependenciesMeta")
    for name, (section, _kind, spec) in declared(entry, _FOLDER_SECTIONS).items():
        child = _child(importer, name, spec, tree)
        scopes = _SECTION_SCOPES[section]
        if section == "peerDependencies" and _optional_peer(meta, name):
            scopes = scopes | {Scope.OPTIONAL}
        lock.result.roots.append(
            DeclaredRoot(
                importer=importer or ".",
                name=child.name,
                version=child.version,
                scopes=scopes,
                group=section,
                requirement=(spec.strip() or "*") if isinstance(spec, str) else None,  # as package.json's parser
            )
        )


def _optional_peer(meta: Any, name: str) -> bool:
    options = meta.get(name) if isinstance(meta, dict) else None
    return isinstance(options, dict) and options.get("optional") is True


SPEC = ParserSpec(
    name=PARSER_NAME,
    ecosystem=Ecosystem.NPM,
    role=FileRole.LOCKFILE,
    # npm writes `package-lock.json`, or `npm-shrinkwrap.json` for a published lock.
    file_names=frozenset({"npm-shrinkwrap.json", "package-lock.json"}),
    parse=parse_package_lock,
)
