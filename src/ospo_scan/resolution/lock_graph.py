"""A lockfile's packages and edges as a graph of (name, version) nodes.

Lockfiles state edges by name and, where they resolved it, version; a node is the
normalized name and the version, so the same package locked at several paths (npm
nests copies) is one node. An edge whose child the lockfile does not lock is reported
(`edge-unresolved`, a warning: the rest of the graph stands). Optional and peer edges a
lockfile may legitimately leave unlocked (a platform-specific optional, a peer nobody
installs) are counted into one warning per lockfile instead of one each.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field

from ospo_scan.graph import adjacency
from ospo_scan.model import EdgeKind, Ecosystem, ScanIssue, Severity
from ospo_scan.parsers.base import DeclaredPackage, ParseResult
from ospo_scan.purl import normalize_name

NodeKey = tuple[str, "str | None"]

_OPTIONAL_KINDS = frozenset({EdgeKind.OPTIONAL, EdgeKind.PEER, EdgeKind.OPTIONAL_PEER})
"""Edges a lockfile may leave unlocked without anything being wrong."""
"""(normalized name, version)."""


@dataclass(slots=True)
class LockGraph:
    """One lockfile's nodes, their entries, and the edges between them."""

    path: str
    ecosystem: Ecosystem = Ecosystem.NPM
    entries: dict[NodeKey, list[DeclaredPackage]] = field(default_factory=dict)
    versions: dict[str, list[str | None]] = field(default_factory=dict)
    """Locked versions per normalized name, in file order."""
    edges: list[tuple[NodeKey, NodeKey, EdgeKind]] = field(default_factory=list)
    children: Mapping[NodeKey, list[tuple[NodeKey, EdgeKind]]] = field(default_factory=dict)
    issues: list[ScanIssue] = field(default_factory=list)
    purls: dict[NodeKey, str] = field(default_factory=dict)
    """Filled lazily by resolve: a node's purl, asked for once per edge."""
    names: NameMemo | None = field(default=None, repr=False, compare=False)
    """The ecosystem's normalized-name memo (build_lock_graph sets it; None: looked up per call)."""

    def node(self, name: str, version: str | None, *, guess: bool = True) -> NodeKey | None:
        """The node a (name, version) means.

        Without a version: the versionless entry (a workspace or link, which lock no
        version) when there is one, else — when `guess` — the only version locked. An
        optional or peer edge does not guess: what satisfies a peer is decided per parent
        by the package manager, and the only locked copy may be one a dev tool brought in.
        """
        normalized = (self.names if self.names is not None else _NAMES[self.ecosystem])[name]
        if version is not None:
            key = (normalized, version)
            return key if key in self.entries else None
        if (normalized, None) in self.entries:
            return (normalized, None)
        if not guess:
            return None
        candidates = self.versions.get(normalized, [])
        return (normalized, candidates[0]) if len(set(candidates)) == 1 else None


def build_lock_graph(ecosystem: Ecosystem, path: str, result: ParseResult) -> LockGraph:
    """Index a lockfile's packages by node and resolve its edges to nodes."""
    names = names_of(ecosystem)
    graph = LockGraph(path=path, ecosystem=ecosystem, names=names)
    versions: dict[str, list[str | None]] = defaultdict(list)
    for package in result.packages:
        key = (names[package.name], package.version or None)
        graph.entries.setdefault(key, []).append(package)
        if key[1] not in versions[key[0]]:
            versions[key[0]].append(key[1])
    graph.versions = dict(versions)
    optional_unlocked: list[str] = []
    for edge in result.edges:
        parent = graph.node(edge.parent, edge.parent_version)
        child = graph.node(edge.child, edge.child_version, guess=edge.kind not in _OPTIONAL_KINDS)
        if parent is not None and child is not None:
            graph.edges.append((parent, child, edge.kind))
        elif edge.kind in _OPTIONAL_KINDS and parent is not None:
            optional_unlocked.append(f"{edge.child} ({edge.kind.value}, of {edge.parent}@{edge.parent_version})")
        else:
            graph.issues.append(_unresolved(path, edge.parent, edge.parent_version, edge.child, edge.child_version, parent is None))
    if optional_unlocked:
        graph.issues.append(_optional_unlocked(path, optional_unlocked))
    graph.children = adjacency(graph.edges)
    return graph


def _optional_unlocked(path: str, edges: list[str]) -> ScanIssue:
    examples = ", ".join(sorted(set(edges))[:3])
    return ScanIssue(
        path=path,
        parser="resolve",
        code="edge-unresolved",
        severity=Severity.WARNING,
        message=f"{len(edges)} optional or peer dependencies are not locked (not installed with this lockfile), e.g. {examples}",
    )


def _unresolved(path: str, parent: str, parent_version: str | None, child: str, child_version: str | None, parent_missing: bool) -> ScanIssue:
    missing = f"{parent}@{parent_version}" if parent_missing else f"{child}@{child_version}" if child_version else child
    return ScanIssue(
        path=path,
        parser="resolve",
        code="edge-unresolved",
        severity=Severity.WARNING,
        message=f"{parent}@{parent_version} depends on {child}{'@' + child_version if child_version else ''}, but the lockfile locks no {missing}",
    )


class NameMemo(dict[str, str]):
    """normalize_name for one ecosystem, memoized: `memo[name]` is the normalized name.

    A big lockfile asks for the same few thousand names hundreds of thousands of times;
    indexing a dict (the miss computed by `__missing__`) costs no Python call on a hit.
    """

    __slots__ = ("ecosystem",)

    def __init__(self, ecosystem: Ecosystem) -> None:
        super().__init__()
        self.ecosystem = ecosystem

    def __missing__(self, name: str) -> str:
        found = self[name] = normalize_name(self.ecosystem, name)
        return found


_NAMES: dict[Ecosystem, NameMemo] = {ecosystem: NameMemo(ecosystem) for ecosystem in Ecosystem}


def names_of(ecosystem: Ecosystem) -> NameMemo:
    """The memo of one ecosystem's normalized names (shared by every caller)."""
    return _NAMES[ecosystem]


def normalize_name_cached(ecosystem: Ecosystem, name: str) -> str:
    """normalize_name, memoized: a big lockfile asks for the same few thousand names many times."""
    return _NAMES[ecosystem][name]
