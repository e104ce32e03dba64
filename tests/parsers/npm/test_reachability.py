"""Scope propagation from workspace sections along lockfile edges ("every path" rule)."""

from __future__ import annotations

import pytest

from ospo_scan.model import Scope
from ospo_scan.parsers.npm.reachability import EdgeKind, Label, carried, final_scopes, propagate, section_label

RUNTIME, DEV, OPTIONAL, PEER = Scope.RUNTIME, Scope.DEV, Scope.OPTIONAL, Scope.PEER


@pytest.mark.parametrize(
    ("section", "expected"),
    [
        ("dependencies", Label(RUNTIME)),
        ("devDependencies", Label(DEV)),
        ("optionalDependencies", Label(RUNTIME, optional=True)),
        ("peerDependencies", Label(PEER)),
        ("specifiers", None),
    ],
)
def test_section_labels(section: str, expected: Label | None) -> None:
    assert section_label(section) == expected


@pytest.mark.parametrize(
    ("label", "kind", "expected"),
    [
        (Label(RUNTIME), EdgeKind.REQUIRED, Label(RUNTIME)),
        (Label(RUNTIME), EdgeKind.OPTIONAL, Label(RUNTIME, optional=True)),
        (Label(RUNTIME), EdgeKind.PEER, Label(PEER)),
        (Label(DEV), EdgeKind.OPTIONAL, Label(DEV, optional=True)),
        (Label(DEV), EdgeKind.PEER, Label(DEV)),
        (Label(RUNTIME, optional=True), EdgeKind.REQUIRED, Label(RUNTIME, optional=True)),
    ],
)
def test_labels_carried_along_edges(label: Label, kind: EdgeKind, expected: Label) -> None:
    assert carried(label, kind) == expected


@pytest.mark.parametrize(
    ("labels", "expected"),
    [
        (set(), {RUNTIME}),
        ({Label(RUNTIME), Label(DEV)}, {RUNTIME}),  # needed at runtime somewhere: runtime
        ({Label(RUNTIME), Label(RUNTIME, optional=True)}, {RUNTIME}),
        ({Label(DEV)}, {DEV}),
        ({Label(DEV), Label(DEV, optional=True)}, {DEV}),
        ({Label(DEV, optional=True)}, {DEV, OPTIONAL}),  # pnpm `dev: true, optional: true`
        ({Label(RUNTIME, optional=True), Label(DEV, optional=True)}, {OPTIONAL}),
        ({Label(DEV), Label(RUNTIME, optional=True)}, {DEV, OPTIONAL}),  # npm devOptional
        ({Label(PEER)}, {PEER}),
        ({Label(PEER, optional=True)}, {PEER, OPTIONAL}),
    ],
)
def test_final_scopes_every_path_rule(labels: set[Label], expected: set[Scope]) -> None:
    assert final_scopes(labels) == frozenset(expected)


def test_propagate_walks_cycles_once_and_leaves_unreached_nodes_out() -> None:
    graph = {"a": [("b", EdgeKind.REQUIRED)], "b": [("a", EdgeKind.REQUIRED), ("c", EdgeKind.OPTIONAL)], "d": []}
    labels = propagate([("a", Label(RUNTIME)), ("c", Label(DEV))], lambda node: graph.get(node, []))
    assert labels == {
        "a": {Label(RUNTIME)},
        "b": {Label(RUNTIME)},
        "c": {Label(DEV), Label(RUNTIME, optional=True)},
    }
