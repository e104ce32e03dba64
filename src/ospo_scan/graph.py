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
    return _walk(roots, lambda node: [(child, _TRANSITIONS[kind]) for child, kind in children(node)])


class Walker(Generic[Node]):
    """One graph, ready to be walked from many root sets (a lockfile's every project).

    `walk` with a child function looks up each edge's effect on the path label at every
    step; here each edge's label transition is looked up once, when the walker is built,
    so the walks of a monorepo's hundreds of projects share that work. Same conclusions,
    in the same order, as `walk` over the same children.
    """

    __slots__ = ("_children",)

    def __init__(self, children: Mapping[Node, Iterable[tuple[Node, EdgeKind]]]) -> None:
        self._children: dict[Node, tuple[tuple[Node, tuple[int, ...]], ...]] = {
            node: tuple((child, _TRANSITIONS[kind]) for child, kind in found) for node, found in children.items()
        }

    def walk(self, roots: Iterable[Root[Node]]) -> dict[Node, Reach]:
        """Every node reachable from `roots`, with its conclusion (unreached nodes are absent)."""
        children = self._children
        return _walk(roots, lambda node: children.get(node, ()))


# A path label is coded as one small int, 4 * lifecycle rank + 2 * optional + peer (20 in
# all), and the labels that reached a node as a bit mask of those codes: a walk then hashes
# no dataclass and no enum, and concludes each distinct mask once.

_LABELS: tuple[PathLabel, ...] = tuple(PathLabel(lifecycle, optional, peer) for lifecycle in Lifecycle for optional in (False, True) for peer in (False, True))
"""Every path label, at the index of its code."""
_CODES: dict[PathLabel, int] = {label: code for code, label in enumerate(_LABELS)}
_TRANSITIONS: dict[EdgeKind, tuple[int, ...]] = {kind: tuple(_CODES[label.through(kind)] for label in _LABELS) for kind in EdgeKind}
"""Per edge kind: the code a path of each code carries over such an edge (`PathLabel.through`)."""
_CONCLUSIONS: dict[int, Reach] = {}
"""(mask << 1 | direct) -> the Reach `conclude` gives (Reach is immutable: shared)."""


def _walk(roots: Iterable[Root[Node]], children: Callable[[Node], Iterable[tuple[Node, tuple[int, ...]]]]) -> dict[Node, Reach]:
    """Breadth-first over (node, label code); `children` gives each child with its transition."""
    masks: dict[Node, int] = {}
    direct: set[Node] = set()
    queue: deque[tuple[Node, int]] = deque()
    for root in roots:
        direct.add(root.node)
        code = _CODES.get(root.label)
        if code is None:  # flags given as other truthy values than bools
            code = _CODES[PathLabel(root.label.lifecycle, bool(root.label.optional), bool(root.label.peer))]
        mask = masks.get(root.node, 0)
        if not mask >> code & 1:
            masks[root.node] = mask | 1 << code
            queue.append((root.node, code))
    pop, push, get = queue.popleft, queue.append, masks.get
    while queue:
        node, code = pop()
        for child, transition in children(node):
            carried = transition[code]
            mask = get(child, 0)
            if not mask >> carried & 1:
                masks[child] = mask | 1 << carried
                push((child, carried))
    conclusions = _CONCLUSIONS
    found: dict[Node, Reach] = {}
    for node, mask in masks.items():
        key = mask << 1 | (node in direct)
        reach = conclusions.get(key)
        if reach is None:
            reach = conclusions[key] = conclude([_LABELS[code] for code in range(len(_LABELS)) if mask >> code & 1], node in direct)
        found[node] = reach
    return found


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
