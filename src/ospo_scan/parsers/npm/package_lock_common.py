"""What both layouts of package-lock.json share: the entry being read, flags, sources, licenses.

The two layouts (the `packages` map of lockfile versions 2 and 3, the nested
`dependencies` tree of version 1) are read by package_lock and package_lock_v1; both
state one DeclaredPackage per lock entry and the edges between entries through a
`LockReader`, which also turns problems into issues at the right line.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from typing import Any

from ospo_scan.model import EdgeKind, Scope
from ospo_scan.parsers.base import INVALID_ENTRY, DeclaredEdge, DeclaredPackage, IssueCollector, ParseResult, SourceFile
from ospo_scan.parsers.formats import json_kind
from ospo_scan.parsers.lines import KeyPath
from ospo_scan.parsers.npm.package_json import license_expression
from ospo_scan.parsers.npm.specifiers import SpecKind, classify

PARSER_NAME = "package-lock"
_REGISTRY_TARBALL = re.compile(r"/-/[^/]+\.tgz$")


@dataclass(frozen=True, slots=True)
class Locked:
    """A graph node: the package an entry holds (the real name for an alias folder)."""

    name: str
    version: str | None


EdgeKey = tuple[str, "str | None", str, "str | None", EdgeKind]


@dataclass(slots=True, kw_only=True)
class LockReader(IssueCollector):
    """The file being read and what has been found so far."""

    result: ParseResult
    lines: dict[KeyPath, int]
    edges: dict[EdgeKey, None] = field(default_factory=dict)
    """Edges in the order found; copies of one package at several paths state them once."""

    @classmethod
    def of(cls, source: SourceFile, lines: dict[KeyPath, int]) -> LockReader:
        """A reader of `source` filling a fresh result."""
        result = ParseResult()
        return cls(source=source, parser=PARSER_NAME, issues=result.issues, result=result, lines=lines)

    def report_at(self, message: str, path: KeyPath) -> None:
        """An issue at the line and key path of `path`; one about a single entry is `invalid-entry`."""
        code = INVALID_ENTRY if len(path) >= 2 else None
        self.report(message, self.lines.get(path), code=code, key_path=key_path_text(path))

    def edge(self, parent: Locked, child: Locked, kind: EdgeKind) -> None:
        if parent != child:
            self.edges[(parent.name, parent.version, child.name, child.version, kind)] = None

    def finish(self) -> None:
        """Edges into the result; the lockfile states the whole graph."""
        self.result.edges = [
            DeclaredEdge(parent=p, parent_version=pv, child=c, child_version=cv, kind=kind)
            for p, pv, c, cv, kind in self.edges
        ]
        self.result.states_graph = True


def key_path_text(path: KeyPath) -> str:
    """("packages", "node_modules/a") -> `packages["node_modules/a"]`; a v1 chain
    ("dependencies", "a", "dependencies", "b") -> `dependencies["a"].dependencies["b"]`."""
    parts = [path[0]]
    for index, key in enumerate(path[1:], start=1):
        parts.append(f"[{json.dumps(key, ensure_ascii=False)}]" if index % 2 else f".{key}")
    return "".join(parts)


def flag_scopes(entry: dict[str, Any]) -> frozenset[Scope]:
    """npm's own flags on one entry, kept as the fallback for an entry no root reaches.

    `dev` -> DEV, `optional` -> OPTIONAL, `devOptional` (or both) -> DEV and OPTIONAL,
    none -> RUNTIME; `peer` adds PEER. They are npm's conclusion, not the graph walk's.
    """
    dev, optional = entry.get("dev") is True, entry.get("optional") is True
    if entry.get("devOptional") is True or (dev and optional):
        scopes = {Scope.DEV, Scope.OPTIONAL}
    elif dev:
        scopes = {Scope.DEV}
    else:
        scopes = {Scope.OPTIONAL} if optional else {Scope.RUNTIME}
    if entry.get("peer") is True:
        scopes.add(Scope.PEER)
    return frozenset(scopes)


def license_of(label: str, key_path: KeyPath, entry: dict[str, Any], lock: LockReader) -> str | None:
    """The entry's `license` as one string (a legacy array becomes `(A OR B)`); a bad one is an issue."""
    license_, problem = license_expression(entry.get("license"))
    if problem:
        lock.report_at(f"{label}.license: {problem}", key_path)
    return license_


def source_url(resolved: str | None) -> str | None:
    """Where a package comes from, unless it is the registry (whose tarballs end in /-/x.tgz)."""
    if not resolved:
        return None
    path = resolved.split("#", 1)[0].split("?", 1)[0]
    if resolved.startswith(("http://", "https://")) and _REGISTRY_TARBALL.search(path):
        return None
    return resolved


def is_git(resolved: Any) -> bool:
    return isinstance(resolved, str) and classify("", resolved).kind is SpecKind.GIT


def string_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def real_name(key: str, spec: Any) -> str:
    """The package a dependency key means: the alias target for `npm:bar@^1`, else the key."""
    return classify(key, spec).name if isinstance(spec, str) else key


def with_notes(package: DeclaredPackage, notes: list[str]) -> DeclaredPackage:
    """Notes joined once (a package's `note` is one string)."""
    if not notes:
        return package
    return replace(package, note="; ".join(dict.fromkeys(notes)))


def expected_object(label: str, value: Any) -> str:
    return f"{label}: expected an object, found {json_kind(value)}"
