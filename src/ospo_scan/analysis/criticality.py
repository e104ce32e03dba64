"""The second answer: which upstream projects we depend on most.

The score has the form of the OpenSSF criticality score (Rob Pike's formula): each
signal S_i is capped at a threshold T_i and log-scaled, then the weighted mean is taken,

    score = Σ w_i · log(1 + min(S_i, T_i)) / log(1 + T_i)  /  Σ w_i

so it lies in [0, 1], one signal cannot dominate past its threshold, and the first
uses count more than the hundredth. Unlike OpenSSF's, every signal is measured in this
scan, about *our* use (no registry, no code host is asked):

- `runtime-repositories`: repositories where some project uses it at runtime;
- `runtime-projects`: projects that use it at runtime (or have it provided);
- `direct-uses`: projects whose manifests declare it directly (a choice someone made);
- `dependents`: fan-in, how many of the third-party components we use depend on it,
  directly or transitively (dependents.py);
- `versions`: the most versions of any one of its packages in use at once (each one
  is upgraded and patched apart; a project of 100 packages released together is not
  "100 versions").

Thresholds are fixed numbers, not this scan's totals, so a project's score does not
move because the organization grew: scores of two snapshots compare. Weights and
thresholds come from `[criticality]` in `.ospo-scan.toml` (or
`[tool.ospo-scan.criticality]` in pyproject.toml); DEFAULT_SIGNALS documents the
defaults. Scores are rounded to 4 places before ranking, so ties are real ties: tied
entries share a rank and are ordered by name.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum

from ospo_scan.analysis.dependents import DependentsIndex
from ospo_scan.analysis.upstream import upstream_project
from ospo_scan.analysis.facts import ComponentFacts, InventoryFacts
from ospo_scan.analysis.wording import count
from ospo_scan.model import Inventory


class Signal(str, Enum):
    """What criticality is measured by, in the words the settings file uses."""

    RUNTIME_REPOSITORIES = "runtime-repositories"
    RUNTIME_PROJECTS = "runtime-projects"
    DIRECT_USES = "direct-uses"
    DEPENDENTS = "dependents"
    VERSIONS = "versions"


@dataclass(frozen=True, slots=True, kw_only=True)
class SignalSetting:
    """One signal's weight (0 switches it off) and the value past which more adds nothing."""

    weight: float
    threshold: float


DEFAULT_SIGNALS: Mapping[Signal, SignalSetting] = {
    Signal.RUNTIME_REPOSITORIES: SignalSetting(weight=2.0, threshold=50),
    Signal.RUNTIME_PROJECTS: SignalSetting(weight=2.0, threshold=100),
    Signal.DIRECT_USES: SignalSetting(weight=1.0, threshold=50),
    Signal.DEPENDENTS: SignalSetting(weight=2.0, threshold=500),
    Signal.VERSIONS: SignalSetting(weight=0.5, threshold=10),
}
"""Runtime reach and fan-in weigh most: they are what breaks when the project does."""

DEFAULT_TOP = 10
"""How many ranked entries the terminal and markdown reports show (JSON has them all)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class CriticalitySettings:
    """Weights and thresholds of every signal, and how many entries reports show."""

    signals: Mapping[Signal, SignalSetting] = field(default_factory=lambda: dict(DEFAULT_SIGNALS))
    top: int = DEFAULT_TOP
    source: str | None = None
    """The settings file they come from (None: the defaults)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class CriticalProject:
    """One upstream project, its score, what it rests on, and its packages."""

    rank: int
    name: str
    ecosystem: str
    score: float
    signals: Mapping[Signal, int]
    packages: tuple[str, ...]
    """Package names under the project, sorted."""
    reasons: tuple[str, ...]
    """The signals in words, strongest first."""


@dataclass(frozen=True, slots=True, kw_only=True)
class CriticalityAnswer:
    """The ranking, every upstream project included, and why there may be none."""

    ranked: tuple[CriticalProject, ...]
    settings: CriticalitySettings
    projects: int
    repositories: int
    note: str | None = None
    """Set when there is no score at all (no third-party component, every weight 0)."""


