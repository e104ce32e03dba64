"""Counts that every reporter shows: how much open source, of which kind, and how sure.

First-party components (the project's own packages) are counted apart: they are
not open source that the organization depends on.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from ospo_scan.model import Component, Inventory


@dataclass(frozen=True, slots=True, kw_only=True)
class EcosystemCounts:
    """Third-party components of one ecosystem."""

    total: int
    direct: int
    transitive: int
    unpinned: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Summary:
    """The headline numbers of a scan."""

    files_scanned: int
    projects: int
    components: int
    """Third-party components (first-party excluded)."""
    first_party: int
    direct: int
    transitive: int
    unpinned: int
    """Third-party components with no concrete version (no lockfile, no exact pin)."""
    by_ecosystem: dict[str, EcosystemCounts]
    by_scope: dict[str, int]
    by_license_category: dict[str, int]
    """Third-party components per license category ('unknown' included)."""
    issues: int
    status: str


def summarize(inventory: Inventory) -> Summary:
    """Compute the summary; dict keys are inserted sorted so output is deterministic."""
    third_party = [c for c in inventory.components if not c.first_party]
    scopes = Counter(scope.value for c in third_party for scope in c.scopes)
    ecosystems = sorted({c.ecosystem.value for c in third_party})
    return Summary(
        files_scanned=inventory.files_scanned,
        projects=len(inventory.projects),
        components=len(third_party),
        first_party=len(inventory.components) - len(third_party),
        direct=sum(1 for c in third_party if c.direct),
        transitive=sum(1 for c in third_party if not c.direct),
        unpinned=sum(1 for c in third_party if c.version is None),
        by_ecosystem={e: _counts([c for c in third_party if c.ecosystem.value == e]) for e in ecosystems},
        by_scope={scope: scopes[scope] for scope in sorted(scopes)},
        by_license_category=_license_categories(third_party),
        issues=len(inventory.issues),
        status="complete" if inventory.complete else "incomplete",
    )


def _counts(components: list[Component]) -> EcosystemCounts:
    direct = sum(1 for c in components if c.direct)
    return EcosystemCounts(
        total=len(components),
        direct=direct,
        transitive=len(components) - direct,
        unpinned=sum(1 for c in components if c.version is None),
    )


def _license_categories(components: list[Component]) -> dict[str, int]:
    counts = Counter(c.license.category if c.license else "unknown" for c in components)
    return {category: counts[category] for category in sorted(counts)}
