"""The one order every organization report shows an overview in.

The overview comes from a store, and the store has two implementations (SQLite and
PostgreSQL) whose queries need not return rows in the same order. Sorting here, once,
before any renderer sees the overview, makes the JSON, markdown and HTML reports of the
same data the same bytes whichever store produced it, and makes them agree with each
other row for row.

Orders that carry meaning are kept: critical projects by rank, the versions of a skewed
package in the ecosystem's order (which only the store knows), trends oldest first.
"""

from __future__ import annotations

from dataclasses import replace

from ospo_scan.store.model import (
    LicenseUse,
    OrganizationCritical,
    OrganizationOverview,
    RepositorySummary,
    TrendPoint,
    VersionSkew,
)


def ordered(overview: OrganizationOverview) -> OrganizationOverview:
    """The same overview with every collection in its report order."""
    return replace(
        overview,
        repositories=tuple(sorted(overview.repositories, key=_repository_key)),
        licenses=tuple(sorted(overview.licenses, key=_license_key)),
        critical=tuple(sorted(overview.critical, key=_critical_key)),
        skew=tuple(sorted((_skew(s) for s in overview.skew), key=lambda s: (s.ecosystem, s.package))),
        gaps_by_code=tuple(sorted(overview.gaps_by_code, key=lambda item: (-item[1], item[0]))),
        trends=tuple(sorted(overview.trends, key=_trend_key)),
    )


def _repository_key(summary: RepositorySummary) -> tuple[str, str, str]:
    return (summary.repository, summary.commit or "", summary.branch or "")


def _license_key(use: LicenseUse) -> tuple[int, int, str, str]:
    """Most widely used first: the licenses an OSPO reads about first."""
    return (-use.repositories, -use.components, use.license, use.category)


def _critical_key(entry: OrganizationCritical) -> tuple[int, str, str]:
    return (entry.rank, entry.ecosystem, entry.project)


def _skew(skew: VersionSkew) -> VersionSkew:
    """Versions stay in the store's (ecosystem) order; each version's repositories by name."""
    return replace(skew, versions=tuple((version, tuple(sorted(repositories))) for version, repositories in skew.versions))


def _trend_key(point: TrendPoint) -> tuple[str, int]:
    """Oldest first; snapshots saved in the same second by their id (ids only grow)."""
    return (point.snapshot.taken_at, point.snapshot.id)