def answer_criticality(
    inventory: Inventory, settings: CriticalitySettings | None = None, facts: InventoryFacts | None = None
) -> CriticalityAnswer:
    """Measure every signal per upstream project and rank them by score."""
    settings = settings or CriticalitySettings()
    facts = facts or InventoryFacts.of(inventory)
    projects, repositories = facts.projects, facts.repositories
    if not facts.components or sum(s.weight for s in settings.signals.values()) <= 0:
        note = "no third-party component was found: nothing to score" if not facts.components else "every criticality weight is 0: no score"
        return CriticalityAnswer(ranked=(), settings=settings, projects=projects, repositories=repositories, note=note)
    groups: dict[tuple[str, str], list[ComponentFacts]] = defaultdict(list)
    for entry in facts.components:
        groups[(entry.component.ecosystem._value_, upstream_project(entry.component))].append(entry)  # _value_: .value without the property call
    index = DependentsIndex(inventory.relationships, {e.component.purl for e in facts.components})
    entries = []
    for (ecosystem, name), members in groups.items():
        signals = _signals(members, index, facts.repository_of)
        entries.append((round(score(signals, settings.signals), 4), ecosystem, name, members, signals))
    entries.sort(key=lambda e: (-e[0], e[2], e[1]))
    ranked: list[CriticalProject] = []
    for position, (value, ecosystem, name, members, signals) in enumerate(entries, start=1):
        rank = ranked[-1].rank if ranked and ranked[-1].score == value else position
        packages = sorted({e.component.name for e in members})
        ranked.append(
            CriticalProject(
                rank=rank,
                name=name,
                ecosystem=ecosystem,
                score=value,
                signals=signals,
                packages=tuple(packages),
                reasons=reasons(signals, projects, repositories, len(packages)),
            )
        )
    return CriticalityAnswer(ranked=tuple(ranked), settings=settings, projects=projects, repositories=repositories)


def score(signals: Mapping[Signal, int], settings: Mapping[Signal, SignalSetting]) -> float:
    """Pike's formula over the signals; 0.0 when no signal has weight."""
    total_weight = sum(s.weight for s in settings.values())
    if total_weight <= 0:
        return 0.0
    weighted = 0.0
    for signal, setting in settings.items():
        if setting.weight <= 0 or setting.threshold <= 0:
            continue
        value = max(0, signals.get(signal, 0))
        weighted += setting.weight * math.log1p(min(value, setting.threshold)) / math.log1p(setting.threshold)
    return weighted / total_weight


def reasons(signals: Mapping[Signal, int], projects: int, repositories: int, packages: int = 1) -> tuple[str, ...]:
    """The signals as sentences, for people deciding what to fund or watch."""
    found = []
    runtime_projects = signals.get(Signal.RUNTIME_PROJECTS, 0)
    if runtime_projects:
        where = f"used at runtime by {runtime_projects} of {count(projects, 'project')}"
        if repositories > 1:
            where += f" in {signals.get(Signal.RUNTIME_REPOSITORIES, 0)} of {count(repositories, 'repository')}"
        found.append(where)
    else:
        found.append("not used at runtime")
    direct = signals.get(Signal.DIRECT_USES, 0)
    if direct:
        found.append(f"declared directly by {count(direct, 'project')}")
    dependents = signals.get(Signal.DEPENDENTS, 0)
    if dependents:
        found.append(f"{dependents} of our packages depend on it" if dependents != 1 else "1 of our packages depends on it")
    versions = signals.get(Signal.VERSIONS, 0)
    if versions > 1:
        found.append(f"{versions} versions in use" if packages == 1 else f"up to {versions} versions of one package in use")
    return tuple(found)


def _signals(members: list[ComponentFacts], index: DependentsIndex, repository_of: Mapping[str, str]) -> dict[Signal, int]:
    runtime_projects = set().union(*(e.runtime_projects for e in members))
    versions: dict[str, set[str]] = defaultdict(set)
    for entry in members:
        if entry.component.version is not None:
            versions[entry.component.name].add(entry.component.version)
    return {
        Signal.RUNTIME_REPOSITORIES: len({repository_of.get(p, ".") for p in runtime_projects}),
        Signal.RUNTIME_PROJECTS: len(runtime_projects),
        Signal.DIRECT_USES: len(set().union(*(e.direct_projects for e in members))),
        Signal.DEPENDENTS: len(index.dependents_of(e.component.purl for e in members)),
        Signal.VERSIONS: max((len(found) for found in versions.values()), default=0),
    }
