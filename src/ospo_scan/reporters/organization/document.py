"""The organization overview as plain data: what the JSON report serializes.

Schema `ospo-scan-organization`, version 1. Every key is always present (a value that
is not known is null, never a missing key), so a consumer can index without checks:

- `snapshot`: the latest snapshot: `id`, `label` (null when unnamed), `taken_at` (ISO
  8601 UTC: the report's only clock), `repositories`, `components` (distinct
  third-party purls).
- `repositories`: one object per repository of that snapshot, by name: `repository`,
  `commit`, `branch`, `status` (complete / incomplete), `components`, `direct`,
  `gaps`, `violations`, `licenses` (the repository's own SPDX expressions).
- `licenses`: `license` (SPDX expression or `unknown`), `category`, `components`,
  `repositories`; most widely used first.
- `critical`: upstream projects by rank: `rank`, `ecosystem`, `project`, `score`,
  `repositories` (runtime), `direct_repositories`, `versions`, `reasons`.
- `version_skew`: `ecosystem`, `package` (a purl without version) and `versions`, a
  list of `{"version", "repositories"}` in the ecosystem's version order.
- `gaps_by_code`: gap code -> number of gaps in the latest snapshot.
- `trends`: one object per snapshot, oldest first, the latest included: `snapshot`
  (as above), `components`, `repositories`, `gaps`, `licenses`, `new_licenses`.

Bump `VERSION` when a key changes meaning or goes away; adding a key does not.
"""

from __future__ import annotations

from typing import Any

from ospo_scan.reporters.organization.ordering import ordered
from ospo_scan.store.model import (
    LicenseUse,
    OrganizationCritical,
    OrganizationOverview,
    RepositorySummary,
    SnapshotRecord,
    TrendPoint,
    VersionSkew,
)

SCHEMA = "ospo-scan-organization"
VERSION = 1


def organization_document(overview: OrganizationOverview) -> dict[str, Any]:
    """The overview as JSON-ready data, every list in report order (ordering.py)."""
    overview = ordered(overview)
    return {
        "schema": SCHEMA,
        "version": VERSION,
        "snapshot": snapshot_data(overview.snapshot),
        "repositories": [_repository(summary) for summary in overview.repositories],
        "licenses": [_license(use) for use in overview.licenses],
        "critical": [_critical(entry) for entry in overview.critical],
        "version_skew": [_skew(skew) for skew in overview.skew],
        "gaps_by_code": dict(overview.gaps_by_code),
        "trends": [_trend(point) for point in overview.trends],
    }


def snapshot_data(snapshot: SnapshotRecord) -> dict[str, Any]:
    """A snapshot's record, as `snapshot` and each trend's `snapshot` show it."""
    return {
        "id": snapshot.id,
        "label": snapshot.label,
        "taken_at": snapshot.taken_at,
        "repositories": snapshot.repositories,
        "components": snapshot.components,
    }


def _repository(summary: RepositorySummary) -> dict[str, Any]:
    return {
        "repository": summary.repository,
        "commit": summary.commit,
        "branch": summary.branch,
        "status": summary.status,
        "components": summary.components,
        "direct": summary.direct,
        "gaps": summary.gaps,
        "violations": summary.violations,
        "licenses": list(summary.licenses),
    }


def _license(use: LicenseUse) -> dict[str, Any]:
    return {"license": use.license, "category": use.category, "components": use.components, "repositories": use.repositories}


def _critical(entry: OrganizationCritical) -> dict[str, Any]:
    return {
        "rank": entry.rank,
        "ecosystem": entry.ecosystem,
        "project": entry.project,
        "score": entry.score,
        "repositories": entry.repositories,
        "direct_repositories": entry.direct_repositories,
        "versions": entry.versions,
        "reasons": list(entry.reasons),
    }


def _skew(skew: VersionSkew) -> dict[str, Any]:
    versions = [{"version": version, "repositories": list(repositories)} for version, repositories in skew.versions]
    return {"ecosystem": skew.ecosystem, "package": skew.package, "versions": versions}


def _trend(point: TrendPoint) -> dict[str, Any]:
    return {
        "snapshot": snapshot_data(point.snapshot),
        "components": point.components,
        "repositories": point.repositories,
        "gaps": point.gaps,
        "licenses": list(point.licenses),
        "new_licenses": list(point.new_licenses),
    }
