"""The one graph walk: strongest lifecycle wins, optional and peer only on every path."""

from __future__ import annotations

import pytest

from ospo_scan.graph import PathLabel, Reach, Root, adjacency, walk
from ospo_scan.model import EdgeKind, Lifecycle

RUNTIME = PathLabel(Lifecycle.RUNTIME)
DEV = PathLabel(Lifecycle.DEVELOPMENT)
TEST = PathLabel(Lifecycle.TEST)
OPTIONAL_RUNTIME = PathLabel(Lifecycle.RUNTIME, optional=True)

R, O, P = EdgeKind.REQUIRED, EdgeKind.OPTIONAL, EdgeKind.PEER

CASES = {
    "dev root reaches a transitive package: development": (
        [("app", "lint", DEV)],
        [("lint", "chalk", R)],
        {"chalk": Reach(Lifecycle.DEVELOPMENT, False, False, False), "lint": Reach(Lifecycle.DEVELOPMENT, False, False, True)},
    ),
    "runtime path beats a dev path to the same package": (
        [("app", "lint", DEV), ("app", "postcss", RUNTIME)],
        [("lint", "picocolors", R), ("postcss", "picocolors", R)],
        {"picocolors": Reach(Lifecycle.RUNTIME, False, False, False)},
    ),
    "optional only when every runtime path is optional": (
        [("app", "a", RUNTIME), ("app", "b", OPTIONAL_RUNTIME)],
        [("a", "shared", O), ("b", "shared", R), ("b", "only-optional", R)],
        {"shared": Reach(Lifecycle.RUNTIME, True, False, False), "only-optional": Reach(Lifecycle.RUNTIME, True, False, False)},
    ),
    "a required runtime path makes an optional-edge target required": (
        [("app", "a", RUNTIME), ("app", "c", RUNTIME)],
        [("a", "shared", O), ("c", "shared", R)],
        {"shared": Reach(Lifecycle.RUNTIME, False, False, False)},
    ),
    "peer edge marks peer; a required path clears it": (
        [("app", "plugin", RUNTIME)],
        [("plugin", "host", P), ("plugin", "helper", R)],
        {"host": Reach(Lifecycle.RUNTIME, False, True, False), "helper": Reach(Lifecycle.RUNTIME, False, False, False)},
    ),
    "a dev path that is required does not clear runtime optional": (
        [("app", "a", OPTIONAL_RUNTIME), ("app", "tool", DEV)],
        [("a", "x", R), ("tool", "x", R)],
        {"x": Reach(Lifecycle.RUNTIME, True, False, False)},
    ),
    "an optional peer is both optional and peer": (
        [("app", "plugin", RUNTIME)],
        [("plugin", "vue", EdgeKind.OPTIONAL_PEER)],
        {"vue": Reach(Lifecycle.RUNTIME, True, True, False)},
    ),
    "test beats development": (
        [("app", "pytest", TEST), ("app", "tox", DEV)],
        [("pytest", "pluggy", R), ("tox", "pluggy", R)],
        {"pluggy": Reach(Lifecycle.TEST, False, False, False)},
    ),
    "cycles terminate and a root stays direct": (
        [("app", "a", RUNTIME)],
        [("a", "b", R), ("b", "a", R), ("b", "b", R)],
        {"a": Reach(Lifecycle.RUNTIME, False, False, True), "b": Reach(Lifecycle.RUNTIME, False, False, False)},
    ),
}


@pytest.mark.parametrize("roots, edges, expected", CASES.values(), ids=CASES.keys())
def test_walk(roots: list[tuple[str, str, PathLabel]], edges: list[tuple[str, str, EdgeKind]], expected: dict[str, Reach]) -> None:
    children = adjacency(edges)
    reached = walk([Root(node, label) for _, node, label in roots], lambda node: children.get(node, ()))
    assert {node: reached[node] for node in expected} == expected


def test_unreached_nodes_are_absent() -> None:
    children = adjacency([("a", "b", R), ("orphan", "c", R)])
    reached = walk([Root("a", RUNTIME)], lambda node: children.get(node, ()))
    assert set(reached) == {"a", "b"}


def test_long_chain_does_not_recurse() -> None:
    chain = [(str(i), str(i + 1), R) for i in range(50_000)]
    children = adjacency(chain)
    reached = walk([Root("0", DEV)], lambda node: children.get(node, ()))
    assert len(reached) == 50_001 and reached["50000"].lifecycle is Lifecycle.DEVELOPMENT
