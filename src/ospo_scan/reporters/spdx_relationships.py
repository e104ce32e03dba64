"""SPDX relationships from the usages and the dependency graph.

From a usage (a project's use of a component), by lifecycle first:
- runtime: project DEPENDS_ON component, or component OPTIONAL_DEPENDENCY_OF project
  when the project can do without it;
- provided (run time, supplied by the platform): component PROVIDED_DEPENDENCY_OF project;
- development, test, build: component DEV_DEPENDENCY_OF project (the comment says test
  or build); an optional one is also OPTIONAL_DEPENDENCY_OF.

From a graph edge (`Dependency.source` -> `target`), by the kind of the edge: required and
peer edges DEPENDS_ON, optional ones OPTIONAL_DEPENDENCY_OF, a project's development
edges DEV_DEPENDENCY_OF (PROVIDED_DEPENDENCY_OF for Maven `provided`). An edge's lifecycle
is the target's lifecycle in the project, not the edge's: `debug -> ms` in a project that
needs debug only for development is still a runtime dependency of debug, and that the
project needs ms only for development is what its usage says.

Peers (npm peerDependencies: the host provides them) are noted in the comment. One
relationship per (element, type, related element); an end that is not in the document
is counted, not written, so every id a relationship names is defined.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from ospo_scan.model import Dependency, EdgeKind, Inventory, Lifecycle, Usage

DEPENDS_ON = "DEPENDS_ON"
OPTIONAL = "OPTIONAL_DEPENDENCY_OF"
DEV = "DEV_DEPENDENCY_OF"
PROVIDED = "PROVIDED_DEPENDENCY_OF"
DESCRIBES = "DESCRIBES"

_FORWARD = frozenset({DEPENDS_ON, DESCRIBES})
"""Types read element -> related element; the `*_OF` types point from the dependency."""
_LIFECYCLE_NOTES = {Lifecycle.TEST: "test dependency", Lifecycle.BUILD: "build dependency", Lifecycle.DEVELOPMENT: "development dependency"}
_PEER = "peer dependency (the host provides it)"

Fact = tuple[str, str | None]
"""(relationship type, what the comment adds, if anything)."""


@dataclass(frozen=True, slots=True)
class Relationships:
    """The document's relationships, sorted, and what could not be written."""

    items: list[dict[str, str]]
    left_out: int
    """Usages and edges naming an element the document does not hold."""


def relationships(inventory: Inventory, ids: Mapping[str, str], project_keys: Mapping[str, str], described: list[str]) -> Relationships:
    """Every relationship of the document; `ids` maps element keys (purl, `project:<id>`)
    to SPDX ids, `project_keys` project ids to their element keys."""
    found: dict[tuple[str, str, str], set[str]] = {}
    left_out = 0
    for dependent, dependency, fact in _facts(inventory, project_keys):
        if dependent not in ids or dependency not in ids:
            left_out += 1
        elif dependent != dependency:  # a project's own package among its usages
            _add(found, ids[dependent], ids[dependency], fact)
    for spdx_id in described:
        _add(found, "SPDXRef-DOCUMENT", spdx_id, (DESCRIBES, None))
    return Relationships(items=[_item(key, found[key]) for key in sorted(found)], left_out=left_out)


def _facts(inventory: Inventory, project_keys: Mapping[str, str]) -> Iterator[tuple[str, str, Fact]]:
    """(dependent key, dependency key, fact) of every usage and every edge."""
    for component in inventory.components:
        for usage in component.usages:
            project = project_keys.get(usage.project, f"project:{usage.project}")
            for fact in usage_facts(usage):
                yield project, component.purl, fact
    for edge in inventory.relationships:
        for fact in edge_facts(edge):
            yield edge.source, edge.target, fact


def usage_facts(usage: Usage) -> list[Fact]:
    """The relationships one usage states (module docstring)."""
    peer = _PEER if usage.peer else None
    if usage.lifecycle is Lifecycle.RUNTIME:
        return [(OPTIONAL if usage.optional else DEPENDS_ON, peer)]
    facts: list[Fact] = [(PROVIDED, peer)] if usage.lifecycle is Lifecycle.PROVIDED else [(DEV, _dev_note(usage.lifecycle) or peer)]
    if usage.optional:
        facts.append((OPTIONAL, _LIFECYCLE_NOTES.get(usage.lifecycle, "provided dependency")))
    return facts


def edge_facts(edge: Dependency) -> list[Fact]:
    """The relationship one graph edge states (module docstring)."""
    if edge.kind in (EdgeKind.OPTIONAL, EdgeKind.OPTIONAL_PEER):
        return [(OPTIONAL, _PEER if edge.kind is EdgeKind.OPTIONAL_PEER else None)]
    if edge.kind is EdgeKind.DEVELOPMENT:
        return [(PROVIDED, None)] if edge.lifecycle is Lifecycle.PROVIDED else [(DEV, _dev_note(edge.lifecycle))]
    return [(DEPENDS_ON, _PEER if edge.kind is EdgeKind.PEER else None)]


def _dev_note(lifecycle: Lifecycle) -> str | None:
    """DEV_DEPENDENCY_OF says development; test and build are said in the comment."""
    return _LIFECYCLE_NOTES[lifecycle] if lifecycle in (Lifecycle.TEST, Lifecycle.BUILD) else None


def _add(found: dict[tuple[str, str, str], set[str]], dependent: str, dependency: str, fact: Fact) -> None:
    kind, note = fact
    key = (dependent, kind, dependency) if kind in _FORWARD else (dependency, kind, dependent)
    notes = found.setdefault(key, set())
    if note:
        notes.add(note)


def _item(key: tuple[str, str, str], notes: set[str]) -> dict[str, str]:
    element, kind, related = key
    item = {"spdxElementId": element, "relationshipType": kind, "relatedSpdxElement": related}
    if notes:
        item["comment"] = "; ".join(sorted(notes))
    return item
