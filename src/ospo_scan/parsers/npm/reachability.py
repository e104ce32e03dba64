"""Scopes of locked packages from the workspace sections that reach them.

pnpm 9 and Bun lockfiles no longer flag packages `dev` or `optional`: they record the
dependency sections of each workspace (the roots) and the edges between packages. A
package's scope is therefore *why it gets installed*: the labels of the roots from which
it can be reached, carried along the edges. Following an optional edge turns a runtime
reason into an optional one, and an auto-installed peer edge a runtime reason into a peer
one; a dev reason stays dev whatever the edge.

`final_scopes` then reads the labels the way npm's lock flags do: a package some runtime
path needs is RUNTIME (whatever else also reaches it); otherwise it keeps every reason it
has (DEV, OPTIONAL, PEER, or several, like npm's `devOptional`).

The walk is breadth-first over (node, label) states, so it is linear in the graph size,
terminates on cycles and never recurses.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Hashable, Iterable
from enum import Enum
from typing import TypeVar

from ospo_scan.model import Scope

Node = TypeVar("Node", bound=Hashable)


class EdgeKind(str, Enum):
    """How a package depends on another, which decides the label carried along."""

    REQUIRED = "required"
    OPTIONAL = "optional"
    PEER = "peer"


_SECTION_SCOPES = {
    "dependencies": Scope.RUNTIME,
    "devDependencies": Scope.DEV,
    "optionalDependencies": Scope.OPTIONAL,
    "peerDependencies": Scope.PEER,
}
"""Workspace dependency sections and the scope of the packages they name."""


def section_scope(section: str) -> Scope | None:
    """The scope a workspace's dependency section gives, None for other keys."""
    return _SECTION_SCOPES.get(section)


def carried(label: Scope, kind: EdgeKind) -> Scope:
    """The label a dependency receives from a parent reached with `label`."""
    if label is not Scope.RUNTIME or kind is EdgeKind.REQUIRED:
        return label
    return Scope.OPTIONAL if kind is EdgeKind.OPTIONAL else Scope.PEER


def propagate(
    roots: Iterable[tuple[Node, Scope]],
    children: Callable[[Node], Iterable[tuple[Node, EdgeKind]]],
) -> dict[Node, set[Scope]]:
    """Every label that reaches each node from the roots (unreached nodes are absent)."""
    labels: dict[Node, set[Scope]] = {}
    queue: deque[tuple[Node, Scope]] = deque()
    for node, label in roots:
        _visit(labels, queue, node, label)
    while queue:
        node, label = queue.popleft()
        for child, kind in children(node):
            _visit(labels, queue, child, carried(label, kind))
    return labels


def _visit(labels: dict[Node, set[Scope]], queue: deque[tuple[Node, Scope]], node: Node, label: Scope) -> None:
    seen = labels.setdefault(node, set())
    if label not in seen:
        seen.add(label)
        queue.append((node, label))


def final_scopes(labels: Iterable[Scope]) -> frozenset[Scope]:
    """RUNTIME when any runtime path needs the package, else every reason it has."""
    found = frozenset(labels)
    if Scope.RUNTIME in found or not found:
        return frozenset({Scope.RUNTIME})
    return found
