"""The organization-wide answers, each narrowed and aggregated in SQL.

Every function takes `rows` (one query in, its rows out) so it runs unchanged on both
backends. The database does the narrowing (ecosystem, name patterns, license,
category) and the counting (per package and project, per license); Python then does
only what SQL cannot: version ranges (univers), grouping packages into upstream
projects (analysis.upstream) and the criticality formula (analysis.criticality), so
the organization's ranking is the scan's ranking with signals counted across
repositories. One signal is not kept by the store: `dependents` needs the dependency
graph, which a stored scan does not carry, so it counts 0 here (its weight stays in
the formula's denominator, so scores compare with each other, not with a scan's).
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from packageurl import PackageURL

from ospo_scan.analysis.criticality import DEFAULT_SIGNALS, Signal, reasons, score
from ospo_scan.analysis.upstream import upstream_project
from ospo_scan.diffing.versions import parsed
from ospo_scan.licenses.categories import Category
from ospo_scan.model import Component, Ecosystem
from ospo_scan.store.document import Rows
from ospo_scan.store.interface import chunked
from ospo_scan.store.model import (
    LicenseUse,
    OrganizationCritical,
    OrganizationOverview,
    RepositoryUse,
    RepositorySummary,
    SnapshotRecord,
    TrendPoint,
    VersionSkew,
)
from ospo_scan.store.query import PackageQuery, like_pattern

_BASE = """FROM snapshot_scans ss JOIN repository_scans r ON r.id = ss.scan_id JOIN components c ON c.scan_id = r.id
           WHERE ss.snapshot_id = ?"""
"""Every component of a snapshot's scans, `r` its scan, `c` itself."""

_RUNTIME = "('runtime', 'provided')"
_CATEGORIES = frozenset(category.value for category in Category)
_OPERATORS = frozenset({"and", "or", "with"})


def narrowing(query: PackageQuery) -> tuple[str, list[Any]]:
    """The SQL condition (after `_BASE`) and parameters that select what `query` names."""
    if query.ecosystem is None:
        return " AND (lower(c.name) LIKE ? ESCAPE '\\' OR lower(c.purl_name) LIKE ? ESCAPE '\\')", [query.name, query.name]
    sql, params = " AND c.ecosystem = ? AND lower(c.purl_name) LIKE ? ESCAPE '\\'", [query.ecosystem, query.name]
    if query.namespace is None:
        return sql + " AND c.namespace IS NULL", params
    return sql + " AND lower(c.namespace) LIKE ? ESCAPE '\\'", params + [query.namespace]


def repositories_using(rows: Rows, snapshot_id: int, query: PackageQuery) -> list[RepositoryUse]:
    """Each (repository, purl) with a component the query matches, first-party ones too
    (which repositories use our own library is a question too)."""
    condition, params = narrowing(query)
    found = rows(
        f"SELECT c.id, r.repository, r.commit_id, c.purl, c.ecosystem, c.version, c.license, c.category, c.direct {_BASE}{condition}",
        [snapshot_id, *params],
    )
    return _uses(rows, [row for row in found if query.matches_version(row[5])])


def repositories_with_license(rows: Rows, snapshot_id: int, license_or_category: str) -> list[RepositoryUse]:
    """Third-party components of a category (`copyleft` matches every *-copyleft), of an
    SPDX expression, or whose expression contains an SPDX id as a symbol."""
    wanted = " ".join(license_or_category.lower().split())
    if not wanted:
        return []
    select = f"SELECT c.id, r.repository, r.commit_id, c.purl, c.ecosystem, c.version, c.license, c.category, c.direct {_BASE} AND c.first_party = 0"
    if wanted in _CATEGORIES:
        return _uses(rows, rows(select + " AND c.category = ?", [snapshot_id, wanted]))
    if wanted == "copyleft":
        return _uses(rows, rows(select + " AND c.category LIKE ?", [snapshot_id, "%-copyleft"]))
    found = rows(select + " AND c.license_key LIKE ? ESCAPE '\\'", [snapshot_id, "%" + like_pattern(wanted) + "%"])
    single = " " not in wanted and "(" not in wanted
    return _uses(rows, [row for row in found if _license_matches(row[6], wanted, single)])


