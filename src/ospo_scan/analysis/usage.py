"""The first answer: how much open source we use, how, and where.

Only third-party components count (first-party ones are the organization's own
packages, counted apart). A component is *runtime* when some project uses it at
runtime or has it provided by its runtime environment (Maven `provided`): it is
executed in production either way. Otherwise it is *development only* (build, test
and development tooling), which matters for licenses and for what ships.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from ospo_scan.analysis.facts import ComponentFacts, InventoryFacts
from ospo_scan.model import Component, Inventory, Lifecycle


@dataclass(frozen=True, slots=True, kw_only=True)
class UsageCounts:
    """Third-party components of one slice (an ecosystem, a project, a repository, all)."""

    components: int
    direct: int
    """Declared by a manifest of the slice (in some project, when the slice has several)."""
    transitive: int
    runtime: int
    """Used at runtime (or provided) by some project of the slice."""
    development_only: int
    known_license: int
    """With a license of known category."""

    @property
    def known_license_share(self) -> float | None:
        """known_license / components, or None when there is nothing to share."""
        return round(self.known_license / self.components, 4) if self.components else None


@dataclass(frozen=True, slots=True, kw_only=True)
class SliceUsage:
    """The counts of one named slice: an ecosystem, a project or a repository."""

    key: str
    """The ecosystem name, the project id or the repository id."""
    counts: UsageCounts


@dataclass(frozen=True, slots=True, kw_only=True)
class VersionSprawl:
    """One package in several versions at once: upgrades and fixes land several times."""

    ecosystem: str
    name: str
    versions: tuple[str, ...]
    """Concrete versions, sorted as text."""
    projects: tuple[str, ...]
    """Projects using any of them."""


@dataclass(frozen=True, slots=True, kw_only=True)
class UsageAnswer:
    """How much open source, of which kind, where."""

    totals: UsageCounts
    first_party: int
    projects: int
    repositories: int
    by_ecosystem: tuple[SliceUsage, ...]
    by_lifecycle: tuple[tuple[str, int], ...]
    """Components per strongest lifecycle (runtime > provided > build > test > development)."""
    by_license_category: tuple[tuple[str, int], ...]
    by_project: tuple[SliceUsage, ...]
    by_repository: tuple[SliceUsage, ...]
    version_sprawl: tuple[VersionSprawl, ...]
    """Packages with several concrete versions in use, the most versions first."""


class _Tally:
    """Counts for one slice, fed one (component, direct?, runtime?) at a time."""

    __slots__ = ("components", "direct", "runtime", "known_license")

    def __init__(self) -> None:
        self.components = self.direct = self.runtime = self.known_license = 0

    def add(self, facts: ComponentFacts, direct: bool, runtime: bool) -> None:
        self.components += 1
        self.direct += direct
        self.runtime += runtime
        self.known_license += facts.category != "unknown"

    def counts(self) -> UsageCounts:
        return UsageCounts(
            components=self.components,
            direct=self.direct,
            transitive=self.components - self.direct,
            runtime=self.runtime,
            development_only=self.components - self.runtime,
            known_license=self.known_license,
        )


def answer_usage(inventory: Inventory, facts: InventoryFacts | None = None) -> UsageAnswer:
    """Count the inventory's third-party components by every slice the report shows."""
    facts = facts or InventoryFacts.of(inventory)
    totals = _Tally()
    ecosystems: dict[str, _Tally] = defaultdict(_Tally)
    projects: dict[str, _Tally] = defaultdict(_Tally)
    repositories: dict[str, _Tally] = defaultdict(_Tally)
    several_repositories = facts.repositories > 1
    for entry in facts.components:
        direct, runtime = bool(entry.direct_projects), bool(entry.runtime_projects)
        totals.add(entry, direct, runtime)
        ecosystems[entry.component.ecosystem._value_].add(entry, direct, runtime)  # _value_: .value without the property call
        for project in entry.by_project:
            projects[project].add(entry, project in entry.direct_projects, project in entry.runtime_projects)
        if several_repositories:
            _add_per_repository(repositories, entry, facts.repository_of)
    if not several_repositories and facts.components:
        repositories[next(iter(facts.repository_of.values()), ".")] = totals
    lifecycles = Counter(e.strongest._value_ for e in facts.components if e.strongest is not None)
    categories = Counter(e.category for e in facts.components)
    return UsageAnswer(
        totals=totals.counts(),
        first_party=facts.first_party,
        projects=facts.projects,
        repositories=facts.repositories,
        by_ecosystem=_slices(ecosystems, sorted(ecosystems)),
        by_lifecycle=tuple((lifecycle.value, lifecycles[lifecycle.value]) for lifecycle in Lifecycle if lifecycles[lifecycle.value]),
        by_license_category=tuple(sorted(categories.items())),
        by_project=_slices(projects, [p.id for p in inventory.projects]),
        by_repository=_slices(repositories, sorted(repositories)),
        version_sprawl=version_sprawl(e.component for e in facts.components),
    )


def _add_per_repository(repositories: dict[str, _Tally], entry: ComponentFacts, repository_of: dict[str, str]) -> None:
    in_repository: dict[str, list[str]] = defaultdict(list)
    for project in entry.by_project:
        in_repository[repository_of.get(project, ".")].append(project)
    for repository, members in in_repository.items():
        is_direct = any(p in entry.direct_projects for p in members)
        repositories[repository].add(entry, is_direct, any(p in entry.runtime_projects for p in members))


def version_sprawl(components: Iterable[Component]) -> tuple[VersionSprawl, ...]:
    """Packages (same ecosystem and name) with more than one concrete version in use."""
    by_package: dict[tuple[str, str], list[Component]] = defaultdict(list)
    for component in components:
        if component.version is not None and not component.first_party:
            by_package[(component.ecosystem._value_, component.name)].append(component)
    found = []
    for (ecosystem, name), members in by_package.items():
        if len({c.version for c in members}) > 1:
            versions = tuple(sorted({c.version for c in members if c.version is not None}))
            projects = tuple(sorted({u.project for c in members for u in c.usages}))
            found.append(VersionSprawl(ecosystem=ecosystem, name=name, versions=versions, projects=projects))
    return tuple(sorted(found, key=lambda s: (-len(s.versions), s.ecosystem, s.name)))


def _slices(tallies: dict[str, _Tally], keys: list[str]) -> tuple[SliceUsage, ...]:
    return tuple(SliceUsage(key=key, counts=(tallies[key] if key in tallies else _Tally()).counts()) for key in keys)
