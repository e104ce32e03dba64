"""package-lock.json version 1: the nested `dependencies` tree (npm 5 and 6).

Each entry is a package installed at the place its chain of keys names
(`dependencies.a.dependencies.b` is `node_modules/a/node_modules/b`); one DeclaredPackage
per entry, `key_path` `dependencies["a"].dependencies["b"]`. An entry's `requires` are
its edges, resolved by npm's upward lookup over the tree: the entry's own children
first, then each level above, up to the top. Version 1 does not say which `requires`
were optional, so every edge is REQUIRED; a required name the tree does not hold is
still an edge, without a version.

The file records no root sections (the project's own declarations live only in
package.json), so `roots` stay empty and the manifest's declarations are the roots.

`version` may hold `npm:bar@1.2.3` (an alias), a git URL or a `file:` path instead of a
number; these are classified with the manifest's specifier rules. A git or local package
without a number keeps `version=None`, its source URL and a note; a local path is
first-party. `dev`/`optional` flags are kept as the fallback scopes of an entry no root
reaches, `bundled` becomes a note.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterator
from typing import Any

from ospo_scan.excerpt import excerpt
from ospo_scan.model import EdgeKind
from ospo_scan.parsers.base import DeclaredPackage, DeclaredProject
from ospo_scan.parsers.formats import json_kind
from ospo_scan.parsers.lines import KeyPath
from ospo_scan.parsers.npm.package_lock_common import (
    Locked,
    LockReader,
    flag_scopes,
    key_path_text,
    license_of,
    real_name,
    source_url,
    string_or_none,
    with_notes,
)
from ospo_scan.parsers.npm.specifiers import Specifier, SpecKind, classify

Chain = tuple[str, ...]
"""Dependency keys from the top of the tree down to one entry."""

_VALID_NAME = re.compile(r"^(?:@[^/@\s]+/)?[^/@\s][^/\s]*$")
_TREE_NOTES = {
    SpecKind.GIT: "git dependency: a version 1 lock records the commit, not the version",
    SpecKind.LOCAL: "local path: first-party code",
    SpecKind.TARBALL: "tarball URL: no version in the lock",
}


def read_tree(document: dict[str, Any], lock: LockReader) -> None:
    """Entries, edges and workspace members of a version 1 lockfile."""
    lock.result.project = DeclaredProject(
        name=string_or_none(document.get("name")), version=string_or_none(document.get("version"))
    )
    dependencies = document.get("dependencies")
    if dependencies is None:
        lock.report("no `packages` or `dependencies`: nothing is locked")
        return
    if not isinstance(dependencies, dict):
        lock.report_at(f"dependencies: expected an object, found {json_kind(dependencies)}", ("dependencies",))
        return
    nodes: dict[Chain, tuple[Locked, dict[str, Any]]] = {}
    first_party: set[str] = set()
    for chain, entry in _walk(dependencies, lock):
        package = _entry(chain, entry, lock)
        lock.result.packages.append(package)
        nodes[chain] = (Locked(package.name, package.version), entry)
        if package.first_party:
            first_party.add(package.name)
    for chain, (node, entry) in nodes.items():
        requires = entry.get("requires")
        for name, spec in (requires if isinstance(requires, dict) else {}).items():
            found = _resolve(chain, name, nodes)
            lock.edge(node, found if found is not None else Locked(real_name(name, spec), None), EdgeKind.REQUIRED)
    lock.result.workspace_members = sorted(first_party)


def valid_name(name: str) -> bool:
    """An npm package name: `name` or `@scope/name`, no other slash, no spaces."""
    return bool(_VALID_NAME.match(name))


def _is_tree_level(parent: KeyPath) -> bool:
    """Parents of entries: ("dependencies",), ("dependencies", a, "dependencies"), ..."""
    return len(parent) % 2 == 1 and all(parent[i] == "dependencies" for i in range(0, len(parent), 2))


def _in_tree(path: KeyPath) -> bool:
    """Containers that may hold entries: the top, tree levels, and the entries themselves."""
    return not path or _is_tree_level(path) or _is_tree_level(path[:-1])


TREE_KEYS = (lambda parent: parent == () or _is_tree_level(parent), _in_tree)
"""Lines of top-level keys and of every entry, at any depth of the tree."""


def _tree_path(chain: Chain) -> KeyPath:
    return tuple(part for key in chain for part in ("dependencies", key))


def _label(chain: Chain) -> str:
    return "dependencies." + ".dependencies.".join(chain)


def _key_path(chain: Chain) -> str:
    return key_path_text(_tree_path(chain))


def _walk(top: dict[str, Any], lock: LockReader) -> Iterator[tuple[Chain, dict[str, Any]]]:
    """Entries breadth first (top level first), without recursion."""
    queue: deque[tuple[Chain, dict[str, Any]]] = deque([((), top)])
    while queue:
        chain, children = queue.popleft()
        for key, entry in children.items():
            path = (*chain, key)
            if not isinstance(entry, dict):
                lock.report_at(f"{_label(path)}: expected an object, found {json_kind(entry)}", _tree_path(path))
                continue
            yield path, entry
            nested = entry.get("dependencies")
            if isinstance(nested, dict):
                queue.append((path, nested))
            elif nested is not None:
                lock.report_at(f"{_label(path)}.dependencies: expected an object, found {json_kind(nested)}", _tree_path(path))


def _entry(chain: Chain, entry: dict[str, Any], lock: LockReader) -> DeclaredPackage:
    """An entry: `version` may be a number, an alias, a git URL or a local path."""
    key, key_path = chain[-1], _tree_path(chain)
    if not valid_name(key):
        lock.report_at(f"{_label(chain)}: {excerpt(key)} is not a valid package name", key_path)
    raw = entry.get("version")
    if not isinstance(raw, str) or not raw.strip():
        problem = "missing" if raw is None else "expected a string, found " + json_kind(raw)
        lock.report_at(f"{_label(chain)}.version: {problem}", key_path)
        raw = ""
    spec = classify(key, raw.strip()) if raw else None
    version = spec.version if spec else None
    if spec is not None and spec.kind in (SpecKind.RANGE, SpecKind.TAG) and spec.name == key:
        version = raw.strip()  # not semver, but it is what the lock pins
    resolved = string_or_none(entry.get("resolved"))
    package = DeclaredPackage(
        name=spec.name if spec else key,
        version=version,
        scopes=flag_scopes(entry),
        first_party=bool(spec and spec.first_party),
        line=lock.lines.get(key_path),
        key_path=_key_path(chain),
        source_url=spec.source_url if spec and spec.source_url else source_url(resolved),
        declared_license=license_of(_label(chain), key_path, entry, lock),
    )
    return with_notes(package, _notes(entry, spec))


def _notes(entry: dict[str, Any], spec: Specifier | None) -> list[str]:
    note = "no version in the lock" if spec is None else _TREE_NOTES.get(spec.kind, spec.note)
    notes = [note] if note else []
    if entry.get("bundled") is True:
        notes.append("bundled inside its dependent's tarball (bundled)")
    return notes


def _resolve(chain: Chain, name: str, nodes: dict[Chain, tuple[Locked, dict[str, Any]]]) -> Locked | None:
    """A `requires` name: the entry's own children first, then each level above."""
    for depth in range(len(chain), -1, -1):
        found = nodes.get((*chain[:depth], name))
        if found is not None:
            return found[0]
    return None