def _license_matches(expression: str | None, wanted: str, single: bool) -> bool:
    if expression is None:
        return False
    key = " ".join(expression.lower().split())
    if key == wanted:
        return True
    return single and wanted in _symbols(key)


def _symbols(expression: str) -> set[str]:
    """The license ids of an expression (lower case), operators left out."""
    return {token for token in re.split(r"[\s()]+", expression) if token and token not in _OPERATORS}


def _uses(rows: Rows, found: Sequence[tuple[Any, ...]]) -> list[RepositoryUse]:
    """RepositoryUse rows for component rows (id, repository, commit, purl, ecosystem,
    version, license, category, direct), with their usages read in batches."""
    projects: dict[int, set[str]] = defaultdict(set)
    lifecycles: dict[int, set[str]] = defaultdict(set)
    for batch in chunked([row[0] for row in found]):
        marks = ", ".join("?" for _ in batch)
        for component_id, project, lifecycle in rows(f"SELECT component_id, project, lifecycle FROM usages WHERE component_id IN ({marks})", batch):
            projects[component_id].add(project)
            lifecycles[component_id].add(lifecycle)
    uses = [
        RepositoryUse(
            repository=repository, commit=commit, purl=purl, version=version, license=license_, category=category,
            projects=tuple(sorted(projects[component_id])), lifecycles=tuple(sorted(lifecycles[component_id])), direct=bool(direct),
        )
        for component_id, repository, commit, purl, _, version, license_, category, direct in found
    ]
    return sorted(uses, key=lambda u: (u.repository, u.purl))


def critical_projects(rows: Rows, snapshot_id: int, limit: int | None = 10) -> list[OrganizationCritical]:
    """Upstream projects ranked by the scan's formula over the whole snapshot."""
    per_project = rows(
        f"""SELECT c.ecosystem, c.name, r.repository, u.project,
                   MAX(CASE WHEN u.lifecycle IN {_RUNTIME} THEN 1 ELSE 0 END), MAX(CASE WHEN u.directness = 'direct' THEN 1 ELSE 0 END)
            {_BASE.replace('WHERE', 'JOIN usages u ON u.component_id = c.id WHERE')} AND c.first_party = 0
            GROUP BY c.ecosystem, c.name, r.repository, u.project""",
        [snapshot_id],
    )
    versions = rows(f"SELECT c.ecosystem, c.name, COUNT(DISTINCT c.version) {_BASE} AND c.first_party = 0 GROUP BY c.ecosystem, c.name", [snapshot_id])
    totals = rows(
        """SELECT COUNT(DISTINCT r.repository), (SELECT COUNT(*) FROM snapshot_scans s2 JOIN projects p ON p.scan_id = s2.scan_id WHERE s2.snapshot_id = ?)
           FROM snapshot_scans ss JOIN repository_scans r ON r.id = ss.scan_id WHERE ss.snapshot_id = ?""",
        [snapshot_id, snapshot_id],
    )
    repositories, projects = int(totals[0][0]), int(totals[0][1])
    groups: dict[tuple[str, str], _Group] = defaultdict(_Group)
    for ecosystem, name, count in versions:
        group = groups[(ecosystem, upstream(ecosystem, name))]
        group.packages.add(name)
        group.versions = max(group.versions, int(count))
    for ecosystem, name, repository, project, runtime, direct in per_project:
        groups[(ecosystem, upstream(ecosystem, name))].add(repository, project, bool(runtime), bool(direct))
    return _ranked(groups, projects, repositories, limit)


class _Group:
    """The signals of one upstream project, gathered from its packages' rows."""

    def __init__(self) -> None:
        self.packages: set[str] = set()
        self.versions = 0
        self.runtime_projects: set[tuple[str, str]] = set()
        self.direct_projects: set[tuple[str, str]] = set()

    def add(self, repository: str, project: str, runtime: bool, direct: bool) -> None:
        if runtime:
            self.runtime_projects.add((repository, project))
        if direct:
            self.direct_projects.add((repository, project))

    def signals(self) -> dict[Signal, int]:
        return {
            Signal.RUNTIME_REPOSITORIES: len({repository for repository, _ in self.runtime_projects}),
            Signal.RUNTIME_PROJECTS: len(self.runtime_projects),
            Signal.DIRECT_USES: len(self.direct_projects),
            Signal.DEPENDENTS: 0,
            Signal.VERSIONS: self.versions,
        }


