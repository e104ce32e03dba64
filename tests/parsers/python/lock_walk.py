"""The one graph walk (ospo_scan.graph) over a Python lockfile parser's own roots and edges.

Parser tests assert roots and edges; "is this package dev-only?" is clearer asked of the
walk those roots and edges feed, with the scopes read the way resolve reads them
(resolution.entries.section_kind). Nodes are (PEP 503 name, version) as the parser states
the version, so a wrong version in an edge shows up as a package the walk does not reach.
"""

from __future__ import annotations

from packaging.utils import canonicalize_name

from ospo_scan.graph import PathLabel, Root, adjacency, walk
from ospo_scan.model import Directness, Lifecycle
from ospo_scan.parsers.base import DeclaredRoot, ParseResult
from ospo_scan.resolution.entries import section_kind

Node = tuple[str, str | None]
Conclusion = tuple[Lifecycle, bool, Directness]
"""(lifecycle, optional, directness) the walk concludes for one package."""


def conclusions(result: ParseResult, roots: list[DeclaredRoot] | None = None) -> dict[Node, Conclusion]:
    """What the walk concludes per reached node, from `roots` (default: the parser's)."""
    starts = [Root(_node(root.name, root.version), _label(root)) for root in (result.roots if roots is None else roots)]
    edges = [(_node(e.parent, e.parent_version), _node(e.child, e.child_version), e.kind) for e in result.edges]
    children = adjacency(edges)
    reached = walk(starts, lambda node: children.get(node, ()))
    return {
        node: (found.lifecycle, found.optional, Directness.DIRECT if found.direct else Directness.TRANSITIVE)
        for node, found in reached.items()
    }


def _node(name: str, version: str | None) -> Node:
    return str(canonicalize_name(name)), version


def _label(root: DeclaredRoot) -> PathLabel:
    kind = section_kind(root.scopes)
    return PathLabel(kind.lifecycle, kind.optional, kind.peer)


RUNTIME: Conclusion = (Lifecycle.RUNTIME, False, Directness.TRANSITIVE)
DIRECT: Conclusion = (Lifecycle.RUNTIME, False, Directness.DIRECT)
OPTIONAL: Conclusion = (Lifecycle.RUNTIME, True, Directness.TRANSITIVE)
DIRECT_OPTIONAL: Conclusion = (Lifecycle.RUNTIME, True, Directness.DIRECT)
DEV: Conclusion = (Lifecycle.DEVELOPMENT, False, Directness.TRANSITIVE)
DIRECT_DEV: Conclusion = (Lifecycle.DEVELOPMENT, False, Directness.DIRECT)
TEST: Conclusion = (Lifecycle.TEST, False, Directness.TRANSITIVE)
DIRECT_TEST: Conclusion = (Lifecycle.TEST, False, Directness.DIRECT)
