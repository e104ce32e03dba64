"""The organization report as markdown: for a wiki page, an issue or a CI job summary.

Repository names are folder names and package names come from lockfiles: strangers
write both. Every such value goes through `table_cell`, the inventory report's
`markdown_text` (markup, `|`, backticks, `<` and line breaks made inert, controls and
bidi overrides removed, `@` kept from mentioning anyone) plus the few invisible
characters that one leaves: so a name cannot add a column, a link or a script.
Numbers and the report's own words are written as they are.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ospo_scan.analysis.wording import count
from ospo_scan.reporters.markdown_report import markdown_text
from ospo_scan.reporters.organization.ordering import ordered
from ospo_scan.reporters.organization.summary import short_commit, summary_facts, trend_label
from ospo_scan.store.model import OrganizationOverview

_INVISIBLE = str.maketrans({code: " " for code in (0x061C, 0x2028, 0x2029, 0xFEFF)})
"""Arabic letter mark, line and paragraph separators, byte-order mark: invisible or
line-breaking in some viewers, and not among markdown_text's controls."""


def render_markdown(overview: OrganizationOverview) -> str:
    """The whole report: a summary, then one table per question, then the history."""
    overview = ordered(overview)
    sections = (_summary, _repositories, _licenses, _critical, _skew, _gaps, _trends)
    lines = ["# ospo-scan: organization report", ""]
    for section in sections:
        lines += section(overview)
    return "\n".join(lines)


def table_cell(value: object) -> str:
    """A value from the store, safe in a table cell and in running text."""
    return markdown_text(str(value).translate(_INVISIBLE))


def table_lines(headers: Sequence[str], aligns: str, rows: Iterable[Sequence[object]]) -> list[str]:
    """A GitHub table: `aligns` has one letter per column, l(eft) or r(ight, numbers)."""
    rule = "|" + "|".join("---:" if align == "r" else "---" for align in aligns) + "|"
    body = ["| " + " | ".join(table_cell(value) for value in row) + " |" for row in rows]
    return ["| " + " | ".join(headers) + " |", rule, *body, ""]


def _summary(overview: OrganizationOverview) -> list[str]:
    return ["## Summary", "", *(f"- {name}: {table_cell(value)}" for name, value in summary_facts(overview)), ""]


def _repositories(overview: OrganizationOverview) -> list[str]:
    lines = [f"## Repositories ({len(overview.repositories)})", ""]
    if not overview.repositories:
        return lines + ["No repository in this snapshot.", ""]
    headers = ("repository", "commit", "branch", "status", "components", "direct", "gaps", "violations", "licenses")
    rows = (
        (r.repository, short_commit(r.commit), r.branch or "", r.status, r.components, r.direct, r.gaps, r.violations, ", ".join(r.licenses))
        for r in overview.repositories
    )
    return lines + table_lines(headers, "llllrrrrl", rows)


def _licenses(overview: OrganizationOverview) -> list[str]:
    lines = [f"## Licenses ({len(overview.licenses)})", ""]
    if not overview.licenses:
        return lines + ["No third-party component, so no license.", ""]
    rows = ((u.license, u.category, u.components, u.repositories) for u in overview.licenses)
    return lines + table_lines(("license", "category", "components", "repositories"), "llrr", rows)


def _critical(overview: OrganizationOverview) -> list[str]:
    lines = [f"## Critical projects ({len(overview.critical)})", ""]
    if not overview.critical:
        return lines + ["No upstream project to rank.", ""]
    headers = ("rank", "project", "ecosystem", "score", "repositories", "direct", "versions", "reasons")
    rows = (
        (c.rank, c.project, c.ecosystem, f"{c.score:.4f}", c.repositories, c.direct_repositories, c.versions, "; ".join(c.reasons))
        for c in overview.critical
    )
    return lines + table_lines(headers, "rllrrrrl", rows)


def _skew(overview: OrganizationOverview) -> list[str]:
    lines = [f"## Version skew ({len(overview.skew)})", ""]
    if not overview.skew:
        return lines + ["Every package is used at one version across the organization.", ""]
    rows = (
        (s.package, s.ecosystem, len(s.versions), "; ".join(f"{version} ({', '.join(repositories)})" for version, repositories in s.versions))
        for s in overview.skew
    )
    return lines + table_lines(("package", "ecosystem", "versions", "repositories by version"), "llrl", rows)


def _gaps(overview: OrganizationOverview) -> list[str]:
    lines = ["## Gaps by code", ""]
    if not overview.gaps_by_code:
        return lines + ["No compliance gap in this snapshot.", ""]
    return lines + table_lines(("code", "gaps"), "lr", overview.gaps_by_code)


def _trends(overview: OrganizationOverview) -> list[str]:
    lines = [f"## Trends ({count(len(overview.trends), 'snapshot')})", ""]
    headers = ("snapshot", "taken at", "components", "repositories", "gaps", "new licenses")
    rows = (
        (trend_label(p.snapshot), p.snapshot.taken_at, p.components, p.repositories, p.gaps, ", ".join(p.new_licenses) or "none")
        for p in overview.trends
    )
    return lines + table_lines(headers, "llrrrl", rows)
