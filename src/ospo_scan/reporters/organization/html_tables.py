"""The tables of the organization HTML page: one section per question, sortable and
filterable by the inventory report's script, readable with JavaScript off.

Cells are made by `markup.td`, which escapes them; nothing here writes a value into
markup any other way. The overview comes in already in report order (ordering.py).
"""

from __future__ import annotations

from collections.abc import Sequence

from ospo_scan.analysis.gaps import GAP_KINDS
from ospo_scan.reporters.html.markup import Column, hint, table, td
from ospo_scan.reporters.organization.summary import short_commit, trend_label
from ospo_scan.store.model import OrganizationOverview

_SEVERITIES = ("high", "medium", "low")

_REPOSITORIES = (
    Column("repository", "path"),
    Column("commit", "nw"),
    Column("branch", "path"),
    Column("status", "nw"),
    Column("components", "num"),
    Column("direct", "num"),
    Column("gaps", "num"),
    Column("violations", "num"),
    Column("licenses", "wrap"),
)
_LICENSES = (Column("license", "path"), Column("category", "nw"), Column("components", "num"), Column("repositories", "num"))
_CRITICAL = (
    Column("rank", "num"),
    Column("project", "path"),
    Column("ecosystem", "nw"),
    Column("score", "num"),
    Column("repositories", "num"),
    Column("direct", "num"),
    Column("versions", "num"),
    Column("reasons", "wrap"),
)
_SKEW = (Column("package", "path"), Column("ecosystem", "nw"), Column("versions", "num"), Column("repositories by version", "wrap"))
_GAPS = (Column("code", "nw"), Column("severity", "nw"), Column("gaps", "num"), Column("what it means", "wrap"))
_HISTORY = (
    Column("snapshot", "path"),
    Column("taken at", "nw"),
    Column("components", "num"),
    Column("repositories", "num"),
    Column("gaps", "num"),
    Column("new licenses", "wrap"),
)
TABLES: dict[str, Sequence[Column]] = {
    "repositories": _REPOSITORIES,
    "licenses": _LICENSES,
    "critical": _CRITICAL,
    "skew": _SKEW,
    "gaps": _GAPS,
    "history": _HISTORY,
}
"""Each table's id (less `-table`) and columns: the page's CSS is made from them."""

_CRITICAL_HINT = "Upstream projects ranked across the organization by criticality score (0 to 1): runtime reach, direct uses and versions in use."


def sections(overview: OrganizationOverview) -> list[str]:
    """Every table section, in the page's order."""
    return [_repositories(overview), _licenses(overview), _critical(overview), _skew(overview), _gaps(overview), _history(overview)]


def _repositories(overview: OrganizationOverview) -> str:
    rows = (
        f"<tr>{td(r.repository, path=True)}{td(short_commit(r.commit), title=r.commit)}{td(r.branch or '', path=True)}"
        f"{td(r.status, css='' if r.status == 'complete' else 'sev-high')}{td(r.components)}{td(r.direct)}{td(r.gaps)}{td(r.violations)}"
        f"{td(', '.join(r.licenses))}</tr>\n"
        for r in overview.repositories
    )
    return table("repositories", "Repositories", _REPOSITORIES, rows, len(overview.repositories), "No repository in this snapshot.")


def _licenses(overview: OrganizationOverview) -> str:
    rows = (f"<tr>{td(u.license, path=True)}{td(u.category)}{td(u.components)}{td(u.repositories)}</tr>\n" for u in overview.licenses)
    return table("licenses", "Licenses", _LICENSES, rows, len(overview.licenses), "No third-party component, so no license.")


def _critical(overview: OrganizationOverview) -> str:
    rows = (
        f"<tr>{td(c.rank)}{td(c.project, path=True)}{td(c.ecosystem)}{td(format(c.score, '.4f'))}{td(c.repositories)}"
        f"{td(c.direct_repositories)}{td(c.versions)}{td('; '.join(c.reasons))}</tr>\n"
        for c in overview.critical
    )
    return table("critical", "Critical projects", _CRITICAL, rows, len(overview.critical), "No upstream project to rank.", hint(_CRITICAL_HINT))


def _skew(overview: OrganizationOverview) -> str:
    rows = (
        f"<tr>{td(s.package, path=True)}{td(s.ecosystem)}{td(len(s.versions))}"
        f"{td(_by_version(s.versions))}</tr>\n"
        for s in overview.skew
    )
    empty = "Every package is used at one version across the organization."
    return table("skew", "Version skew", _SKEW, rows, len(overview.skew), empty, hint("Packages in use at several versions, each version with the repositories using it."))


def _by_version(versions: tuple[tuple[str, tuple[str, ...]], ...]) -> str:
    """`1.0: a, b; 2.0: c`: each version, in the ecosystem's order, with its repositories."""
    return "; ".join(f"{version}: {', '.join(repositories)}" for version, repositories in versions)


def _gaps(overview: OrganizationOverview) -> str:
    rows = (f"<tr>{td(code)}{_severity(code)}{td(number)}{td(_meaning(code))}</tr>\n" for code, number in overview.gaps_by_code)
    return table("gaps", "Gaps by code", _GAPS, rows, len(overview.gaps_by_code), "No compliance gap in this snapshot.")


def _severity(code: str) -> str:
    """A gap kind's default severity, sorting worst first; empty for a code this version does not know."""
    kind = GAP_KINDS.get(code)
    if kind is None:
        return td("", sort=len(_SEVERITIES))
    severity = kind.severity.value
    return td(severity, css=f"sev-{severity}", sort=_SEVERITIES.index(severity) if severity in _SEVERITIES else len(_SEVERITIES))


def _meaning(code: str) -> str:
    kind = GAP_KINDS.get(code)
    return kind.description if kind is not None else "a gap code this version of ospo-scan does not know (saved by another version)"


def _history(overview: OrganizationOverview) -> str:
    rows = (
        f"<tr>{td(trend_label(p.snapshot), title=f'snapshot {p.snapshot.id}', path=True)}{td(p.snapshot.taken_at)}{td(p.components)}"
        f"{td(p.repositories)}{td(p.gaps)}{td(', '.join(p.new_licenses) or 'none', title=', '.join(p.licenses) or None)}</tr>\n"
        for p in overview.trends
    )
    return table("history", "Snapshots", _HISTORY, rows, len(overview.trends), "No snapshot saved yet.", hint("Every snapshot, oldest first; hover the new licenses for all of that snapshot's."))
