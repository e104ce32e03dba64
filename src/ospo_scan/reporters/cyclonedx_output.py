"""cyclonedx-python-lib, wrapped once: the library's models in, CycloneDX 1.6 JSON text out.

The library models and serializes the document; what it does not do the way ospo-scan
needs is done here, so that the reporter never meets the library's quirks:

- A `Bom` keeps its components in a `SortedSet` ordered by `Component.__lt__`, which
  builds a tuple of some thirty fields, nested sorted sets included, for each side of
  every comparison; sorting the corpus's 17,000 components that way took longer than all
  the rest, and serializing the whole `Bom` at once kept every model alive (a gigabyte).
  So the top-level components never enter a `Bom`: `Outputter` serializes each with the
  library's own serializer (py-serializable's `as_json`, what `Bom.as_json` runs on each
  of them) as soon as it is built, keeps the JSON data and lets the model go, and sorts
  the data by `library_order`, a cheap key that orders components as `Component.__lt__`
  does. The graph's entries are the library's `Dependency`, serialized one by one too.
  What stays a `Bom` is the header: the metadata, its component and what is nested in it.
- The library's outputter would call `Bom.validate()`, which finds each component's entry
  of the graph by a linear search (quadratic). `Outputter` runs the same checks with sets
  (every component has a graph entry, every ref is defined and unique, an expression
  stands alone). It also leaves out `BomRefDiscriminator`, which would replace a missing
  or repeated bom-ref by a random one: the reporter makes every ref unique, and a repeated
  one here is a bug, raised as such.
- Version 11 of the library does not model `compositions` (its `Bom` lists them as a
  TODO), so the one composition is added to the document the library serialized, beside
  the parts it did serialize, and the strict validator checks the result like the rest.
- Evidence occurrences come out of the library in an order that changes from run to run
  (see `_sort_occurrences`); they are sorted by place.
- The serial number is a name-based UUID of the document's content without it
  (`identity.content_uuid` of the compact serialization), not the library's random one:
  the same inventory gives the same bytes.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from enum import Enum
from itertools import islice
from operator import itemgetter
from typing import Any

from cyclonedx.exception.model import LicenseExpressionAlongWithOthersException, UnknownComponentDependencyException
from cyclonedx.model.bom import Bom
from cyclonedx.model.bom_ref import BomRef
from cyclonedx.model.component import Component
from cyclonedx.model.dependency import Dependency
from cyclonedx.model.license import LicenseExpression
from cyclonedx.output.json import JsonV1Dot6
from cyclonedx.schema import SchemaVersion
from cyclonedx.schema.schema import SCHEMA_VERSIONS

from ospo_scan.reporters.identity import content_uuid

INDENT = 2
_VIEW = SCHEMA_VERSIONS[SchemaVersion.V1_6]
"""The library's view of CycloneDX 1.6: which fields each model writes."""
_FIRST = ("$schema", "bomFormat", "specVersion", "serialNumber", "version", "metadata")
"""Keys written first, so a reader sees what the document is before what it holds."""

LibraryOrder = tuple[str, bool, str, str, bool, str, str]
"""What `library_order` returns."""


class Aggregate(str, Enum):
    """CycloneDX composition aggregates ospo-scan states (the standard has more)."""

    COMPLETE = "complete"
    INCOMPLETE = "incomplete"


@dataclass(frozen=True, slots=True)
class Parts:
    """The document in the pieces `Outputter` serializes apart."""

    header: Bom
    """The Bom without components and graph: its metadata, the metadata component and the
    components nested in it (a few, and they must be in it to be serialized with it)."""
    components: Callable[[], Iterable[Component]]
    """Builds the top-level components, in any order, one at a time: so that one model is
    alive at a time, each is serialized and let go before the next is built."""
    graph: Mapping[str, Collection[str]]
    """bom-ref -> the bom-refs it depends on; a component missing here gets an empty entry."""
    aggregate: Aggregate
    described: str
    """The bom-ref of the component the composition is about (the metadata component)."""


