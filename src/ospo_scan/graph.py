"""The one graph walk: lifecycle, optional and directness of locked packages.

A lockfile that states edges (package-lock, yarn, pnpm, bun, poetry, uv, pdm) says
*what* gets installed; *why* follows from the roots (each project's manifest sections)
along those edges. Every path from a root carries a `PathLabel`: the root's lifecycle
and whether the path is optional or peer so far. A package then is:

- of the strongest lifecycle any path reaches it with (reachable from a runtime root:
  runtime, whatever else also reaches it; reached only through dev roots: development);
- optional only when every path of that lifecycle is optional (npm's and pnpm's "every
  path" rule for their `optional` flag), peer likewise;
- direct for a project when it is one of that project's roots.

The walk is breadth-first over (node, label) states, at most 20 labels per node, so it
is linear in the size of the graph, terminates on cycles and never recurses.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

from ospo_scan.model import EdgeKind, Lifecycle, strongest

Node = TypeVar("Node", bound=Hashable)


@dataclass(frozen=True, slots=True)
class PathLabel:
    """Why one path installs a package."""

    lifecycle: Lifecycle
    optional: bool = False
    peer: bool = False

    def through(self, kind: EdgeKind) -> PathLabel:
        """The label a dependency receives over an edge of `kind`."""
        if kind is EdgeKind.OPTIONAL and not self.optional:
            return PathLabel(self.lifecycle, True, self.peer)
        if kind is EdgeKind.PEER and not self.peer:
            return PathLabel(self.lifecycle, self.optional, True)
        if kind is EdgeKind.OPTIONAL_PEER:
            return PathLabel(self.lifecycle, True, True)
        if kind is EdgeKind.DEVELOPMENT and self.lifecycle is Lifecycle.RUNTIME:
            return PathLabel(Lifecycle.DEVELOPMENT, self.optional, self.peer)
        return self


@dataclass(frozen=True, slots=True)
class Reach:
    """What the walk concluded for one package in one project."""

    lifecycle: Lifecycle
    optional: bool
    peer: bool
    direct: bool


@dataclass(frozen=True, slots=True)
class Root(Generic[Node]):
    """A project's direct dependency: where paths start."""

    node: Node
    label: PathLabel


Children = Callable[[Node], Iterable[tuple[Node, EdgeKind]]]


def walk(roots: Iterable[Root[Node]], children: Children[Node]) -> dict[Node, Reach]:
    """Every node reachable from `roots`, with its conclusion (unreached nodes are absent)."""
    labels: dict[Node, set[PathLabel]] = {}
    direct: set[Node] = set()
    queue: deque[tuple[Node, PathLabel]] = deque()
    for root in roots:
        direct.add(root.node)
        _visit(labels, queue, root.node, root.label)
    while queue:
        node, label = queue.popleft()
        for child, kind in children(node):
            carried = label if kind is EdgeKind.REQUIRED else label.through(kind)
            seen = labels.get(child)
            if seen is None:
                labels[child] = {carried}
                queue.append((child, carried))
            elif carried not in seen:
                seen.add(carried)
                queue.append((child, carried))
    return {node: conclude(found, node in direct) for node, found in labels.items()}


def _visit(labels: dict[Node, set[PathLabel]], queue: deque[tuple[Node, PathLabel]], node: Node, label: PathLabel) -> None:
    seen = labels.setdefault(node, set())
    if label not in seen:
        seen.add(label)
        queue.append((node, label))


def conclude(labels: Iterable[PathLabel], direct: bool) -> Reach:
    """The strongest lifecycle; optional (peer) only when every path of it is optional (peer)."""
    found = list(labels)
    if len(found) == 1:  # most packages are reached one way only
        only = found[0]
        return Reach(lifecycle=only.lifecycle, optional=only.optional, peer=only.peer, direct=direct)
    lifecycle = strongest([label.lifecycle for label in found])
    winning = [label for label in found if label.lifecycle is lifecycle]
    return Reach(
        lifecycle=lifecycle,
        optional=all(label.optional for label in winning),
        peer=all(label.peer for label in winning),
        direct=direct,
    )


def adjacency(edges: Iterable[tuple[Node, Node, EdgeKind]]) -> Mapping[Node, list[tuple[Node, EdgeKind]]]:
    """Edges as a child list per parent (self-loops dropped)."""
    children: dict[Node, list[tuple[Node, EdgeKind]]] = {}
    for parent, child, kind in edges:
        if parent != child:
            children.setdefault(parent, []).append((child, kind))
    return children
