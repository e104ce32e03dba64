"""Organization overviews built by hand, as the store would give them back.

The store is not used: the reporters must work on any overview, and these carry what a
hostile organization could put in one (repository and package names are folder names
and lockfile entries, written by strangers): markup, `&`, quotes, table pipes, ANSI
escapes, a bidi override, a newline. `overview(snapshots=n)` gives the history of `n`
snapshots, each a little larger than the one before, with new licenses appearing.
"""

from __future__ import annotations

from ospo_scan.store.model import (
    LicenseUse,
    OrganizationCritical,
    OrganizationOverview,
    RepositorySummary,
    SnapshotRecord,
    TrendPoint,
    VersionSkew,
)

SCRIPT = "<script>window.__pwned = 'script'</script>"
IMAGE = "<img src=x onerror=\"window.__pwned = 'img'\">"
HOSTILE_REPOSITORIES = (
    f"web{SCRIPT}",
    'billing & "payments" \'eu\'',
    "pipes|in|name",
    "\x1b[31mred\x1b[0m-service",
    "evil\u202egnp.exe",
    f"docs{IMAGE}",
    "two\nlines `tick`",
    "back\\|slash\\",
)
"""Every repository of the latest snapshot: all of them are hostile in some way."""

HOSTILE_PACKAGES = (f"pkg:npm/{SCRIPT}", "pkg:npm/left%7Cpad", f"pkg:pypi/{IMAGE}", "pkg:npm/%1B%5B2Jclear")
HOSTILE_PROJECTS = (SCRIPT, "a|b & c", IMAGE, "\x1b]8;;file:///etc\x07link\x1b]8;;\x07", "rtl\u202eexe.txt", "`code` <b>", "@acme/platform-team")
LICENSES = ("MIT", "Apache-2.0", "BSD-3-Clause", "GPL-3.0-only", "LicenseRef-<b>odd|one</b>")
CATEGORIES = {"MIT": "permissive", "Apache-2.0": "permissive", "BSD-3-Clause": "permissive", "GPL-3.0-only": "strong-copyleft"}
GAP_COUNTS = (("unknown-license", 1), ("unpinned-version", 3), ("copyleft-at-runtime", 5), ("future-<code>|x", 7))
"""Gaps of the latest snapshot by code; the last is a code this version does not know
(a store written by a newer ospo-scan)."""


def overview(snapshots: int = 3) -> OrganizationOverview:
    """The latest of `snapshots` snapshots, its details and the whole history."""
    trends = trend_points(snapshots)
    latest = trends[-1].snapshot
    repositories = tuple(_repository(position, name) for position, name in enumerate(HOSTILE_REPOSITORIES))
    return OrganizationOverview(
        snapshot=latest,
        repositories=repositories,
        licenses=tuple(_license(position, name) for position, name in enumerate(LICENSES) if name in trends[-1].licenses),
        critical=tuple(_critical(rank, name) for rank, name in enumerate(HOSTILE_PROJECTS, start=1)),
        skew=_skew(),
        gaps_by_code=GAP_COUNTS,
        trends=trends,
    )


def empty_overview() -> OrganizationOverview:
    """A snapshot of an organization with no repository in it (a first run on nothing)."""
    snapshot = SnapshotRecord(id=1, label=None, taken_at="2026-01-05T09:00:00Z", repositories=0, components=0)
    point = TrendPoint(snapshot=snapshot, components=0, repositories=0, gaps=0, licenses=(), new_licenses=())
    return OrganizationOverview(snapshot=snapshot, repositories=(), licenses=(), critical=(), skew=(), gaps_by_code=(), trends=(point,))


def trend_points(snapshots: int) -> tuple[TrendPoint, ...]:
    """One point per snapshot, oldest first; each knows two more licenses than the last
    (capped at all of them), so new licenses appear, then stop appearing."""
    points: list[TrendPoint] = []
    seen: tuple[str, ...] = ()
    for position in range(snapshots):
        known = tuple(sorted(LICENSES[: min(len(LICENSES), 2 + 2 * position)]))
        latest = position == snapshots - 1
        repositories = len(HOSTILE_REPOSITORIES) if latest else 3 + position
        components = 120 + 35 * position
        snapshot = SnapshotRecord(
            id=10 + position,
            label=None if position == 1 else f"{2026 + position}-Q1 {SCRIPT}" if position == 0 else f"release & \"{position}\"",
            taken_at=f"2026-0{1 + position}-05T09:00:00Z",
            repositories=repositories,
            components=components,
        )
        new = tuple(name for name in known if name not in seen)
        points.append(TrendPoint(snapshot=snapshot, components=components, repositories=repositories, gaps=sum(n for _, n in GAP_COUNTS) + 2 * (snapshots - 1 - position), licenses=known, new_licenses=new))
        seen = known
    return tuple(points)


def _repository(position: int, name: str) -> RepositorySummary:
    return RepositorySummary(
        repository=name,
        commit=None if position == 2 else f"{position:x}" * 40,
        branch=None if position == 3 else ("main" if position % 2 else f"feature/{name}"),
        status="incomplete" if position == 4 else "complete",
        components=10 * position + 3,
        direct=position + 1,
        gaps=position % 3,
        violations=position % 2,
        licenses=(LICENSES[position % len(LICENSES)],) if position != 5 else (),
    )


def _license(position: int, name: str) -> LicenseUse:
    return LicenseUse(license=name, category=CATEGORIES.get(name, "unknown"), components=40 - 5 * position, repositories=len(LICENSES) - position)


def _critical(rank: int, name: str) -> OrganizationCritical:
    return OrganizationCritical(
        rank=rank,
        ecosystem="npm" if rank % 2 else "pypi",
        project=name,
        score=round(0.9 - rank / 17, 6),
        repositories=8 - rank,
        direct_repositories=max(0, 5 - rank),
        versions=1 + rank % 3,
        reasons=(f"used at runtime by {8 - rank} repositories", f"declared by {name}"),
    )


def _skew() -> tuple[VersionSkew, ...]:
    return tuple(
        VersionSkew(
            ecosystem=purl.split(":")[1].split("/")[0],
            package=purl,
            versions=(("1.0.0", HOSTILE_REPOSITORIES[:2]), ("2.0.0-<b>", HOSTILE_REPOSITORIES[2:5]), ("10.1|x", HOSTILE_REPOSITORIES[5:])),
        )
        for purl in HOSTILE_PACKAGES
    )