def to_json(parts: Parts) -> str:
    """The document as indented JSON with a trailing newline."""
    return Outputter(parts).output_as_string(indent=INDENT) + "\n"


def library_order(component: Component) -> LibraryOrder:
    """A key that sorts components as `Component.__lt__` does, when their bom-refs differ:
    that compares type, group, name, version and bom-ref first, each missing value after
    every present one, and a bom-ref settles every tie, so the fields after it never count.
    Read from the model itself, so any normalization its setters do is in the key."""
    group, version = component.group, component.version
    return (component.type.value, group is None, group or "", component.name, version is None, version or "", bom_ref_of(component))


def bom_ref_of(component: Component) -> str:
    """The component's bom-ref, which the reporter always sets."""
    if component.bom_ref.value is None:
        raise ValueError(f"CycloneDX: {component!r} has no bom-ref (a bug in the reporter)")
    return component.bom_ref.value


class Outputter(JsonV1Dot6):
    """The library's CycloneDX 1.6 JSON outputter, fed in parts, linear, with compositions
    and a content-derived serial number (see the module docstring)."""

    def __init__(self, parts: Parts) -> None:
        super().__init__(parts.header)
        self._parts = parts

    def generate(self, force_regeneration: bool = False) -> None:
        """What `Json.generate` does, on the parts, with `check` in place of `Bom.validate`."""
        if self.generated and not force_regeneration:
            return
        parts = self._parts
        in_header = list(_all_components(parts.header))
        check_licenses(in_header)
        components, refs = _serialized_components(parts.components())
        graph = check([bom_ref_of(c) for c in in_header] + refs, parts.graph)
        serialized: dict[str, Any] = serialized_model(parts.header)
        # The library writes a Bom's members in the order of their Python names, so these two
        # would come before `metadata`, `serialNumber` and `version`, the members the header
        # has; those are among `_FIRST`, written first anyway, so adding them last is the same.
        if components:
            serialized["components"] = components
        if graph:
            serialized["dependencies"] = _serialized_graph(graph)
        _sort_occurrences(serialized)
        serialized.update({"$schema": self._get_schema_uri(), "bomFormat": "CycloneDX", "specVersion": self.schema_version.to_version()})
        serialized["compositions"] = [{"aggregate": parts.aggregate.value, "assemblies": [parts.described], "dependencies": [parts.described]}]
        self._bom_json = _with_content_serial(serialized)
        self.generated = True

    def output_as_string(self, *, indent: int | str | None = None, **kwargs: Any) -> str:
        """The text `Json.output_as_string` writes (`json.dumps` of the document), joined a
        batch at a time: `json.dumps` with an indent lists every piece of the text first,
        millions of small strings for a large scan, and joins them at the end."""
        self.generate()
        pieces = json.JSONEncoder(indent=indent).iterencode(self._bom_json)
        return "".join(_joined(pieces))


def _joined(pieces: Iterable[str], batch: int = 65536) -> Iterator[str]:
    """The pieces joined into one string per `batch` of them."""
    iterator = iter(pieces)
    while some := list(islice(iterator, batch)):
        yield "".join(some)


def serialized_model(model: object) -> dict[str, Any]:
    """One model (a Bom, a Component, a Dependency) as the library serializes it, read back
    as JSON data: py-serializable's `as_json` is the code that serializing a whole Bom runs
    on each of its parts."""
    data: dict[str, Any] = json.loads(model.as_json(view_=_VIEW))  # type: ignore[attr-defined]
    return data


