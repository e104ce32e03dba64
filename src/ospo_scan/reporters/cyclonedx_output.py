"""cyclonedx-python-lib, wrapped once: a `Bom` in, CycloneDX 1.6 JSON text out.

The library models and serializes the document; what it does not do the way ospo-scan
needs is done here, so that the reporter never meets the library's quirks:

- The library's outputter calls `Bom.validate()`, which finds each component's entry of
  the dependency graph by a linear search: quadratic (half a minute for 8,000 components,
  four times that for twice as many, and the outputter runs it twice). `Outputter` runs the same checks with sets instead (every component
  has a graph entry, every ref is defined, an expression stands alone). It also leaves out
  `BomRefDiscriminator`, which would replace a missing or repeated bom-ref by a random one
  (a quadratic scan too): the reporter makes every ref unique, and a repeated one here is
  a bug, raised as such.
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

import gc
import json
from collections.abc import Iterator
from contextlib import contextmanager
from enum import Enum
from typing import Any

from cyclonedx.exception.model import LicenseExpressionAlongWithOthersException, UnknownComponentDependencyException
from cyclonedx.model.bom import Bom
from cyclonedx.model.bom_ref import BomRef
from cyclonedx.model.component import Component
from cyclonedx.model.dependency import Dependency
from cyclonedx.model.license import LicenseExpression
from cyclonedx.output.json import JsonV1Dot6
from cyclonedx.schema.schema import SCHEMA_VERSIONS

from ospo_scan.reporters.identity import content_uuid

INDENT = 2
_FIRST = ("$schema", "bomFormat", "specVersion", "serialNumber", "version", "metadata")
"""Keys written first, so a reader sees what the document is before what it holds."""


class Aggregate(str, Enum):
    """CycloneDX composition aggregates ospo-scan states (the standard has more)."""

    COMPLETE = "complete"
    INCOMPLETE = "incomplete"


def to_json(bom: Bom, aggregate: Aggregate, described: str) -> str:
    """The document as indented JSON with a trailing newline; `described` is the bom-ref of
    the component the composition is about (the metadata component)."""
    outputter = Outputter(bom, aggregate=aggregate, described=described)
    return outputter.output_as_string(indent=INDENT) + "\n"


class Outputter(JsonV1Dot6):
    """The library's CycloneDX 1.6 JSON outputter, linear, with compositions and a
    content-derived serial number (see the module docstring)."""

    def __init__(self, bom: Bom, *, aggregate: Aggregate, described: str) -> None:
        super().__init__(bom)
        self._aggregate = aggregate
        self._described = described

    def generate(self, force_regeneration: bool = False) -> None:
        """What `Json.generate` does, with `check` in place of `Bom.validate`."""
        if self.generated and not force_regeneration:
            return
        bom = self.get_bom()
        check(bom)
        serialized: dict[str, Any] = json.loads(bom.as_json(view_=SCHEMA_VERSIONS[self.schema_version_enum]))  # type: ignore[attr-defined]
        _sort_occurrences(serialized)
        serialized.update({"$schema": self._get_schema_uri(), "bomFormat": "CycloneDX", "specVersion": self.schema_version.to_version()})
        serialized["compositions"] = [{"aggregate": self._aggregate.value, "assemblies": [self._described], "dependencies": [self._described]}]
        self._bom_json = _with_content_serial(serialized)
        self.generated = True


def check(bom: Bom) -> None:
    """`Bom.validate()`'s checks in linear time; like it, adds an empty graph entry for a
    component that has none (CycloneDX wants every component in the graph)."""
    components = list(_all_components(bom))
    refs = [component.bom_ref for component in components]
    defined = set(refs)
    if len(defined) != len(refs) or any(ref.value is None for ref in refs):
        raise ValueError("CycloneDX: bom-refs must be set and unique (a bug in the reporter)")
    in_graph = {entry.ref for entry in bom.dependencies}
    bom.dependencies.update(Dependency(ref=ref) for ref in refs if ref not in in_graph)
    _check_graph(list(bom.dependencies), defined)
    for component in components:
        if len(component.licenses) > 1 and any(isinstance(li, LicenseExpression) for li in component.licenses):
            raise LicenseExpressionAlongWithOthersException(f"a license expression beside other licenses in {component!r}")


def _check_graph(entries: list[Dependency], defined: set[BomRef]) -> None:
    """Every ref defined, and the graph flat already: one entry per ref, none nested (what
    the library's `BomDependencyGraphFlatMerger` would otherwise rebuild, at some cost)."""
    used = {entry.ref for entry in entries} | {d.ref for entry in entries for d in entry.dependencies}
    if used - defined:
        raise UnknownComponentDependencyException(f"dependencies name refs no component has: {sorted(str(r) for r in used - defined)[:5]}")
    if len({entry.ref for entry in entries}) != len(entries) or any(d.dependencies for entry in entries for d in entry.dependencies):
        raise ValueError("CycloneDX: the dependency graph must be flat, one entry per ref (a bug in the reporter)")


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector: the library's model is millions of small acyclic
    objects (refcounting frees them), and each collection walks them all; on the corpus,
    building the components took four times as long with it running."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _all_components(bom: Bom) -> Iterator[Component]:
    """The metadata component, the components, and everything nested in them."""
    stack = ([bom.metadata.component] if bom.metadata.component else []) + list(bom.components)
    while stack:
        component = stack.pop()
        yield component
        stack.extend(component.components)


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
