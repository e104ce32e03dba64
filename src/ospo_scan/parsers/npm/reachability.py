"""Scopes of locked packages from the workspace sections that reach them.

pnpm 9 and Bun lockfiles no longer flag packages `dev` or `optional`: they record the
dependency sections of each workspace (the roots) and the edges between packages. A
package's scope is therefore *why it gets installed*, read from every path that reaches
it. A path carries a `Label`: the kind of its root (runtime, dev, peer) and whether it
went through something optional (an `optionalDependencies` root or edge). A dev root
stays dev whatever the edges; an auto-installed peer edge turns a runtime path into a
peer one.

`final_scopes` then applies the rule of npm's and pnpm 5/6's lock flags, "every path":
a package that some required runtime path needs is RUNTIME; otherwise it is DEV if every
path is dev, OPTIONAL if every path is optional, PEER if every path is peer (dev and
optional together are npm's `devOptional` / pnpm's `dev: true, optional: true`). When no
reason is shared by all paths (one dev path, one optional), it keeps every reason.

The walk is breadth-first over (node, label) states (at most six labels per node), so it
is linear in the graph size, terminates on cycles and never recurses.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from enum import Enum
from functools import reduce
from typing import TypeVar

from ospo_scan.model import Scope

Node = TypeVar("Node", bound=Hashable)


class EdgeKind(str, Enum):
    """How a package depends on another, which decides the label carried along."""

    REQUIRED = "required"
    OPTIONAL = "optional"
    PEER = "peer"


@dataclass(frozen=True, slots=True)
class Label:
    """Why one path installs a package: its root's kind, and whether it is optional."""

    base: Scope
    """RUNTIME, DEV or PEER."""
    optional: bool = False

    @property
    def reasons(self) -> frozenset[Scope]:
        """The scopes this path alone would give."""
        if self.base is Scope.RUNTIME:
            return frozenset({Scope.OPTIONAL if self.optional else Scope.RUNTIME})
        return frozenset({self.base, Scope.OPTIONAL} if self.optional else {self.base})


_SECTION_LABELS = {
    "dependencies": Label(Scope.RUNTIME),
    "devDependencies": Label(Scope.DEV),
    "optionalDependencies": Label(Scope.RUNTIME, optional=True),
    "peerDependencies": Label(Scope.PEER),
}
"""Workspace dependency sections and the label of the paths they start."""

REQUIRED_RUNTIME = Label(Scope.RUNTIME)


def section_label(section: str) -> Label | None:
    """The label a workspace's dependency section starts, None for other keys."""
    return _SECTION_LABELS.get(section)


def carried(label: Label, kind: EdgeKind) -> Label:
    """The label a dependency receives from a parent reached with `label`."""
    if kind is EdgeKind.OPTIONAL and not label.optional:
        return Label(label.base, optional=True)
    if kind is EdgeKind.PEER and label.base is Scope.RUNTIME:
        return Label(Scope.PEER, label.optional)
    return label


def propagate(
    roots: Iterable[tuple[Node, Label]],
    children: Callable[[Node], Iterable[tuple[Node, EdgeKind]]],
) -> dict[Node, set[Label]]:
    """Every label that reaches each node from the roots (unreached nodes are absent)."""
    labels: dict[Node, set[Label]] = {}
    queue: deque[tuple[Node, Label]] = deque()
    for node, label in roots:
        _visit(labels, queue, node, label)
    while queue:
        node, label = queue.popleft()
        for child, kind in children(node):
            _visit(labels, queue, child, carried(label, kind))
    return labels


def _visit(labels: dict[Node, set[Label]], queue: deque[tuple[Node, Label]], node: Node, label: Label) -> None:
    seen = labels.setdefault(node, set())
    if label not in seen:
        seen.add(label)
        queue.append((node, label))


def final_scopes(labels: Iterable[Label]) -> frozenset[Scope]:
    """RUNTIME when a required runtime path needs the package, else the reasons all paths share."""
    found = set(labels)
    if not found or REQUIRED_RUNTIME in found:
        return frozenset({Scope.RUNTIME})
    reasons = [label.reasons for label in found]
    shared = reduce(frozenset.intersection, reasons)
    return shared or frozenset().union(*reasons)