def _serialized_components(components: Iterable[Component]) -> tuple[list[dict[str, Any]], list[str]]:
    """The components' JSON data in the library's order, and the bom-refs of the components
    and of all nested in them. Each model is checked, serialized and let go."""
    keyed: list[tuple[LibraryOrder, dict[str, Any]]] = []
    refs: list[str] = []
    for component in components:
        inside = [component, *_nested(component)]
        check_licenses(inside)
        refs += [bom_ref_of(c) for c in inside]
        keyed.append((library_order(component), serialized_model(component)))
    keyed.sort(key=itemgetter(0))
    return [data for _, data in keyed], refs


def _serialized_graph(graph: Mapping[str, Collection[str]]) -> list[dict[str, Any]]:
    """The graph as the library's flat `Dependency` entries, each serialized apart, in the
    library's order (by ref: `Dependency.__lt__` compares refs first, and they are unique).
    A target is a leaf `Dependency` of its ref alone, one per ref however many entries name
    it (a model is never changed once built), handed over in the library's order so that
    its sorted set checks that order instead of sorting."""
    leaves = {ref: Dependency(ref=BomRef(ref)) for ref in graph}
    return [
        serialized_model(Dependency(ref=BomRef(ref), dependencies=[leaves[target] for target in sorted(targets)]))
        for ref, targets in sorted(graph.items())
    ]


def check(refs: list[str], graph: Mapping[str, Collection[str]]) -> dict[str, Collection[str]]:
    """`Bom.validate()`'s checks of the refs in linear time: every ref unique, every ref the
    graph names defined. Returns the graph with an empty entry for a component that has
    none, as `Bom.validate()` adds one (CycloneDX wants every component in the graph)."""
    defined = set(refs)
    if len(defined) != len(refs):
        raise ValueError("CycloneDX: bom-refs must be unique (a bug in the reporter)")
    used = set(graph) | {target for targets in graph.values() for target in targets}
    if used - defined:
        raise UnknownComponentDependencyException(f"dependencies name refs no component has: {sorted(used - defined)[:5]}")
    return {**{ref: () for ref in refs}, **graph}


def check_licenses(components: Iterable[Component]) -> None:
    """A license expression must stand alone (the check `Bom.validate()` makes)."""
    for component in components:
        if len(component.licenses) > 1 and any(isinstance(li, LicenseExpression) for li in component.licenses):
            raise LicenseExpressionAlongWithOthersException(f"a license expression beside other licenses in {component!r}")



def _all_components(bom: Bom) -> Iterator[Component]:
    """The metadata component and everything nested in it, then the Bom's components."""
    roots = ([bom.metadata.component] if bom.metadata.component else []) + list(bom.components)
    for root in roots:
        yield root
        yield from _nested(root)


def _nested(component: Component) -> Iterator[Component]:
    stack = list(component.components)
    while stack:
        found = stack.pop()
        yield found
        stack.extend(found.components)


def _sort_occurrences(serialized: dict[str, Any]) -> None:
    """Occurrences have no bom-ref, and the library orders by it first: `BomRef(None)` is
    neither equal to nor less than another, so they come out in the order of a set hashed
    by object id, which differs from run to run. Sorted here by place instead."""
    metadata_component = serialized.get("metadata", {}).get("component")
    stack = list(serialized.get("components", [])) + ([metadata_component] if metadata_component else [])
    while stack:
        component = stack.pop()
        stack.extend(component.get("components", []))
        occurrences = component.get("evidence", {}).get("occurrences")
        if occurrences:
            occurrences.sort(key=lambda o: (o["location"], o.get("line", 0), o.get("additionalContext", "")))


def _with_content_serial(serialized: dict[str, Any]) -> dict[str, Any]:
    """The header and metadata first, then the rest as the library ordered it; the serial
    number is derived from all of that but itself."""
    ordered = {key: serialized[key] for key in _FIRST if key in serialized} | serialized
    unsigned = {key: value for key, value in ordered.items() if key != "serialNumber"}
    serial = content_uuid(json.dumps(unsigned, separators=(",", ":"))).urn
    return {key: serial if key == "serialNumber" else value for key, value in ordered.items()}
