"""The one graph walk (ospo_scan.graph) over a lockfile parser's own roots and edges.

Parser tests assert roots and edges; a few questions ("is this package dev-only?") are
clearer asked of the walk those roots and edges feed. Nodes here are the exact
(name, version) the parser states, so a wrong version in an edge shows up as a package the
walk does not reach instead of being papered over by a name lookup.
"""

from __future__ import annotations

from ospo_scan.graph import PathLabel, Reach, Root, adjacency, walk
from ospo_scan.model import EdgeKind, Lifecycle, Scope
from ospo_scan.parsers.base import DeclaredRoot, ParseResult

Node = tuple[str, str | None]
Conclusion = tuple[Lifecycle, bool, bool]
"""(lifecycle, optional, peer), as the walk concludes for one package."""


def reach(result: ParseResult, importer: str | None = None) -> dict[Node, Reach]:
    """What the walk concludes for every node reachable from the roots (of one importer, or of all)."""
    roots: list[Root[Node]] = [
        Root((r.name, r.version), label(r)) for r in result.roots if importer in (None, r.importer)
    ]
    edges: list[tuple[Node, Node, EdgeKind]] = [
        ((e.parent, e.parent_version), (e.child, e.child_version), e.kind) for e in result.edges
    ]
    children = adjacency(edges)
    found: dict[Node, Reach] = walk(roots, lambda node: children.get(node, ()))
    return found


def conclusions(result: ParseResult, importer: str | None = None) -> dict[Node, Conclusion]:
    """(lifecycle, optional, peer) per reached (name, version)."""
    return {node: (found.lifecycle, found.optional, found.peer) for node, found in reach(result, importer).items()}


def label(root: DeclaredRoot) -> PathLabel:
    """The label a root's section starts paths with (devDependencies: development, ...)."""
    lifecycle = Lifecycle.DEVELOPMENT if Scope.DEV in root.scopes else Lifecycle.RUNTIME
    return PathLabel(lifecycle, Scope.OPTIONAL in root.scopes, Scope.PEER in root.scopes)


RUNTIME: Conclusion = (Lifecycle.RUNTIME, False, False)
OPTIONAL: Conclusion = (Lifecycle.RUNTIME, True, False)
PEER: Conclusion = (Lifecycle.RUNTIME, False, True)
DEVELOPMENT: Conclusion = (Lifecycle.DEVELOPMENT, False, False)
