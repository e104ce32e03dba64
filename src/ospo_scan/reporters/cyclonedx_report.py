"""The CycloneDX report: the inventory as a CycloneDX 1.6 SBOM in JSON, for SBOM tools.

Built with cyclonedx-python-lib; `cyclonedx_output` wraps its outputter. How the model maps:

- Third-party components are `library` components whose bom-ref is their purl (the
  inventory merges components by purl, so it is unique and stable across scans).
- First-party projects are `application` components with bom-ref `project:<Project.id>`,
  the spelling the inventory already uses for a project without a purl. One project: it
  is the metadata component. None or several: the metadata component is the scanned
  root (`scan-root`), the projects are nested in it, and it depends on each of them, so
  the graph has the one root SBOM tools start from. First-party packages that are no
  project (a local path, a replaced Go module) are nested in the metadata component too;
  one that is a project's own package is that project.
- Scope: `required` when some usage is at runtime (or provided by the platform) and not
  optional; `optional` when every such usage is optional; `excluded` when only build,
  test or development use it. A non-optional peer counts as required: the host must
  install it for the package to run (npm 7 and later install peers themselves).
- Licenses: an SPDX id as `id`, an expression as `expression` (a `LicenseRef-` too,
  alone or in a compound: it is valid SPDX but not in CycloneDX's id list), anything
  else as `name`; none when the license is unknown.
- Properties, all under `ospo-scan:`: `direct`, `lifecycle` (one per lifecycle), `note`,
  `license-category`, `license-reason`, and the upstream project's `criticality-project`,
  `criticality-rank` and `criticality-score`; a project's `path`; the scan's
  `scan-error`s and `dropped-edges` in the metadata.
- Evidence: one occurrence per declaring or locking entry (file, line, key path).
- An incomplete scan says so in `compositions` (about the metadata component), and its
  errors say why.
- No timestamp unless the report has `created`; the serial number comes from the content.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from functools import lru_cache
from typing import TextIO

from cyclonedx.contrib.license.exceptions import InvalidLicenseExpressionException, InvalidSpdxLicenseException
from cyclonedx.contrib.license.factories import LicenseFactory
from cyclonedx.model import Property
from cyclonedx.model.bom import Bom, BomMetaData
from cyclonedx.model.component import Component as CdxComponent
from cyclonedx.model.component import ComponentScope, ComponentType
from cyclonedx.model.component_evidence import ComponentEvidence, Occurrence
from cyclonedx.model.license import License, LicenseExpression
from cyclonedx.model.tool import ToolRepository
from packageurl import PackageURL

from ospo_scan import __version__
from ospo_scan.collection import fewer_collections
from ospo_scan.analysis.criticality import CriticalProject
from ospo_scan.analysis.facts import RUNTIME_LIFECYCLES
from ospo_scan.analysis.upstream import upstream_project
from ospo_scan.licenses import spdx
from ospo_scan.model import Component, Inventory, LicenseInfo, Location, Project, Severity, Usage
from ospo_scan.purl import split_name
from ospo_scan.reporters.cyclonedx_graph import Refs, depends_on, library_graph
from ospo_scan.reporters.cyclonedx_output import Aggregate, Parts, library_order, to_json
from ospo_scan.reporters.report import Report

PREFIX = "ospo-scan:"
"""The namespace of every property ospo-scan writes."""
ROOT_REF = "scan-root"
"""bom-ref of the metadata component when it stands for the scanned root(s)."""
_NOT_A_LICENSE = frozenset({"NOASSERTION", "NONE"})
"""SPDX's words for "no statement": no license entry, like an unknown license."""


def render(report: Report, stream: TextIO, is_terminal: bool = False) -> None:
    """Write the report as CycloneDX 1.6 JSON (indented, trailing newline)."""
    del is_terminal  # the same document wherever it goes
    stream.write(document(report))


def document(report: Report) -> str:
    """The CycloneDX JSON text of the report: the same report gives the same bytes."""
    with fewer_collections():  # the library's models are many small acyclic objects
        return to_json(parts(report))