def _ranked(groups: dict[tuple[str, str], _Group], projects: int, repositories: int, limit: int | None) -> list[OrganizationCritical]:
    entries = sorted(((round(score(g.signals(), DEFAULT_SIGNALS), 4), eco, name, g) for (eco, name), g in groups.items()), key=lambda e: (-e[0], e[2], e[1]))
    ranked: list[OrganizationCritical] = []
    for position, (value, ecosystem, name, group) in enumerate(entries, start=1):
        if limit is not None and position > limit:
            break
        signals = group.signals()
        ranked.append(
            OrganizationCritical(
                rank=ranked[-1].rank if ranked and ranked[-1].score == value else position,
                ecosystem=ecosystem, project=name, score=value,
                repositories=signals[Signal.RUNTIME_REPOSITORIES],
                direct_repositories=len({repository for repository, _ in group.direct_projects}),
                versions=group.versions,
                reasons=reasons(signals, projects, repositories, len(group.packages)),
            )
        )
    return ranked


@functools.lru_cache(maxsize=65536)
def upstream(ecosystem: str, name: str) -> str:
    """analysis.upstream's project of a package; its own name in an ecosystem it does not know."""
    try:
        kind = Ecosystem(ecosystem)
    except ValueError:
        return name
    return upstream_project(Component(purl="", ecosystem=kind, name=name, version=None))


