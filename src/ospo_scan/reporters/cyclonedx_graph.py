"""The bom-refs of the CycloneDX report, and its dependency graph.

The inventory names the two ends of an edge by purl (or `project:<Project.id>` for a
project without one); the document names components by bom-ref. `Refs` holds both ways
so that every edge reaches a component the document defines, or is counted as dropped.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from cyclonedx.model.component import Component as CdxComponent
from cyclonedx.model.dependency import Dependency as CdxDependency

from ospo_scan.model import Dependency, Inventory


@dataclass(frozen=True, slots=True)
class Refs:
    """Every bom-ref of the document, and how the inventory's purls reach them."""

    projects: tuple[str, ...]
    """The bom-ref of each of `inventory.projects`, in its order."""
    components: tuple[str | None, ...]
    """The bom-ref of each of `inventory.components`; None for a first-party package that
    is a project's own package (the project stands for it)."""
    own: dict[str, str]
    """Project.id -> its bom-ref, for the edges whose source is the project's own purl."""
    own_purls: dict[str, str]
    """Project.id -> its purl."""
    packages: dict[str, str]
    """What an edge names (a purl, or `project:<id>` for a project without one) -> bom-ref."""

    @classmethod
    def of(cls, inventory: Inventory) -> Refs:
        """Refs from project ids and purls, in the inventory's order; a repeated one (no
        scan makes one) gets a `#2` suffix, so that every ref stays unique. A purl that is
        a component's and a project's reaches the component (what was locked), except as
        the source of that project's own edges."""
        taken: set[str] = set()
        projects = tuple(unique_ref(f"project:{p.id}", taken) for p in inventory.projects)
        own: dict[str, str] = {}
        own_purls: dict[str, str] = {}
        by_project_purl: dict[str, str] = {}
        for project, ref in zip(inventory.projects, projects):
            own.setdefault(project.id, ref)
            if project.purl:
                own_purls.setdefault(project.id, project.purl)
                by_project_purl.setdefault(project.purl, ref)
        packages = {f"project:{project_id}": ref for project_id, ref in own.items()}
        components = tuple(cls._component_refs(inventory, by_project_purl, taken, packages))
        for purl, ref in by_project_purl.items():
            packages.setdefault(purl, ref)
        return cls(projects=projects, components=components, own=own, own_purls=own_purls, packages=packages)

    @staticmethod
    def _component_refs(inventory: Inventory, by_project_purl: dict[str, str], taken: set[str], packages: dict[str, str]) -> list[str | None]:
        refs: list[str | None] = []
        for component in inventory.components:
            if component.first_party and component.purl in by_project_purl:
                refs.append(None)
                continue
            ref = unique_ref(component.purl or f"component:{component.name}", taken)
            refs.append(ref)
            packages.setdefault(component.purl, ref)
        return refs

    def source(self, edge: Dependency) -> str | None:
        """The dependent's bom-ref: the edge's project itself when the source is its purl."""
        if self.own_purls.get(edge.project) == edge.source:
            return self.own[edge.project]
        return self.packages.get(edge.source)


def unique_ref(ref: str, taken: set[str]) -> str:
    """`ref`, or `ref#2`, `ref#3`... the first one not taken yet (which it then takes)."""
    candidate, count = ref, 1
    while candidate in taken:
        count += 1
        candidate = f"{ref}#{count}"
    taken.add(candidate)
    return candidate


def depends_on(edges: Iterable[Dependency], refs: Refs, defined: Iterable[str]) -> tuple[dict[str, set[str]], int]:
    """bom-ref -> the bom-refs it depends on, for every defined ref (an empty set: no known
    dependency), each pair once however many projects' graphs hold it; and how many edges
    were dropped because an end is no component of the document. A first-party package
    that is the dependent's own project makes no edge to itself."""
    targets: dict[str, set[str]] = {ref: set() for ref in defined}
    dropped = 0
    for edge in edges:
        source, target = refs.source(edge), refs.packages.get(edge.target)
        if source is None or target is None or source not in targets or target not in targets:
            dropped += 1
        elif source != target:
            targets[source].add(target)
    return targets, dropped


def library_graph(targets: Mapping[str, Iterable[str]], nodes: Mapping[str, CdxComponent]) -> list[CdxDependency]:
    """The graph as the library's flat Dependency entries, on the components' own BomRefs."""
    return [
        CdxDependency(ref=nodes[ref].bom_ref, dependencies=[CdxDependency(ref=nodes[t].bom_ref) for t in sorted(refs)])
        for ref, refs in sorted(targets.items())
    ]