def build_bom(report: Report) -> tuple[Bom, str]:
    """The whole document as one library Bom, and the bom-ref of its metadata component:
    for a caller that wants the library's own object (its `validate()`, another outputter).
    `document` does not build it: a Bom sorts its components with rich comparisons, which
    costs more than all the rest on a large scan (see `cyclonedx_output`)."""
    pieces = parts(report)
    components = list(pieces.components())
    metadata = pieces.header.metadata
    nodes = {ref: c for c in [*components, *_with_nested(metadata.component)] if (ref := c.bom_ref.value)}
    return Bom(components=components, metadata=metadata, dependencies=library_graph(pieces.graph, nodes)), pieces.described


def parts(report: Report) -> Parts:
    """The document in the pieces the outputter serializes apart: the header Bom (metadata,
    with the metadata component and what is nested in it), the third-party components as
    they are built, one at a time, and the graph by bom-ref."""
    inventory = report.inventory
    refs = Refs.of(inventory)
    critical = {(p.ecosystem, p.name): p for p in report.analysis.critical.ranked}
    third_party = [(c, ref) for c, ref in zip(inventory.components, refs.components) if ref and not c.first_party]
    root = _metadata_component(inventory, refs)
    described = root.bom_ref.value or ROOT_REF
    defined = [ref for _, ref in third_party] + [ref for c in _with_nested(root) if (ref := c.bom_ref.value)]
    targets, dropped = depends_on(inventory.relationships, refs, defined)
    if described == ROOT_REF:
        targets[ROOT_REF].update(refs.projects)

    def components() -> Iterator[CdxComponent]:
        return (_component(c, ref, critical) for c, ref in third_party)

    return Parts(
        header=Bom(metadata=_metadata(report, root, dropped)), components=components, graph=targets,
        aggregate=Aggregate.COMPLETE if inventory.complete else Aggregate.INCOMPLETE, described=described,
    )  # fmt: skip


def _metadata(report: Report, root: CdxComponent, dropped: int) -> BomMetaData:
    tool = CdxComponent(type=ComponentType.APPLICATION, name="ospo-scan", version=__version__)
    metadata = BomMetaData(tools=ToolRepository(components=[tool]), component=root, properties=_scan_properties(report.inventory, dropped))
    metadata.timestamp = report.created  # type: ignore[assignment]  # None: no timestamp (the library would write now)
    return metadata


def _with_nested(component: CdxComponent | None) -> list[CdxComponent]:
    return [component, *component.components] if component else []


def _metadata_component(inventory: Inventory, refs: Refs) -> CdxComponent:
    """One project: it; otherwise the scanned root with the projects nested in it. The
    first-party packages that are no project are nested in either, handed to the library
    in its own order, so that its sorted set checks that order instead of sorting."""
    first_party = [_component(c, ref, {}) for c, ref in zip(inventory.components, refs.components) if ref and c.first_party]
    projects = [_project(p, ref) for p, ref in zip(inventory.projects, refs.projects)]
    if len(projects) == 1:
        projects[0].components = sorted(first_party, key=library_order)
        return projects[0]
    nested = sorted([*projects, *first_party], key=library_order)
    return CdxComponent(type=ComponentType.APPLICATION, bom_ref=ROOT_REF, name=_root_name(inventory), components=nested)


def _root_name(inventory: Inventory) -> str:
    names = [r.root for r in inventory.repositories] or list(inventory.roots)
    return ", ".join(sorted(names)) or "."


def _project(project: Project, ref: str) -> CdxComponent:
    group, name = split_name(project.ecosystem, project.name)
    properties = [Property(name=f"{PREFIX}path", value=project.path), *_license_properties(project.license_info)]
    if not project.declared:
        properties.append(Property(name=f"{PREFIX}note", value="no manifest names the project: its name is the folder's"))
    return CdxComponent(
        type=ComponentType.APPLICATION, bom_ref=ref, group=group, name=name or ref, version=project.version,
        purl=_purl(project.purl), licenses=_licenses(project.license_info), properties=properties,
        evidence=_evidence(Location(path=path) for path in project.files),
    )  # fmt: skip


