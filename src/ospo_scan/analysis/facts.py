"""Per-component facts every answer needs, computed once per inventory.

Usage counts, criticality signals and gaps all ask the same questions of each
component's usages (which projects, directly or not, at runtime or not); on the
corpus that is 135,000 usages, so they are grouped here once instead of three times.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from ospo_scan.model import Component, Directness, Inventory, Lifecycle, Usage

RUNTIME_LIFECYCLES = frozenset({Lifecycle.RUNTIME, Lifecycle.PROVIDED})
"""Lifecycles whose code runs in production (provided: the runtime environment ships it)."""


@dataclass(frozen=True, slots=True)
class ComponentFacts:
    """One third-party component and how each project uses it."""

    component: Component
    by_project: dict[str, list[Usage]]
    """Project id -> that project's usages, in the component's (sorted) usage order."""
    direct_projects: frozenset[str]
    runtime_projects: frozenset[str]
    """Projects that use it at runtime or have it provided."""
    shipped_projects: frozenset[str]
    """Projects that use it at runtime proper: those that ship it (licenses are judged there)."""
    category: str
    """The license category, 'unknown' when there is no conclusion."""
    strongest: Lifecycle | None
    """The strongest lifecycle of any usage (None: no usage)."""


@dataclass(frozen=True, slots=True)
class InventoryFacts:
    """The inventory's third-party components with their facts, and where projects live."""

    components: tuple[ComponentFacts, ...]
    repository_of: dict[str, str]
    """Project id -> repository id."""
    first_party: int
    projects: int
    repositories: int

    @classmethod
    def of(cls, inventory: Inventory) -> InventoryFacts:
        """Group every third-party component's usages by project."""
        facts = []
        for component in inventory.components:
            if not component.first_party:
                facts.append(_facts(component))
        repository_of = {p.id: p.repository for p in inventory.projects}
        return cls(
            components=tuple(facts),
            repository_of=repository_of,
            first_party=len(inventory.components) - len(facts),
            projects=len(inventory.projects),
            repositories=len(inventory.repositories) or len(set(repository_of.values())),
        )


def _facts(component: Component) -> ComponentFacts:
    by_project: dict[str, list[Usage]] = defaultdict(list)
    direct: set[str] = set()
    runtime: set[str] = set()
    shipped: set[str] = set()
    rank = len(_ORDER)
    for usage in component.usages:
        project = usage.project
        by_project[project].append(usage)
        if usage.directness is _DIRECT:
            direct.add(project)
        lifecycle = usage.lifecycle
        rank = min(rank, _ORDER[lifecycle])
        if lifecycle is _RUNTIME:
            shipped.add(project)
            runtime.add(project)
        elif lifecycle is _PROVIDED:
            runtime.add(project)
    category = component.license.category if component.license else "unknown"
    strongest = _BY_RANK[rank] if rank < len(_ORDER) else None
    return ComponentFacts(component, dict(by_project), frozenset(direct), frozenset(runtime), frozenset(shipped), category, strongest)


_DIRECT, _RUNTIME, _PROVIDED = Directness.DIRECT, Lifecycle.RUNTIME, Lifecycle.PROVIDED
_BY_RANK = tuple(Lifecycle)
"""Lifecycles strongest first, as model.strongest() ranks them."""
_ORDER = {lifecycle: rank for rank, lifecycle in enumerate(_BY_RANK)}
