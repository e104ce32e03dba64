"""The records the organization store takes in and gives back.

The store keeps, per repository scan, only what the organization-wide answers need
(components, their usages by project, licenses, gaps, violations), not the whole
report: a thousand repositories of a few hundred components each stay a small
database. Everything is a frozen dataclass so that the CLI, the reporters and both
store implementations share one vocabulary and the type checker sees any drift.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True, kw_only=True)
class StoredProject:
    """A project (one manifest's worth of dependencies) of a repository."""

    id: str
    """The project id of the report (`npm:packages/web`), unique within its repository."""
    name: str | None
    ecosystem: str
    path: str
    license: str | None = None
    """Its own license as an SPDX expression, when known."""


@dataclass(frozen=True, slots=True, kw_only=True)
class StoredUsage:
    """One project's use of a component."""

    project: str
    lifecycle: str
    """runtime, dev, test, build, provided, ..."""
    directness: str
    """direct, transitive or unknown."""


@dataclass(frozen=True, slots=True, kw_only=True)
class StoredComponent:
    """A third-party or first-party component as one repository uses it."""

    purl: str
    ecosystem: str
    namespace: str | None
    name: str
    version: str | None
    license: str | None
    """The concluded SPDX expression, or None when unknown."""
    category: str
    """The license category (permissive, weak-copyleft, ..., unknown)."""
    first_party: bool
    usages: tuple[StoredUsage, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class StoredGap:
    """A compliance gap of the repository's report (`analysis.gaps.items`)."""

    code: str
    severity: str
    message: str
    component: str | None = None
    project: str | None = None
    path: str | None = None
    line: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class StoredViolation:
    """A policy violation in force in the repository's report (`policy.violations`)."""

    fingerprint: str
    rule: str
    severity: str
    message: str
    component: str | None = None
    package: str | None = None
    project: str | None = None
    path: str | None = None
    line: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class RepositoryScan:
    """What one repository's scan contributes to a snapshot.

    Saved once per (repository, commit, digest): the same scan saved or imported twice is
    stored once, and a snapshot only points at it.
    """

    repository: str
    """The organization-wide name of the repository (its folder name unless told)."""
    commit: str | None
    branch: str | None
    digest: str
    """sha256 over the canonical content below: equal scans have equal digests."""
    tool_version: str
    status: str
    """complete or incomplete (some file could not be read)."""
    has_policy: bool
    projects: tuple[StoredProject, ...]
    components: tuple[StoredComponent, ...]
    gaps: tuple[StoredGap, ...]
    violations: tuple[StoredViolation, ...]
    profile: str | None = None
    """The repository's assessment profile as JSON (assessment/profile_document.py), when
    `snapshot save` made it; a report imported from elsewhere has none. Not part of the
    digest: the same scan saved and imported is still one scan."""


@dataclass(frozen=True, slots=True, kw_only=True)
class SnapshotRecord:
    """A saved snapshot: a set of repository scans taken together."""

    id: int
    label: str | None
    taken_at: str
    """ISO 8601 UTC time of the save (a snapshot is a moment; this is its only clock)."""
    repositories: int
    components: int
    """Distinct third-party component purls across its repositories."""


@dataclass(frozen=True, slots=True, kw_only=True)
class RepositoryUse:
    """A query answer row: a repository that uses a package, and how."""

    repository: str
    commit: str | None
    purl: str
    version: str | None
    license: str | None
    category: str
    projects: tuple[str, ...]
    lifecycles: tuple[str, ...]
    direct: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class OrganizationCritical:
    """An upstream project ranked across the organization."""

    rank: int
    ecosystem: str
    project: str
    """The upstream project (a package name, or its group/namespace for families)."""
    score: float
    repositories: int
    """Repositories that use it at runtime."""
    direct_repositories: int
    """Repositories whose manifests declare it directly."""
    versions: int
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class VersionSkew:
    """One package in use at several versions across the organization."""

    ecosystem: str
    package: str
    """The purl without version (`pkg:npm/lodash`)."""
    versions: tuple[tuple[str, tuple[str, ...]], ...]
    """Each version (sorted in the ecosystem's order where known) and the repositories using it."""


@dataclass(frozen=True, slots=True, kw_only=True)
class TrendPoint:
    """One snapshot's totals, for the trend charts of the organization report."""

    snapshot: SnapshotRecord
    components: int
    repositories: int
    gaps: int
    licenses: tuple[str, ...]
    """Distinct concluded license expressions (sorted)."""
    new_licenses: tuple[str, ...]
    """Those not in the previous snapshot (all of them for the first)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class LicenseUse:
    """A license (or category) and how widely it is used in a snapshot."""

    license: str
    """SPDX expression, or `unknown`."""
    category: str
    components: int
    repositories: int


@dataclass(frozen=True, slots=True, kw_only=True)
class RepositorySummary:
    """One repository of a snapshot, in numbers."""

    repository: str
    commit: str | None
    branch: str | None
    status: str
    components: int
    """Third-party components."""
    direct: int
    """Third-party components some project declares directly."""
    gaps: int
    violations: int
    licenses: tuple[str, ...]
    """The repository's own licenses (its projects' SPDX expressions, sorted)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class OrganizationOverview:
    """Everything the organization report shows: the latest snapshot and the history."""

    snapshot: SnapshotRecord
    repositories: tuple[RepositorySummary, ...]
    """The latest snapshot's repositories, by name."""
    licenses: tuple[LicenseUse, ...]
    critical: tuple[OrganizationCritical, ...]
    skew: tuple[VersionSkew, ...]
    gaps_by_code: tuple[tuple[str, int], ...]
    trends: tuple[TrendPoint, ...]
    """Every snapshot, oldest first, the latest included."""
