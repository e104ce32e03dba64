"""The CSV report: one row per component and usage, for spreadsheets.

RFC 4180: comma-separated, CRLF line ends, every field quoted (a name or a message
may hold commas, quotes or line breaks). Spreadsheets execute a cell that starts with
`=`, `+`, `-` or `@` as a formula (and some treat a leading tab or carriage return
the same way): scanned values are untrusted, so such a cell is written as text, with
a leading apostrophe, the escape the spreadsheets themselves use (OWASP's advice).
npm scopes are the common case: `@babel/core` is written `'@babel/core`.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import TextIO

from ospo_scan.model import Component, Directness, Location, Project, Usage
from ospo_scan.reporters.report import Report

COLUMNS = (
    "repository", "project", "ecosystem", "name", "version", "purl", "lifecycle",
    "optional", "direct", "license", "category", "location", "first_party",
)
"""The header row, in order. A component no project uses gets one row with the usage
columns empty."""

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_DIRECTNESS = {Directness.DIRECT: "true", Directness.TRANSITIVE: "false", Directness.UNKNOWN: "unknown"}


def render(report: Report, stream: TextIO, is_terminal: bool = False) -> None:
    """Write the header and one row per (component, usage), sorted by purl then usage."""
    del is_terminal  # the same bytes wherever they go
    writer = csv.writer(stream, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    projects = {project.id: project for project in report.inventory.projects}
    for component in sorted(report.inventory.components, key=lambda c: c.purl):
        writer.writerows([formula_safe(cell) for cell in row] for row in _rows(component, projects))


def formula_safe(cell: str) -> str:
    """The cell as text a spreadsheet will not evaluate."""
    return "'" + cell if cell.startswith(_FORMULA_STARTS) else cell


def _rows(component: Component, projects: dict[str, Project]) -> Iterator[list[str]]:
    identity = [component.ecosystem.value, component.name, component.version or "", component.purl]
    license_cells = _license_cells(component)
    if not component.usages:
        yield ["", "", *identity, "", "", "", *license_cells, "", _flag(component.first_party)]
    for usage in component.usages:
        project = projects.get(usage.project)
        yield [
            project.repository if project else "",
            project.path if project else usage.project,
            *identity,
            usage.lifecycle.value,
            _flag(usage.optional),
            _DIRECTNESS[usage.directness],
            *license_cells,
            _place(usage),
            _flag(component.first_party),
        ]


def _license_cells(component: Component) -> list[str]:
    info = component.license
    return [info.expression or "", info.category] if info else ["", "unknown"]


def _place(usage: Usage) -> str:
    location: Location = usage.location
    return f"{location.path}:{location.line}" if location.line else location.path


def _flag(value: bool) -> str:
    return "true" if value else "false"