def version_skew(rows: Rows, snapshot_id: int, min_versions: int = 2, query: PackageQuery | None = None) -> list[VersionSkew]:
    """Third-party packages at `min_versions` or more distinct versions in the snapshot."""
    condition, params = narrowing(query) if query is not None else ("", [])
    found = rows(
        f"""SELECT c.ecosystem, c.namespace, c.purl_name, c.version, r.repository {_BASE} AND c.first_party = 0 AND c.version IS NOT NULL{condition}
            AND c.ecosystem || ' ' || COALESCE(c.namespace, '') || ' ' || c.purl_name IN (
                SELECT c.ecosystem || ' ' || COALESCE(c.namespace, '') || ' ' || c.purl_name {_BASE} AND c.first_party = 0 AND c.version IS NOT NULL{condition}
                GROUP BY c.ecosystem, c.namespace, c.purl_name HAVING COUNT(DISTINCT c.version) >= ?)
            GROUP BY c.ecosystem, c.namespace, c.purl_name, c.version, r.repository""",
        [snapshot_id, *params, snapshot_id, *params, max(1, min_versions)],
    )
    packages: dict[tuple[str, str | None, str], dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for ecosystem, namespace, name, version, repository in found:
        packages[(ecosystem, namespace, name)][version].add(repository)
    skews = [
        VersionSkew(
            ecosystem=ecosystem,
            package=PackageURL(type=ecosystem, namespace=namespace, name=name).to_string(),
            versions=tuple((v, tuple(sorted(versions[v]))) for v in ordered(ecosystem, versions)),
        )
        for (ecosystem, namespace, name), versions in packages.items()
    ]
    return sorted(skews, key=lambda s: (-len(s.versions), s.ecosystem, s.package))


def ordered(ecosystem: str, versions: Iterable[str]) -> list[str]:
    """Oldest first in the ecosystem's order; versions univers cannot read last, by text."""
    def key(left: str, right: str) -> int:
        a, b = parsed(ecosystem, left), parsed(ecosystem, right)
        if (a is None) != (b is None):
            return 1 if a is None else -1
        if a is not None and b is not None and a != b:
            return -1 if a < b else 1
        return (left > right) - (left < right)
    return sorted(versions, key=functools.cmp_to_key(key))


def overview(rows: Rows, record: SnapshotRecord, history: Sequence[SnapshotRecord]) -> OrganizationOverview:
    """The organization report's content for `record`, trends over `history` (oldest first)."""
    snapshot_id = record.id
    return OrganizationOverview(
        snapshot=record,
        repositories=tuple(_summaries(rows, snapshot_id)),
        licenses=tuple(_licenses(rows, snapshot_id)),
        critical=tuple(critical_projects(rows, snapshot_id, 10)),
        skew=tuple(version_skew(rows, snapshot_id)),
        gaps_by_code=tuple((code, int(n)) for code, n in rows(
            "SELECT g.code, COUNT(*) FROM snapshot_scans ss JOIN gaps g ON g.scan_id = ss.scan_id WHERE ss.snapshot_id = ? GROUP BY g.code ORDER BY g.code", [snapshot_id])),
        trends=tuple(_trends(rows, history)),
    )


def _summaries(rows: Rows, snapshot_id: int) -> list[RepositorySummary]:
    licenses: dict[int, set[str]] = defaultdict(set)
    for scan_id, license_ in rows(
        "SELECT p.scan_id, p.license FROM snapshot_scans ss JOIN projects p ON p.scan_id = ss.scan_id WHERE ss.snapshot_id = ? AND p.license IS NOT NULL", [snapshot_id]
    ):
        licenses[scan_id].add(license_)
    found = rows(
        """SELECT r.id, r.repository, r.commit_id, r.branch, r.status,
                  (SELECT COUNT(*) FROM components c WHERE c.scan_id = r.id AND c.first_party = 0),
                  (SELECT COUNT(*) FROM components c WHERE c.scan_id = r.id AND c.first_party = 0 AND c.direct = 1),
                  (SELECT COUNT(*) FROM gaps g WHERE g.scan_id = r.id),
                  (SELECT COUNT(*) FROM violations v WHERE v.scan_id = r.id)
           FROM snapshot_scans ss JOIN repository_scans r ON r.id = ss.scan_id WHERE ss.snapshot_id = ? ORDER BY r.repository""",
        [snapshot_id],
    )
    return [
        RepositorySummary(repository=repository, commit=commit, branch=branch, status=status, components=int(components), direct=int(direct),
                          gaps=int(gaps), violations=int(violations), licenses=tuple(sorted(licenses[scan_id])))
        for scan_id, repository, commit, branch, status, components, direct, gaps, violations in found
    ]


def _licenses(rows: Rows, snapshot_id: int) -> list[LicenseUse]:
    found = rows(
        f"SELECT COALESCE(c.license, 'unknown'), c.category, COUNT(DISTINCT c.purl), COUNT(DISTINCT r.repository) {_BASE} AND c.first_party = 0 "
        "GROUP BY COALESCE(c.license, 'unknown'), c.category",
        [snapshot_id],
    )
    uses = [LicenseUse(license=license_, category=category, components=int(n), repositories=int(repos)) for license_, category, n, repos in found]
    return sorted(uses, key=lambda u: (-u.components, u.license, u.category))


def _trends(rows: Rows, history: Sequence[SnapshotRecord]) -> list[TrendPoint]:
    if not history:
        return []
    last = history[-1].id
    gaps: dict[Any, Any] = dict(rows("SELECT ss.snapshot_id, COUNT(*) FROM snapshot_scans ss JOIN gaps g ON g.scan_id = ss.scan_id WHERE ss.snapshot_id <= ? GROUP BY ss.snapshot_id", [last]))
    licenses: dict[int, set[str]] = defaultdict(set)
    for snapshot_id, license_ in rows(
        """SELECT DISTINCT ss.snapshot_id, c.license FROM snapshot_scans ss JOIN components c ON c.scan_id = ss.scan_id
           WHERE ss.snapshot_id <= ? AND c.first_party = 0 AND c.license IS NOT NULL""",
        [last],
    ):
        licenses[int(snapshot_id)].add(license_)
    points: list[TrendPoint] = []
    previous: set[str] | None = None
    for record in history:
        current = licenses.get(record.id, set())
        points.append(
            TrendPoint(snapshot=record, components=record.components, repositories=record.repositories, gaps=int(gaps.get(record.id, 0)),
                       licenses=tuple(sorted(current)), new_licenses=tuple(sorted(current - previous if previous is not None else current)))
        )
        previous = current
    return points
