"""The terminal report: a summary a developer reads in five seconds, then the details.

This is the only module of the core that imports rich.
"""

from __future__ import annotations

from typing import TextIO

from rich.console import Console
from rich.table import Table

from ospo_scan.analysis.summary import Summary, summarize
from ospo_scan.licenses.versions import license_data_versions
from ospo_scan.model import Component, Inventory, Severity
from ospo_scan.reporters.terminal_text import no_color_requested, safe_text

FILE_WIDTH = 120
"""Fixed width when writing to a file, so the output does not depend on the terminal."""


def render(inventory: Inventory, stream: TextIO, is_terminal: bool = False) -> None:
    """Print the summary, the issues and the components."""
    console = Console(
        file=stream,
        width=None if is_terminal else FILE_WIDTH,
        force_terminal=is_terminal,
        no_color=not is_terminal or no_color_requested(),
        highlight=False,
        emoji=False,  # a name such as ':fire:' is text, not an emoji code
        soft_wrap=False,
    )
    summary = summarize(inventory)
    console.print(_headline(summary))
    if not inventory.files_scanned:
        console.print(f"No manifest or lockfile found in {', '.join(safe_text(root) for root in inventory.roots)} (formats: see README).")
        return
    console.print(_ecosystem_table(summary))
    if summary.by_license_category:
        console.print(_license_line(summary))
    if inventory.issues:
        console.print(_issue_table(inventory))
    if inventory.components:
        console.print(_component_table(inventory.components))


def _headline(summary: Summary) -> str:
    status = "[green]complete[/]" if summary.status == "complete" else "[yellow]incomplete[/]"
    scopes = ", ".join(f"{scope} {count}" for scope, count in summary.by_scope.items()) or "none"
    return (
        f"[bold]ospo-scan[/]: {summary.components} open source components "
        f"({summary.direct} direct, {summary.transitive} transitive, {summary.unpinned} unpinned) "
        f"in {summary.projects} projects from {summary.files_scanned} files; "
        f"{summary.first_party} first-party; scopes: {scopes}; "
        f"{summary.issues} issues; scan {status}"
    )


def _license_line(summary: Summary) -> str:
    counts = ", ".join(f"{category} {count}" for category, count in summary.by_license_category.items())
    return f"Licenses by category: {counts} (categories {license_data_versions()['categories']})"


def _ecosystem_table(summary: Summary) -> Table:
    table = Table(title="Open source by ecosystem", title_justify="left")
    for column in ("ecosystem", "components", "direct", "transitive", "unpinned"):
        table.add_column(column, justify="left" if column == "ecosystem" else "right")
    for ecosystem, counts in summary.by_ecosystem.items():
        table.add_row(ecosystem, str(counts.total), str(counts.direct), str(counts.transitive), str(counts.unpinned))
    return table


def _issue_table(inventory: Inventory) -> Table:
    table = Table(title="Files that could not be fully read", title_justify="left")
    table.add_column("file")
    table.add_column("line", justify="right")
    table.add_column("parser")
    table.add_column("code", no_wrap=True)
    table.add_column("problem", overflow="fold")
    for issue in inventory.issues:
        code = safe_text(issue.code) if issue.severity is Severity.ERROR else f"[dim]{safe_text(issue.code)} (warning)[/]"
        table.add_row(safe_text(issue.path), str(issue.line or ""), safe_text(issue.parser), code, safe_text(issue.message))
    return table


def _license_cell(component: Component) -> str:
    info = component.license
    if info is None or info.expression is None:
        return "[yellow]unknown[/]"
    return safe_text(info.expression)


def _component_table(components: tuple[Component, ...]) -> Table:
    table = Table(title="Components (every location is in the JSON report)", title_justify="left")
    table.add_column("name", overflow="fold", min_width=24, max_width=48)
    table.add_column("version", overflow="ellipsis", no_wrap=True, max_width=18)
    table.add_column("kind", no_wrap=True)
    table.add_column("scopes", no_wrap=True)
    table.add_column("projects", justify="right")
    table.add_column("license", overflow="ellipsis", no_wrap=True, max_width=28)
    ordered = sorted(components, key=lambda c: (c.first_party, c.ecosystem.value, c.name, c.version or ""))
    for component in ordered:
        kind = "first-party" if component.first_party else ("direct" if component.direct else "transitive")
        table.add_row(
            safe_text(f"{component.ecosystem.value}:{component.name}"),
            safe_text(component.version) if component.version else f"[dim]{safe_text(component.requirement or 'unpinned')}[/]",
            kind,
            ",".join(sorted(s.value for s in component.scopes)),
            str(len({usage.project for usage in component.usages})),
            _license_cell(component),
        )
    return table
