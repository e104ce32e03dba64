"""The organization report as one self-contained HTML page.

Built as the inventory's HTML report is (reporters/html_report.py) and from its
building blocks (reporters/html/markup.py): everything inline, nothing fetched, a
Content-Security-Policy that allows only the page's own style and script by their
sha256, every value from the store escaped by `markup.text`, the same sortable and
filterable tables. So a repository named `<script>` is text here too, and were
escaping ever to fail, the policy would still keep it from running or calling out.

This module holds the page and its summary and charts; html_tables.py the tables.
Same overview, same bytes: the only time shown is the snapshot's own.
"""

from __future__ import annotations

from collections.abc import Callable

from ospo_scan import __version__
from ospo_scan.analysis.wording import count
from ospo_scan.reporters.html.markup import asset, page, table_rules, text
from ospo_scan.reporters.organization import html_tables
from ospo_scan.reporters.organization.ordering import ordered
from ospo_scan.reporters.organization.summary import snapshot_name, total_gaps, trend_label
from ospo_scan.reporters.organization.trend_chart import CSS, Kind, Point, trend_figure
from ospo_scan.store.model import OrganizationOverview, TrendPoint

_Value = Callable[[TrendPoint], int]
"""What a series plots of each snapshot."""

_SECTIONS = {
    "summary": "Summary",
    "charts": "Trends",
    "repositories": "Repositories",
    "licenses": "Licenses",
    "critical": "Critical projects",
    "skew": "Version skew",
    "gaps": "Gaps by code",
    "history": "Snapshots",
}


def render_html(overview: OrganizationOverview) -> str:
    """The whole page as one string."""
    overview = ordered(overview)
    style, script = asset("report.css") + table_rules(html_tables.TABLES) + CSS, asset("report.js")
    title = f"ospo-scan organization report: {snapshot_name(overview.snapshot)}"
    sections = [_header(overview, title), _summary(overview), _charts(overview), *html_tables.sections(overview)]
    return page(title, style, script, sections)


def _header(overview: OrganizationOverview, title: str) -> str:
    links = "".join(f'<a href="#{key}">{name}</a>' for key, name in _SECTIONS.items())
    meta = f"ospo-scan {__version__} · snapshot taken at {overview.snapshot.taken_at} · {count(len(overview.trends), 'snapshot')} in the history"
    return f'<header><h1>{text(title)}</h1><p class="meta">{text(meta)}</p><nav>{links}</nav></header>'


def _summary(overview: OrganizationOverview) -> str:
    snapshot, gaps = overview.snapshot, total_gaps(overview)
    incomplete = sum(1 for r in overview.repositories if r.status != "complete")
    cards = [
        summary_card("Snapshot", snapshot.label or f"#{snapshot.id}", f"snapshot {snapshot.id}, taken at {snapshot.taken_at}"),
        summary_card("Repositories", snapshot.repositories, f"{incomplete} scanned incompletely" if incomplete else "all scanned completely", bad=incomplete > 0),
        summary_card("Components", snapshot.components, "distinct third-party packages (by purl)"),
        summary_card("Licenses", len(overview.licenses), "distinct license expressions"),
        summary_card("Gaps", gaps, count(len(overview.gaps_by_code), "kind"), bad=gaps > 0),
    ]
    return f'<section id="summary"><h2>Summary</h2><div class="cards">{"".join(cards)}</div></section>'


def summary_card(title: str, value: object, detail: str, bad: bool = False) -> str:
    css = "card bad" if bad else "card"
    return f'<div class="{css}"><h3>{text(title)}</h3><p class="big">{text(value)}</p><p class="note">{text(detail)}</p></div>'


def _charts(overview: OrganizationOverview) -> str:
    """Components and gaps over time, and the licenses each snapshot brought in."""
    trends = overview.trends
    alone = "No history yet: this is the first snapshot. The trend appears once a second one is saved."
    figures = [
        trend_figure("Components over time", _series(trends, "component", lambda p: p.components), Kind.LINE, alone=alone),
        trend_figure("Gaps over time", _series(trends, "gap", lambda p: p.gaps), Kind.LINE, tone="gaps", alone=alone),
        trend_figure("New licenses per snapshot", _new_licenses(trends), Kind.COLUMNS, alone=alone),
    ]
    return f'<section id="charts"><h2>Trends</h2><div class="charts">{"".join(figures)}</div></section>'


def _series(trends: tuple[TrendPoint, ...], noun: str, value: _Value) -> list[Point]:
    return [Point(p.snapshot.id, p.snapshot.taken_at[:10], value(p), f"{trend_label(p.snapshot)}: {count(value(p), noun)}") for p in trends]


def _new_licenses(trends: tuple[TrendPoint, ...]) -> list[Point]:
    """The first snapshot's licenses are all new: its column says how many it started with."""
    return [
        Point(p.snapshot.id, p.snapshot.taken_at[:10], len(p.new_licenses), f"{trend_label(p.snapshot)}: " + (", ".join(p.new_licenses) or "no new license"))
        for p in trends
    ]