def _component(component: Component, ref: str, critical: Mapping[tuple[str, str], CriticalProject]) -> CdxComponent:
    """A package with its scope, license, usage and criticality (none for a first-party
    package: the ranking is of upstream projects only)."""
    group, name = split_name(component.ecosystem, component.name)
    upstream = critical.get((component.ecosystem.value, upstream_project(component)))
    properties = [*_usage_properties(component), *_license_properties(component.license), *_criticality_properties(upstream)]
    return CdxComponent(
        type=ComponentType.LIBRARY, bom_ref=ref, group=group, name=name or ref, version=component.version,
        purl=_purl(component.purl), scope=scope(component.usages), licenses=_licenses(component.license),
        properties=properties, evidence=_evidence(u.location for u in component.usages),
    )  # fmt: skip


def scope(usages: Sequence[Usage]) -> ComponentScope | None:
    """required / optional / excluded from the usages (see the module docstring); None
    (CycloneDX's default) for a component no usage explains."""
    if not usages:
        return None
    runtime = [u for u in usages if u.lifecycle in RUNTIME_LIFECYCLES]
    if any(not u.optional for u in runtime):
        return ComponentScope.REQUIRED
    return ComponentScope.OPTIONAL if runtime else ComponentScope.EXCLUDED


def _licenses(info: LicenseInfo | None) -> list[License]:
    if info is None or not info.expression or info.expression.strip().upper() in _NOT_A_LICENSE:
        return []
    return [license_of(info.expression)]


@lru_cache(maxsize=4096)
def license_of(expression: str) -> License:
    """An SPDX id, else an expression the library knows, else one ospo-scan's SPDX reading
    accepts (the library's does not know `LicenseRef-`s it did not ship), else a name.
    Cached: a scan repeats a few hundred expressions thousands of times."""
    factory = LicenseFactory()
    try:
        return factory.make_with_id(expression)
    except InvalidSpdxLicenseException:
        pass
    try:
        return factory.make_with_expression(expression)
    except InvalidLicenseExpressionException:
        pass
    if spdx.try_parse(expression) is not None:
        return LicenseExpression(expression)
    return factory.make_with_name(expression)


def _usage_properties(component: Component) -> list[Property]:
    properties = [Property(name=f"{PREFIX}direct", value=str(component.direct).lower())]
    properties += [Property(name=f"{PREFIX}lifecycle", value=lifecycle.value) for lifecycle in component.lifecycles]
    properties += [Property(name=f"{PREFIX}note", value=note) for note in component.notes]
    return properties


def _license_properties(info: LicenseInfo | None) -> list[Property]:
    properties = [Property(name=f"{PREFIX}license-category", value=info.category if info else "unknown")]
    if info is not None and info.reason:
        properties.append(Property(name=f"{PREFIX}license-reason", value=info.reason))
    return properties


def _criticality_properties(upstream: CriticalProject | None) -> list[Property]:
    """The score and rank belong to the upstream project, so its name goes with them."""
    if upstream is None:
        return []
    return [
        Property(name=f"{PREFIX}criticality-project", value=upstream.name),
        Property(name=f"{PREFIX}criticality-rank", value=str(upstream.rank)),
        Property(name=f"{PREFIX}criticality-score", value=f"{upstream.score:.4f}"),
    ]


def _scan_properties(inventory: Inventory, dropped: int) -> list[Property]:
    """Why the scan is incomplete (its errors), and edges that name no component."""
    properties = [
        Property(name=f"{PREFIX}scan-error", value=f"{issue.path}{f':{issue.line}' if issue.line else ''}: {issue.code}: {issue.message}")
        for issue in inventory.issues
        if issue.severity is Severity.ERROR
    ]
    if dropped:
        properties.append(Property(name=f"{PREFIX}dropped-edges", value=str(dropped)))
    return properties


def _purl(purl: str | None) -> PackageURL | None:
    """The library wants a PackageURL object; a string it cannot read leaves the field out
    (the bom-ref still carries it)."""
    if not purl:
        return None
    try:
        return PackageURL.from_string(purl)
    except ValueError:
        return None


def _evidence(locations: Iterable[Location]) -> ComponentEvidence | None:
    """One occurrence per distinct entry (the outputter puts them in order)."""
    places = {(loc.path, loc.line, loc.key_path) for loc in locations if loc.path}
    if not places:
        return None
    return ComponentEvidence(occurrences=[Occurrence(location=path, line=line, additional_context=key) for path, line, key in places])
